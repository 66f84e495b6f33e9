import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../src/report/write-workbook.js';
import { bigModel } from './model-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'report-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scale', () => {
  it('renders 100,000 findings', async () => {
    const model = bigModel(100_000);
    const path = join(dir, 'big.xlsx');
    await writeWorkbook({ model, path });
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'ignore',
      styles: 'ignore',
      hyperlinks: 'ignore',
    });
    const rowsBySheet = new Map<string, number>();
    let index = 0;
    const names = [
      'Summary',
      'Findings',
      'Coverage',
      'Distance',
      'Maps',
      'HI Pharmacy Directory',
      'Ancillary Assurances',
      'Coverage Requests',
      'Changes',
    ];
    for await (const ws of reader) {
      let n = 0;
      for await (const row of ws) {
        if (row.hasValues) n++;
      }
      rowsBySheet.set(names[index] ?? `sheet${index}`, n);
      index++;
    }
    expect(rowsBySheet.get('Findings')).toBe(100_001);
    // Changes: title, counts, header, plus every finding and the resolved one.
    expect(rowsBySheet.get('Changes')).toBe(3 + 100_000 + 1);
  });
});
