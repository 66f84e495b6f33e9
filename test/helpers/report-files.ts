/**
 * Report file names in tests: `<sponsor>-<scope>-<as-of>-run<id>-<run time, UTC>.<ext>`; the run
 * time is the instant the run was recorded, which a test does not know in advance.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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
