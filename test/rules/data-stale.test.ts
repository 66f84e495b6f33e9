import { describe, expect, it } from 'vitest';
import { dataStale } from '../../src/rules/data-stale.js';
import { PLAN, PLAN_KEY, makePolicy, makeSnapshot, runRule, summary } from './snapshot-builder.js';

const K = `DATA-STALE|${PLAN_KEY.replaceAll('-', '|')}`;

describe('DATA-STALE', () => {
  it.each<{ name: string; rosterAsOf: string | null; maxDays?: number; expected: string[] }>([
    { name: 'roster 17 days old', rosterAsOf: '2026-10-15', expected: [] },
    { name: 'roster as of the audit date', rosterAsOf: '2026-11-01', expected: [] },
    { name: 'exactly 35 days old', rosterAsOf: '2026-09-27', expected: [] },
    { name: '36 days old', rosterAsOf: '2026-09-26', expected: [`stale ${K}`] },
    {
      name: 'policy allows 10 days',
      rosterAsOf: '2026-10-15',
      maxDays: 10,
      expected: [`stale ${K}`],
    },
    {
      name: 'no network roster: DATA-COMPLETE reports it, not this rule',
      rosterAsOf: null,
      expected: [],
    },
  ])('$name', ({ rosterAsOf, maxDays, expected }) => {
    const snapshot = makeSnapshot({
      latestNetworkRosterAsOf: rosterAsOf ? { [PLAN_KEY]: rosterAsOf } : {},
    });
    const policy = makePolicy({ staleRosterDays: maxDays ?? 35 });
    expect(summary(runRule(dataStale, snapshot, policy))).toEqual(expected);
  });

  it('covers plans without a record too', () => {
    const snapshot = makeSnapshot({
      plans: [],
      planKeysWithoutRecord: [PLAN],
      latestNetworkRosterAsOf: { [PLAN_KEY]: '2026-09-01' },
    });
    const findings = runRule(dataStale, snapshot);
    expect(summary(findings)).toEqual([`stale ${K}`]);
    expect(findings[0]?.severity).toBe('minor');
  });

  it('message gives the age', () => {
    const [f] = runRule(
      dataStale,
      makeSnapshot({ latestNetworkRosterAsOf: { [PLAN_KEY]: '2026-09-01' } }),
    );
    expect(f?.message).toBe(
      'Plan S1234-001-000: the latest network roster is as of 2026-09-01, 61 days before the as-of date (policy maximum 35).',
    );
  });
});
