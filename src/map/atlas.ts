/**
 * US county and state boundaries from us-atlas 3.0.1 (`counties-10m.json`: Census 2017
 * cartographic boundaries, unprojected, 1:10m), read once and cached. Counties are keyed by their
 * 5-digit FIPS string, states by their 2-digit FIPS.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { SystemError } from '../errors.js';

export type AreaFeature = Feature<Polygon | MultiPolygon, { name: string }> & { id: string };

export interface Atlas {
  /** Counties by 5-digit FIPS. */
  counties: Map<string, AreaFeature>;
  /** States by 2-digit FIPS. */
  states: Map<string, AreaFeature>;
}

type AtlasTopology = Topology<{
  counties: GeometryCollection<{ name: string }>;
  states: GeometryCollection<{ name: string }>;
}>;

let cached: Atlas | undefined;

function index(
  topology: AtlasTopology,
  object: GeometryCollection<{ name: string }>,
): Map<string, AreaFeature> {
  const out = new Map<string, AreaFeature>();
  const fc = feature(topology, object);
  for (const f of fc.features) {
    if (f.id === undefined || f.geometry === null) continue;
    const g = f.geometry;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
    const id = String(f.id);
    out.set(id, {
      type: 'Feature',
      id,
      properties: { name: f.properties.name },
      geometry: g,
    });
  }
  return out;
}

/** The atlas, loaded on first use. */
export function loadAtlas(): Atlas {
  if (cached) return cached;
  let topology: AtlasTopology;
  try {
    const path = createRequire(import.meta.url).resolve('us-atlas/counties-10m.json');
    topology = JSON.parse(readFileSync(path, 'utf8')) as AtlasTopology;
  } catch (err) {
    throw new SystemError(`cannot read the county map (us-atlas/counties-10m.json)`, {
      cause: err,
    });
  }
  cached = {
    counties: index(topology, topology.objects.counties),
    states: index(topology, topology.objects.states),
  };
  return cached;
}
