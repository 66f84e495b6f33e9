import { planKeyString } from '../domain/types.js';
import { daysBetween } from '../util/time.js';
import { isValidPhone, planSubject } from './helpers.js';
import { defineRule, report } from './rule.js';

export const hiDirections = defineRule({
  id: 'HI-DIRECTIONS',
  title: 'Plans give clear directions to reach a home infusion pharmacy',
  citation: 'CMS home infusion letter (clear directions to access home infusion pharmacy)',
  defaultSeverity: 'major',
  description:
    "Every plan must have, through its customer and provider service lines, clear directions on how to reach an in-network home infusion pharmacy: a valid member services phone, a valid provider services phone, written home infusion access directions, and a review of those directions within the policy's directionsMaxAgeDays before the as-of date. A plan that has a service area but no plan record fails, since nothing shows its directions exist.",
  messages: {
    noPlanRecord:
      'Plan {plan} has a service area but no plan record: its service phones and home infusion access directions are not on file.',
    deficient:
      'Plan {plan} ({planName}): home infusion access directions are deficient: {problems}.',
  },
  remediation:
    'Record the plan (member and provider service phones, written directions to reach an in-network HI pharmacy) in the plans roster, have the directions reviewed by the responsible department, record the review date, and re-import.',
  check({ snapshot, policy, index }) {
    const records = new Map(snapshot.plans.map((p) => [planKeyString(p), p]));
    const maxAge = policy.directionsMaxAgeDays;
    const out = [];
    for (const plan of index.plans.values()) {
      const record = records.get(plan.key);
      if (!record) {
        if (plan.serviceCounties.length === 0) continue;
        out.push(
          report(
            'noPlanRecord',
            planSubject(plan),
            { plan: plan.key },
            { planRecord: false, serviceAreaCounties: plan.serviceCounties.length },
          ),
        );
        continue;
      }
      const problems: string[] = [];
      const memberOk = isValidPhone(record.memberServicesPhone);
      const providerOk = isValidPhone(record.providerServicesPhone);
      const directionsOk = record.hiAccessDirections.trim() !== '';
      if (!memberOk)
        problems.push(
          `member services phone "${record.memberServicesPhone}" is not a valid US number`,
        );
      if (!providerOk)
        problems.push(
          `provider services phone "${record.providerServicesPhone}" is not a valid US number`,
        );
      if (!directionsOk) problems.push('no written home infusion access directions');
      const reviewed = record.directionsReviewedOn;
      const age = reviewed === null ? null : daysBetween(reviewed, index.asOf);
      if (reviewed === null || age === null)
        problems.push('the directions have never been reviewed');
      else if (age < 0)
        problems.push(`the review date ${reviewed} is after the as-of date ${index.asOf}`);
      else if (age > maxAge) {
        problems.push(
          `last reviewed on ${reviewed}, ${age} days before the as-of date (policy maximum ${maxAge})`,
        );
      }
      if (problems.length === 0) continue;
      out.push(
        report(
          'deficient',
          planSubject(plan),
          { plan: plan.key, planName: record.planName, problems: problems.join('; ') },
          {
            memberServicesPhoneValid: memberOk,
            providerServicesPhoneValid: providerOk,
            directionsPresent: directionsOk,
            directionsReviewedOn: reviewed,
            reviewAgeDays: age,
            maxAgeDays: maxAge,
          },
        ),
      );
    }
    return out;
  },
});
