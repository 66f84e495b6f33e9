import { describe, expect, it } from 'vitest';
import { hiAcute } from '../../src/rules/hi-acute.js';
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

const K = `HI-ACUTE|${PLAN_KEY.replaceAll('-', '|')}`;
const chronicOnly = ['A1PI', 'IG'];

describe('HI-ACUTE', () => {
  it.each<{
    name: string;
    parts: SnapshotParts;
    min?: number;
    required?: string[];
    expected: string[];
  }>([
    { name: 'baseline: every acute class covered twice', parts: {}, expected: [] },
    {
      name: 'an acute class nobody claims fails in every county',
      parts: {
        capabilities: [
          ...makeCapabilities(NPI_A, ['ABX_IV', ...chronicOnly]),
          ...makeCapabilities(NPI_B, ['ABX_IV', ...chronicOnly]),
        ],
      },
      expected: [`uncovered ${K}|${COOK}|HYDRATION`, `uncovered ${K}|${DUPAGE}|HYDRATION`],
    },
    {
      name: 'claimed but not in usable form does not cover',
      parts: {
        capabilities: [
          ...makeCapabilities(NPI_A, ['HYDRATION', ...chronicOnly]),
          ...makeCapabilities(NPI_A, ['ABX_IV'], false),
          ...makeCapabilities(NPI_B, ['HYDRATION', ...chronicOnly]),
        ],
      },
      expected: [`uncovered ${K}|${COOK}|ABX_IV`, `uncovered ${K}|${DUPAGE}|ABX_IV`],
    },
    {
      name: 'a class needing sterile compounding is not covered by a non-compounding pharmacy',
      parts: {
        pharmacies: [
          makePharmacy({ npi: NPI_A, sterileCompounding: false }),
          makePharmacy({ npi: NPI_B, sterileCompounding: false }),
        ],
      },
      // HYDRATION needs no compounding, so it stays covered.
      expected: [`uncovered ${K}|${COOK}|ABX_IV`, `uncovered ${K}|${DUPAGE}|ABX_IV`],
    },
    {
      name: 'minimum 2 with one covering pharmacy is still a failure',
      parts: {
        capabilities: [
          ...makeCapabilities(NPI_A),
          ...makeCapabilities(NPI_B, ['HYDRATION', ...chronicOnly]),
        ],
      },
      min: 2,
      expected: [`belowMinimum ${K}|${COOK}|ABX_IV`, `belowMinimum ${K}|${DUPAGE}|ABX_IV`],
    },
    {
      name: 'a county no pharmacy serves lists every required acute class',
      parts: { serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]) },
      expected: [`uncovered ${K}|${LAKE}|ABX_IV`, `uncovered ${K}|${LAKE}|HYDRATION`],
    },
    {
      name: 'coverage in one county does not carry to another',
      parts: {
        pharmacies: [
          makePharmacy({ npi: NPI_A, countiesServed: [COOK] }),
          makePharmacy({ npi: NPI_B, countiesServed: [DUPAGE] }),
        ],
        capabilities: [...makeCapabilities(NPI_A), ...makeCapabilities(NPI_B, chronicOnly)],
      },
      expected: [`uncovered ${K}|${DUPAGE}|ABX_IV`, `uncovered ${K}|${DUPAGE}|HYDRATION`],
    },
    {
      name: 'policy requiredClasses narrows the classes checked',
      parts: { capabilities: [...makeCapabilities(NPI_A, chronicOnly)] },
      required: ['HYDRATION'],
      expected: [`uncovered ${K}|${COOK}|HYDRATION`, `uncovered ${K}|${DUPAGE}|HYDRATION`],
    },
    {
      name: 'chronic gaps are not HI-ACUTE findings',
      parts: { capabilities: [...makeCapabilities(NPI_A, ['ABX_IV', 'HYDRATION'])] },
      expected: [],
    },
  ])('$name', ({ parts, min, required, expected }) => {
    const policy = makePolicy({
      minPharmaciesPerClass: min ?? 1,
      requiredClasses: required ?? null,
    });
    expect(summary(runRule(hiAcute, makeSnapshot(parts), policy))).toEqual(expected);
  });

  it('message names the class and county; severity critical', () => {
    const [f] = runRule(hiAcute, makeSnapshot({ serviceAreas: makeServiceAreas([LAKE]) }));
    expect(f?.message).toBe(
      'Plan S1234-001-000: no in-network home infusion pharmacy can deliver IV antibiotics (ABX_IV) (acute) in usable form in Lake, IL (17097).',
    );
    expect(f?.severity).toBe('critical');
    expect(f?.drugClass).toBe('ABX_IV');
    expect(f?.countyFips).toBe(LAKE);
  });
});
