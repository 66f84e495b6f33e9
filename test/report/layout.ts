/**
 * What a reader of a written workbook would see cut off: wrapped text taller than its row, text
 * that is not wrapped and wider than its cell (and the empty cells it may overflow into), a
 * column header word wider than its column, a sheet that prints below the minimum scale. Reads
 * the file back (exceljs' reader) and measures with src/report/text-fit.ts.
 */
import ExcelJS from 'exceljs';
import type { TextFont } from '../../src/report/text-fit.js';
import {
  LINE_HEIGHT_PT,
  MIN_PRINT_SCALE,
  columnPx,
  fitsOneLine,
  printLayout,
  rowHeight,
  textWidthPx,
  usablePx,
} from '../../src/report/text-fit.js';

export interface LayoutProblem {
  sheet: string;
  cell: string;
  problem: string;
}

function decode(ref: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`bad ref ${ref}`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

function text(c: ExcelJS.Cell): string | null {
  const v = c.value;
  if (typeof v === 'string') return v === '' ? null : v;
  if (v !== null && typeof v === 'object' && 'text' in v && typeof v.text === 'string') {
    return v.text === '' ? null : v.text;
  }
  return null;
}

function isEmpty(c: ExcelJS.Cell): boolean {
  return c.value === null || c.value === undefined || c.value === '';
}

/** Every problem of every sheet of the workbook. */
export function layoutProblems(wb: ExcelJS.Workbook): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  for (const ws of wb.worksheets) {
    const columns = ws.columnCount;
    const widths: number[] = [];
    for (let c = 1; c <= Math.max(columns, 1); c++) widths.push(ws.getColumn(c).width ?? 9);
    const { scale } = printLayout(widths);
    const fit = ws.pageSetup;
    if (fit.fitToWidth !== 1 || fit.fitToHeight !== 0) {
      problems.push({ sheet: ws.name, cell: '-', problem: 'not fitted one page wide' });
    }
    if (scale < MIN_PRINT_SCALE) {
      problems.push({
        sheet: ws.name,
        cell: '-',
        problem: `prints at ${Math.round(scale * 100)} %`,
      });
    }
    // Merged ranges by their top-left cell; cells covered by a merge.
    const spans = new Map<string, number[]>();
    const covered = new Set<string>();
    for (const range of (ws.model as { merges?: string[] }).merges ?? []) {
      const [from, to] = range.split(':') as [string, string];
      const a = decode(from);
      const b = decode(to);
      spans.set(`${a.row}:${a.col}`, widths.slice(a.col - 1, b.col));
      for (let r = a.row; r <= b.row; r++) {
        for (let c = a.col; c <= b.col; c++)
          if (r !== a.row || c !== a.col) covered.add(`${r}:${c}`);
      }
    }
    ws.eachRow((row, r) => {
      const height = row.height ?? LINE_HEIGHT_PT;
      row.eachCell((cell, c) => {
        const t = text(cell);
        if (t === null || covered.has(`${r}:${c}`)) return;
        const span = spans.get(`${r}:${c}`) ?? [widths[c - 1] ?? 9];
        const font: TextFont = { bold: cell.font?.bold === true, size: cell.font?.size ?? 11 };
        const px = usablePx(span);
        const where = { sheet: ws.name, cell: cell.address };
        if (cell.alignment?.wrapText) {
          const need = rowHeight(t, px, font);
          if (need > height + 0.01) {
            problems.push({
              ...where,
              problem: `row ${height} pt, text needs ${need} pt: "${t.slice(0, 40)}"`,
            });
          }
          // A header's words are never broken: each must fit its column.
          if (cell.border?.bottom && cell.font?.bold) {
            for (const word of t.split(/\s+/)) {
              if (textWidthPx(word, font) > px) {
                problems.push({ ...where, problem: `header word "${word}" wider than its column` });
              }
            }
          }
          return;
        }
        if (fitsOneLine(t, px, font)) return;
        // Left-aligned text overflows into empty cells to its right (not out of a merge).
        let room = px;
        if (cell.alignment?.horizontal !== 'right' && !spans.has(`${r}:${c}`)) {
          for (let j = c + 1; j <= Math.max(columns, c + 1) + 20; j++) {
            const next = row.getCell(j);
            if (!isEmpty(next) || covered.has(`${r}:${j}`) || spans.has(`${r}:${j}`)) break;
            room += columnPx(widths[j - 1] ?? 9);
          }
        }
        if (!fitsOneLine(t, room, font)) {
          problems.push({ ...where, problem: `cut: "${t.slice(0, 60)}"` });
        }
      });
    });
  }
  return problems;
}
