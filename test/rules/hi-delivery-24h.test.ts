import { describe, expect, it } from 'vitest';
import { hiDelivery24h } from '../../src/rules/hi-delivery-24h.js';
import {
  NPI_A,
  NPI_B,
  PLAN_KEY,
  makeMembership,
  makePharmacy,
  makeSnapshot,
  runRule,
  summary,
  type SnapshotParts,
} from './snapshot-builder.js';

const K = `HI-DELIVERY-24H|${PLAN_KEY.replaceAll('-', '|')}`;

describe('HI-DELIVERY-24H', () => {
  it.each<{ name: string; parts: SnapshotParts; expected: string[] }>([
    { name: 'baseline: both deliver within 24 hours', parts: {}, expected: [] },
    {
      name: 'one pharmacy cannot',
      parts: {
        pharmacies: [
          makePharmacy({ npi: NPI_A }),
          makePharmacy({ npi: NPI_B, deliversWithin24h: false }),
        ],
      },
      expected: [`no24hDelivery ${K}|${NPI_B}`],
    },
    {
      name: 'reported once per plan the pharmacy is in',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, deliversWithin24h: false })],
        memberships: [makeMembership(NPI_A), makeMembership(NPI_A, { pbpId: '002' })],
      },
      expected: [
        `no24hDelivery ${K}|${NPI_A}`,
        `no24hDelivery HI-DELIVERY-24H|S1234|002|000|${NPI_A}`,
      ],
    },
  ])('$name', ({ parts, expected }) => {
    expect(summary(runRule(hiDelivery24h, makeSnapshot(parts)))).toEqual(expected);
  });

  it('message and severity', () => {
    const [f] = runRule(
      hiDelivery24h,
      makeSnapshot({ pharmacies: [makePharmacy({ name: 'Gamma', deliversWithin24h: false })] }),
    );
    expect(f?.message).toBe(
      `Plan S1234-001-000: Gamma (NPI ${NPI_A}) is not recorded as able to deliver within 24 hours of discharge.`,
    );
    expect(f?.severity).toBe('major');
  });
});
