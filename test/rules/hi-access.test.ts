import { describe, expect, it } from 'vitest';
import { hiAccess } from '../../src/rules/hi-access.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  PLAN_KEY,
  makeMembership,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `HI-ACCESS|${PLAN_KEY.replaceAll('-', '|')}`;

describe('HI-ACCESS', () => {
  it.each([
    { name: 'baseline: both counties served by two pharmacies', parts: {}, min: 1, expected: [] },
    { name: 'minimum 2 met in both counties', parts: {}, min: 2, expected: [] },
    {
      name: 'minimum 3 not met: one finding per county',
      parts: {},
      min: 3,
      expected: [`belowMinimum ${K}|${COOK}`, `belowMinimum ${K}|${DUPAGE}`],
    },
    {
      name: 'a service-area county no pharmacy serves',
      parts: { serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]) },
      min: 1,
      expected: [`noPharmacy ${K}|${LAKE}`],
    },
    {
      name: 'no HI pharmacy at all: every county fails',
      parts: { memberships: [] },
      min: 1,
      expected: [`noPharmacy ${K}|${COOK}`, `noPharmacy ${K}|${DUPAGE}`],
    },
    {
      name: 'pharmacy with no counties listed serves its own county only',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, countyFips: COOK, countiesServed: [] })],
      },
      min: 1,
      expected: [`noPharmacy ${K}|${DUPAGE}`],
    },
    {
      name: 'a retail membership does not make an HI pharmacy',
      parts: {
        memberships: [
          makeMembership(NPI_A, { role: 'retail' }),
          makeMembership(NPI_B, { role: 'retail' }),
        ],
      },
      min: 1,
      expected: [`noPharmacy ${K}|${COOK}`, `noPharmacy ${K}|${DUPAGE}`],
    },
    {
      name: 'a terminated membership does not count (defensive)',
      parts: {
        memberships: [
          makeMembership(NPI_A, { terminationDate: '2026-10-31' }),
          makeMembership(NPI_B, { effectiveDate: '2026-11-02' }),
        ],
      },
      min: 1,
      expected: [`noPharmacy ${K}|${COOK}`, `noPharmacy ${K}|${DUPAGE}`],
    },
    {
      name: 'a pharmacy serving only counties outside the service area does not count',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, countiesServed: [LAKE] })],
      },
      min: 1,
      expected: [`noPharmacy ${K}|${COOK}`, `noPharmacy ${K}|${DUPAGE}`],
    },
  ])('$name', ({ parts, min, expected }) => {
    const findings = runRule(
      hiAccess,
      makeSnapshot(parts),
      makePolicy({ minPharmaciesPerCounty: min }),
    );
    expect(summary(findings)).toEqual(expected);
  });

  it('renders the county name, the count and the minimum', () => {
    const [f] = runRule(hiAccess, makeSnapshot(), makePolicy({ minPharmaciesPerCounty: 3 }));
    expect(f?.message).toBe(
      'Plan S1234-001-000: 2 in-network home infusion pharmacies serve Cook, IL (17031), fewer than the policy minimum of 3.',
    );
    expect(f?.severity).toBe('critical');
    expect(f?.evidence).toMatchObject({ servingPharmacies: 2, minimum: 3, npis: [NPI_A, NPI_B] });
  });
});
