/**
 * The Excel compliance report, written with exceljs's streaming WorkbookWriter: every row is
 * committed as soon as it is complete, so memory stays bounded whatever the number of findings.
 *
 * Pure function of the model (plus its recorded generated-at): no clock reads, no database.
 * Every string cell goes through `safeText` (see format.ts for what it guarantees); the only
 * hyperlinks are internal ones to this workbook's own sheets, built by `internalLink`.
 */
import ExcelJS from 'exceljs';
import type { DrugClass, Finding, Plan, PlanKey, Severity, Verdict } from '../domain/types.js';
import { VERDICT_LABELS, isExcepted, planKeyString } from '../domain/types.js';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { writeAtomically, writeStreamToFile } from './atomic.js';
import { MAPS_COLUMN_WIDTH, writeMapRows } from './maps-sheet.js';
import { addSheetPictures } from './xlsx-pictures.js';
import type { SheetPicture } from './xlsx-pictures.js';
import type { TextFont } from './text-fit.js';
import {
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
import {
  counted,
  dateCell,
  evidenceText,
  findingPlan,
  formatDuration,
  formatPhone,
  instantCell,
  maskMemberId,
  safeText,
  zoneLabel,
  zonedCell,
} from './format.js';
import {
  DECISION_TREE,
  DECISION_TREE_NOTE,
  DECISION_TREE_TITLE,
  LETTER_REQUIREMENTS,
  LETTER_TITLE,
  PAYMENT_MATRIX,
  describeStep,
} from './letter.js';
import {
  DEFINITIONS,
  NUMERIC_MINIMUMS_NOTE,
  POLICY_SETTINGS,
  policyValueText,
} from './methodology.js';
import type {
  DirectoryEntry,
  DirectoryPharmacy,
  ReportCoverageCell,
  ReportFinding,
  ReportModel,
} from './model.js';
import {
  SEVERITY_LABELS,
  changeCounts,
  exceptedCount,
  SINGLE_POINT_RULE,
  fixFirst,
  headline,
  isFailing,
  planResults,
  ruleResults,
  singlePointGroups,
} from './summary.js';

/** Sheet names, in workbook order. */
export const SHEET_NAMES = {
  summary: 'Summary',
  findings: 'Findings',
  coverage: 'Coverage',
  maps: 'Maps',
  directory: 'HI Pharmacy Directory',
  assurances: 'Ancillary Assurances',
  requests: 'Coverage Requests',
  changes: 'Changes',
  lineage: 'Data Lineage',
  methodology: 'Methodology',
  exceptions: 'Exceptions',
  expiring: 'Expiring Evidence',
  keyPharmacies: 'Key Pharmacies',
  recruitment: 'Recruitment',
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
type Tone = keyof typeof FILLS | 'none';

export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm';

type Kind = 'text' | 'wrap' | 'date' | 'datetime' | 'int' | 'decimal' | 'percent';
type FontKind = 'normal' | 'bold' | 'header' | 'title' | 'section' | 'inverse' | 'link';
type Primitive = string | number | boolean | Date | null | undefined;

/** An internal hyperlink target (`#'Sheet'!A1`); only `internalLink` makes one. */
type InternalLink = string & { readonly __internalLink: unique symbol };

function internalLink(sheet: string, cell: string): InternalLink {
  if (!/^[A-Z]{1,3}[1-9]\d*$/.test(cell)) throw new Error(`bad cell reference ${cell}`);
  return `#'${sheet.replace(/'/g, "''")}'!${cell}` as InternalLink;
}

interface CellSpec {
  value: Primitive;
  kind?: Kind;
  tone?: Tone;
  font?: FontKind;
  goTo?: InternalLink;
}
type CellInput = Primitive | CellSpec;

interface ColumnSpec {
  width: number;
  kind: Kind;
}

const THIN_BOTTOM: Partial<ExcelJS.Borders> = {
  bottom: { style: 'thin', color: { argb: 'FF8EA9DB' } },
};

/** Style objects are cached and shared: exceljs maps a reused style object to its id directly. */
class StyleBook {
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
      case 'percent':
        style.numFmt = '0.0%';
        break;
      default:
        break;
    }
    style.alignment = {
      vertical: 'top',
      wrapText: kind === 'wrap' || font === 'header',
      ...(kind === 'int' || kind === 'decimal' || kind === 'percent'
        ? { horizontal: 'right' as const }
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

const NUMERIC_KINDS: ReadonlySet<Kind> = new Set<Kind>(['int', 'decimal', 'percent']);
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

interface StreamState {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}

/**
 * Bytes of this sheet's XML that exceljs has produced and the zip has not compressed yet: what
 * the sheet's stream holds itself (before the zip starts on it) plus what its consumer (the zip's
 * entry stream, a PassThrough in front of deflate) has buffered. exceljs writes without
 * back-pressure, so a synchronous loop of 100,000 rows would hold the whole sheet in memory.
 * Reads exceljs 4.4's internals (pinned exactly); 0 when they are not there, which only turns
 * the pacing off.
 */
function backlogBytes(ws: ExcelJS.Worksheet): number {
  const stream = (ws as unknown as { stream?: { buffers?: unknown[]; pipes?: unknown[] } }).stream;
  if (!stream) return 0;
  let n = Array.isArray(stream.buffers) ? stream.buffers.length * 65536 : 0;
  if (Array.isArray(stream.pipes)) {
    for (const p of stream.pipes as StreamState[]) {
      n += (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0);
    }
  }
  return n;
}

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
    (row as unknown as { style: Partial<ExcelJS.Style> }).style = ROW_STYLE;
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
    while (backlogBytes(this.ws) > MAX_BACKLOG) {
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  }

  blank(): number {
    return this.add([]);
  }

  /** An empty row `heightPt` points tall (room for a picture); returns its number. */
  spacer(heightPt: number): number {
    const row = this.ws.addRow([]);
    row.height = heightPt;
    this.rowNumber = row.number;
    row.commit();
    return row.number;
  }

  /** Starts a new printed page after the last row written (none before the first row). */
  pageBreak(): void {
    if (this.rowNumber === 0) return;
    // What exceljs' Row.addPageBreak records; the streaming writer writes ws.rowBreaks at the end.
    const breaks = (this.ws as unknown as { rowBreaks: { id: number; max: number; man: number }[] })
      .rowBreaks;
    // Excel allows at most 1,026 manual page breaks per sheet.
    if (breaks.length < MAX_PAGE_BREAKS) breaks.push({ id: this.rowNumber, max: 16383, man: 1 });
  }

  header(titles: string[]): number {
    return this.add(titles, { font: 'header' });
  }

  commit(): void {
    this.ws.commit();
  }
}

/** A Coverage column header: the class name, code and care type. */
function classHeader(c: DrugClass): string {
  return `${c.name} (${c.code}, ${c.careType})`;
}

/** A column width (characters) at least `min` in which every word of a header shows whole. */
function wordWidth(header: string, min: number): number {
  const px = Math.max(...header.split(/\s+/).map((w) => textWidthPx(w, { bold: true })));
  return Math.max(min, Math.ceil((px + 6) / 7));
}

function col(width: number, kind: Kind = 'text'): ColumnSpec {
  return { width, kind };
}

function severityTone(s: Severity): Tone {
  return s;
}

function severityCell(s: Severity): CellSpec {
  return {
    value: SEVERITY_LABELS[s],
    tone: severityTone(s),
    font: s === 'critical' ? 'inverse' : 'bold',
  };
}

function lastColumnLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

function classLabel(code: string, catalog: Map<string, DrugClass>): string {
  const c = catalog.get(code);
  return c ? `${c.name} (${c.code})` : code;
}

/** Names the model knows for counties and pharmacies, for rows that do not carry them. */
function nameIndexes(model: ReportModel): {
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
function orderedPlanKeys(model: ReportModel, extra: PlanKey[]): PlanKey[] {
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

// ------------------------------------------------------------------------------------------------
// Sheets

interface Ctx {
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

function addSheet(
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

/** Tone and font of a verdict label. */
function verdictCell(verdict: Verdict): CellSpec {
  const tone: Tone =
    verdict === 'COMPLIANT' ? 'green' : verdict === 'INCOMPLETE' ? 'amber' : 'critical';
  return {
    value: VERDICT_LABELS[verdict],
    tone,
    font: verdict === 'NON_COMPLIANT' ? 'inverse' : 'bold',
    kind: 'text',
  };
}

/** The sentence beside the verdict: why it is what it is. */
function verdictReason(model: ReportModel): string {
  const { run } = model;
  const open: Record<Severity, number> = { critical: 0, major: 0, minor: 0, info: 0 };
  for (const f of model.findings) if (!isExcepted(f)) open[f.severity] += 1;
  const failing = (['critical', 'major', 'minor', 'info'] as const).filter(
    (sev) => isFailing(sev, run.policy) && open[sev] > 0,
  );
  const failOn = `the fail-on severity (${SEVERITY_LABELS[run.policy.failOn]})`;
  if (run.verdict === 'NON_COMPLIANT') {
    const parts = failing.map((sev) => `${open[sev]} ${SEVERITY_LABELS[sev].toLowerCase()}`);
    const n = failing.reduce((t, sev) => t + open[sev], 0);
    return `${parts.join(' and ')} open ${n === 1 ? 'finding' : 'findings'} at or above ${failOn}. Fix these first: see below.`;
  }
  if (run.verdict === 'INCOMPLETE') {
    return `Data the verdict needs is missing or was rejected: the network cannot be shown compliant. See the findings and Data Lineage.`;
  }
  const below = open.minor + open.info;
  return `No open finding at or above ${failOn}.${below > 0 ? ` ${counted(below, 'finding')} below it remain (see Rules, NOTES).` : ''}`;
}

function writeSummary(ctx: Ctx): void {
  const { model } = ctx;
  const { run } = model;
  const s = addSheet(ctx, SHEET_NAMES.summary, [
    col(30),
    col(36, 'wrap'),
    col(26, 'wrap'),
    col(17),
    col(10, 'int'),
    col(9, 'int'),
    col(10, 'int'),
    col(10, 'int'),
    col(9, 'int'),
    col(9, 'int'),
    col(11, 'int'),
    col(10, 'int'),
  ]);
  const ALL: [number, number] = [2, 12];
  const title = `${run.whatIf ? 'WHAT-IF: ' : ''}Home infusion network audit: ${run.sponsorName}`;
  s.add([{ value: title, font: 'title' }]);
  s.add(
    [
      { value: 'Overall verdict', font: 'bold' },
      verdictCell(run.verdict),
      { value: verdictReason(model), kind: 'wrap' },
    ],
    {
      merge: [3, 12],
    },
  );
  // INCOMPLETE: what the audit could not judge, right under the verdict.
  run.missing.forEach((m, i) => {
    s.add(
      [
        { value: i === 0 ? 'Cannot judge: missing' : '', font: 'bold' },
        { value: m.message, tone: 'critical', font: 'bold', kind: 'wrap' },
      ],
      { merge: ALL },
    );
  });
  const scope =
    run.contractId === null
      ? `${run.scopeLabel} (all contracts)`
      : `${run.scopeLabel} (contract ${run.contractId}${run.pbpId === null ? '' : `, PBP ${run.pbpId}`})`;
  s.add([{ value: 'Sponsor', font: 'bold' }, run.sponsorName], { merge: ALL });
  s.add([{ value: 'Scope', font: 'bold' }, scope], { merge: ALL });
  s.add([
    { value: 'As-of date', font: 'bold' },
    { value: dateCell(run.asOf), kind: 'date' },
  ]);
  s.add(
    [
      { value: 'Run type', font: 'bold' },
      run.whatIf
        ? { value: 'WHAT-IF: not the record of the network', tone: 'amber', font: 'bold' }
        : 'Audit of record',
    ],
    { merge: ALL },
  );

  // Per-plan table.
  s.blank();
  s.add([{ value: 'Plans', font: 'section' }]);
  s.header(['Plan', 'Name', 'Type', 'Verdict', 'Critical', 'Major', 'Coverage', 'Findings']);
  for (const p of planResults(model)) {
    const target = p.firstIndex === null ? null : `A${p.firstIndex + 2}`;
    s.add([
      { value: p.label, font: 'bold' },
      p.name ?? { value: 'no plan record', tone: 'amber' },
      p.type,
      verdictCell(p.verdict),
      { value: p.open.critical, kind: 'int', tone: p.open.critical > 0 ? 'red' : 'none' },
      { value: p.open.major, kind: 'int', tone: p.open.major > 0 ? 'amber' : 'none' },
      {
        value: p.coverage,
        kind: 'percent',
        tone: p.coverage === null || p.coverage >= 1 ? 'none' : 'amber',
      },
      target === null
        ? { value: 'none', kind: 'text' }
        : { value: 'Findings', kind: 'text', goTo: internalLink(SHEET_NAMES.findings, target) },
    ]);
  }

  // Fix these first.
  const groups = fixFirst(model);
  s.blank();
  s.add([{ value: 'Fix these first', font: 'section' }]);
  if (groups.length === 0) {
    s.add([{ value: 'No open finding at or above the fail-on severity.', kind: 'text' }], {
      merge: [1, 12],
    });
  } else {
    s.header(['Rule', 'First finding', 'Plans', 'Severity', 'Findings']);
    for (const g of groups) {
      const shown = g.plans.slice(0, 6).join(', ');
      s.add([
        { value: g.ruleId, goTo: internalLink(SHEET_NAMES.findings, `A${g.firstIndex + 2}`) },
        { value: g.first.message, kind: 'wrap' },
        {
          value: g.plans.length > 6 ? `${shown} and ${g.plans.length - 6} more` : shown,
          kind: 'wrap',
        },
        severityCell(g.severity),
        { value: g.count, kind: 'int' },
      ]);
    }
  }

  // What the audit could not read.
  const { imports, rejectedRows } = model.lineage;
  const failed = imports.filter((i) => i.status === 'failed');
  const rejectedFiles = new Set(rejectedRows.map((r) => r.fileName));
  s.blank();
  s.add([{ value: 'Rejected roster rows and failed files', font: 'section' }]);
  if (failed.length === 0 && rejectedRows.length === 0) {
    s.add([{ value: 'None: every row read was stored and every file imported.', kind: 'text' }], {
      merge: [1, 12],
    });
  } else {
    s.add(
      [
        {
          value: `${counted(rejectedRows.length, 'row')} rejected in ${counted(rejectedFiles.size, 'file')}; ${counted(failed.length, 'file')} failed to import. Rejected rows are not in the audit: see Data Lineage.`,
          kind: 'wrap',
          goTo: internalLink(SHEET_NAMES.lineage, 'A1'),
        },
      ],
      { merge: [1, 12], tone: 'amber' },
    );
    for (const f of failed) {
      s.add(
        [
          { value: 'Failed', font: 'bold', tone: 'red' },
          { value: f.fileName, kind: 'wrap' },
        ],
        {
          merge: ALL,
        },
      );
    }
  }

  const points = singlePointGroups(model);
  if (points.length > 0) {
    s.blank();
    s.add([
      {
        value: `Single points of failure (${SINGLE_POINT_RULE}, not counted above)`,
        font: 'section',
      },
    ]);
    s.header(['Plan', 'County', 'Classes one pharmacy alone covers', 'Pharmacy']);
    for (const g of points) {
      s.add([
        { value: g.plan, goTo: internalLink(SHEET_NAMES.findings, `A${g.firstIndex + 2}`) },
        g.countyName === null ? g.countyFips : `${g.countyName} (${g.countyFips ?? ''})`,
        { value: g.classes.join(', '), kind: 'wrap' },
        g.npis.map((n) => ctx.names.pharmacies.get(n) ?? n).join(', '),
      ]);
    }
  }

  s.blank();
  s.add([{ value: 'Key figures', font: 'section' }]);
  const k = model.keyFigures;
  const head = headline(model);
  const changes = changeCounts(model);
  const coverage = k.requiredCells > 0 ? k.coveredCells / k.requiredCells : null;
  const figures: [string, CellInput][] = [
    ['Plans', { value: k.plans, kind: 'int' }],
    ['Service-area counties', { value: k.serviceAreaCounties, kind: 'int' }],
    ['In-network HI pharmacies', { value: k.hiPharmacies, kind: 'int' }],
    ['Required county x class cells', { value: k.requiredCells, kind: 'int' }],
    ['Covered cells', { value: k.coveredCells, kind: 'int' }],
    [
      'Coverage (covered / required cells)',
      {
        value: coverage,
        kind: 'percent',
        tone: coverage === null || coverage >= 1 ? 'none' : 'amber',
      },
    ],
    ['Findings to act on', { value: head.total, kind: 'int' }],
    ...(['critical', 'major', 'minor', 'info'] as const).map((sev): [string, CellInput] => [
      `  ${SEVERITY_LABELS[sev]}`,
      { value: head.bySeverity[sev], kind: 'int' },
    ]),
    [
      `Single-point notes (${SINGLE_POINT_RULE}, info)`,
      { value: head.singlePointNotes, kind: 'int' },
    ],
    ['  in plan counties', { value: head.singlePointGroups, kind: 'int' }],
    ['New since last run', { value: changes.new, kind: 'int' }],
    ['Resolved since last run', { value: changes.resolved, kind: 'int' }],
    ['Excepted (exceptions register)', { value: exceptedCount(model), kind: 'int' }],
  ];
  for (const [label, value] of figures) s.add([{ value: label, font: 'bold' }, value]);

  s.blank();
  s.add([{ value: 'Rules', font: 'section' }]);
  s.add(
    [
      {
        value: `FAIL: at least one finding at or above the fail-on severity (${SEVERITY_LABELS[run.policy.failOn]}) that no exception in force covers. NOTES: open findings below it only. PASS: no open finding. Excepted: findings covered by an exception of the register (see Exceptions). The rule id links to its first finding.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 12] },
  );
  s.header([
    'Rule',
    'Title',
    'Citation',
    'Severity',
    'Status',
    'Critical',
    'Major',
    'Minor',
    'Info',
    'Total',
    'New since last run',
    'Excepted',
  ]);
  for (const r of ruleResults(model)) {
    const target = r.firstIndex === null ? 'A1' : `A${r.firstIndex + 2}`;
    const statusTone: Tone =
      r.status === 'FAIL'
        ? 'red'
        : r.status === 'NOTES'
          ? 'amber'
          : r.status === 'PASS'
            ? 'green'
            : 'grey';
    s.add([
      { value: r.rule.id, goTo: internalLink(SHEET_NAMES.findings, target) },
      r.rule.title,
      r.rule.citation,
      {
        value: SEVERITY_LABELS[r.rule.severity],
        tone: severityTone(r.rule.severity),
        font: r.rule.severity === 'critical' ? 'inverse' : 'normal',
      },
      { value: r.status, tone: statusTone, font: 'bold', kind: 'text' },
      r.counts.critical,
      r.counts.major,
      r.counts.minor,
      r.counts.info,
      r.total,
      r.newCount,
      { value: r.excepted, tone: r.excepted > 0 ? 'grey' : 'none' },
    ]);
  }

  s.blank();
  s.add([{ value: 'About this run', font: 'section' }]);
  const zone = run.policy.timeZone;
  const about: [string, CellInput][] = [
    ['Run id', String(run.runId)],
    [
      `Generated at ${zoneLabel(zone)}`,
      { value: zonedCell(run.generatedAt, zone), kind: 'datetime' },
    ],
    ['Fails on severity', `${SEVERITY_LABELS[run.policy.failOn]} or worse`],
    [
      'Compared with run',
      model.previousRunId === null ? 'none (first run of this scope)' : String(model.previousRunId),
    ],
    ['Tool version', run.toolVersion],
    ['Rule-set version', run.ruleSetVersion],
    ['Policy hash', run.policyHash],
    ['Duration', formatDuration(run.durationMs)],
  ];
  for (const [label, value] of about) {
    s.add([{ value: label, font: 'bold' }, value], typeof value === 'string' ? { merge: ALL } : {});
  }
  s.commit();
}

/** What to do is stated once per rule (Methodology, "Rules in force"), not on every finding. */
const FINDING_COLUMNS = [
  'Severity',
  'Rule',
  'Plan',
  'County FIPS',
  'County',
  'Drug class',
  'Pharmacy NPI',
  'Pharmacy',
  'Request',
  'Message',
  'Evidence',
  'Status',
  'First seen',
  'Exception',
  'Citation',
];

/** The Findings sheet's Exception cell: EXCEPTED with rationale and approver, or expired. */
function exceptionCell(f: Finding): CellInput {
  const e = f.exception;
  if (!e) return null;
  if (e.expired) {
    return {
      value: `Exception EXPIRED on ${e.expiresOn} (approved by ${e.approvedBy} on ${e.approvedOn}): counts again. Rationale: ${e.rationale}`,
      tone: 'red',
      kind: 'wrap',
    };
  }
  return {
    value: `EXCEPTED until ${e.expiresOn}: ${e.rationale} (approved by ${e.approvedBy} on ${e.approvedOn})`,
    tone: 'grey',
    kind: 'wrap',
  };
}

async function writeFindings(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const last = Math.max(1, model.findings.length + 1);
  const s = addSheet(
    ctx,
    SHEET_NAMES.findings,
    [
      col(9),
      col(14),
      col(15),
      col(7),
      col(13, 'wrap'),
      col(9),
      col(11),
      col(15, 'wrap'),
      col(11),
      col(36, 'wrap'),
      col(20, 'wrap'),
      col(10),
      col(10, 'date'),
      col(16, 'wrap'),
      col(28, 'wrap'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(FINDING_COLUMNS.length)}${last}`,
    },
  );
  s.header(FINDING_COLUMNS);
  for (const f of model.findings) {
    s.add([
      severityCell(f.severity),
      f.ruleId,
      findingPlan(f),
      f.countyFips,
      f.countyName,
      f.drugClass,
      f.npi,
      f.pharmacyName,
      f.requestId,
      f.message,
      evidenceText(f.evidence, model.run.policy.timeZone),
      { value: f.status, font: f.status === 'new' ? 'bold' : 'normal' },
      dateCell(f.firstSeen),
      exceptionCell(f),
      f.citation,
    ]);
    await s.pace();
  }
  s.commit();
}

async function writeCoverage(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const classes = model.coverage.requiredClasses;
  const min = model.run.policy.minPharmaciesPerClass;
  const s = addSheet(ctx, SHEET_NAMES.coverage, [
    col(12),
    col(26, 'wrap'),
    ...classes.map((c) => col(wordWidth(classHeader(c), 15), 'int')),
  ]);
  const width = Math.max(2 + classes.length, 2);
  s.add([
    {
      value: 'Coverage: in-network HI pharmacies covering each county x required class',
      font: 'title',
    },
  ]);
  s.add(
    [
      {
        value: `Each number counts the plan's in-network home infusion pharmacies that serve the county and can dispense the class in usable form on ${model.run.asOf}. Red: 0${min > 1 ? ` or fewer than the policy minimum of ${min}` : ''} (no access). Amber: exactly 1 (a single point of failure).`,
        kind: 'wrap',
      },
    ],
    { merge: [1, width] },
  );

  const byPlan = new Map<string, Map<string, ReportCoverageCell[]>>();
  const cellPlanKeys: PlanKey[] = [];
  for (const c of model.coverage.cells) {
    const pk = planKeyString(c);
    let counties = byPlan.get(pk);
    if (!counties) {
      counties = new Map();
      byPlan.set(pk, counties);
      cellPlanKeys.push(c);
    }
    const list = counties.get(c.countyFips);
    if (list) list.push(c);
    else counties.set(c.countyFips, [c]);
  }
  const plans = new Map(model.plans.map((p) => [planKeyString(p), p]));
  let first = true;
  for (const key of orderedPlanKeys(model, cellPlanKeys)) {
    const pk = planKeyString(key);
    const plan = plans.get(pk);
    // Each plan starts a printed page (the first under the sheet's title).
    if (!first) s.pageBreak();
    first = false;
    s.blank();
    s.add([
      {
        value: `Plan ${pk}${plan ? `: ${plan.planName} (${plan.planType})` : ' (no plan record)'}`,
        font: 'section',
      },
    ]);
    const counties = byPlan.get(pk);
    if (!counties || counties.size === 0) {
      s.add(['No service-area counties in scope.']);
      continue;
    }
    s.header(['County FIPS', 'County', ...classes.map(classHeader)]);
    const fipsList = [...counties.keys()].sort();
    for (const fips of fipsList) {
      const cells = counties.get(fips) ?? [];
      const byClass = new Map(cells.map((c) => [c.drugClass, c]));
      const name =
        cells.find((c) => c.countyName)?.countyName ?? ctx.names.counties.get(fips) ?? '';
      s.add([
        fips,
        name,
        ...classes.map((cls): CellSpec => {
          const n = byClass.get(cls.code)?.npis.length ?? 0;
          const tone: Tone = n === 0 || n < min ? 'red' : n === 1 ? 'amber' : 'none';
          return { value: n, kind: 'int', tone };
        }),
      ]);
      await s.pace();
    }
  }
  s.commit();
}

function ancillaryText(p: DirectoryPharmacy): { text: string; tone: Tone } {
  if (p.providesNursing && p.providesSupplies)
    return { text: 'Provides nursing and supplies', tone: 'none' };
  const provides: string[] = [];
  if (p.providesNursing) provides.push('nursing');
  if (p.providesSupplies) provides.push('supplies');
  const own = provides.length > 0 ? `Provides ${provides.join(' and ')}; ` : '';
  if (p.reliesOnAssurance.length > 0) {
    return { text: `${own}Relies on assurance: ${p.reliesOnAssurance.join('; ')}`, tone: 'none' };
  }
  return { text: `${own}No current assurance for ancillary services`, tone: 'red' };
}

async function writeDirectory(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const s = addSheet(ctx, SHEET_NAMES.directory, [
    col(12),
    col(20, 'wrap'),
    col(30, 'wrap'),
    col(13),
    col(17),
    col(18),
    col(62, 'wrap'),
    col(40, 'wrap'),
  ]);
  s.add([{ value: 'Home infusion pharmacy directory', font: 'title' }]);
  s.add(
    [
      {
        value: `What a member or provider service line reads out on ${model.run.asOf}: per plan and service-area county, the in-network home infusion pharmacies, how to reach them, what they cover, and who arranges nursing and supplies.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 8] },
  );
  const byPlan = new Map<string, DirectoryEntry[]>();
  const entryKeys: PlanKey[] = [];
  for (const e of model.directory) {
    const pk = planKeyString(e);
    const list = byPlan.get(pk);
    if (list) list.push(e);
    else {
      byPlan.set(pk, [e]);
      entryKeys.push(e);
    }
  }
  const plans = new Map<string, Plan>(model.plans.map((p) => [planKeyString(p), p]));
  let first = true;
  for (const key of orderedPlanKeys(model, entryKeys)) {
    const pk = planKeyString(key);
    const plan = plans.get(pk);
    // Each plan starts a printed page (the first under the sheet's title).
    if (!first) s.pageBreak();
    first = false;
    s.blank();
    s.add([
      {
        value: `Plan ${pk}${plan ? `: ${plan.planName} (${plan.planType})` : ' (no plan record)'}`,
        font: 'section',
      },
    ]);
    if (plan) {
      s.add([{ value: 'Member services', font: 'bold' }, formatPhone(plan.memberServicesPhone)], {
        merge: [2, 3],
      });
      s.add(
        [{ value: 'Provider services', font: 'bold' }, formatPhone(plan.providerServicesPhone)],
        {
          merge: [2, 3],
        },
      );
      const directions = plan.hiAccessDirections.trim();
      s.add(
        [
          { value: 'HI access directions', font: 'bold' },
          directions === ''
            ? { value: 'No written directions on file', tone: 'red' }
            : { value: directions, kind: 'wrap' },
        ],
        { merge: [2, 8] },
      );
      s.add([
        { value: 'Directions reviewed on', font: 'bold' },
        plan.directionsReviewedOn === null
          ? { value: 'never', tone: 'amber' }
          : { value: dateCell(plan.directionsReviewedOn), kind: 'date' },
      ]);
    } else {
      s.add(
        [{ value: 'No plan record: service-line numbers and directions unknown.', tone: 'red' }],
        {
          merge: [1, 8],
        },
      );
    }
    const entries = byPlan.get(pk) ?? [];
    if (entries.length === 0) {
      s.add(['No service-area counties in scope.']);
      continue;
    }
    s.header([
      'County FIPS',
      'County',
      'Pharmacy',
      'NPI',
      'Phone',
      'After hours',
      'Classes covered',
      'Nursing and supplies',
    ]);
    for (const e of entries) {
      const county = e.countyName ?? ctx.names.counties.get(e.countyFips) ?? '';
      if (e.pharmacies.length === 0) {
        s.add([
          e.countyFips,
          county,
          {
            value: 'No in-network home infusion pharmacy serves this county',
            tone: 'red',
            kind: 'wrap',
          },
        ]);
        await s.pace();
        continue;
      }
      for (const p of e.pharmacies) {
        const anc = ancillaryText(p);
        s.add([
          e.countyFips,
          county,
          p.name,
          p.npi,
          formatPhone(p.phone),
          p.open24x7
            ? 'Open 24x7'
            : p.afterHoursPhone
              ? formatPhone(p.afterHoursPhone)
              : { value: 'None listed', tone: 'amber' },
          p.classes.map((c) => classLabel(c, ctx.catalog)).join('; '),
          { value: anc.text, tone: anc.tone },
        ]);
        await s.pace();
      }
    }
  }
  s.commit();
}

async function writeAssurances(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const window = model.run.policy.expiringWindowDays;
  const headers = [
    'Pharmacy NPI',
    'Pharmacy',
    'Entity',
    'Entity type',
    'Services',
    'Counties',
    'Effective',
    'Expiration',
    `Status on ${model.run.asOf}`,
    `Expires within ${window} days`,
    'Days left',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.assurances,
    [
      col(13),
      col(28, 'wrap'),
      col(28, 'wrap'),
      col(15),
      col(22, 'wrap'),
      col(24, 'wrap'),
      col(11, 'date'),
      col(11, 'date'),
      col(18),
      col(14),
      col(10, 'int'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.assurances.length + 1)}`,
    },
  );
  s.header(headers);
  for (const a of model.assurances) {
    const statusTone: Tone =
      a.status === 'expired' ? 'red' : a.status === 'not_yet_effective' ? 'grey' : 'green';
    s.add([
      a.npi,
      a.pharmacyName,
      a.entityName,
      a.entityType,
      a.services.join(', '),
      a.counties.includes('*') ? 'every county the pharmacy serves' : a.counties.join(', '),
      dateCell(a.effectiveDate),
      a.expirationDate === null ? 'none' : dateCell(a.expirationDate),
      { value: a.status.replace(/_/g, ' '), tone: statusTone },
      { value: a.expiringWithinWindow, tone: a.expiringWithinWindow ? 'amber' : 'none' },
      a.daysLeft,
    ]);
    await s.pace();
  }
  s.commit();
}

async function writeRequests(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const zone = model.run.policy.timeZone;
  const headers = [
    'Request',
    'Plan',
    'Type',
    'Expedited',
    'Drug class',
    'Drug',
    'Member',
    'Clock',
    `Clock start ${zoneLabel(zone)}`,
    `Deadline ${zoneLabel(zone)}`,
    `Decided ${zoneLabel(zone)}`,
    'Elapsed hours',
    'Outcome',
    'Verdict',
    'Citation',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.requests,
    [
      col(14),
      col(11),
      col(22),
      col(10),
      col(12),
      col(20, 'wrap'),
      col(11),
      col(30, 'wrap'),
      col(wordWidth(headers[8]!, 17), 'datetime'),
      col(wordWidth(headers[9]!, 17), 'datetime'),
      col(wordWidth(headers[10]!, 17), 'datetime'),
      col(10, 'decimal'),
      col(10),
      col(10),
      col(18),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.requests.length + 1)}`,
    },
  );
  s.header(headers);
  for (const r of model.requests) {
    const tone: Tone =
      r.verdict === 'late' || r.verdict === 'overdue'
        ? 'red'
        : r.verdict === 'pending'
          ? 'amber'
          : 'green';
    s.add([
      r.requestId,
      `${r.contractId}-${r.pbpId}`,
      r.requestType.replace(/_/g, ' '),
      r.expedited,
      r.drugClass,
      r.drugName,
      maskMemberId(r.memberIdMasked),
      r.clockLabel,
      zonedCell(r.clockStart, zone),
      zonedCell(r.deadline, zone),
      zonedCell(r.decidedAt, zone),
      Math.round(r.elapsedHours * 10) / 10,
      r.outcome,
      { value: r.verdict.replace(/_/g, ' '), tone, font: 'bold' },
      r.citation,
    ]);
    await s.pace();
  }
  s.commit();
}

async function writeChanges(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const counts = changeCounts(model);
  const headers = [
    'Change',
    'Severity',
    'Rule',
    'Plan',
    'County FIPS',
    'County',
    'Drug class',
    'Pharmacy NPI',
    'Pharmacy',
    'Request',
    'Message',
    'First seen',
  ];
  const total = model.findings.length + model.resolved.length;
  const s = addSheet(
    ctx,
    SHEET_NAMES.changes,
    [
      col(12),
      col(10),
      col(16),
      col(17),
      col(11),
      col(18, 'wrap'),
      col(12),
      col(13),
      col(28, 'wrap'),
      col(14),
      col(60, 'wrap'),
      col(11, 'date'),
    ],
    { frozenRows: 4, titleRows: '4:4', autoFilter: `A4:L${total + 4}` },
  );
  s.add([
    {
      value:
        model.previousRunId === null
          ? 'Changes: no previous run of this scope, every finding is new'
          : `Changes against run ${model.previousRunId}`,
      font: 'title',
    },
  ]);
  s.add([`New: ${counts.new}. Resolved: ${counts.resolved}. Persisting: ${counts.persisting}.`], {
    merge: [1, 6],
  });
  s.blank();
  s.header(headers);
  const row = (change: string, tone: Tone, f: Finding, firstSeen: string | null): CellInput[] => [
    { value: change, tone, font: 'bold' },
    severityCell(f.severity),
    f.ruleId,
    findingPlan(f),
    f.countyFips,
    f.countyFips === null ? null : (ctx.names.counties.get(f.countyFips) ?? null),
    f.drugClass,
    f.npi,
    f.npi === null ? null : (ctx.names.pharmacies.get(f.npi) ?? null),
    f.requestId,
    f.message,
    dateCell(firstSeen),
  ];
  const withNames = (f: ReportFinding, change: string, tone: Tone): CellInput[] => {
    const cells = row(change, tone, f, f.firstSeen);
    cells[5] = f.countyName;
    cells[8] = f.pharmacyName;
    return cells;
  };
  for (const f of model.findings) {
    if (f.status !== 'new') continue;
    s.add(withNames(f, 'new', 'amber'));
    await s.pace();
  }
  for (const f of model.resolved) {
    s.add(row('resolved', 'green', f, null));
    await s.pace();
  }
  for (const f of model.findings) {
    if (f.status === 'new') continue;
    s.add(withNames(f, 'persisting', 'none'));
    await s.pace();
  }
  s.commit();
}

async function writeLineage(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const zone = model.run.policy.timeZone;
  const { imports, rejectedRows } = model.lineage;
  const s = addSheet(
    ctx,
    SHEET_NAMES.lineage,
    [
      col(10, 'int'),
      col(34, 'wrap'),
      col(14),
      col(40, 'wrap'),
      col(18, 'wrap'),
      col(24, 'wrap'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(12),
      col(wordWidth(`Started ${zoneLabel(zone)}`, 17), 'datetime'),
      col(12, 'int'),
      col(11, 'int'),
      col(11, 'int'),
    ],
    { titleRows: '1:2', frozenRows: 2 },
  );
  s.add([{ value: `Roster imports (${imports.length})`, font: 'section' }]);
  s.header([
    'Import',
    'File',
    'Sheet',
    'SHA-256',
    'Kind',
    'As-of',
    'Rows read',
    'Accepted',
    'Rejected',
    'Status',
    `Started ${zoneLabel(zone)}`,
    'Duration ms',
    'Rows in force',
    'Rows ended',
  ]);
  for (const i of imports) {
    s.add([
      i.id,
      i.fileName,
      i.sheet,
      i.sha256,
      i.kind,
      { value: dateCell(i.asOf), kind: 'date' },
      i.rowsRead,
      i.accepted,
      { value: i.rejected, tone: i.rejected > 0 ? 'amber' : 'none' },
      { value: i.status, tone: i.status === 'failed' ? 'red' : 'none' },
      zonedCell(i.startedAt, zone),
      i.durationMs,
      i.rowsInForce ?? null,
      { value: i.rowsEnded ?? null, tone: (i.rowsEnded ?? 0) > 0 ? 'amber' : 'none' },
    ]);
  }
  s.blank();
  s.add([{ value: `Rejected rows (${rejectedRows.length})`, font: 'section' }]);
  s.header(['Import', 'File', 'Row', 'Reason', 'Column', 'Value']);
  for (const r of rejectedRows) {
    s.add([
      r.importId,
      r.fileName,
      { value: r.rowNumber, kind: 'int' },
      r.reason,
      r.column,
      r.value,
    ]);
    await s.pace();
  }
  s.commit();
}

function writeMethodology(ctx: Ctx): void {
  const { model } = ctx;
  const { policy } = model.run;
  const s = addSheet(ctx, SHEET_NAMES.methodology, [
    col(26, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
  ]);
  const FULL: [number, number] = [2, 7];
  const para = (label: CellInput, text: string): void => {
    s.add([label, { value: text, kind: 'wrap' }], {
      merge: FULL,
    });
  };
  s.add([{ value: 'Methodology', font: 'title' }]);
  s.add(
    [
      {
        value: `How this report was produced: the definitions applied, the rules and policy in force for run ${model.run.runId} (as of ${model.run.asOf}), and the CMS letter the audit implements.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 7] },
  );

  s.blank();
  s.add([{ value: 'Definitions', font: 'section' }]);
  for (const d of DEFINITIONS) para({ value: d.term, font: 'bold' }, d.definition);

  s.blank();
  s.add([{ value: 'Rules in force', font: 'section' }]);
  s.header([
    'Rule',
    'Title',
    'Citation',
    'Severity in force',
    'Enabled',
    'What it checks and what to do',
  ]);
  for (const r of model.rules) {
    const text = `${r.description}\nRemediation: ${r.remediation}`;
    const sev =
      r.severity === r.defaultSeverity
        ? SEVERITY_LABELS[r.severity]
        : `${SEVERITY_LABELS[r.severity]} (default ${r.defaultSeverity})`;
    s.add(
      [
        { value: r.id, font: 'bold' },
        r.title,
        r.citation,
        {
          value: sev,
          tone: severityTone(r.severity),
          font: r.severity === 'critical' ? 'inverse' : 'normal',
        },
        r.enabled,
        { value: text, kind: 'wrap' },
      ],
      { merge: [6, 7] },
    );
  }

  s.blank();
  s.add([{ value: 'Policy in force', font: 'section' }]);
  s.header(['Setting', 'Key', 'Value', 'Meaning']);
  for (const p of POLICY_SETTINGS) {
    const value = policyValueText(policy, p.key);
    s.add([{ value: p.label, font: 'bold' }, p.key, value, { value: p.meaning, kind: 'wrap' }], {
      merge: [4, 7],
    });
  }
  s.add([{ value: 'Policy hash', font: 'bold' }, model.run.policyHash], { merge: [2, 4] });
  para({ value: 'Numeric minimums', font: 'bold' }, NUMERIC_MINIMUMS_NOTE);

  s.blank();
  s.add([{ value: LETTER_TITLE, font: 'section' }], { merge: [1, 7] });
  for (const r of LETTER_REQUIREMENTS) para({ value: r.section, font: 'bold' }, r.summary);

  s.blank();
  s.add([{ value: PAYMENT_MATRIX.title, font: 'section' }], { merge: [1, 7] });
  s.header(['', ...PAYMENT_MATRIX.payers]);
  for (const row of PAYMENT_MATRIX.rows) {
    s.add([{ value: row.aspect, font: 'bold' }, ...row.cells]);
  }

  s.blank();
  s.add([{ value: DECISION_TREE_TITLE, font: 'section' }], { merge: [1, 7] });
  para({ value: 'Note', font: 'bold' }, DECISION_TREE_NOTE);
  for (const step of DECISION_TREE) {
    const label =
      step.kind === 'question' ? 'Decision' : step.kind === 'action' ? 'Action' : 'Outcome';
    para({ value: `Step ${step.step}: ${label}`, font: 'bold' }, describeStep(step));
  }

  s.blank();
  s.add([{ value: 'Drug class catalog', font: 'section' }]);
  s.header([
    'Code',
    'Name',
    'Care type',
    'Part D network requirement',
    'Needs sterile compounding',
    'Part B note',
    'Example drugs',
  ]);
  for (const c of model.catalog) {
    s.add([
      { value: c.code, font: 'bold' },
      c.name,
      c.careType,
      c.partDRequired,
      c.needsSterileCompounding,
      c.partBNote,
      c.exampleDrugs.join(', '),
    ]);
  }
  s.commit();
}

function writeExceptions(ctx: Ctx): void {
  const { model } = ctx;
  const headers = [
    'Rule',
    'Contract',
    'PBP',
    'County FIPS',
    'County',
    'Drug class',
    'Pharmacy NPI',
    'Pharmacy',
    'Rationale',
    'Approved by',
    'Approved on',
    'Expires on',
    `Status on ${model.run.asOf}`,
    'Days left',
    'Findings matched',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.exceptions,
    [
      col(16),
      col(10),
      col(8),
      col(11),
      col(18, 'wrap'),
      col(12),
      col(13),
      col(24, 'wrap'),
      col(48, 'wrap'),
      col(22, 'wrap'),
      col(11, 'date'),
      col(11, 'date'),
      col(20),
      col(9, 'int'),
      col(10, 'int'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.exceptions.length + 1)}`,
    },
  );
  s.header(headers);
  for (const e of model.exceptions) {
    const status =
      e.status === 'in_force'
        ? e.unused
          ? { value: 'in force, unused', tone: 'amber' as const }
          : { value: 'in force', tone: 'green' as const }
        : e.status === 'expired'
          ? { value: e.unused ? 'expired, unused' : 'expired', tone: 'red' as const }
          : { value: 'not yet approved', tone: 'grey' as const };
    s.add([
      e.ruleId,
      e.contractId,
      e.pbpId ?? 'any',
      e.countyFips ?? 'any',
      e.countyName,
      e.drugClass ?? 'any',
      e.npi ?? 'any',
      e.pharmacyName,
      e.rationale,
      e.approvedBy,
      dateCell(e.approvedOn),
      dateCell(e.expiresOn),
      status,
      e.daysLeft,
      e.matched,
    ]);
  }
  s.commit();
}

function writeExpiring(ctx: Ctx): void {
  const { model } = ctx;
  const window = model.run.policy.expiringWindowDays;
  const headers = ['Days left', 'Expires on', 'Kind', 'Plan', 'Pharmacy NPI', 'Pharmacy', 'Item'];
  const s = addSheet(
    ctx,
    SHEET_NAMES.expiring,
    [col(9, 'int'), col(11, 'date'), col(14), col(17), col(13), col(28, 'wrap'), col(50, 'wrap')],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([
    {
      value: `Evidence and exceptions expiring within ${window} days of ${model.run.asOf} (EXPIRING-SOON)`,
      font: 'title',
    },
  ]);
  s.add([`${counted(model.expiring.length, 'item')}, soonest first.`], { merge: [1, 7] });
  s.header(headers);
  for (const x of model.expiring) {
    s.add([
      { value: x.daysLeft, tone: x.daysLeft <= 14 ? 'red' : 'amber' },
      dateCell(x.expiresOn),
      x.kind,
      x.plan,
      x.npi,
      x.pharmacyName,
      x.item,
    ]);
  }
  s.commit();
}

function cellList(cells: readonly string[], max = 30): string {
  const shown = cells.slice(0, max).map((c) => c.replace(':', ' '));
  return cells.length > max
    ? `${shown.join(', ')} and ${cells.length - max} more`
    : shown.join(', ');
}

function writeKeyPharmacies(ctx: Ctx): void {
  const { model } = ctx;
  const min = model.run.policy.minPharmaciesPerClass;
  const headers = [
    'Plan',
    'Rank',
    'Pharmacy NPI',
    'Pharmacy',
    'Cells lost if it leaves',
    `Cells where it is one of at most ${min}`,
    'Cells it covers',
    'Cells lost (county class)',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.keyPharmacies,
    [
      col(17),
      col(7, 'int'),
      col(13),
      col(30, 'wrap'),
      col(12, 'int'),
      col(14, 'int'),
      col(11, 'int'),
      col(60, 'wrap'),
    ],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([
    {
      value: 'Key pharmacies: what each plan loses if one HI pharmacy leaves (N-1)',
      font: 'title',
    },
  ]);
  s.add(
    [
      {
        value: `For each in-network home infusion pharmacy of a plan, the county x required class cells that would fall below the policy minimum (${min}) if it left the network, the whole network being re-tested without it. Ranked per plan, most cells lost first.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 8] },
  );
  s.header(headers);
  for (const k of model.keyPharmacies) {
    s.add([
      planKeyString(k),
      k.rank,
      k.npi,
      k.name,
      { value: k.cellsLost, tone: k.cellsLost > 0 ? 'amber' : 'none' },
      k.cellsCritical,
      k.cellsCovered,
      cellList(k.lostCells),
    ]);
  }
  s.commit();
}

function writeRecruitment(ctx: Ctx): void {
  const { model } = ctx;
  const headers = [
    'Plan',
    'Rank',
    'Pharmacy NPI',
    'Pharmacy',
    'City',
    'State',
    'Service type',
    'Gaps it would close',
    'Open gaps of the plan',
    'HI pharmacy of other plans',
    'Gaps closed (county class)',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.recruitment,
    [
      col(17),
      col(7, 'int'),
      col(13),
      col(30, 'wrap'),
      col(16),
      col(7),
      col(9),
      col(11, 'int'),
      col(11, 'int'),
      col(24, 'wrap'),
      col(60, 'wrap'),
    ],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([{ value: 'Recruitment candidates: who would close the open gaps', font: 'title' }]);
  s.add(
    [
      {
        value:
          "Pharmacies known from any roster that are not in the plan's home infusion network, ranked by how many of the plan's open county x required class gaps they would close (they serve the county and deliver the class in usable form). At most 100 per plan.",
        kind: 'wrap',
      },
    ],
    { merge: [1, 11] },
  );
  s.header(headers);
  for (const r of model.recruitment) {
    s.add([
      planKeyString(r),
      r.rank,
      r.npi,
      r.name,
      r.city,
      r.state,
      r.serviceType,
      r.gapsClosed,
      r.planGaps,
      r.hiInPlans.join(', '),
      cellList(r.cells),
    ]);
  }
  s.commit();
}

// ------------------------------------------------------------------------------------------------

export interface WriteWorkbookOptions {
  model: ReportModel;
  /** Final path of the .xlsx; written to `<path>.tmp-<pid>` first, then renamed. */
  path: string;
}

/** The Maps sheet: one coverage map per plan, placed after streaming (maps-sheet.ts). */
function writeMaps(ctx: Ctx): SheetPicture[] {
  const s = addSheet(ctx, SHEET_NAMES.maps, [col(MAPS_COLUMN_WIDTH, 'wrap')]);
  s.ws.pageSetup.orientation = 'landscape'; // a 4:3 map and its caption on one page
  const pictures = writeMapRows(s, ctx.model);
  s.commit();
  return pictures;
}

/**
 * Writes the compliance workbook atomically: streamed, then copied once with the Maps sheet's
 * pictures added (xlsx-pictures.ts), since the streaming writer cannot place pictures.
 */
export async function writeWorkbook({ model, path }: WriteWorkbookOptions): Promise<void> {
  await writeAtomically(path, async (tmp) => {
    const streamed = `${tmp}.streamed`;
    let pictures: SheetPicture[] = [];
    await writeStreamToFile(streamed, async (stream) => {
      pictures = await streamWorkbook(model, stream);
    });
    if (pictures.length === 0) {
      await rename(streamed, tmp);
    } else {
      await addSheetPictures({ from: streamed, to: tmp, sheetName: SHEET_NAMES.maps, pictures });
      await rm(streamed, { force: true });
    }
  });
}

async function streamWorkbook(model: ReportModel, stream: Writable): Promise<SheetPicture[]> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const generated = instantCell(model.run.generatedAt) ?? new Date(0);
  wb.creator = 'infusion-audit';
  wb.lastModifiedBy = 'infusion-audit';
  wb.created = generated;
  wb.modified = generated;
  wb.title = safeText(`Home infusion network audit: ${model.run.sponsorName}`);
  wb.subject = safeText(
    `Part D home infusion network audit, scope ${model.run.scopeLabel}, as of ${model.run.asOf}, run ${model.run.runId}`,
  );
  wb.keywords = 'Medicare Part D; home infusion; network adequacy';
  const ctx: Ctx = {
    model,
    wb,
    styles: new StyleBook(),
    catalog: new Map(model.catalog.map((c) => [c.code, c])),
    names: nameIndexes(model),
  };
  writeSummary(ctx);
  await writeFindings(ctx);
  await writeCoverage(ctx);
  const pictures = writeMaps(ctx);
  await writeDirectory(ctx);
  await writeAssurances(ctx);
  await writeRequests(ctx);
  await writeChanges(ctx);
  await writeLineage(ctx);
  writeMethodology(ctx);
  writeExceptions(ctx);
  writeExpiring(ctx);
  writeKeyPharmacies(ctx);
  writeRecruitment(ctx);
  await wb.commit();
  return pictures;
}
