/** What HI-ACUTE and HI-CHRONIC share: coverage of each county x required class of one care type. */
import type { CareType } from '../domain/types.js';
import { classLabel, countyLabel, planSubject } from './helpers.js';
import { membersEvidence } from './members.js';
import { report, type RuleContext, type RuleReport } from './rule.js';

export const CLASS_COVERAGE_MESSAGES = {
  uncovered:
    'Plan {plan}: no in-network home infusion pharmacy can deliver {class} ({careType}) in usable form in {county}.',
  belowMinimum:
    'Plan {plan}: only {count} in-network home infusion pharmacies can deliver {class} ({careType}) in usable form in {county}, fewer than the policy minimum of {min}.',
} as const;

export type ClassCoverageMessageId = keyof typeof CLASS_COVERAGE_MESSAGES;

export function checkClassCoverage(
  { snapshot, policy, index, requiredClasses }: RuleContext,
  careType: CareType,
): (RuleReport & { messageId: ClassCoverageMessageId })[] {
  const classes = requiredClasses.filter((c) => c.careType === careType);
  const min = policy.minPharmaciesPerClass;
  const out = [];
  for (const plan of index.plans.values()) {
    for (const [county, cells] of plan.coverage) {
      for (const c of classes) {
        const npis = cells.get(c.code) ?? [];
        if (npis.length >= min) continue;
        out.push(
          report(
            npis.length === 0 ? 'uncovered' : 'belowMinimum',
            { ...planSubject(plan), countyFips: county, drugClass: c.code },
            {
              plan: plan.key,
              county: countyLabel(snapshot, county),
              class: classLabel(c, c.code),
              careType,
              count: npis.length,
              min,
            },
            {
              coveringPharmacies: npis.length,
              minimum: min,
              npis: [...npis],
              servingPharmacies: plan.servingByCounty.get(county)?.length ?? 0,
              ...membersEvidence(index.members, plan.key, county),
            },
          ),
        );
      }
    }
  }
  return out;
}
