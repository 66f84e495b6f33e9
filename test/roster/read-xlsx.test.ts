import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import { inspectXlsx, openXlsx } from '../../src/roster/read-xlsx.js';
import { parseDate } from '../../src/roster/validate.js';
import { collect, storedZip, tempDir, writeBytes } from './helpers.js';

const dir = tempDir();
const book = join(dir, 'roster.xlsx');

async function formatError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a RosterFormatError');
}

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const ph = wb.addWorksheet('Pharmacies');
  ph.addRow(['NPI', 'Name', 'ZIP', 'Effective', 'Twice', 'Label', 'Region']);
  ph.addRow([
    1234567893, // number cell
    { richText: [{ text: 'Lakefront ', font: { bold: true } }, { text: 'Home Infusion' }] },
    2134, // ZIP that lost its leading zero
    new Date(Date.UTC(2026, 0, 31)),
    { formula: 'C2*2', result: 4268 },
    { formula: 'B2&"!"', result: 'Lakefront Home Infusion!' },
    'North',
  ]);
  ph.addRow([
    '1618101111',
    'Second',
    '60612',
    '2026-02-01',
    { formula: 'D3', result: 46054 },
    'x',
    '',
  ]);
  ph.getCell('E3').numFmt = 'yyyy-mm-dd'; // a formula whose result is a date
  ph.getCell('D2').numFmt = 'mm/dd/yyyy';
  ph.addRow([]); // blank row: skipped
  ph.addRow(['1664330127', 'Third', { error: '#N/A' }, '', '', '', '']);
  ph.mergeCells('G2:G3'); // merged: the value sits in G2 only
  const hidden = wb.addWorksheet('Old network', { state: 'hidden' });
  hidden.addRow(['contract_id']);
  hidden.addRow(['S1234']);
  wb.addWorksheet('Notes'); // empty
  const nw = wb.addWorksheet('network');
  nw.addRow([]);
  nw.addRow(['contract_id', 'pbp_id', 'npi']); // header on row 2
  nw.addRow(['S4802', '001', '1234567893']);
  await wb.xlsx.writeFile(book);
});

describe('openXlsx', () => {
  it('lists visible non-empty sheets and reports hidden and empty ones', async () => {
    const wb = await openXlsx(book);
    expect(wb.sheets.map((s) => s.header)).toEqual([
      {
        sheet: 'Pharmacies',
        headers: ['NPI', 'Name', 'ZIP', 'Effective', 'Twice', 'Label', 'Region'],
        headerRow: 1,
      },
      { sheet: 'network', headers: ['contract_id', 'pbp_id', 'npi'], headerRow: 2 },
    ]);
    expect(wb.skipped).toEqual([
      { sheet: 'Old network', reason: 'sheet is hidden; not read' },
      { sheet: 'Notes', reason: 'sheet is empty; not read' },
    ]);
    expect(wb.info.sheets.map((s) => s.state)).toEqual(['visible', 'hidden', 'visible', 'visible']);
  });

  it('reads values: numbers, rich text, dates, cached formula results, merged cells', async () => {
    const wb = await openXlsx(book);
    const rows = await collect(wb.sheets[0]!.rows());
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3, 5]);
    const [r2, r3, r5] = rows;
    expect(r2!.record).toEqual({
      NPI: 1234567893,
      Name: 'Lakefront Home Infusion',
      ZIP: 2134,
      Effective: new Date(Date.UTC(2026, 0, 31)),
      Twice: 4268,
      Label: 'Lakefront Home Infusion!',
      Region: 'North',
    });
    expect(r2!.raw['NPI']).toBe('1234567893');
    expect(r2!.error).toBeNull();
    const d = parseDate(r2!.record['Effective']);
    expect(d.ok && d.value).toBe('2026-01-31');
    // Formula result formatted as a date becomes a Date; merged cell G3 is blank.
    expect(r3!.record['Twice']).toEqual(new Date(Date.UTC(2026, 1, 1)));
    expect(r3!.record['Region']).toBeNull();
    // An Excel error value rejects the row with the cell named.
    expect(r5!.error).toMatch(/cell C5 \(ZIP\): the cell shows the Excel error #N\/A/);
  });

  it('reads a sheet whose header is not on the first row', async () => {
    const wb = await openXlsx(book);
    const rows = await collect(wb.sheets[1]!.rows());
    expect(rows).toEqual([
      {
        rowNumber: 3,
        record: { contract_id: 'S4802', pbp_id: '001', npi: '1234567893' },
        cells: ['S4802', '001', '1234567893'],
        raw: { contract_id: 'S4802', pbp_id: '001', npi: '1234567893' },
        error: null,
      },
    ]);
  });

  it('rows() can be read again and sheets in any order', async () => {
    const wb = await openXlsx(book);
    expect(await collect(wb.sheets[1]!.rows())).toHaveLength(1);
    expect(await collect(wb.sheets[0]!.rows())).toHaveLength(3);
    expect(await collect(wb.sheets[0]!.rows())).toHaveLength(3);
  });

  it('flags a formula without a saved result', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('plans');
    ws.addRow(['contract_id', 'plan_name']);
    ws.addRow(['S4802', { formula: 'A2&"x"' }]);
    const p = join(dir, 'noresult.xlsx');
    await wb.xlsx.writeFile(p);
    const rows = await collect((await openXlsx(p)).sheets[0]!.rows());
    expect(rows[0]!.error).toMatch(/formula without a saved result/);
  });

  it('enforces the row limit per sheet', async () => {
    const err = formatError(
      openXlsx(book, { maxRows: 2 }).then((wb) => collect(wb.sheets[0]!.rows())),
    );
    expect(await err).toMatch(/more than 2 data rows/);
  });
});

describe('robustness', () => {
  it('reads the same workbook many times without losing a part', async () => {
    // exceljs's own unzipping lost the last ZIP entry about once in ten reads.
    for (let i = 0; i < 40; i++) {
      const wb = await openXlsx(book);
      expect(wb.sheets).toHaveLength(2);
      expect(await collect(wb.sheets[1]!.rows())).toHaveLength(1);
    }
  });

  it('keeps multi-byte characters intact across stream chunks', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('pharmacies');
    ws.addRow(['npi', 'name']);
    for (let i = 0; i < 20_000; i++) ws.addRow([String(i), `Farmacia Peña ${i} – Señora María`]);
    const p = join(dir, 'unicode.xlsx');
    await wb.xlsx.writeFile(p);
    const rows = await collect((await openXlsx(p)).sheets[0]!.rows());
    expect(rows).toHaveLength(20_000);
    const bad = rows.filter((r, i) => r.record['name'] !== `Farmacia Peña ${i} – Señora María`);
    expect(bad).toEqual([]);
  });

  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const minimal = {
    'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets><sheet name="plans" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RNS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>contract_id</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>S4802</t></is></c></row></sheetData></worksheet>`,
  };

  it('reads a minimal workbook (inline strings, no shared strings or styles)', async () => {
    const p = writeBytes(dir, 'minimal.xlsx', storedZip(minimal));
    const wb = await openXlsx(p);
    expect(wb.sheets.map((s) => s.header.headers)).toEqual([['contract_id']]);
    expect((await collect(wb.sheets[0]!.rows()))[0]!.record).toEqual({ contract_id: 'S4802' });
  });

  it('refuses a part that expands beyond the size its ZIP directory declares', async () => {
    const p = writeBytes(dir, 'liar.xlsx', storedZip(minimal, { 'xl/worksheets/sheet1.xml': 20 }));
    expect(await formatError(openXlsx(p))).toMatch(/expands to more than its declared 20 bytes/);
  });
});

describe('rows and cells without a position (no r attribute)', () => {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const book = (sheetData: string, shared: string[] = []): Record<string, string> => ({
    'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets><sheet name="pharmacies" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RNS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/sharedStrings.xml': `<sst xmlns="${NS}" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData>${sheetData}</sheetData></worksheet>`,
  });
  const inline = (t: string, attrs = ''): string =>
    `<c${attrs} t="inlineStr"><is><t>${t}</t></is></c>`;

  it('places them at the next column and the next row, as OOXML says', async () => {
    const sheet =
      `<row>${inline('npi')}${inline('name')}${inline('zip')}</row>` +
      `<row><c><v>1234567893</v></c><c t="s"><v>0</v></c>${inline('60612')}</row>` +
      `<row r="5">${inline('Only B', ' r="B5"')}${inline('after B')}</row>` +
      `<row/>` +
      `<row spans="1:3">${inline('1618101111')}</row>`;
    const p = writeBytes(dir, 'no-r.xlsx', storedZip(book(sheet, ['Lakefront'])));
    const wb = await openXlsx(p);
    expect(wb.sheets.map((s) => s.header)).toEqual([
      { sheet: 'pharmacies', headers: ['npi', 'name', 'zip'], headerRow: 1 },
    ]);
    const rows = await collect(wb.sheets[0]!.rows());
    expect(rows.map((r) => [r.rowNumber, r.record, r.error])).toEqual([
      [2, { npi: 1234567893, name: 'Lakefront', zip: '60612' }, null],
      [5, { npi: null, name: 'Only B', zip: 'after B' }, null],
      [7, { npi: '1618101111', name: null, zip: null }, null],
    ]);
  });

  it('keeps counting across stream chunks, after rows that had their r', async () => {
    const n = 30_000;
    const parts = [`<row r="1">${inline('npi', ' r="A1"')}${inline('name', ' r="B1"')}</row>`];
    for (let i = 2; i <= n; i++) {
      // The first half says where each row and cell is, the second half does not.
      parts.push(
        i <= n / 2
          ? `<row r="${i}"><c r="A${i}"><v>${i}</v></c>${inline(`name ${i}`, ` r="B${i}"`)}</row>`
          : `<row><c><v>${i}</v></c>${inline(`name ${i}`)}</row>`,
      );
    }
    const p = writeBytes(dir, 'no-r-big.xlsx', storedZip(book(parts.join(''))));
    const rows = await collect((await openXlsx(p)).sheets[0]!.rows());
    expect(rows).toHaveLength(n - 1);
    const wrong = rows.filter(
      (r) =>
        r.record['npi'] !== r.rowNumber || r.record['name'] !== `name ${r.rowNumber}` || r.error,
    );
    expect(wrong).toEqual([]);
  });

  it('a row number that is not a number, followed by rows without one: refused, naming the sheet', async () => {
    const sheet = `<row>${inline('npi')}</row><row r="x">${inline('1')}</row><row>${inline('2')}</row>`;
    const p = writeBytes(dir, 'bad-r.xlsx', storedZip(book(sheet)));
    expect(await formatError(openXlsx(p).then((wb) => collect(wb.sheets[0]!.rows())))).toMatch(
      /^bad-r\.xlsx: sheet "pharmacies": a cell without a position \(no r attribute\) follows a row whose position is not valid/,
    );
  });
});

describe('files that are not XLSX workbooks', () => {
  it('a text file named .xlsx', async () => {
    const p = writeBytes(dir, 'text.xlsx', 'npi,name\n1,a\n');
    expect(await formatError(openXlsx(p))).toMatch(
      /not an Excel \.xlsx workbook.*rename it to \.csv/,
    );
  });

  it('a ZIP that is not a workbook', async () => {
    const p = writeBytes(dir, 'archive.xlsx', storedZip({ 'readme.txt': 'hello' }));
    expect(await formatError(openXlsx(p))).toMatch(
      /not an Excel workbook \(no xl\/workbook\.xml\)/,
    );
  });

  it('a truncated ZIP', async () => {
    const p = writeBytes(
      dir,
      'truncated.xlsx',
      storedZip({ 'xl/workbook.xml': '<workbook/>' }).subarray(0, 40),
    );
    expect(await formatError(openXlsx(p))).toMatch(/damaged or truncated/);
  });

  it('an empty file', async () => {
    const p = writeBytes(dir, 'empty.xlsx', '');
    expect(await formatError(openXlsx(p))).toMatch(/empty/);
  });

  it('an old .xls workbook named .xlsx', async () => {
    const p = writeBytes(
      dir,
      'old.xlsx',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    );
    expect(await formatError(openXlsx(p))).toMatch(/old Excel \.xls workbook/);
  });

  it('zip-bomb guard: total uncompressed size over the limit, checked before streaming', async () => {
    const info = await inspectXlsx(book);
    expect(info.uncompressedBytes).toBeGreaterThan(1000);
    expect(await formatError(inspectXlsx(book, { maxUncompressedBytes: 1000 }))).toMatch(
      /expands to \d+ bytes when unzipped, more than the limit of 1000 bytes/,
    );
    // A highly compressible entry declared in the central directory is caught without inflating it.
    const bomb = storedZip({
      'xl/workbook.xml': '<workbook/>',
      'xl/worksheets/sheet1.xml': 'x'.repeat(50_000),
    });
    const p = writeBytes(dir, 'bomb.xlsx', bomb);
    expect(await formatError(inspectXlsx(p, { maxUncompressedBytes: 10_000 }))).toMatch(
      /expands to/,
    );
  });
});
