import { describe, expect, it } from 'vitest';
import { hiAncillary } from '../../src/rules/hi-ancillary.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  PLAN_KEY,
  makeAssurance,
  makePharmacy,
  makeServiceAreas,
  makeSnapshot,
  runRule,
  summary,
  type SnapshotParts,
} from './snapshot-builder.js';

const K = `HI-ANCILLARY|${PLAN_KEY.replaceAll('-', '|')}|${NPI_A}`;
const drugOnly = makePharmacy({ npi: NPI_A, providesNursing: false, providesSupplies: false });
const noNursing = makePharmacy({ npi: NPI_A, providesNursing: false });

describe('HI-ANCILLARY', () => {
  it.each<{ name: string; parts: SnapshotParts; expected: string[]; uncovered?: string[] }>([
    {
      name: 'full-service pharmacy needs no assurance',
      parts: { pharmacies: [makePharmacy()] },
      expected: [],
    },
    {
      name: "drug-only pharmacy with an assurance for both services in every county ('*')",
      parts: { pharmacies: [drugOnly], assurances: [makeAssurance(NPI_A)] },
      expected: [],
    },
    {
      name: 'drug-only pharmacy with no assurance',
      parts: { pharmacies: [drugOnly] },
      expected: [`noAssurance ${K}`],
      uncovered: [`nursing:${COOK}`, `nursing:${DUPAGE}`, `supplies:${COOK}`, `supplies:${DUPAGE}`],
    },
    {
      name: 'assurance covers nursing only: supplies missing',
      parts: {
        pharmacies: [drugOnly],
        assurances: [makeAssurance(NPI_A, { services: ['nursing'] })],
      },
      expected: [`countiesUncovered ${K}`],
      uncovered: [`supplies:${COOK}`, `supplies:${DUPAGE}`],
    },
    {
      name: 'pharmacy lacking only nursing needs only a nursing assurance',
      parts: {
        pharmacies: [noNursing],
        assurances: [makeAssurance(NPI_A, { services: ['nursing'] })],
      },
      expected: [],
    },
    {
      name: 'assurance listing one county leaves the other uncovered',
      parts: { pharmacies: [noNursing], assurances: [makeAssurance(NPI_A, { counties: [COOK] })] },
      expected: [`countiesUncovered ${K}`],
      uncovered: [`nursing:${DUPAGE}`],
    },
    {
      name: 'two assurances together cover both counties',
      parts: {
        pharmacies: [noNursing],
        assurances: [
          makeAssurance(NPI_A, { counties: [COOK] }),
          makeAssurance(NPI_A, { entityName: 'DuPage VNA', entityType: 'VNA', counties: [DUPAGE] }),
        ],
      },
      expected: [],
    },
    {
      name: 'counties the pharmacy serves outside the service area need no assurance',
      parts: {
        pharmacies: [
          makePharmacy({ npi: NPI_A, providesNursing: false, countiesServed: [COOK, LAKE] }),
        ],
        serviceAreas: makeServiceAreas([COOK, DUPAGE]),
        assurances: [makeAssurance(NPI_A, { counties: [COOK] })],
      },
      expected: [],
    },
    {
      name: 'an expired assurance does not count',
      parts: {
        pharmacies: [noNursing],
        assurances: [makeAssurance(NPI_A, { expirationDate: '2026-10-31' })],
      },
      expected: [`noAssurance ${K}`],
      uncovered: [`nursing:${COOK}`, `nursing:${DUPAGE}`],
    },
    {
      name: 'an assurance expiring on the as-of date still counts',
      parts: {
        pharmacies: [noNursing],
        assurances: [makeAssurance(NPI_A, { expirationDate: '2026-11-01' })],
      },
      expected: [],
    },
    {
      name: 'an assurance not yet effective does not count',
      parts: {
        pharmacies: [noNursing],
        assurances: [makeAssurance(NPI_A, { effectiveDate: '2026-11-02' })],
      },
      expected: [`noAssurance ${K}`],
      uncovered: [`nursing:${COOK}`, `nursing:${DUPAGE}`],
    },
    {
      name: "another pharmacy's assurance does not count",
      parts: { pharmacies: [noNursing], assurances: [makeAssurance('1999999999')] },
      expected: [`noAssurance ${K}`],
      uncovered: [`nursing:${COOK}`, `nursing:${DUPAGE}`],
    },
  ])('$name', ({ parts, expected, uncovered }) => {
    const findings = runRule(hiAncillary, makeSnapshot(parts));
    expect(summary(findings)).toEqual(expected);
    if (uncovered) expect(findings[0]?.evidence['uncovered']).toEqual(uncovered);
  });

  it('message lists the missing services and counties', () => {
    const [f] = runRule(
      hiAncillary,
      makeSnapshot({
        pharmacies: [noNursing],
        assurances: [makeAssurance(NPI_A, { counties: [COOK] })],
      }),
    );
    expect(f?.message).toBe(
      `Plan S1234-001-000: Pharmacy ${NPI_A} (NPI ${NPI_A}) does not provide nursing itself and has no assurance in force covering nursing in DuPage, IL (17043).`,
    );
    expect(f?.severity).toBe('major');
  });
});
