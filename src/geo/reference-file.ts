/**
 * The place references shipped in data/ (data/zips.csv, data/county-centroids.csv): plain
 * comma-separated files with a header line and no quoting, written by scripts/make-zips.ts and
 * scripts/make-county-centroids.ts. Each is read once per process, on first use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/paths.js';

/** The path of a reference file in the package's data/ folder. */
export function referencePath(name: string): string {
  return join(projectRoot, 'data', name);
}

/** data/counties.csv: every US county and county-equivalent (FIPS, name, State). */
export const COUNTIES_PATH = referencePath('counties.csv');

/** The file's data lines (the header and empty lines left out), each split on commas. */
export function referenceRows(text: string): string[][] {
  const rows: string[][] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line) rows.push(line.split(','));
  }
  return rows;
}

/** A loader that reads and parses the file on its first call and returns that value after. */
export function referenceLoader<T>(path: string, parse: (text: string) => T): () => T {
  let value: T | undefined;
  return () => (value ??= parse(readFileSync(path, 'utf8')));
}
