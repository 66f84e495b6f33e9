/** Reading a rendered workbook back with exceljs, for the tests. */
import ExcelJS from 'exceljs';

export async function readBook(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

export function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Every non-merge cell of a sheet with a value. */
export function cells(ws: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const out: ExcelJS.Cell[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (c) => {
      if (c.type !== ExcelJS.ValueType.Merge) out.push(c);
    });
  });
  return out;
}

/** The first row whose column A text equals `text`. */
export function rowWithA(ws: ExcelJS.Worksheet, text: string): ExcelJS.Row | undefined {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!found && textOf(row.getCell(1)) === text) found = row;
  });
  return found;
}

export function textOf(c: ExcelJS.Cell): string {
  const v = c.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  return c.text;
}

export function fillOf(c: ExcelJS.Cell): string | undefined {
  const f = c.fill;
  if (f?.type !== 'pattern') return undefined;
  return f.fgColor?.argb;
}

/** Cell values of all sheets as plain JSON-able data, for reproducibility checks. */
export function snapshot(wb: ExcelJS.Workbook): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  for (const ws of wb.worksheets) {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const vals: unknown[] = [n];
      row.eachCell({ includeEmpty: true }, (c) => {
        const v = c.value;
        vals.push(
          v instanceof Date ? `D:${v.toISOString()}` : (v ?? null),
          c.numFmt ?? null,
          fillOf(c) ?? null,
        );
      });
      rows.push(vals);
    });
    out[ws.name] = rows;
  }
  return out;
}
