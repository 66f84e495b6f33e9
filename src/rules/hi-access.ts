import { countyLabel, planSubject } from '../evaluate/helpers.js';
import { membersEvidence } from '../evaluate/members.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiAccess = defineRule({
  id: 'HI-ACCESS',
  title: 'Home infusion pharmacies serve every service-area county',
  citation: '42 CFR 423.120(a)(4)',
  defaultSeverity: 'critical',
  description:
    "For each plan, every county of its service area must be served by at least the policy's minimum number (minPharmaciesPerCounty) of the plan's in-network home infusion pharmacies. The minimum is sponsor policy: CMS sets no numeric standard for home infusion access.",
  messages: {
    noPharmacy:
      'Plan {plan}: no in-network home infusion pharmacy serves {county} (policy minimum {min}).',
    belowMinimum:
      'Plan {plan}: {count} in-network home infusion pharmacies serve {county}, fewer than the policy minimum of {min}.',
  },
  remediation:
    "Contract with (or add the home infusion role to) a pharmacy that serves the county, or extend an in-network HI pharmacy's service counties; then re-import the network and pharmacy rosters.",
  check({ snapshot, policy, index }) {
    const min = policy.minPharmaciesPerCounty;
    const out = [];
    for (const plan of index.plans.values()) {
      for (const [county, npis] of plan.servingByCounty) {
        if (npis.length >= min) continue;
        out.push(
          report(
            npis.length === 0 ? 'noPharmacy' : 'belowMinimum',
            { ...planSubject(plan), countyFips: county },
            { plan: plan.key, county: countyLabel(snapshot, county), count: npis.length, min },
            {
              servingPharmacies: npis.length,
              minimum: min,
              npis: [...npis],
              ...membersEvidence(index.members, plan.key, county),
            },
          ),
        );
      }
    }
    return out;
  },
});
