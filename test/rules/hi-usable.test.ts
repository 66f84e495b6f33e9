import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCatalog } from '../../src/roster/catalog.js';
import { evaluate } from './snapshot-builder.js';
import { hiUsable } from '../../src/rules/hi-usable.js';
import {
  NPI_A,
  NPI_B,
  PLAN_KEY,
  makeCapabilities,
  makeMembership,
  makePharmacy,
  makePolicy,
  makeServiceAreas,
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

  it('a class outside the required classes is reported at info at most: it never fails the audit', () => {
    const findings = runRule(
      hiUsable,
      makeSnapshot({
        capabilities: [
          ...makeCapabilities(NPI_A),
          ...makeCapabilities(NPI_A, ['ERT'], false),
          ...makeCapabilities(NPI_B),
        ],
      }),
    );
    expect(summary(findings)).toEqual([`notUsableForm ${K}|ERT|${NPI_A}`]);
    expect(findings[0]?.severity).toBe('info');
    expect(findings[0]?.evidence['requiredClass']).toBe(false);
    // The policy can make the class required: then it counts at the rule's severity.
    const required = runRule(
      hiUsable,
      makeSnapshot({
        capabilities: [
          ...makeCapabilities(NPI_A),
          ...makeCapabilities(NPI_A, ['ERT'], false),
          ...makeCapabilities(NPI_B),
        ],
      }),
      makePolicy({ requiredClasses: ['ABX_IV', 'HYDRATION', 'A1PI', 'IG', 'ERT'] }),
    );
    expect(required[0]?.severity).toBe('major');
  });

  describe('with the shipped catalog (data/drug-classes.csv)', async () => {
    const catalog = await readCatalog(
      fileURLToPath(new URL('../../data/drug-classes.csv', import.meta.url)),
    );
    const required = catalog.filter((c) => c.partDRequired).map((c) => c.code);
    const pumpClasses = ['INOTROPE', 'PAIN_PUMP', 'CHEMO_PUMP', 'PAH_PROSTACYCLIN', 'IG_SUBQ_PID'];

    it('A1PI and IG are infused from the vial or reconstituted per labeling: no sterile compounding needed', () => {
      const flags = Object.fromEntries(catalog.map((c) => [c.code, c.needsSterileCompounding]));
      expect(flags).toMatchObject({
        A1PI: false,
        IG_NONPID: false,
        ABX_IV: true,
        PN_TEMPORARY: true,
      });
    });

    it('a non-compounding pharmacy marking A1PI and IG usable covers them; the required compounded classes come from a compounding pharmacy', () => {
      const snapshot = makeSnapshot({
        catalog,
        serviceAreas: makeServiceAreas(['17031']),
        pharmacies: [
          makePharmacy({ npi: NPI_A, sterileCompounding: false, usp797Category: null }),
          makePharmacy({ npi: NPI_B }),
        ],
        capabilities: [
          ...makeCapabilities(NPI_A, ['A1PI', 'IG_NONPID']),
          ...makeCapabilities(
            NPI_B,
            required.filter((c) => c !== 'A1PI' && c !== 'IG_NONPID'),
          ),
        ],
      });
      const result = evaluate({ snapshot, policy: makePolicy() });
      expect(result.counts.byRule['HI-USABLE']).toBe(0);
      expect(result.counts.byRule['HI-CHRONIC']).toBe(0);
      expect(result.counts.byRule['HI-ACUTE']).toBe(0);
      const a1pi = result.coverage.find((c) => c.drugClass === 'A1PI');
      expect(a1pi?.npis).toEqual([NPI_A]);
    });

    it('Part B pump classes a non-compounding pharmacy cannot prepare: info, the audit stays compliant', () => {
      const snapshot = makeSnapshot({
        catalog,
        serviceAreas: makeServiceAreas(['17031']),
        pharmacies: [
          makePharmacy({ npi: NPI_A, sterileCompounding: false, usp797Category: null }),
          makePharmacy({ npi: NPI_B }),
        ],
        capabilities: [
          ...makeCapabilities(NPI_A, pumpClasses),
          ...makeCapabilities(NPI_B, required),
        ],
      });
      const result = evaluate({ snapshot, policy: makePolicy() });
      const usable = result.findings.filter((f) => f.ruleId === 'HI-USABLE');
      expect(usable.map((f) => f.drugClass).sort()).toEqual([
        'CHEMO_PUMP',
        'INOTROPE',
        'PAH_PROSTACYCLIN',
        'PAIN_PUMP',
      ]);
      expect(new Set(usable.map((f) => f.severity))).toEqual(new Set(['info']));
      expect(result.verdict).toBe('COMPLIANT');
    });
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
