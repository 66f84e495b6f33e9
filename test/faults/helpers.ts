/**
 * Helpers for the fault tests: the CLI as a killable process, rosters big enough to kill mid-way,
 * and direct looks into the databases (not through the code under test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { npiFrom } from '../../src/generate/identifiers.js';
import { projectRoot } from '../../src/util/paths.js';
import { BIN, type CliResult } from '../helpers/cli.js';

export function tempDir(prefix = 'ia-fault-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Spawned {
  child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  done: Promise<CliResult>;
  /** Resolves with the first JSON log line (`--log-format json`) whose event is `event`. */
  waitForEvent(event: string): Promise<Record<string, unknown>>;
}

/** Starts the CLI; `env.INFUSION_AUDIT_FAULT` arms a fault point (src/config/fault.ts). */
export function spawnCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; shell?: string } = {},
): Spawned {
  const env = { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...options.env };
  const child = options.shell
    ? spawn('bash', ['-c', `${options.shell} exec "$0" "$@"`, process.execPath, BIN, ...args], {
        cwd: options.cwd ?? projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [BIN, ...args], {
        cwd: options.cwd ?? projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let stdout = '';
  let stderr = '';
  const waiters: { event: string; resolve: (v: Record<string, unknown>) => void }[] = [];
  let pending = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of waiters.filter((x) => x.event === parsed.event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForEvent: (event) =>
      new Promise((resolve, reject) => {
        waiters.push({ event, resolve });
        void done.then(() => reject(new Error(`process ended before event ${event}`)));
      }),
  };
}

/** True when the process died of SIGKILL (directly, or as exit 137 through a shell). */
export function wasKilled(r: CliResult): boolean {
  return r.signal === 'SIGKILL' || r.code === 137;
}

export const CMS_HEADER =
  'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE|BRAND_DISPENSING_FEE_30|BRAND_DISPENSING_FEE_60|BRAND_DISPENSING_FEE_90|GENERIC_DISPENSING_FEE_30|GENERIC_DISPENSING_FEE_60|GENERIC_DISPENSING_FEE_90';

/**
 * A CMS pharmacy network file (pipe-delimited; needs no pharmacies roster first): `rows` rows,
 * distinct (plan, NPI) pairs, every `badEvery`-th row with an invalid NPI check digit.
 */
export function writeCmsNetworkFile(
  path: string,
  rows: number,
  options: { badEvery?: number; plans?: number } = {},
): { accepted: number; rejected: number; records: number } {
  const plans = options.plans ?? 4;
  const lines = [CMS_HEADER];
  let rejected = 0;
  let records = 0;
  for (let i = 0; i < rows; i++) {
    let npi = npiFrom(1, 100_000 + Math.floor(i / plans));
    if (options.badEvery && (i + 1) % options.badEvery === 0) {
      npi = npi.slice(0, 9) + String((Number(npi[9]) + 1) % 10);
      rejected++;
    } else {
      records += i % 3 === 0 ? 2 : 1; // retail, plus mail on every third row
    }
    const pbp = String((i % plans) + 1).padStart(3, '0');
    const zip = String(10_000 + (i % 80_000)).padStart(5, '0');
    lines.push(
      `S4802|${pbp}|000|${npi}|${zip}|Y|N|Y|${i % 3 === 0 ? 'Y' : 'N'}|1|0|1.75|3.50|5.25|1.75|3.50|5.25`,
    );
  }
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return { accepted: rows - rejected, rejected, records };
}

/** Runs a query on a database directly (SQLite file read-only, or PostgreSQL). */
export async function queryDb<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length), { readonly: true, timeout: 15_000 });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Count of a table's rows, optionally filtered (`where` uses ? placeholders). */
export async function count(
  url: string,
  table: string,
  where = '1=1',
  params: unknown[] = [],
): Promise<number> {
  const rows = await queryDb<{ n: number | string }>(
    url,
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(rows[0]!.n);
}
