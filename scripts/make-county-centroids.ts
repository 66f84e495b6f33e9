/**
 * Writes data/county-centroids.csv (fips,lat,lon): the centroid of each county of us-atlas 3.0.1
 * (counties-10m.json, Census 2017 cartographic boundaries), computed with d3-geo's geoCentroid
 * (spherical centroid of the polygon), rounded to 4 decimals (about 11 m). The distance rule
 * places an enrollment row that gives a county but no locatable ZIP at this point.
 *
 * The tool reads the CSV (a few milliseconds), not the atlas (about 0.2 s), when it evaluates.
 *   npx tsx scripts/make-county-centroids.ts [data/county-centroids.csv]
 */
import { writeFileSync } from 'node:fs';
import { geoCentroid } from 'd3-geo';
import { loadAtlas } from '../src/map/atlas.js';

function main(): void {
  const out = process.argv[2] ?? 'data/county-centroids.csv';
  const lines = ['fips,lat,lon'];
  const counties = [...loadAtlas().counties.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const c of counties) {
    const [lon, lat] = geoCentroid(c);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    lines.push(`${c.id},${lat.toFixed(4)},${lon.toFixed(4)}`);
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`${out}: ${counties.length} counties`);
}

main();
