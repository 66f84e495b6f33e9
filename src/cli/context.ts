/** What every command gets: effective configuration, output, and a database it opens lazily. */
import { loadConfig, type Config, type ConfigFlags } from '../config/config.js';
import type { Db } from '../db/connect.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/url.js';
import { DEFAULT_POLICY, type Policy } from '../domain/policy.js';
import type { IsoDate } from '../domain/types.js';
import { UsageError } from '../errors.js';
import { addDays, dateInZone, isIsoDate } from '../util/time.js';
import { detectOutput, Output } from './output.js';

export interface GlobalFlags extends ConfigFlags {
  json?: boolean;
  quiet?: boolean;
  /** `--force-date`: accept an `--as-of` outside AS_OF_BOUNDS. */
  forceDate?: boolean;
}

/**
 * The dates `--as-of` accepts without `--force-date`: not before Part D began (2006-01-01; there
 * is no home infusion network to audit before it), not more than a year after today (a typo such
 * as 2062 would store an official run dated then, and `--keep-days` would prune every report).
 */
export const AS_OF_BOUNDS = { earliest: '2006-01-01', daysAfterToday: 365 } as const;

export interface CommandContext {
  config: Config;
  out: Output;
  /** `readOnly`: the command only reads; a read-only SQLite file is then opened as it is. */
  openDb(options?: { readOnly?: boolean }): Promise<Db>;
  loadPolicy(): Promise<Policy>;
  /** The as-of date: the flag, or today in the policy's time zone. */
  asOf(flag: string | undefined, policy?: Policy): IsoDate;
  /** Closes what was opened. */
  close(): Promise<void>;
}

let databaseInUse: DatabaseTarget | null = null;
let outputInUse: Output | null = null;
const committed: string[] = [];

/** Notes a step whose result is stored for good (so a later failure says it was kept). */
export function noteCommitted(what: string): void {
  committed.push(what);
}

/** What this command has stored for good so far, in order. */
export function committedSoFar(): readonly string[] {
  return committed;
}

/**
 * The command's output (its resolved log format), for the fatal-error line in main.ts; before a
 * command has built its context, one from `--log-format` or INFUSION_AUDIT_LOG_FORMAT.
 */
export function commandOutput(argv: readonly string[]): Output {
  if (outputInUse) return outputInUse;
  const i = argv.indexOf('--log-format');
  const inline = argv.find((a) => a.startsWith('--log-format='))?.slice('--log-format='.length);
  const wanted = i >= 0 ? argv[i + 1] : (inline ?? process.env.INFUSION_AUDIT_LOG_FORMAT);
  return new Output(detectOutput({ logFormat: wanted === 'json' ? 'json' : 'human' }));
}

/** The database the command opened (or tried to), for error messages in main.ts. */
export function databaseTargetInUse(): DatabaseTarget | null {
  return databaseInUse;
}

export function createContext(flags: GlobalFlags): CommandContext {
  const config = loadConfig({ flags, env: process.env, cwd: process.cwd() });
  const out = new Output(
    detectOutput({
      ...(flags.json !== undefined ? { json: flags.json } : {}),
      ...(flags.quiet !== undefined ? { quiet: flags.quiet } : {}),
      logFormat: config.logFormat,
    }),
  );
  outputInUse = out;
  let db: Db | undefined;
  return {
    config,
    out,
    async openDb(options) {
      databaseInUse = parseDatabaseUrl(config.database);
      if (!db) {
        // Loaded on first use (start-up cost): commands that need no database never load Prisma.
        const { openDatabase } = await import('../db/connect.js');
        // Plain SQL only (src/db): the Prisma client is not loaded.
        db = await openDatabase({
          url: config.database,
          ...(options?.readOnly ? { readOnlyOk: true } : {}),
        });
      }
      return db;
    },
    async loadPolicy() {
      if (!config.policy) return DEFAULT_POLICY;
      const { loadPolicy } = await import('../evaluate/policy.js');
      return loadPolicy(config.policy);
    },
    asOf(flag, policy) {
      if (flag === undefined) return dateInZone(new Date(), (policy ?? DEFAULT_POLICY).timeZone);
      if (!isIsoDate(flag))
        throw new UsageError(`--as-of must be a date YYYY-MM-DD, got "${flag}"`);
      if (flags.forceDate) return flag;
      const today = dateInZone(new Date(), (policy ?? DEFAULT_POLICY).timeZone);
      const latest = addDays(today, AS_OF_BOUNDS.daysAfterToday);
      if (flag < AS_OF_BOUNDS.earliest || flag > latest) {
        throw new UsageError(
          `--as-of ${flag} is outside ${AS_OF_BOUNDS.earliest} (Part D began) to ${latest} (a year after today, ${today}); add --force-date if that date is meant`,
        );
      }
      return flag;
    },
    async close() {
      if (db) await db.close();
      db = undefined;
    },
  };
}
