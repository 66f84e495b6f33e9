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
import { distanceMiles, loadZipReference, type ZipPlace } from '../src/geo/zips.js';
import { Rng } from '../src/generate/prng.js';

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
/** The as-of date of the later files (a month after BENCH_AS_OF): see ensureLaterFiles. */
export const BENCH_LATER_AS_OF = '2026-12-01';

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
  /** Later files listing most of the canonical network's rows again (ensureLaterFiles). */
  later: LaterFiles;
}

/** The project generator's seeded PRNG (mulberry32), as a function. */
function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
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
    if (m.key === key)
      return {
        ...files,
        rows: m.rows,
        generatedInMs: null,
        later: ensureLaterFiles(ds, key, files.network),
      };
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
  const generatedInMs = Date.now() - t0;
  return { ...files, rows, generatedInMs, later: ensureLaterFiles(ds, key, files.network) };
}

/** What share of the canonical network's rows the changed later file changes and leaves out. */
export const LATER_NETWORK = { changedShare: 0.05, droppedShare: 0.01 } as const;

/**
 * Later files that list most of the canonical network's rows again in other bytes (issue 17,
 * open item 2 of docs/PERFORMANCE.md), in ds.dir/user-later/ (their own cache, so that the user
 * files stay valid).
 */
export interface LaterFiles {
  dir: string;
  /** The canonical network file's rows in another order (seeded shuffle): every row unchanged. */
  networkShuffled: string;
  /**
   * The canonical network file with `changed` rows given another termination_date (a blank one
   * BENCH_LATER_AS_OF, a dated one blank: same key, other content) and `dropped` rows left out.
   */
  networkChanged: string;
  changed: number;
  dropped: number;
  generatedInMs: number | null;
}

/** Derives the later files from the canonical network file (cached by the user files' key). */
function ensureLaterFiles(ds: Dataset, userKey: string, network: string): LaterFiles {
  const dir = join(ds.dir, 'user-later');
  const files = {
    dir,
    networkShuffled: join(dir, 'network-shuffled', 'network.csv'),
    networkChanged: join(dir, 'network-changed', 'network.csv'),
  };
  const manifest = join(dir, 'manifest.json');
  const key = JSON.stringify({ userKey, later: LATER_NETWORK, asOf: BENCH_LATER_AS_OF, v: 1 });
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      key: string;
      changed: number;
      dropped: number;
    };
    if (m.key === key)
      return { ...files, changed: m.changed, dropped: m.dropped, generatedInMs: null };
  }
  const t0 = Date.now();
  rmSync(dir, { recursive: true, force: true });
  for (const p of [files.networkShuffled, files.networkChanged])
    mkdirSync(dirname(p), { recursive: true });
  const net = dataLines(network);

  const shuffled = [...net.lines];
  const rnd = mulberry32(0x1702);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  writeLines(files.networkShuffled, net.header, shuffled);

  // Each row: left out with droppedShare, else another termination_date with changedShare
  // (the key, contract..effective_date, stays: a changed version, not a new membership).
  const pick = mulberry32(0x1703);
  const { changedShare, droppedShare } = LATER_NETWORK;
  let changed = 0;
  let dropped = 0;
  const out: string[] = [];
  for (const line of net.lines) {
    const r = pick();
    if (r < droppedShare) {
      dropped++;
      continue;
    }
    if (r < droppedShare + changedShare) {
      const parts = line.split(',');
      parts[6] = parts[6] === '' ? BENCH_LATER_AS_OF : '';
      out.push(parts.join(','));
      changed++;
      continue;
    }
    out.push(line);
  }
  writeLines(files.networkChanged, net.header, out);
  writeFileSync(manifest, JSON.stringify({ key, changed, dropped }, null, 2));
  return { ...files, changed, dropped, generatedInMs: Date.now() - t0 };
}

// ---- national enrollment and ZIP classes (issue 19: distance at national scale) -----------

/** The national enrollment: distinct ZIPs per plan (x 50 plans at scale 1). */
export const NATIONAL_ENROLLMENT = { zipsPerPlan: 40_000 } as const;

/** Files of the distance phases (all under ds.dir/distance/). */
export interface DistanceFiles {
  dir: string;
  /** contract_id,pbp_id,segment_id,zip,county_fips,members: zipsPerPlan distinct ZIPs per plan. */
  enrollment: string;
  /** `zip,class` for every ZIP of the reference (see zipClassOf). */
  zipClasses: string;
  rows: { enrollment: number; plans: number; zipsPerPlan: number; inArea: number };
  classes: Record<'urban' | 'suburban' | 'rural', number>;
  generatedInMs: number | null;
}

/**
 * The bench's ZIP class rule (data/zips.csv has no population, so no density): a ZIP is urban
 * when at least URBAN_NEIGHBOURS reference ZIP centroids (itself included) lie within
 * NEIGHBOUR_MILES of its own, suburban from SUBURBAN_NEIGHBOURS, rural below. ZIP centroids are
 * dense where people are, so this is a deterministic stand-in for the TRICARE density classes;
 * it only decides how much grid work RETAIL-ACCESS does, not anything a report says.
 */
export const ZIP_CLASS_RULE = {
  neighbourMiles: 5,
  urbanNeighbours: 15,
  suburbanNeighbours: 5,
} as const;

function zipClassesOf(zips: readonly ZipPlace[]): Map<string, 'urban' | 'suburban' | 'rural'> {
  const { neighbourMiles, urbanNeighbours, suburbanNeighbours } = ZIP_CLASS_RULE;
  const cell = 0.1; // degrees; the 5-mile box spans a few cells
  const key = (r: number, c: number): string => `${r},${c}`;
  const cells = new Map<string, ZipPlace[]>();
  for (const z of zips) {
    const k = key(Math.floor(z.lat / cell), Math.floor(z.lon / cell));
    const list = cells.get(k);
    if (list) list.push(z);
    else cells.set(k, [z]);
  }
  const out = new Map<string, 'urban' | 'suburban' | 'rural'>();
  for (const z of zips) {
    const dLat = neighbourMiles / 68.7;
    const dLon = dLat / Math.max(0.05, Math.cos((Math.abs(z.lat) * Math.PI) / 180));
    let n = 0;
    for (let r = Math.floor((z.lat - dLat) / cell); r <= Math.floor((z.lat + dLat) / cell); r++) {
      for (let c = Math.floor((z.lon - dLon) / cell); c <= Math.floor((z.lon + dLon) / cell); c++) {
        for (const o of cells.get(key(r, c)) ?? []) {
          if (distanceMiles(z.lat, z.lon, o.lat, o.lon) <= neighbourMiles) n++;
        }
      }
    }
    out.set(z.zip, n >= urbanNeighbours ? 'urban' : n >= suburbanNeighbours ? 'suburban' : 'rural');
  }
  return out;
}

/**
 * The national enrollment and a ZIP class file, derived from the data set's plans and service
 * areas and the ZIP reference (cached by key in ds.dir/distance/):
 *
 * - enrollment-national.csv: for each plan, zipsPerPlan (x scale) distinct ZIPs of data/zips.csv:
 *   first every ZIP whose main county is in the plan's service area, then the others in a seeded
 *   order. Each row gives its county: the first of the ZIP's counties data/counties.csv knows, or
 *   for a ZIP the reference names no county for, the main county of the nearest ZIP. Members 0-600 (5 % zero), seeded.
 *   Most of a plan's rows lie outside its service area (a PDP's members do not, but the bench
 *   plans' service areas are regional): HI-DISTANCE counts those members apart and ENROLL-DATA
 *   reports them per plan and State.
 * - zip-classes.csv: every reference ZIP classed by ZIP_CLASS_RULE.
 */
export function ensureDistanceFiles(ds: Dataset): DistanceFiles {
  const dir = join(ds.dir, 'distance');
  const enrollment = join(dir, 'enrollment-national.csv');
  const zipClasses = join(dir, 'zip-classes.csv');
  const manifest = join(dir, 'manifest.json');
  const key = JSON.stringify({
    seed: BENCH_SEED,
    spec: ds.spec,
    enrollment: NATIONAL_ENROLLMENT,
    rule: ZIP_CLASS_RULE,
    v: 3,
  });
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      key: string;
      rows: DistanceFiles['rows'];
      classes: DistanceFiles['classes'];
    };
    if (m.key === key)
      return { dir, enrollment, zipClasses, rows: m.rows, classes: m.classes, generatedInMs: null };
  }
  const t0 = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const zips = [...loadZipReference().values()].sort((a, b) => (a.zip < b.zip ? -1 : 1));

  // Classes.
  const classOf = zipClassesOf(zips);
  const classes = { urban: 0, suburban: 0, rural: 0 };
  const classLines: string[] = [];
  for (const z of zips) {
    const c = classOf.get(z.zip)!;
    classes[c] += 1;
    classLines.push(`${z.zip},${c}`);
  }
  writeFileSync(
    zipClasses,
    `# bench ZIP classes: ZIP centroids within ${ZIP_CLASS_RULE.neighbourMiles} miles (bench/dataset.ts ZIP_CLASS_RULE)\nzip,class\n${classLines.join('\n')}\n`,
  );

  // Each ZIP's county: the first of its counties that data/counties.csv knows (the crosswalk
  // still names a few retired codes, e.g. 02270: a ZIP with none of its counties known is left
  // out); for a ZIP the reference names no county for, the main county of the nearest ZIP.
  const known = new Set(readCounties().map((c) => c.fips));
  const withCounty = zips.filter((z) => z.countyFips !== null && known.has(z.countyFips));
  const countyOf = new Map<string, string>();
  for (const z of zips) {
    if (z.countyFipsAll.length > 0) {
      const fips = z.countyFipsAll.find((f) => known.has(f));
      if (fips !== undefined) countyOf.set(z.zip, fips);
      continue;
    }
    let best = Infinity;
    let fips = '';
    for (const o of withCounty) {
      if (Math.abs(o.lat - z.lat) > 2) continue;
      const d = distanceMiles(z.lat, z.lon, o.lat, o.lon);
      if (d < best) {
        best = d;
        fips = o.countyFips!;
      }
    }
    if (fips !== '') countyOf.set(z.zip, fips);
  }
  const placed = zips.filter((z) => countyOf.has(z.zip));

  // Plans and their service-area counties.
  const planKeys = dataLines(join(ds.dir, 'plans.csv')).lines.map((l) =>
    l.split(',').slice(0, 3).join(','),
  );
  const areas = new Map<string, Set<string>>();
  for (const l of dataLines(join(ds.dir, 'service_areas.csv')).lines) {
    const f = l.split(',');
    const k = f.slice(0, 3).join(',');
    let s = areas.get(k);
    if (!s) areas.set(k, (s = new Set()));
    s.add(f[3]!);
  }
  const perPlan = Math.min(
    placed.length,
    Math.max(1, Math.round(NATIONAL_ENROLLMENT.zipsPerPlan * ds.spec.scale)),
  );
  const rnd = mulberry32(0x19);
  const lines: string[] = [];
  let inArea = 0;
  for (const plan of planKeys) {
    const area = areas.get(plan) ?? new Set<string>();
    const inside = placed.filter((z) => area.has(countyOf.get(z.zip)!));
    const outside = placed.filter((z) => !area.has(countyOf.get(z.zip)!));
    for (let i = outside.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [outside[i], outside[j]] = [outside[j]!, outside[i]!];
    }
    const chosen = [...inside, ...outside].slice(0, perPlan);
    inArea += Math.min(inside.length, perPlan);
    chosen.sort((a, b) => (a.zip < b.zip ? -1 : 1));
    for (const z of chosen) {
      const members = rnd() < 0.05 ? 0 : 1 + Math.floor(rnd() * 600);
      lines.push(`${plan},${z.zip},${countyOf.get(z.zip)},${members}`);
    }
  }
  writeLines(enrollment, 'contract_id,pbp_id,segment_id,zip,county_fips,members', lines);
  const rows = { enrollment: lines.length, plans: planKeys.length, zipsPerPlan: perPlan, inArea };
  writeFileSync(manifest, JSON.stringify({ key, rows, classes }, null, 2));
  return { dir, enrollment, zipClasses, rows, classes, generatedInMs: Date.now() - t0 };
}
