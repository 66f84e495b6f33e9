/** Columns and column builders several roster kinds share (the plan key, the NPI, Y/N, dates). */
import type { CellValue, FieldResult } from '../validate.js';
import {
  canonical3Digits,
  canonicalContractId,
  canonicalDate,
  canonicalInstant,
  canonicalNpi,
  canonicalText,
  canonicalYesNo,
  cellText,
  fail,
  isBlank,
  ok,
  optional,
  parseContractId,
  parseCountyFips,
  parseDate,
  parseInstant,
  parseNpi,
  parsePbpId,
  parseSegmentId,
  parseText,
  parseYesNo,
} from '../validate.js';
import { col, type ColumnSpec, type ParseContext } from './kind.js';

/**
 * The canonical form of an `optional(v, parser, fallback)` column: an empty cell is `fallback`
 * (optional's own fast path), else the parser's canonical value.
 */
export function orBlank<T, F>(
  canonical: (s: string) => T | undefined,
  fallback: F,
): (s: string) => T | F | undefined {
  return (s) => (s === '' ? fallback : canonical(s));
}

/** A Y/N column's drop-down in the roster template. */
export const YES_NO = ['Y', 'N'];

const NPI_ALIASES = [
  'NPI Number',
  'Pharmacy NPI',
  'NPI #',
  'NPI No',
  'Provider NPI',
  'National Provider Identifier',
];
const CONTRACT_ALIASES = ['Contract', 'Contract ID', 'Contract Number', 'Contract No', 'H Number'];
const PBP_ALIASES = ['PBP', 'PBP ID', 'PBP Number', 'Plan ID', 'Plan Benefit Package'];
const SEGMENT_ALIASES = ['Segment', 'Segment ID', 'Segment Number'];

export const contractId = col({
  required: true,
  aliases: CONTRACT_ALIASES,
  format: 'letter H, S, R or E and 4 digits, e.g. S1234',
  parse: (v) => parseContractId(v),
  canonical: canonicalContractId,
});
export const pbpId = col({
  required: true,
  aliases: PBP_ALIASES,
  format: '3 digits, e.g. 001 (1 or 2 digits are padded: 1 -> 001)',
  parse: (v) => parsePbpId(v),
  canonical: canonical3Digits,
});
export const segmentId = col({
  required: false,
  aliases: SEGMENT_ALIASES,
  format: '3 digits; blank = 000',
  parse: (v) => parseSegmentId(v),
  canonical: canonical3Digits,
});
export const npi = col({
  required: true,
  aliases: NPI_ALIASES,
  format: '10-digit NPI with a valid check digit, e.g. 1234567893',
  parse: (v) => parseNpi(v),
  canonical: canonicalNpi,
});

export function yesNo(
  required: boolean,
  aliases: string[],
  fallback?: boolean,
): ColumnSpec<boolean> {
  return col({
    required,
    aliases,
    choices: YES_NO,
    format: fallback === undefined ? 'Y or N' : `Y or N; blank = ${fallback ? 'Y' : 'N'}`,
    parse: (v) => (fallback === undefined || !isBlank(v) ? parseYesNo(v) : ok<boolean>(fallback)),
    canonical: canonicalYesNo,
  });
}

export function optionalDate(
  aliases: string[],
  format = 'date YYYY-MM-DD or MM/DD/YYYY; may be blank',
) {
  return col({
    required: false,
    aliases,
    format,
    parse: (v) => optional(v, parseDate, null),
    canonical: orBlank(canonicalDate, null),
  });
}

export function optionalInstant(aliases: string[]) {
  return col({
    required: false,
    aliases,
    format: 'date and time, e.g. 2026-03-02T14:05 (local time) or 2026-03-02T19:05Z; may be blank',
    parse: (v, ctx) => optional(v, (x) => parseInstant(x, ctx.timeZone), null),
    canonical: orBlank(canonicalInstant, null),
  });
}

export function optionalText(aliases: string[], label: string, maxLength = 500) {
  return col({
    required: false,
    aliases,
    format: `text, at most ${maxLength} characters; may be blank`,
    parse: (v) => optional(v, (x) => parseText(x, label, maxLength), null),
    canonical: orBlank((s) => canonicalText(s, maxLength), null),
  });
}

/** FIPS list items: 5 digits (a 4-digit code that lost its leading zero is restored). */
export function fipsItem(s: string): FieldResult<string> {
  return parseCountyFips(s);
}

export const drugClassFormat =
  'a drug class code of the catalog (data/drug-classes.csv), e.g. ABX_IV';

export function parseDrugClass(v: CellValue, ctx: ParseContext): FieldResult<string> {
  if (isBlank(v)) return fail('drug class is missing');
  const code = normalCode(cellText(v));
  if (ctx.catalogCodes.has(code)) return ok(code);
  return fail(
    `"${cellText(v).trim()}" is not a drug class of the catalog: use one of ${[...ctx.catalogCodes].sort().join(', ')}`,
  );
}

/**
 * The canonical form of a `parseList(v, parser)` column: an empty cell is an empty list (a new
 * one); a list whose every item is canonical for `item` (no blank item, no spaces around) is
 * their values in order, each once, as parseList gives them; else undefined.
 */
export function canonicalList<T>(
  item: (s: string) => T | undefined,
): (s: string) => T[] | undefined {
  return (s) => {
    if (s === '') return [];
    const values: T[] = [];
    let from = 0;
    for (;;) {
      const bar = s.indexOf('|', from);
      const v = item(bar === -1 ? s.slice(from) : s.slice(from, bar));
      if (v === undefined) return undefined;
      if (!values.includes(v)) values.push(v);
      if (bar === -1) return values;
      from = bar + 1;
    }
  };
}

/** Catalog codes written as parseDrugClass gives them, per catalog. */
const canonicalCodes = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/** parseDrugClass's value when `s` is a catalog code as written, else undefined. */
export function canonicalDrugClass(s: string, ctx: ParseContext): string | undefined {
  let codes = canonicalCodes.get(ctx.catalogCodes);
  if (!codes) {
    codes = new Set([...ctx.catalogCodes].filter((c) => normalCode(c) === c));
    canonicalCodes.set(ctx.catalogCodes, codes);
  }
  return codes.has(s) ? s : undefined;
}

function normalCode(s: string): string {
  return s
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}
