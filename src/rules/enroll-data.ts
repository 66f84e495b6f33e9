import { countyLabel, planSubject } from '../evaluate/helpers.js';
import { defineRule, report, type RuleReport } from '../evaluate/rule.js';

type MessageId = 'outsideArea' | 'unknownPlan' | 'noEnrollment';

const members = (n: number): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? 'member' : 'members'}`;

export const enrollData = defineRule({
  id: 'ENROLL-DATA',
  title: 'The enrollment roster matches the plans and their service areas',
  citation: 'Sponsor policy (data quality: members affected)',
  defaultSeverity: 'minor',
  description:
    "Members affected are only as good as the enrollment roster. When an enrollment roster has been imported, this rule reports: members living in a county outside their plan's service area (the service area roster may be missing a county, whose gaps are then never checked; or the extract is wrong); enrollment for a plan that has no plan record, service area or home infusion network in scope (its members are counted nowhere); and a plan in scope with no enrollment rows (its members affected are not computed). Without any enrollment roster nothing is reported here: every report says members affected are not computed.",
  messages: {
    outsideArea:
      "Plan {plan}: the enrollment roster counts {members} in {county}, outside the plan's service area; that county's coverage is not checked for the plan.",
    unknownPlan:
      'The enrollment roster counts {members} for plan {plan}, which has no plan record, service area or home infusion network in scope; they are counted nowhere.',
    noEnrollment:
      'Plan {plan}: the enrollment roster lists no members for this plan, so its members affected are not computed.',
  },
  remediation:
    "Compare the enrollment extract with the plans and service area rosters: add the missing service-area counties (or correct the members' county or ZIP), load enrollment for every plan in scope, and re-import.",
  check({ snapshot, index }) {
    const out: (RuleReport & { messageId: MessageId })[] = [];
    if (!index.members.computed) return out;
    for (const plan of index.plans.values()) {
      const counties = index.members.byPlan.get(plan.key);
      if (counties === undefined) {
        out.push(
          report('noEnrollment', planSubject(plan), { plan: plan.key }, { enrollmentRows: 0 }),
        );
        continue;
      }
      const area = new Set(plan.serviceCounties);
      for (const [county, n] of [...counties].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (area.has(county) || n === 0) continue;
        out.push(
          report(
            'outsideArea',
            { ...planSubject(plan), countyFips: county },
            { plan: plan.key, county: countyLabel(snapshot, county), members: members(n) },
            { membersOutsideArea: n, serviceAreaCounties: plan.serviceCounties.length },
          ),
        );
      }
    }
    for (const [key, counties] of [...index.members.byPlan].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )) {
      if (index.plans.has(key)) continue;
      const [contractId, pbpId, segmentId] = key.split('-');
      let total = 0;
      for (const n of counties.values()) total += n;
      out.push(
        report(
          'unknownPlan',
          { contractId: contractId ?? null, pbpId: pbpId ?? null, segmentId: segmentId ?? null },
          { plan: key, members: members(total) },
          { membersOfUnknownPlan: total, counties: counties.size },
        ),
      );
    }
    return out;
  },
});
