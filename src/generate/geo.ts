/** Counties and states for synthetic rosters, read from data/counties.csv. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { County } from '../domain/types.js';
import { COUNTIES_PATH } from '../geo/reference-file.js';

/** The 50 states and DC first (alphabetical by USPS code), then the territories. */
export const STATE_ORDER = [
  'AK',
  'AL',
  'AR',
  'AZ',
  'CA',
  'CO',
  'CT',
  'DC',
  'DE',
  'FL',
  'GA',
  'HI',
  'IA',
  'ID',
  'IL',
  'IN',
  'KS',
  'KY',
  'LA',
  'MA',
  'MD',
  'ME',
  'MI',
  'MN',
  'MO',
  'MS',
  'MT',
  'NC',
  'ND',
  'NE',
  'NH',
  'NJ',
  'NM',
  'NV',
  'NY',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VA',
  'VT',
  'WA',
  'WI',
  'WV',
  'WY',
  'PR',
  'VI',
  'GU',
  'AS',
  'MP',
] as const;

export function readCounties(path: string = COUNTIES_PATH): County[] {
  const rows = parse<Record<string, string>>(readFileSync(path, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  return rows.map((r) => {
    const fips = r.fips ?? '';
    const name = r.name ?? '';
    const state = r.state ?? '';
    if (!/^\d{5}$/.test(fips) || !name || !/^[A-Z]{2}$/.test(state)) {
      throw new Error(`bad county row in ${path}: ${JSON.stringify(r)}`);
    }
    return { fips, name, state };
  });
}

/** Counties grouped by state, each list sorted by FIPS. */
export function countiesByState(counties: readonly County[]): Map<string, County[]> {
  const map = new Map<string, County[]>();
  for (const c of counties) {
    let list = map.get(c.state);
    if (!list) map.set(c.state, (list = []));
    list.push(c);
  }
  for (const list of map.values()) list.sort((a, b) => (a.fips < b.fips ? -1 : 1));
  return map;
}

/**
 * Resolves a states option: a list of USPS codes, or a count (the first N of STATE_ORDER that
 * have counties). Unknown codes are an error.
 */
export function resolveStates(
  states: readonly string[] | number,
  byState: ReadonlyMap<string, readonly County[]>,
): string[] {
  if (typeof states === 'number') {
    if (!Number.isInteger(states) || states < 1)
      throw new Error(`states must be >= 1, got ${states}`);
    const available = STATE_ORDER.filter((s) => byState.has(s));
    if (states > available.length) {
      throw new Error(`states: at most ${available.length} states have counties, asked ${states}`);
    }
    return available.slice(0, states);
  }
  const out: string[] = [];
  for (const raw of states) {
    const s = raw.trim().toUpperCase();
    if (!byState.has(s)) throw new Error(`unknown state "${raw}"`);
    if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new Error('states: empty list');
  return out;
}
