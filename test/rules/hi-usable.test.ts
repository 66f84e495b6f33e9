import { describe, expect, it } from 'vitest';
import { hiUsable } from '../../src/rules/hi-usable.js';
import {
  NPI_A,
  NPI_B,
  PLAN_KEY,
  makeCapabilities,
  makeMembership,
  makePharmacy,
  makeSnapshot,
  runRule,
  summary,
  type SnapshotParts,
} from './snapshot-builder.js';

const K = `HI-USABLE|${PLAN_KEY.replaceAll('-', '|')}`;

describe('HI-USABLE', () => {
  it.each<{ name: string; parts: SnapshotParts; expected: string[] }>([
    { name: 'baseline: every claim deliverable', parts: {}, expected: [] },
    {
      name: 'a claim marked not usable form',
      parts: {
        capabilities: [...makeCapabilities(NPI_A, ['ABX_IV'], false), ...makeCapabilities(NPI_B)],
      },
      expected: [`notUsableForm ${K}|ABX_IV|${NPI_A}`],
    },
    {
      name: 'a compounding class claimed by a non-compounding pharmacy',
      parts: {
        pharmacies: [
          makePharmacy({ npi: NPI_A, sterileCompounding: false }),
          makePharmacy({ npi: NPI_B }),
        ],
      },
      expected: [
        `noSterileCompounding ${K}|A1PI|${NPI_A}`,
        `noSterileCompounding ${K}|ABX_IV|${NPI_A}`,
      ],
    },
    {
      name: 'a non-compounding class needs no compounding',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, sterileCompounding: false })],
        capabilities: makeCapabilities(NPI_A, ['HYDRATION', 'IG']),
      },
      expected: [],
    },
    {
      name: 'both defects: reported once, as not usable form',
      parts: {
        pharmacies: [makePharmacy({ npi: NPI_A, sterileCompounding: false })],
        capabilities: makeCapabilities(NPI_A, ['ABX_IV'], false),
      },
      expected: [`notUsableForm ${K}|ABX_IV|${NPI_A}`],
    },
    {
      name: 'a pharmacy that is not an HI pharmacy of the plan is not audited',
      parts: {
        memberships: [makeMembership(NPI_A), makeMembership(NPI_B, { role: 'specialty' })],
        capabilities: [...makeCapabilities(NPI_A), ...makeCapabilities(NPI_B, ['ABX_IV'], false)],
      },
      expected: [],
    },
    {
      name: 'a non-required class is audited too (any claim must be deliverable)',
      parts: { capabilities: [...makeCapabilities(NPI_A, ['ERT'], false)] },
      expected: [`notUsableForm ${K}|ERT|${NPI_A}`],
    },
  ])('$name', ({ parts, expected }) => {
    expect(summary(runRule(hiUsable, makeSnapshot(parts)))).toEqual(expected);
  });

  it('evidence explains the defect; severity major', () => {
    const [f] = runRule(
      hiUsable,
      makeSnapshot({
        pharmacies: [makePharmacy({ npi: NPI_A, sterileCompounding: false, usp797Category: null })],
      }),
    );
    expect(f?.severity).toBe('major');
    expect(f?.npi).toBe(NPI_A);
    expect(f?.evidence).toMatchObject({
      usableForm: true,
      needsSterileCompounding: true,
      sterileCompounding: false,
    });
    expect(f?.message).toContain(
      'Alpha-1 proteinase inhibitor (A1PI), which needs sterile compounding',
    );
  });
});
