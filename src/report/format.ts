/**
 * Formatting shared by the report writers. Pure functions: no clock, no I/O.
 */
import type { Finding, IsoDate, IsoInstant } from '../domain/types.js';
import { maskMemberId as maskId } from '../roster/validate.js';
import { wallClockMs } from '../util/time.js';

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
 * writer from sheet names it defines (see `internalLink` in sheet-writer.ts).
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

/**
 * Text as inert markup, HTML or SVG (element content or a quoted attribute value), after dropping
 * what XML cannot carry (safeText).
 */
export function markupText(value: string | number | boolean | null | undefined): string {
  return safeText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
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
  return maskId(value ?? null) ?? '';
}

type EvidenceValue = Finding['evidence'][string];

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `10/30/2026 11:00 AM` in the time zone: how claims systems and staff write a date-time. */
export function claimsDateTime(instant: string, timeZone: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const w = new Date(wallClockMs(d.getTime(), timeZone));
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = w.getUTCHours();
  return `${two(w.getUTCMonth() + 1)}/${two(w.getUTCDate())}/${w.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(w.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

function yesNo(v: EvidenceValue): string {
  return v === true ? 'yes' : v === false ? 'no' : String(v);
}

/** `accreditationExpires` -> `accreditation expires`. */
const KEY_WORDS = new Map<string, string>();

function keyWords(key: string): string {
  let words = KEY_WORDS.get(key);
  if (words === undefined) {
    words = key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase();
    if (KEY_WORDS.size < 1000) KEY_WORDS.set(key, words);
  }
  return words;
}

function listText(v: readonly (string | number | boolean | null)[]): string {
  return v.length === 0 ? 'none' : v.map((x) => String(x)).join(', ');
}

/** One evidence value in words, instants in the sponsor's time zone. */
function valueWords(v: EvidenceValue, timeZone: string): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return listText(v);
  if (typeof v === 'boolean') return yesNo(v);
  if (typeof v === 'string' && ISO_INSTANT.test(v)) return claimsDateTime(v, timeZone);
  return String(v);
}

function plural(v: EvidenceValue, word: string, words = `${word}s`): string {
  return typeof v === 'number' ? counted(v, word, words) : `${String(v)} ${words}`;
}

/**
 * `1,240 members of this plan live in this county`, or why they are not known:
 * `members affected: not computed (no enrollment roster)`, never 0 for "unknown".
 */
export function membersAffectedText(v: EvidenceValue, why?: EvidenceValue): string {
  if (typeof v === 'number') {
    return `${counted(v, 'member')} of this plan ${v === 1 ? 'lives' : 'live'} in this county`;
  }
  return `members affected: not computed (${typeof why === 'string' ? why : 'no enrollment roster'})`;
}

/** Phrases for evidence keys that read better as a sentence than as `key: value`. */
const PHRASES: Record<string, (v: EvidenceValue, e: Finding['evidence']) => string | null> = {
  servingPharmacies: (v, e) =>
    `${String(v)} ${v === 1 ? 'pharmacy serves' : 'pharmacies serve'} this county${
      typeof e.coveringPharmacies === 'number'
        ? `, ${e.coveringPharmacies} of them ${e.coveringPharmacies === 1 ? 'delivers' : 'deliver'} this class`
        : ''
    }`,
  coveringPharmacies: (v, e) =>
    'servingPharmacies' in e
      ? null
      : `${String(v)} ${v === 1 ? 'pharmacy covers' : 'pharmacies cover'} this${typeof e.careType === 'string' ? ` ${e.careType}` : ''} class`,
  careType: (_v, e) => ('coveringPharmacies' in e ? null : `care type ${String(_v)}`),
  minimum: (v) => `policy minimum ${String(v)}`,
  membersAffected: (v, e) => membersAffectedText(v, e.membersNotComputed),
  membersNotComputed: () => null,
  npis: (v) => (Array.isArray(v) && v.length > 0 ? `NPI ${listText(v)}` : null),
  providesNursing: (v) => (v === true ? 'provides nursing' : 'does not provide nursing'),
  providesSupplies: (v) => (v === true ? 'provides supplies' : 'does not provide supplies'),
  uncovered: (v) =>
    Array.isArray(v) && v.length > 0
      ? `not covered: ${v.map((x) => x.replace(':', ' in ')).join(', ')}`
      : null,
  deliversWithin24h: (v) =>
    v === true ? 'delivers within 24 hours' : 'does not deliver within 24 hours of discharge',
  planRecord: (v) => (v === false ? 'no plan record' : null),
  open24x7: (v) => (v === true ? 'open 24x7' : 'not open 24x7'),
  afterHoursPhone: (v) => (v === null ? 'no after-hours phone' : `after-hours phone ${String(v)}`),
  needsSterileCompounding: (v) =>
    v === true ? 'the class needs sterile compounding' : 'the class needs no sterile compounding',
  sterileCompounding: (v) =>
    v === true ? 'compounds sterile preparations' : 'does not compound sterile preparations',
  notes: (v) => (v === null || v === '' ? null : `notes: ${String(v)}`),
  usp797Category: (v) => (v === null ? null : `USP 797 category ${String(v)}`),
  maxAgeDays: (v) => `policy maximum age ${plural(v, 'day')}`,
  reviewAgeDays: (v) => `reviewed ${plural(v, 'day')} ago`,
  daysLeft: (v) => `${plural(v, 'day')} left`,
  elapsedHours: (v) => `${plural(v, 'hour')} elapsed`,
  serviceAreaCounties: (v) => plural(v, 'service-area county', 'service-area counties'),
  rosterAsOf: (v) => (v === null ? 'no roster as-of date' : `roster as of ${String(v)}`),
  decidedAt: (v) => (v === null ? 'not decided' : `decided ${String(v)}`),
};

/** Keys whose phrase opens the sentence, in this order; the others keep the evidence's order. */
const LEADING = ['servingPharmacies', 'coveringPharmacies', 'minimum'];

function leading(key: string): number {
  const i = LEADING.indexOf(key);
  return i === -1 ? LEADING.length : i;
}

/**
 * Evidence in words a person reads, in the evidence's own key order:
 * `0 pharmacies serve this county; policy minimum 1`. Date-times are shown in `timeZone` as
 * `10/30/2026 11:00 AM`; keys without a phrase read `key words: value`.
 */
export function evidenceText(evidence: Finding['evidence'], timeZone = 'UTC'): string {
  const parts: string[] = [];
  const entries = Object.entries(evidence).sort(([a], [b]) => leading(a) - leading(b));
  for (const [k, v] of entries) {
    const phrase = PHRASES[k];
    if (phrase) {
      const words = phrase(
        typeof v === 'string' && ISO_INSTANT.test(v) ? claimsDateTime(v, timeZone) : v,
        evidence,
      );
      if (words !== null) parts.push(words);
      continue;
    }
    parts.push(`${keyWords(k)}: ${valueWords(v, timeZone)}`);
  }
  return parts.join('; ');
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

/**
 * An instant as a Date whose UTC wall-clock time is the time in `timeZone` (exceljs writes a
 * Date's UTC wall clock), to the minute: what the sponsor's staff read on their clocks.
 */
export function zonedCell(instant: IsoInstant | null | undefined, timeZone: string): Date | null {
  const d = instantCell(instant);
  if (d === null) return null;
  const wall = wallClockMs(d.getTime(), timeZone);
  return new Date(wall - (wall % 60_000));
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
