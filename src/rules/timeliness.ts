/**
 * The regulatory clocks for Part D coverage requests (REFERENCE.md section 4) and the reading of
 * one request against them as of the end of the audit date in the policy's time zone.
 *
 * - A clock of N "calendar days" is counted as N x 24 hours from the clock start (the instant the
 *   request, or for an exception the prescriber's supporting statement, was received).
 * - A decision exactly at the deadline is on time; an undecided request whose deadline is exactly
 *   the end of the as-of day is still pending.
 * - A decision recorded after the end of the as-of day was not known on that day: the request is
 *   read as undecided (decidedAt and outcome null), so re-auditing a past date gives the same answer.
 */
import type { CoverageRequest, IsoDate, IsoInstant, RequestTimeliness } from '../domain/types.js';
import { endOfDay } from '../util/time.js';

const HOUR_MS = 3_600_000;

export interface RequestClock {
  hours: number;
  citation: string;
  clockLabel: string;
}

/** The clock that applies to a request (type x expedited). */
export function clockFor(
  request: Pick<CoverageRequest, 'requestType' | 'expedited'>,
): RequestClock {
  const { requestType, expedited } = request;
  switch (requestType) {
    case 'coverage_determination':
      return expedited
        ? {
            hours: 24,
            citation: '42 CFR 423.572',
            clockLabel: '24 hours (expedited coverage determination)',
          }
        : {
            hours: 72,
            citation: '42 CFR 423.568(b)',
            clockLabel: '72 hours (standard coverage determination)',
          };
    case 'exception':
      return expedited
        ? {
            hours: 24,
            citation: '42 CFR 423.572',
            clockLabel: '24 hours from the supporting statement (expedited exception request)',
          }
        : {
            hours: 72,
            citation: '42 CFR 423.568(b)',
            clockLabel: '72 hours from the supporting statement (standard exception request)',
          };
    case 'payment':
      // Payment requests cannot be expedited: the 14-day clock applies either way.
      return {
        hours: 14 * 24,
        citation: '42 CFR 423.568(c)',
        clockLabel: '14 calendar days (payment request)',
      };
    case 'redetermination':
      return expedited
        ? {
            hours: 72,
            citation: '42 CFR 423.590(d)',
            clockLabel: '72 hours (expedited redetermination)',
          }
        : {
            hours: 7 * 24,
            citation: '42 CFR 423.590(a)',
            clockLabel: '7 calendar days (standard redetermination)',
          };
  }
}

/**
 * When the clock starts: receipt; for an exception, the supporting statement when one is
 * recorded (never earlier than receipt: a statement sent before the request starts nothing).
 */
export function clockStartOf(
  request: Pick<CoverageRequest, 'requestType' | 'receivedAt' | 'supportingStatementAt'>,
): IsoInstant {
  const statement =
    request.supportingStatementAt === null ? null : Date.parse(request.supportingStatementAt);
  return new Date(
    startMs(request.requestType, Date.parse(request.receivedAt), statement),
  ).toISOString();
}

function startMs(
  type: CoverageRequest['requestType'],
  received: number,
  statement: number | null,
): number {
  return type === 'exception' && statement !== null ? Math.max(received, statement) : received;
}

function parseInstant(value: string, field: string, requestId: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new RangeError(`coverage request ${requestId}: ${field} is not an instant: "${value}"`);
  }
  return ms;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Reads one coverage request against its clock as of the end of `asOf` in `timeZone`. */
export function assessRequest(
  request: CoverageRequest,
  asOf: IsoDate,
  timeZone: string,
): RequestTimeliness {
  return assessAt(request, Date.parse(endOfDay(asOf, timeZone)));
}

/** assessRequest for many requests, computing the end of the as-of day once. */
export function assessRequests(
  requests: readonly CoverageRequest[],
  asOf: IsoDate,
  timeZone: string,
): RequestTimeliness[] {
  const endOfAsOf = Date.parse(endOfDay(asOf, timeZone));
  return requests.map((r) => assessAt(r, endOfAsOf));
}

/** `endOfAsOf`: the first instant (ms) after the as-of day ends in the policy's zone. */
function assessAt(request: CoverageRequest, endOfAsOf: number): RequestTimeliness {
  const received = parseInstant(request.receivedAt, 'receivedAt', request.requestId);
  const statement =
    request.supportingStatementAt === null
      ? null
      : parseInstant(request.supportingStatementAt, 'supportingStatementAt', request.requestId);
  const clock = clockFor(request);
  const start = startMs(request.requestType, received, statement);
  const deadline = start + clock.hours * HOUR_MS;

  const decidedMs =
    request.decidedAt === null
      ? null
      : parseInstant(request.decidedAt, 'decidedAt', request.requestId);
  const known = decidedMs !== null && decidedMs < endOfAsOf;

  let verdict: RequestTimeliness['verdict'];
  let elapsedMs: number;
  if (known) {
    elapsedMs = decidedMs - start;
    verdict = decidedMs <= deadline ? 'on_time' : 'late';
  } else {
    elapsedMs = endOfAsOf - start;
    verdict = endOfAsOf > deadline ? 'overdue' : 'pending';
  }

  return {
    requestId: request.requestId,
    contractId: request.contractId,
    pbpId: request.pbpId,
    requestType: request.requestType,
    expedited: request.expedited,
    citation: clock.citation,
    clockLabel: clock.clockLabel,
    clockStart: new Date(start).toISOString(),
    deadline: new Date(deadline).toISOString(),
    decidedAt: known ? request.decidedAt : null,
    elapsedHours: round2(Math.max(0, elapsedMs) / HOUR_MS),
    verdict,
    memberIdMasked: request.memberIdMasked,
    drugClass: request.drugClass,
    drugName: request.drugName,
    outcome: known ? request.outcome : null,
  };
}
