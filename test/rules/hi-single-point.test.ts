import { describe, expect, it } from 'vitest';
import { hiSinglePoint } from '../../src/rules/hi-single-point.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  PLAN_KEY,
  makeCapabilities,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
  runRule,
  summary,
  type SnapshotParts,
} from './snapshot-builder.js';

const K = `HI-SINGLE-POINT|${PLAN_KEY.replaceAll('-', '|')}`;

describe('HI-SINGLE-POINT', () => {
  it.each<{ name: string; parts: SnapshotParts; min?: number; expected: string[] }>([
    { name: 'baseline: every cell covered twice', parts: {}, expected: [] },
    {
      name: 'one class covered by a single pharmacy (acute and chronic alike)',
      parts: {
        capabilities: [...makeCapabilities(NPI_A), ...makeCapabilities(NPI_B, ['HYDRATION', 'IG'])],
      },
      expected: [
        `singlePoint ${K}|${COOK}|A1PI`,
        `singlePoint ${K}|${COOK}|ABX_IV`,
        `singlePoint ${K}|${DUPAGE}|A1PI`,
        `singlePoint ${K}|${DUPAGE}|ABX_IV`,
      ],
    },
    {
      name: 'zero coverage is not a single point (HI-ACUTE/CHRONIC report it)',
      parts: { serviceAreas: makeServiceAreas([LAKE]) },
      expected: [],
    },
    {
      name: 'not reported when min > 1 (the cell already fails HI-ACUTE/CHRONIC)',
      parts: { pharmacies: [makePharmacy({ npi: NPI_A })] },
      min: 2,
      expected: [],
    },
    {
      name: 'single pharmacy network: every required cell',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, countiesServed: [COOK] })],
        serviceAreas: makeServiceAreas([COOK]),
      },
      expected: [
        `singlePoint ${K}|${COOK}|A1PI`,
        `singlePoint ${K}|${COOK}|ABX_IV`,
        `singlePoint ${K}|${COOK}|HYDRATION`,
        `singlePoint ${K}|${COOK}|IG`,
      ],
    },
  ])('$name', ({ parts, min, expected }) => {
    const policy = makePolicy({ minPharmaciesPerClass: min ?? 1 });
    expect(summary(runRule(hiSinglePoint, makeSnapshot(parts), policy))).toEqual(expected);
  });

  it('names the single pharmacy; severity info', () => {
    const [f] = runRule(
      hiSinglePoint,
      makeSnapshot({
        pharmacies: [makePharmacy({ npi: NPI_A, name: 'Alpha', countiesServed: [COOK] })],
        serviceAreas: makeServiceAreas([COOK]),
      }),
    );
    expect(f?.severity).toBe('info');
    expect(f?.message).toBe(
      `Plan S1234-001-000: Alpha-1 proteinase inhibitor (A1PI) in Cook, IL (17031) depends on a single in-network pharmacy, Alpha (NPI ${NPI_A}).`,
    );
  });
});
