/**
 * A spatial grid index of points (ZIP centroids) in cells of CELL_DEGREES: "which points lie
 * within r miles of here?" looks only at the cells the r-mile box around the place overlaps,
 * then measures great-circle distances (distanceMiles) to the points in them.
 */
import { distanceMiles } from './zips.js';

/** Cell size in degrees of latitude and longitude. */
export const CELL_DEGREES = 0.25;

/** Miles per degree of latitude (the shortest, at the equator: a safe bound for the box). */
const MILES_PER_DEGREE_LAT = 68.7;

/**
 * Distances are compared with this tolerance (miles): a place exactly at the limit (2.0 miles
 * computed as 1.9999999999999996) is within it.
 */
export const DISTANCE_TOLERANCE_MILES = 1e-9;

interface Located {
  lat: number;
  lon: number;
}

const cellOf = (deg: number): number => Math.floor(deg / CELL_DEGREES);
const cellKey = (row: number, col: number): number => row * 10_000 + col;

export class PointGrid<P extends Located> {
  private readonly cells = new Map<number, P[]>();
  readonly size: number;

  constructor(points: readonly P[]) {
    for (const p of points) {
      const k = cellKey(cellOf(p.lat), cellOf(p.lon));
      let cell = this.cells.get(k);
      if (!cell) this.cells.set(k, (cell = []));
      cell.push(p);
    }
    this.size = points.length;
  }

  /**
   * The points within `miles` of the place (the limit included): the place's own cell first,
   * then the other cells the r-mile box overlaps. Whether a point is listed depends on that point
   * alone, so "some point of a subset within r" is "some listed point in the subset" (RETAIL-ACCESS
   * lists once per member ZIP over every network's pharmacies, then asks each network).
   */
  within(lat: number, lon: number, miles: number): P[] {
    const out: P[] = [];
    const limit = miles + DISTANCE_TOLERANCE_MILES;
    const dLat = miles / MILES_PER_DEGREE_LAT;
    // Longitude degrees shrink with the cosine of the latitude; near the poles take every column.
    const cos = Math.cos(((Math.abs(lat) + dLat) * Math.PI) / 180);
    const dLon = cos > 0.01 ? dLat / cos : 360;
    const homeRow = cellOf(lat);
    const homeCol = cellOf(lon);
    const home = this.cells.get(cellKey(homeRow, homeCol));
    if (home) for (const p of home) if (distanceMiles(lat, lon, p.lat, p.lon) <= limit) out.push(p);
    const r0 = cellOf(lat - dLat);
    const r1 = cellOf(lat + dLat);
    const c0 = cellOf(Math.max(-180, lon - dLon));
    const c1 = cellOf(Math.min(180, lon + dLon));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        if (r === homeRow && c === homeCol) continue;
        const cell = this.cells.get(cellKey(r, c));
        if (!cell) continue;
        for (const p of cell) {
          // Cheap bound first: a point further in latitude alone cannot be within.
          if (Math.abs(p.lat - lat) > dLat) continue;
          if (distanceMiles(lat, lon, p.lat, p.lon) <= limit) out.push(p);
        }
      }
    }
    return out;
  }
}
