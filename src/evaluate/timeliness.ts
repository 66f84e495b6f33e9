/**
 * The regulatory clocks for Part D coverage requests (REFERENCE.md section 4) and the reading of
 * one request against them as of the end of the audit date in the policy's time zone.
 *
 * - A clock in hours (24 h, 72 h) runs from the clock start instant: a decision exactly at the
 *   deadline is on time.
 * - A clock of N calendar days (7, 14) counts days in the sponsor's time zone, as CMS audit
 *   protocols do: the day of receipt is day 0 and the clock runs through the end of the Nth day,
 *   so a decision any time on the 7th day is on time.
 * - The clock starts at receipt; for an exception request, at the prescriber's supporting
 *   statement when one is recorded (never earlier than receipt). With no statement recorded the
 *   clock runs from receipt and the label says so.
 * - An undecided request whose deadline is exactly the end of the as-of day is still pending.
 * - A decision recorded after the end of the as-of day was not known on that day: the request is
 *   read as undecided (decidedAt and outcome null), so re-auditing a past date gives the same answer.
 */
import type { CoverageRequest, IsoDate, IsoInstant, RequestTimeliness } from '../domain/types.js';
import { addDays, dateInZone, endOfDay } from '../util/time.js';

const HOUR_MS = 3_600_000;

export interface RequestClock {
  /** A clock in hours from the start instant; null for a calendar-day clock. */
  hours: number | null;
  /** A clock in calendar days in the sponsor's zone (through the end of day N); null for hours. */
  days: number | null;
  citation: string;
  clockLabel: string;
}

/** The clock that applies to a request (type x expedited). */
export function clockFor(
  request: Pick<CoverageRequest, 'requestType' | 'expedited'> &
    Partial<Pick<CoverageRequest, 'supportingStatementAt'>>,
): RequestClock {
  const { requestType, expedited } = request;
  const hours = (h: number, citation: string, clockLabel: string): RequestClock => ({
    hours: h,
    days: null,
    citation,
    clockLabel,
  });
  const days = (d: number, citation: string, clockLabel: string): RequestClock => ({
    hours: null,
    days: d,
    citation,
    clockLabel,
  });
  switch (requestType) {
    case 'coverage_determination':
      return expedited
        ? hours(24, '42 CFR 423.572', '24 hours (expedited coverage determination)')
        : hours(72, '42 CFR 423.568(b)', '72 hours (standard coverage determination)');
    case 'exception': {
      const from =
        request.supportingStatementAt === null
          ? 'clock from receipt: no supporting statement recorded'
          : 'from the supporting statement';
      return expedited
        ? hours(24, '42 CFR 423.572', `24 hours, ${from} (expedited exception request)`)
        : hours(72, '42 CFR 423.568(b)', `72 hours, ${from} (standard exception request)`);
    }
    case 'payment':
      // Payment requests cannot be expedited: the 14-day clock applies either way.
      return days(14, '42 CFR 423.568(c)', '14 calendar days (payment request)');
    case 'payment_redetermination':
      return days(14, '42 CFR 423.590(b)', '14 calendar days (payment redetermination)');
    case 'redetermination':
      return expedited
        ? hours(72, '42 CFR 423.590(d)', '72 hours (expedited redetermination)')
        : days(7, '42 CFR 423.590(a)', '7 calendar days (standard redetermination)');
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
  return assessAt(request, Date.parse(endOfDay(asOf, timeZone)), timeZone);
}

/** assessRequest for many requests, computing the end of the as-of day once. */
export function assessRequests(
  requests: readonly CoverageRequest[],
  asOf: IsoDate,
  timeZone: string,
): RequestTimeliness[] {
  const endOfAsOf = Date.parse(endOfDay(asOf, timeZone));
  return requests.map((r) => assessAt(r, endOfAsOf, timeZone));
}

/** `endOfAsOf`: the first instant (ms) after the as-of day ends in the policy's zone. */
function assessAt(
  request: CoverageRequest,
  endOfAsOf: number,
  timeZone: string,
): RequestTimeliness {
  const received = parseInstant(request.receivedAt, 'receivedAt', request.requestId);
  const statement =
    request.supportingStatementAt === null
      ? null
      : parseInstant(request.supportingStatementAt, 'supportingStatementAt', request.requestId);
  const clock = clockFor(request);
  const start = startMs(request.requestType, received, statement);
  // Hours: the deadline instant itself is on time. Days: the deadline is the first instant after
  // the Nth day ends in the sponsor's zone, and only a decision before it is on time.
  const deadline =
    clock.days === null
      ? start + (clock.hours ?? 0) * HOUR_MS
      : Date.parse(endOfDay(addDays(dateInZone(new Date(start), timeZone), clock.days), timeZone));

  const decidedMs =
    request.decidedAt === null
      ? null
      : parseInstant(request.decidedAt, 'decidedAt', request.requestId);
  const known = decidedMs !== null && decidedMs < endOfAsOf;

  let verdict: RequestTimeliness['verdict'];
  let elapsedMs: number;
  if (known) {
    elapsedMs = decidedMs - start;
    const onTime = clock.days === null ? decidedMs <= deadline : decidedMs < deadline;
    verdict = onTime ? 'on_time' : 'late';
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
