/** What every command gets: effective configuration, output, and a database it opens lazily. */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config, type ConfigFlags } from '../config/config.js';
import type { Db } from '../db/connect.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/url.js';
import { DEFAULT_POLICY, type Policy } from '../domain/policy.js';
import type { IsoDate } from '../domain/types.js';
import { UsageError } from '../errors.js';
import { dateInZone, isIsoDate } from '../util/time.js';
import { detectOutput, Output } from './output.js';

export interface GlobalFlags extends ConfigFlags {
  json?: boolean;
  quiet?: boolean;
}

export interface CommandContext {
  config: Config;
  out: Output;
  openDb(): Promise<Db>;
  loadPolicy(): Promise<Policy>;
  /** The as-of date: the flag, or today in the policy's time zone. */
  asOf(flag: string | undefined, policy?: Policy): IsoDate;
  /** Closes what was opened. */
  close(): Promise<void>;
}

let databaseInUse: DatabaseTarget | null = null;

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
  let db: Db | undefined;
  return {
    config,
    out,
    async openDb() {
      databaseInUse = parseDatabaseUrl(config.database);
      if (!db) {
        // Loaded on first use (start-up cost): commands that need no database never load Prisma.
        const { openDatabase } = await import('../db/connect.js');
        // Plain SQL only (src/db): the Prisma client is not loaded.
        db = await openDatabase({ url: config.database, prisma: false });
      }
      return db;
    },
    async loadPolicy() {
      if (!config.policy) return DEFAULT_POLICY;
      const { loadPolicy } = await import('../rules/policy.js');
      return loadPolicy(config.policy);
    },
    asOf(flag, policy) {
      if (flag === undefined) return dateInZone(new Date(), (policy ?? DEFAULT_POLICY).timeZone);
      if (!isIsoDate(flag))
        throw new UsageError(`--as-of must be a date YYYY-MM-DD, got "${flag}"`);
      return flag;
    },
    async close() {
      if (db) await db.close();
      db = undefined;
    },
  };
}

export function readJsonFile(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${what} ${path}: ${(err as Error).message}`);
  }
}
