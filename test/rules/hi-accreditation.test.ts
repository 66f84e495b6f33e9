import { describe, expect, it } from 'vitest';
import type { Accreditor } from '../../src/domain/types.js';
import { hiAccreditation } from '../../src/rules/hi-accreditation.js';
import {
  NPI_A,
  PLAN_KEY,
  makePharmacy,
  makePolicy,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `HI-ACCREDITATION|${PLAN_KEY.replaceAll('-', '|')}|${NPI_A}`;

describe('HI-ACCREDITATION', () => {
  it.each<{
    name: string;
    accreditations: Accreditor[];
    expires: string | null;
    accreditors?: string[];
    expected: string[];
  }>([
    { name: 'ACHC, current', accreditations: ['ACHC'], expires: '2027-06-30', expected: [] },
    {
      name: 'expires on the as-of date: still current',
      accreditations: ['TJC'],
      expires: '2026-11-01',
      expected: [],
    },
    {
      name: 'expired the day before',
      accreditations: ['TJC'],
      expires: '2026-10-31',
      expected: [`expired ${K}`],
    },
    {
      name: 'no accreditation',
      accreditations: [],
      expires: null,
      expected: [`noAcceptedAccreditation ${K}`],
    },
    {
      name: 'URAC is not accepted by default',
      accreditations: ['URAC'],
      expires: '2027-06-30',
      expected: [`noAcceptedAccreditation ${K}`],
    },
    {
      name: 'URAC accepted when the policy lists it',
      accreditations: ['URAC'],
      expires: '2027-06-30',
      accreditors: ['URAC'],
      expected: [],
    },
    {
      name: 'no expiration date recorded',
      accreditations: ['CHAP'],
      expires: null,
      expected: [`expiryUnknown ${K}`],
    },
  ])('$name', ({ accreditations, expires, accreditors, expected }) => {
    const snapshot = makeSnapshot({
      pharmacies: [makePharmacy({ accreditations, accreditationExpires: expires })],
    });
    const policy = makePolicy(accreditors ? { accreditors } : {});
    expect(summary(runRule(hiAccreditation, snapshot, policy))).toEqual(expected);
  });

  it('message names the accepted accreditors', () => {
    const [f] = runRule(
      hiAccreditation,
      makeSnapshot({ pharmacies: [makePharmacy({ accreditations: ['URAC'] })] }),
    );
    expect(f?.message).toContain(
      'no accreditation from an accepted accreditor (ACHC, TJC and CHAP); it holds URAC',
    );
    expect(f?.severity).toBe('minor');
  });
});
