/**
 * What every report format says about members' distance to care (HI-DISTANCE), from the stored
 * DistanceResult: the status in words, the policy, per-plan rows and the cells below the policy.
 */
import { planKeyString } from '../domain/types.js';
import type { DistanceCell, DistancePlan, DistanceResult } from '../evaluate/distance.js';
import { meetsShare } from '../evaluate/distance.js';
import { GEO_SOURCE } from '../geo/locate.js';
import { milesText, policyShareText, shareText } from '../rules/hi-distance.js';

export type DistancePlanRow = DistancePlan & { cellsBelow: number };
export type DistanceCellRow = DistanceCell & { countyLabel: string };

/** The distance result without its cells, key order fixed (the JSON report and the run's store). */
export function distanceSummary(d: DistanceResult): Omit<DistanceResult, 'cells'> {
  return {
    status: d.status,
    notEvaluatedReason: d.notEvaluatedReason,
    maxMiles: d.maxMiles,
    minShare: d.minShare,
    plans: d.plans,
    unlocatedPharmacies: d.unlocatedPharmacies,
  };
}

/** The share of a cell's placed members within the distance, or why there is none. */
export function cellShareText(c: DistanceCell): string {
  return c.membersLocated === 0 ? 'none placed' : shareText(c.membersWithin, c.membersLocated);
}

export function isBelowPolicy(c: DistanceCell, d: Pick<DistanceResult, 'minShare'>): boolean {
  return c.membersLocated > 0 && !meetsShare(c.membersWithin, c.membersLocated, d.minShare);
}

/** 'Sponsor policy: 90 % of members within 60 miles ...'. */
export function distancePolicyText(d: DistanceResult): string {
  return `Sponsor policy: at least ${policyShareText(d.minShare)} of a plan's members in each service-area county within ${milesText(d.maxMiles)} miles of an in-network home infusion pharmacy that serves the county and can dispense the class in usable form (42 CFR 423.120(a)(4) requires adequate access and sets no distance). Places: ${GEO_SOURCE}.`;
}

/** One sentence: evaluated with its figures, or not evaluated and why. */
export function distanceStatusText(d: DistanceResult): string {
  if (d.status !== 'evaluated') {
    return `Distance to care NOT EVALUATED: ${d.notEvaluatedReason ?? d.status}.`;
  }
  const below = d.cells.filter((c) => isBelowPolicy(c, d)).length;
  const members = d.plans.reduce((n, p) => n + p.members, 0);
  const unplaced = d.plans.reduce((n, p) => n + p.membersUnlocated, 0);
  const outside = d.plans.reduce((n, p) => n + p.membersOutsideArea, 0);
  const extra = [
    unplaced > 0 ? `${unplaced.toLocaleString('en-US')} members could not be placed` : '',
    outside > 0
      ? `${outside.toLocaleString('en-US')} members live outside their plan's service area`
      : '',
    d.unlocatedPharmacies.length > 0
      ? `${d.unlocatedPharmacies.length} eligible pharmacies have a ZIP the reference does not know`
      : '',
  ].filter((x) => x !== '');
  return `Distance to care: ${below} of ${d.cells.length} plan x county x class cells with members are below the policy (${members.toLocaleString('en-US')} members enrolled)${extra.length > 0 ? `; ${extra.join('; ')}` : ''}.`;
}

/** Per plan, with the number of its cells below the policy. */
export function distancePlanRows(d: DistanceResult): DistancePlanRow[] {
  const below = new Map<string, number>();
  for (const c of d.cells) {
    if (!isBelowPolicy(c, d)) continue;
    const k = planKeyString(c);
    below.set(k, (below.get(k) ?? 0) + 1);
  }
  return d.plans.map((p) => ({ ...p, cellsBelow: below.get(planKeyString(p)) ?? 0 }));
}

/**
 * The cells below the policy, farthest first (lowest share, then farthest member), at most
 * `limit`; `total` says how many there are.
 */
export function cellsBelowPolicy(
  d: DistanceResult,
  countyName: (fips: string) => string | undefined,
  limit: number,
): { rows: DistanceCellRow[]; total: number } {
  const below = d.cells.filter((c) => isBelowPolicy(c, d));
  const share = (c: DistanceCell): number => c.membersWithin / c.membersLocated;
  below.sort(
    (a, b) =>
      share(a) - share(b) ||
      (b.farthestMiles ?? Infinity) - (a.farthestMiles ?? Infinity) ||
      b.members - a.members,
  );
  return {
    rows: below.slice(0, limit).map((c) => {
      const name = countyName(c.countyFips);
      return { ...c, countyLabel: name ? `${name} (${c.countyFips})` : c.countyFips };
    }),
    total: below.length,
  };
}
