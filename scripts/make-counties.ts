/**
 * Writes data/counties.csv (fips,name,state) from the us-atlas package.
 *
 * Source: npm package `us-atlas` 3.0.1 (https://github.com/topojson/us-atlas), TopoJSON built from
 * the U.S. Census Bureau's 2017 cartographic boundary files (1:10,000,000). Licence: ISC,
 * Copyright 2013-2019 Michael Bostock. Only the county ids (5-digit FIPS) and names are copied.
 *
 * us-atlas is a dependency (the report maps draw its boundaries, src/map/atlas.ts):
 *   npx tsx scripts/make-counties.ts node_modules/us-atlas [data/counties.csv]
 * (the argument may also be the counties-10m.json file itself).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** State FIPS code -> USPS abbreviation (50 states, DC and the inhabited territories). */
const STATE_USPS: Record<string, string> = {
  '01': 'AL',
  '02': 'AK',
  '04': 'AZ',
  '05': 'AR',
  '06': 'CA',
  '08': 'CO',
  '09': 'CT',
  '10': 'DE',
  '11': 'DC',
  '12': 'FL',
  '13': 'GA',
  '15': 'HI',
  '16': 'ID',
  '17': 'IL',
  '18': 'IN',
  '19': 'IA',
  '20': 'KS',
  '21': 'KY',
  '22': 'LA',
  '23': 'ME',
  '24': 'MD',
  '25': 'MA',
  '26': 'MI',
  '27': 'MN',
  '28': 'MS',
  '29': 'MO',
  '30': 'MT',
  '31': 'NE',
  '32': 'NV',
  '33': 'NH',
  '34': 'NJ',
  '35': 'NM',
  '36': 'NY',
  '37': 'NC',
  '38': 'ND',
  '39': 'OH',
  '40': 'OK',
  '41': 'OR',
  '42': 'PA',
  '44': 'RI',
  '45': 'SC',
  '46': 'SD',
  '47': 'TN',
  '48': 'TX',
  '49': 'UT',
  '50': 'VT',
  '51': 'VA',
  '53': 'WA',
  '54': 'WV',
  '55': 'WI',
  '56': 'WY',
  '60': 'AS',
  '66': 'GU',
  '69': 'MP',
  '72': 'PR',
  '78': 'VI',
};

interface Geometry {
  id?: string;
  properties?: { name?: string };
}
interface Topology {
  objects: { counties: { geometries: Geometry[] }; states: { geometries: Geometry[] } };
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function main(argv: string[]): void {
  const src = argv[0];
  const out = argv[1] ?? 'data/counties.csv';
  if (!src) {
    console.error(
      'usage: tsx scripts/make-counties.ts <path to us-atlas package or counties-10m.json> [out]',
    );
    process.exit(2);
  }
  const file = statSync(src).isDirectory() ? join(src, 'counties-10m.json') : src;
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology;

  const stateIds = new Set(topo.objects.states.geometries.map((g) => g.id));
  const rows: { fips: string; name: string; state: string }[] = [];
  for (const g of topo.objects.counties.geometries) {
    const fips = g.id;
    const name = g.properties?.name;
    if (!fips || !/^\d{5}$/.test(fips) || !name)
      throw new Error(`bad county: ${JSON.stringify(g)}`);
    const stateFips = fips.slice(0, 2);
    const state = STATE_USPS[stateFips];
    if (!state || !stateIds.has(stateFips)) throw new Error(`unknown state for county ${fips}`);
    rows.push({ fips, name, state });
  }
  rows.sort((a, b) => (a.fips < b.fips ? -1 : a.fips > b.fips ? 1 : 0));
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.fips === rows[i - 1]!.fips) throw new Error(`duplicate FIPS ${rows[i]!.fips}`);
  }
  const lines = [
    'fips,name,state',
    ...rows.map((r) => [r.fips, csvField(r.name), r.state].join(',')),
  ];
  writeFileSync(out, lines.join('\n') + '\n', 'utf8');
  console.log(`wrote ${rows.length} counties to ${out}`);
}

main(process.argv.slice(2));
