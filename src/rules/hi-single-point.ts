import { classLabel, countyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiSinglePoint = defineRule({
  id: 'HI-SINGLE-POINT',
  title: 'Required classes that depend on a single pharmacy',
  citation: 'Sponsor policy (network resilience)',
  defaultSeverity: 'info',
  description:
    "Flags each plan x service-area county x required class (acute or chronic) covered by exactly one in-network home infusion pharmacy: compliant today, but one termination away from a gap. Not reported when the policy's minPharmaciesPerClass is above 1, because such a cell already fails HI-ACUTE or HI-CHRONIC.",
  messages: {
    singlePoint: 'Plan {plan}: {class} in {county} depends on a single in-network pharmacy, {npi}.',
  },
  remediation:
    'Consider contracting a second home infusion pharmacy for the class in the county, or document the contingency arrangement if the single pharmacy leaves the network.',
  check({ snapshot, policy, index, requiredClasses }) {
    if (policy.minPharmaciesPerClass > 1) return [];
    const out = [];
    for (const plan of index.plans.values()) {
      for (const [county, cells] of plan.coverage) {
        for (const c of requiredClasses) {
          const npis = cells.get(c.code) ?? [];
          if (npis.length !== 1) continue;
          const npi = npis[0]!;
          const name = snapshot.pharmacies.get(npi)?.name;
          out.push(
            report(
              'singlePoint',
              { ...planSubject(plan), countyFips: county, drugClass: c.code },
              {
                plan: plan.key,
                county: countyLabel(snapshot, county),
                class: classLabel(c, c.code),
                npi: name ? `${name} (NPI ${npi})` : `NPI ${npi}`,
              },
              { coveringPharmacies: 1, npis: [npi], careType: c.careType },
            ),
          );
        }
      }
    }
    return out;
  },
});
