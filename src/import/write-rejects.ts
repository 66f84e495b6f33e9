import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { writeAtomically } from '../report/atomic.js';
import type { ImportFileResult } from './import-rosters.js';

/**
 * A value a spreadsheet app would evaluate as a formula once it opens the CSV: one beginning with
 * `=`, `+`, `-`, `@` (or their full-width forms, which some apps fold), also after leading
 * spaces, no-break or ideographic spaces, or beginning with a tab or carriage return.
 */
const FORMULA_START =
  /^(?:[\s\u00A0\u2007\u202F\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

export function csv(v: string): string {
  // Spreadsheet apps evaluate cells starting with these: keep them text.
  const safe = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Rejected rows back out as CSV: where they came from, why, and the original columns. Written
 * atomically (src/report/atomic.ts): a failure (disk full) leaves no partial file under the name.
 */
export async function writeRejectsFile(options: {
  path: string;
  results: readonly ImportFileResult[];
}): Promise<number> {
  let n = 0;
  await writeAtomically(options.path, async (tmp) => {
    n = await writeRejects(tmp, options.results);
  });
  return n;
}

async function writeRejects(path: string, results: readonly ImportFileResult[]): Promise<number> {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const rej of r.rejections) {
      for (const h of Object.keys(rej.raw)) {
        if (!seen.has(h)) {
          seen.add(h);
          headers.push(h);
        }
      }
    }
  }
  const out = createWriteStream(path, { mode: 0o600 });
  const failure: { error: Error | null } = { error: null };
  out.on('error', (err) => (failure.error = err));
  const write = async (line: string): Promise<void> => {
    if (failure.error) throw failure.error;
    if (!out.write(`${line}\n`)) {
      // 'drain' never comes after an error (disk full): wait for whichever comes first.
      await Promise.race([once(out, 'drain'), finished(out)]);
      const late = failure.error as Error | null; // set by the listener meanwhile
      if (late) throw late;
    }
  };
  await write(['file', 'sheet', 'row', 'column', 'error', ...headers].map(csv).join(','));
  let n = 0;
  for (const r of results) {
    for (const rej of r.rejections) {
      n++;
      await write(
        [
          r.path,
          r.sheet ?? '',
          String(rej.rowNumber),
          rej.column ?? '',
          rej.reason,
          ...headers.map((h) => rej.raw[h] ?? ''),
        ]
          .map(csv)
          .join(','),
      );
    }
  }
  out.end();
  await finished(out);
  return n;
}
