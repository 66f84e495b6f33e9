import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { writeStreamAtomically } from '../report/atomic.js';
import { csvText } from '../util/csv-write.js';
import type { ImportFileResult } from './import-rosters.js';

/**
 * A value a spreadsheet app would evaluate as a formula once it opens the CSV: one beginning with
 * `=`, `+`, `-`, `@` (or their full-width forms, which some apps fold), also after leading
 * spaces, no-break or ideographic spaces, or beginning with a tab or carriage return.
 */
const FORMULA_START =
  /^(?:[\s\u00A0\u2007\u202F\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

/** A value as the rejects file holds it: prefixed with `'` when an app would evaluate it. */
export function formulaSafe(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

/** Rows formatted (src/util/csv-write.ts) and written a batch at a time. */
const BATCH_ROWS = 500;

/**
 * Rejected rows back out as CSV: where they came from, why, and the original columns. Written
 * atomically (src/report/atomic.ts): a failure (disk full) leaves no partial file under the name.
 */
export async function writeRejectsFile(options: {
  path: string;
  results: readonly ImportFileResult[];
}): Promise<number> {
  let n = 0;
  await writeStreamAtomically(options.path, async (out) => {
    n = await writeRejects(out, options.results);
  });
  return n;
}

async function writeRejects(out: Writable, results: readonly ImportFileResult[]): Promise<number> {
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
  let batch: string[][] = [];
  const flush = async (): Promise<void> => {
    const text = csvText(batch.map((row) => row.map(formulaSafe)));
    batch = [];
    // (A failed stream never drains: writeStreamAtomically ends the wait with its error.)
    if (!out.write(text)) await once(out, 'drain');
  };
  batch.push(['file', 'sheet', 'row', 'column', 'error', ...headers]);
  let n = 0;
  for (const r of results) {
    for (const rej of r.rejections) {
      n++;
      batch.push([
        r.path,
        r.sheet ?? '',
        String(rej.rowNumber),
        rej.column ?? '',
        rej.reason,
        ...headers.map((h) => rej.raw[h] ?? ''),
      ]);
      if (batch.length >= BATCH_ROWS) await flush();
    }
  }
  await flush();
  out.end();
  return n;
}
