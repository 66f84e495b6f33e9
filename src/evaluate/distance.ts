/**
 * Distance to care: for each plan x service-area county x required class, how far the plan's
 * enrolled members live from the nearest in-network home infusion pharmacy that can dispense the
 * class in usable form and serves their county (the HI-ACUTE / HI-CHRONIC eligibility, read from
 * the network index: plan.coverage, never re-derived here).
 *
 * Members are placed at their ZIP's centroid, or at their county's centroid when the row gives a
 * county only (or a ZIP the reference does not know); pharmacies at their ZIP's centroid.
 * Distances are great-circle miles (src/geo/zips.ts distanceMiles) rounded to 0.01 mile, and a
 * member is within the policy distance when that rounded distance is <= maxMiles.
 *
 * Cost: one pass over the enrollment rows (summed per plan, county and location: no per-member
 * objects); then per county, the nearest distance of each location is computed once per distinct
 * set of eligible pharmacies (classes and plans with the same set share it). Pure: the geographic
 * reference is an input.
 */
import type { Policy } from '../domain/policy.js';
import type { NetworkSnapshot, PlanKey } from '../domain/types.js';
import { planKeyString, samePlan } from '../domain/types.js';
import type { GeoPoint, GeoReference } from '../geo/locate.js';
import { distanceMiles } from '../geo/zips.js';
import { forEachEnrollment } from './enrollment-rows.js';
import type { NetworkIndex, PlanIndex } from './network-index.js';
import { grown } from '../util/typed-arrays.js';

export const DISTANCE_RULE_ID = 'HI-DISTANCE';

/** One plan x service-area county x required class with enrolled members. */
export interface DistanceCell extends PlanKey {
  countyFips: string;
  drugClass: string;
  /** Members enrolled in the county (every row naming it). */
  members: number;
  /** Of those, members placed at a ZIP or county centroid (the shares' denominator). */
  membersLocated: number;
  /** Located members within maxMiles of an eligible pharmacy. */
  membersWithin: number;
  /** In-network HI pharmacies serving the county that can dispense the class in usable form. */
  eligiblePharmacies: number;
  /** Of those, pharmacies whose ZIP the reference knows (the others are left out). */
  locatedPharmacies: number;
  /** Miles from the located member farthest from care to its nearest eligible pharmacy. */
  farthestMiles: number | null;
  /** Miles within which the policy's minShare of the located members live. */
  shareMiles: number | null;
}

/** One plan's enrollment as the distance rule used it. */
export interface DistancePlan extends PlanKey {
  /** Every enrolled member of the plan. */
  members: number;
  /** Members in a service-area county of the plan. */
  membersInArea: number;
  /** Members in counties outside the plan's service area (in no cell), and how many counties. */
  membersOutsideArea: number;
  countiesOutsideArea: number;
  /** Members placed at their county's centroid (the row gives no ZIP the reference knows). */
  membersAtCountyCentroid: number;
  /** Members that could not be placed (no county, or neither ZIP nor county is in the reference). */
  membersUnlocated: number;
  rowsUnlocated: number;
}

/** An eligible in-network HI pharmacy whose ZIP the reference does not know. */
export interface DistanceUnlocatedPharmacy {
  npi: string;
  name: string;
  zip: string;
  /** The plan x county x class cells with members where it is eligible but left out. */
  cells: number;
}

/**
 * evaluated; no_enrollment (no roster imported); disabled (by the policy); not_stored (a run
 * stored before runs kept their distances: its report cannot show them).
 */
export type DistanceStatus = 'evaluated' | 'no_enrollment' | 'disabled' | 'not_stored';

export interface DistanceResult {
  status: DistanceStatus;
  /** Why the distances were not computed, in words; null when evaluated. */
  notEvaluatedReason: string | null;
  maxMiles: number;
  minShare: number;
  /** Plans with enrollment or in the network index, plan key order. */
  plans: DistancePlan[];
  /** Cells with members, plan then county then required-class order. */
  cells: DistanceCell[];
  unlocatedPharmacies: DistanceUnlocatedPharmacy[];
}

export interface DistanceOptions {
  snapshot: NetworkSnapshot;
  index: NetworkIndex;
  policy: Policy;
  geo: GeoReference;
}

/** Shares are compared in millionths, so 9 of 10 members meets 0.90 exactly. */
const SHARE_SCALE = 1_000_000;

/** True when `within` of `total` members is at least `minShare` (exact at the boundary). */
export function meetsShare(within: number, total: number, minShare: number): boolean {
  return within * SHARE_SCALE >= Math.round(minShare * SHARE_SCALE) * total;
}

/** Great-circle miles rounded to 0.01 mile, as the rule compares them. */
export function roundedMiles(a: GeoPoint, b: GeoPoint): number {
  return Math.round(distanceMiles(a.lat, a.lon, b.lat, b.lon) * 100) / 100;
}

function notEvaluated(policy: Policy, status: DistanceStatus, reason: string): DistanceResult {
  return {
    status,
    notEvaluatedReason: reason,
    maxMiles: policy.distance.maxMiles,
    minShare: policy.distance.minShare,
    plans: [],
    cells: [],
    unlocatedPharmacies: [],
  };
}

function emptyPlan(k: PlanKey): DistancePlan {
  return {
    contractId: k.contractId,
    pbpId: k.pbpId,
    segmentId: k.segmentId,
    members: 0,
    membersInArea: 0,
    membersOutsideArea: 0,
    countiesOutsideArea: 0,
    membersAtCountyCentroid: 0,
    membersUnlocated: 0,
    rowsUnlocated: 0,
  };
}

/** One set of eligible pharmacies in a county and the nearest distance of each location to it. */
interface CandidateSet {
  npis: readonly string[];
  /** Located pharmacies' points. */
  points: GeoPoint[];
  /** Location index -> rounded miles to the nearest (Infinity when none is located). */
  nearest: Map<number, number>;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function computeDistances({
  snapshot,
  index,
  policy,
  geo,
}: DistanceOptions): DistanceResult {
  if (!(policy.rules[DISTANCE_RULE_ID]?.enabled ?? true)) {
    return notEvaluated(policy, 'disabled', `${DISTANCE_RULE_ID} is disabled by the policy`);
  }
  const enrollment = snapshot.enrollment;
  if (enrollment === undefined) {
    return notEvaluated(
      policy,
      'no_enrollment',
      'no enrollment roster has been imported, so members cannot be placed: distances to care were not computed',
    );
  }
  const { maxMiles, minShare } = policy.distance;

  // Locations: each distinct ZIP or county centroid once.
  const points: GeoPoint[] = [];
  const zipPoint = new Map<string, number>();
  const countyPoint = new Map<string, number>();
  const locate = (
    known: Map<string, number>,
    code: string,
    find: (code: string) => GeoPoint | undefined,
  ): number => {
    let i = known.get(code);
    if (i === undefined) {
      const p = find(code);
      i = p === undefined ? -1 : points.push(p) - 1;
      known.set(code, i);
    }
    return i;
  };
  const zipAt = (zip: string): GeoPoint | undefined => geo.zip(zip);
  const countyAt = (county: string): GeoPoint | undefined => geo.county(county);

  // Enrollment summed per county, plan and location (one pass, no per-member objects).
  const plans = new Map<string, DistancePlan>();
  for (const p of index.plans.values()) plans.set(p.key, emptyPlan(p));
  const byCounty = new Map<string, Map<string, Map<number, number>>>();
  // Per plan, what each county (by the pass's code number) is to it: 0 not asked yet, 1 in its
  // service area, 2 outside it, 3 outside and counted. A national enrollment's rows are mostly
  // outside the plan's area: a byte per county, not a Map lookup and a Set per row.
  const areas = new Map<string, Uint8Array>();
  // Rows of one plan usually come together: its key, record, index and counties are looked up
  // once per run of rows.
  let last: PlanKey | null = null;
  let key = '';
  let plan = emptyPlan({ contractId: '', pbpId: '', segmentId: '' });
  let planIndex: PlanIndex | undefined;
  let area: Uint8Array = new Uint8Array(0);
  forEachEnrollment(enrollment, (rowPlan, zip, county, members, _zipId, countyId) => {
    if (members <= 0) return;
    if (rowPlan !== last && !samePlan(rowPlan, last)) {
      last = rowPlan;
      key = planKeyString(rowPlan);
      let known = plans.get(key);
      if (!known) plans.set(key, (known = emptyPlan(rowPlan)));
      plan = known;
      planIndex = index.plans.get(key);
      let a = areas.get(key);
      if (!a) areas.set(key, (a = new Uint8Array(1024)));
      area = a;
    }
    plan.members += members;
    if (county !== null) {
      if (countyId >= area.length) areas.set(key, (area = grown(area, countyId + 1)));
      let inArea = area[countyId]!;
      if (inArea === 0) {
        inArea = planIndex !== undefined && planIndex.coverage.has(county) ? 1 : 2;
        area[countyId] = inArea;
      }
      if (inArea !== 1) {
        plan.membersOutsideArea += members;
        if (inArea === 2) {
          area[countyId] = 3;
          plan.countiesOutsideArea += 1;
        }
        return;
      }
    }
    let at = -1;
    if (zip !== null) at = locate(zipPoint, zip, zipAt);
    if (at < 0 && county !== null) {
      at = locate(countyPoint, county, countyAt);
      if (at >= 0) plan.membersAtCountyCentroid += members;
    }
    if (county !== null) plan.membersInArea += members;
    if (at < 0) {
      plan.membersUnlocated += members;
      plan.rowsUnlocated += 1;
    }
    if (county === null) return;
    let perPlan = byCounty.get(county);
    if (!perPlan) byCounty.set(county, (perPlan = new Map<string, Map<number, number>>()));
    let perPoint = perPlan.get(key);
    if (!perPoint) perPlan.set(key, (perPoint = new Map<number, number>()));
    perPoint.set(at, (perPoint.get(at) ?? 0) + members);
  });

  // Pharmacies: located once each.
  const pharmacyPoint = new Map<string, GeoPoint | null>();
  const pharmacyAt = (npi: string): GeoPoint | null => {
    let p = pharmacyPoint.get(npi);
    if (p === undefined) {
      const zip = snapshot.pharmacies.get(npi)?.zip.slice(0, 5) ?? '';
      p = geo.zip(zip) ?? null;
      pharmacyPoint.set(npi, p);
    }
    return p;
  };
  const unlocatedCells = new Map<string, number>();

  const cellsByPlan = new Map<string, DistanceCell[]>();
  for (const county of [...byCounty.keys()].sort(byString)) {
    const sets: CandidateSet[] = [];
    const candidates = (npis: readonly string[]): CandidateSet => {
      for (const s of sets) if (sameList(s.npis, npis)) return s;
      const located: GeoPoint[] = [];
      for (const npi of npis) {
        const p = pharmacyAt(npi);
        if (p !== null) located.push(p);
      }
      const s: CandidateSet = { npis, points: located, nearest: new Map() };
      sets.push(s);
      return s;
    };
    const nearestOf = (s: CandidateSet, at: number): number => {
      let d = s.nearest.get(at);
      if (d === undefined) {
        d = Infinity;
        const from = points[at]!;
        for (const p of s.points) d = Math.min(d, roundedMiles(from, p));
        s.nearest.set(at, d);
      }
      return d;
    };
    for (const [key, perPoint] of byCounty.get(county)!) {
      const plan = index.plans.get(key)!;
      const classes = plan.coverage.get(county)!;
      let members = 0;
      let located = 0;
      for (const [at, n] of perPoint) {
        members += n;
        if (at >= 0) located += n;
      }
      let out = cellsByPlan.get(key);
      if (!out) cellsByPlan.set(key, (out = []));
      for (const c of index.requiredClasses) {
        const npis = classes.get(c.code) ?? [];
        const set = candidates(npis);
        if (located > 0 && set.points.length < npis.length) {
          for (const npi of npis) {
            if (pharmacyAt(npi) === null) {
              unlocatedCells.set(npi, (unlocatedCells.get(npi) ?? 0) + 1);
            }
          }
        }
        const reach: [number, number][] = [];
        let within = 0;
        let farthest = 0;
        for (const [at, n] of perPoint) {
          if (at < 0) continue;
          const d = nearestOf(set, at);
          reach.push([d, n]);
          if (d <= maxMiles) within += n;
          if (d > farthest) farthest = d;
        }
        let shareMiles: number | null = null;
        if (located > 0 && set.points.length > 0) {
          reach.sort((a, b) => a[0] - b[0]);
          let sum = 0;
          for (const [d, n] of reach) {
            sum += n;
            if (meetsShare(sum, located, minShare)) {
              shareMiles = d;
              break;
            }
          }
        }
        out.push({
          contractId: plan.contractId,
          pbpId: plan.pbpId,
          segmentId: plan.segmentId,
          countyFips: county,
          drugClass: c.code,
          members,
          membersLocated: located,
          membersWithin: within,
          eligiblePharmacies: npis.length,
          locatedPharmacies: set.points.length,
          farthestMiles: located > 0 && set.points.length > 0 ? farthest : null,
          shareMiles,
        });
      }
    }
  }

  const sortedKeys = [...plans.keys()].sort(byString);
  const cells: DistanceCell[] = [];
  for (const key of sortedKeys) for (const c of cellsByPlan.get(key) ?? []) cells.push(c);
  const unlocatedPharmacies = [...unlocatedCells.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([npi, n]) => {
      const p = snapshot.pharmacies.get(npi);
      return { npi, name: p?.name ?? '', zip: p?.zip ?? '', cells: n };
    });
  return {
    status: 'evaluated',
    notEvaluatedReason: null,
    maxMiles,
    minShare,
    plans: sortedKeys.map((k) => plans.get(k)!),
    cells,
    unlocatedPharmacies,
  };
}
