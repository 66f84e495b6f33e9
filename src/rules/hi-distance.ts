import { classLabel, countyLabel, planSubject } from '../evaluate/helpers.js';
import { meetsShare } from '../evaluate/distance.js';
import { defineRule, report } from '../evaluate/rule.js';

/** 1240 -> '1,240'. */
const count = (n: number): string => n.toLocaleString('en-US');

/** Share as a percentage with one decimal, rounded down (89.96 % is 89.9 %, never 90.0 %). */
export function shareText(within: number, total: number): string {
  return `${(Math.floor((within * 1000) / total) / 10).toFixed(1)} %`;
}

/** 0.9 -> '90 %', 0.875 -> '87.5 %'. */
export function policyShareText(minShare: number): string {
  return `${Number((minShare * 100).toFixed(4))} %`;
}

/** 60 -> '60', 12.5 -> '12.5'. */
export function milesText(miles: number): string {
  return String(Number(miles.toFixed(2)));
}

export const hiDistance = defineRule({
  id: 'HI-DISTANCE',
  title: 'Members live within the policy distance of a home infusion pharmacy',
  citation: 'Sponsor policy (distance); 42 CFR 423.120(a)(4) sets no distance',
  defaultSeverity: 'major',
  description:
    "For each plan, service-area county and required class, the share of the plan's enrolled members (enrollment roster, placed at their ZIP's centroid, or their county's when no ZIP is known) who live within the policy's maxMiles (great-circle) of an in-network home infusion pharmacy that serves their county and can dispense the class in usable form (placed at its ZIP's centroid) must be at least the policy's minShare. The distance and share are sponsor policy: CMS sets no distance standard for home infusion. Members and pharmacies that cannot be placed, and members outside the plan's service area, are counted and reported. Without an enrollment roster the rule is not evaluated and the report says so.",
  messages: {
    belowShare:
      'Plan {plan}: {share} of {members} members in {county} live within {maxMiles} miles of an in-network pharmacy that can dispense {class}; the farthest member location is {farthest} miles from its nearest; policy {minShare} within {maxMiles} miles.',
    noPharmacy:
      'Plan {plan}: none of the {members} members in {county} can be measured to a pharmacy that can dispense {class}: {reason}; policy {minShare} within {maxMiles} miles.',
    membersUnlocated:
      'Plan {plan}: {members} enrolled members ({rows} enrollment rows) could not be placed (no county, or neither their ZIP nor their county is in the reference); they are left out of the distance shares.',
    membersOutsideArea:
      "Plan {plan}: {members} enrolled members live in {counties} counties outside the plan's service area; no distance to care is computed for them.",
    pharmacyUnlocated:
      '{pharmacy}: ZIP {zip} is not in the ZIP reference, so the pharmacy is left out of the distances of {cells} plan x county x class cells where it is eligible.',
  },
  remediation:
    "Contract a home infusion pharmacy nearer the members (the Distance sheet shows the counties and classes farthest from care), or extend a nearer in-network pharmacy's service counties or capabilities; fix enrollment ZIPs and pharmacy ZIPs the reference does not know.",
  check({ snapshot, index, distance }) {
    if (distance.status !== 'evaluated') return [];
    const { maxMiles, minShare } = distance;
    const policyData = { maxMiles: milesText(maxMiles), minShare: policyShareText(minShare) };
    const out = [];
    for (const c of distance.cells) {
      if (c.membersLocated === 0 || meetsShare(c.membersWithin, c.membersLocated, minShare)) {
        continue;
      }
      // No eligible pharmacy at all is a coverage gap, already a finding of HI-ACCESS /
      // HI-ACUTE / HI-CHRONIC with its members affected (and its exception, if any): reporting
      // it again here would count one gap twice. The Distance sheet still shows the cell.
      if (c.eligiblePharmacies === 0) continue;
      const plan = index.plans.get(`${c.contractId}-${c.pbpId}-${c.segmentId}`)!;
      const subject = { ...planSubject(plan), countyFips: c.countyFips, drugClass: c.drugClass };
      const evidence = {
        members: c.members,
        membersLocated: c.membersLocated,
        membersWithin: c.membersWithin,
        share: c.membersWithin / c.membersLocated,
        maxMiles,
        minShare,
        eligiblePharmacies: c.eligiblePharmacies,
        locatedPharmacies: c.locatedPharmacies,
        farthestMiles: c.farthestMiles,
        shareMiles: c.shareMiles,
      };
      const base = {
        plan: plan.key,
        county: countyLabel(snapshot, c.countyFips),
        class: classLabel(index.catalog.get(c.drugClass), c.drugClass),
        members: count(c.membersLocated),
        ...policyData,
      };
      if (c.farthestMiles === null) {
        const reason = `the ZIP of its ${c.eligiblePharmacies === 1 ? 'one eligible pharmacy is' : `${c.eligiblePharmacies} eligible pharmacies are`} not in the ZIP reference`;
        out.push(report('noPharmacy', subject, { ...base, reason }, evidence));
      } else {
        out.push(
          report(
            'belowShare',
            subject,
            {
              ...base,
              share: shareText(c.membersWithin, c.membersLocated),
              farthest: milesText(c.farthestMiles),
            },
            evidence,
          ),
        );
      }
    }
    for (const p of distance.plans) {
      const plan = `${p.contractId}-${p.pbpId}-${p.segmentId}`;
      const subject = { contractId: p.contractId, pbpId: p.pbpId, segmentId: p.segmentId };
      if (p.membersUnlocated > 0) {
        out.push({
          ...report(
            'membersUnlocated',
            subject,
            { plan, members: count(p.membersUnlocated), rows: count(p.rowsUnlocated) },
            { members: p.membersUnlocated, rows: p.rowsUnlocated, planMembers: p.members },
          ),
          keyExtra: 'unlocated',
          maxSeverity: 'minor' as const,
        });
      }
      if (p.membersOutsideArea > 0) {
        out.push({
          ...report(
            'membersOutsideArea',
            subject,
            { plan, members: count(p.membersOutsideArea), counties: count(p.countiesOutsideArea) },
            {
              members: p.membersOutsideArea,
              counties: p.countiesOutsideArea,
              planMembers: p.members,
            },
          ),
          keyExtra: 'outside-area',
          maxSeverity: 'minor' as const,
        });
      }
    }
    for (const u of distance.unlocatedPharmacies) {
      out.push({
        ...report(
          'pharmacyUnlocated',
          { npi: u.npi },
          {
            pharmacy: u.name ? `${u.name} (NPI ${u.npi})` : `NPI ${u.npi}`,
            zip: u.zip || '(none)',
            cells: count(u.cells),
          },
          { zip: u.zip, cells: u.cells },
        ),
        maxSeverity: 'minor' as const,
      });
    }
    return out;
  },
});
