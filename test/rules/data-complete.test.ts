import { describe, expect, it } from 'vitest';
import { dataComplete } from '../../src/rules/data-complete.js';
import { evaluate } from './snapshot-builder.js';
import { hiAncillary } from '../../src/rules/hi-ancillary.js';
import {
  NPI_A,
  PLAN,
  PLAN_KEY,
  makePharmacy,
  makePolicy,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `DATA-COMPLETE|${PLAN_KEY.replaceAll('-', '|')}`;

describe('DATA-COMPLETE', () => {
  it('a plan with its record, service area and network roster: nothing to report', () => {
    expect(runRule(dataComplete, makeSnapshot())).toEqual([]);
  });

  it('a plan with no service area: coverage not assessed, critical', () => {
    const findings = runRule(dataComplete, makeSnapshot({ serviceAreas: [] }));
    expect(summary(findings)).toEqual([`noServiceArea ${K}|service_area`]);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.message).toBe(
      'Plan S1234-001-000: no service area is on file, so home infusion coverage was not assessed (no county could be checked).',
    );
  });

  it('a plan with a service area but no plan record', () => {
    const findings = runRule(
      dataComplete,
      makeSnapshot({ plans: [], planKeysWithoutRecord: [PLAN] }),
    );
    expect(summary(findings)).toEqual([`noPlanRecord ${K}|plan_record`]);
  });

  it('a plan with no network roster', () => {
    const findings = runRule(dataComplete, makeSnapshot({ latestNetworkRosterAsOf: {} }));
    expect(summary(findings)).toEqual([`noNetworkRoster ${K}|network_roster`]);
  });

  it('reports every gap of a plan, each once', () => {
    const findings = runRule(
      dataComplete,
      makeSnapshot({ serviceAreas: [], latestNetworkRosterAsOf: {} }),
    );
    expect(summary(findings)).toEqual([
      `noNetworkRoster ${K}|network_roster`,
      `noServiceArea ${K}|service_area`,
    ]);
  });

  it('makes the audit NON-COMPLIANT: no quiet pass for a plan whose coverage was not assessed', () => {
    const result = evaluate({ snapshot: makeSnapshot({ serviceAreas: [] }), policy: makePolicy() });
    expect(result.verdict).toBe('NON_COMPLIANT');
    expect(result.counts.byRule['DATA-COMPLETE']).toBe(1);
    expect(result.counts.byRule['HI-ACCESS']).toBe(0);
  });

  it('a plan without a service area is still checked for what does not depend on counties', () => {
    const drugOnly = makePharmacy({ npi: NPI_A, providesNursing: false, providesSupplies: false });
    const findings = runRule(
      hiAncillary,
      makeSnapshot({ serviceAreas: [], pharmacies: [drugOnly] }),
    );
    expect(summary(findings)).toEqual([
      `noAssurance HI-ANCILLARY|${PLAN_KEY.replaceAll('-', '|')}|${NPI_A}`,
    ]);
  });
});
