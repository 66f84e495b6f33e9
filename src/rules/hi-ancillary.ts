import type { AncillaryService } from '../domain/types.js';
import { countyLabel, listText, pharmacyLabel, planSubject } from './helpers.js';
import { defineRule, report } from './rule.js';

export const hiAncillary = defineRule({
  id: 'HI-ANCILLARY',
  title: 'Drug-only pharmacies hold assurances for nursing and supplies',
  citation: '42 CFR 423.120(a)(4)(iii); 42 CFR 423.153(c)',
  defaultSeverity: 'major',
  description:
    "An in-network home infusion pharmacy that does not itself provide nursing, or does not itself provide supplies, must hold a written assurance, in force on the as-of date, from another entity (home health agency, VNA, nursing or home infusion agency) that arranges each missing service, in every county of the plan's service area that the pharmacy serves. An assurance listing '*' covers every county the pharmacy serves. The CMS letter treats obtaining these assurances as a minimum quality-assurance requirement under 42 CFR 423.153(c).",
  messages: {
    noAssurance:
      'Plan {plan}: {pharmacy} does not provide {services} itself and holds no assurance in force for them.',
    countiesUncovered:
      'Plan {plan}: {pharmacy} does not provide {services} itself and has no assurance in force covering {gaps}.',
  },
  remediation:
    'Obtain (or renew) a written assurance from a home health agency, VNA or other entity that arranges the missing services in each listed county, record it in the assurances roster with its counties and dates, and re-import; or stop directing members in those counties to this pharmacy.',
  check({ snapshot, index }) {
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
        if (counties.length === 0) continue;
        const assurances = index.activeAssurancesByNpi.get(npi) ?? [];
        const gaps: string[] = [];
        const gapLabels: string[] = [];
        for (const service of missing) {
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
        const relevant = assurances.filter((a) => a.services.some((s) => missing.includes(s)));
        out.push(
          report(
            relevant.length === 0 ? 'noAssurance' : 'countiesUncovered',
            { ...planSubject(plan), npi },
            {
              plan: plan.key,
              pharmacy: pharmacyLabel(pharmacy),
              services: listText(missing),
              gaps: gapLabels.join('; '),
            },
            {
              providesNursing: pharmacy.providesNursing,
              providesSupplies: pharmacy.providesSupplies,
              countiesChecked: counties,
              uncovered: gaps,
              assurancesInForce: assurances.map((a) => a.entityName),
            },
          ),
        );
      }
    }
    return out;
  },
});
