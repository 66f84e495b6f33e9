import { describe, expect, it } from 'vitest';
import type { CoverageRequest } from '../../src/domain/types.js';
import { hiTimely } from '../../src/rules/hi-timely.js';
import { makeRequest, makeSnapshot, runRule, summary } from './snapshot-builder.js';

const K = 'HI-TIMELY|S1234|001';

describe('HI-TIMELY', () => {
  it.each<{ name: string; request: Partial<CoverageRequest>; expected: string[] }>([
    { name: 'expedited decided in 10 hours', request: {}, expected: [] },
    {
      name: 'expedited decided after 25 hours: late',
      request: { decidedAt: '2026-10-02T11:00:00Z' },
      expected: [`late ${K}|R-1`],
    },
    {
      name: 'standard decided after 25 hours: on time',
      request: { expedited: false, decidedAt: '2026-10-02T11:00:00Z' },
      expected: [],
    },
    {
      name: 'undecided and past deadline at the end of the as-of date: overdue',
      request: { decidedAt: null, outcome: null },
      expected: [`overdue ${K}|R-1`],
    },
    {
      name: 'undecided, received on the as-of date: pending, not reported',
      request: {
        receivedAt: '2026-11-01T20:00:00Z',
        decidedAt: null,
        outcome: null,
      },
      expected: [],
    },
    {
      name: 'exception decided within 24 h of the supporting statement',
      request: {
        requestType: 'exception',
        receivedAt: '2026-10-01T00:00:00Z',
        supportingStatementAt: '2026-10-03T00:00:00Z',
        decidedAt: '2026-10-03T23:00:00Z',
      },
      expected: [],
    },
    {
      name: 'payment received 09-30 20:00 New York, decided on day 15 (10-15 00:00 New York): late',
      request: {
        requestType: 'payment',
        expedited: false,
        receivedAt: '2026-10-01T00:00:00Z',
        decidedAt: '2026-10-15T04:00:00Z',
      },
      expected: [`late ${K}|R-1`],
    },
    {
      name: 'payment decided on day 14 late evening in New York (day 15 in UTC): on time',
      request: {
        requestType: 'payment',
        expedited: false,
        receivedAt: '2026-10-01T00:00:00Z',
        decidedAt: '2026-10-15T03:59:59Z',
      },
      expected: [],
    },
  ])('$name', ({ request, expected }) => {
    const snapshot = makeSnapshot({ coverageRequests: [makeRequest(request)] });
    expect(summary(runRule(hiTimely, snapshot))).toEqual(expected);
  });

  it('one finding per late or overdue request, message with clock and deadline', () => {
    const snapshot = makeSnapshot({
      coverageRequests: [
        makeRequest({ requestId: 'R-2', decidedAt: '2026-10-02T12:00:00Z' }),
        makeRequest({ requestId: 'R-3', decidedAt: null, outcome: null }),
        makeRequest({ requestId: 'R-4' }),
      ],
    });
    const findings = runRule(hiTimely, snapshot);
    expect(summary(findings)).toEqual([`late ${K}|R-2`, `overdue ${K}|R-3`]);
    expect(findings[0]?.message).toBe(
      'Request R-2 (plan S1234-001, 24 hours (expedited coverage determination)) was decided at 2026-10-02T12:00:00Z, 26 hours after the clock started, after its deadline 2026-10-02T10:00:00.000Z.',
    );
    expect(findings[1]?.message).toBe(
      'Request R-3 (plan S1234-001, 24 hours (expedited coverage determination)) is still undecided at the end of 2026-11-01; its deadline 2026-10-02T10:00:00.000Z has passed.',
    );
    expect(findings[0]?.severity).toBe('major');
    expect(findings[0]?.requestId).toBe('R-2');
  });
});
