/**
 * A synthetic national-size network (70,000 pharmacies of which 2,000 home infusion, 3,200
 * counties, 50 plans of 320 counties each, 15 classes, 100,000 coverage requests). The expected
 * counts are computed from the generator's closed-form structure, not from the engine's index.
 * No timing assertion: the vitest timeout is the only guard.
 */
import { describe, expect, it } from 'vitest';
import type {
  Capability,
  County,
  CoverageRequest,
  DrugClass,
  NetworkMembership,
  NetworkSnapshot,
  Pharmacy,
  Plan,
  PlanKey,
  ServiceArea,
} from '../../src/domain/types.js';
import { planKeyString } from '../../src/domain/types.js';
import { keyPharmacies, recruitmentCandidates } from '../../src/evaluate/contracting.js';
import { evaluate } from '../rules/snapshot-builder.js';
import { buildNetworkIndex } from '../../src/evaluate/network-index.js';
import { makeAssurance, makePharmacy, makePlan, makePolicy } from '../rules/snapshot-builder.js';

const AS_OF = '2026-11-01';
const COUNTIES = 3200;
const HI = 2000;
const SERVING_HI = 1600; // h < 1600 serve 4 counties; the others serve a county outside every area
const RETAIL = 68_000;
const PLANS = 50;
const AREA = 320;
const CLASSES = 15;
const REQUIRED = 12; // K00-K05 acute, K06-K11 chronic; K12-K14 optional
const REQUESTS = 100_000;

const fips = (c: number): string => String(10000 + c);
const npiOf = (h: number): string => String(1_000_000_000 + h);
const code = (k: number): string => `K${String(k).padStart(2, '0')}`;

// The structure, as predicates.
const terminated = (h: number): boolean => (h < SERVING_HI && h % 100 === 0) || h === 801;
const compounds = (h: number): boolean => h % 101 !== 5;
const usableClaim = (h: number, k: number): boolean => !(k === 0 && h % 37 === 3);
const needsCompounding = (k: number): boolean => k % 2 === 0;
const deliverable = (h: number, k: number): boolean =>
  usableClaim(h, k) && (!needsCompounding(k) || compounds(h));
const servedBy = (h: number): number[] =>
  h < SERVING_HI ? [0, 1, 2, 3].map((d) => (2 * h + d) % COUNTIES) : [];
/** The two HI pharmacies that serve county c (by construction). */
const servingOf = (c: number): number[] => {
  const a = Math.floor(c / 2);
  return [a, (a - 1 + SERVING_HI) % SERVING_HI];
};
const areaOf = (p: number): number[] =>
  Array.from({ length: AREA }, (_, j) => (p * 64 + j) % COUNTIES);
const planKey = (p: number): PlanKey => ({
  contractId: `S${1000 + p}`,
  pbpId: '001',
  segmentId: '000',
});
const withoutRecord = (p: number): boolean => p % 25 === 3;
const rosterAsOf = (p: number): string | null =>
  p === 49 ? null : p % 10 === 4 ? '2026-08-01' : '2026-10-20';

function buildNational(): NetworkSnapshot {
  const catalog: DrugClass[] = Array.from({ length: CLASSES }, (_, k) => ({
    code: code(k),
    name: `Class ${k}`,
    careType: k < 6 || k >= REQUIRED ? 'acute' : 'chronic',
    partDRequired: k < REQUIRED,
    partBNote: '',
    exampleDrugs: [],
    needsSterileCompounding: needsCompounding(k),
  }));
  const counties = new Map<string, County>();
  for (let c = 0; c < COUNTIES; c++)
    counties.set(fips(c), { fips: fips(c), name: `County ${c}`, state: 'ZZ' });

  const pharmacies = new Map<string, Pharmacy>();
  const capabilities: Capability[] = [];
  const memberships: NetworkMembership[] = [];
  const assurances = [];
  for (let h = 0; h < HI; h++) {
    const npi = npiOf(h);
    const served = servedBy(h).map(fips);
    pharmacies.set(
      npi,
      makePharmacy({
        npi,
        name: `HI ${h}`,
        countyFips: served[0] ?? '99999',
        countiesServed: served.length > 0 ? served : ['99999'],
        sterileCompounding: compounds(h),
        providesSupplies: h % 13 !== 0,
        deliversWithin24h: h % 17 !== 0,
      }),
    );
    if (h % 26 === 0) assurances.push(makeAssurance(npi, { services: ['supplies'] }));
    for (let k = 0; k < CLASSES; k++) {
      capabilities.push({ npi, drugClass: code(k), usableForm: usableClaim(h, k), notes: null });
    }
    for (let p = 0; p < PLANS; p++) {
      memberships.push({
        ...planKey(p),
        npi,
        role: 'home_infusion',
        effectiveDate: '2026-01-01',
        terminationDate: terminated(h) ? '2026-10-01' : null,
        zip: null,
      });
    }
  }
  for (let r = 0; r < RETAIL; r++) {
    const npi = String(1_100_000_000 + r);
    pharmacies.set(
      npi,
      makePharmacy({
        npi,
        name: `Retail ${r}`,
        countyFips: fips(r % COUNTIES),
        countiesServed: [],
      }),
    );
    memberships.push({
      ...planKey(r % PLANS),
      npi,
      role: 'retail',
      effectiveDate: '2026-01-01',
      terminationDate: null,
      zip: null,
    });
  }

  const plans: Plan[] = [];
  const planKeysWithoutRecord: PlanKey[] = [];
  const serviceAreas: ServiceArea[] = [];
  const latest = new Map<string, string>();
  for (let p = 0; p < PLANS; p++) {
    const key = planKey(p);
    if (withoutRecord(p)) planKeysWithoutRecord.push(key);
    else plans.push(makePlan({ ...key, planName: `Plan ${p}` }));
    for (const c of areaOf(p)) serviceAreas.push({ ...key, countyFips: fips(c) });
    const asOf = rosterAsOf(p);
    if (asOf) latest.set(planKeyString(key), asOf);
  }

  const coverageRequests: CoverageRequest[] = [];
  const received = Date.parse('2026-10-01T10:00:00Z');
  for (let i = 0; i < REQUESTS; i++) {
    const undecided = i % 25 === 0;
    const hours = i % 9 === 0 ? 30 : 10;
    const key = planKey(i % PLANS);
    coverageRequests.push({
      requestId: `R${i}`,
      contractId: key.contractId,
      pbpId: key.pbpId,
      drugClass: code(i % CLASSES),
      drugName: null,
      requestType: 'coverage_determination',
      expedited: true,
      receivedAt: new Date(received + (i % 1000) * 60_000).toISOString(),
      supportingStatementAt: null,
      decidedAt: undecided
        ? null
        : new Date(received + (i % 1000) * 60_000 + hours * 3_600_000).toISOString(),
      outcome: undecided ? null : 'approved',
      memberIdMasked: null,
    });
  }

  return {
    asOf: AS_OF,
    plans,
    planKeysWithoutRecord,
    serviceAreas,
    memberships,
    pharmacies,
    capabilities,
    assurances,
    coverageRequests,
    catalog,
    counties,
    latestNetworkRosterAsOf: latest,
  };
}

/** Expected counts from the structure above. */
function expectedCounts(): Record<string, number> {
  const active = Array.from({ length: HI }, (_, h) => h).filter((h) => !terminated(h));
  const e: Record<string, number> = {
    'DATA-COMPLETE': 0,
    'ENROLL-DATA': 0, // no enrollment roster: nothing to compare
    'HI-ACCESS': 0,
    'HI-ACUTE': 0,
    'HI-CHRONIC': 0,
    'HI-USABLE': 0,
    'HI-ANCILLARY': 0,
    'HI-DELIVERY-24H': 0,
    'HI-DIRECTIONS': 0,
    'HI-CONTACT': 0,
    'HI-ACCREDITATION': 0,
    'HI-TIMELY': 0,
    'HI-SINGLE-POINT': 0,
    'HI-DISTANCE': 0,
    'RETAIL-ACCESS': 0,
    'LTC-ACCESS': 0,
    'ITU-ACCESS': 1, // no pharmacy says whether it is I/T/U: NOT EVALUATED, one info finding
    'DATA-STALE': 0,
    'EXPIRING-SOON': 0,
  };
  const inc = (id: string, n = 1): void => {
    e[id] = e[id]! + n;
  };
  for (let p = 0; p < PLANS; p++) {
    const area = new Set(areaOf(p));
    for (const c of area) {
      const serving = servingOf(c).filter((h) => !terminated(h));
      if (serving.length === 0) inc('HI-ACCESS');
      for (let k = 0; k < REQUIRED; k++) {
        const n = serving.filter((h) => deliverable(h, k)).length;
        if (n === 0) inc(k < 6 ? 'HI-ACUTE' : 'HI-CHRONIC');
        if (n === 1) inc('HI-SINGLE-POINT');
      }
    }
    for (const h of active) {
      for (let k = 0; k < CLASSES; k++) if (!deliverable(h, k)) inc('HI-USABLE');
      if (h % 17 === 0) inc('HI-DELIVERY-24H');
      // No assurance at all: a finding whether or not it serves the plan's counties.
      if (h % 13 === 0 && h % 26 !== 0) inc('HI-ANCILLARY');
    }
    if (withoutRecord(p)) inc('HI-DIRECTIONS');
    if (withoutRecord(p)) inc('DATA-COMPLETE');
    if (rosterAsOf(p) === null) inc('DATA-COMPLETE');
    else if (rosterAsOf(p) !== '2026-10-20') inc('DATA-STALE');
  }
  for (let i = 0; i < REQUESTS; i++) if (i % 25 === 0 || i % 9 === 0) inc('HI-TIMELY');
  return e;
}

describe('national-size network', () => {
  it('evaluates 70k pharmacies, 3,200 counties, 50 plans and 100k requests with the right counts', () => {
    const snapshot = buildNational();
    expect(snapshot.pharmacies.size).toBe(70_000);
    const result = evaluate({ snapshot, policy: makePolicy() });
    const expected = expectedCounts();

    // The structure produces findings of most rules (so the comparison means something).
    for (const id of [
      'HI-ACCESS',
      'HI-ACUTE',
      'HI-CHRONIC',
      'HI-USABLE',
      'HI-ANCILLARY',
      'HI-SINGLE-POINT',
      'HI-TIMELY',
    ]) {
      expect(expected[id], id).toBeGreaterThan(0);
    }
    expect(result.counts.byRule).toEqual(expected);
    expect(result.counts.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    expect(result.coverage).toHaveLength(PLANS * AREA * REQUIRED);
    expect(result.timeliness).toHaveLength(REQUESTS);
    expect(result.timeliness.filter((t) => t.verdict === 'overdue')).toHaveLength(REQUESTS / 25);
    expect(new Set(result.findings.map((f) => f.key)).size).toBe(result.findings.length);
    expect(result.verdict).toBe('NON_COMPLIANT');

    // Contracting priorities (min 1 per cell): the cells lost over all key pharmacies are the
    // single-point cells; the terminated pharmacies are the only candidates for the gaps.
    const active = Array.from({ length: HI }, (_, h) => h).filter((h) => !terminated(h));
    expect(result.keyPharmacies).toHaveLength(PLANS * active.length);
    expect(result.keyPharmacies.reduce((n, k) => n + k.cellsLost, 0)).toBe(
      expected['HI-SINGLE-POINT'],
    );
    let closable = 0;
    for (let p = 0; p < PLANS; p++) {
      for (const c of new Set(areaOf(p))) {
        const serving = servingOf(c);
        for (let k = 0; k < REQUIRED; k++) {
          if (serving.some((h) => !terminated(h) && deliverable(h, k))) continue;
          closable += serving.filter((h) => terminated(h) && deliverable(h, k)).length;
        }
      }
    }
    expect(closable).toBeGreaterThan(0);
    expect(result.recruitment.reduce((n, r) => n + r.gapsClosed, 0)).toBe(closable);

    // Timed alone (the engine computes both inside evaluate): one pass each.
    const index = buildNetworkIndex(snapshot, makePolicy());
    const t0 = performance.now();
    keyPharmacies(index, snapshot, makePolicy());
    const t1 = performance.now();
    recruitmentCandidates(index, snapshot, makePolicy());
    const t2 = performance.now();
    console.log(
      `national scale: key pharmacies ${(t1 - t0).toFixed(0)} ms, recruitment ${(t2 - t1).toFixed(0)} ms`,
    );
  });
});
