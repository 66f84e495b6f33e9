import { planKeyString } from '../domain/types.js';
import { daysBetween } from '../util/time.js';
import { isValidPhone, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

/** Directions shorter than this (trimmed) cannot tell anyone how to reach a pharmacy. */
export const MIN_DIRECTIONS_LENGTH = 20;

const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'n a',
  'not applicable',
  'tbd',
  'tba',
  'to be determined',
  'none',
  'no',
  'nil',
  'null',
  'unknown',
  'pending',
  'todo',
  'see website',
  'see web site',
  'see our website',
  'see the website',
  'see web',
  'website',
]);

/**
 * Why the text is not a direction (a placeholder or too short to be one), or null when it may be.
 * Blank text is reported separately ('no written directions').
 */
export function placeholderReason(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  const words = t
    .toLowerCase()
    .replace(/[.!?:;,'"()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^[\W_]*$/.test(t) || PLACEHOLDERS.has(words) || PLACEHOLDERS.has(t.toLowerCase())) {
    return `the written directions "${t}" are a placeholder, not directions`;
  }
  if (t.length < MIN_DIRECTIONS_LENGTH) {
    return `the written directions "${t}" are too short to tell anyone how to reach a home infusion pharmacy (under ${MIN_DIRECTIONS_LENGTH} characters)`;
  }
  return null;
}

export const hiDirections = defineRule({
  id: 'HI-DIRECTIONS',
  title: 'Plans give clear directions to reach a home infusion pharmacy',
  citation:
    'CMS home infusion letter (clear directions to access home infusion pharmacy); review age: sponsor policy (directionsMaxAgeDays)',
  defaultSeverity: 'major',
  description:
    "Every plan must have, through its customer and provider service lines, clear directions on how to reach an in-network home infusion pharmacy: a valid member services phone, a valid provider services phone (an extension is accepted), written home infusion access directions that are directions (not a placeholder such as 'N/A', 'TBD', 'none', '-' or 'see website', and at least 20 characters), and a review of those directions within the policy's directionsMaxAgeDays before the as-of date. The review age is sponsor policy: the letter asks for clear directions, not for a review interval. A plan that has a service area but no plan record fails, since nothing shows its directions exist.",
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
      const placeholder = placeholderReason(record.hiAccessDirections);
      const directionsOk = record.hiAccessDirections.trim() !== '' && placeholder === null;
      if (!memberOk)
        problems.push(
          `member services phone "${record.memberServicesPhone}" is not a valid US number`,
        );
      if (!providerOk)
        problems.push(
          `provider services phone "${record.providerServicesPhone}" is not a valid US number`,
        );
      if (placeholder !== null) problems.push(placeholder);
      else if (!directionsOk) problems.push('no written home infusion access directions');
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
