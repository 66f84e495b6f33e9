/**
 * `npx tsx bench/retail-access.ts [plans] [networks]`: the retail convenient-access standard at
 * national scale, in memory: every ZIP of the reference (about 41,000) enrolled in each of 50
 * plans (2 million enrollment rows), 20,000 retail pharmacies per network at real ZIP centroids,
 * `networks` distinct networks shared by the plans (default 50: every plan its own, the worst
 * case). Prints user CPU seconds of assessRetailAccess and of the engine on the same snapshot
 * without enrollment (the ratio is what to compare across machines), and peak heap. Not part of
 * `npm test` (CPU time, not wall time: other work on the machine does not skew it much).
 */
import { DEFAULT_POLICY } from '../src/domain/policy.js';
import {
  ZIP_CLASSES,
  planKeyString,
  type Enrollment,
  type NetworkSnapshot,
  type PlanRetailNetwork,
  type ZipClass,
} from '../src/domain/types.js';
import { evaluate } from '../src/evaluate/engine.js';
import { assessRetailAccess } from '../src/evaluate/retail-access.js';
import { loadZipReference } from '../src/geo/zips.js';
import { RULES } from '../src/rules/registry.js';

const PLANS = Number(process.argv[2] ?? 50);
const NETWORKS = Number(process.argv[3] ?? 50);
const PHARMACIES = 20_000;

let seed = 1;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const zips = [...loadZipReference().values()];
const classes = new Map<string, ZipClass>(
  zips.map((z, i) => [z.zip, ZIP_CLASSES[i % 3]!] as const),
);
const networks = Array.from({ length: NETWORKS }, () => {
  const seen = new Map<string, { zip: string; lat: number; lon: number }>();
  for (let i = 0; i < PHARMACIES; i++) {
    const z = zips[Math.floor(rand() * zips.length)]!;
    seen.set(z.zip, { zip: z.zip, lat: z.lat, lon: z.lon });
  }
  return [...seen.values()].sort((a, b) => (a.zip < b.zip ? -1 : 1));
});
const plans = new Map<string, PlanRetailNetwork>();
const enrollment: Enrollment[] = [];
for (let p = 0; p < PLANS; p++) {
  const key = { contractId: `S${1000 + p}`, pbpId: '001', segmentId: '000' };
  const locations = networks[p % NETWORKS]!;
  plans.set(planKeyString(key), {
    ...key,
    locations,
    retailPharmacies: PHARMACIES,
    unlocatedPharmacies: 0,
    excludedPharmacies: 0,
    ltcPharmacies: 1,
  });
  for (const z of zips)
    enrollment.push({ ...key, zip: z.zip, countyFips: z.countyFips, members: 10 });
}
const snapshot: NetworkSnapshot = {
  asOf: '2026-11-01',
  plans: [],
  planKeysWithoutRecord: [],
  serviceAreas: [],
  memberships: [],
  pharmacies: new Map(),
  capabilities: [],
  assurances: [],
  coverageRequests: [],
  catalog: [],
  counties: new Map(),
  latestNetworkRosterAsOf: new Map(),
  retailNetwork: { plans },
  enrollment,
  zipClasses: { source: 'bench', sha256: '', asOf: null, classes },
};

const cpu = (f: () => void): number => {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6;
};
let rows = 0;
const retail = cpu(() => (rows = assessRetailAccess(snapshot).rows.length));
// Again, warm (the first call pays for compiling and for reading the ZIP reference).
const retailWarm = cpu(() => (rows = assessRetailAccess(snapshot).rows.length));
const withEnrollment = cpu(() => evaluate({ snapshot, policy: DEFAULT_POLICY, rules: RULES }));
delete snapshot.enrollment;
const without = cpu(() => evaluate({ snapshot, policy: DEFAULT_POLICY, rules: RULES }));
snapshot.enrollment = enrollment;
console.log(
  JSON.stringify({
    plans: PLANS,
    networks: NETWORKS,
    enrollmentRows: enrollment.length,
    pharmacyLocationsPerNetwork: networks[0]!.length,
    planStateRows: rows,
    assessRetailAccessCpuSeconds: retail,
    assessRetailAccessWarmCpuSeconds: retailWarm,
    evaluateWithEnrollmentCpuSeconds: withEnrollment,
    evaluateWithoutEnrollmentCpuSeconds: without,
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  }),
);
