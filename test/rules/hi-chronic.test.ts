import { describe, expect, it } from 'vitest';
import { hiChronic } from '../../src/rules/hi-chronic.js';
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

const K = `HI-CHRONIC|${PLAN_KEY.replaceAll('-', '|')}`;
const acuteOnly = ['ABX_IV', 'HYDRATION'];

describe('HI-CHRONIC', () => {
  it.each<{
    name: string;
    parts: SnapshotParts;
    min?: number;
    required?: string[];
    expected: string[];
  }>([
    { name: 'baseline: every chronic class covered twice', parts: {}, expected: [] },
    {
      name: 'acute-only network fails every chronic cell',
      parts: {
        capabilities: [
          ...makeCapabilities(NPI_A, acuteOnly),
          ...makeCapabilities(NPI_B, acuteOnly),
        ],
      },
      expected: [
        `uncovered ${K}|${COOK}|A1PI`,
        `uncovered ${K}|${COOK}|IG`,
        `uncovered ${K}|${DUPAGE}|A1PI`,
        `uncovered ${K}|${DUPAGE}|IG`,
      ],
    },
    {
      name: 'A1PI needs compounding: a non-compounding pharmacy does not cover it',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, sterileCompounding: false })],
      },
      expected: [`uncovered ${K}|${COOK}|A1PI`, `uncovered ${K}|${DUPAGE}|A1PI`],
    },
    {
      name: 'a class not Part D-required (ERT) is not checked by default',
      parts: {},
      expected: [],
    },
    {
      name: 'policy can require ERT',
      parts: {},
      required: ['ERT', 'A1PI'],
      expected: [`uncovered ${K}|${COOK}|ERT`, `uncovered ${K}|${DUPAGE}|ERT`],
    },
    {
      name: 'minimum 3 with two covering pharmacies fails',
      parts: { serviceAreas: makeServiceAreas([COOK]) },
      min: 3,
      expected: [`belowMinimum ${K}|${COOK}|A1PI`, `belowMinimum ${K}|${COOK}|IG`],
    },
    {
      name: 'a county with zero HI pharmacies lists each chronic class',
      parts: { serviceAreas: makeServiceAreas([LAKE]) },
      expected: [`uncovered ${K}|${LAKE}|A1PI`, `uncovered ${K}|${LAKE}|IG`],
    },
  ])('$name', ({ parts, min, required, expected }) => {
    const policy = makePolicy({
      minPharmaciesPerClass: min ?? 1,
      requiredClasses: required ?? null,
    });
    expect(summary(runRule(hiChronic, makeSnapshot(parts), policy))).toEqual(expected);
  });

  it('evidence counts the covering pharmacies', () => {
    const [f] = runRule(
      hiChronic,
      makeSnapshot({ serviceAreas: makeServiceAreas([COOK]) }),
      makePolicy({ minPharmaciesPerClass: 3 }),
    );
    expect(f?.evidence).toMatchObject({ coveringPharmacies: 2, minimum: 3, npis: [NPI_A, NPI_B] });
    expect(f?.message).toContain('only 2 in-network home infusion pharmacies');
  });
});
