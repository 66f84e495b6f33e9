import ExcelJS from 'exceljs';
import { readdirSync } from 'node:fs';
import { openXlsx } from '../src/roster/read-xlsx.js';
const wb = new ExcelJS.Workbook();
const a = wb.addWorksheet('Pharmacies');
a.addRow(['NPI', 'Name', 'When', 'Calc']);
for (let i = 0; i < 3000; i++) a.addRow([1234567893, 'x' + i, new Date(Date.UTC(2026, 0, 5)), { formula: 'A2*2', result: 42 }]);
const h = wb.addWorksheet('Secret', { state: 'hidden' });
h.addRow(['a']);
wb.addWorksheet('Empty');
const n = wb.addWorksheet('network');
n.addRow(['contract_id', 'npi']);
n.addRow(['S1234', { richText: [{ text: '12345' }, { text: '67893' }] }]);
n.getCell('C2').value = { formula: 'TODAY()', result: 46000 } ; n.getCell('C2').numFmt = 'yyyy-mm-dd';
await wb.xlsx.writeFile('.scratch/t.xlsx');
const fds = () => readdirSync('/proc/self/fd').length;
console.log('fds', fds());
const o = await openXlsx('.scratch/t.xlsx');
console.log(o.skipped, o.sheets.map((s) => s.header));
for (const s of o.sheets) { let k = 0; for await (const r of s.rows()) { if (k++ < 2) console.log(r); } console.log(s.header.sheet, k); }
for (const s of o.sheets) { for await (const r of s.rows()) { void r; break; } }
await new Promise((r) => setTimeout(r, 200));
console.log('fds', fds());
