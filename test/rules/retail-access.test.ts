import { describe, expect, it } from 'vitest';
import type { Enrollment, PlanKey, ZipClass, ZipPoint } from '../../src/domain/types.js';
import { ZIP_CLASSES, planKeyString } from '../../src/domain/types.js';
import { EnrollmentTable } from '../../src/db/enrollment-table.js';
import { RETAIL_STANDARD, assessRetailAccess } from '../../src/evaluate/retail-access.js';
import { Rng } from '../../src/generate/prng.js';
import { distanceMiles, loadZipReference } from '../../src/geo/zips.js';
import { retailAccess } from '../../src/rules/retail-access.js';
import {
  COOK,
  PLAN,
  PLAN_KEY,
  evaluate,
  makeEnrollment,
  makePolicy,
  makeRetailNetwork,
  makeRetailPlan,
  makeSnapshot,
  makeZipClasses,
  runRule,
  summary,
} from './snapshot-builder.js';

// ZIP centroids of data/zips.csv used below.
const CHICAGO = { zip: '60602', lat: 41.8829, lon: -87.6321 }; // IL, urban in these tests
const PEKIN = { zip: '61520', lat: 40.5601, lon: -90.0242 }; // IL, 150 miles from Chicago
const HAMMOND = { zip: '46320', lat: 41.6099, lon: -87.5079 }; // IN
/** Degrees of latitude per mile along a meridian (earth radius 3958.7613 miles). */
const DEG_PER_MILE = 180 / (Math.PI * 3958.7613);
/** A pharmacy point `miles` due north of a place. */
const north = (p: ZipPoint, miles: number): ZipPoint => ({
  zip: `N${miles}`,
  lat: p.lat + miles * DEG_PER_MILE,
  lon: p.lon,
});

const K = `RETAIL-ACCESS|${PLAN_KEY.replaceAll('-', '|')}`;

function snapshotWith(opts: {
  pharmacies: ZipPoint[];
  members: [string | null, number][];
  classes?: Record<string, 'urban' | 'suburban' | 'rural'> | null;
  countyFips?: string;
}) {
  return makeSnapshot({
    enrollment: opts.members.map(([zip, n]) =>
      makeEnrollment(zip, n, opts.countyFips ? { countyFips: opts.countyFips } : {}),
    ),
    retailNetwork: makeRetailNetwork([makeRetailPlan(opts.pharmacies)]),
    ...(opts.classes === null
      ? {}
      : {
          zipClasses: makeZipClasses(
            opts.classes ?? {
              [CHICAGO.zip]: 'urban',
              [PEKIN.zip]: 'urban',
              [HAMMOND.zip]: 'urban',
            },
          ),
        }),
  });
}

describe('RETAIL-ACCESS distances (hand-computed)', () => {
  it.each([
    { name: 'urban: a pharmacy exactly 2.0 miles away counts', cls: 'urban', miles: 2, ok: true },
    { name: 'urban: 2.01 miles does not', cls: 'urban', miles: 2.01, ok: false },
    { name: 'suburban: exactly 5.0 miles counts', cls: 'suburban', miles: 5, ok: true },
    { name: 'suburban: 5.01 miles does not', cls: 'suburban', miles: 5.01, ok: false },
    { name: 'rural: exactly 15.0 miles counts', cls: 'rural', miles: 15, ok: true },
    { name: 'rural: 15.01 miles does not', cls: 'rural', miles: 15.01, ok: false },
  ] as const)('$name', ({ cls, miles, ok }) => {
    const snapshot = snapshotWith({
      pharmacies: [north(CHICAGO, miles)],
      members: [[CHICAGO.zip, 10]],
      classes: { [CHICAGO.zip]: cls },
    });
    const findings = runRule(retailAccess, snapshot);
    expect(summary(findings)).toEqual(ok ? [] : [`belowStandard ${K}|IL|${cls}`]);
    const row = assessRetailAccess(snapshot).rows[0]!;
    expect(row[cls]).toMatchObject({ members: 10, within: ok ? 10 : 0 });
    if (!ok) {
      expect(findings[0]!.message).toBe(
        `Plan ${PLAN_KEY}, IL: 0.0 % of 10 members in ${cls} ZIPs live within ${
          { urban: 2, suburban: 5, rural: 15 }[cls]
        } miles of an in-network retail pharmacy, below the ${cls === 'rural' ? 70 : 90} % standard.`,
      );
    }
  });
});

describe('RETAIL-ACCESS shares at the standard', () => {
  it.each([
    { name: 'exactly 90 % of urban members meets 90 %', near: 9, far: 1, cls: 'urban', ok: true },
    { name: '89.9 % is below 90 %', near: 899, far: 101, cls: 'urban', ok: false },
    { name: 'exactly 70 % of rural members meets 70 %', near: 7, far: 3, cls: 'rural', ok: true },
    { name: '69.9 % is below 70 %', near: 699, far: 301, cls: 'rural', ok: false },
  ] as const)('$name', ({ near, far, cls, ok }) => {
    // The pharmacy is in Chicago: Chicago members are within, Pekin members 150 miles away.
    const snapshot = snapshotWith({
      pharmacies: [{ ...CHICAGO }],
      members: [
        [CHICAGO.zip, near],
        [PEKIN.zip, far],
      ],
      classes: { [CHICAGO.zip]: cls, [PEKIN.zip]: cls },
    });
    const findings = runRule(retailAccess, snapshot);
    expect(summary(findings)).toEqual(ok ? [] : [`belowStandard ${K}|IL|${cls}`]);
    if (!ok) {
      expect(findings[0]!.message).toContain(`${cls === 'urban' ? '89.9' : '69.9'} % of 1000`);
      expect(findings[0]!.evidence).toMatchObject({ members: 1000, membersWithin: near });
    }
    const row = assessRetailAccess(snapshot).rows[0]!;
    expect(row[cls].share).toBe(near / (near + far));
    expect(row.verdict).toBe(ok ? 'meets' : 'below');
  });
});

describe('RETAIL-ACCESS per plan and State', () => {
  it('members in another State are another row, judged on their own', () => {
    const snapshot = snapshotWith({
      pharmacies: [{ ...CHICAGO }],
      members: [
        [CHICAGO.zip, 100],
        [HAMMOND.zip, 50],
      ],
    });
    // Hammond is 19 miles from the Chicago pharmacy: Indiana's urban members all fail.
    expect(summary(runRule(retailAccess, snapshot))).toEqual([`belowStandard ${K}|IN|urban`]);
    const rows = assessRetailAccess(snapshot).rows;
    expect(rows.map((r) => [r.state, r.urban.members, r.urban.within, r.verdict])).toEqual([
      ['IL', 100, 100, 'meets'],
      ['IN', 50, 0, 'below'],
    ]);
  });

  it('each plan is judged on its own network', () => {
    const other = { ...PLAN, pbpId: '002' };
    const snapshot = makeSnapshot({
      enrollment: [makeEnrollment(CHICAGO.zip, 10), makeEnrollment(CHICAGO.zip, 10, other)],
      retailNetwork: makeRetailNetwork([
        makeRetailPlan([{ ...CHICAGO }]),
        makeRetailPlan([{ ...PEKIN }], other),
      ]),
      zipClasses: makeZipClasses({ [CHICAGO.zip]: 'urban' }),
    });
    expect(summary(runRule(retailAccess, snapshot))).toEqual([
      `belowStandard RETAIL-ACCESS|S1234|002|000|IL|urban`,
    ]);
  });

  it('a plan with members and no retail pharmacy at all has 0 %', () => {
    const snapshot = snapshotWith({ pharmacies: [], members: [[CHICAGO.zip, 10]] });
    expect(summary(runRule(retailAccess, snapshot))).toEqual([`belowStandard ${K}|IL|urban`]);
  });
});

describe('RETAIL-ACCESS never passes quietly', () => {
  it('no enrollment roster: not evaluated, no finding, nothing missing', () => {
    const snapshot = makeSnapshot({ retailNetwork: makeRetailNetwork([makeRetailPlan([])]) });
    const result = evaluate({ snapshot, policy: makePolicy() });
    expect(result.retailAccess.status).toBe('no_enrollment');
    expect(result.findings.filter((f) => f.ruleId === 'RETAIL-ACCESS')).toEqual([]);
    expect(result.missing).toEqual([]);
  });

  it('no ZIP class file: the standard is not evaluated, every member reported not judged', () => {
    const snapshot = snapshotWith({
      pharmacies: [{ ...CHICAGO }],
      members: [[CHICAGO.zip, 10]],
      classes: null,
    });
    const result = evaluate({ snapshot, policy: makePolicy() });
    // The sponsor gave no classification: nothing to judge against, as HI-DISTANCE without
    // enrollment; the run's verdict covers the other rules, and the info finding says why.
    expect(result.missing).toEqual([]);
    expect(result.verdict).not.toBe('INCOMPLETE');
    expect(result.retailAccess.zipClasses).toBeNull();
    const f = result.findings.find((x) => x.ruleId === 'RETAIL-ACCESS')!;
    expect(f.messageId).toBe('notJudged');
    expect(f.severity).toBe('info');
    expect(f.message).toBe(
      `Plan ${PLAN_KEY}, IL: 10 members were not judged against the standard (10 in ZIPs with no urban / suburban / rural class, 0 with no usable ZIP).`,
    );
    expect(result.retailAccess.rows[0]!.verdict).toBe('not_evaluated');
  });

  it('a ZIP missing from the class file and a county-only row are not judged; the rest is', () => {
    const snapshot = snapshotWith({
      pharmacies: [{ ...CHICAGO }],
      members: [
        [CHICAGO.zip, 10],
        [PEKIN.zip, 3],
        [null, 4],
      ],
      classes: { [CHICAGO.zip]: 'urban' },
      countyFips: '17031',
    });
    const result = evaluate({ snapshot, policy: makePolicy() });
    const row = result.retailAccess.rows[0]!;
    expect(row).toMatchObject({ state: 'IL', unclassifiedMembers: 3, unlocatedMembers: 4 });
    expect(row.urban).toMatchObject({ members: 10, within: 10, meets: true });
    expect(row.verdict).toBe('incomplete');
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.missing[0]!.message).toContain('7 enrolled members could not be judged');
  });

  it('the policy can disable the rule: then nothing is missing', () => {
    const snapshot = snapshotWith({ pharmacies: [], members: [[CHICAGO.zip, 10]], classes: null });
    const result = evaluate({
      snapshot,
      policy: makePolicy({ rules: { 'RETAIL-ACCESS': { enabled: false } } }),
    });
    expect(result.missing).toEqual([]);
  });

  it('retail pharmacies without a usable ZIP are reported: the shares are lower bounds', () => {
    const snapshot = makeSnapshot({
      enrollment: [makeEnrollment(CHICAGO.zip, 10)],
      retailNetwork: makeRetailNetwork([
        makeRetailPlan([{ ...CHICAGO }], { retailPharmacies: 3, unlocatedPharmacies: 2 }),
      ]),
      zipClasses: makeZipClasses({ [CHICAGO.zip]: 'urban' }),
    });
    const findings = runRule(retailAccess, snapshot);
    expect(summary(findings)).toEqual([`unlocatedPharmacies ${K}|unlocated_pharmacies`]);
    expect(findings[0]!.severity).toBe('minor');
    // 100 % with the placed pharmacies: met whatever the others are.
    expect(evaluate({ snapshot, policy: makePolicy() }).missing).toEqual([]);
  });

  it('a share below the standard with pharmacies not placed is INCOMPLETE, not a gap', () => {
    const snapshot = makeSnapshot({
      enrollment: [makeEnrollment(PEKIN.zip, 10)],
      retailNetwork: makeRetailNetwork([
        makeRetailPlan([{ ...CHICAGO }], { retailPharmacies: 3, unlocatedPharmacies: 2 }),
      ]),
      zipClasses: makeZipClasses({ [PEKIN.zip]: 'rural' }),
    });
    const result = evaluate({ snapshot, policy: makePolicy() });
    expect(summary(result.findings.filter((f) => f.ruleId === 'RETAIL-ACCESS'))).toEqual([
      `unlocatedPharmacies ${K}|unlocated_pharmacies`,
    ]);
    const row = result.retailAccess.rows[0]!;
    expect(row.rural).toMatchObject({ members: 10, within: 0, share: 0, meets: null });
    expect(row.verdict).toBe('incomplete');
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.missing[0]!.message).toContain(
      'a share below the standard is only a lower bound',
    );
  });
});

describe('RETAIL-ACCESS reach per network', () => {
  // Illinois and Indiana ZIPs (two States); networks at random ZIPs of them.
  const zips = [...loadZipReference().values()].filter((z) => z.state === 'IL' || z.state === 'IN');
  const plans: PlanKey[] = ['001', '002', '003', '004', '005', '006'].map((pbpId) => ({
    ...PLAN,
    pbpId,
  }));

  /**
   * The tallies of each plan and State by the rule's definition, searching each plan's own
   * locations with no grid: members at a classified ZIP, and of them those with one of the plan's
   * pharmacies within the class's distance (distanceMiles, 1e-9 mile tolerance).
   */
  function bruteForce(rows: readonly Enrollment[], locations: Map<string, ZipPoint[]>) {
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const z = r.zip === null ? undefined : zips.find((x) => x.zip === r.zip);
      const cls = z === undefined ? undefined : classes.get(z.zip);
      if (z === undefined || cls === undefined) continue;
      const k = `${planKeyString(r)}|${z.state}`;
      const t = out.get(k) ?? [0, 0, 0, 0, 0, 0];
      out.set(k, t);
      const i = ZIP_CLASSES.indexOf(cls);
      t[i]! += r.members;
      const miles = RETAIL_STANDARD[cls].miles;
      const own = locations.get(planKeyString(r)) ?? [];
      if (own.some((p) => distanceMiles(z.lat, z.lon, p.lat, p.lon) <= miles + 1e-9))
        t[3 + i]! += r.members;
    }
    return out;
  }
  let classes = new Map<string, ZipClass>();

  it.each([11, 12, 13])(
    'equals a search of each network on its own (shared, copied, empty and missing networks; seed %i)',
    (seed) => {
      const rng = new Rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rng.next() * a.length)]!;
      classes = new Map(
        zips.filter(() => rng.next() < 0.9).map((z) => [z.zip, pick(ZIP_CLASSES)] as const),
      );
      const at = (): ZipPoint => {
        const z = pick(zips);
        return { zip: z.zip, lat: z.lat, lon: z.lon };
      };
      const own = Array.from({ length: 300 }, at);
      const locations = new Map<string, ZipPoint[]>([
        [planKeyString(plans[0]!), own],
        // the same network (the same objects), and a copy of it (other objects, same places)
        [planKeyString(plans[1]!), own],
        [planKeyString(plans[2]!), own.map((p) => ({ ...p }))],
        [planKeyString(plans[3]!), Array.from({ length: 300 }, at)],
        [planKeyString(plans[4]!), []],
        // plans[5]: members, no network entry
      ]);
      const network = makeRetailNetwork(
        [...locations].map(([k, l]) =>
          makeRetailPlan(
            l,
            plans.find((p) => planKeyString(p) === k),
          ),
        ),
      );
      let plan = plans[0]!;
      const rows: Enrollment[] = Array.from({ length: 4_000 }, () => {
        if (rng.next() < 0.1) plan = pick(plans);
        const r = rng.next();
        return makeEnrollment(
          r < 0.02 ? null : r < 0.04 ? '99999' : pick(zips).zip,
          pick([0, 1, 7, 250]),
          {
            ...plan,
            countyFips: r < 0.03 ? COOK : null,
          },
        );
      });
      const expected = bruteForce(rows, locations);
      const table = new EnrollmentTable();
      for (const r of rows) table.add(r);
      for (const enrollment of [rows, table]) {
        const snapshot = makeSnapshot({
          retailNetwork: network,
          zipClasses: makeZipClasses(Object.fromEntries(classes)),
        });
        snapshot.enrollment = enrollment;
        const result = assessRetailAccess(snapshot);
        const got = new Map(
          result.rows
            .filter((x) => x.state !== '??')
            .map((x) => [
              `${planKeyString(x)}|${x.state}`,
              [
                x.urban.members,
                x.suburban.members,
                x.rural.members,
                x.urban.within,
                x.suburban.within,
                x.rural.within,
              ],
            ]),
        );
        for (const [k, v] of got) if (!expected.has(k)) expect(v).toEqual([0, 0, 0, 0, 0, 0]);
        for (const [k, v] of expected) expect(got.get(k)).toEqual(v);
        // Some members are within reach and some are not, in every class.
        const sum = (i: number): number => [...expected.values()].reduce((a, t) => a + t[i]!, 0);
        for (let i = 0; i < 3; i++) {
          expect(sum(3 + i)).toBeGreaterThan(0);
          expect(sum(3 + i)).toBeLessThan(sum(i));
        }
      }
    },
  );
});
