import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  buildNetworkIndex,
  coverageCells,
  deliversInUsableForm,
  isActiveOn,
  isAssuranceActiveOn,
  resolveRequiredClasses,
  servesCounty,
} from '../../src/evaluate/network-index.js';
import {
  CATALOG,
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  NPI_C,
  PLAN,
  PLAN_KEY,
  REQUIRED_CODES,
  makeCapabilities,
  makeMembership,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
} from '../rules/snapshot-builder.js';

describe('isActiveOn (membership active on D)', () => {
  it.each([
    { effectiveDate: '2026-01-01', terminationDate: null, on: '2026-11-01', active: true },
    { effectiveDate: '2026-11-01', terminationDate: null, on: '2026-11-01', active: true },
    { effectiveDate: '2026-11-02', terminationDate: null, on: '2026-11-01', active: false },
    { effectiveDate: '2026-01-01', terminationDate: '2026-11-01', on: '2026-11-01', active: true },
    { effectiveDate: '2026-01-01', terminationDate: '2026-10-31', on: '2026-11-01', active: false },
    { effectiveDate: '2026-11-01', terminationDate: '2026-11-01', on: '2026-11-01', active: true },
  ])('effective $effectiveDate, terminated $terminationDate, on $on -> $active', (c) => {
    expect(isActiveOn(c, c.on)).toBe(c.active);
  });

  it('assurances use the same inclusive window', () => {
    expect(
      isAssuranceActiveOn(
        { effectiveDate: '2026-11-01', expirationDate: '2026-11-01' },
        '2026-11-01',
      ),
    ).toBe(true);
    expect(
      isAssuranceActiveOn(
        { effectiveDate: '2026-01-01', expirationDate: '2026-10-31' },
        '2026-11-01',
      ),
    ).toBe(false);
  });
});

describe('servesCounty', () => {
  it.each([
    { countiesServed: [COOK, DUPAGE], countyFips: COOK, county: DUPAGE, serves: true },
    { countiesServed: [COOK, DUPAGE], countyFips: COOK, county: LAKE, serves: false },
    { countiesServed: [], countyFips: LAKE, county: LAKE, serves: true },
    { countiesServed: [], countyFips: LAKE, county: COOK, serves: false },
    { countiesServed: [DUPAGE], countyFips: COOK, county: COOK, serves: false },
  ])('served $countiesServed, own $countyFips: serves $county = $serves', (c) => {
    expect(servesCounty(c, c.county)).toBe(c.serves);
  });
});

describe('deliversInUsableForm', () => {
  const compounding = { needsSterileCompounding: true };
  const plain = { needsSterileCompounding: false };
  it.each([
    { usableForm: true, sterile: true, cls: compounding, ok: true },
    { usableForm: true, sterile: false, cls: compounding, ok: false },
    { usableForm: true, sterile: false, cls: plain, ok: true },
    { usableForm: false, sterile: true, cls: plain, ok: false },
    { usableForm: true, sterile: false, cls: undefined, ok: true },
  ])('usable $usableForm, sterile $sterile, class $cls -> $ok', (c) => {
    expect(
      deliversInUsableForm({ sterileCompounding: c.sterile }, { usableForm: c.usableForm }, c.cls),
    ).toBe(c.ok);
  });
});

describe('resolveRequiredClasses', () => {
  it('defaults to the Part D-required classes, catalog order', () => {
    expect(resolveRequiredClasses(CATALOG, makePolicy()).map((c) => c.code)).toEqual(
      REQUIRED_CODES,
    );
  });
  it('uses the policy list in catalog order', () => {
    expect(
      resolveRequiredClasses(CATALOG, makePolicy({ requiredClasses: ['IG', 'ERT'] })).map(
        (c) => c.code,
      ),
    ).toEqual(['IG', 'ERT']);
  });
  it('rejects unknown codes, listing the valid ones', () => {
    const run = () =>
      resolveRequiredClasses(CATALOG, makePolicy({ requiredClasses: ['ABX_IV', 'NOPE', 'X'] }));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      'unknown drug class codes "NOPE", "X"; valid codes (catalog): A1PI, ABX_IV, ERT, HYDRATION, IG',
    );
  });
});

describe('buildNetworkIndex', () => {
  it('indexes a plan: HI pharmacies, serving pharmacies and coverage per county x class', () => {
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_B, countiesServed: [COOK] }),
        makePharmacy({ npi: NPI_A, countiesServed: [COOK, DUPAGE, LAKE] }),
        makePharmacy({ npi: NPI_C, countiesServed: [DUPAGE], sterileCompounding: false }),
      ],
      capabilities: [
        ...makeCapabilities(NPI_A, ['ABX_IV']),
        ...makeCapabilities(NPI_B, ['ABX_IV', 'IG']),
        ...makeCapabilities(NPI_C, ['ABX_IV', 'HYDRATION']),
      ],
    });
    const index = buildNetworkIndex(snapshot, makePolicy());
    const plan = index.plans.get(PLAN_KEY)!;
    expect(plan.hiNpis).toEqual([NPI_A, NPI_B, NPI_C]);
    expect(plan.serviceCounties).toEqual([COOK, DUPAGE]);
    expect(Object.fromEntries(plan.servingByCounty)).toEqual({
      [COOK]: [NPI_A, NPI_B],
      [DUPAGE]: [NPI_A, NPI_C],
    });
    const cook = plan.coverage.get(COOK)!;
    const dupage = plan.coverage.get(DUPAGE)!;
    expect(cook.get('ABX_IV')).toEqual([NPI_A, NPI_B]);
    expect(cook.get('IG')).toEqual([NPI_B]);
    expect(dupage.get('ABX_IV')).toEqual([NPI_A]); // C cannot compound
    expect(dupage.get('HYDRATION')).toEqual([NPI_C]);
    expect(dupage.get('A1PI')).toEqual([]);
    expect(index.usableClassesByNpi.get(NPI_C)).toEqual(['HYDRATION']);
  });

  it('ignores inactive and non-HI memberships, and records memberships of unknown pharmacies', () => {
    const snapshot = makeSnapshot({
      memberships: [
        makeMembership(NPI_A, { terminationDate: '2026-10-31' }),
        makeMembership(NPI_B, { role: 'mail' }),
        makeMembership(NPI_C),
      ],
    });
    const index = buildNetworkIndex(snapshot, makePolicy());
    expect(index.plans.get(PLAN_KEY)?.hiNpis).toEqual([]);
    expect(index.unknownNpis).toEqual([NPI_C]);
  });

  it("keeps plans apart: one plan's pharmacies do not cover another's counties", () => {
    const other = { ...PLAN, pbpId: '002' };
    const snapshot = makeSnapshot({
      serviceAreas: [...makeServiceAreas([COOK]), ...makeServiceAreas([COOK], other)],
      memberships: [makeMembership(NPI_A)],
    });
    const index = buildNetworkIndex(snapshot, makePolicy());
    expect(index.plans.get('S1234-001-000')?.servingByCounty.get(COOK)).toEqual([NPI_A]);
    expect(index.plans.get('S1234-002-000')?.servingByCounty.get(COOK)).toEqual([]);
    expect([...index.plans.keys()]).toEqual(['S1234-001-000', 'S1234-002-000']);
  });

  it('merges duplicate capability rows (usable if any row is)', () => {
    const snapshot = makeSnapshot({
      capabilities: [
        { npi: NPI_A, drugClass: 'IG', usableForm: false, notes: null },
        { npi: NPI_A, drugClass: 'IG', usableForm: true, notes: null },
      ],
    });
    const index = buildNetworkIndex(snapshot, makePolicy());
    expect(index.usableClassesByNpi.get(NPI_A)).toEqual(['IG']);
  });
});

describe('coverageCells', () => {
  it('one cell per plan x service-area county x required class, zero cells included', () => {
    const snapshot = makeSnapshot({
      serviceAreas: makeServiceAreas([COOK, LAKE]),
      capabilities: makeCapabilities(NPI_A, ['ABX_IV']),
    });
    const cells = coverageCells(buildNetworkIndex(snapshot, makePolicy()));
    expect(cells).toHaveLength(2 * REQUIRED_CODES.length);
    expect(cells.map((c) => `${c.countyFips} ${c.drugClass} ${c.npis.join(',')}`)).toEqual([
      `${COOK} ABX_IV ${NPI_A}`,
      `${COOK} HYDRATION `,
      `${COOK} A1PI `,
      `${COOK} IG `,
      `${LAKE} ABX_IV `,
      `${LAKE} HYDRATION `,
      `${LAKE} A1PI `,
      `${LAKE} IG `,
    ]);
    expect(cells[0]).toMatchObject({ contractId: 'S1234', pbpId: '001', segmentId: '000' });
  });
});
