import { CLASS_COVERAGE_MESSAGES, checkClassCoverage } from '../evaluate/class-coverage.js';
import { defineRule } from '../evaluate/rule.js';

export const hiChronic = defineRule({
  id: 'HI-CHRONIC',
  title: 'Chronic home infusion therapies are covered in every county',
  citation:
    'CMS home infusion letter (acute and chronic therapies); 42 CFR 423.120(a)(4); 2008 final rule CMS-4130-F, 73 FR 20486: HI pharmacy capability (ii)',
  defaultSeverity: 'critical',
  description:
    "For each plan, every service-area county must be covered, for every required chronic drug class, by at least the policy's minimum number (minPharmaciesPerClass) of the plan's in-network home infusion pharmacies. A pharmacy covers a class in a county when it serves the county and can deliver the class in usable form (compounding where needed). The network is judged in aggregate: the letter asks for long-term chronic therapies (for example alpha-1 proteinase inhibitor) without requiring one pharmacy to cover everything.",
  messages: CLASS_COVERAGE_MESSAGES,
  remediation:
    'Add an in-network HI pharmacy that serves the county and delivers the class ready to administer, or record the capability (and sterile compounding) of a pharmacy that already does; then re-import the rosters.',
  check(ctx) {
    return checkClassCoverage(ctx, 'chronic');
  },
});
