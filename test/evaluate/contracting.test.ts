import { describe, expect, it } from 'vitest';
import { evaluate } from '../rules/snapshot-builder.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  NPI_C,
  PLAN,
  REQUIRED_CODES,
  makeCapabilities,
  makeMembership,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
} from '../rules/snapshot-builder.js';

const NPI_D = '1000000046';

describe('key pharmacies (N-1)', () => {
  it('counts the cells each pharmacy alone covers, in one pass, ranked per plan', () => {
    // A covers every class in Cook and DuPage; B only HYDRATION in DuPage.
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A }),
        makePharmacy({ npi: NPI_B, countiesServed: [DUPAGE] }),
      ],
      capabilities: [...makeCapabilities(NPI_A), ...makeCapabilities(NPI_B, ['HYDRATION'])],
    });
    const { keyPharmacies } = evaluate({ snapshot, policy: makePolicy() });
    expect(
      keyPharmacies.map((k) => [k.rank, k.npi, k.cellsLost, k.cellsCritical, k.cellsCovered]),
    ).toEqual([
      [1, NPI_A, 7, 7, 8],
      [2, NPI_B, 0, 0, 1],
    ]);
    expect(keyPharmacies[0]?.lostCells).not.toContain(`${DUPAGE}:HYDRATION`);
    expect(keyPharmacies[0]?.lostCells).toContain(`${COOK}:HYDRATION`);
  });

  it('agrees with a what-if evaluation without the pharmacy', () => {
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A }),
        makePharmacy({ npi: NPI_B, countiesServed: [DUPAGE] }),
      ],
      capabilities: [...makeCapabilities(NPI_A), ...makeCapabilities(NPI_B, ['HYDRATION', 'IG'])],
    });
    const { keyPharmacies, counts } = evaluate({ snapshot, policy: makePolicy() });
    for (const k of keyPharmacies) {
      const without = evaluate({
        snapshot: { ...snapshot, memberships: snapshot.memberships.filter((m) => m.npi !== k.npi) },
        policy: makePolicy(),
      });
      const gaps = (r: typeof without): number =>
        (r.counts.byRule['HI-ACUTE'] ?? 0) + (r.counts.byRule['HI-CHRONIC'] ?? 0);
      expect(
        gaps(without) - ((counts.byRule['HI-ACUTE'] ?? 0) + (counts.byRule['HI-CHRONIC'] ?? 0)),
      ).toBe(k.cellsLost);
    }
  });

  it('with a minimum of 2, cells at exactly 2 are lost and cells below are critical', () => {
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A }),
        makePharmacy({ npi: NPI_B, countiesServed: [DUPAGE] }),
      ],
    });
    const { keyPharmacies } = evaluate({
      snapshot,
      policy: makePolicy({ minPharmaciesPerClass: 2 }),
    });
    const a = keyPharmacies.find((k) => k.npi === NPI_A)!;
    expect([a.cellsLost, a.cellsCritical, a.cellsCovered]).toEqual([4, 8, 8]);
  });
});

describe('recruitment candidates', () => {
  it("ranks pharmacies outside the plan's HI network by the open gaps they close", () => {
    const snapshot = {
      ...makeSnapshot({
        pharmacies: [makePharmacy({ npi: NPI_A, countiesServed: [COOK] })],
        serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]),
      }),
      candidatePharmacies: new Map([
        [NPI_B, makePharmacy({ npi: NPI_B, name: 'Beta', countiesServed: [DUPAGE, LAKE] })],
        [NPI_C, makePharmacy({ npi: NPI_C, name: 'Gamma', countiesServed: [LAKE] })],
        // No sterile compounding: ABX_IV and A1PI are not usable.
        [
          NPI_D,
          makePharmacy({
            npi: NPI_D,
            name: 'Delta',
            sterileCompounding: false,
            countiesServed: [DUPAGE],
          }),
        ],
      ]),
      candidateCapabilities: [
        ...makeCapabilities(NPI_B),
        ...makeCapabilities(NPI_C, ['ABX_IV']),
        ...makeCapabilities(NPI_D),
      ],
    };
    const { recruitment } = evaluate({ snapshot, policy: makePolicy() });
    expect(recruitment.map((r) => [r.rank, r.npi, r.gapsClosed, r.planGaps])).toEqual([
      [1, NPI_B, 8, 8],
      [2, NPI_D, 2, 8],
      [3, NPI_C, 1, 8],
    ]);
    expect(recruitment[1]?.cells).toEqual([`${DUPAGE}:HYDRATION`, `${DUPAGE}:IG`]);
    expect(REQUIRED_CODES).toHaveLength(4);
  });

  it("an HI pharmacy of another plan is a candidate; the plan's own are not", () => {
    const other = { ...PLAN, pbpId: '002' };
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A, countiesServed: [COOK] }),
        makePharmacy({ npi: NPI_B }),
      ],
      serviceAreas: [...makeServiceAreas([COOK, DUPAGE]), ...makeServiceAreas([COOK], other)],
      memberships: [makeMembership(NPI_A), makeMembership(NPI_B, other)],
    });
    const { recruitment } = evaluate({ snapshot, policy: makePolicy() });
    expect(recruitment.map((r) => [r.pbpId, r.npi, r.gapsClosed, r.hiInPlans])).toEqual([
      ['001', NPI_B, 4, ['S1234-002-000']],
    ]);
  });

  it('lists nothing for a plan without gaps', () => {
    const { recruitment } = evaluate({ snapshot: makeSnapshot(), policy: makePolicy() });
    expect(recruitment).toEqual([]);
  });
});
