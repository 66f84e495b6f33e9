import { planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const dataComplete = defineRule({
  id: 'DATA-COMPLETE',
  title: 'Every plan in scope has the data the audit needs',
  citation:
    '42 CFR 423.120(a)(4) (the network is judged per plan service area); audit completeness (sponsor policy)',
  defaultSeverity: 'critical',
  description:
    'The audit can only judge a plan it has data for. For every plan in scope (one with a plan record, a service area or a home infusion network membership on the as-of date) this rule reports each of: no service area on file (the county checks, HI-ACCESS, HI-ACUTE and HI-CHRONIC, have nothing to check, so coverage is not assessed: never a quiet pass); no plan record (its service phones and directions are unknown); no network roster imported for it. The checks that do not depend on counties (assurances, usable form, accreditation, after-hours contact, coverage requests) still run for such a plan.',
  messages: {
    noServiceArea:
      'Plan {plan}: no service area is on file, so home infusion coverage was not assessed (no county could be checked).',
    noPlanRecord:
      'Plan {plan}: no plan record is on file (plan type, service phones, home infusion access directions unknown).',
    noNetworkRoster:
      'Plan {plan}: no network roster has been imported for this plan, so its home infusion network is unknown.',
  },
  remediation:
    'Import the missing roster for the plan (service_areas, plans or network; see docs/ROSTER-FORMAT.md) and re-run the audit; a plan that is no longer offered is removed by importing the plans and service area rosters without it.',
  check({ snapshot, index }) {
    const out = [];
    for (const plan of index.plans.values()) {
      if (plan.serviceCounties.length === 0) {
        out.push({
          ...report(
            'noServiceArea',
            planSubject(plan),
            { plan: plan.key },
            { serviceAreaCounties: 0, hiPharmacies: plan.hiNpis.length },
          ),
          keyExtra: 'service_area',
        });
      }
      if (!plan.hasRecord) {
        out.push({
          ...report(
            'noPlanRecord',
            planSubject(plan),
            { plan: plan.key },
            { planRecord: false, serviceAreaCounties: plan.serviceCounties.length },
          ),
          keyExtra: 'plan_record',
        });
      }
      if (!snapshot.latestNetworkRosterAsOf.has(plan.key)) {
        out.push({
          ...report(
            'noNetworkRoster',
            planSubject(plan),
            { plan: plan.key },
            { networkRoster: false, hiPharmacies: plan.hiNpis.length },
          ),
          keyExtra: 'network_roster',
        });
      }
    }
    return out;
  },
});
