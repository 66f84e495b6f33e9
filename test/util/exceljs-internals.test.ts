/**
 * exceljs's private members that src/util/exceljs-internals.ts uses. An exceljs upgrade that
 * renames, removes or changes one fails here, naming it, before a roster is misread or a large
 * report runs out of memory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { openXlsx } from '../../src/roster/read-xlsx.js';
import { projectRoot } from '../../src/util/paths.js';
import {
  addRowBreak,
  setRowStyle,
  worksheetBacklogBytes,
} from '../../src/util/exceljs-internals.js';
import { readZipEntries } from '../report/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'exceljs-internals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exceljs private API used by src/util/exceljs-internals.ts', () => {
  it('exceljs is the pinned 4.4.0', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['exceljs']).toBe('4.4.0');
    const installed = createRequire(import.meta.url)('exceljs/package.json') as { version: string };
    expect(installed.version).toBe('4.4.0');
  });

  it('WorkbookReader still has the part parsers', () => {
    const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Record<
      string,
      unknown
    >;
    for (const m of ['_parseWorkbook', '_parseSharedStrings', '_parseStyles', '_parseWorksheet']) {
      expect(typeof proto[m], `WorkbookReader.prototype.${m}`).toBe('function');
    }
  });

  it('reads back through the part parsers: shared strings, styles (dates), rows', async () => {
    const path = join(dir, 'read.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('pharmacies');
    ws.addRow(['npi', 'name', 'since']);
    ws.addRow([
      '1234567893',
      { richText: [{ text: 'Lake' }, { text: 'front' }] },
      new Date(Date.UTC(2026, 0, 31)),
    ]);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    await wb.xlsx.writeFile(path);
    const book = await openXlsx(path);
    expect(book.sheets.map((s) => s.header.headers)).toEqual([['npi', 'name', 'since']]);
    const rows = [];
    for await (const r of book.sheets[0]!.rows()) rows.push(r.record);
    expect(rows).toEqual([
      { npi: '1234567893', name: 'Lakefront', since: new Date(Date.UTC(2026, 0, 31)) },
    ]);
  });

  it('the streaming WorksheetWriter exposes its backlog, row breaks and row style', async () => {
    const path = join(dir, 'write.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
    const ws = wb.addWorksheet('findings');
    const style: Partial<ExcelJS.Style> = {};
    let maxBacklog = 0;
    for (let i = 1; i <= 20_000; i++) {
      const row = ws.addRow([i, `finding ${i} `.repeat(4)]);
      setRowStyle(row, style);
      expect((row as unknown as { style: unknown }).style).toBe(style);
      row.commit();
      if (i % 5_000 === 0) expect(addRowBreak(ws, i, 1000)).toBe(i / 5_000);
      maxBacklog = Math.max(maxBacklog, worksheetBacklogBytes(ws));
    }
    // Without the backlog the writer's pacing would silently turn off.
    expect(maxBacklog, 'worksheet.stream.buffers / .pipes').toBeGreaterThan(1024 * 1024);
    expect(addRowBreak(ws, 20_000, 4)).toBe(4); // at the limit: not added
    ws.commit();
    await wb.commit();
    const xml = readZipEntries(path).get('xl/worksheets/sheet1.xml')!;
    const breaks = [...xml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(breaks, 'worksheet.rowBreaks').toEqual([5000, 10000, 15000, 20000]);
  });
});
