/**
 * Per-county coverage status of a plan's service area, read from the report model only (no I/O).
 *
 * - uncovered: some required class has fewer covering pharmacies than the policy's
 *   minPharmaciesPerClass (a class with no coverage cell counts as 0), or no in-network HI
 *   pharmacy serves the county at all (an empty directory entry);
 * - spof (single point of failure): not uncovered, and some required class is covered by exactly
 *   one pharmacy;
 * - covered: everything else.
 */
import type { PlanKey } from '../domain/types.js';
import { planKeyString } from '../domain/types.js';
import type { ReportModel } from '../report/model.js';

export const COUNTY_STATUSES = ['uncovered', 'spof', 'covered'] as const;
export type CountyStatus = (typeof COUNTY_STATUSES)[number];

export interface CountyStatusEntry {
  fips: string;
  /** The model's county name, or null when the model does not know it. */
  name: string | null;
  status: CountyStatus;
  /** Why it is not covered: one line per failing class, e.g. 'A1PI: 0 pharmacies (minimum 1)'. */
  reasons: string[];
  /** Members of the plan living in the county; absent when not computed (no enrollment). */
  members?: number;
}

export interface PlanStatuses {
  plan: PlanKey;
  /** Plan name, or null for a plan key with no plan record. */
  planName: string | null;
  /** One entry per service-area county, sorted by FIPS. */
  counties: CountyStatusEntry[];
}

function plural(n: number): string {
  return `${n} ${n === 1 ? 'pharmacy' : 'pharmacies'}`;
}

/** Statuses of one plan's service-area counties (the counties of its directory and coverage cells). */
export function planCountyStatuses(model: ReportModel, plan: PlanKey): CountyStatusEntry[] {
  // Field comparison, not planKeyString per row: this runs once per plan over every cell.
  const samePlan = (k: PlanKey): boolean =>
    k.contractId === plan.contractId && k.pbpId === plan.pbpId && k.segmentId === plan.segmentId;
  const min = model.run.policy.minPharmaciesPerClass;
  const required = model.coverage.requiredClasses.map((c) => c.code);
  const counts = new Map<string, Map<string, number>>();
  const names = new Map<string, string>();
  const servedBy = new Map<string, number>();
  const members = new Map<string, number>();
  for (const c of model.coverage.cells) {
    if (!samePlan(c)) continue;
    let byClass = counts.get(c.countyFips);
    if (!byClass) {
      byClass = new Map();
      counts.set(c.countyFips, byClass);
    }
    byClass.set(c.drugClass, new Set(c.npis).size);
    if (typeof c.members === 'number') members.set(c.countyFips, c.members);
    if (c.countyName) names.set(c.countyFips, c.countyName);
  }
  for (const e of model.directory) {
    if (!samePlan(e)) continue;
    if (!counts.has(e.countyFips)) counts.set(e.countyFips, new Map());
    servedBy.set(e.countyFips, e.pharmacies.length);
    if (e.countyName) names.set(e.countyFips, e.countyName);
  }
  const out: CountyStatusEntry[] = [];
  for (const fips of [...counts.keys()].sort()) {
    const byClass = counts.get(fips)!;
    const classes = [...new Set([...required, ...byClass.keys()])];
    const reasons: string[] = [];
    let status: CountyStatus = 'covered';
    if (servedBy.get(fips) === 0) {
      status = 'uncovered';
      reasons.push('no in-network HI pharmacy serves the county');
    }
    for (const code of classes) {
      const n = byClass.get(code) ?? 0;
      if (n < min) {
        status = 'uncovered';
        reasons.push(`${code}: ${plural(n)} (minimum ${min})`);
      }
    }
    if (status === 'covered') {
      for (const code of classes) {
        if ((byClass.get(code) ?? 0) === 1) {
          status = 'spof';
          reasons.push(`${code}: 1 pharmacy (single point of failure)`);
        }
      }
    }
    out.push({
      fips,
      name: names.get(fips) ?? null,
      status,
      reasons,
      ...(members.has(fips) ? { members: members.get(fips)! } : {}),
    });
  }
  return out;
}

/**
 * Plans to map, in display order (plans with a record, then keys without one), each with its
 * county statuses. Plans with no service-area county are included with an empty list.
 */
export function countyStatusesByPlan(model: ReportModel): PlanStatuses[] {
  const seen = new Set<string>();
  const out: PlanStatuses[] = [];
  const entries: [PlanKey, string | null][] = [
    ...model.plans.map((p): [PlanKey, string | null] => [p, p.planName]),
    ...model.planKeysWithoutRecord.map((p): [PlanKey, string | null] => [p, null]),
  ];
  for (const [p, planName] of entries) {
    const id = planKeyString(p);
    if (seen.has(id)) continue;
    seen.add(id);
    const plan = { contractId: p.contractId, pbpId: p.pbpId, segmentId: p.segmentId };
    out.push({ plan, planName, counties: planCountyStatuses(model, plan) });
  }
  return out;
}
