/**
 * ITU-ACCESS, 42 CFR 423.120(a)(6): I/T/U pharmacies (pharmacy roster itu = Y) in a county of a
 * plan's service area that are not in its network are named for a sponsor check (was a standard
 * contract offered?); with no I/T/U attribute on the roster the rule is NOT EVALUATED, said by
 * an info finding, and the run is not made INCOMPLETE.
 */
import { describe, expect, it } from 'vitest';
import type { ItuNetwork, ItuPharmacy } from '../../src/domain/types.js';
import { assessItuAccess } from '../../src/evaluate/itu-access.js';
import { ituAccess } from '../../src/rules/itu-access.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  PLAN,
  PLAN_KEY,
  evaluate,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `ITU-ACCESS|${PLAN_KEY.replaceAll('-', '|')}`;
const TRIBAL: ItuPharmacy = { npi: '1003000126', name: 'Tribal Health Pharmacy', countyFips: COOK };
const URBAN: ItuPharmacy = { npi: '1003000134', name: 'Urban Indian Pharmacy', countyFips: DUPAGE };
const FAR: ItuPharmacy = { npi: '1003000142', name: 'Lake IHS Pharmacy', countyFips: LAKE };

/** The roster says Y or N for `known` pharmacies; `itu` are the Y ones; `contracted` in network. */
function network(itu: ItuPharmacy[], contracted: string[], known = 50, blank = 0): ItuNetwork {
  return {
    pharmaciesWithAttribute: known,
    pharmaciesWithoutAttribute: blank,
    pharmacies: itu,
    inNetwork: new Map(contracted.length > 0 ? [[PLAN_KEY, new Set(contracted)]] : []),
  };
}
// The plan's service area: Cook and DuPage (not Lake).
const snapshot = (ituNetwork: ItuNetwork | null) =>
  makeSnapshot({ serviceAreas: makeServiceAreas([COOK, DUPAGE]), ituNetwork });

describe('ITU-ACCESS', () => {
  it('an I/T/U pharmacy in the service area and in the network: no finding', () => {
    expect(runRule(ituAccess, snapshot(network([TRIBAL], [TRIBAL.npi])))).toEqual([]);
  });

  it('one in the service area and not in the network is named, at minor, for a sponsor check', () => {
    const findings = runRule(ituAccess, snapshot(network([TRIBAL, URBAN], [TRIBAL.npi])));
    expect(summary(findings)).toEqual([`notInNetwork ${K}`]);
    const f = findings[0]!;
    expect(f.message).toBe(
      `Plan ${PLAN_KEY}: 1 I/T/U pharmacy in its service area is not in its network (Urban Indian Pharmacy, NPI 1003000134). Sponsor check: confirm a standard contract with the I/T/U addendum was offered to each.`,
    );
    expect(f.severity).toBe('minor');
    expect(ituAccess.citation).toBe('42 CFR 423.120(a)(6)');
    expect(f.evidence).toEqual({
      ituPharmaciesInArea: 2,
      ituPharmaciesInNetwork: 1,
      notInNetwork: [URBAN.npi],
      counties: [DUPAGE],
    });
  });

  it('one outside every service-area county gives no finding', () => {
    expect(runRule(ituAccess, snapshot(network([FAR], [])))).toEqual([]);
    expect(assessItuAccess(snapshot(network([FAR], []))).rows).toEqual([
      { ...PLAN, inArea: 0, inNetwork: 0, notInNetwork: [] },
    ]);
  });

  it("another plan's network does not count for this plan", () => {
    const other = {
      pharmaciesWithAttribute: 50,
      pharmaciesWithoutAttribute: 0,
      pharmacies: [TRIBAL],
      inNetwork: new Map([['S1234-002-000', new Set([TRIBAL.npi])]]),
    };
    expect(summary(runRule(ituAccess, snapshot(other)))).toEqual([`notInNetwork ${K}`]);
  });

  it('names every pharmacy in the evidence, the first ten in the message', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      npi: `10030002${String(i).padStart(2, '0')}`,
      name: `Clinic ${i}`,
      countyFips: COOK,
    }));
    const [f] = runRule(ituAccess, snapshot(network(many, [])));
    expect(f!.evidence.notInNetwork).toHaveLength(12);
    expect(f!.message).toContain('12 I/T/U pharmacies in its service area are not in its network');
    expect(f!.message).toContain('Clinic 9, NPI 1003000209; and 2 more');
    expect(f!.message).not.toContain('Clinic 10');
  });

  it('pharmacies with a blank itu column are said, at info: an I/T/U pharmacy among them is not seen', () => {
    const findings = runRule(ituAccess, snapshot(network([TRIBAL], [TRIBAL.npi], 48, 2)));
    expect(summary(findings)).toEqual(['partial ITU-ACCESS']);
    expect(findings[0]!.severity).toBe('info');
    expect(findings[0]!.message).toContain('2 pharmacies leave the itu column blank');
    expect(findings[0]!.evidence).toEqual({
      pharmaciesWithAttribute: 48,
      pharmaciesWithoutAttribute: 2,
    });
  });

  it('the policy can change its severity', () => {
    const policy = makePolicy({ rules: { 'ITU-ACCESS': { severity: 'major' } } });
    const [f] = runRule(ituAccess, snapshot(network([URBAN], [])), policy);
    expect(f!.severity).toBe('major');
  });

  it('no pharmacy says Y or N (no column, or all blank): NOT EVALUATED, an info finding, not INCOMPLETE', () => {
    for (const absent of [null, network([], [], 0)]) {
      const findings = runRule(ituAccess, snapshot(absent));
      expect(summary(findings)).toEqual(['notEvaluated ITU-ACCESS']);
      expect(findings[0]!.severity).toBe('info');
      expect(findings[0]!.message).toMatch(/^I\/T\/U pharmacy access is NOT EVALUATED: /);
      expect(assessItuAccess(snapshot(absent)).status).toBe('no_attribute');
      // Even at a policy severity of critical it stays info, and the run is judged on the rest.
      const policy = makePolicy({ rules: { 'ITU-ACCESS': { severity: 'critical' } } });
      const run = evaluate({ snapshot: snapshot(absent), policy });
      expect(run.findings.filter((f) => f.ruleId === 'ITU-ACCESS').map((f) => f.severity)).toEqual([
        'info',
      ]);
      expect(run.missing).toEqual([]);
      expect(run.verdict).toBe('COMPLIANT');
    }
  });
});
