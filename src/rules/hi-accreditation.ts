import { listText, pharmacyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiAccreditation = defineRule({
  id: 'HI-ACCREDITATION',
  title: 'Home infusion pharmacies hold a current accepted accreditation',
  citation: 'Sponsor policy (accreditors: policy.accreditors)',
  defaultSeverity: 'minor',
  description:
    "Every in-network home infusion pharmacy must hold an accreditation from one of the accreditors the sponsor's policy accepts (policy.accreditors; by default ACHC, The Joint Commission and CHAP), not expired on the as-of date (the expiration date is the last valid day). An accreditation without a recorded expiration date cannot be shown to be current and is reported. This is sponsor policy, not a CMS requirement.",
  messages: {
    noAcceptedAccreditation:
      'Plan {plan}: {pharmacy} holds no accreditation from an accepted accreditor ({accepted}); it holds {held}.',
    expired: 'Plan {plan}: {pharmacy} accreditation ({held}) expired on {expires}.',
    expiryUnknown:
      'Plan {plan}: {pharmacy} accreditation ({held}) has no recorded expiration date, so it cannot be shown to be current.',
  },
  remediation:
    "Obtain the pharmacy's current accreditation certificate (accreditor and expiration date) and update the pharmacy roster; if it is not accredited by an accepted body, follow the sponsor's credentialing exception process.",
  check({ snapshot, policy, index }) {
    const accepted = new Set(policy.accreditors);
    const acceptedText = listText(policy.accreditors);
    const out = [];
    for (const plan of index.plans.values()) {
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        if (!pharmacy) continue;
        const held = pharmacy.accreditations.filter((a) => accepted.has(a));
        const expires = pharmacy.accreditationExpires;
        let messageId: 'noAcceptedAccreditation' | 'expired' | 'expiryUnknown';
        if (held.length === 0) messageId = 'noAcceptedAccreditation';
        else if (expires === null) messageId = 'expiryUnknown';
        else if (expires < index.asOf) messageId = 'expired';
        else continue;
        out.push(
          report(
            messageId,
            { ...planSubject(plan), npi },
            {
              plan: plan.key,
              pharmacy: pharmacyLabel(pharmacy),
              accepted: acceptedText,
              held:
                (held.length > 0 ? held : pharmacy.accreditations).join(', ') || 'no accreditation',
              expires: expires ?? 'unknown',
            },
            {
              accreditations: [...pharmacy.accreditations],
              acceptedAccreditors: [...policy.accreditors],
              accreditationExpires: expires,
            },
          ),
        );
      }
    }
    return out;
  },
});
