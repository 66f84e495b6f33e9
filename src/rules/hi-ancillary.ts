import type { AncillaryService, Assurance, Pharmacy } from '../domain/types.js';
import {
  countyLabel,
  listText,
  normalizedName,
  pharmacyLabel,
  planSubject,
} from '../evaluate/helpers.js';
import { defineRule, report } from '../evaluate/rule.js';

export const hiAncillary = defineRule({
  id: 'HI-ANCILLARY',
  title: 'Drug-only pharmacies hold assurances for nursing and supplies',
  citation:
    '42 CFR 423.120(a)(4)(iii) (2008 final rule CMS-4130-F, 73 FR 20486: services and supplies in place before dispensing); 42 CFR 423.153(c)',
  defaultSeverity: 'major',
  description:
    "An in-network home infusion pharmacy that does not itself provide nursing, or does not itself provide supplies, must hold a written assurance, in force on the as-of date, from another entity (home health agency, VNA, nursing or home infusion agency) that arranges each missing service, in every county of the plan's service area that the pharmacy serves. An assurance listing '*' covers every county the pharmacy serves. An assurance the pharmacy issues to itself does not count: its entity NPI is the pharmacy's NPI, or its entity name is the pharmacy's name (compared without case, punctuation or legal suffixes such as Inc. or LLC). A pharmacy with no assurance at all for a service it lacks is reported even when the plan has no service area on file (or the pharmacy serves none of its counties). The CMS letter treats obtaining these assurances as a minimum quality-assurance requirement under 42 CFR 423.153(c).",
  messages: {
    noAssurance:
      'Plan {plan}: {pharmacy} does not provide {services} itself and holds no assurance in force for them.',
    countiesUncovered:
      'Plan {plan}: {pharmacy} does not provide {services} itself and has no assurance in force covering {gaps}.',
    serviceUnassured:
      'Plan {plan}: {pharmacy} does not provide {services} itself and holds no assurance in force for {unassured} in any county.',
    selfIssued:
      'Plan {plan}: {pharmacy} does not provide {services} itself; its assurance(s) in force for them do not count, since an assurance must come from another entity: {own}.',
  },
  remediation:
    'Obtain (or renew) a written assurance from a home health agency, VNA or other entity that arranges the missing services in each listed county, record it in the assurances roster with its counties and dates, and re-import; or stop directing members in those counties to this pharmacy.',
  check({ snapshot, index }) {
    /** Why an assurance is the pharmacy's own (not from another entity), or null when it is not. */
    const selfIssued = (a: Assurance, p: Pharmacy): string | null =>
      a.entityNpi !== null && a.entityNpi === p.npi
        ? `its entity NPI ${a.entityNpi} is the pharmacy's`
        : normalizedName(a.entityName) === normalizedName(p.name)
          ? `its entity "${a.entityName}" is the pharmacy itself by name`
          : null;
    const out = [];
    for (const plan of index.plans.values()) {
      const area = new Set(plan.serviceCounties);
      for (const npi of plan.hiNpis) {
        const pharmacy = snapshot.pharmacies.get(npi);
        if (!pharmacy) continue;
        const missing: AncillaryService[] = [];
        if (!pharmacy.providesNursing) missing.push('nursing');
        if (!pharmacy.providesSupplies) missing.push('supplies');
        if (missing.length === 0) continue;
        const counties = [...(index.countiesByNpi.get(npi) ?? [])]
          .filter((c) => area.has(c))
          .sort();
        const inForce = index.activeAssurancesByNpi.get(npi) ?? [];
        // Only an assurance from ANOTHER entity counts (the letter's words).
        const own = inForce.filter(
          (a) => a.services.some((s) => missing.includes(s)) && selfIssued(a, pharmacy) !== null,
        );
        const assurances = inForce.filter((a) => selfIssued(a, pharmacy) === null);
        const relevant = assurances.filter((a) => a.services.some((s) => missing.includes(s)));
        // A pharmacy with no assurance at all for a service it lacks is a finding wherever it
        // serves, even for a plan with no service area on file (nothing depends on counties).
        const unassured = missing.filter((s) => !relevant.some((a) => a.services.includes(s)));
        if (counties.length === 0 && unassured.length === 0) continue;
        const gaps: string[] = counties.length === 0 ? unassured.map((s) => `${s}:*`) : [];
        const gapLabels: string[] = [];
        for (const service of counties.length === 0 ? [] : missing) {
          const everywhere = assurances.some(
            (a) => a.services.includes(service) && a.counties.includes('*'),
          );
          if (everywhere) continue;
          const covered = new Set<string>();
          for (const a of assurances) {
            if (a.services.includes(service)) for (const c of a.counties) covered.add(c);
          }
          const uncovered = counties.filter((c) => !covered.has(c));
          for (const c of uncovered) gaps.push(`${service}:${c}`);
          if (uncovered.length > 0) {
            gapLabels.push(
              `${service} in ${listText(uncovered.map((c) => countyLabel(snapshot, c)))}`,
            );
          }
        }
        if (gaps.length === 0) continue;
        const messageId =
          relevant.length === 0 && own.length > 0
            ? 'selfIssued'
            : relevant.length === 0
              ? 'noAssurance'
              : counties.length === 0
                ? 'serviceUnassured'
                : 'countiesUncovered';
        out.push(
          report(
            messageId,
            { ...planSubject(plan), npi },
            {
              plan: plan.key,
              pharmacy: pharmacyLabel(pharmacy),
              services: listText(missing),
              gaps: gapLabels.join('; '),
              unassured: listText(unassured),
              own: own.map((a) => `${a.entityName} (${selfIssued(a, pharmacy) ?? ''})`).join('; '),
            },
            {
              providesNursing: pharmacy.providesNursing,
              providesSupplies: pharmacy.providesSupplies,
              countiesChecked: counties,
              uncovered: gaps,
              assurancesInForce: assurances.map((a) => a.entityName),
              selfIssuedAssurances: own.map((a) => a.entityName),
              serviceAreaCounties: area.size,
            },
          ),
        );
      }
    }
    return out;
  },
});
