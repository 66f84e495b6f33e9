import { daysBetween } from '../util/time.js';
import { planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const dataStale = defineRule({
  id: 'DATA-STALE',
  title: "The plan's network roster is current",
  citation: 'Data quality (sponsor policy)',
  defaultSeverity: 'minor',
  description:
    "The audit is only as good as its data: for each plan, the latest network roster import covering it must be dated no more than the policy's staleRosterDays before the as-of date. A plan with no network roster at all is DATA-COMPLETE's (critical), not this rule's.",
  messages: {
    stale:
      'Plan {plan}: the latest network roster is as of {rosterAsOf}, {age} days before the as-of date (policy maximum {max}).',
  },
  remediation:
    'Import a current network roster for the plan (infusion-audit import) and re-run the audit.',
  check({ snapshot, policy, index }) {
    const max = policy.staleRosterDays;
    const out = [];
    for (const plan of index.plans.values()) {
      const rosterAsOf = snapshot.latestNetworkRosterAsOf.get(plan.key) ?? null;
      if (rosterAsOf === null) continue; // DATA-COMPLETE reports it
      const age = daysBetween(rosterAsOf, index.asOf);
      if (age <= max) continue;
      out.push(
        report(
          'stale',
          planSubject(plan),
          { plan: plan.key, rosterAsOf, age, max },
          { rosterAsOf, ageDays: age, maxAgeDays: max },
        ),
      );
    }
    return out;
  },
});
