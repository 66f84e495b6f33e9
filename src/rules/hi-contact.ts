import { isValidPhone, pharmacyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiContact = defineRule({
  id: 'HI-CONTACT',
  title: 'Home infusion pharmacies are reachable after hours',
  citation:
    'Sponsor policy (after-hours access); supports the CMS home infusion letter (clear directions to access home infusion pharmacy)',
  defaultSeverity: 'minor',
  description:
    "Every in-network home infusion pharmacy must be reachable outside business hours, since discharges and infusion problems do not keep office hours: it is open 24x7, or it has a valid (10-digit US) after-hours phone number. This is sponsor policy: the letter does not name after-hours access; it serves the letter's clear directions to a home infusion pharmacy.",
  messages: {
    noAfterHoursPhone:
      'Plan {plan}: {pharmacy} is not open 24x7 and has no after-hours phone number.',
    invalidAfterHoursPhone:
      'Plan {plan}: {pharmacy} is not open 24x7 and its after-hours phone "{phone}" is not a valid US number.',
  },
  remediation:
    "Obtain the pharmacy's after-hours (on-call) number, or confirm it is open 24x7, and update the pharmacy roster.",
  check({ snapshot, index }) {
    const out = [];
    for (const plan of index.plans.values()) {
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        if (!pharmacy || pharmacy.open24x7 || isValidPhone(pharmacy.afterHoursPhone)) continue;
        const phone = pharmacy.afterHoursPhone?.trim() ?? '';
        out.push(
          report(
            phone === '' ? 'noAfterHoursPhone' : 'invalidAfterHoursPhone',
            { ...planSubject(plan), npi },
            { plan: plan.key, pharmacy: pharmacyLabel(pharmacy), phone },
            { open24x7: false, afterHoursPhone: pharmacy.afterHoursPhone },
          ),
        );
      }
    }
    return out;
  },
});
