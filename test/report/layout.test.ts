/**
 * The workbook as a reader sees it: every sheet's rows are read back and measured. Each wrapped
 * cell's row is tall enough for its text at its column width, no title or label is cut, no
 * header word is wider than its column, and every sheet prints one page wide at 60 % or more.
 * Checked on the fixture model, on a model of very long texts, and on the demo run (the CLI).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../src/report/write-workbook.js';
import { rowHeight, usablePx, wrappedLines } from '../../src/report/text-fit.js';
import { DEMO_AS_OF, runDemo } from '../helpers/report-files.js';
import { layoutProblems } from './layout.js';
import { buildModel, finding } from './model-builder.js';
import { readBook, rowWithA, sheet } from './read-back.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-layout-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('text-fit', () => {
  it('wraps word by word and sizes rows from the lines', () => {
    const px = usablePx([20]);
    expect(wrappedLines('short', px)).toBe(1);
    expect(wrappedLines('one two three four five six seven eight nine ten', px)).toBeGreaterThan(1);
    expect(wrappedLines('a\nb\nc', px)).toBe(3);
    expect(rowHeight('a\nb', px)).toBe(30);
    expect(rowHeight('x', px, { size: 14, bold: true })).toBeGreaterThan(15);
  });
});

describe('workbook layout', () => {
  it('fixture model: rows tall enough, nothing cut, every sheet legible in print', async () => {
    const path = join(dir, 'fixture.xlsx');
    await writeWorkbook({ model: buildModel(), path });
    expect(layoutProblems(await readBook(path))).toEqual([]);
  });

  it('long texts: rows grow with the text, labels stay whole', async () => {
    const base = buildModel();
    const long = 'The pharmacy does not serve this county and no assurance covers it. '.repeat(12);
    const model = {
      ...base,
      run: { ...base.run, sponsorName: `${base.run.sponsorName} ${'Regional '.repeat(20)}` },
      findings: [
        finding('HI-ACUTE', 'critical', { message: long, remediation: long }),
        ...base.findings,
      ],
    };
    const path = join(dir, 'long.xlsx');
    await writeWorkbook({ model, path });
    const wb = await readBook(path);
    expect(layoutProblems(wb)).toEqual([]);
    const row = sheet(wb, 'Findings').getRow(2);
    expect(row.height).toBeGreaterThan(15 * 10);
    // A title longer than the sheet is wide wraps in its merged cell.
    expect(sheet(wb, 'Summary').getRow(1).height).toBeGreaterThan(19);
    expect(rowWithA(sheet(wb, 'Summary'), 'Overall verdict')).toBeDefined();
  });

  it('the demo run: rows tall enough, nothing cut, every sheet legible in print', async () => {
    const out = join(dir, 'demo');
    await runDemo(out, `file:${join(dir, 'demo.db')}`);
    const dated = join(out, DEMO_AS_OF);
    const xlsx = readdirSync(dated).find((f) => f.endsWith('.xlsx'))!;
    expect(layoutProblems(await readBook(join(dated, xlsx)))).toEqual([]);
  }, 120_000);
});
