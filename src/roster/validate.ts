/**
 * Field parsers for roster values. Pure functions: no I/O.
 *
 * Every parser takes the cell as read (a string from CSV; a string, number or Date from XLSX;
 * null/undefined when blank) and returns `{ok: true, value, warnings?}` or `{ok: false, reason}`,
 * where `reason` is written for a compliance officer, not a programmer.
 */
import type { IsoDate, IsoInstant, ServiceType } from '../domain/types.js';
import { SERVICE_TYPES } from '../domain/types.js';
import { allDigits, digitsAt, isoDayAt, isoTimeAt } from '../util/iso-text.js';
import { isValidTimeZone, wallTimeToUtcMs } from '../util/time.js';

export type CellValue = string | number | Date | null | undefined;

export type FieldResult<T> =
  { ok: true; value: T; warnings?: string[] } | { ok: false; reason: string };

export function ok<T>(value: T, warnings?: string[]): FieldResult<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}
export function fail<T = never>(reason: string): FieldResult<T> {
  return { ok: false, reason };
}

/** Text of a cell for messages and for the `raw` record. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  }
  if (typeof v === 'number') return numberText(v);
  return v;
}

function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// Fast paths
//
// A roster cell usually holds its value in canonical form already (`1234567893`, `S1234`, `Y`,
// `2026-01-31`, plain text without surrounding spaces). Each parser below first recognises that
// form with a few character tests and returns it as is; anything else (blank, padded, other
// spellings, wrong) goes through the general code, which alone produces warnings and reasons.
// test/roster/fast-paths.test.ts proves, for every roster kind, that the records and rejections
// are the same with the fast paths off.

let fastPaths = true;

/** Turns the canonical-value fast paths off (tests compare both paths). Returns the old state. */
export function setFastPaths(on: boolean): boolean {
  const was = fastPaths;
  fastPaths = on;
  return was;
}

/** Whether the fast paths are on (readers that shortcut a whole row check it once). */
export function fastPathsOn(): boolean {
  return fastPaths;
}

/** The cell as a string when fast paths are on and it is one, else null. */
function fastText(v: CellValue): string | null {
  return fastPaths && typeof v === 'string' ? v : null;
}

// Each `canonicalX(s)` below is the fast path of its parser on its own: the value when `s` is
// already canonical (the parser would return exactly it, without warnings), else undefined (the
// parser decides). The parsers call them first; the column specs offer them to the row readers
// (src/roster/kinds/kind.ts), which so read a canonical cell without a result object.

/**
 * Text that trimming and the non-breaking-space rule leave as it is, not blank: printable ASCII
 * at both ends, no U+00A0 inside.
 */
function plainText(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const a = s.charCodeAt(0);
  const z = s.charCodeAt(n - 1);
  return a > 32 && a < 127 && z > 32 && z < 127 && s.indexOf('\u00a0') === -1;
}

export function isBlank(v: CellValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  return false;
}

/** Trimmed text with non-breaking spaces turned into spaces. */
function text(v: CellValue): string {
  const t = cellText(v);
  return (t.indexOf('\u00a0') === -1 ? t : t.replace(/\u00a0/g, ' ')).trim();
}

function show(v: CellValue): string {
  const t = cellText(v);
  return t.length > 60 ? `"${t.slice(0, 57)}..."` : `"${t}"`;
}

// ---------------------------------------------------------------------------------------------
// States and FIPS

/** USPS state code -> 2-digit FIPS state code (50 states, DC and the five inhabited territories). */
export const STATE_FIPS: Readonly<Record<string, string>> = {
  AL: '01',
  AK: '02',
  AZ: '04',
  AR: '05',
  CA: '06',
  CO: '08',
  CT: '09',
  DE: '10',
  DC: '11',
  FL: '12',
  GA: '13',
  HI: '15',
  ID: '16',
  IL: '17',
  IN: '18',
  IA: '19',
  KS: '20',
  KY: '21',
  LA: '22',
  ME: '23',
  MD: '24',
  MA: '25',
  MI: '26',
  MN: '27',
  MS: '28',
  MO: '29',
  MT: '30',
  NE: '31',
  NV: '32',
  NH: '33',
  NJ: '34',
  NM: '35',
  NY: '36',
  NC: '37',
  ND: '38',
  OH: '39',
  OK: '40',
  OR: '41',
  PA: '42',
  RI: '44',
  SC: '45',
  SD: '46',
  TN: '47',
  TX: '48',
  UT: '49',
  VT: '50',
  VA: '51',
  WA: '53',
  WV: '54',
  WI: '55',
  WY: '56',
  AS: '60',
  GU: '66',
  MP: '69',
  PR: '72',
  VI: '78',
};

/** 2-digit FIPS state code -> USPS state code. */
export const FIPS_STATE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(STATE_FIPS).map(([state, fips]) => [fips, state]),
);

/** States whose ZIP codes begin with 0 (Excel drops that zero when it reads a ZIP as a number). */
export const ZERO_ZIP_STATES: ReadonlySet<string> = new Set([
  'CT',
  'MA',
  'ME',
  'NH',
  'NJ',
  'RI',
  'VT',
  'PR',
  'VI',
]);
/** States and territories whose ZIP codes begin with 00 (006xx-009xx). */
const DOUBLE_ZERO_ZIP_STATES: ReadonlySet<string> = new Set(['PR', 'VI']);

export function canonicalState(s: string): string | undefined {
  return s.length === 2 && Object.hasOwn(STATE_FIPS, s) ? s : undefined;
}

export function parseState(v: CellValue): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && canonicalState(f) !== undefined) return { ok: true, value: f };
  const t = text(v).toUpperCase();
  if (t === '') return fail('state is missing');
  if (Object.hasOwn(STATE_FIPS, t)) return ok(t);
  return fail(
    `${show(v)} is not a USPS state code: use the 2-letter code (e.g. NY, DC, PR) of one of the 50 states, DC, PR, VI, GU, AS or MP`,
  );
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/** Luhn check of a 10-digit NPI using the 80840 prefix (add 24 to the Luhn sum of the first 9 digits). */
export function npiCheckDigitOk(npi: string): boolean {
  return allDigits(npi, 10) && luhnOk(npi);
}

/** Expands `1.234567893E+09` to its digits when the notation holds every digit, else null. */
function expandScientific(t: string): { digits: string; exact: boolean } | null {
  const m = /^(\d)(?:\.(\d+))?E\+?(\d{1,2})$/i.exec(t);
  if (!m) return null;
  const lead = m[1]!;
  const frac = m[2] ?? '';
  const exp = Number(m[3]);
  if (frac.length > exp) return { digits: '', exact: false };
  const digits = lead + frac + '0'.repeat(exp - frac.length);
  // Exact only when the mantissa itself spells every digit of the 10-digit number.
  return { digits, exact: frac.length === exp };
}

/** npiCheckDigitOk of 10 ASCII digits (checked by the caller). */
function luhnOk(npi: string): boolean {
  let sum = 24;
  // Double every other digit starting from the rightmost of the first nine.
  for (let i = 0; i < 9; i++) {
    let d = npi.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === npi.charCodeAt(9) - 48;
}

/** 10 ASCII digits, the first 1 or 2: an NPI but for its check digit. */
function npiShaped(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c === 49 || c === 50) && allDigits(s, 10);
}

export function canonicalNpi(s: string): string | undefined {
  return npiShaped(s) && luhnOk(s) ? s : undefined;
}

function npiCheckDigitWrong(v: CellValue): FieldResult<string> {
  return fail(
    `${show(v)} is not a valid NPI: its check digit (last digit) is wrong, look for a typo`,
  );
}

export function parseNpi(v: CellValue): FieldResult<string> {
  const f = fastText(v);
  // The commonest bad NPI, a typo in a digit, is known here too: nothing to clean up.
  if (f !== null && npiShaped(f)) return luhnOk(f) ? { ok: true, value: f } : npiCheckDigitWrong(v);
  if (isBlank(v)) return fail('NPI is missing');
  let t: string;
  const warnings: string[] = [];
  if (typeof v === 'number') {
    if (!Number.isInteger(v))
      return fail(`${show(v)} is not an NPI: an NPI is 10 digits with no decimals`);
    t = numberText(v);
  } else {
    t = text(v).replace(/[\s-]/g, '');
    const sci = expandScientific(t);
    if (sci) {
      if (!sci.exact || sci.digits.length !== 10) {
        return fail(
          `${show(v)} is an NPI that Excel turned into scientific notation and its last digits are lost: format the column as Text and re-enter the 10-digit NPI`,
        );
      }
      warnings.push(`NPI ${show(v)} was in scientific notation; read as ${sci.digits}`);
      t = sci.digits;
    } else if (/^\d{10}\.0+$/.test(t)) {
      t = t.slice(0, 10);
    }
  }
  if (!/^\d+$/.test(t)) return fail(`${show(v)} is not an NPI: an NPI is 10 digits`);
  if (t.length !== 10)
    return fail(`${show(v)} is not an NPI: an NPI has 10 digits, this has ${t.length}`);
  if (t[0] !== '1' && t[0] !== '2')
    return fail(`${show(v)} is not an NPI: an NPI starts with 1 (individual) or 2 (organisation)`);
  if (!npiCheckDigitOk(t)) return npiCheckDigitWrong(v);
  return ok(t, warnings);
}

export function canonicalNcpdpId(s: string): string | undefined {
  return allDigits(s, 7) ? s : undefined;
}

export function parseNcpdpId(v: CellValue): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && allDigits(f, 7)) return { ok: true, value: f };
  if (isBlank(v)) return fail('NCPDP ID is missing');
  let t = typeof v === 'number' && Number.isInteger(v) ? numberText(v) : text(v);
  const warnings: string[] = [];
  if (/^\d{6}$/.test(t)) {
    t = '0' + t;
    warnings.push(`NCPDP ID ${show(v)} had 6 digits; a leading zero was restored (${t})`);
  }
  if (!/^\d{7}$/.test(t))
    return fail(`${show(v)} is not an NCPDP provider ID: it must be 7 digits`);
  return ok(t, warnings);
}

/** Contract ID: H, S, R or E and 4 digits (S1234 PDP, H1234 local MA, R1234 regional PPO, E1234 employer). */
export function canonicalContractId(s: string): string | undefined {
  if (s.length !== 5) return undefined;
  const c = s.charCodeAt(0);
  // H, S, R, E
  return (c === 72 || c === 83 || c === 82 || c === 69) && digitsAt(s, 1, 4) ? s : undefined;
}

export function parseContractId(v: CellValue): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && canonicalContractId(f) !== undefined) return { ok: true, value: f };
  if (isBlank(v)) return fail('contract ID is missing');
  const t = text(v).toUpperCase();
  if (/^[HSRE]\d{4}$/.test(t)) return ok(t);
  return fail(
    `${show(v)} is not a CMS contract ID: it must be a letter H, S, R or E followed by 4 digits (e.g. S1234)`,
  );
}

/** A PBP or segment ID as written: 3 digits. */
export function canonical3Digits(s: string): string | undefined {
  return allDigits(s, 3) ? s : undefined;
}

function parse3Digits(v: CellValue, label: string, example: string): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && allDigits(f, 3)) return { ok: true, value: f };
  const t = typeof v === 'number' && Number.isInteger(v) ? numberText(v) : text(v);
  if (/^\d{1,3}$/.test(t)) return ok(t.padStart(3, '0'));
  return fail(`${show(v)} is not a ${label}: it must be 3 digits (e.g. ${example})`);
}

/** Plan benefit package: 3 digits; 1-2 digits are padded with zeros (Excel drops them). */
export function parsePbpId(v: CellValue): FieldResult<string> {
  if (isBlank(v)) return fail('plan benefit package (PBP) ID is missing');
  return parse3Digits(v, 'plan benefit package (PBP) ID', '001');
}

/** Segment: 3 digits, blank = 000. */
export function parseSegmentId(v: CellValue): FieldResult<string> {
  if (isBlank(v)) return ok('000');
  return parse3Digits(v, 'segment ID', '000');
}

// ---------------------------------------------------------------------------------------------
// ZIP, county, phone

function digitsOf(v: CellValue): string {
  return typeof v === 'number' && Number.isInteger(v) ? numberText(v) : text(v);
}

/**
 * ZIP code: 5 digits or ZIP+4 (`123456789`, `12345-6789`), normalised to 5 digits. When `state`
 * is a state whose ZIPs begin with 0 and the ZIP lost its leading zero(s), they are restored
 * with a warning.
 */
export function canonicalZip(s: string): string | undefined {
  return allDigits(s, 5) ? s : undefined;
}

export function parseZip(v: CellValue, state?: string | null): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && allDigits(f, 5)) return { ok: true, value: f };
  if (isBlank(v)) return fail('ZIP code is missing');
  const t = digitsOf(v);
  let zip5: string;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{3,5})-\d{4}$/.exec(t))) zip5 = m[1]!;
  else if (/^\d{3,5}$/.test(t)) zip5 = t;
  else if (/^\d{7,9}$/.test(t)) zip5 = t.slice(0, -4);
  else return fail(`${show(v)} is not a ZIP code: use 5 digits (12345) or ZIP+4 (12345-6789)`);
  if (zip5.length === 5) return ok(zip5);
  const st = state ?? '';
  const canRestore =
    (zip5.length === 4 && ZERO_ZIP_STATES.has(st)) ||
    (zip5.length === 3 && DOUBLE_ZERO_ZIP_STATES.has(st));
  if (canRestore) {
    const restored = zip5.padStart(5, '0');
    return ok(restored, [
      `ZIP ${show(v)} lost its leading zero (Excel reads ZIPs as numbers); read as ${restored} because ${st} ZIP codes start with 0`,
    ]);
  }
  return fail(
    `${show(v)} is not a ZIP code: it has ${zip5.length} digits, a ZIP has 5 (if Excel dropped a leading zero, format the column as Text)`,
  );
}

/**
 * County FIPS: 5 digits whose first 2 are a state FIPS code; when `state` is given they must be
 * that state's code. A 4-digit value (leading zero lost) is restored with a warning when the
 * restored code belongs to `state` (or, without a state, to some state).
 */
export function canonicalCountyFips(s: string, state?: string | null): string | undefined {
  if (!allDigits(s, 5) || s.endsWith('000')) return undefined;
  const fipsState = FIPS_STATE[s.slice(0, 2)];
  return fipsState !== undefined &&
    (!state || STATE_FIPS[state] === undefined || state === fipsState)
    ? s
    : undefined;
}

export function parseCountyFips(v: CellValue, state?: string | null): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && canonicalCountyFips(f, state) !== undefined) return { ok: true, value: f };
  if (isBlank(v)) return fail('county FIPS code is missing');
  let t = digitsOf(v);
  const warnings: string[] = [];
  const stateFips = state ? STATE_FIPS[state] : undefined;
  if (/^\d{4}$/.test(t)) {
    const restored = '0' + t;
    const prefix = restored.slice(0, 2);
    const restoredOk = stateFips ? prefix === stateFips : Object.hasOwn(FIPS_STATE, prefix);
    if (!restoredOk) {
      return fail(
        `${show(v)} is not a county FIPS code: it has 4 digits, a county FIPS code has 5 (2 for the state, 3 for the county)` +
          (stateFips ? ` and adding the missing leading zero does not give a ${state} county` : ''),
      );
    }
    warnings.push(
      `county FIPS ${show(v)} lost its leading zero (Excel reads codes as numbers); read as ${restored}`,
    );
    t = restored;
  }
  if (!/^\d{5}$/.test(t)) {
    return fail(
      `${show(v)} is not a county FIPS code: it must be 5 digits, 2 for the state and 3 for the county (e.g. 36061 for New York County, NY)`,
    );
  }
  const prefix = t.slice(0, 2);
  const fipsState = FIPS_STATE[prefix];
  if (!fipsState) {
    return fail(`${show(v)} is not a county FIPS code: ${prefix} is not a state FIPS code`);
  }
  if (t.endsWith('000')) {
    return fail(
      `${show(v)} is not a county FIPS code: county 000 does not exist (SSA county codes are not FIPS codes)`,
    );
  }
  if (stateFips && prefix !== stateFips) {
    return fail(
      `county FIPS ${t} is in ${fipsState} (state code ${prefix}) but the state is ${state} (state code ${stateFips})`,
    );
  }
  return ok(t, warnings);
}

/**
 * US phone number (NANP), 10 digits, punctuation and a leading 1/+1 accepted, optionally followed
 * by an extension (`x12`, `ext. 12`, `extension 12`); output `NNNNNNNNNN` or `NNNNNNNNNN x12`.
 */
export function canonicalPhone(s: string): string | undefined {
  return allDigits(s, 10) && s.charCodeAt(0) > 49 && s.charCodeAt(3) > 49 ? s : undefined;
}

export function parsePhone(v: CellValue): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && canonicalPhone(f) !== undefined) return { ok: true, value: f };
  if (isBlank(v)) return fail('phone number is missing');
  const full = digitsOf(v);
  const ext = /^(.*?)[\s,;]*(?:x|ext\.?|extension)\s*(\d{1,6})\s*$/i.exec(full);
  const t = ext ? ext[1]! : full;
  if (/[a-z]/i.test(t)) {
    return fail(
      `${show(v)} is not a phone number we can use: write 10 digits (e.g. 212-555-0147), optionally with an extension (x12), without letters`,
    );
  }
  if (!/^[\d\s().+\-/]+$/.test(t)) {
    return fail(`${show(v)} is not a phone number: write 10 digits, e.g. (212) 555-0147`);
  }
  let d = t.replace(/\D/g, '');
  if (d.length === 11 && d.startsWith('1')) d = d.slice(1);
  if (d.length !== 10) {
    return fail(
      `${show(v)} is not a US phone number: it must have 10 digits (area code + number), this has ${d.length}`,
    );
  }
  if (d[0] === '0' || d[0] === '1')
    return fail(`${show(v)} is not a valid US phone number: an area code cannot start with 0 or 1`);
  if (d[3] === '0' || d[3] === '1')
    return fail(
      `${show(v)} is not a valid US phone number: the exchange (digits 4-6) cannot start with 0 or 1`,
    );
  return ok(ext ? `${d} x${ext[2]!}` : d);
}

// ---------------------------------------------------------------------------------------------
// Dates and instants

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Years a roster date or instant may have. Anything else is a typing or conversion error, and
 * far-off Date cells would otherwise reach the edge of the JavaScript date range, where
 * time-zone arithmetic throws.
 */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function yearInRange(y: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR;
}

function outOfRange(v: CellValue): FieldResult<never> {
  return fail(`${show(v)} is out of range: the year must be ${MIN_YEAR} to ${MAX_YEAR}`);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (!yearInRange(y) || m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

function isoDate(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Excel serial (1900 date system) -> UTC epoch milliseconds of that wall-clock time. */
export function excelSerialToUtcMs(serial: number): number | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return null;
  return Math.round((serial - 25569) * 86_400_000);
}

/** Calendar date: ISO `YYYY-MM-DD`, `MM/DD/YYYY`, a Date read from XLSX, or an Excel serial number. */
export function canonicalDate(s: string): IsoDate | undefined {
  return s.length === 10 && isoDayAt(s) ? s : undefined;
}

export function parseDate(v: CellValue): FieldResult<IsoDate> {
  const f = fastText(v);
  if (f !== null && canonicalDate(f) !== undefined) return { ok: true, value: f };
  if (isBlank(v)) return fail('date is missing');
  const formats = 'use YYYY-MM-DD (e.g. 2026-01-31) or MM/DD/YYYY';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail(`not a date: ${formats}`);
    // exceljs returns cell dates as UTC midnight of the day shown in Excel.
    const y = v.getUTCFullYear();
    if (!yearInRange(y)) return outOfRange(v);
    return ok(isoDate(y, v.getUTCMonth() + 1, v.getUTCDate()));
  }
  if (typeof v === 'number' || /^\d{5}(\.\d+)?$/.test(text(v))) {
    const n = typeof v === 'number' ? v : Number(text(v));
    const ms = excelSerialToUtcMs(n);
    if (ms === null) return fail(`${show(v)} is not a date: ${formats}`);
    const dt = new Date(ms);
    // Excel serials go up to the year 9999.
    if (!yearInRange(dt.getUTCFullYear())) return outOfRange(v);
    return ok(isoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()));
  }
  const t = text(v);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t))) {
    mo = Number(m[1]);
    d = Number(m[2]);
    y = Number(m[3]);
  } else if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(t)) {
    return fail(`${show(v)} has a 2-digit year: write the year in full (${formats})`);
  } else {
    return fail(`${show(v)} is not a date: ${formats}`);
  }
  if (!yearInRange(y)) return outOfRange(v);
  if (!isRealDate(y, mo, d)) return fail(`${show(v)} is not a real calendar date`);
  return ok(isoDate(y, mo, d));
}

/**
 * `10/25/2026 2:30 PM`, `10/25/2026 14:30` or `10/25/2026 2:30:15 pm`, as claims systems export
 * date-times, in the groups of the ISO pattern (year, month, day, 24-hour hour, minute, second;
 * no fraction, no zone: read in the sponsor's time zone). Null when `t` is not of that form; an
 * hour impossible for its AM/PM comes back as 24, which the caller rejects as impossible.
 */
function usDateTime(t: string): (string | undefined)[] | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$/i.exec(t);
  if (!m) return null;
  let hour = Number(m[4]);
  const half = m[7]?.toUpperCase();
  if (half !== undefined)
    hour = hour < 1 || hour > 12 ? 24 : (hour % 12) + (half === 'PM' ? 12 : 0);
  const two = (x: string | number): string => String(x).padStart(2, '0');
  return [t, m[3], two(m[1]!), two(m[2]!), two(hour), m[5], m[6], undefined, undefined];
}

/**
 * Instant: ISO 8601 date-time (`2026-03-02T14:05`, seconds and fractions optional, `T` or space)
 * with a zone (`Z`, `+02:00`, `-0500`) or without, in which case it is read in `timeZone`.
 * A Date from XLSX and an Excel serial number are wall-clock times in `timeZone`.
 * Output: UTC ISO string with `Z`.
 */
/** `YYYY-MM-DDTHH:MM:SSZ` as parseInstant gives it (with `.000`), else undefined. */
export function canonicalInstant(s: string): IsoInstant | undefined {
  return s.length === 20 && s.charCodeAt(19) === 90 && isoDayAt(s) && isoTimeAt(s)
    ? `${s.slice(0, 19)}.000Z`
    : undefined;
}

export function parseInstant(v: CellValue, timeZone: string): FieldResult<IsoInstant> {
  const f = fastText(v);
  if (f !== null) {
    const c = canonicalInstant(f);
    if (c !== undefined) return { ok: true, value: c };
  }
  if (isBlank(v)) return fail('date and time is missing');
  const formats =
    'use YYYY-MM-DDTHH:MM (e.g. 2026-03-02T14:05, optionally with Z or +/-HH:MM) or MM/DD/YYYY H:MM AM/PM';
  let wallMs: number;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail(`not a date and time: ${formats}`);
    // Checked before any time-zone arithmetic, which throws near the ends of the Date range.
    if (!yearInRange(v.getUTCFullYear())) return outOfRange(v);
    wallMs = v.getTime();
  } else if (typeof v === 'number') {
    const ms = excelSerialToUtcMs(v);
    if (ms === null) return fail(`${show(v)} is not a date and time: ${formats}`);
    if (!yearInRange(new Date(ms).getUTCFullYear())) return outOfRange(v);
    wallMs = ms;
  } else {
    const t = text(v);
    const m =
      /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
        t,
      ) ?? usDateTime(t);
    if (!m) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(t) || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(t)) {
        return fail(`${show(v)} has a date but no time: ${formats}`);
      }
      return fail(`${show(v)} is not a date and time: ${formats}`);
    }
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const s = m[6] ? Number(m[6]) : 0;
    const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
    if (!yearInRange(y)) return outOfRange(v);
    if (!isRealDate(y, mo, d)) return fail(`${show(v)} is not a real calendar date`);
    if (h > 23 || mi > 59 || s > 59) return fail(`${show(v)} has an impossible time of day`);
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const zone = m[8];
    if (zone) {
      if (zone.toUpperCase() === 'Z') return ok(new Date(wall).toISOString());
      const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
      const offH = Number(zm[2]);
      const offM = zm[3] ? Number(zm[3]) : 0;
      if (offH > 14 || offM > 59) return fail(`${show(v)} has an impossible UTC offset`);
      const sign = zm[1] === '-' ? -1 : 1;
      return ok(new Date(wall - sign * (offH * 60 + offM) * 60_000).toISOString());
    }
    wallMs = wall;
  }
  if (!isValidTimeZone(timeZone)) return fail(`time zone "${timeZone}" is not an IANA time zone`);
  return ok(new Date(wallTimeToUtcMs(wallMs, timeZone)).toISOString());
}

// ---------------------------------------------------------------------------------------------
// Booleans, lists, enums

const YES = new Set(['y', 'yes', 'true', '1', 't']);
const NO = new Set(['n', 'no', 'false', '0', 'f']);

export function canonicalYesNo(s: string): boolean | undefined {
  return s === 'Y' ? true : s === 'N' ? false : undefined;
}

export function parseYesNo(v: CellValue): FieldResult<boolean> {
  const f = fastText(v);
  if (f === 'Y') return { ok: true, value: true };
  if (f === 'N') return { ok: true, value: false };
  if (isBlank(v)) return fail('Y/N value is missing');
  const t = text(v).toLowerCase();
  if (YES.has(t)) return ok(true);
  if (NO.has(t)) return ok(false);
  return fail(`${show(v)} is not a yes/no value: use Y or N (Yes/No, True/False, 1/0 also work)`);
}

/** Splits a `|`-separated list; blank items are dropped, duplicates removed, order kept. */
export function splitList(v: CellValue): string[] {
  if (isBlank(v)) return [];
  const seen = new Set<string>();
  for (const item of cellText(v).split('|')) {
    const t = item.replace(/\u00a0/g, ' ').trim();
    if (t !== '') seen.add(t);
  }
  return [...seen];
}

/** Parses each item of a `|`-separated list; all bad items are named in one reason. */
export function parseList<T>(
  v: CellValue,
  item: (s: string) => FieldResult<T>,
  label: string,
): FieldResult<T[]> {
  if (fastText(v) === '') return { ok: true, value: [] };
  const items = splitList(v);
  const values: T[] = [];
  const bad: string[] = [];
  const warnings: string[] = [];
  for (const s of items) {
    const r = item(s);
    if (r.ok) {
      if (!values.includes(r.value)) values.push(r.value);
      if (r.warnings) warnings.push(...r.warnings);
    } else bad.push(r.reason);
  }
  if (bad.length > 0) {
    const hint =
      items.length === 1 && /[,;]/.test(items[0]!) ? ' (separate several values with |)' : '';
    return fail(`${label}: ${bad.join('; ')}${hint}`);
  }
  return ok(values, warnings);
}

function normKey(s: string): string {
  return s.toLowerCase().replace(/[\s_\-.]/g, '');
}

const enumCache = new WeakMap<readonly string[], Map<string, string>>();

/** Each value of an enum, as written -> the value the general path gives it (the first equal). */
function canonicalEnum<T extends string>(values: readonly T[]): Map<string, T> {
  let m = enumCache.get(values);
  if (!m) {
    m = new Map();
    for (const value of values) {
      const k = normKey(value);
      m.set(
        value,
        values.find((x) => normKey(x) === k)!,
      );
    }
    enumCache.set(values, m);
  }
  return m as Map<string, T>;
}

/** The enum value a text spells exactly (as parseEnum gives it), else undefined; per enum. */
export function canonicalEnumOf<T extends string>(
  values: readonly T[],
): (s: string) => T | undefined {
  const m = canonicalEnum(values);
  return (s) => m.get(s);
}

/**
 * Enum: case-insensitive, ignoring spaces, `_`, `-` and dots; `synonyms` maps extra spellings
 * (normalised the same way) to a value. The reason lists the valid values.
 */
export function parseEnum<T extends string>(
  v: CellValue,
  values: readonly T[],
  label: string,
  synonyms: Readonly<Record<string, NoInfer<T>>> = {},
): FieldResult<T> {
  const f = fastText(v);
  if (f !== null) {
    const same = canonicalEnum(values).get(f);
    if (same !== undefined) return { ok: true, value: same };
  }
  if (isBlank(v)) return fail(`${label} is missing`);
  const k = normKey(text(v));
  for (const value of values) if (normKey(value) === k) return ok(value);
  for (const [syn, value] of Object.entries(synonyms)) if (normKey(syn) === k) return ok(value);
  return fail(`${show(v)} is not a valid ${label}: use one of ${values.join(', ')}`);
}

const SERVICE_TYPE_SYNONYMS: Record<string, ServiceType> = {
  retail: '01',
  community: '01',
  'community pharmacy': '01',
  'retail pharmacy': '01',
  compounding: '02',
  'home infusion': '03',
  'home infusion pharmacy': '03',
  'home infusion therapy': '03',
  hi: '03',
  institutional: '04',
  ltc: '05',
  'long term care': '05',
  mail: '06',
  'mail order': '06',
  'managed care': '07',
  specialty: '08',
  'specialty pharmacy': '08',
  other: '99',
};

/** Pharmacy service type: code 01-08 or 99 (a dropped leading zero is fine) or its name. */
export function canonicalServiceType(s: string): ServiceType | undefined {
  return s.length === 2 && Object.hasOwn(SERVICE_TYPES, s) && allDigits(s, 2)
    ? (s as ServiceType)
    : undefined;
}

export function parseServiceType(v: CellValue): FieldResult<ServiceType> {
  const f = fastText(v);
  if (f !== null) {
    const c = canonicalServiceType(f);
    if (c !== undefined) return { ok: true, value: c };
  }
  if (isBlank(v)) return fail('pharmacy service type is missing');
  const t = digitsOf(v);
  if (/^\d{1,2}$/.test(t)) {
    const code = t.padStart(2, '0');
    if (Object.hasOwn(SERVICE_TYPES, code)) return ok(code as ServiceType);
  }
  const k = normKey(t);
  for (const [code, name] of Object.entries(SERVICE_TYPES)) {
    if (normKey(name) === k) return ok(code as ServiceType);
  }
  const syn = Object.entries(SERVICE_TYPE_SYNONYMS).find(([s]) => normKey(s) === k);
  if (syn) return ok(syn[1]);
  const list = Object.entries(SERVICE_TYPES)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  return fail(`${show(v)} is not a pharmacy service type: use a code or name: ${list}`);
}

const TAXONOMY_CODE = /^[0-9]{3}[0-9A-Z]{6}X$/;

export function canonicalTaxonomyCode(s: string): string | undefined {
  return TAXONOMY_CODE.test(s) ? s : undefined;
}

/** NUCC taxonomy code: 10 characters ending in X, e.g. 3336H0001X. */
export function parseTaxonomyCode(v: CellValue): FieldResult<string> {
  const t = text(v).toUpperCase();
  if (TAXONOMY_CODE.test(t)) return ok(t);
  return fail(
    `${show(v)} is not a NUCC taxonomy code: 10 characters ending in X, e.g. 3336H0001X (home infusion therapy pharmacy)`,
  );
}

export function canonicalUsp797Category(s: string): 1 | 2 | 3 | undefined {
  return s === '1' ? 1 : s === '2' ? 2 : s === '3' ? 3 : undefined;
}

export function parseUsp797Category(v: CellValue): FieldResult<1 | 2 | 3> {
  const f = fastText(v);
  if (f === '1' || f === '2' || f === '3') return { ok: true, value: Number(f) as 1 | 2 | 3 };
  if (isBlank(v)) return fail('USP <797> category is missing');
  const t = text(v)
    .toLowerCase()
    .replace(/^(category|cat\.?)\s*/, '');
  if (t === '1' || t === '2' || t === '3') return ok(Number(t) as 1 | 2 | 3);
  return fail(`${show(v)} is not a USP <797> category: use 1, 2 or 3`);
}

/** Free text: trimmed, blank is an error; `maxLength` characters at most. */
export function canonicalText(s: string, maxLength = 500): string | undefined {
  return s.length <= maxLength && plainText(s) ? s : undefined;
}

export function parseText(v: CellValue, label: string, maxLength = 500): FieldResult<string> {
  const f = fastText(v);
  if (f !== null && canonicalText(f, maxLength) !== undefined) return { ok: true, value: f };
  if (isBlank(v)) return fail(`${label} is missing`);
  const t = v instanceof Date ? cellText(v) : text(v);
  if (t.length > maxLength)
    return fail(`${label} is too long: ${t.length} characters, at most ${maxLength}`);
  return ok(t);
}

/**
 * A count of members: a whole number >= 0, thousands separators (`1,240`, `1 240`, `1'240`)
 * tolerated; at most 100,000,000 (no plan has more members in one ZIP or county).
 */
export function parseMemberCount(v: CellValue): FieldResult<number> {
  if (isBlank(v)) return fail('member count is missing');
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 100_000_000) return ok(v);
    return fail(`${show(v)} is not a member count: use a whole number, 0 or more`);
  }
  const t = text(v);
  const grouped = /^\d{1,3}([,\u00a0 '\u2019]\d{3})+$/.test(t);
  if (!grouped && !/^\d+$/.test(t)) {
    return fail(
      `${show(v)} is not a member count: use a whole number, 0 or more (e.g. 1240 or 1,240)`,
    );
  }
  const n = Number(t.replace(/[^\d]/g, ''));
  if (n > 100_000_000) return fail(`${show(v)} is not a member count: more than 100,000,000`);
  return ok(n);
}

/** A count of members written as plain digits, as parseMemberCount gives it, else undefined. */
export function canonicalMemberCount(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 9 || !digitsAt(s, 0, n)) return undefined;
  const v = Number(s);
  return v <= 100_000_000 ? v : undefined;
}

/** maskMemberId of a text cell that needs no trimming: blank is null. */
export function canonicalMaskedMemberId(s: string): string | null | undefined {
  if (s === '') return null;
  if (!plainText(s)) return undefined;
  return s.length > 4 ? `****${s.slice(-4)}` : '****';
}

/** Masks a member id: `****` and its last 4 characters (only `****` when it has 4 or fewer). */
export function maskMemberId(v: CellValue): string | null {
  if (isBlank(v)) return null;
  const t = text(v);
  return t.length > 4 ? `****${t.slice(-4)}` : '****';
}

// ---------------------------------------------------------------------------------------------
// Optional / required wrappers

/** Blank -> `fallback`; otherwise the parser's result. */
export function optional<T, F>(
  v: CellValue,
  parser: (v: CellValue) => FieldResult<T>,
  fallback: F,
): FieldResult<T | F> {
  if (fastText(v) === '') return { ok: true, value: fallback };
  if (isBlank(v)) return ok(fallback);
  return parser(v);
}
