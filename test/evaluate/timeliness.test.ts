import { describe, expect, it } from 'vitest';
import type { CoverageRequest } from '../../src/domain/types.js';
import { assessRequest, assessRequests, clockStartOf } from '../../src/evaluate/timeliness.js';
import { makeRequest } from '../rules/snapshot-builder.js';

const AS_OF = '2026-11-01';
/** End of 2026-11-01 in UTC. */
const UTC = 'UTC';

describe('assessRequest: clocks', () => {
  it.each<{
    name: string;
    request: Partial<CoverageRequest>;
    citation: string;
    clockStart: string;
    deadline: string;
  }>([
    {
      name: 'expedited coverage determination: 24 h from receipt',
      request: {
        requestType: 'coverage_determination',
        expedited: true,
        receivedAt: '2026-10-01T10:00:00Z',
      },
      citation: '42 CFR 423.572',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-02T10:00:00.000Z',
    },
    {
      name: 'standard coverage determination: 72 h from receipt',
      request: {
        requestType: 'coverage_determination',
        expedited: false,
        receivedAt: '2026-10-01T10:00:00Z',
      },
      citation: '42 CFR 423.568(b)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-04T10:00:00.000Z',
    },
    {
      name: 'expedited exception: 24 h from the supporting statement',
      request: {
        requestType: 'exception',
        expedited: true,
        receivedAt: '2026-10-01T10:00:00Z',
        supportingStatementAt: '2026-10-03T08:30:00Z',
      },
      citation: '42 CFR 423.572',
      clockStart: '2026-10-03T08:30:00.000Z',
      deadline: '2026-10-04T08:30:00.000Z',
    },
    {
      name: 'standard exception: 72 h from the supporting statement',
      request: {
        requestType: 'exception',
        expedited: false,
        receivedAt: '2026-10-01T10:00:00Z',
        supportingStatementAt: '2026-10-02T10:00:00Z',
      },
      citation: '42 CFR 423.568(b)',
      clockStart: '2026-10-02T10:00:00.000Z',
      deadline: '2026-10-05T10:00:00.000Z',
    },
    {
      name: 'exception without a supporting statement: from receipt',
      request: { requestType: 'exception', expedited: false, receivedAt: '2026-10-01T10:00:00Z' },
      citation: '42 CFR 423.568(b)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-04T10:00:00.000Z',
    },
    {
      name: 'exception whose statement precedes the request: from receipt',
      request: {
        requestType: 'exception',
        expedited: true,
        receivedAt: '2026-10-01T10:00:00Z',
        supportingStatementAt: '2026-09-30T10:00:00Z',
      },
      citation: '42 CFR 423.572',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-02T10:00:00.000Z',
    },
    {
      name: 'supporting statement ignored for a non-exception',
      request: {
        requestType: 'coverage_determination',
        expedited: true,
        receivedAt: '2026-10-01T10:00:00Z',
        supportingStatementAt: '2026-10-03T10:00:00Z',
      },
      citation: '42 CFR 423.572',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-02T10:00:00.000Z',
    },
    {
      name: 'payment: 14 calendar days, through the end of 10-15 in New York',
      request: { requestType: 'payment', expedited: false, receivedAt: '2026-10-01T10:00:00Z' },
      citation: '42 CFR 423.568(c)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-16T04:00:00.000Z',
    },
    {
      name: 'payment flagged expedited: still 14 days',
      request: { requestType: 'payment', expedited: true, receivedAt: '2026-10-01T10:00:00Z' },
      citation: '42 CFR 423.568(c)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-16T04:00:00.000Z',
    },
    {
      name: 'payment redetermination: 14 calendar days (423.590(b))',
      request: {
        requestType: 'payment_redetermination',
        expedited: false,
        receivedAt: '2026-10-01T10:00:00Z',
      },
      citation: '42 CFR 423.590(b)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-16T04:00:00.000Z',
    },
    {
      name: 'expedited redetermination: 72 h',
      request: {
        requestType: 'redetermination',
        expedited: true,
        receivedAt: '2026-10-01T10:00:00Z',
      },
      citation: '42 CFR 423.590(d)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-04T10:00:00.000Z',
    },
    {
      name: 'standard redetermination: 7 calendar days, through the end of 10-08 in New York',
      request: {
        requestType: 'redetermination',
        expedited: false,
        receivedAt: '2026-10-01T10:00:00Z',
      },
      citation: '42 CFR 423.590(a)',
      clockStart: '2026-10-01T10:00:00.000Z',
      deadline: '2026-10-09T04:00:00.000Z',
    },
    {
      name: '7 calendar days across the DST change end at local midnight (EST)',
      request: {
        requestType: 'redetermination',
        expedited: false,
        receivedAt: '2026-10-30T14:00:00Z',
      },
      citation: '42 CFR 423.590(a)',
      clockStart: '2026-10-30T14:00:00.000Z',
      deadline: '2026-11-07T05:00:00.000Z',
    },
    {
      name: 'received late evening in New York (next day in UTC): day 0 is the New York date',
      request: {
        requestType: 'redetermination',
        expedited: false,
        receivedAt: '2026-10-02T02:00:00Z',
      },
      citation: '42 CFR 423.590(a)',
      clockStart: '2026-10-02T02:00:00.000Z',
      deadline: '2026-10-09T04:00:00.000Z',
    },
  ])('$name', ({ request, citation, clockStart, deadline }) => {
    const t = assessRequest(makeRequest(request), AS_OF, 'America/New_York');
    expect(t.citation).toBe(citation);
    expect(t.clockStart).toBe(clockStart);
    expect(t.deadline).toBe(deadline);
  });
});

describe('assessRequest: calendar-day clocks', () => {
  const redet = {
    requestType: 'redetermination',
    expedited: false,
    receivedAt: '2026-10-01T13:00:00Z', // 09:00 in New York, day 0
  } as const;
  it.each<{ name: string; decidedAt: string | null; asOf?: string; verdict: string }>([
    {
      name: 'decided on the 7th day, 23:30 in New York: on time',
      decidedAt: '2026-10-09T03:30:00Z',
      verdict: 'on_time',
    },
    {
      name: 'decided on the 7th day at 23:00, more than 168 h after receipt: on time',
      decidedAt: '2026-10-09T03:00:00Z',
      verdict: 'on_time',
    },
    {
      name: 'decided on the 8th day, 00:00 in New York: late',
      decidedAt: '2026-10-09T04:00:00Z',
      verdict: 'late',
    },
    {
      name: 'undecided at the end of the 7th day: pending',
      decidedAt: null,
      asOf: '2026-10-08',
      verdict: 'pending',
    },
    {
      name: 'undecided at the end of the 8th day: overdue',
      decidedAt: null,
      asOf: '2026-10-09',
      verdict: 'overdue',
    },
  ])('$name', ({ decidedAt, asOf, verdict }) => {
    const t = assessRequest(
      makeRequest({ ...redet, decidedAt, outcome: decidedAt === null ? null : 'approved' }),
      asOf ?? AS_OF,
      'America/New_York',
    );
    expect(t.verdict).toBe(verdict);
  });

  it('an exception with no supporting statement recorded says its clock runs from receipt', () => {
    const t = assessRequest(
      makeRequest({ requestType: 'exception', expedited: true, supportingStatementAt: null }),
      AS_OF,
      'America/New_York',
    );
    expect(t.clockLabel).toBe(
      '24 hours, clock from receipt: no supporting statement recorded (expedited exception request)',
    );
    const withStatement = assessRequest(
      makeRequest({
        requestType: 'exception',
        expedited: true,
        supportingStatementAt: '2026-10-01T12:00:00Z',
      }),
      AS_OF,
      'America/New_York',
    );
    expect(withStatement.clockLabel).toMatch(/from the supporting statement/);
  });
});

describe('assessRequest: verdicts', () => {
  const base = {
    requestType: 'coverage_determination',
    expedited: true,
    receivedAt: '2026-10-01T10:00:00Z',
  } as const;
  it.each<{
    name: string;
    request: Partial<CoverageRequest>;
    asOf?: string;
    timeZone?: string;
    verdict: string;
    elapsedHours: number;
    decidedAt?: string | null;
  }>([
    {
      name: 'decided well within',
      request: { decidedAt: '2026-10-01T20:00:00Z' },
      verdict: 'on_time',
      elapsedHours: 10,
    },
    {
      name: 'decided exactly at the deadline: on time',
      request: { decidedAt: '2026-10-02T10:00:00Z' },
      verdict: 'on_time',
      elapsedHours: 24,
    },
    {
      name: 'decided one second after the deadline: late',
      request: { decidedAt: '2026-10-02T10:00:01Z' },
      verdict: 'late',
      elapsedHours: 24,
    },
    {
      name: 'exception decided 30 h after receipt but 20 h after the statement: on time',
      request: {
        requestType: 'exception',
        supportingStatementAt: '2026-10-01T20:00:00Z',
        decidedAt: '2026-10-02T16:00:00Z',
      },
      verdict: 'on_time',
      elapsedHours: 20,
    },
    {
      name: 'undecided and past the deadline at the end of the as-of date: overdue',
      request: { decidedAt: null, outcome: null },
      asOf: '2026-10-02',
      timeZone: UTC,
      verdict: 'overdue',
      elapsedHours: 38,
      decidedAt: null,
    },
    {
      name: 'undecided within its clock: pending',
      request: { decidedAt: null, outcome: null },
      asOf: '2026-10-01',
      timeZone: UTC,
      verdict: 'pending',
      elapsedHours: 14,
      decidedAt: null,
    },
    {
      name: 'undecided, deadline exactly at the end of the as-of date: pending',
      request: { receivedAt: '2026-10-01T00:00:00Z', decidedAt: null, outcome: null },
      asOf: '2026-10-01',
      timeZone: UTC,
      verdict: 'pending',
      elapsedHours: 24,
    },
    {
      name: 'undecided, deadline 1 s before the end of the as-of date: overdue',
      request: { receivedAt: '2026-09-30T23:59:59Z', decidedAt: null, outcome: null },
      asOf: '2026-10-01',
      timeZone: UTC,
      verdict: 'overdue',
      elapsedHours: 24,
    },
    {
      name: 'decided after the as-of date: read as undecided on that date',
      request: { decidedAt: '2026-10-02T09:00:00Z' },
      asOf: '2026-10-01',
      timeZone: UTC,
      verdict: 'pending',
      elapsedHours: 14,
      decidedAt: null,
    },
    {
      name: 'end of day read in New York (EST after the DST change): 05:00Z next day, overdue',
      request: { receivedAt: '2026-11-01T04:30:00Z', decidedAt: null, outcome: null },
      asOf: '2026-11-01',
      timeZone: 'America/New_York',
      verdict: 'overdue',
      elapsedHours: 24.5,
    },
    {
      name: 'the same request read in UTC: still pending',
      request: { receivedAt: '2026-11-01T04:30:00Z', decidedAt: null, outcome: null },
      asOf: '2026-11-01',
      timeZone: UTC,
      verdict: 'pending',
      elapsedHours: 19.5,
    },
    {
      name: 'statement after the as-of date: clock not started, elapsed 0',
      request: {
        requestType: 'exception',
        supportingStatementAt: '2026-10-05T00:00:00Z',
        decidedAt: null,
        outcome: null,
      },
      asOf: '2026-10-02',
      timeZone: UTC,
      verdict: 'pending',
      elapsedHours: 0,
    },
  ])('$name', ({ request, asOf, timeZone, verdict, elapsedHours, decidedAt }) => {
    const t = assessRequest(
      makeRequest({ ...base, ...request }),
      asOf ?? AS_OF,
      timeZone ?? 'America/New_York',
    );
    expect(t.verdict).toBe(verdict);
    expect(t.elapsedHours).toBe(elapsedHours);
    if (decidedAt !== undefined) expect(t.decidedAt).toBe(decidedAt);
  });

  it('carries the request fields and nulls the outcome of a decision not known on the as-of date', () => {
    const t = assessRequest(
      makeRequest({ decidedAt: '2026-10-02T09:00:00Z', outcome: 'denied' }),
      '2026-10-01',
      UTC,
    );
    expect(t).toMatchObject({
      requestId: 'R-1',
      contractId: 'S1234',
      pbpId: '001',
      memberIdMasked: '****4TE5',
      drugClass: 'ABX_IV',
      outcome: null,
      clockLabel: '24 hours (expedited coverage determination)',
    });
  });

  it('assessRequests gives the same result as assessRequest', () => {
    const requests = [
      makeRequest(),
      makeRequest({ requestId: 'R-2', decidedAt: null, outcome: null }),
    ];
    expect(assessRequests(requests, AS_OF, 'America/Chicago')).toEqual(
      requests.map((r) => assessRequest(r, AS_OF, 'America/Chicago')),
    );
  });

  it('clockStartOf normalises the instant', () => {
    expect(clockStartOf(makeRequest({ receivedAt: '2026-10-01T10:00:00Z' }))).toBe(
      '2026-10-01T10:00:00.000Z',
    );
  });

  it('rejects an unreadable instant', () => {
    expect(() => assessRequest(makeRequest({ decidedAt: 'yesterday' }), AS_OF, UTC)).toThrow(
      /decidedAt/,
    );
  });
});
