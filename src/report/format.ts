/**
 * Formatting shared by the report writers. Pure functions: no clock, no I/O.
 */
import type { Finding, IsoDate, IsoInstant, PlanKey } from '../domain/types.js';
import { planKeyString } from '../domain/types.js';

/** Excel's maximum number of characters in a cell. */
export const MAX_CELL_CHARS = 32_767;
const TRUNCATION_MARK = ' [truncated]';

/**
 * Characters XML 1.0 cannot carry (C0 controls other than tab, LF, CR; DEL, which exceljs drops
 * too; U+FFFE/U+FFFF). Lone surrogates are handled separately.
 */
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any character safeText may change: XML_ILLEGAL's, CR, and every surrogate (paired or not). */
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u0008\u000B-\u001F\u007F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Characters that make a spreadsheet app read typed text as a formula (CSV/DDE injection). */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

/** True when a text would start a formula if typed into a spreadsheet cell. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_TRIGGERS.some((c) => text.startsWith(c));
}

/**
 * The one way report writers turn a value into cell text. Every string cell of the workbook is
 * written through it (input-derived or not).
 *
 * Guarantees:
 * - The result is a primitive JS `string`, never an object. exceljs decides a cell's type from the
 *   JS type of its value, so a string is always written as a plain string cell (`t="str"` with a
 *   `<v>` and no `<f>` element): it can never become a formula, a hyperlink or rich text, whatever
 *   it starts with. Text starting with `=`, `+`, `-`, `@`, tab or CR is kept exactly as it is
 *   (no quote prefix is added, so what the reader sees is the input).
 * - Characters that XML 1.0 cannot carry (C0 controls other than tab/LF/CR, DEL, U+FFFE/U+FFFF)
 *   are removed and lone surrogates become U+FFFD, so the file is well-formed. CR and CRLF become
 *   LF, as an XML parser would turn them anyway: the text returned is exactly the text a reader
 *   gets back from the file (a leading CR is therefore read back as a leading LF).
 * - At most MAX_CELL_CHARS characters (Excel's cell limit); longer text is cut and ends with
 *   ' [truncated]'.
 * - null and undefined become ''.
 *
 * It never creates hyperlinks: the workbook's only hyperlinks are internal ones built by the
 * writer from sheet names it defines (see `internalLink` in write-workbook.ts).
 */
export function safeText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  // Fast path (most cells): nothing to remove, replace or cut.
  if (text.length <= MAX_CELL_CHARS && !NEEDS_CLEANING.test(text)) return text;
  text = text.replace(XML_ILLEGAL, '').replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n');
  if (text.length > MAX_CELL_CHARS) {
    text = text.slice(0, MAX_CELL_CHARS - TRUNCATION_MARK.length) + TRUNCATION_MARK;
  }
  return text;
}

/** `S1234-001-000`. */
export function planLabel(p: PlanKey): string {
  return planKeyString(p);
}

/** The plan of a finding, or '' when it has none (segment defaults to 000). */
export function findingPlan(f: Pick<Finding, 'contractId' | 'pbpId' | 'segmentId'>): string {
  if (f.contractId === null) return '';
  if (f.pbpId === null) return f.contractId;
  return `${f.contractId}-${f.pbpId}-${f.segmentId ?? '000'}`;
}

/** `(555) 555-1234` for a 10-digit US number (an 11-digit one starting with 1 too); else as is. */
export function formatPhone(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  const trimmed = raw.trim();
  const ext = /\s*(?:x|ext\.?)\s*(\d+)$/i.exec(trimmed);
  const main = ext ? trimmed.slice(0, ext.index) : trimmed;
  let digits = main.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10 || /[^\d\s().+-]/.test(main)) return trimmed;
  const formatted = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  return ext ? `${formatted} ext. ${ext[1]!}` : formatted;
}

/**
 * A member id shown with only its last 4 characters: `****1234`. The model is already masked;
 * this masks again so a full id can never reach a report.
 */
export function maskMemberId(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const trimmed = value.trim();
  if (trimmed === '') return '';
  return `****${trimmed.slice(-4)}`;
}

/** Evidence as `k=v; k=v` in the evidence's own key order; arrays joined with commas. */
export function evidenceText(evidence: Finding['evidence']): string {
  return Object.entries(evidence)
    .map(([k, v]) => {
      let shown: string;
      if (v === null) shown = '(none)';
      else if (Array.isArray(v)) shown = v.join(',');
      else shown = String(v);
      return `${k}=${shown}`;
    })
    .join('; ');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as a Date at UTC midnight (how exceljs writes an exact date serial). */
export function dateCell(date: IsoDate | null | undefined): Date | null {
  if (date === null || date === undefined) return null;
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant as a Date; exceljs writes it as its UTC wall-clock time. */
export function instantCell(instant: IsoInstant | null | undefined): Date | null {
  if (instant === null || instant === undefined) return null;
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? null : d;
}

const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as a Date whose UTC wall-clock time is the time in `timeZone` (exceljs writes a
 * Date's UTC wall clock), to the minute: what the sponsor's staff read on their clocks.
 */
export function zonedCell(instant: IsoInstant | null | undefined, timeZone: string): Date | null {
  const d = instantCell(instant);
  if (d === null) return null;
  let fmt = ZONE_FORMATS.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    ZONE_FORMATS.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(d);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')));
}

/** `America/Chicago` as the label of a time column: `(America/Chicago)`. */
export function zoneLabel(timeZone: string): string {
  return `(${timeZone})`;
}

/** `1 finding`, `2 findings`; `plural` defaults to the word with an s. */
export function counted(n: number, word: string, plural = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : plural}`;
}

/** Percentage with one decimal, or null when the denominator is 0. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** `1234 ms` / `12.3 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
