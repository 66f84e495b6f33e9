/**
 * Members affected: the enrollment roster summed per plan and county, built once per evaluation,
 * so that every gap (a county x class cell with too few pharmacies, a county served by too few)
 * can say how many of the plan's members live where it is. Without an enrollment roster nothing
 * is computed, and every report says "not computed", never 0.
 *
 * Cost: O(enrollment rows); memory: one number per plan x county with members.
 */
import type { Policy } from '../domain/policy.js';
import {
  planKeyString,
  samePlan,
  type Finding,
  type NetworkSnapshot,
  type PlanKey,
} from '../domain/types.js';
import { forEachEnrollment } from './enrollment-rows.js';
import type { NetworkIndex, PlanIndex } from './network-index.js';
import { grown } from '../util/typed-arrays.js';

export interface MembersIndex {
  /** False when no enrollment roster was ever imported by the as-of date. */
  computed: boolean;
  /** Per plan (planKeyString) with enrollment rows, members per county (any county). */
  byPlan: Map<string, Map<string, number>>;
}

/** Why members are not computed, for a plan of the index. */
export const NO_ENROLLMENT_ROSTER = 'no enrollment roster';
export const NO_ENROLLMENT_FOR_PLAN = 'no enrollment rows for this plan';

export function buildMembersIndex(snapshot: Pick<NetworkSnapshot, 'enrollment'>): MembersIndex {
  const byPlan = new Map<string, Map<string, number>>();
  if (snapshot.enrollment === undefined) return { computed: false, byPlan };
  // Per plan, members summed by county (a typed array by a dense county number, not a Map lookup
  // and set per row: 2,000,000 rows nationally), the counties in the order first met; the Maps
  // are built once at the end, in that order. Code numbers cover ZIPs too: the dense numbers keep
  // each plan's sums to the counties met (3,200), not the codes (45,000).
  interface Sums {
    counties: Map<string, number>;
    /** Dense county numbers in the order met, and their codes. */
    ids: number[];
    names: string[];
    /** Members by dense county number, and 1 for a county met. */
    total: Float64Array;
    met: Uint8Array;
  }
  const plans: Sums[] = [];
  const sumsByKey = new Map<string, Sums>();
  /** Per county code number: its dense number + 1 (0: not met yet). */
  let dense = new Int32Array(1024);
  let countyCount = 0;
  // Rows of one plan usually come together: its key and sums are looked up once per run of rows.
  let last: PlanKey | null = null;
  let sums: Sums | null = null;
  forEachEnrollment(snapshot.enrollment, (plan, _zip, countyFips, members, _zipId, countyId) => {
    if (countyFips === null) return;
    if (plan !== last && !samePlan(plan, last)) {
      last = plan;
      const key = planKeyString(plan);
      let known = sumsByKey.get(key);
      if (!known) {
        known = {
          counties: new Map(),
          ids: [],
          names: [],
          total: new Float64Array(256),
          met: new Uint8Array(256),
        };
        sumsByKey.set(key, known);
        byPlan.set(key, known.counties);
        plans.push(known);
      }
      sums = known;
    }
    if (countyId >= dense.length) dense = grown(dense, countyId + 1);
    let c = dense[countyId]! - 1;
    if (c < 0) dense[countyId] = (c = countyCount++) + 1;
    const s = sums!;
    if (c >= s.total.length) {
      s.total = grown(s.total, c + 1);
      s.met = grown(s.met, c + 1);
    }
    if (s.met[c] === 0) {
      s.met[c] = 1;
      s.ids.push(c);
      s.names.push(countyFips);
    }
    s.total[c]! += members;
  });
  for (const s of plans) {
    for (let i = 0; i < s.ids.length; i++) s.counties.set(s.names[i]!, s.total[s.ids[i]!]!);
  }
  return { computed: true, byPlan };
}

/** Members of the plan living in the county, or null when not computed for the plan. */
export function membersIn(index: MembersIndex, planKey: string, county: string): number | null {
  const counties = index.byPlan.get(planKey);
  if (counties === undefined) return null;
  return counties.get(county) ?? 0;
}

/** Why a plan's members are not computed (null when they are). */
export function membersNotComputed(index: MembersIndex, planKey: string): string | null {
  if (!index.computed) return NO_ENROLLMENT_ROSTER;
  return index.byPlan.has(planKey) ? null : NO_ENROLLMENT_FOR_PLAN;
}

/**
 * What a gap's finding records of its members: `membersAffected` (a count), or null with
 * `membersNotComputed` saying why (src/report/format.ts phrases both).
 */
export function membersEvidence(
  index: MembersIndex,
  planKey: string,
  county: string,
): Finding['evidence'] {
  const n = membersIn(index, planKey, county);
  if (n !== null) return { membersAffected: n };
  return {
    membersAffected: null,
    membersNotComputed: membersNotComputed(index, planKey) ?? NO_ENROLLMENT_ROSTER,
  };
}

/** A plan's members and the members its coverage gaps touch (the Summary's per-plan table). */
export interface PlanMembers extends PlanKey {
  /** Members of the plan on the enrollment roster, every county; null when not computed. */
  members: number | null;
  /**
   * Members living in service-area counties with a gap: a required class covered by fewer than
   * minPharmaciesPerClass pharmacies, or fewer than minPharmaciesPerCounty pharmacies serving
   * the county. Each county's members count once, however many classes it lacks. Excepted gaps
   * count too: an exception accepts a gap, it does not close it. Null when not computed.
   */
  membersAffected: number | null;
  /** Service-area counties with a gap and at least one member. */
  gapCountiesWithMembers: number;
  /** Members living outside the plan's service area (reported by ENROLL-DATA). */
  membersOutsideArea: number | null;
  /** Why members are not computed; null when they are. */
  notComputed: string | null;
}

/** Service-area counties of a plan with a coverage gap (see PlanMembers.membersAffected). */
export function gapCounties(plan: PlanIndex, policy: Policy): Set<string> {
  const out = new Set<string>();
  for (const [county, npis] of plan.servingByCounty) {
    if (npis.length < policy.minPharmaciesPerCounty) out.add(county);
  }
  for (const [county, cells] of plan.coverage) {
    if (out.has(county)) continue;
    for (const npis of cells.values()) {
      if (npis.length < policy.minPharmaciesPerClass) {
        out.add(county);
        break;
      }
    }
  }
  return out;
}

/** One row per plan of the index, in its order. */
export function planMembers(index: NetworkIndex, policy: Policy): PlanMembers[] {
  const out: PlanMembers[] = [];
  for (const plan of index.plans.values()) {
    const why = membersNotComputed(index.members, plan.key);
    const row: PlanMembers = {
      contractId: plan.contractId,
      pbpId: plan.pbpId,
      segmentId: plan.segmentId,
      members: null,
      membersAffected: null,
      gapCountiesWithMembers: 0,
      membersOutsideArea: null,
      notComputed: why,
    };
    const counties = index.members.byPlan.get(plan.key);
    if (why === null && counties !== undefined) {
      const area = new Set(plan.serviceCounties);
      let total = 0;
      let outside = 0;
      for (const [county, n] of counties) {
        total += n;
        if (!area.has(county)) outside += n;
      }
      let affected = 0;
      for (const county of gapCounties(plan, policy)) {
        const n = counties.get(county) ?? 0;
        affected += n;
        if (n > 0) row.gapCountiesWithMembers += 1;
      }
      row.members = total;
      row.membersAffected = affected;
      row.membersOutsideArea = outside;
    }
    out.push(row);
  }
  return out;
}
