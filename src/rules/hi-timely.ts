import { defineRule, report } from '../evaluate/rule.js';

export const TIMELY_RULE_ID = 'HI-TIMELY';

export const hiTimely = defineRule({
  id: TIMELY_RULE_ID,
  title: 'Coverage requests are decided within the regulatory clocks',
  citation: '42 CFR 423.568, 423.572, 423.590',
  defaultSeverity: 'major',
  description:
    "Every coverage request must be decided within its clock: a coverage determination or exception request within 24 hours when expedited and 72 hours when standard (an exception's clock starts when the prescriber's supporting statement is received when one is recorded, and at receipt otherwise: the clock label then says 'clock from receipt'); a payment request within 14 calendar days (423.568(c)); a redetermination within 72 hours when expedited and 7 calendar days when standard (423.590(a), (d)); a payment redetermination (request type payment_redetermination) within 14 calendar days (423.590(b)). Hour clocks run from the clock start instant. Calendar-day clocks count days in the policy's time zone, as CMS audit protocols do: the day of receipt is day 0 and a decision any time on the 7th (or 14th) day is on time. A request decided after its deadline is late; a request still undecided at the end of the as-of date (in the policy's time zone) and past its deadline is overdue. Both are reported; an undecided request still within its clock is pending and is not.",
  messages: {
    late: 'Request {request} (plan {plan}, {clock}) was decided at {decidedAt}, {elapsed} hours after the clock started, after its deadline {deadline}.',
    overdue:
      'Request {request} (plan {plan}, {clock}) is still undecided at the end of {asOf}; its deadline {deadline} has passed.',
  },
  remediation:
    'Decide the request now and notify the enrollee and prescriber; a request not decided in time is to be forwarded (auto-forwarded) to the independent review entity: confirm the current requirement with compliance. Review staffing and intake (especially for expedited infusion requests at hospital discharge) to prevent recurrence.',
  check({ index, timeliness }) {
    const out = [];
    for (const t of timeliness) {
      if (t.verdict !== 'late' && t.verdict !== 'overdue') continue;
      out.push(
        report(
          t.verdict,
          { contractId: t.contractId, pbpId: t.pbpId, requestId: t.requestId },
          {
            request: t.requestId,
            plan: `${t.contractId}-${t.pbpId}`,
            clock: t.clockLabel,
            decidedAt: t.decidedAt ?? 'undecided',
            elapsed: t.elapsedHours,
            deadline: t.deadline,
            asOf: index.asOf,
          },
          {
            requestType: t.requestType,
            expedited: t.expedited,
            citation: t.citation,
            clockStart: t.clockStart,
            deadline: t.deadline,
            decidedAt: t.decidedAt,
            elapsedHours: t.elapsedHours,
            verdict: t.verdict,
            drugClass: t.drugClass,
            drugName: t.drugName,
          },
        ),
      );
    }
    return out;
  },
});
