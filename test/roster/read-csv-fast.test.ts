/**
 * The fast reader for simple delimited files (no quotes, one kind of line end) must give exactly
 * what csv-parse gives: same rows, row numbers, field arrays, row errors and limit errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import {
  readCsvFieldBatches,
  readCsvHeader,
  simpleLineEnd,
  type FieldBatch,
  type ReaderLimits,
} from '../../src/roster/read-csv.js';
import { tempDir, writeBytes } from './helpers.js';

const dir = tempDir();
let seq = 0;

interface Read {
  rows: { rowNumber: number; fields: string[]; error: string | null }[];
  failure: string | null;
}

async function readWith(
  path: string,
  csvParse: boolean,
  limits?: Partial<ReaderLimits>,
): Promise<Read> {
  const rows: Read['rows'] = [];
  try {
    const header = await readCsvHeader(path, limits);
    for await (const b of readCsvFieldBatches(path, header, limits, {
      csvParse,
    }) as AsyncIterable<FieldBatch>) {
      for (let i = 0; i < b.rowNumbers.length; i++) {
        rows.push({ rowNumber: b.rowNumbers[i]!, fields: b.fields[i]!, error: b.errors[i]! });
      }
    }
    return { rows, failure: null };
  } catch (e) {
    if (!(e instanceof RosterFormatError)) throw e;
    return { rows, failure: e.message };
  }
}

/** Reads the file with both readers, expects the same result, and returns it. */
async function both(
  data: Buffer | string,
  limits?: Partial<ReaderLimits>,
): Promise<Read & { lineEnd: string | null }> {
  const path = writeBytes(dir, `f${++seq}.txt`, data);
  const fast = await readWith(path, false, limits);
  const slow = await readWith(path, true, limits);
  expect(fast).toEqual(slow);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const header = await readCsvHeader(path).catch(() => null);
  const lineEnd = header
    ? await simpleLineEnd(path, header.encoding, bom, header.delimiter, limits?.maxFieldBytes)
    : null;
  return { ...fast, lineEnd };
}

const H = 'CONTRACT_ID|PLAN_ID|NPI|FLAG';

describe('fast reader for simple delimited files', () => {
  it('gives the same rows and row numbers, skipping blank and whitespace-only lines', async () => {
    const r = await both(
      `\n\n${H}\nS1234|001|1234567893|Y\n\n   \n|||\nS1234|002|1234567893|N\n \t| |\nS1234|003||Y\n`,
    );
    expect(r.lineEnd).toBe('\n');
    expect(r.rows.map((x) => x.rowNumber)).toEqual([4, 8, 10]);
    expect(r.rows[2]!.fields).toEqual(['S1234', '003', '', 'Y']);
    expect(r.rows.every((x) => x.error === null)).toBe(true);
  });

  it('reads CRLF files; a last line without a line end fails the file (still uploading)', async () => {
    const r = await both(`${H}\r\nS1234|001|1|Y\r\n\r\nS1234|002|2|N\r\n`);
    expect(r.lineEnd).toBe('\r\n');
    expect(r.rows).toEqual([
      { rowNumber: 2, fields: ['S1234', '001', '1', 'Y'], error: null },
      { rowNumber: 4, fields: ['S1234', '002', '2', 'N'], error: null },
    ]);
    const cut = await both(`${H}\r\nS1234|001|1|Y\r\n\r\nS1234|002|2|N`);
    expect(cut.rows).toEqual([]);
    expect(cut.failure).toMatch(/last line has no line end: the file looks incomplete/);
  });

  it('rejects ragged rows and drops harmless trailing empty fields', async () => {
    const r = await both(
      `${H}\nS1234|001|1\nS1234|001|1|Y|x\nS1234|001|1|Y||\nS1234|001|1|Y| |z\n`,
    );
    expect(r.lineEnd).toBe('\n');
    expect(r.rows.map((x) => x.error === null)).toEqual([false, false, true, false]);
    expect(r.rows[0]!.error).toMatch(/3 "\|"-separated fields but the header has 4/);
    expect(r.rows[1]!.error).toMatch(/5 "\|"-separated fields/);
    expect(r.rows[2]!.fields).toEqual(['S1234', '001', '1', 'Y']);
    expect(r.rows[3]!.fields).toHaveLength(6);
  });

  it('rejects rows with invalid UTF-8 or U+FFFD, keeping the other rows', async () => {
    // Past the 64 KiB the encoding is sniffed from, so the file stays UTF-8.
    const pad = Array.from({ length: 5000 }, (_, i) => `S1234|001|${i}|Y`).join('\n');
    const r = await both(
      Buffer.concat([
        Buffer.from(`${H}\n${pad}\nS1234|0`),
        Buffer.from([0xff, 0xc3]),
        Buffer.from(`1|1|Y\nS1234|001|\u00e9\u4e2d|Y\nS1234|001|\ufffd|Y\nS1234|001|2|N\n`),
      ]),
    );
    expect(r.lineEnd).toBe('\n');
    expect(r.rows.slice(5000).map((x) => [x.rowNumber, x.error === null])).toEqual([
      [5002, false],
      [5003, true],
      [5004, false],
      [5005, true],
    ]);
    expect(r.rows[5000]!.error).toMatch(/not valid utf-8 text/);
    expect(r.rows[5000]!.fields[1]).toContain('\ufffd');
  });

  it('reads a UTF-8 BOM file and multi-byte characters across read chunks', async () => {
    const lines = [H];
    for (let i = 0; i < 20_000; i++)
      lines.push(`S1234|${String(i % 1000).padStart(3, '0')}|é中${i}|Y`);
    const r = await both(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n') + '\n')]),
    );
    expect(r.lineEnd).toBe('\n');
    expect(r.rows).toHaveLength(20_000);
    expect(r.rows[19_999]).toEqual({
      rowNumber: 20_001,
      fields: ['S1234', '999', 'é中19999', 'Y'],
      error: null,
    });
  });

  it('falls back to csv-parse for bare CR and mixed line ends (same results)', async () => {
    const quoted = await both(`${H}\nS1234|"001"|1|Y\n"S1234|x"|1|2|Y\n`);
    expect(quoted.lineEnd).toBe('\n');
    expect(quoted.rows[0]!.fields).toEqual(['S1234', '001', '1', 'Y']);
    expect(quoted.rows[1]!.fields).toEqual(['S1234|x', '1', '2', 'Y']);
    const cr = await both(`${H}\rS1234|001|1|Y\rS1234|002|1|Y\r`);
    expect(cr.lineEnd).toBeNull();
    expect(cr.rows.map((x) => x.rowNumber)).toEqual([2, 3]);
    const crInside = await both(`${H}\nS1234|001|1\r|Y\n`);
    expect(crInside.lineEnd).toBeNull();
    const mixed = await both(`${H}\r\nS1234|001|1|Y\nS1234|002|1|Y\r\n`);
    expect(mixed.lineEnd).toBeNull();
    // Mixed line ends: every line is its own row, numbered as in the file (not two lines joined
    // into one row with a misleading field count).
    expect(mixed.rows.map((x) => [x.rowNumber, x.fields, x.error])).toEqual([
      [2, ['S1234', '001', '1', 'Y'], null],
      [3, ['S1234', '002', '1', 'Y'], null],
    ]);
    expect(crInside.rows).toHaveLength(1);
    const lfThenCrlf = await both(`${H}\nS1234|001|1|Y\r\nS1234|002|1|Y\n`);
    expect(lfThenCrlf.lineEnd).toBeNull();
  });

  it('falls back for UTF-16 files', async () => {
    const text = `\ufeff${H}\nS1234|001|1|Y\n`;
    const r = await both(Buffer.from(text, 'utf16le'));
    expect(r.rows).toEqual([{ rowNumber: 2, fields: ['S1234', '001', '1', 'Y'], error: null }]);
    const path = writeBytes(dir, 'u16.txt', Buffer.from(text, 'utf16le'));
    const header = await readCsvHeader(path);
    expect(await simpleLineEnd(path, header.encoding, 2)).toBeNull();
  });

  it('fails on a row over the size limit with the same message, naming the same line', async () => {
    const long = 'x'.repeat(300);
    for (const size of [299, 300, 301, 302, 303]) {
      const r = await both(`${H}\nS1234|001|1|Y\n\n${long}|1|2|3\nS1234|002|1|Y\n`, {
        maxFieldBytes: size,
      });
      expect(r.lineEnd).toBe('\n');
      if (size < 302) expect(r.failure).toMatch(/row starting at line 3 is longer than the limit/);
      else expect(r.failure).toBeNull();
    }
    // A row longer than the limit, the file's last.
    const r = await both(`${H}\nS1234|001|1|Y\n${'y'.repeat(5000)}\n`, { maxFieldBytes: 1000 });
    expect(r.failure).toMatch(/line 3 is longer than the limit of 1000/);
  });

  it('fails past the row limit with the same message', async () => {
    const r = await both(`${H}\nS1234|001|1|Y\n\nS1234|002|1|Y\nS1234|003|1|Y\n`, { maxRows: 2 });
    expect(r.failure).toMatch(/more than 2 data rows/);
    expect(r.rows).toHaveLength(0); // the batch with the third row is never handed out
  });

  it('reads quoted rows as csv-parse does, row by row, in random files', async () => {
    // Cells built from the characters quoting is about: quotes at the start, inside and at the
    // end of a field, doubled quotes, delimiters and line ends inside quotes, blanks.
    const piece = fc.constantFrom('"', '""', ',', '|', 'a', 'b c', ' ', '\n', 'é', '');
    const cell = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
    const quotedCell = cell.map((c) => `"${c.replaceAll('"', '""')}"`);
    const anyCell = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('S1234', '001', '', '1234567893') },
      { weight: 2, arbitrary: quotedCell },
      { weight: 1, arbitrary: cell },
    );
    const file = fc.record({
      delimiter: fc.constantFrom(',', '|'),
      crlf: fc.boolean(),
      rows: fc.array(fc.array(anyCell, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
      // A long tail of plain rows, so quoted rows also fall across read chunks.
      pad: fc.constantFrom(0, 0, 3000),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ delimiter, crlf, rows, pad }) => {
        const eol = crlf ? '\r\n' : '\n';
        const lines = [['A', '"B"', 'C', 'D'].join(delimiter)];
        for (let i = 0; i < pad; i++) lines.push(['S1234', '001', String(i), 'Y'].join(delimiter));
        for (const r of rows) lines.push(r.join(delimiter));
        lines.push(['S1234', '"002"', 'last', 'Y'].join(delimiter));
        // A line end inside a quoted value is the file's own (the fast reader wants one kind).
        const text = lines.join(eol).replace(/\r?\n/g, eol) + eol;
        await both(text);
      }),
      { numRuns: 150 },
    );
  });

  it('takes the per-row path for quoted files, csv-parse for an open quote or a long quoted row', async () => {
    const ok = await both(`${H}\nS1234|"a\nb"|1|Y\nS1234|"x""y"|2|N\n`);
    expect(ok.lineEnd).toBe('\n');
    expect(ok.rows.map((r) => [r.rowNumber, r.fields[1]])).toEqual([
      [2, 'a\nb'],
      [4, 'x"y'],
    ]);
    const open = await both(`${H}\nS1234|"a|1|Y\nS1234|002|1|Y\n`);
    expect(open.lineEnd).toBeNull();
    expect(open.failure).toMatch(/unbalanced quotes/);
    const long = await both(`${H}\nS1234|"${'z'.repeat(400)}"|1|Y\n`, { maxFieldBytes: 1000 });
    expect(long.lineEnd).toBeNull();
    expect(long.rows).toHaveLength(1);
  });

  it('follows quotes across the pre-scan reads (1 MiB) the same way', async () => {
    const row = 'S1234|001|1234567893|Y\n'; // 23 bytes
    for (let shift = 0; shift < 8; shift++) {
      // Plain rows up to a few bytes before 1 MiB, then quoted values across the boundary.
      const head = `${H}\n${row.repeat(Math.floor((1024 * 1024 - 40) / row.length))}`;
      const tail = `|"a""b|\n"|"c"|Y\nS1234|""|"d"""|Y\n"S1234"|002|3|N\n`;
      const r = await both(`${head}${'x'.repeat(shift)}${tail}`);
      expect(r.lineEnd).toBe('\n');
      expect(r.rows.at(-1)).toMatchObject({ fields: ['S1234', '002', '3', 'N'], error: null });
    }
  });
});
