/**
 * Pictures placed in a streamed workbook after streaming (src/report/xlsx-pictures.ts) and the
 * Maps sheet of the report: exceljs's reader opens the package and finds every picture where it
 * was anchored; the parts that were not changed are copied byte for byte.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { svgToPng } from '../../src/map/png.js';
import { planMapInputs } from '../../src/map/render.js';
import { addSheetPictures, crc32 } from '../../src/report/xlsx-pictures.js';
import { writeWorkbook } from '../../src/report/write-workbook.js';
import { readZipDirectory } from '../../src/roster/zip.js';
import { buildModel } from './model-builder.js';
import { readBook, sheet, textOf } from './read-back.js';
import { readZipBuffers, readZipEntries } from './zip.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-pictures-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyPng(color: string): Buffer {
  return svgToPng(
    `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="${color}"/></svg>`,
    { width: 40 },
  );
}

/** A small streamed workbook: a sheet with an internal hyperlink (so it has relationships) and one without. */
async function streamedBook(path: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
  const a = wb.addWorksheet('Links & more');
  a.addRow([{ text: 'to B', hyperlink: "#'Pictures'!A1" }]).commit();
  a.commit();
  const b = wb.addWorksheet('Pictures');
  for (let i = 1; i <= 30; i++) b.addRow([`row ${i}`]).commit();
  b.commit();
  await wb.commit();
}

describe('addSheetPictures', () => {
  it('places pictures on a sheet without relationships; other parts copied unchanged', async () => {
    const from = join(dir, 'plain.xlsx');
    const to = join(dir, 'plain-pictures.xlsx');
    await streamedBook(from);
    const red = tinyPng('#ff0000');
    const blue = tinyPng('#0000ff');
    await addSheetPictures({
      from,
      to,
      sheetName: 'Pictures',
      pictures: [
        {
          row: 2,
          col: 0,
          widthPx: 40,
          heightPx: 30,
          name: 'a',
          description: 'red "<box>"',
          png: Promise.resolve(red),
        },
        {
          row: 20,
          col: 1,
          widthPx: 80,
          heightPx: 60,
          name: 'b',
          description: 'blue',
          png: Promise.resolve(blue),
        },
      ],
    });

    const wb = await readBook(to);
    const images = sheet(wb, 'Pictures').getImages();
    expect(images.map((i) => [i.range.tl.nativeRow, i.range.tl.nativeCol])).toEqual([
      [2, 0],
      [20, 1],
    ]);
    const media = (wb.model as unknown as { media: { buffer: Buffer; extension: string }[] }).media;
    expect(media.map((m) => m.extension)).toEqual(['png', 'png']);
    expect(media.map((m) => m.buffer.equals(red) || m.buffer.equals(blue))).toEqual([true, true]);
    expect(sheet(wb, 'Pictures').getCell('A30').value).toBe('row 30');
    expect(sheet(wb, 'Links & more').getImages()).toEqual([]);
    expect(sheet(wb, 'Links & more').getCell('A1').hyperlink).toBe("#'Pictures'!A1");

    const before = readZipEntries(from);
    const after = readZipEntries(to);
    for (const [name, text] of before) {
      const key = name.replace(/^\//, '');
      if (['[Content_Types].xml', 'xl/worksheets/sheet2.xml'].includes(key)) continue;
      expect(after.get(key) ?? after.get(`/${key}`), name).toBe(text);
    }
    const types = after.get('[Content_Types].xml')!;
    expect(types.match(/Extension="png"/g)).toHaveLength(1);
    expect(types).toContain('PartName="/xl/drawings/drawing1.xml"');
    expect(after.get('xl/worksheets/sheet2.xml')).toMatch(/<drawing r:id="rId1"\/><\/worksheet>$/);
    expect(after.get('xl/drawings/drawing1.xml')).toContain('descr="red &quot;&lt;box&gt;&quot;"');
    // The central directory's CRC of every entry is that of its bytes.
    const raw = readZipBuffers(to);
    for (const e of readZipDirectory(to)) {
      expect(raw.has(e.name), e.name).toBe(true);
      expect(crc32(raw.get(e.name)!), e.name).toBe(e.crc32);
    }
  });

  it('adds the drawing to a sheet that has relationships already (its hyperlinks stay)', async () => {
    const from = join(dir, 'links.xlsx');
    const to = join(dir, 'links-pictures.xlsx');
    await streamedBook(from);
    await addSheetPictures({
      from,
      to,
      sheetName: 'Links & more',
      pictures: [
        {
          row: 3,
          col: 2,
          widthPx: 40,
          heightPx: 30,
          name: 'x',
          description: 'x',
          png: Promise.resolve(tinyPng('#00ff00')),
        },
      ],
    });
    const wb = await readBook(to);
    const ws = sheet(wb, 'Links & more');
    expect(ws.getImages()).toHaveLength(1);
    expect(ws.getCell('A1').hyperlink).toBe("#'Pictures'!A1");
    const rels = readZipEntries(to).get('xl/worksheets/_rels/sheet1.xml.rels')!;
    expect(rels.match(/<Relationship /g)).toHaveLength(2);
  });

  it('refuses a sheet the workbook does not have', async () => {
    const from = join(dir, 'none.xlsx');
    await streamedBook(from);
    await expect(
      addSheetPictures({ from, to: join(dir, 'none-out.xlsx'), sheetName: 'Maps', pictures: [] }),
    ).rejects.toThrow(/no sheet Maps/);
  });
});

describe('the report workbook: Maps sheet', () => {
  it('holds one PNG coverage map per plan with a service area, under its caption', async () => {
    const model = buildModel();
    const plans = planMapInputs(model);
    expect(plans.length).toBeGreaterThan(0);
    const out = mkdtempSync(join(dir, 'report-'));
    const path = join(out, 'report.xlsx');
    await writeWorkbook({ model, path });
    expect(readdirSync(out)).toEqual(['report.xlsx']);
    const wb = await readBook(path);
    const ws = sheet(wb, 'Maps');
    const images = ws.getImages();
    expect(images).toHaveLength(plans.length);
    const media = (wb.model as unknown as { media: { buffer: Buffer }[] }).media;
    expect(media).toHaveLength(plans.length);
    for (const m of media) expect(m.buffer.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    for (const [i, image] of images.entries()) {
      const row = ws.getRow(image.range.tl.nativeRow + 1);
      expect(row.height).toBeGreaterThan(300);
      expect(textOf(row.getCell(1))).toBe('');
      // Two rows up: the plan's key and name.
      const title = textOf(ws.getRow(image.range.tl.nativeRow - 1).getCell(1));
      expect(title.startsWith(`${plans[i]!.plan.contractId}-`)).toBe(true);
      const caption = textOf(ws.getRow(image.range.tl.nativeRow).getCell(1));
      expect(caption).toMatch(/in the service area: \d+ uncovered/);
    }
    expect(ws.pageSetup.orientation).toBe('landscape');
  });

  it('says so when no plan has a service area, and has no picture', async () => {
    const model = buildModel({ coverage: { ...buildModel().coverage, cells: [] }, directory: [] });
    expect(planMapInputs(model)).toHaveLength(0);
    const path = join(dir, 'no-maps.xlsx');
    await writeWorkbook({ model, path });
    const wb = await readBook(path);
    expect(sheet(wb, 'Maps').getImages()).toHaveLength(0);
    expect(textOf(sheet(wb, 'Maps').getCell('A2'))).toBe(
      'No plan has a service-area county to map.',
    );
    expect([...readZipEntries(path).keys()].some((n) => n.includes('drawing'))).toBe(false);
  });
});
