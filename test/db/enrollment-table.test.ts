/**
 * The compact enrollment table the snapshot load builds (src/db/enrollment-table.ts) against the
 * array of records it replaced: the same records in the same order, and the whole evaluation
 * (members affected, HI-DISTANCE, RETAIL-ACCESS, ENROLL-DATA, LTC-ACCESS) identical on random
 * national-shaped enrollments at real ZIP centroids.
 */
import { describe, expect, it } from 'vitest';
import { EnrollmentTable } from '../../src/db/enrollment-table.js';
import type { Enrollment, PlanKey, ZipClass } from '../../src/domain/types.js';
import { ZIP_CLASSES, planKeyString } from '../../src/domain/types.js';
import { evaluate } from '../../src/evaluate/engine.js';
import { forEachEnrollment } from '../../src/evaluate/enrollment-rows.js';
import { buildMembersIndex } from '../../src/evaluate/members.js';
import { loadZipReference } from '../../src/geo/zips.js';
import { RULES } from '../../src/rules/registry.js';
import {
  COOK,
  DUPAGE,
  makePharmacy,
  makePlan,
  makePolicy,
  makeRetailNetwork,
  makeRetailPlan,
  makeServiceAreas,
  makeSnapshot,
  makeZipClasses,
} from '../rules/snapshot-builder.js';
import { Rng } from '../../src/generate/prng.js';

/** The project generator's seeded PRNG (mulberry32), as a function. */
function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const ZIPS = [...loadZipReference().values()].filter((z) => z.state === 'IL');
const PLANS: PlanKey[] = [
  { contractId: 'S1234', pbpId: '001', segmentId: '000' },
  { contractId: 'S1234', pbpId: '002', segmentId: '000' },
  { contractId: 'H5678', pbpId: '001', segmentId: '001' },
  // enrollment for a plan with no plan record (ENROLL-DATA unknownPlan)
  { contractId: 'S9999', pbpId: '001', segmentId: '000' },
];

/** Rows of random plans (runs of one plan and interleaved), ZIPs, counties and counts. */
function randomRows(seed: number, n: number): Enrollment[] {
  const rnd = prng(seed);
  const rows: Enrollment[] = [];
  let plan = PLANS[0]!;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.2) plan = PLANS[Math.floor(rnd() * PLANS.length)]!;
    const z = ZIPS[Math.floor(rnd() * ZIPS.length)]!;
    const r = rnd();
    rows.push({
      // a fresh object per row, as the driver's rows were
      contractId: plan.contractId,
      pbpId: plan.pbpId,
      segmentId: plan.segmentId,
      zip: r < 0.05 ? null : r < 0.08 ? '99999' : z.zip,
      countyFips: r < 0.02 ? null : r < 0.5 ? (z.countyFips ?? COOK) : rnd() < 0.5 ? COOK : DUPAGE,
      members: rnd() < 0.05 ? 0 : rnd() < 0.01 ? 3_000_000_000 : Math.floor(rnd() * 600),
    });
  }
  return rows;
}

function tableOf(rows: readonly Enrollment[]): EnrollmentTable {
  const t = new EnrollmentTable();
  for (const r of rows) t.add(r);
  return t;
}

describe('EnrollmentTable', () => {
  it('yields the records it was given, in order, on every pass', () => {
    const rows = randomRows(1, 5_000);
    const t = tableOf(rows);
    expect(t.size).toBe(5_000);
    expect([...t]).toEqual(rows);
    expect([...t]).toEqual(rows);
    expect([...new EnrollmentTable()]).toEqual([]);
  });

  it('numbers each distinct code once (0: null), as the records path does, on every pass', () => {
    const rows = randomRows(6, 3_000);
    const t = tableOf(rows);
    for (const source of [rows, t, t]) {
      const textOf = new Map<number, string | null>([[0, null]]);
      const idOf = new Map<string | null, number>([[null, 0]]);
      const seen: (string | null)[] = [];
      forEachEnrollment(source, (_plan, zip, county, _members, zipId, countyId) => {
        for (const [code, id] of [
          [zip, zipId],
          [county, countyId],
        ] as const) {
          if (!textOf.has(id)) textOf.set(id, code);
          if (!idOf.has(code)) idOf.set(code, id);
          expect(textOf.get(id)).toBe(code);
          expect(idOf.get(code)).toBe(id);
          seen.push(code);
        }
      });
      expect(seen).toEqual(rows.flatMap((r) => [r.zip, r.countyFips]));
      expect(seen).toContain(null);
    }
  });

  it('sums members per plan and county as a Map per row would, counties in the order met', () => {
    const rows = randomRows(8, 5_000);
    // The definition: one Map per plan, each row's members added to its county's entry.
    const expected = new Map<string, Map<string, number>>();
    for (const r of rows) {
      if (r.countyFips === null) continue;
      const k = planKeyString(r);
      let m = expected.get(k);
      if (!m) expected.set(k, (m = new Map<string, number>()));
      m.set(r.countyFips, (m.get(r.countyFips) ?? 0) + r.members);
    }
    for (const enrollment of [rows, tableOf(rows)]) {
      const { byPlan } = buildMembersIndex({ enrollment });
      expect([...byPlan.keys()]).toEqual([...expected.keys()]);
      for (const [k, m] of expected) expect([...byPlan.get(k)!]).toEqual([...m]);
    }
    expect(expected.size).toBe(PLANS.length);
  });

  it('reads pages encoded as the snapshot load receives them (id first, fields |, rows ;)', () => {
    const rows = randomRows(5, 4_000);
    // Ids with gaps, as a table's are.
    const encode = (r: Enrollment, i: number): string =>
      [
        3 * i + 1,
        r.contractId,
        r.pbpId,
        r.segmentId,
        r.zip ?? '',
        r.countyFips ?? '',
        r.members,
      ].join('|');
    const t = new EnrollmentTable();
    let after = 0;
    for (let i = 0; i < rows.length; i += 1_000) {
      const last = t.addEncoded(
        rows
          .slice(i, i + 1_000)
          .map((r, k) => encode(r, i + k))
          .join(';'),
        after,
      );
      expect(last).toBe(3 * (i + 999) + 1);
      after = last;
    }
    expect(t.size).toBe(4_000);
    expect([...t]).toEqual(rows);
    expect(t.addEncoded('', after)).toBe(after);
    // Codes that are not 5 digits are kept as given.
    const odd = new EnrollmentTable();
    expect(odd.addEncoded('7|S1234|001|000|6060A|17031|5;9|S1234|001|000||1703|12', 0)).toBe(9);
    expect([...odd]).toEqual([
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        zip: '6060A',
        countyFips: '17031',
        members: 5,
      },
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        zip: null,
        countyFips: '1703',
        members: 12,
      },
    ]);
    expect(() => odd.addEncoded('10|S1234|001|000|60602', 9)).toThrow(/expected form/);
    // Rows out of id order (the page query does not sort them): refused, not read.
    expect(() =>
      odd.addEncoded('12|S1234|001|000|60602|17031|1;11|S1234|001|000|60602|17031|1', 9),
    ).toThrow(/out of id order: 11 after 12/);
    expect(() => odd.addEncoded('9|S1234|001|000|60602|17031|1', 9)).toThrow(/out of id order/);
  });

  it.each([2, 3, 4])(
    'gives the same evaluation as the array of records, its inputs let go once read (seed %i)',
    (seed) => {
      const rnd = prng(seed * 7919);
      const rows = randomRows(seed, 3_000);
      // HI pharmacies at random Illinois ZIPs serving Cook and DuPage; a retail network per plan
      // at random ZIPs; ZIP classes for most Illinois ZIPs (the rest unclassified).
      const pharmacies = Array.from({ length: 6 }, (_, i) =>
        makePharmacy({
          npi: ['1234567893', '1245319599', '1982736455', '1003000126', '1003000134', '1003000142'][
            i
          ]!,
          zip: ZIPS[Math.floor(rnd() * ZIPS.length)]!.zip,
          countyFips: i % 2 === 0 ? COOK : DUPAGE,
        }),
      );
      const retail = PLANS.slice(0, 3).map((p) =>
        makeRetailPlan(
          Array.from({ length: 40 }, () => {
            const z = ZIPS[Math.floor(rnd() * ZIPS.length)]!;
            return { zip: z.zip, lat: z.lat, lon: z.lon };
          }).filter((z, i, all) => all.findIndex((y) => y.zip === z.zip) === i),
          { ...p, ltcPharmacies: p.pbpId === '002' ? 0 : 1 },
        ),
      );
      const classes: Record<string, ZipClass> = {};
      for (const z of ZIPS) if (rnd() < 0.95) classes[z.zip] = ZIP_CLASSES[Math.floor(rnd() * 3)]!;
      const parts = {
        plans: PLANS.slice(0, 3).map((p) => makePlan(p)),
        serviceAreas: PLANS.slice(0, 3).flatMap((p) => makeServiceAreas([COOK, DUPAGE], p)),
        pharmacies,
        retailNetwork: makeRetailNetwork(retail),
        zipClasses: makeZipClasses(classes),
      };
      const policy = makePolicy({ distance: { maxMiles: 15, minShare: 0.9 } });
      const viaArray = evaluate({
        snapshot: makeSnapshot({ ...parts, enrollment: rows }),
        policy,
        rules: RULES,
      });
      const snapshot = makeSnapshot(parts);
      snapshot.enrollment = tableOf(rows);
      // The audit lets the enrollment, requests and networks go once read (inputsRead): nothing
      // read later may depend on them.
      let released = false;
      const viaTable = evaluate({
        snapshot,
        policy,
        rules: RULES,
        inputsRead: () => {
          released = true;
          snapshot.coverageRequests = [];
          delete snapshot.enrollment;
          delete snapshot.retailNetwork;
          delete snapshot.ituNetwork;
        },
      });
      expect(released).toBe(true);
      expect(viaArray.distance.status).toBe('evaluated');
      expect(viaArray.distance.cells.length).toBeGreaterThan(0);
      expect(viaArray.retailAccess.rows.length).toBeGreaterThan(0);
      expect(viaArray.findings.some((f) => f.ruleId === 'ENROLL-DATA')).toBe(true);
      expect(viaTable).toEqual(viaArray);
      // Members outside their plan's service area and their distinct counties, by definition
      // (a plan with no service area: every county).
      for (const p of viaArray.distance.plans) {
        const key = planKeyString(p);
        const area = new Set(
          parts.serviceAreas.filter((a) => planKeyString(a) === key).map((a) => a.countyFips),
        );
        const outside = rows.filter(
          (r) =>
            planKeyString(r) === key &&
            r.members > 0 &&
            r.countyFips !== null &&
            !area.has(r.countyFips),
        );
        expect(p.membersOutsideArea).toBe(outside.reduce((a, r) => a + r.members, 0));
        expect(p.countiesOutsideArea).toBe(new Set(outside.map((r) => r.countyFips)).size);
      }
      expect(viaArray.distance.plans.filter((p) => p.countiesOutsideArea > 1).length).toBe(4);
    },
  );
});
