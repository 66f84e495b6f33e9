/**
 * The definitions the rules share (active membership, serves, covers) and the index built once per
 * evaluation so that every rule answers its questions with Map look-ups.
 *
 * Cost: O(memberships + capabilities + service-area rows + assurances + sum over (plan, HI pharmacy)
 * of the counties it serves x the classes it can deliver). Nothing scans all pharmacies per county.
 */
import type { Policy } from '../domain/policy.js';
import {
  planKeyString,
  type Assurance,
  type Capability,
  type CoverageCell,
  type DrugClass,
  type IsoDate,
  type NetworkMembership,
  type NetworkSnapshot,
  type Pharmacy,
  type PlanKey,
} from '../domain/types.js';
import { ConfigError } from '../errors.js';
import { buildMembersIndex, membersIn, type MembersIndex } from './members.js';

/** A membership is active on D when effective <= D and (no termination date, or D <= termination). */
export function isActiveOn(
  m: Pick<NetworkMembership, 'effectiveDate' | 'terminationDate'>,
  date: IsoDate,
): boolean {
  return m.effectiveDate <= date && (m.terminationDate === null || date <= m.terminationDate);
}

/** An assurance is in force on D when effective <= D and (no expiration date, or D <= expiration). */
export function isAssuranceActiveOn(
  a: Pick<Assurance, 'effectiveDate' | 'expirationDate'>,
  date: IsoDate,
): boolean {
  return a.effectiveDate <= date && (a.expirationDate === null || date <= a.expirationDate);
}

/** The counties a pharmacy serves: its countiesServed list, or its own county when none is listed. */
export function servedCounties(p: Pick<Pharmacy, 'countiesServed' | 'countyFips'>): string[] {
  return p.countiesServed.length > 0 ? p.countiesServed : [p.countyFips];
}

/** A pharmacy serves county C when C is in its countiesServed (its own county when none listed). */
export function servesCounty(
  p: Pick<Pharmacy, 'countiesServed' | 'countyFips'>,
  countyFips: string,
): boolean {
  return servedCounties(p).includes(countyFips);
}

/**
 * Whether a claimed capability can be delivered in usable form: the capability says usableForm,
 * and, when the class needs sterile compounding, the pharmacy compounds. A class missing from the
 * catalog is treated as not needing compounding.
 */
export function deliversInUsableForm(
  p: Pick<Pharmacy, 'sterileCompounding'>,
  cap: Pick<Capability, 'usableForm'>,
  drugClass: Pick<DrugClass, 'needsSterileCompounding'> | undefined,
): boolean {
  return cap.usableForm && (!(drugClass?.needsSterileCompounding ?? false) || p.sterileCompounding);
}

/**
 * The required classes, catalog order: the policy's requiredClasses when set, else the catalog's
 * Part D-required classes. Unknown codes in the policy are a ConfigError listing the valid codes.
 */
export function resolveRequiredClasses(catalog: readonly DrugClass[], policy: Policy): DrugClass[] {
  if (policy.requiredClasses === null) return catalog.filter((c) => c.partDRequired);
  const known = new Set(catalog.map((c) => c.code));
  const unknown = [...new Set(policy.requiredClasses.filter((c) => !known.has(c)))];
  if (unknown.length > 0) {
    throw new ConfigError(
      `policy requiredClasses: unknown drug class code${unknown.length > 1 ? 's' : ''} ${unknown
        .map((c) => JSON.stringify(c))
        .join(
          ', ',
        )}; valid codes (catalog): ${[...known].sort().join(', ') || '(catalog is empty)'}`,
    );
  }
  const wanted = new Set(policy.requiredClasses);
  return catalog.filter((c) => wanted.has(c.code));
}

/** Everything known about one plan's HI network. Arrays are sorted; Maps iterate in sorted order. */
export interface PlanIndex extends PlanKey {
  /** planKeyString */
  key: string;
  /** True when the snapshot has a plan record for this key. */
  hasRecord: boolean;
  /** NPIs of the plan's HI pharmacies (active home_infusion memberships whose pharmacy is known). */
  hiNpis: string[];
  /** Service-area counties (FIPS), sorted, unique. */
  serviceCounties: string[];
  /** Per service-area county, the plan's HI pharmacies serving it (sorted NPIs; [] when none). */
  servingByCounty: Map<string, string[]>;
  /** Per service-area county, per required class code, the plan's HI pharmacies covering it. */
  coverage: Map<string, Map<string, string[]>>;
}

export interface NetworkIndex {
  asOf: IsoDate;
  /** Every plan in the snapshot (plan record, service area or HI membership), by planKeyString, sorted. */
  plans: Map<string, PlanIndex>;
  /** Required classes after the policy is applied, catalog order. */
  requiredClasses: DrugClass[];
  catalog: Map<string, DrugClass>;
  /** The counties each known pharmacy serves. */
  countiesByNpi: Map<string, Set<string>>;
  /** The capabilities each pharmacy claims, by class code (duplicate rows merged: usable if any is). */
  capabilitiesByNpi: Map<string, Map<string, Capability>>;
  /** The classes each pharmacy covers: claimed, usable form, compounding when needed. Sorted. */
  usableClassesByNpi: Map<string, string[]>;
  /** The claims each pharmacy cannot deliver in usable form (HI-USABLE), by class code. */
  undeliverableByNpi: Map<string, Capability[]>;
  /** Assurances in force on the as-of date, by pharmacy NPI. */
  activeAssurancesByNpi: Map<string, Assurance[]>;
  /** NPIs of active HI memberships whose pharmacy is missing from the snapshot (data defect). */
  unknownNpis: string[];
  /** Members per plan and county, from the enrollment roster (members affected). */
  members: MembersIndex;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function emptyPlan(p: PlanKey): PlanIndex {
  return {
    contractId: p.contractId,
    pbpId: p.pbpId,
    segmentId: p.segmentId,
    key: planKeyString(p),
    hasRecord: false,
    hiNpis: [],
    serviceCounties: [],
    servingByCounty: new Map(),
    coverage: new Map(),
  };
}

export function buildNetworkIndex(snapshot: NetworkSnapshot, policy: Policy): NetworkIndex {
  const asOf = snapshot.asOf;
  const catalog = new Map(snapshot.catalog.map((c) => [c.code, c]));
  const requiredClasses = resolveRequiredClasses(snapshot.catalog, policy);
  const requiredCodes = new Set(requiredClasses.map((c) => c.code));

  // Pharmacies: counties served.
  const countiesByNpi = new Map<string, Set<string>>();
  for (const [npi, p] of snapshot.pharmacies) countiesByNpi.set(npi, new Set(servedCounties(p)));

  // Capabilities, merged per pharmacy and class.
  const capabilitiesByNpi = new Map<string, Map<string, Capability>>();
  for (const c of snapshot.capabilities) {
    let byClass = capabilitiesByNpi.get(c.npi);
    if (!byClass) {
      byClass = new Map();
      capabilitiesByNpi.set(c.npi, byClass);
    }
    const prior = byClass.get(c.drugClass);
    if (!prior || (!prior.usableForm && c.usableForm)) byClass.set(c.drugClass, c);
  }
  const usableClassesByNpi = new Map<string, string[]>();
  const undeliverableByNpi = new Map<string, Capability[]>();
  const requiredUsableByNpi = new Map<string, string[]>();
  for (const [npi, byClass] of capabilitiesByNpi) {
    const p = snapshot.pharmacies.get(npi);
    if (!p) continue;
    const usable: string[] = [];
    const undeliverable: Capability[] = [];
    for (const c of [...byClass.values()].sort((a, b) => byString(a.drugClass, b.drugClass))) {
      if (deliversInUsableForm(p, c, catalog.get(c.drugClass))) usable.push(c.drugClass);
      else undeliverable.push(c);
    }
    usableClassesByNpi.set(npi, usable);
    if (undeliverable.length > 0) undeliverableByNpi.set(npi, undeliverable);
    requiredUsableByNpi.set(
      npi,
      usable.filter((c) => requiredCodes.has(c)),
    );
  }

  // Assurances in force on D.
  const activeAssurancesByNpi = new Map<string, Assurance[]>();
  for (const a of snapshot.assurances) {
    if (isAssuranceActiveOn(a, asOf)) pushTo(activeAssurancesByNpi, a.npi, a);
  }

  // Plans: every key that has a record, a service area or an HI membership.
  const plans = new Map<string, PlanIndex>();
  const planFor = (k: PlanKey): PlanIndex => {
    const key = planKeyString(k);
    let p = plans.get(key);
    if (!p) {
      p = emptyPlan(k);
      plans.set(key, p);
    }
    return p;
  };
  for (const p of snapshot.plans) planFor(p).hasRecord = true;
  for (const k of snapshot.planKeysWithoutRecord) planFor(k);

  const areaSets = new Map<string, Set<string>>();
  for (const a of snapshot.serviceAreas) {
    const plan = planFor(a);
    let set = areaSets.get(plan.key);
    if (!set) {
      set = new Set();
      areaSets.set(plan.key, set);
    }
    set.add(a.countyFips);
  }

  const hiSets = new Map<string, Set<string>>();
  const unknown = new Set<string>();
  for (const m of snapshot.memberships) {
    if (m.role !== 'home_infusion' || !isActiveOn(m, asOf)) continue;
    const plan = planFor(m);
    if (!snapshot.pharmacies.has(m.npi)) {
      unknown.add(m.npi);
      continue;
    }
    let set = hiSets.get(plan.key);
    if (!set) {
      set = new Set();
      hiSets.set(plan.key, set);
    }
    set.add(m.npi);
  }

  for (const plan of plans.values()) {
    const area = areaSets.get(plan.key) ?? new Set<string>();
    plan.serviceCounties = [...area].sort(byString);
    plan.hiNpis = [...(hiSets.get(plan.key) ?? [])].sort(byString);
    for (const county of plan.serviceCounties) {
      plan.servingByCounty.set(county, []);
      const cells = new Map<string, string[]>();
      for (const c of requiredClasses) cells.set(c.code, []);
      plan.coverage.set(county, cells);
    }
    // Walk each HI pharmacy's served counties (small) instead of each county's pharmacies.
    // hiNpis is sorted, so every list built here is sorted too.
    for (const npi of plan.hiNpis) {
      const counties = countiesByNpi.get(npi);
      if (!counties) continue;
      const classes = requiredUsableByNpi.get(npi) ?? [];
      for (const county of counties) {
        const serving = plan.servingByCounty.get(county);
        if (!serving) continue; // not a service-area county of this plan
        serving.push(npi);
        const cells = plan.coverage.get(county)!;
        for (const code of classes) cells.get(code)!.push(npi);
      }
    }
  }

  const sortedPlans = new Map([...plans.entries()].sort(([a], [b]) => byString(a, b)));
  return {
    asOf,
    plans: sortedPlans,
    requiredClasses,
    catalog,
    countiesByNpi,
    capabilitiesByNpi,
    usableClassesByNpi,
    undeliverableByNpi,
    activeAssurancesByNpi,
    unknownNpis: [...unknown].sort(byString),
    members: buildMembersIndex(snapshot),
  };
}

/** One cell per plan x service-area county x required class (zero-pharmacy cells included). */
export function coverageCells(index: NetworkIndex): CoverageCell[] {
  const out: CoverageCell[] = [];
  for (const plan of index.plans.values()) {
    for (const county of plan.serviceCounties) {
      const cells = plan.coverage.get(county);
      for (const c of index.requiredClasses) {
        out.push({
          contractId: plan.contractId,
          pbpId: plan.pbpId,
          segmentId: plan.segmentId,
          countyFips: county,
          drugClass: c.code,
          npis: [...(cells?.get(c.code) ?? [])],
          members: membersIn(index.members, plan.key, county),
        });
      }
    }
  }
  return out;
}
