import { ZIP_CLASSES } from '../domain/types.js';
import { defineRule, report } from '../evaluate/rule.js';

const pct = (share: number): string => `${(Math.floor(share * 1000) / 10).toFixed(1)} %`;

export const retailAccess = defineRule({
  id: 'RETAIL-ACCESS',
  title: 'Retail pharmacies within 2 / 5 / 15 miles of members (convenient access)',
  citation: '42 CFR 423.120(a)(1)',
  defaultSeverity: 'major',
  description:
    'Per plan and State, of the enrolled members (enrollment roster, placed at their ZIP centroid) in urban, suburban and rural ZIPs, at least 90 %, 90 % and 70 % must live within 2, 5 and 15 miles (great-circle, ZIP centroid to ZIP centroid, the limit included) of an in-network retail pharmacy (network role retail, or the CMS network file with PHARMACY_RETAIL = Y; pharmacies the pharmacy roster types as home infusion, long-term care or mail order do not count). The class of each ZIP comes from the ZIP class file the policy names (retailAccess.zipClassesFile): CMS applies the TRICARE definitions by ZIP population density; the tool ships none. Members whose ZIP has no class, or who have no usable ZIP, are not judged: their plan-State row is INCOMPLETE and so is the run. Not evaluated at all without an enrollment roster.',
  messages: {
    belowStandard:
      'Plan {plan}, {state}: {share} of {members} members in {zipClass} ZIPs live within {miles} miles of an in-network retail pharmacy, below the {standard} % standard.',
    notJudged:
      'Plan {plan}, {state}: {count} members were not judged against the standard ({unclassified} in ZIPs with no urban / suburban / rural class, {unlocated} with no usable ZIP).',
    unlocatedPharmacies:
      'Plan {plan}: {count} of its {total} in-network retail pharmacies have no usable ZIP and were not placed, so the shares are lower bounds.',
  },
  remediation:
    'Contract with retail pharmacies near the members who are out of reach (the Retail access sheet lists the plan, State and class), or correct the enrollment, network or ZIP class data; members not judged need a ZIP class file covering their ZIPs (retailAccess.zipClassesFile) or a 5-digit ZIP of residence.',
  check({ retailAccess }) {
    const out = [];
    if (retailAccess.status !== 'evaluated') return [];
    const seenPlans = new Set<string>();
    for (const row of retailAccess.rows) {
      const plan = `${row.contractId}-${row.pbpId}-${row.segmentId}`;
      const subject = { contractId: row.contractId, pbpId: row.pbpId, segmentId: row.segmentId };
      for (const c of ZIP_CLASSES) {
        const f = row[c];
        if (f.meets !== false || f.share === null) continue;
        out.push({
          ...report(
            'belowStandard',
            subject,
            {
              plan,
              state: row.state,
              share: pct(f.share),
              members: f.members,
              zipClass: c,
              miles: f.miles,
              standard: f.standardPercent,
            },
            {
              state: row.state,
              zipClass: c,
              members: f.members,
              membersWithin: f.within,
              miles: f.miles,
              standardPercent: f.standardPercent,
              retailPharmacies: row.retailPharmacies,
            },
          ),
          keyExtra: `${row.state}|${c}`,
        });
      }
      const notJudged = row.unclassifiedMembers + row.unlocatedMembers;
      if (notJudged > 0) {
        out.push({
          ...report(
            'notJudged',
            subject,
            {
              plan,
              state: row.state,
              count: notJudged,
              unclassified: row.unclassifiedMembers,
              unlocated: row.unlocatedMembers,
            },
            {
              state: row.state,
              unclassifiedMembers: row.unclassifiedMembers,
              unlocatedMembers: row.unlocatedMembers,
            },
          ),
          keyExtra: `${row.state}|not_judged`,
          // The run is INCOMPLETE for these members (engine): the finding itself only informs.
          maxSeverity: 'info' as const,
        });
      }
      if (row.unlocatedPharmacies > 0 && !seenPlans.has(plan)) {
        seenPlans.add(plan);
        out.push({
          ...report(
            'unlocatedPharmacies',
            subject,
            { plan, count: row.unlocatedPharmacies, total: row.retailPharmacies },
            {
              unlocatedPharmacies: row.unlocatedPharmacies,
              retailPharmacies: row.retailPharmacies,
            },
          ),
          keyExtra: 'unlocated_pharmacies',
          maxSeverity: 'minor' as const,
        });
      }
    }
    return out;
  },
});
