import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ImportFileResult } from './import-rosters.js';

function csv(v: string): string {
  // Spreadsheet apps evaluate cells starting with these: keep them text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rejected rows back out as CSV: where they came from, why, and the original columns. */
export async function writeRejectsFile(options: {
  path: string;
  results: readonly ImportFileResult[];
}): Promise<number> {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const r of options.results) {
    for (const rej of r.rejections) {
      for (const h of Object.keys(rej.raw)) {
        if (!seen.has(h)) {
          seen.add(h);
          headers.push(h);
        }
      }
    }
  }
  const out = createWriteStream(options.path);
  const write = async (line: string): Promise<void> => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(['file', 'sheet', 'row', 'column', 'error', ...headers].map(csv).join(','));
  let n = 0;
  for (const r of options.results) {
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
  await once(out, 'finish');
  return n;
}
