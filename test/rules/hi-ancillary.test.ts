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

  it.each<{ name: string; over: Parameters<typeof makeAssurance>[1]; why: RegExp }>([
    {
      name: 'entity NPI is the pharmacy NPI',
      over: { entityName: 'Home Care Partners', entityNpi: NPI_A },
      why: new RegExp(`its entity NPI ${NPI_A} is the pharmacy's`),
    },
    {
      name: "entity name is the pharmacy's name (normalised)",
      over: { entityName: `PHARMACY ${NPI_A}, Inc.` },
      why: /is the pharmacy itself by name/,
    },
  ])('a self-issued assurance does not count: $name', ({ over, why }) => {
    const findings = runRule(
      hiAncillary,
      makeSnapshot({ pharmacies: [drugOnly], assurances: [makeAssurance(NPI_A, over)] }),
    );
    expect(summary(findings)).toEqual([`selfIssued ${K}`]);
    expect(findings[0]?.message).toMatch(/an assurance must come from another entity/);
    expect(findings[0]?.message).toMatch(why);
    expect(findings[0]?.severity).toBe('major');
  });

  it("another entity's assurance next to a self-issued one counts", () => {
    const findings = runRule(
      hiAncillary,
      makeSnapshot({
        pharmacies: [drugOnly],
        assurances: [makeAssurance(NPI_A, { entityNpi: NPI_A }), makeAssurance(NPI_A)],
      }),
    );
    expect(findings).toEqual([]);
  });

  it('an entity whose name only contains the pharmacy name is another entity', () => {
    const findings = runRule(
      hiAncillary,
      makeSnapshot({
        pharmacies: [drugOnly],
        assurances: [makeAssurance(NPI_A, { entityName: `Pharmacy ${NPI_A} Home Health Agency` })],
      }),
    );
    expect(findings).toEqual([]);
  });

  it('a drug-only pharmacy serving none of the counties is still reported when it has no assurance at all', () => {
    const findings = runRule(
      hiAncillary,
      makeSnapshot({
        pharmacies: [makePharmacy({ npi: NPI_A, providesNursing: false, countiesServed: [LAKE] })],
      }),
    );
    expect(summary(findings)).toEqual([`noAssurance ${K}`]);
    expect(findings[0]?.evidence['uncovered']).toEqual(['nursing:*']);
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
