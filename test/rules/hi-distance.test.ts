import { describe, expect, it } from 'vitest';
import type { Enrollment } from '../../src/domain/types.js';
import { computeDistances, meetsShare, type DistanceResult } from '../../src/evaluate/distance.js';
import { buildNetworkIndex } from '../../src/evaluate/network-index.js';
import { evaluate as evaluateRules } from '../../src/evaluate/engine.js';
import { distanceMiles } from '../../src/geo/zips.js';
import { SHIPPED_GEO, type GeoPoint, type GeoReference } from '../../src/geo/locate.js';
import { hiDistance, shareText } from '../../src/rules/hi-distance.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  PLAN,
  PLAN_KEY,
  makeCapabilities,
  makePharmacy,
  makePolicy,
  makeSnapshot,
  summary,
  type SnapshotParts,
} from './snapshot-builder.js';
import type { Policy } from '../../src/domain/policy.js';
import type { PlanKey } from '../../src/domain/types.js';

const K = `HI-DISTANCE|${PLAN_KEY.replaceAll('-', '|')}`;
const R = 3958.7613;
/** Degrees of latitude that are exactly `miles` apart on a meridian (haversine: R x dLat). */
const latFor = (miles: number): number => (miles / R) * (180 / Math.PI);

/**
 * A hand-made reference on the meridian 100 W: pharmacy ZIPs P0 (40 N) and P1 (42 N), member
 * ZIP 'M<miles>' at <miles> north of P0 (a great-circle distance of exactly <miles>), county
 * centroids for COOK and DUPAGE at P0.
 */
function meridianGeo(milesByZip: ReadonlyMap<string, number> = new Map()): GeoReference {
  const base: GeoPoint = { lat: 40, lon: -100 };
  return {
    zip(zip) {
      const miles = milesByZip.get(zip);
      if (miles !== undefined) return { lat: 40 + latFor(miles), lon: -100 };
      if (zip === '90000') return base;
      if (zip === '90001') return { lat: 42, lon: -100 };
      const m = /^M(\d+(?:\.\d+)?)$/.exec(zip);
      return m ? { lat: 40 + latFor(Number(m[1])), lon: -100 } : undefined;
    },
    county(fips) {
      return fips === COOK || fips === DUPAGE ? base : undefined;
    },
  };
}

function member(zip: string | null, members: number, over: Partial<Enrollment> = {}): Enrollment {
  return { ...PLAN, zip, countyFips: COOK, members, ...over };
}

/** Pharmacy A at 90000 (P0) and B at 90001 (P1), both serving Cook and DuPage, every class. */
function parts(enrollment: Enrollment[] | undefined, over: SnapshotParts = {}): SnapshotParts {
  return {
    pharmacies: [
      makePharmacy({ npi: NPI_A, zip: '90000' }),
      makePharmacy({ npi: NPI_B, name: 'Beta Infusion', zip: '90001', countyFips: DUPAGE }),
    ],
    ...(enrollment === undefined ? {} : { enrollment }),
    ...over,
  };
}

function run(
  p: SnapshotParts,
  policy: Policy = makePolicy(),
  geo: GeoReference = meridianGeo(),
): { findings: ReturnType<typeof evaluateRules>['findings']; distance: DistanceResult } {
  const e = evaluateRules({ snapshot: makeSnapshot(p), policy, rules: [hiDistance], geo });
  return { findings: e.findings, distance: e.distance };
}

const cell = (d: DistanceResult, county: string, cls: string) =>
  d.cells.find((c) => c.countyFips === county && c.drugClass === cls);

describe('HI-DISTANCE boundaries (hand-computed on a meridian)', () => {
  it('60.00 miles is within 60 miles; 9 of 10 members is exactly 90 %: no finding', () => {
    const { findings, distance } = run(parts([member('M60', 9), member('M60.01', 1)]));
    expect(findings).toEqual([]);
    const c = cell(distance, COOK, 'ABX_IV')!;
    expect(c).toMatchObject({
      members: 10,
      membersLocated: 10,
      membersWithin: 9,
      eligiblePharmacies: 2,
      locatedPharmacies: 2,
      farthestMiles: 60.01,
      shareMiles: 60,
    });
  });

  it('60.01 miles is outside: 8 of 10 members within is below 90 %', () => {
    const { findings, distance } = run(parts([member('M60', 8), member('M60.01', 2)]));
    expect(summary(findings)).toEqual(
      ['A1PI', 'ABX_IV', 'HYDRATION', 'IG'].map((c) => `belowShare ${K}|${COOK}|${c}`),
    );
    const f = findings.find((x) => x.drugClass === 'ABX_IV')!;
    expect(f.severity).toBe('major');
    expect(f.message).toBe(
      'Plan S1234-001-000: 80.0 % of 10 members in Cook, IL (17031) live within 60 miles of an in-network pharmacy that can dispense IV antibiotics (ABX_IV); the farthest member location is 60.01 miles from its nearest; policy 90 % within 60 miles.',
    );
    expect(f.evidence).toMatchObject({ membersWithin: 8, membersLocated: 10, share: 0.8 });
    // The distance within which 90 % of the members live: the 9th member is at 60.01.
    expect(cell(distance, COOK, 'ABX_IV')!.shareMiles).toBe(60.01);
  });

  it('the nearest pharmacy counts, members are weighted, and the policy knobs apply', () => {
    // P1 is 2 degrees north of P0 (138.19 mi): a member at 130 mi from P0 is 8.19 from P1.
    const p1 = 2 * (Math.PI / 180) * R;
    expect(p1).toBeCloseTo(138.19, 2);
    const enrollment = [member('M10', 3), member('M130', 1), member('M69', 6)];
    const { distance } = run(
      parts(enrollment),
      makePolicy({ distance: { maxMiles: 70, minShare: 0.9 } }),
    );
    const c = cell(distance, COOK, 'IG')!;
    // M10: 10 (P0); M130: min(130, 8.19) = 8.19 (P1); M69: min(69, 69.19) = 69.
    expect(c).toMatchObject({ membersWithin: 10, farthestMiles: 69, shareMiles: 69 });
    const strict = run(
      parts(enrollment),
      makePolicy({ distance: { maxMiles: 68.99, minShare: 0.4 } }),
    );
    // 4 of 10 within 68.99 miles: exactly 40 %.
    expect(strict.findings).toEqual([]);
    expect(cell(strict.distance, COOK, 'IG')!.membersWithin).toBe(4);
    const stricter = run(
      parts(enrollment),
      makePolicy({ distance: { maxMiles: 68.99, minShare: 0.41 } }),
    );
    expect(stricter.findings.map((f) => f.message)[0]).toContain('40.0 % of 10 members');
  });

  it('only eligible pharmacies count: one that cannot dispense the class in usable form is skipped', () => {
    // A (near) does not compound: ABX_IV and A1PI need sterile compounding, so only B serves them.
    const enrollment = [member('M10', 10)];
    const p = parts(enrollment, {
      pharmacies: [
        makePharmacy({ npi: NPI_A, zip: '90000', sterileCompounding: false }),
        makePharmacy({ npi: NPI_B, name: 'Beta Infusion', zip: '90001', countyFips: DUPAGE }),
      ],
    });
    const { distance, findings } = run(p);
    expect(cell(distance, COOK, 'ABX_IV')).toMatchObject({
      eligiblePharmacies: 1,
      farthestMiles: 128.19,
    });
    expect(cell(distance, COOK, 'HYDRATION')).toMatchObject({
      eligiblePharmacies: 2,
      farthestMiles: 10,
    });
    expect(summary(findings)).toEqual([
      `belowShare ${K}|${COOK}|A1PI`,
      `belowShare ${K}|${COOK}|ABX_IV`,
    ]);
  });

  it('a pharmacy that does not serve the member county is not eligible there', () => {
    const p = parts([member('M10', 5)], {
      pharmacies: [
        makePharmacy({ npi: NPI_A, zip: '90000', countiesServed: [DUPAGE] }),
        makePharmacy({ npi: NPI_B, name: 'Beta Infusion', zip: '90001', countyFips: DUPAGE }),
      ],
    });
    expect(cell(run(p).distance, COOK, 'IG')).toMatchObject({
      eligiblePharmacies: 1,
      farthestMiles: 128.19,
    });
  });

  it('meetsShare is exact at the boundary', () => {
    expect(meetsShare(9, 10, 0.9)).toBe(true);
    expect(meetsShare(899, 1000, 0.9)).toBe(false);
    expect(meetsShare(7, 10, 0.7)).toBe(true);
    expect(meetsShare(1, 3, 1 / 3)).toBe(true);
    expect(shareText(8995, 10000)).toBe('89.9 %');
    expect(shareText(9, 10)).toBe('90.0 %');
  });
});

describe('HI-DISTANCE is loud about what it cannot measure', () => {
  it('no enrollment roster: not evaluated, the reason is given, no findings', () => {
    const { findings, distance } = run(parts(undefined));
    expect(findings).toEqual([]);
    expect(distance.status).toBe('no_enrollment');
    expect(distance.notEvaluatedReason).toContain('no enrollment roster');
  });

  it('disabled by the policy: not evaluated and said so', () => {
    const { distance } = run(
      parts([member('M10', 1)]),
      makePolicy({ rules: { 'HI-DISTANCE': { enabled: false } } }),
    );
    expect(distance).toMatchObject({ status: 'disabled', cells: [] });
  });

  it('an empty enrollment roster is evaluated: no cells, no findings', () => {
    const { findings, distance } = run(parts([]));
    expect(distance.status).toBe('evaluated');
    expect(distance.cells).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('county-only rows sit at the county centroid; unplaceable members are counted', () => {
    const enrollment = [
      member(null, 4), // Cook's centroid (P0): 0 miles
      member('00000', 2, { countyFips: DUPAGE }), // ZIP unknown: DuPage's centroid
      member('00000', 3, { countyFips: LAKE }), // Lake: outside the service area
      member(null, 5, { countyFips: null }), // no county at all
    ];
    const { findings, distance } = run(parts(enrollment));
    expect(distance.plans).toEqual([
      {
        ...PLAN,
        members: 14,
        membersInArea: 6,
        membersOutsideArea: 3,
        countiesOutsideArea: 1,
        membersAtCountyCentroid: 6,
        membersUnlocated: 5,
        rowsUnlocated: 1,
      },
    ]);
    expect(cell(distance, COOK, 'IG')).toMatchObject({ members: 4, farthestMiles: 0 });
    expect(summary(findings)).toEqual([
      `membersOutsideArea ${K}|outside-area`,
      `membersUnlocated ${K}|unlocated`,
    ]);
    expect(findings.every((f) => f.severity === 'minor')).toBe(true);
    expect(findings[1]!.message).toBe(
      'Plan S1234-001-000: 5 enrolled members (1 enrollment rows) could not be placed (no county, or neither their ZIP nor their county is in the reference); they are left out of the distance shares.',
    );
  });

  it('a member in a county without a centroid is in the cell but not in the share', () => {
    const geo = meridianGeo();
    const noCounty: GeoReference = { zip: (z) => geo.zip(z), county: () => undefined };
    const { distance, findings } = run(
      parts([member('M10', 9), member(null, 1)]),
      makePolicy(),
      noCounty,
    );
    expect(cell(distance, COOK, 'IG')).toMatchObject({
      members: 10,
      membersLocated: 9,
      membersWithin: 9,
    });
    expect(summary(findings)).toEqual([`membersUnlocated ${K}|unlocated`]);
  });

  it('a pharmacy whose ZIP is unknown is left out and reported; alone, nobody can be measured', () => {
    const p = parts([member('M10', 10)], {
      pharmacies: [makePharmacy({ npi: NPI_A, zip: '99999', countiesServed: [COOK] })],
    });
    const { findings, distance } = run(p);
    expect(cell(distance, COOK, 'IG')).toMatchObject({
      eligiblePharmacies: 1,
      locatedPharmacies: 0,
      membersWithin: 0,
      farthestMiles: null,
      shareMiles: null,
    });
    expect(distance.unlocatedPharmacies).toEqual([
      { npi: NPI_A, name: `Pharmacy ${NPI_A}`, zip: '99999', cells: 4 },
    ]);
    expect(summary(findings)).toEqual([
      `noPharmacy ${K}|${COOK}|A1PI`,
      `noPharmacy ${K}|${COOK}|ABX_IV`,
      `noPharmacy ${K}|${COOK}|HYDRATION`,
      `noPharmacy ${K}|${COOK}|IG`,
      `pharmacyUnlocated HI-DISTANCE|${NPI_A}`,
    ]);
    expect(findings[0]!.message).toContain(
      'the ZIP of its one eligible pharmacy is not in the ZIP reference',
    );
    expect(findings[4]!.severity).toBe('minor');
  });

  it('a cell no pharmacy covers is a coverage gap, reported by the coverage rules only', () => {
    const p = parts([member('M10', 10)], { capabilities: makeCapabilities(NPI_A, ['IG']) });
    const { findings } = run(p);
    expect(findings.filter((x) => x.drugClass === 'ABX_IV')).toEqual([]);
  });

  it('the policy severity applies to the share findings', () => {
    const { findings } = run(
      parts([member('M61', 1)]),
      makePolicy({ rules: { 'HI-DISTANCE': { severity: 'critical' } } }),
    );
    expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(['critical']));
  });
});

describe('HI-DISTANCE with the shipped ZIP reference', () => {
  it('Chicago 60602 to Naperville 60540 by the haversine formula, by hand', () => {
    // data/zips.csv: 60602 41.8829,-87.6321; 60540 41.7662,-88.1410 (Naperville, DuPage).
    const rad = Math.PI / 180;
    const [la1, lo1, la2, lo2] = [41.8829, -87.6321, 41.7662, -88.141];
    const a =
      Math.sin(((la2 - la1) * rad) / 2) ** 2 +
      Math.cos(la1 * rad) * Math.cos(la2 * rad) * Math.sin(((lo2 - lo1) * rad) / 2) ** 2;
    const byHand = Math.round(2 * R * Math.asin(Math.sqrt(a)) * 100) / 100;
    expect(SHIPPED_GEO.zip('60540')).toMatchObject({ lat: la2, lon: lo2 });
    const p = {
      pharmacies: [makePharmacy({ npi: NPI_A, zip: '60602' })],
      enrollment: [member('60540', 3, { countyFips: DUPAGE })],
    };
    const { distance } = run(p, makePolicy(), SHIPPED_GEO);
    expect(cell(distance, DUPAGE, 'IG')!.farthestMiles).toBe(byHand);
    expect(byHand).toBeGreaterThan(27);
    expect(byHand).toBeLessThan(28);
  });

  it('county centroids ship for every county of the atlas', () => {
    expect(SHIPPED_GEO.county(COOK)).toEqual({ lat: 41.8397, lon: -87.8161 });
    expect(SHIPPED_GEO.county('99999')).toBeUndefined();
  });
});

describe('computeDistances equals a brute force on random networks', () => {
  /** Small deterministic PRNG (mulberry32). */
  function prng(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each([1, 2, 3, 4, 5])('seed %i', (seed) => {
    const rnd = prng(seed);
    const milesByZip = new Map(
      Array.from({ length: 12 }, (_, i) => [`7${String(i).padStart(4, '0')}`, rnd() * 150]),
    );
    const zips = [...milesByZip.keys()];
    const plans: PlanKey[] = [PLAN, { ...PLAN, pbpId: '002' }];
    const npis = [NPI_A, NPI_B, '1000000038', '1000000046'];
    const pharmacies = npis.map((npi, i) =>
      makePharmacy({
        npi,
        zip: i === 3 ? '99999' : (zips[Math.floor(rnd() * zips.length)] ?? '90000'),
        countiesServed: rnd() < 0.7 ? [COOK, DUPAGE] : [COOK],
        sterileCompounding: rnd() < 0.6,
      }),
    );
    const snapshot = makeSnapshot({
      pharmacies,
      serviceAreas: plans.flatMap((p) =>
        [COOK, DUPAGE].map((countyFips) => ({ ...p, countyFips })),
      ),
      memberships: plans.flatMap((p) =>
        npis
          .filter(() => rnd() < 0.7)
          .map((npi) => ({
            ...p,
            npi,
            role: 'home_infusion' as const,
            effectiveDate: '2026-01-01',
            terminationDate: null,
            zip: null,
          })),
      ),
      capabilities: npis.flatMap((npi) =>
        makeCapabilities(
          npi,
          ['ABX_IV', 'HYDRATION', 'A1PI', 'IG'].filter(() => rnd() < 0.7),
        ),
      ),
      enrollment: Array.from({ length: 40 }, () => ({
        ...plans[Math.floor(rnd() * plans.length)]!,
        zip: rnd() < 0.1 ? null : zips[Math.floor(rnd() * zips.length)]!,
        countyFips: rnd() < 0.5 ? COOK : DUPAGE,
        members: 1 + Math.floor(rnd() * 20),
      })),
    });
    const policy = makePolicy({
      distance: { maxMiles: 50 + Math.floor(rnd() * 40), minShare: 0.75 },
    });
    const geo = meridianGeo(milesByZip);
    const index = buildNetworkIndex(snapshot, policy);
    const result = computeDistances({ snapshot, index, policy, geo });
    // Brute force: every member row against every pharmacy, eligibility from the index.
    const rounded = (x: GeoPoint, y: GeoPoint): number =>
      Math.round(distanceMiles(x.lat, x.lon, y.lat, y.lon) * 100) / 100;
    for (const c of result.cells) {
      const plan = index.plans.get(`${c.contractId}-${c.pbpId}-${c.segmentId}`)!;
      const eligible = plan.coverage.get(c.countyFips)!.get(c.drugClass)!;
      const located = eligible
        .map((n) => geo.zip(snapshot.pharmacies.get(n)!.zip))
        .filter((p) => p !== undefined);
      let members = 0;
      let within = 0;
      let farthest = -1;
      for (const e of snapshot.enrollment!) {
        if (e.countyFips !== c.countyFips || e.pbpId !== c.pbpId) continue;
        members += e.members;
        const at = (e.zip === null ? undefined : geo.zip(e.zip)) ?? geo.county(c.countyFips)!;
        const d = Math.min(...located.map((p) => rounded(at, p)));
        if (d <= policy.distance.maxMiles) within += e.members;
        farthest = Math.max(farthest, d);
      }
      expect(c.members).toBe(members);
      expect(c.membersWithin).toBe(within);
      expect(c.locatedPharmacies).toBe(located.length);
      expect(c.farthestMiles).toBe(located.length === 0 ? null : farthest);
    }
    // Every plan x county with members has one cell per required class.
    const withMembers = new Set([...snapshot.enrollment!].map((e) => `${e.pbpId}|${e.countyFips}`));
    expect(result.cells.length).toBe(withMembers.size * index.requiredClasses.length);
  });
});
