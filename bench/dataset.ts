/**
 * The benchmark data set: the national roster set at a scale, made with the project's own
 * deterministic generator (src/generate) and cached on disk by scale (same seed, same bytes).
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateRosterSet, readCounties, STATE_ORDER } from '../src/generate/index.js';
import { npiFrom } from '../src/generate/identifiers.js';

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
  // (enrollment: the data sets made before the generator wrote enrollment.csv are made again.)
  const wanted = JSON.stringify({ seed: BENCH_SEED, asOf: BENCH_AS_OF, spec, enrollment: true });
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

// ---- user-shaped files (issue 17) ---------------------------------------------------------

/** Rows of the user-shaped files at scale 1 (the counts). */
export const USER_SHAPED = {
  networkRows: 1_000_000,
  pharmacies: 500_000,
  coverageRequests: 500_000,
} as const;

/** Paths of the files derived from the national set, as users shape them (all under dir). */
export interface UserFiles {
  dir: string;
  /** Canonical `network` CSV: the CMS file's memberships, NPIs known pharmacies. */
  network: string;
  /** The CMS file with its rows shuffled (plans interleaved row by row, seeded). */
  cmsInterleaved: string;
  /** Folder of the CMS file split by the pharmacy's state, imported in one command. */
  cmsByState: string;
  /** The national pharmacies plus synthetic ones with new NPIs. */
  pharmacies: string;
  /** The national coverage requests plus copies under new request ids. */
  coverageRequests: string;
  /** The canonical network file with an NPI of a wrong check digit on every row. */
  networkRejects: string;
  rows: Record<string, number>;
  generatedInMs: number | null;
}

/** A seeded PRNG (mulberry32) for the shuffle: same seed, same bytes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataLines(path: string): { header: string; lines: string[] } {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines.shift() ?? '';
  return { header, lines };
}

function writeLines(path: string, header: string, lines: readonly string[]): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header}\n`);
    for (let i = 0; i < lines.length; i += 50_000) {
      writeSync(fd, `${lines.slice(i, i + 50_000).join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** A date string `days` after 2024-01-01. */
function dayAfter(days: number): string {
  return new Date(Date.UTC(2024, 0, 1 + days)).toISOString().slice(0, 10);
}

/**
 * Derives the user-shaped files from the national data set into ds.dir/user/ (cached by the
 * data set's key): see UserFiles. Counts scale like the data set's.
 */
export function ensureUserFiles(ds: Dataset): UserFiles {
  const dir = join(ds.dir, 'user');
  const files = {
    dir,
    network: join(dir, 'network', 'network.csv'),
    cmsInterleaved: join(dir, 'cms-interleaved', 'cms-network-interleaved.txt'),
    cmsByState: join(dir, 'cms-by-state'),
    pharmacies: join(dir, 'pharmacies', 'pharmacies.csv'),
    coverageRequests: join(dir, 'coverage-requests', 'coverage_requests.csv'),
    networkRejects: join(dir, 'network-rejects', 'network.csv'),
  };
  const manifest = join(dir, 'manifest.json');
  const key = JSON.stringify({ seed: BENCH_SEED, spec: ds.spec, user: USER_SHAPED, v: 1 });
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      key: string;
      rows: Record<string, number>;
    };
    if (m.key === key) return { ...files, rows: m.rows, generatedInMs: null };
  }
  const t0 = Date.now();
  rmSync(dir, { recursive: true, force: true });
  for (const p of [
    files.network,
    files.cmsInterleaved,
    files.pharmacies,
    files.coverageRequests,
    files.networkRejects,
  ])
    mkdirSync(dirname(p), { recursive: true });
  mkdirSync(files.cmsByState, { recursive: true });
  const n = (x: number): number => Math.max(1, Math.round(x * ds.spec.scale));
  const rows: Record<string, number> = {};

  // Pharmacies: NPI -> state (for the split by state), then the national rows plus synthetic
  // ones (the same rows under new NPIs) up to the count.
  const pharm = dataLines(join(ds.dir, 'pharmacies.csv'));
  const pharmRows = parse<Record<string, string>>(readFileSync(join(ds.dir, 'pharmacies.csv')), {
    columns: true,
  });
  const stateOf = new Map(pharmRows.map((r) => [r.npi!, r.state!]));
  const known = new Set(stateOf.keys());
  const knownNpis = [...known];
  const wantPharm = n(USER_SHAPED.pharmacies);
  const morePharm: string[] = [...pharm.lines];
  for (let body = 90_000_000, i = 0; morePharm.length < wantPharm; body++) {
    const npi = npiFrom(1, body);
    if (known.has(npi)) continue;
    const line = pharm.lines[i++ % pharm.lines.length]!;
    morePharm.push(npi + line.slice(line.indexOf(',')));
  }
  writeLines(files.pharmacies, pharm.header, morePharm);
  rows.pharmacies = morePharm.length;

  // Coverage requests: the national ones plus copies under new request ids.
  const cov = dataLines(join(ds.dir, 'coverage_requests.csv'));
  const wantCov = n(USER_SHAPED.coverageRequests);
  const moreCov: string[] = [...cov.lines];
  for (let i = 0; moreCov.length < wantCov; i++) {
    const line = cov.lines[i % cov.lines.length]!;
    moreCov.push(`CRU${String(i).padStart(8, '0')}${line.slice(line.indexOf(','))}`);
  }
  writeLines(files.coverageRequests, cov.header, moreCov);
  rows.coverage_requests = moreCov.length;

  // The CMS file: interleaved (seeded shuffle) and split by state.
  const cms = dataLines(join(ds.dir, 'cms-network.txt'));
  const shuffled = [...cms.lines];
  const rnd = mulberry32(0x17);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  writeLines(files.cmsInterleaved, cms.header, shuffled);
  rows.cms_interleaved = shuffled.length;
  const byState = new Map<string, string[]>();
  for (const line of cms.lines) {
    const npi = line.split('|', 4)[3]!;
    const st = stateOf.get(npi) ?? 'XX';
    let list = byState.get(st);
    if (!list) byState.set(st, (list = []));
    list.push(line);
  }
  for (const [st, list] of byState)
    writeLines(join(files.cmsByState, `cms-network-${st}.txt`), cms.header, list);
  rows.cms_by_state = cms.lines.length;
  rows.cms_by_state_files = byState.size;

  // Canonical network: the CMS memberships (contract, pbp, segment, npi, role from the retail /
  // mail flags), NPIs of known pharmacies; if the CMS file has fewer rows than wanted, more
  // rows from plans x known pharmacies.
  const wantNet = n(USER_SHAPED.networkRows);
  const net: string[] = [];
  const seen = new Set<string>();
  const plans = new Set<string>();
  for (const line of cms.lines) {
    if (net.length >= wantNet) break;
    const f = line.split('|');
    const [contract, pbp, segment, npi] = f as [string, string, string, string];
    if (!known.has(npi) || seen.has(`${contract}|${pbp}|${segment}|${npi}`)) continue;
    seen.add(`${contract}|${pbp}|${segment}|${npi}`);
    plans.add(`${contract},${pbp},${segment}`);
    const role = f[8] === 'Y' && f[7] !== 'Y' ? 'mail' : 'retail';
    const i = net.length;
    const term = i % 10 === 0 ? dayAfter(1000 + (i % 365)) : '';
    net.push(`${contract},${pbp},${segment},${npi},${role},${dayAfter(i % 700)},${term}`);
  }
  for (const plan of plans) {
    if (net.length >= wantNet) break;
    const [contract, pbp, segment] = plan.split(',') as [string, string, string];
    for (const npi of knownNpis) {
      if (net.length >= wantNet) break;
      if (seen.has(`${contract}|${pbp}|${segment}|${npi}`)) continue;
      seen.add(`${contract}|${pbp}|${segment}|${npi}`);
      net.push(`${plan},${npi},retail,${dayAfter(net.length % 700)},`);
    }
  }
  const netHeader = 'contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date';
  writeLines(files.network, netHeader, net);
  rows.network = net.length;

  // All rejects: the same rows, each NPI's check digit off by one.
  const bad = net.map((line) => {
    const parts = line.split(',');
    const npi = parts[3]!;
    parts[3] = npi.slice(0, 9) + String((Number(npi[9]) + 1) % 10);
    return parts.join(',');
  });
  writeLines(files.networkRejects, netHeader, bad);
  rows.network_rejects = bad.length;

  writeFileSync(manifest, JSON.stringify({ key, rows }, null, 2));
  return { ...files, rows, generatedInMs: Date.now() - t0 };
}
