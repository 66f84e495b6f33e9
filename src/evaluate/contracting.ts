/**
 * Contracting priorities, from the network index's coverage cells (plan x service-area county x
 * required class). Pure, one pass each, no re-evaluation per pharmacy:
 *
 * - Key pharmacies (the N-1 test of the whole network): a pharmacy is critical for a cell when it
 *   is one of at most `minPharmaciesPerClass` pharmacies covering it, so the cell falls below the
 *   minimum if the pharmacy leaves. Cost: O(cells + pharmacies listed in cells).
 * - Recruitment candidates: pharmacies known to the database but not in the plan's HI network,
 *   ranked by the plan's open gaps (cells below the minimum that one more pharmacy fills) they
 *   would close in usable form. Cost: O(candidate capabilities + sum over plans of the candidates
 *   serving each county that has a gap).
 */
import type { Policy } from '../domain/policy.js';
import type { Capability, NetworkSnapshot, Pharmacy, PlanKey } from '../domain/types.js';
import { membersIn } from './members.js';
import { deliversInUsableForm, servedCounties, type NetworkIndex } from './network-index.js';

/** One HI pharmacy of a plan and what the plan loses if it leaves the network. */
export interface KeyPharmacy extends PlanKey {
  npi: string;
  name: string | null;
  /** Rank within the plan, 1 = most cells lost. */
  rank: number;
  /** Cells covered at exactly the minimum that become uncovered if it leaves. */
  cellsLost: number;
  /** Cells where it is one of at most the minimum number of pharmacies (cellsLost + cells already short). */
  cellsCritical: number;
  /** Service-area county x required class cells it covers. */
  cellsCovered: number;
  /** The lost cells, 'county:class', sorted. */
  lostCells: string[];
}

/** A pharmacy outside the plan's HI network, and the plan's gaps it would close. */
export interface RecruitmentCandidate extends PlanKey {
  npi: string;
  name: string;
  city: string;
  state: string;
  serviceType: string;
  /** Rank within the plan, 1 = most gaps closed. */
  rank: number;
  /** Open gap cells it would close: serves the county and delivers the class in usable form. */
  gapsClosed: number;
  /** The plan's open gap cells in all. */
  planGaps: number;
  /** The cells it closes, 'county:class', sorted. */
  cells: string[];
  /** Plans in scope whose HI network already includes it (planKeyString). */
  hiInPlans: string[];
  /**
   * Members of the plan living in the counties where it closes a gap (each county once); null
   * when members are not computed (no enrollment roster, or none for the plan). Ranks first.
   */
  membersReached?: number | null;
}

/** Candidates kept per plan (best first). */
export const RECRUITMENT_PER_PLAN = 100;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function keyPharmacies(
  index: NetworkIndex,
  snapshot: NetworkSnapshot,
  policy: Policy,
): KeyPharmacy[] {
  const min = policy.minPharmaciesPerClass;
  const out: KeyPharmacy[] = [];
  for (const plan of index.plans.values()) {
    const byNpi = new Map<string, KeyPharmacy>();
    for (const npi of plan.hiNpis) {
      byNpi.set(npi, {
        contractId: plan.contractId,
        pbpId: plan.pbpId,
        segmentId: plan.segmentId,
        npi,
        name: snapshot.pharmacies.get(npi)?.name ?? null,
        rank: 0,
        cellsLost: 0,
        cellsCritical: 0,
        cellsCovered: 0,
        lostCells: [],
      });
    }
    for (const [county, cells] of plan.coverage) {
      for (const [code, npis] of cells) {
        const n = npis.length;
        for (const npi of npis) {
          const k = byNpi.get(npi);
          if (!k) continue;
          k.cellsCovered += 1;
          if (n <= min) k.cellsCritical += 1;
          if (n === min) {
            k.cellsLost += 1;
            k.lostCells.push(`${county}:${code}`);
          }
        }
      }
    }
    const ranked = [...byNpi.values()].sort(
      (a, b) =>
        b.cellsLost - a.cellsLost ||
        b.cellsCritical - a.cellsCritical ||
        b.cellsCovered - a.cellsCovered ||
        byString(a.npi, b.npi),
    );
    ranked.forEach((k, i) => {
      k.rank = i + 1;
      k.lostCells.sort(byString);
      out.push(k);
    });
  }
  return out;
}

/** Required classes each candidate delivers in usable form (claims merged: usable if any is). */
function usableRequired(
  p: Pharmacy,
  caps: readonly Capability[],
  index: NetworkIndex,
  required: ReadonlySet<string>,
): string[] {
  const usable = new Set<string>();
  for (const c of caps) {
    if (!required.has(c.drugClass)) continue;
    if (deliversInUsableForm(p, c, index.catalog.get(c.drugClass))) usable.add(c.drugClass);
  }
  return [...usable];
}

export function recruitmentCandidates(
  index: NetworkIndex,
  snapshot: NetworkSnapshot,
  policy: Policy,
  perPlan = RECRUITMENT_PER_PLAN,
): RecruitmentCandidate[] {
  const min = policy.minPharmaciesPerClass;
  const required = new Set(index.requiredClasses.map((c) => c.code));

  // Every known pharmacy with a usable required class: the snapshot's HI pharmacies (candidates
  // for the plans they are not in) and the other known pharmacies.
  interface Cand {
    p: Pharmacy;
    classes: Set<string>;
  }
  const cands = new Map<string, Cand>();
  for (const [npi, p] of snapshot.pharmacies) {
    const classes = (index.usableClassesByNpi.get(npi) ?? []).filter((c) => required.has(c));
    if (classes.length > 0) cands.set(npi, { p, classes: new Set(classes) });
  }
  const extraCaps = new Map<string, Capability[]>();
  for (const c of snapshot.candidateCapabilities ?? []) {
    const list = extraCaps.get(c.npi);
    if (list) list.push(c);
    else extraCaps.set(c.npi, [c]);
  }
  for (const [npi, p] of snapshot.candidatePharmacies ?? new Map<string, Pharmacy>()) {
    if (cands.has(npi)) continue;
    const classes = usableRequired(p, extraCaps.get(npi) ?? [], index, required);
    if (classes.length > 0) cands.set(npi, { p, classes: new Set(classes) });
  }
  const byCounty = new Map<string, Cand[]>();
  for (const c of cands.values()) {
    for (const county of servedCounties(c.p)) {
      const list = byCounty.get(county);
      if (list) list.push(c);
      else byCounty.set(county, [c]);
    }
  }
  const hiPlans = new Map<string, string[]>();
  for (const plan of index.plans.values()) {
    for (const npi of plan.hiNpis) {
      const list = hiPlans.get(npi);
      if (list) list.push(plan.key);
      else hiPlans.set(npi, [plan.key]);
    }
  }

  const out: RecruitmentCandidate[] = [];
  for (const plan of index.plans.values()) {
    // Open gaps one more pharmacy fills, by county.
    const gaps = new Map<string, string[]>();
    let planGaps = 0;
    for (const [county, cells] of plan.coverage) {
      for (const [code, npis] of cells) {
        if (npis.length >= min || npis.length + 1 < min) continue;
        planGaps += 1;
        const list = gaps.get(county);
        if (list) list.push(code);
        else gaps.set(county, [code]);
      }
    }
    if (planGaps === 0) continue;
    const members = new Set(plan.hiNpis);
    const closes = new Map<string, string[]>();
    for (const [county, codes] of gaps) {
      for (const c of byCounty.get(county) ?? []) {
        if (members.has(c.p.npi)) continue;
        for (const code of codes) {
          if (!c.classes.has(code)) continue;
          const list = closes.get(c.p.npi);
          if (list) list.push(`${county}:${code}`);
          else closes.set(c.p.npi, [`${county}:${code}`]);
        }
      }
    }
    // Members whose gaps it would close: each county where it closes a gap counts once.
    const reached = (cells: readonly string[]): number | null => {
      let total = 0;
      const seen = new Set<string>();
      for (const cell of cells) {
        const county = cell.slice(0, cell.indexOf(':'));
        if (seen.has(county)) continue;
        seen.add(county);
        const n = membersIn(index.members, plan.key, county);
        if (n === null) return null;
        total += n;
      }
      return total;
    };
    const ranked = [...closes.entries()]
      .map(([npi, cells]) => ({ npi, cells, members: reached(cells) }))
      .sort(
        (x, y) =>
          (y.members ?? 0) - (x.members ?? 0) ||
          y.cells.length - x.cells.length ||
          byString(x.npi, y.npi),
      )
      .slice(0, perPlan);
    ranked.forEach(({ npi, cells, members: membersReached }, i) => {
      const p = cands.get(npi)!.p;
      out.push({
        contractId: plan.contractId,
        pbpId: plan.pbpId,
        segmentId: plan.segmentId,
        npi,
        name: p.name,
        city: p.city,
        state: p.state,
        serviceType: p.serviceType,
        rank: i + 1,
        gapsClosed: cells.length,
        planGaps,
        cells: cells.sort(byString),
        hiInPlans: (hiPlans.get(npi) ?? []).filter((k) => k !== plan.key),
        membersReached,
      });
    });
  }
  return out;
}
