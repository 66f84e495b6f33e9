import { classLabel, pharmacyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiUsable = defineRule({
  id: 'HI-USABLE',
  title: 'Claimed drug classes can be delivered in usable form',
  citation:
    'CMS home infusion letter (home infusion drugs must be provided in a usable form); 2008 final rule CMS-4130-F, 73 FR 20486: HI pharmacy capability (i)',
  defaultSeverity: 'major',
  description:
    "No in-network home infusion pharmacy may list a drug class it cannot deliver in a form that can be administered (mixed, ready to administer): the capability must be marked usable form, and a class that needs sterile compounding requires a pharmacy that compounds sterile preparations. A class infused from the vial or reconstituted per its labeling (alpha-1 proteinase inhibitor, immune globulin) does not need sterile compounding (see the catalog's sterile_compounding_reason). Such a claim never counts toward coverage (HI-ACUTE, HI-CHRONIC); this rule reports it so the roster or the pharmacy's contract is corrected. A claim for a class outside the required classes (the Part B external infusion pump classes, and the optional Part D classes unless the policy's requiredClasses adds them) is reported at info, whatever the rule's severity: Part D does not require it, so it never fails a Part D audit.",
  messages: {
    notUsableForm:
      'Plan {plan}: {pharmacy} lists {class} but cannot deliver it in usable form (mixed, ready to administer).',
    noSterileCompounding:
      'Plan {plan}: {pharmacy} lists {class}, which needs sterile compounding, but does not compound sterile preparations.',
  },
  remediation:
    "Confirm with the pharmacy: either it delivers the class ready to administer (update the capability's usable form and the pharmacy's sterile compounding / USP <797> category) or remove the class from its capabilities and direct members to a pharmacy that does.",
  check({ snapshot, index, requiredClasses }) {
    const required = new Set(requiredClasses.map((c) => c.code));
    const out = [];
    for (const plan of index.plans.values()) {
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        const claims = index.undeliverableByNpi.get(npi);
        if (!pharmacy || !claims) continue;
        for (const cap of claims) {
          const dc = index.catalog.get(cap.drugClass);
          const isRequired = required.has(cap.drugClass);
          out.push({
            ...report(
              cap.usableForm ? 'noSterileCompounding' : 'notUsableForm',
              { ...planSubject(plan), npi, drugClass: cap.drugClass },
              {
                plan: plan.key,
                pharmacy: pharmacyLabel(pharmacy),
                class: classLabel(dc, cap.drugClass),
              },
              {
                usableForm: cap.usableForm,
                needsSterileCompounding: dc?.needsSterileCompounding ?? false,
                sterileCompounding: pharmacy.sterileCompounding,
                usp797Category: pharmacy.usp797Category,
                notes: cap.notes,
                requiredClass: isRequired,
              },
            ),
            // A class the Part D network need not cover (the Part B pump classes, optional
            // classes the policy does not require) never fails the audit: info at most.
            ...(isRequired ? {} : { maxSeverity: 'info' as const }),
          });
        }
      }
    }
    return out;
  },
});
