/**
 * `infusion-audit template --out FILE.xlsx`: an empty roster workbook, one sheet per kind, with
 * the canonical headers (required ones marked), a note on each header giving the format, and
 * drop-down lists for enumerated columns (their `choices`, src/roster/kinds/), so pharmacies and
 * PBPs can fill it in and send it back.
 */
import ExcelJS from 'exceljs';
import type { RosterKind } from '../domain/types.js';
import { COLUMNS, type ColumnSpecs } from './kinds/index.js';

const TEMPLATE_KINDS: RosterKind[] = [
  'pharmacies',
  'plans',
  'service_areas',
  'network',
  'capabilities',
  'assurances',
  'coverage_requests',
  'exceptions',
  'enrollment',
];

const ROWS_WITH_LISTS = 2000;

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26))
    s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export async function writeRosterTemplate(options: {
  path: string;
  catalogCodes: readonly string[];
}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'infusion-audit';
  wb.title = 'Home infusion roster template';
  const readme = wb.addWorksheet('README');
  readme.getColumn(1).width = 110;
  const lines = [
    'Home infusion network roster template (infusion-audit)',
    '',
    'Fill in one sheet per kind; keep the sheet names and the header row. Columns whose header ends with * are required.',
    'Hover over a header to see the value format. Lists (counties served, taxonomy codes, services) are separated by |.',
    'Dates: YYYY-MM-DD (or real Excel dates). Yes/no columns: Y or N. NPIs: 10 digits, with a valid check digit.',
    'Delete sheets you do not use. Send the workbook back as .xlsx; every row is checked and problems are reported by sheet, row and column.',
    'This README sheet is passed over when the workbook is imported.',
  ];
  lines.forEach((l, i) => (readme.getCell(i + 1, 1).value = l));
  readme.getRow(1).font = { bold: true, size: 14 };

  for (const kind of TEMPLATE_KINDS) {
    const ws = wb.addWorksheet(kind, { views: [{ state: 'frozen', ySplit: 1 }] });
    const specs: ColumnSpecs = COLUMNS[kind];
    Object.entries(specs).forEach(([name, spec], i) => {
      const col = i + 1;
      const cell = ws.getCell(1, col);
      cell.value = spec.required ? `${name}*` : name;
      cell.font = { bold: true, color: { argb: spec.required ? 'FF9C0006' : 'FF000000' } };
      cell.fill = {
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: spec.required ? 'FFFFE0E0' : 'FFEFEFEF' },
      };
      cell.note = `${spec.required ? 'Required. ' : 'Optional. '}${spec.format}${
        spec.aliases.length
          ? `\nAlso accepted as header: ${spec.aliases.slice(0, 6).join(', ')}`
          : ''
      }`;
      ws.getColumn(col).width = Math.max(14, name.length + 4);
      const textColumn = /npi|fips|zip|phone|ncpdp|pbp|segment|contract|counties|_id$/.test(name);
      if (textColumn) ws.getColumn(col).numFmt = '@';
      // Excel limits a list to 255 characters.
      const values = spec.choices === 'catalog' ? options.catalogCodes : spec.choices;
      if (values) {
        const letter = columnLetter(col);
        for (let r = 2; r <= ROWS_WITH_LISTS; r++) {
          ws.getCell(`${letter}${r}`).dataValidation = {
            type: 'list',
            allowBlank: !spec.required,
            formulae: [`"${values.join(',')}"`],
            showErrorMessage: true,
            errorTitle: name,
            error: `Choose one of: ${values.join(', ')}`,
          };
        }
      }
    });
  }
  await wb.xlsx.writeFile(options.path);
}
