import { describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import { openCsv, readCsvHeader } from '../../src/roster/read-csv.js';
import { collect, tempDir, writeBytes } from './helpers.js';

const dir = tempDir();

async function formatError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a RosterFormatError');
}

async function readAll(path: string, limits?: Parameters<typeof openCsv>[1]) {
  const src = await openCsv(path, limits);
  return { header: src.header, rows: await collect(src.rows()) };
}

describe('encodings', () => {
  it('reads UTF-8 with a BOM, keeping leading zeros', async () => {
    const p = writeBytes(
      dir,
      'bom.csv',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('npi,zip\r\n1234567893,02134\r\n'),
      ]),
    );
    const { header, rows } = await readAll(p);
    expect(header.encoding).toBe('utf-8-bom');
    expect(header.headers).toEqual(['npi', 'zip']);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        record: { npi: '1234567893', zip: '02134' },
        cells: ['1234567893', '02134'],
        raw: { npi: '1234567893', zip: '02134' },
        error: null,
      },
    ]);
  });

  it('reads UTF-8 without a BOM', async () => {
    const p = writeBytes(dir, 'utf8.csv', 'name,city\nFarmacia Peña,San Juan\n');
    const { header, rows } = await readAll(p);
    expect(header.encoding).toBe('utf-8');
    expect(rows[0]!.record['name']).toBe('Farmacia Peña');
  });

  it('reads UTF-16LE and UTF-16BE with a BOM', async () => {
    const text = 'name;city\nFarmacia Peña;Ponce\n';
    const le = writeBytes(
      dir,
      'le.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const r1 = await readAll(le);
    expect(r1.header.encoding).toBe('utf-16le');
    expect(r1.header.delimiter).toBe(';');
    expect(r1.rows[0]!.record).toEqual({ name: 'Farmacia Peña', city: 'Ponce' });

    const be = Buffer.from(text, 'utf16le').swap16();
    const p2 = writeBytes(dir, 'be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const r2 = await readAll(p2);
    expect(r2.header.encoding).toBe('utf-16be');
    expect(r2.rows[0]!.record).toEqual({ name: 'Farmacia Peña', city: 'Ponce' });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', async () => {
    // "Peña" with ñ as the single byte 0xF1, and a euro sign 0x80.
    const bytes = Buffer.from('name,note\nFarmacia Pe\xf1a,cost \x80 5\n', 'latin1');
    const p = writeBytes(dir, 'cp1252.csv', bytes);
    const { header, rows } = await readAll(p);
    expect(header.encoding).toBe('windows-1252');
    expect(rows[0]!.record).toEqual({ name: 'Farmacia Peña', note: 'cost € 5' });
    expect(rows[0]!.error).toBeNull();
  });

  it('rejects the row (not the file) when invalid UTF-8 appears after the checked prefix', async () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `row${i},ascii only text here`).join(
      '\n',
    );
    const bytes = Buffer.concat([
      Buffer.from(`name,note\n${filler}\n`),
      Buffer.from('Pe\xf1a,late\n', 'latin1'),
      Buffer.from('ok,fine\n'),
    ]);
    const p = writeBytes(dir, 'late-bad.csv', bytes);
    const { header, rows } = await readAll(p);
    expect(header.encoding).toBe('utf-8');
    expect(rows).toHaveLength(3002);
    expect(rows[3000]!.error).toMatch(/not valid utf-8.*save the whole file as UTF-8/);
    expect(rows[3001]!.error).toBeNull();
  });
});

describe('delimiters', () => {
  it.each([
    ['semicolon', 'npi;name;city\n1234567893;"Acme; Inc";Chicago\n', ';'],
    ['tab', 'npi\tname\tcity\n1234567893\tAcme, Inc\tChicago\n', '\t'],
    ['pipe', 'npi|name|city\n1234567893|Acme, Inc|Chicago\n', '|'],
    ['comma', 'npi,name,city\n1234567893,"Acme; Inc",Chicago\n', ','],
  ])('detects %s', async (_label, text, delimiter) => {
    const p = writeBytes(dir, `delim-${_label}.csv`, text);
    const { header, rows } = await readAll(p);
    expect(header.delimiter).toBe(delimiter);
    expect(header.headers).toEqual(['npi', 'name', 'city']);
    expect(rows[0]!.cells).toHaveLength(3);
    expect(rows[0]!.record['npi']).toBe('1234567893');
  });
});

describe('rows', () => {
  it('yields ragged rows with an error instead of aborting, and keeps going', async () => {
    const p = writeBytes(
      dir,
      'ragged.csv',
      'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,,\n"multi\nline",x,y\n13,14,15\n',
    );
    const { rows } = await readAll(p);
    expect(rows.map((r) => [r.rowNumber, r.error === null])).toEqual([
      [2, true],
      [3, false],
      [4, false],
      [5, true], // trailing empty fields are harmless
      [6, true], // quoted value spanning two lines starts on line 6
      [8, true],
    ]);
    expect(rows[1]!.error).toMatch(/2 comma-separated fields but the header has 3/);
    expect(rows[1]!.record).toEqual({ a: '4', b: '5', c: null });
    expect(rows[2]!.error).toMatch(/4 comma-separated fields/);
    expect(rows[2]!.raw).toEqual({ a: '6', b: '7', c: '8', 'column 4': '9' });
    expect(rows[4]!.record['a']).toBe('multi\nline');
  });

  it('skips blank lines and rows of empty fields', async () => {
    const p = writeBytes(dir, 'blanks.csv', '\n\nnpi,name\n\n1,a\n,\n  ,  \n2,b\n');
    const { header, rows } = await readAll(p);
    expect(header.headerLine).toBe(3);
    expect(rows.map((r) => r.rowNumber)).toEqual([5, 8]);
  });

  it('finds the header after more rows of empty fields than the first look covers', async () => {
    // The header is first looked for in 16 records; 40 rows of commas come before it here.
    const p = writeBytes(dir, 'many-blanks.csv', `${',,\n'.repeat(40)}npi,name\n1,a\n`);
    const { header, rows } = await readAll(p);
    expect(header.headerLine).toBe(41);
    expect(header.headers).toEqual(['npi', 'name']);
    expect(rows.map((r) => r.rowNumber)).toEqual([42]);
    const q = writeBytes(dir, 'only-blanks.csv', ',,\n'.repeat(40));
    expect(await formatError(readCsvHeader(q))).toMatch(/no header row/);
  });

  it('names blank headers by position', async () => {
    const p = writeBytes(dir, 'blank-header.csv', 'npi,,name\n1,x,a\n');
    const { rows } = await readAll(p);
    expect(rows[0]!.record).toEqual({ npi: '1', 'column 2': 'x', name: 'a' });
  });

  it('header only: zero rows, no error', async () => {
    const p = writeBytes(dir, 'header-only.csv', 'npi,name\r\n');
    const { header, rows } = await readAll(p);
    expect(header.headers).toEqual(['npi', 'name']);
    expect(rows).toEqual([]);
  });
});

describe('files that are not CSV rosters', () => {
  it('empty file', async () => {
    const p = writeBytes(dir, 'empty.csv', '');
    expect(await formatError(readCsvHeader(p))).toMatch(/empty \(0 bytes\)/);
    const q = writeBytes(dir, 'blank.csv', '\n\r\n  \n');
    expect(await formatError(readCsvHeader(q))).toMatch(/no header row/);
  });

  it('binary file named .csv', async () => {
    const p = writeBytes(dir, 'binary.csv', Buffer.from([0x01, 0x02, 0x00, 0x03, 0x41, 0x42]));
    expect(await formatError(readCsvHeader(p))).toMatch(/^binary\.csv: this is a binary file/);
  });

  it('XLSX (zip) file named .csv', async () => {
    const p = writeBytes(
      dir,
      'book.csv',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
    );
    expect(await formatError(readCsvHeader(p))).toMatch(
      /ZIP archive \(most likely an Excel \.xlsx/,
    );
  });

  it('old .xls named .csv', async () => {
    const p = writeBytes(
      dir,
      'old.csv',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]),
    );
    expect(await formatError(readCsvHeader(p))).toMatch(/old Excel \.xls/);
  });

  it('unbalanced quotes name the line', async () => {
    const p = writeBytes(dir, 'quotes.csv', 'npi,name\n1,ok\n2,"unclosed\n3,more\n');
    const src = await openCsv(p);
    expect(await formatError(collect(src.rows()))).toMatch(
      /unbalanced quotes: a quote \(".*row starting at line 3/,
    );
  });

  it('keeps stray quotes inside a value as text', async () => {
    const p = writeBytes(dir, 'quotes2.csv', 'npi,name\n1,"ok"x\n2,5" pump\n');
    const { rows } = await readAll(p);
    expect(rows.map((r) => r.record['name'])).toEqual(['"ok"x', '5" pump']);
  });
});

describe('limits', () => {
  it('max file bytes', async () => {
    const p = writeBytes(dir, 'big.csv', 'npi,name\n' + '1,abc\n'.repeat(100));
    expect(await formatError(readCsvHeader(p, { maxFileBytes: 100 }))).toMatch(
      /more than the limit of 100 bytes/,
    );
  });

  it('max rows', async () => {
    const p = writeBytes(dir, 'rows.csv', 'npi,name\n' + '1,abc\n'.repeat(11));
    const src = await openCsv(p, { maxRows: 10 });
    expect(await formatError(collect(src.rows()))).toMatch(/more than 10 data rows/);
  });

  it('max field length', async () => {
    const p = writeBytes(dir, 'field.csv', `npi,name\n1,short\n1,${'x'.repeat(5000)}\n`);
    const read = openCsv(p, { maxFieldBytes: 1000 }).then((src) => collect(src.rows()));
    expect(await formatError(read)).toMatch(/line 3 is longer than the limit of 1000 characters/);
  });

  it('streams a large file with bounded memory', async () => {
    const line = '1234567893,Some Pharmacy Name,123 Main St,Chicago,IL,60612\n';
    const p = writeBytes(
      dir,
      'large.csv',
      'npi,name,address,city,state,zip\n' + line.repeat(200_000),
    );
    const src = await openCsv(p);
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = 0;
    for await (const r of src.rows()) {
      if (r.error === null) n++;
      if (n % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(n).toBe(200_000);
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  });
});
