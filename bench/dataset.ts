/**
 * The benchmark data set: the national roster set at a scale, made with the project's own
 * deterministic generator (src/generate) and cached on disk by scale (same seed, same bytes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRosterSet, readCounties, STATE_ORDER } from '../src/generate/index.js';

/** The national data set at scale 1 (the counts). */
export const NATIONAL = {
  pharmacies: 70_000,
  homeInfusion: 2_000,
  counties: 3_200,
  plans: 50,
  networkRows: 1_000_000,
  coverageRequests: 100_000,
} as const;

export const BENCH_SEED = 'infusion-audit-bench';
export const BENCH_AS_OF = '2026-11-01';

export interface DatasetSpec {
  scale: number;
  pharmacies: number;
  plans: number;
  states: string[];
  counties: number;
  networkRows: number;
  coverageRequests: number;
}

/**
 * Every count times the scale. Counties: whole states in STATE_ORDER until the target is reached
 * (all 56 with counties at scale 1: 3,231). Plans: 50 x scale, but never fewer than the CMS file
 * needs (each plan lists distinct pharmacies: rows <= plans x pharmacies), which only binds
 * below scale 0.3.
 */
export function datasetSpec(scale: number): DatasetSpec {
  if (!(scale > 0)) throw new Error(`--scale must be > 0, got ${scale}`);
  const n = (x: number): number => Math.max(1, Math.round(x * scale));
  const pharmacies = n(NATIONAL.pharmacies);
  const networkRows = n(NATIONAL.networkRows);
  const plans = Math.max(n(NATIONAL.plans), Math.ceil(networkRows / pharmacies) + 1);
  const counties = readCounties();
  const perState = new Map<string, number>();
  for (const c of counties) perState.set(c.state, (perState.get(c.state) ?? 0) + 1);
  const target = NATIONAL.counties * scale;
  const states: string[] = [];
  let total = 0;
  for (const s of STATE_ORDER) {
    if (!perState.has(s)) continue;
    if (total >= target && scale < 1) break;
    states.push(s);
    total += perState.get(s)!;
  }
  return {
    scale,
    pharmacies,
    plans,
    states,
    counties: total,
    networkRows,
    coverageRequests: n(NATIONAL.coverageRequests),
  };
}

export interface Dataset {
  dir: string;
  spec: DatasetSpec;
  rows: Record<string, number>;
  hiPharmacies: number;
  generatedInMs: number | null;
}

/** Generates the data set into dataRoot/scale-<s>/ unless an identical one is already there. */
export async function ensureDataset(dataRoot: string, scale: number): Promise<Dataset> {
  const spec = datasetSpec(scale);
  const dir = join(dataRoot, `scale-${scale}`);
  const manifest = join(dir, 'manifest.json');
  const wanted = JSON.stringify({ seed: BENCH_SEED, asOf: BENCH_AS_OF, spec });
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      key: string;
      rows: Record<string, number>;
      hiPharmacies: number;
    };
    if (m.key === wanted)
      return { dir, spec, rows: m.rows, hiPharmacies: m.hiPharmacies, generatedInMs: null };
  }
  const t0 = Date.now();
  const result = await generateRosterSet({
    pharmacies: spec.pharmacies,
    plans: spec.plans,
    states: spec.states,
    seed: BENCH_SEED,
    out: dir,
    asOf: BENCH_AS_OF,
    networkRows: spec.networkRows,
    coverageRequests: spec.coverageRequests,
  });
  const generatedInMs = Date.now() - t0;
  writeFileSync(
    manifest,
    JSON.stringify({ key: wanted, rows: result.rows, hiPharmacies: result.hiPharmacies }, null, 2),
  );
  return { dir, spec, rows: result.rows, hiPharmacies: result.hiPharmacies, generatedInMs };
}
