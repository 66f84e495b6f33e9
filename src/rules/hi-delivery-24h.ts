import { pharmacyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiDelivery24h = defineRule({
  id: 'HI-DELIVERY-24H',
  title: 'Home infusion pharmacies deliver within 24 hours of discharge',
  citation:
    '42 CFR 423.120(a)(4); 2008 final rule CMS-4130-F, 73 FR 20486: HI pharmacy capability (iv), delivery within 24 hours of discharge',
  defaultSeverity: 'major',
  description:
    'Every in-network home infusion pharmacy must be able to deliver home infusion drugs within 24 hours of discharge from an acute-care setting (or later if so prescribed), one of the minimum capabilities the 2008 final rule describes for home infusion pharmacies.',
  messages: {
    no24hDelivery:
      'Plan {plan}: {pharmacy} is not recorded as able to deliver within 24 hours of discharge.',
  },
  remediation:
    "Confirm the pharmacy's delivery capability and contract terms; record it in the pharmacy roster when it does deliver within 24 hours, otherwise arrange a pharmacy that does for the counties it serves.",
  check({ snapshot, index }) {
    const out = [];
    for (const plan of index.plans.values()) {
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        if (!pharmacy || pharmacy.deliversWithin24h) continue;
        out.push(
          report(
            'no24hDelivery',
            { ...planSubject(plan), npi },
            { plan: plan.key, pharmacy: pharmacyLabel(pharmacy) },
            { deliversWithin24h: false },
          ),
        );
      }
    }
    return out;
  },
});
