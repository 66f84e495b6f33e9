import { exceptionLabel } from '../domain/types.js';
import { daysBetween } from '../util/time.js';
import { exceptionStatus } from '../evaluate/exceptions.js';
import { pharmacyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const expiringSoon = defineRule({
  id: 'EXPIRING-SOON',
  title: 'Evidence and exceptions about to expire',
  citation: 'Sponsor policy (expiringWindowDays)',
  defaultSeverity: 'info',
  description:
    "Lists what is about to fail: for each plan, the accreditations of its in-network home infusion pharmacies and the assurances they hold that are current on the as-of date but expire within the policy's expiringWindowDays (default 60), and the exceptions of the register, in force, that expire within the same window. One finding per accreditation, assurance or exception, with the days left. Evidence that has already expired is reported by HI-ACCREDITATION / HI-ANCILLARY instead.",
  messages: {
    accreditation:
      'Plan {plan}: the {accreditors} accreditation of {pharmacy} expires on {expiresOn}, in {daysLeft} days.',
    assurance:
      'Plan {plan}: the assurance of {pharmacy} from {entity} ({services}) expires on {expiresOn}, in {daysLeft} days.',
    exception:
      'Exception {exception} (approved by {approvedBy}) expires on {expiresOn}, in {daysLeft} days; after that its findings count again.',
  },
  remediation:
    'Renew before the expiry date: obtain the new accreditation certificate or assurance and re-import the roster, or have the exception reviewed and re-approved (or the deviation fixed) before it lapses.',
  check({ snapshot, policy, index }) {
    const asOf = snapshot.asOf;
    const window = policy.expiringWindowDays;
    const within = (date: string | null): number | null => {
      if (date === null) return null;
      const d = daysBetween(asOf, date);
      return d >= 0 && d <= window ? d : null;
    };
    const out = [];
    for (const plan of index.plans.values()) {
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        if (!pharmacy) continue;
        const subject = { ...planSubject(plan), npi };
        const accDays =
          pharmacy.accreditations.length > 0 ? within(pharmacy.accreditationExpires) : null;
        if (accDays !== null) {
          out.push({
            ...report(
              'accreditation',
              subject,
              {
                plan: plan.key,
                pharmacy: pharmacyLabel(pharmacy),
                accreditors: pharmacy.accreditations.join('/'),
                expiresOn: pharmacy.accreditationExpires!,
                daysLeft: accDays,
              },
              {
                kind: 'accreditation',
                item: pharmacy.accreditations.join('|'),
                expiresOn: pharmacy.accreditationExpires,
                daysLeft: accDays,
              },
            ),
            keyExtra: 'accreditation',
          });
        }
        for (const a of index.activeAssurancesByNpi.get(npi) ?? []) {
          const days = within(a.expirationDate);
          if (days === null) continue;
          out.push({
            ...report(
              'assurance',
              subject,
              {
                plan: plan.key,
                pharmacy: pharmacyLabel(pharmacy),
                entity: a.entityName,
                services: a.services.join(', '),
                expiresOn: a.expirationDate!,
                daysLeft: days,
              },
              {
                kind: 'assurance',
                item: a.entityName,
                services: a.services,
                expiresOn: a.expirationDate,
                daysLeft: days,
              },
            ),
            keyExtra: `assurance|${a.entityName}|${a.effectiveDate}`,
          });
        }
      }
    }
    for (const e of snapshot.exceptions ?? []) {
      if (exceptionStatus(e, asOf) !== 'in_force') continue;
      const days = within(e.expiresOn);
      if (days === null) continue;
      const label = exceptionLabel(e);
      out.push({
        ...report(
          'exception',
          {
            contractId: e.contractId,
            pbpId: e.pbpId,
            countyFips: e.countyFips,
            drugClass: e.drugClass,
            npi: e.npi,
          },
          {
            exception: label,
            approvedBy: e.approvedBy,
            expiresOn: e.expiresOn,
            daysLeft: days,
          },
          {
            kind: 'exception',
            item: label,
            exceptionRuleId: e.ruleId,
            rationale: e.rationale,
            expiresOn: e.expiresOn,
            daysLeft: days,
          },
        ),
        keyExtra: `exception|${e.ruleId}`,
      });
    }
    return out;
  },
});
