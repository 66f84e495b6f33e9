import { describe, expect, it } from 'vitest';
import { PointGrid } from '../../src/geo/grid.js';
import { distanceMiles } from '../../src/geo/zips.js';

const DEG_PER_MILE = 180 / (Math.PI * 3958.7613);

/** Brute force: the nearest point within r, for comparison. */
function brute(points: { lat: number; lon: number }[], lat: number, lon: number, r: number) {
  let best = Infinity;
  for (const p of points) best = Math.min(best, distanceMiles(lat, lon, p.lat, p.lon));
  return best <= r + 1e-9 ? best : null;
}

describe('PointGrid', () => {
  it('a point exactly r miles due north is within r (hand-computed: 2 miles = 0.028946 degrees)', () => {
    expect(2 * DEG_PER_MILE).toBeCloseTo(0.028946, 6);
    const grid = new PointGrid([{ lat: 41.8829 + 2 * DEG_PER_MILE, lon: -87.6321 }]);
    expect(distanceMiles(41.8829, -87.6321, 41.8829 + 2 * DEG_PER_MILE, -87.6321)).toBeCloseTo(
      2,
      12,
    );
    expect(grid.within(41.8829, -87.6321, 2).length > 0).toBe(true);
    expect(grid.within(41.8829, -87.6321, 1.999).length > 0).toBe(false);
  });

  it('finds points across cell edges, east-west at high latitude too', () => {
    // 64.8 N (Fairbanks): a degree of longitude is about 29.4 miles; 15 miles east crosses cells.
    const lat = 64.8;
    const dLon = 15 / (69.093 * Math.cos((lat * Math.PI) / 180));
    const grid = new PointGrid([{ lat, lon: -147.51 + dLon }]);
    expect(grid.within(lat, -147.51, 15.1).length > 0).toBe(true);
    expect(grid.within(lat, -147.51, 14.9).length > 0).toBe(false);
  });

  it('lists the points a brute-force search finds within r, on random points', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const points = Array.from({ length: 2000 }, () => ({
      lat: 30 + rand() * 10,
      lon: -100 + rand() * 10,
    }));
    const grid = new PointGrid(points);
    for (let i = 0; i < 500; i++) {
      const lat = 30 + rand() * 10;
      const lon = -100 + rand() * 10;
      for (const r of [2, 5, 15]) {
        expect(grid.within(lat, lon, r).length > 0).toBe(brute(points, lat, lon, r) !== null);
        // Every point within, each once (RETAIL-ACCESS asks the list which network has one).
        const listed = new Set(grid.within(lat, lon, r));
        expect(listed.size).toBe(grid.within(lat, lon, r).length);
        expect(listed).toEqual(
          new Set(points.filter((p) => distanceMiles(lat, lon, p.lat, p.lon) <= r + 1e-9)),
        );
      }
    }
  });
});
