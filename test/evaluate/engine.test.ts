import { describe, expect, it } from 'vitest';
import { SEVERITIES, severityRank, type NetworkSnapshot } from '../../src/domain/types.js';
import { ConfigError } from '../../src/errors.js';
import { findingKey, renderMessage, verdictOf } from '../../src/evaluate/engine.js';
import { RULES, RULE_IDS, RULE_SET_VERSION } from '../../src/rules/registry.js';
import { defineRule, report, type Rule } from '../../src/evaluate/rule.js';
import {
  COOK,
  DUPAGE,
  LAKE,
  NPI_A,
  NPI_B,
  REQUIRED_CODES,
  makePharmacy,
  makePolicy,
  makeRequest,
  makeServiceAreas,
  makeSnapshot,
  evaluate,
} from '../rules/snapshot-builder.js';

/** A snapshot with findings of several rules and severities. */
function messySnapshot(): NetworkSnapshot {
  return makeSnapshot({
    serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]),
    pharmacies: [
      makePharmacy({ npi: NPI_A, afterHoursPhone: null, accreditationExpires: '2026-01-01' }),
      makePharmacy({ npi: NPI_B, deliversWithin24h: false, providesNursing: false }),
    ],
    coverageRequests: [makeRequest({ decidedAt: null, outcome: null })],
  });
}

describe('evaluate', () => {
  it('the compliant baseline has no findings', () => {
    const result = evaluate({ snapshot: makeSnapshot(), policy: makePolicy() });
    expect(result.findings).toEqual([]);
    expect(result.verdict).toBe('COMPLIANT');
    expect(result.counts.total).toBe(0);
    expect(result.coverage).toHaveLength(2 * REQUIRED_CODES.length);
    expect(result.coverage.every((c) => c.npis.length === 2)).toBe(true);
  });

  it('a county with no HI pharmacy fails HI-ACCESS and every required class cell', () => {
    const result = evaluate({
      snapshot: makeSnapshot({ serviceAreas: makeServiceAreas([COOK, DUPAGE, LAKE]) }),
      policy: makePolicy(),
    });
    expect(result.findings.map((f) => f.key)).toEqual([
      'HI-ACCESS|S1234|001|000|17097',
      'HI-ACUTE|S1234|001|000|17097|ABX_IV',
      'HI-ACUTE|S1234|001|000|17097|HYDRATION',
      'HI-CHRONIC|S1234|001|000|17097|A1PI',
      'HI-CHRONIC|S1234|001|000|17097|IG',
    ]);
    expect(result.verdict).toBe('NON_COMPLIANT');
  });

  it('sorts by severity, then rule order, then key; counts by severity and rule', () => {
    const result = evaluate({ snapshot: messySnapshot(), policy: makePolicy() });
    const order = new Map(RULE_IDS.map((id, i) => [id, i]));
    const ranks = result.findings.map(
      (f) => [severityRank(f.severity), order.get(f.ruleId)!, f.key] as const,
    );
    const sorted = [...ranks].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1));
    expect(ranks).toEqual(sorted);
    expect(result.counts.byRule).toMatchObject({
      'HI-ACCESS': 1,
      'HI-ACUTE': 2,
      'HI-CHRONIC': 2,
      'HI-ANCILLARY': 1,
      'HI-DELIVERY-24H': 1,
      'HI-CONTACT': 1,
      'HI-ACCREDITATION': 1,
      'HI-TIMELY': 1,
      'HI-USABLE': 0,
      'DATA-STALE': 0,
    });
    expect(Object.keys(result.counts.byRule)).toEqual([...RULE_IDS]);
    expect(result.counts.bySeverity).toEqual({ critical: 5, major: 3, minor: 2, info: 0 });
    expect(result.counts.total).toBe(10);
  });

  it('applies a severity override from the policy', () => {
    const policy = makePolicy({ rules: { 'HI-CONTACT': { severity: 'critical' } } });
    const result = evaluate({ snapshot: messySnapshot(), policy });
    const contact = result.findings.find((f) => f.ruleId === 'HI-CONTACT');
    expect(contact?.severity).toBe('critical');
    // Critical findings come first; HI-CONTACT comes after HI-CHRONIC in rule order.
    expect(result.findings.slice(0, 6).map((f) => f.ruleId)).toEqual([
      'HI-ACCESS',
      'HI-ACUTE',
      'HI-ACUTE',
      'HI-CHRONIC',
      'HI-CHRONIC',
      'HI-CONTACT',
    ]);
  });

  it('skips a disabled rule', () => {
    const policy = makePolicy({ rules: { 'HI-TIMELY': { enabled: false } } });
    const result = evaluate({ snapshot: messySnapshot(), policy });
    expect(result.findings.some((f) => f.ruleId === 'HI-TIMELY')).toBe(false);
    expect(result.counts.byRule['HI-TIMELY']).toBe(0);
    // The Coverage Requests sheet still gets every request.
    expect(result.timeliness.map((t) => t.verdict)).toEqual(['overdue']);
  });

  it.each([
    { failOn: 'critical', verdict: 'COMPLIANT' },
    { failOn: 'major', verdict: 'NON_COMPLIANT' },
    { failOn: 'minor', verdict: 'NON_COMPLIANT' },
    { failOn: 'info', verdict: 'NON_COMPLIANT' },
  ] as const)(
    'verdict with only a major finding and failOn $failOn: $verdict',
    ({ failOn, verdict }) => {
      const snapshot = makeSnapshot({
        pharmacies: [
          makePharmacy({ npi: NPI_A, deliversWithin24h: false }),
          makePharmacy({ npi: NPI_B }),
        ],
      });
      const result = evaluate({ snapshot, policy: makePolicy({ failOn }) });
      expect(result.findings.map((f) => f.severity)).toEqual(['major']);
      expect(result.verdict).toBe(verdict);
    },
  );

  it('verdictOf: info findings fail only when failOn is info', () => {
    expect(verdictOf([{ severity: 'info' }], 'minor')).toBe('COMPLIANT');
    expect(verdictOf([{ severity: 'info' }], 'info')).toBe('NON_COMPLIANT');
    expect(verdictOf([], 'info')).toBe('COMPLIANT');
  });

  it('is deterministic whatever the input order', () => {
    const a = messySnapshot();
    const b: NetworkSnapshot = {
      ...a,
      serviceAreas: [...a.serviceAreas].reverse(),
      memberships: [...a.memberships].reverse(),
      capabilities: [...a.capabilities].reverse(),
      pharmacies: new Map([...a.pharmacies].reverse()),
    };
    const policy = makePolicy();
    const first = evaluate({ snapshot: a, policy });
    expect(evaluate({ snapshot: a, policy })).toEqual(first);
    expect(evaluate({ snapshot: b, policy })).toEqual(first);
  });

  it('an unknown required class in the policy is a ConfigError listing valid codes', () => {
    expect(() =>
      evaluate({ snapshot: makeSnapshot(), policy: makePolicy({ requiredClasses: ['TPN'] }) }),
    ).toThrow(ConfigError);
    expect(() =>
      evaluate({ snapshot: makeSnapshot(), policy: makePolicy({ requiredClasses: ['TPN'] }) }),
    ).toThrow(/valid codes \(catalog\): A1PI, ABX_IV/);
  });

  it('reports a duplicated request once', () => {
    const snapshot = makeSnapshot({
      coverageRequests: [
        makeRequest({ decidedAt: null, outcome: null }),
        makeRequest({ decidedAt: null, outcome: null }),
      ],
    });
    expect(
      evaluate({ snapshot, policy: makePolicy() }).findings.filter((f) => f.ruleId === 'HI-TIMELY'),
    ).toHaveLength(1);
  });

  it('single points are not double-reported when the class minimum is above one', () => {
    const snapshot = makeSnapshot({ pharmacies: [makePharmacy({ npi: NPI_A })] });
    const one = evaluate({ snapshot, policy: makePolicy() });
    const two = evaluate({ snapshot, policy: makePolicy({ minPharmaciesPerClass: 2 }) });
    expect(one.counts.byRule['HI-SINGLE-POINT']).toBe(8);
    expect(one.counts.byRule['HI-ACUTE']).toBe(0);
    expect(two.counts.byRule['HI-SINGLE-POINT']).toBe(0);
    expect(two.counts.byRule['HI-ACUTE']! + two.counts.byRule['HI-CHRONIC']!).toBe(8);
  });

  it('fills every Finding field', () => {
    const [f] = evaluate({
      snapshot: makeSnapshot({ serviceAreas: makeServiceAreas([LAKE]) }),
      policy: makePolicy(),
    }).findings;
    expect(f).toEqual({
      key: 'HI-ACCESS|S1234|001|000|17097',
      ruleId: 'HI-ACCESS',
      severity: 'critical',
      messageId: 'noPharmacy',
      message:
        'Plan S1234-001-000: no in-network home infusion pharmacy serves Lake, IL (17097) (policy minimum 1).',
      contractId: 'S1234',
      pbpId: '001',
      segmentId: '000',
      countyFips: LAKE,
      drugClass: null,
      npi: null,
      requestId: null,
      evidence: {
        servingPharmacies: 0,
        minimum: 1,
        npis: [],
        membersAffected: null,
        membersNotComputed: 'no enrollment roster',
      },
    });
  });

  it('rejects a message id the rule does not define, and a placeholder without data', () => {
    const broken = defineRule({
      id: 'TEST-BROKEN',
      title: 't',
      citation: 'c',
      defaultSeverity: 'info',
      description: 'd',
      messages: { one: 'needs {thing}' },
      remediation: 'r',
      check: () => [report('one', {}, {})],
    });
    expect(() =>
      evaluate({ snapshot: makeSnapshot(), policy: makePolicy(), rules: [broken] }),
    ).toThrow('message placeholder {thing} has no data');
    const unknownMessage: Rule = { ...broken, check: () => [report('two', {}, {})] };
    expect(() =>
      evaluate({ snapshot: makeSnapshot(), policy: makePolicy(), rules: [unknownMessage] }),
    ).toThrow('rule TEST-BROKEN reported unknown message id "two"');
    expect(renderMessage('{a} and {b}', { a: 1, b: 'x' })).toBe('1 and x');
  });

  it('findingKey joins the rule id and the subject fields that are set', () => {
    expect(
      findingKey('X', {
        contractId: 'S1',
        pbpId: '001',
        segmentId: null,
        countyFips: null,
        drugClass: 'K',
        npi: null,
        requestId: 'R',
      }),
    ).toBe('X|S1|001|K|R');
  });

  it('exports a rule-set version and covers every severity in counts', () => {
    expect(RULE_SET_VERSION).toMatch(/^\d{4}\.\d+\.\d+$/);
    const result = evaluate({ snapshot: makeSnapshot(), policy: makePolicy() });
    expect(Object.keys(result.counts.bySeverity)).toEqual([...SEVERITIES]);
    expect(RULES.length).toBe(19);
  });
});

describe('INCOMPLETE: no verdict without data', () => {
  it('a snapshot with no plan in scope is INCOMPLETE, never COMPLIANT', () => {
    const snapshot = makeSnapshot({
      plans: [],
      serviceAreas: [],
      pharmacies: [],
      memberships: [],
      capabilities: [],
      latestNetworkRosterAsOf: {},
    });
    const result = evaluate({ snapshot, policy: makePolicy() });
    expect(result.findings).toEqual([]);
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.missing.map((m) => m.what)).toEqual(['plans']);
    expect(result.missing[0]?.message).toMatch(/^no plan is in scope on 2026-11-01/);
  });

  it('what the caller knows is missing makes any verdict INCOMPLETE, findings or not', () => {
    const failed = { what: 'roster_file' as const, message: 'roster file x.csv failed to load' };
    const clean = evaluate({ snapshot: makeSnapshot(), policy: makePolicy(), missing: [failed] });
    expect(clean.findings).toEqual([]);
    expect(clean.verdict).toBe('INCOMPLETE');
    expect(clean.missing).toEqual([failed]);
    const failing = evaluate({
      snapshot: makeSnapshot({ serviceAreas: [] }),
      policy: makePolicy(),
      missing: [failed],
    });
    expect(failing.counts.bySeverity.critical).toBeGreaterThan(0);
    expect(failing.verdict).toBe('INCOMPLETE');
  });

  it('verdictOf: missing data first, then failOn', () => {
    const major = [{ severity: 'major' as const, exception: null }];
    expect(verdictOf(major, 'major')).toBe('NON_COMPLIANT');
    expect(verdictOf([], 'major')).toBe('COMPLIANT');
    expect(verdictOf([], 'major', [{ what: 'pharmacy_roster', message: 'none' }])).toBe(
      'INCOMPLETE',
    );
  });
});
