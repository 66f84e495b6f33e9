/**
 * `infusion-audit impact`: contracting priorities for a contract (or one PBP) as of a date, read
 * from the network without storing a run: each plan's key pharmacies (the N-1 test) and its
 * recruitment candidates.
 */
import type { Policy } from '../domain/policy.js';
import type { IsoDate } from '../domain/types.js';
import type { Db } from '../db/connect.js';
import { loadSnapshot, type AuditScope } from '../db/load-snapshot.js';
import {
  keyPharmacies,
  recruitmentCandidates,
  type KeyPharmacy,
  type RecruitmentCandidate,
} from '../evaluate/contracting.js';
import { buildNetworkIndex } from '../evaluate/network-index.js';
import { endOfDay } from '../util/time.js';

export interface PlanImpact {
  plan: string;
  hiPharmacies: number;
  /** Cells (county x required class) in the plan's service area. */
  cells: number;
  /** Cells below the policy minimum today. */
  openGaps: number;
  keyPharmacies: KeyPharmacy[];
  recruitment: RecruitmentCandidate[];
}

export interface ImpactResult {
  asOf: IsoDate;
  contractId: string | null;
  pbpId: string | null;
  minPharmaciesPerClass: number;
  plans: PlanImpact[];
  durationMs: { load: number; keyPharmacies: number; recruitment: number };
}

export async function computeImpact(options: {
  db: Db;
  asOf: IsoDate;
  scope: AuditScope;
  policy: Policy;
}): Promise<ImpactResult> {
  const { db, asOf, scope, policy } = options;
  const t0 = performance.now();
  const snapshot = await loadSnapshot({
    db,
    asOf,
    scope,
    receivedBefore: endOfDay(asOf, policy.timeZone),
  });
  const index = buildNetworkIndex(snapshot, policy);
  const t1 = performance.now();
  const keys = keyPharmacies(index, snapshot, policy);
  const t2 = performance.now();
  const recruits = recruitmentCandidates(index, snapshot, policy);
  const t3 = performance.now();
  const plans: PlanImpact[] = [];
  for (const plan of index.plans.values()) {
    let cells = 0;
    let openGaps = 0;
    for (const byClass of plan.coverage.values()) {
      for (const npis of byClass.values()) {
        cells += 1;
        if (npis.length < policy.minPharmaciesPerClass) openGaps += 1;
      }
    }
    plans.push({
      plan: plan.key,
      hiPharmacies: plan.hiNpis.length,
      cells,
      openGaps,
      keyPharmacies: keys.filter(
        (k) =>
          k.contractId === plan.contractId &&
          k.pbpId === plan.pbpId &&
          k.segmentId === plan.segmentId,
      ),
      recruitment: recruits.filter(
        (r) =>
          r.contractId === plan.contractId &&
          r.pbpId === plan.pbpId &&
          r.segmentId === plan.segmentId,
      ),
    });
  }
  const ms = (x: number): number => Math.round(x * 10) / 10;
  return {
    asOf,
    contractId: scope.contractId,
    pbpId: scope.pbpId,
    minPharmaciesPerClass: policy.minPharmaciesPerClass,
    plans,
    durationMs: { load: ms(t1 - t0), keyPharmacies: ms(t2 - t1), recruitment: ms(t3 - t2) },
  };
}
