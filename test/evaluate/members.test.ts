/**
 * Members affected, hand-computed on a small network: plan S1234-001-000 serves Cook, DuPage and
 * Lake. Pharmacy A serves all three but cannot deliver A1PI or IG; pharmacy B serves Cook with
 * every class. So DuPage and Lake each have two chronic gaps (A1PI, IG); Cook has none.
 *
 * Enrollment: Cook 1,240 (ZIP row) + 10 (county row) = 1,250; DuPage 200 + 100 = 300; Lake 7;
 * Kane (17089, outside the service area) 5. Members 1,562; affected 300 + 7 = 307.
 */
import { describe, expect, it } from 'vitest';
import type { Enrollment, NetworkSnapshot } from '../../src/domain/types.js';
import { evidenceText } from '../../src/report/format.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  PLAN,
  evaluate,
  makeCapabilities,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
} from '../rules/snapshot-builder.js';

const KANE = '17089';
const NPI_C = '1000000046';
const NPI_D = '1000000053';

const row = (zip: string | null, countyFips: string, members: number): Enrollment => ({
  ...PLAN,
  zip,
  countyFips,
  members,
});

function network(enrollment?: Enrollment[]): NetworkSnapshot {
  const a = makePharmacy({ npi: NPI_A, countiesServed: [COOK, DUPAGE, LAKE] });
  const b = makePharmacy({ npi: NPI_B, countiesServed: [COOK] });
  // Candidates outside the network: C closes DuPage's A1PI (1 cell, 300 members), D closes
  // Lake's A1PI and IG (2 cells, 7 members).
  const c = makePharmacy({ npi: NPI_C, countyFips: DUPAGE, countiesServed: [DUPAGE] });
  const d = makePharmacy({ npi: NPI_D, countyFips: LAKE, countiesServed: [LAKE] });
  const base = makeSnapshot({
    pharmacies: [a, b],
    serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]),
    capabilities: [...makeCapabilities(NPI_A, ['ABX_IV', 'HYDRATION']), ...makeCapabilities(NPI_B)],
  });
  return {
    ...base,
    candidatePharmacies: new Map([
      [NPI_C, c],
      [NPI_D, d],
    ]),
    candidateCapabilities: [
      ...makeCapabilities(NPI_C, ['A1PI']),
      ...makeCapabilities(NPI_D, ['A1PI', 'IG']),
    ],
    ...(enrollment ? { enrollment } : {}),
  };
}

const ENROLLMENT = [
  row('60612', COOK, 1240),
  row(null, COOK, 10),
  row('60126', DUPAGE, 200),
  row('60148', DUPAGE, 100),
  row('60030', LAKE, 7),
  row('60120', KANE, 5),
];

describe('members affected', () => {
  it('sums members per plan, counting each gap county once', () => {
    const r = evaluate({ snapshot: network(ENROLLMENT), policy: makePolicy() });
    expect(r.membersComputed).toBe(true);
    expect(r.members).toEqual([
      {
        ...PLAN,
        members: 1562,
        membersAffected: 307,
        gapCountiesWithMembers: 2,
        membersOutsideArea: 5,
        notComputed: null,
      },
    ]);
    const cells = new Map(r.coverage.map((c) => [`${c.countyFips}:${c.drugClass}`, c.members]));
    expect(cells.get(`${COOK}:ABX_IV`)).toBe(1250);
    expect(cells.get(`${DUPAGE}:A1PI`)).toBe(300);
    expect(cells.get(`${LAKE}:IG`)).toBe(7);
  });

  it('puts the members of the county in every gap finding and its evidence text', () => {
    const r = evaluate({ snapshot: network(ENROLLMENT), policy: makePolicy() });
    const gap = r.findings.find(
      (f) => f.ruleId === 'HI-CHRONIC' && f.countyFips === DUPAGE && f.drugClass === 'A1PI',
    )!;
    expect(gap.evidence.membersAffected).toBe(300);
    expect(evidenceText(gap.evidence)).toContain('300 members of this plan live in this county');
    const lake = r.findings.find((f) => f.ruleId === 'HI-CHRONIC' && f.countyFips === LAKE)!;
    expect(evidenceText(lake.evidence)).toContain('7 members of this plan live in this county');
    // HI-ACCESS: a county nobody serves, with the policy asking for 2 pharmacies per county.
    const access = evaluate({
      snapshot: network(ENROLLMENT),
      policy: makePolicy({ minPharmaciesPerCounty: 2 }),
    }).findings.filter((f) => f.ruleId === 'HI-ACCESS');
    expect(access.map((f) => [f.countyFips, f.evidence.membersAffected])).toEqual([
      [DUPAGE, 300],
      [LAKE, 7],
    ]);
  });

  it('ranks recruitment candidates by members reached, then by gaps closed', () => {
    const ranked = (s: NetworkSnapshot) =>
      evaluate({ snapshot: s, policy: makePolicy() }).recruitment.map((c) => [
        c.npi,
        c.membersReached,
        c.gapsClosed,
      ]);
    expect(ranked(network(ENROLLMENT))).toEqual([
      [NPI_C, 300, 1],
      [NPI_D, 7, 2],
    ]);
    // Without enrollment: gaps closed decide, and members are not computed.
    expect(ranked(network())).toEqual([
      [NPI_D, null, 2],
      [NPI_C, null, 1],
    ]);
  });

  it('without an enrollment roster: not computed, never 0', () => {
    const r = evaluate({ snapshot: network(), policy: makePolicy() });
    expect(r.membersComputed).toBe(false);
    expect(r.members[0]).toMatchObject({
      members: null,
      membersAffected: null,
      notComputed: 'no enrollment roster',
    });
    expect(r.coverage.every((c) => c.members === null)).toBe(true);
    const gap = r.findings.find((f) => f.ruleId === 'HI-CHRONIC')!;
    expect(gap.evidence.membersAffected).toBeNull();
    expect(evidenceText(gap.evidence)).toContain(
      'members affected: not computed (no enrollment roster)',
    );
    expect(evidenceText(gap.evidence)).not.toMatch(/\b0 members/);
  });

  it('a plan the enrollment roster does not list is not computed either', () => {
    const other = { ...PLAN, pbpId: '002' };
    const r = evaluate({
      snapshot: network([{ ...other, zip: null, countyFips: COOK, members: 4 }]),
      policy: makePolicy(),
    });
    expect(r.members[0]).toMatchObject({
      membersAffected: null,
      notComputed: 'no enrollment rows for this plan',
    });
    const gap = r.findings.find((f) => f.ruleId === 'HI-CHRONIC')!;
    expect(evidenceText(gap.evidence)).toContain(
      'members affected: not computed (no enrollment rows for this plan)',
    );
  });
});
