import { defineRule, report } from '../evaluate/rule.js';

export const ltcAccess = defineRule({
  id: 'LTC-ACCESS',
  title: 'Long-term care pharmacies in the network of plans with members',
  citation: '42 CFR 423.120(a)(5)',
  defaultSeverity: 'minor',
  description:
    'Part D sponsors must give convenient access to long-term care pharmacies for members in long-term care facilities. The rosters can show whether a plan has any: a plan with enrolled members (enrollment roster) and no in-network long-term care pharmacy (network role ltc, or pharmacy service type 05) is reported. CMS sets no count or distance, and a sponsor may contract LTC pharmacies its rosters do not list, so this is a data signal, not a measured standard. Not evaluated without an enrollment roster.',
  messages: {
    noLtcPharmacy:
      'Plan {plan}: {members} enrolled members and no in-network long-term care pharmacy on the rosters.',
  },
  remediation:
    "Add the plan's long-term care pharmacies to the network roster (role ltc) and the pharmacy roster (service type 05), or contract with LTC pharmacies serving the plan's area.",
  check({ retailAccess }) {
    if (retailAccess.status !== 'evaluated') return [];
    const out = [];
    for (const p of retailAccess.ltc) {
      if (p.ltcPharmacies > 0 || !p.members) continue;
      out.push(
        report(
          'noLtcPharmacy',
          { contractId: p.contractId, pbpId: p.pbpId, segmentId: p.segmentId },
          { plan: `${p.contractId}-${p.pbpId}-${p.segmentId}`, members: p.members },
          { ltcPharmacies: 0, members: p.members },
        ),
      );
    }
    return out;
  },
});
