/**
 * Floor: an exceljs streaming write (WorkbookWriter, no shared strings, rows committed at once) of
 * a given number of cells: ROWS rows of COLS cells, text and numbers like a findings sheet.
 * Usage: tsx bench/floors/exceljs-write.ts OUT.xlsx ROWS COLS
 */
import ExcelJS from 'exceljs';

const [out, rowsArg, colsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const cols = Number(colsArg);
if (!out || !(rows >= 0) || !(cols >= 1)) throw new Error('usage: exceljs-write.ts OUT ROWS COLS');
const t0 = performance.now();
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
  filename: out,
  useStyles: true,
  useSharedStrings: false,
});
const ws = wb.addWorksheet('Findings');
ws.addRow(Array.from({ length: cols }, (_, c) => `Column ${c + 1}`)).commit();
for (let r = 0; r < rows; r++) {
  const values: (string | number)[] = [];
  for (let c = 0; c < cols; c++) {
    values.push(c % 4 === 3 ? r * 7 + c : `value ${r % 997} of column ${c} in row ${r}`);
  }
  ws.addRow(values).commit();
}
ws.commit();
await wb.commit();
console.log(
  JSON.stringify({ rows, cols, cells: rows * cols, ms: Math.round(performance.now() - t0) }),
);
