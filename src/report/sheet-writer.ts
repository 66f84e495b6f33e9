/**
 * What every sheet of the workbook is written with: the typed streaming Sheet, its styles, column
 * fitting and the shared cell helpers. One file per sheet lives in src/report/sheets/.
 */
import { addRowBreak, setRowStyle, worksheetBacklogBytes } from '../util/exceljs-internals.js';
import ExcelJS from 'exceljs';
import {
  type DrugClass,
  type Plan,
  type PlanKey,
  type Severity,
  planKeyString,
} from '../domain/types.js';
import {
  type TextFont,
  LINE_HEIGHT_PT,
  PRINTABLE_PX,
  columnPx,
  fitsOneLine,
  lineHeight,
  printLayout,
  rowHeight,
  textWidthPx,
  usablePx,
} from './text-fit.js';
import { safeText } from './format.js';
import type { ReportModel } from './model.js';
import { SEVERITY_LABELS } from './summary.js';

/** Sheet names, in workbook order. */
export const SHEET_NAMES = {
  summary: 'Summary',
  findings: 'Findings',
  coverage: 'Coverage',
  distance: 'Distance',
  maps: 'Maps',
  directory: 'HI Pharmacy Directory',
  assurances: 'Ancillary Assurances',
  requests: 'Coverage Requests',
  changes: 'Changes',
  lineage: 'Data Lineage',
  rejectedRows: 'Rejected Rows',
  methodology: 'Methodology',
  exceptions: 'Exceptions',
  expiring: 'Expiring Evidence',
  keyPharmacies: 'Key Pharmacies',
  recruitment: 'Recruitment',
  retailAccess: 'Retail access',
} as const;

/** Fill colours (ARGB) used by the workbook; exported for tests and other renderings. */
export const FILLS = {
  critical: 'FFC00000',
  major: 'FFF4B084',
  minor: 'FFFFE699',
  info: 'FFDDEBF7',
  red: 'FFFFC7CE',
  amber: 'FFFFEB9C',
  green: 'FFC6EFCE',
  grey: 'FFEDEDED',
  header: 'FFD9E1F2',
} as const;
export type Tone = keyof typeof FILLS | 'none';

export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * `miles`: a distance to the hundredth of a mile, as HI-DISTANCE compares it. `center`: a short
 * code or id, centred so that it never reads as one with a right-aligned neighbour.
 */
export type Kind =
  'text' | 'wrap' | 'center' | 'date' | 'datetime' | 'int' | 'decimal' | 'miles' | 'percent';
type FontKind = 'normal' | 'bold' | 'header' | 'title' | 'section' | 'inverse' | 'link';
type Primitive = string | number | boolean | Date | null | undefined;

/** An internal hyperlink target (`#'Sheet'!A1`); only `internalLink` makes one. */
type InternalLink = string & { readonly __internalLink: unique symbol };

export function internalLink(sheet: string, cell: string): InternalLink {
  if (!/^[A-Z]{1,3}[1-9]\d*$/.test(cell)) throw new Error(`bad cell reference ${cell}`);
  return `#'${sheet.replace(/'/g, "''")}'!${cell}` as InternalLink;
}

export interface CellSpec {
  value: Primitive;
  kind?: Kind;
  tone?: Tone;
  font?: FontKind;
  goTo?: InternalLink;
}
export type CellInput = Primitive | CellSpec;

export interface ColumnSpec {
  width: number;
  kind: Kind;
}

const THIN_BOTTOM: Partial<ExcelJS.Borders> = {
  bottom: { style: 'thin', color: { argb: 'FF8EA9DB' } },
};

/** Style objects are cached and shared: exceljs maps a reused style object to its id directly. */
export class StyleBook {
  private readonly cache = new Map<string, Partial<ExcelJS.Style>>();

  get(kind: Kind, tone: Tone, font: FontKind): Partial<ExcelJS.Style> {
    const key = `${kind}|${tone}|${font}`;
    let style = this.cache.get(key);
    if (style) return style;
    style = {};
    switch (kind) {
      case 'date':
        style.numFmt = DATE_FORMAT;
        break;
      case 'datetime':
        style.numFmt = DATETIME_FORMAT;
        break;
      case 'int':
        style.numFmt = '#,##0';
        break;
      case 'decimal':
        style.numFmt = '#,##0.0';
        break;
      case 'miles':
        style.numFmt = '#,##0.00';
        break;
      case 'percent':
        style.numFmt = '0.0%';
        break;
      default:
        break;
    }
    style.alignment = {
      vertical: 'top',
      wrapText: kind === 'wrap' || font === 'header',
      ...(kind === 'int' || kind === 'decimal' || kind === 'miles' || kind === 'percent'
        ? { horizontal: 'right' as const }
        : kind === 'center'
          ? { horizontal: 'center' as const }
          : {}),
    };
    const fill = font === 'header' && tone === 'none' ? 'header' : tone;
    if (fill !== 'none') {
      style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS[fill] } };
    }
    // Every font names Calibri 11 (what text-fit measures; LibreOffice substitutes Carlito, the
    // same metrics): a font without a name is shown in the reader's default font.
    const base = { name: 'Calibri', family: 2, size: 11 };
    switch (font) {
      case 'bold':
        style.font = { ...base, bold: true };
        break;
      case 'header':
        style.font = { ...base, bold: true };
        style.border = THIN_BOTTOM;
        break;
      case 'title':
        style.font = { ...base, bold: true, size: 14 };
        break;
      case 'section':
        style.font = { ...base, bold: true, size: 12, color: { argb: 'FF1F3864' } };
        break;
      case 'inverse':
        style.font = { ...base, bold: true, color: { argb: 'FFFFFFFF' } };
        break;
      case 'link':
        style.font = { ...base, underline: true, color: { argb: 'FF0563C1' } };
        break;
      default:
        style.font = base;
        break;
    }
    this.cache.set(key, style);
    return style;
  }
}

function isSpec(c: CellInput): c is CellSpec {
  return typeof c === 'object' && c !== null && !(c instanceof Date);
}

/** A cell value exceljs can only write as a string, number or date: never a formula. */
function cellValue(v: Primitive, link: InternalLink | undefined): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const text = safeText(v);
  if (link !== undefined && text !== '') return { text, hyperlink: link };
  return text;
}

const NUMERIC_KINDS: ReadonlySet<Kind> = new Set<Kind>(['int', 'decimal', 'miles', 'percent']);
/** exceljs' width of a column without one. */
const DEFAULT_COLUMN_WIDTH = 9;
/** The text metrics of each font kind the StyleBook makes. */
const FONT_METRICS: Record<FontKind, TextFont> = {
  normal: {},
  link: {},
  bold: { bold: true },
  header: { bold: true },
  inverse: { bold: true },
  title: { bold: true, size: 14 },
  section: { bold: true, size: 12 },
};

/** The text a written cell value shows, or null for an empty or non-text cell. */
function textOfValue(v: ExcelJS.CellValue): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (v !== null && typeof v === 'object' && 'text' in v && typeof v.text === 'string') {
    return v.text === '' ? null : v.text;
  }
  return null;
}

function isEmptyValue(v: ExcelJS.CellValue | undefined): boolean {
  return v === null || v === undefined || v === '';
}

/** Manual page breaks a sheet may hold (Excel's limit is 1,026). */
const MAX_PAGE_BREAKS = 1000;

/** Rows written between two checks of the zip's backlog (Sheet.pace). */
const PACE_ROWS = 200;
/** Sheet XML handed to the zip and not yet compressed above which writing waits (bytes). */
const MAX_BACKLOG = 4 * 1024 * 1024;

/**
 * The row-level style exceljs keeps per row: one shared empty object, so its style id is looked
 * up once (exceljs caches style ids by object) instead of serialised for every row.
 */
const ROW_STYLE: Partial<ExcelJS.Style> = {};

/** One worksheet of the streaming workbook, with typed columns and committed rows. */
export class Sheet {
  private rowNumber = 0;
  private sincePace = 0;
  /** Per row font and tone (`font|tone`), the style of each column's plain cells. */
  private readonly plain = new Map<string, Partial<ExcelJS.Style>[]>();

  /** Pixels for text in each column's cells. */
  private readonly cellPx: number[];

  constructor(
    readonly ws: ExcelJS.Worksheet,
    private readonly styles: StyleBook,
    private readonly columns: ColumnSpec[],
  ) {
    ws.columns = columns.map((c) => ({ width: c.width }));
    this.cellPx = columns.map((c) => usablePx([c.width]));
  }

  get lastRow(): number {
    return this.rowNumber;
  }

  private plainStyles(font: FontKind, tone: Tone): Partial<ExcelJS.Style>[] {
    const key = `${font}|${tone}`;
    let list = this.plain.get(key);
    if (!list) {
      list = [];
      this.plain.set(key, list);
    }
    return list;
  }

  /**
   * Writes and commits one row; returns its number. Its height is set from the wrapped text's
   * lines at its cells' widths (`fitRow`); a title or section row alone in its row spans the
   * sheet's columns, left-aligned.
   */
  add(
    cells: CellInput[],
    opts: { font?: FontKind; tone?: Tone; merge?: [number, number] } = {},
  ): number {
    const n = cells.length;
    const rowFont = opts.font ?? 'normal';
    const rowTone = opts.tone ?? 'none';
    const plain = this.plainStyles(rowFont, rowTone);
    const values: ExcelJS.CellValue[] = new Array<ExcelJS.CellValue>(n);
    const styles: Partial<ExcelJS.Style>[] = new Array<Partial<ExcelJS.Style>>(n);
    const fonts: FontKind[] = new Array<FontKind>(n);
    const kinds: Kind[] = new Array<Kind>(n);
    const tones: Tone[] = new Array<Tone>(n);
    let merge = opts.merge;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      if (isSpec(c)) {
        values[i] = cellValue(c.value, c.goTo);
        const font = c.goTo !== undefined ? 'link' : (c.font ?? rowFont);
        let kind = c.kind ?? this.columns[i]?.kind ?? 'text';
        if (font === 'title' || font === 'section') {
          kind = 'text';
          if (n === 1 && merge === undefined && this.columns.length > 1) {
            merge = [1, this.columns.length];
          }
        }
        fonts[i] = font;
        kinds[i] = kind;
        const tone = c.tone ?? rowTone;
        tones[i] = tone;
        styles[i] = this.styles.get(kind, tone, font);
      } else {
        values[i] = cellValue(c, undefined);
        fonts[i] = rowFont;
        const kind = this.columns[i]?.kind ?? 'text';
        kinds[i] = kind;
        tones[i] = rowTone;
        styles[i] = plain[i] ??= this.styles.get(kind, rowTone, rowFont);
      }
    }
    const height = this.fitRow(values, styles, { fonts, kinds, tones }, merge);
    const row = this.ws.addRow(values);
    setRowStyle(row, ROW_STYLE);
    this.rowNumber = row.number;
    for (let i = 0; i < n; i++) row.getCell(i + 1).style = styles[i]!;
    if (merge) {
      const [from, to] = merge;
      this.ws.mergeCells(row.number, from, row.number, to);
    }
    if (height !== null) row.height = height;
    row.commit();
    return row.number;
  }

  /**
   * The row's height from its text, or null when every cell shows on one standard line. A text
   * cell that is not set to wrap and would be cut (its text wider than its cell and the empty
   * cells it may overflow into) is switched to wrapping, so no label is ever cut off.
   */
  private fitRow(
    values: ExcelJS.CellValue[],
    styles: Partial<ExcelJS.Style>[],
    { fonts, kinds, tones }: { fonts: FontKind[]; kinds: Kind[]; tones: Tone[] },
    merge: [number, number] | undefined,
  ): number | null {
    let height = 0;
    const widths = this.columns;
    for (let i = 0; i < values.length; i++) {
      const text = textOfValue(values[i]);
      if (text === null) continue;
      const col = i + 1;
      if (merge && col > merge[0] && col <= merge[1]) continue;
      const px =
        merge && col === merge[0]
          ? usablePx(widths.slice(merge[0] - 1, merge[1]).map((c) => c.width))
          : (this.cellPx[i] ?? usablePx([DEFAULT_COLUMN_WIDTH]));
      const font = FONT_METRICS[fonts[i]!];
      let wrap = styles[i]!.alignment?.wrapText === true;
      if (!wrap && !fitsOneLine(text, px, font)) {
        // Left-aligned text may overflow into the empty cells to its right.
        const right = NUMERIC_KINDS.has(kinds[i]!);
        let room = px;
        if (!right && !(merge && col === merge[0])) {
          for (let j = i + 1; j < widths.length; j++) {
            if (j < values.length && !isEmptyValue(values[j])) break;
            if (merge && j + 1 >= merge[0] && j + 1 <= merge[1]) break;
            room += columnPx(widths[j]!.width);
            if (fitsOneLine(text, room, font)) break;
          }
        }
        if (!fitsOneLine(text, room, font)) {
          wrap = true;
          styles[i] = this.styles.get('wrap', tones[i]!, fonts[i]!);
        }
      }
      height = Math.max(height, wrap ? rowHeight(text, px, font) : lineHeight(font));
    }
    return height > LINE_HEIGHT_PT || values.some((_, i) => styles[i]!.alignment?.wrapText)
      ? Math.max(height, LINE_HEIGHT_PT)
      : null;
  }

  /**
   * Call after each row of a long loop: every PACE_ROWS rows, waits while the zip has more than
   * MAX_BACKLOG bytes of this sheet to compress, so memory stays bounded and compression (zlib's
   * thread pool) runs alongside the writing.
   */
  async pace(): Promise<void> {
    if (++this.sincePace < PACE_ROWS) return;
    this.sincePace = 0;
    while (worksheetBacklogBytes(this.ws) > MAX_BACKLOG) {
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  }

  /** An empty row `heightPt` points tall (room for a picture); returns its number. */
  spacer(heightPt: number): number {
    const row = this.ws.addRow([]);
    row.height = heightPt;
    this.rowNumber = row.number;
    row.commit();
    return row.number;
  }

  blank(): number {
    return this.add([]);
  }

  /** Starts a new printed page after the last row written (none before the first row). */
  pageBreak(): void {
    if (this.rowNumber === 0) return;
    // Excel allows at most 1,026 manual page breaks per sheet.
    addRowBreak(this.ws, this.rowNumber, MAX_PAGE_BREAKS);
  }

  header(titles: string[]): number {
    return this.add(titles, { font: 'header' });
  }

  commit(): void {
    this.ws.commit();
  }
}

/** A Coverage column header: the class name, code and care type. */
export function classHeader(c: DrugClass): string {
  return `${c.name} (${c.code}, ${c.careType})`;
}

/** A column width (characters) at least `min` in which every word of a header shows whole. */
export function wordWidth(header: string, min: number): number {
  const px = Math.max(...header.split(/\s+/).map((w) => textWidthPx(w, { bold: true })));
  return Math.max(min, Math.ceil((px + 6) / 7));
}

export function col(width: number, kind: Kind = 'text'): ColumnSpec {
  return { width, kind };
}

export function severityTone(s: Severity): Tone {
  return s;
}

export function severityCell(s: Severity): CellSpec {
  return {
    value: SEVERITY_LABELS[s],
    tone: severityTone(s),
    font: s === 'critical' ? 'inverse' : 'bold',
  };
}

export function lastColumnLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

export function classLabel(code: string, catalog: Map<string, DrugClass>): string {
  const c = catalog.get(code);
  return c ? `${c.name} (${c.code})` : code;
}

/** Names the model knows for counties and pharmacies, for rows that do not carry them. */
export function nameIndexes(model: ReportModel): {
  counties: Map<string, string>;
  pharmacies: Map<string, string>;
} {
  const counties = new Map<string, string>();
  const pharmacies = new Map<string, string>();
  for (const c of model.coverage.cells) if (c.countyName) counties.set(c.countyFips, c.countyName);
  for (const e of model.directory) {
    if (e.countyName) counties.set(e.countyFips, e.countyName);
    for (const p of e.pharmacies) pharmacies.set(p.npi, p.name);
  }
  for (const a of model.assurances) pharmacies.set(a.npi, a.pharmacyName);
  for (const f of model.findings) {
    if (f.countyFips && f.countyName) counties.set(f.countyFips, f.countyName);
    if (f.npi && f.pharmacyName) pharmacies.set(f.npi, f.pharmacyName);
  }
  return { counties, pharmacies };
}

/** Plan keys in display order: plans with a record, those without, then any others seen. */
export function orderedPlanKeys(model: ReportModel, extra: PlanKey[]): PlanKey[] {
  const seen = new Set<string>();
  const out: PlanKey[] = [];
  for (const k of [...model.plans, ...model.planKeysWithoutRecord, ...extra]) {
    const id = planKeyString(k);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ contractId: k.contractId, pbpId: k.pbpId, segmentId: k.segmentId });
  }
  return out;
}

/**
 * The plans of a per-plan sheet in display order (orderedPlanKeys), each under its heading
 * ("Plan S1234-001-000: name (type)") and starting a printed page (the first under the sheet's
 * title). The caller writes the plan's rows before asking for the next.
 */
export function* planSections(
  s: Sheet,
  model: ReportModel,
  keys: PlanKey[],
): Generator<{ pk: string; plan: Plan | undefined }> {
  const plans = new Map(model.plans.map((p) => [planKeyString(p), p]));
  let first = true;
  for (const key of orderedPlanKeys(model, keys)) {
    const pk = planKeyString(key);
    const plan = plans.get(pk);
    if (!first) s.pageBreak();
    first = false;
    s.blank();
    s.add([
      {
        value: `Plan ${pk}${plan ? `: ${plan.planName} (${plan.planType})` : ' (no plan record)'}`,
        font: 'section',
      },
    ]);
    yield { pk, plan };
  }
}

export interface Ctx {
  model: ReportModel;
  wb: ExcelJS.stream.xlsx.WorkbookWriter;
  styles: StyleBook;
  catalog: Map<string, DrugClass>;
  names: ReturnType<typeof nameIndexes>;
}

/** Print scale a sheet is made to reach: a little above MIN_PRINT_SCALE. */
const TARGET_PRINT_SCALE = 0.61;
/** Narrowest a wrapped column is made to fit the page. */
const MIN_WRAP_WIDTH = 14;

/**
 * Column widths a sheet prints with, one page wide in landscape at TARGET_PRINT_SCALE or more:
 * when the columns are wider than that, the wrapping columns give up width in proportion to their
 * own (never below MIN_WRAP_WIDTH), so adding a column never makes the print illegible.
 */
export function fitColumns(columns: readonly ColumnSpec[]): ColumnSpec[] {
  const budget = PRINTABLE_PX.landscape / TARGET_PRINT_SCALE;
  const total = columns.reduce((n, c) => n + columnPx(c.width), 0);
  const excess = total - budget;
  if (excess <= 0) return [...columns];
  const give = columns.reduce((n, c) => n + (c.kind === 'wrap' ? c.width - MIN_WRAP_WIDTH : 0), 0);
  if (give <= 0) return [...columns];
  const ratio = Math.min(1, excess / 7 / give);
  return columns.map((c) =>
    c.kind === 'wrap' && c.width > MIN_WRAP_WIDTH
      ? { ...c, width: Math.floor(c.width - (c.width - MIN_WRAP_WIDTH) * ratio) }
      : c,
  );
}

export function addSheet(
  ctx: Ctx,
  name: string,
  specs: ColumnSpec[],
  opts: { frozenRows?: number; titleRows?: string; autoFilter?: string } = {},
): Sheet {
  const columns = fitColumns(specs);
  const layout = printLayout(columns.map((c) => c.width));
  const frozen = opts.frozenRows ?? 0;
  const ws = ctx.wb.addWorksheet(name, {
    views:
      frozen > 0
        ? [
            {
              state: 'frozen',
              xSplit: 0,
              ySplit: frozen,
              topLeftCell: `A${frozen + 1}`,
              activeCell: `A${frozen + 1}`,
            },
          ]
        : [{ state: 'normal', activeCell: 'A1' }],
    pageSetup: {
      orientation: layout.orientation,
      // One page wide, as many pages tall as the rows need.
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      ...(opts.titleRows === undefined && frozen === 0
        ? {}
        : { printTitlesRow: opts.titleRows ?? `1:${frozen}` }),
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddFooter: `&L${name}, run ${ctx.model.run.runId}&RPage &P of &N`,
      evenFooter: `&L${name}, run ${ctx.model.run.runId}&RPage &P of &N`,
    },
  });
  if (opts.autoFilter) ws.autoFilter = opts.autoFilter;
  return new Sheet(ws, ctx.styles, columns);
}

export function cellList(cells: readonly string[], max = 30): string {
  const shown = cells.slice(0, max).map((c) => c.replace(':', ' '));
  return cells.length > max
    ? `${shown.join(', ')} and ${cells.length - max} more`
    : shown.join(', ');
}
