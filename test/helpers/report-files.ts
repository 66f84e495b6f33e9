/**
 * Report file names in tests: `<sponsor>-<scope>-<as-of>-run<id>-<run time, UTC>.<ext>`; the run
 * time is the instant the run was recorded, which a test does not know in advance.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.js';

/** A pattern matching the name of run `runId`'s report file with extension `ext`. */
export function reportName(runId: number, ext: string, asOf = '\\d{4}-\\d{2}-\\d{2}'): RegExp {
  return new RegExp(`^[A-Za-z0-9_-]+-${asOf}-run${runId}-\\d{8}T\\d{6}Z\\.${ext}$`);
}

/** The path of run `runId`'s report file with extension `ext` in `dir`; throws when absent. */
export function reportFile(dir: string, runId: number, ext: string): string {
  const names = readdirSync(dir).filter((n) => reportName(runId, ext).test(n));
  if (names.length !== 1) {
    throw new Error(`expected one .${ext} report of run ${runId} in ${dir}, found ${names.length}`);
  }
  return join(dir, names[0]!);
}

/** The demo's as-of date (data/demo/README.md). */
export const DEMO_AS_OF = '2026-11-01';

/**
 * `npm run demo` as a process: `run` of data/demo with its policy as of DEMO_AS_OF, writing into
 * `out` (reports in `<out>/<as-of>/`) with the database `db`; the run must not fail.
 */
export async function runDemo(out: string, db: string): Promise<CliResult> {
  const res = await runCli([
    'run',
    '--roster',
    'data/demo',
    '--policy',
    'data/demo-policy.json',
    '--as-of',
    DEMO_AS_OF,
    '--out',
    out,
    '--db',
    db,
  ]);
  expect([0, 1, 4], res.stderr).toContain(res.code);
  return res;
}
