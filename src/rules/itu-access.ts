import { defineRule, report } from '../evaluate/rule.js';

/** Pharmacies named in one finding's message; the evidence lists them all. */
const NAMED = 10;

export const ituAccess = defineRule({
  id: 'ITU-ACCESS',
  title: 'I/T/U pharmacies in the service area are offered a contract',
  citation: '42 CFR 423.120(a)(6)',
  defaultSeverity: 'minor',
  description:
    "A Part D sponsor must offer standard contracts to all I/T/U pharmacies (Indian Health Service, Indian Tribe or Tribal organization, Urban Indian organization) in its service area. The regulation asks for an offer, which no roster records, so this is a sponsor check: per plan, the pharmacies the pharmacy roster marks I/T/U (column itu = Y) located in a county of the plan's service area (the pharmacy roster county) and in none of its networks on the date (network roster, any role, or the CMS network file) are named, for the sponsor to confirm a standard contract with the I/T/U addendum was offered. No PDE service type or NUCC taxonomy marks an I/T/U pharmacy: when no pharmacy of the roster says Y or N (no itu column, or every value blank) the rule is NOT EVALUATED, with an info finding saying so.",
  messages: {
    notInNetwork:
      'Plan {plan}: {count} I/T/U {pharmacies} in its service area {are} not in its network ({names}). Sponsor check: confirm a standard contract with the I/T/U addendum was offered to each.',
    partial:
      'I/T/U pharmacy access is checked only for the pharmacies the pharmacy roster marks Y or N: {blank} leave the itu column blank, and an I/T/U pharmacy among them is not seen. Fill the itu column (Y / N) of every pharmacy.',
    notEvaluated:
      'I/T/U pharmacy access is NOT EVALUATED: no pharmacy of the pharmacy roster in force says whether it is an I/T/U pharmacy (the itu column is missing or blank), and no service type or taxonomy code tells. Fill the itu column (Y / N) of the pharmacy roster.',
  },
  remediation:
    "Confirm and document that each named I/T/U pharmacy was offered the plan's standard contract with the I/T/U addendum (or contract it and list it on the network roster); mark every pharmacy of the pharmacy roster Y or N in its itu column.",
  check({ retailAccess, snapshot }) {
    const itu = retailAccess.itu;
    if (itu === null) return [];
    if (itu.status === 'no_attribute') {
      // (No plan with a service area in scope: nothing was to be evaluated.)
      if (snapshot.serviceAreas.length === 0) return [];
      return [
        { ...report('notEvaluated', {}, {}, { pharmaciesWithAttribute: 0 }), maxSeverity: 'info' },
      ];
    }
    const out = [];
    const blank = itu.pharmaciesWithoutAttribute ?? 0;
    if (blank > 0 && snapshot.serviceAreas.length > 0) {
      out.push({
        ...report(
          'partial',
          {},
          { blank: `${blank.toLocaleString('en-US')} ${blank === 1 ? 'pharmacy' : 'pharmacies'}` },
          {
            pharmaciesWithAttribute: itu.pharmaciesWithAttribute,
            pharmaciesWithoutAttribute: blank,
          },
        ),
        maxSeverity: 'info' as const,
      });
    }
    for (const row of itu.rows) {
      const missing = row.notInNetwork;
      if (missing.length === 0) continue;
      const names = missing.slice(0, NAMED).map((p) => `${p.name}, NPI ${p.npi}`);
      if (missing.length > NAMED) names.push(`and ${missing.length - NAMED} more`);
      out.push(
        report(
          'notInNetwork',
          { contractId: row.contractId, pbpId: row.pbpId, segmentId: row.segmentId },
          {
            plan: `${row.contractId}-${row.pbpId}-${row.segmentId}`,
            count: missing.length,
            pharmacies: missing.length === 1 ? 'pharmacy' : 'pharmacies',
            are: missing.length === 1 ? 'is' : 'are',
            names: names.join('; '),
          },
          {
            ituPharmaciesInArea: row.inArea,
            ituPharmaciesInNetwork: row.inNetwork,
            notInNetwork: missing.map((p) => p.npi),
            counties: [...new Set(missing.map((p) => p.countyFips))].sort(),
          },
        ),
      );
    }
    return out;
  },
});
