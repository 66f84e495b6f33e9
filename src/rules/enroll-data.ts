import type { NetworkSnapshot } from '../domain/types.js';
import { countyLabel, planSubject } from '../evaluate/helpers.js';
import { FIPS_STATE } from '../roster/validate.js';
import { defineRule, report, type RuleReport } from '../evaluate/rule.js';

type MessageId = 'outsideArea' | 'unknownPlan' | 'noEnrollment';

const count = (n: number): string => n.toLocaleString('en-US');
const members = (n: number): string => `${count(n)} ${n === 1 ? 'member' : 'members'}`;

/** Counties named in an outsideArea finding's message and evidence (the largest first). */
const LARGEST_SHOWN = 5;

/** 'Lake (17097)': a county within a finding that names its State already. */
function shortCountyLabel(snapshot: NetworkSnapshot, fips: string): string {
  const c = snapshot.counties.get(fips);
  return c ? `${c.name} (${fips})` : fips;
}

/** A county's USPS State code: the county reference's, else its FIPS prefix's, else '??'. */
function stateOf(snapshot: NetworkSnapshot, fips: string): string {
  return snapshot.counties.get(fips)?.state ?? FIPS_STATE[fips.slice(0, 2)] ?? '??';
}

interface OutsideGroup {
  state: string;
  members: number;
  /** [county FIPS, members], most members first (then FIPS order). */
  counties: [string, number][];
}

/**
 * A plan's members in counties outside its service area, grouped by State (State order): one
 * outsideArea finding per plan and State, however many counties (a national extract over a
 * regional plan names thousands).
 */
function outsideByState(
  snapshot: NetworkSnapshot,
  area: ReadonlySet<string>,
  counties: ReadonlyMap<string, number>,
): OutsideGroup[] {
  const byState = new Map<string, OutsideGroup>();
  for (const [fips, n] of counties) {
    if (n === 0 || area.has(fips)) continue;
    const state = stateOf(snapshot, fips);
    let g = byState.get(state);
    if (g === undefined) byState.set(state, (g = { state, members: 0, counties: [] }));
    g.members += n;
    g.counties.push([fips, n]);
  }
  const groups = [...byState.values()].sort((a, b) => compare(a.state, b.state));
  for (const g of groups) g.counties.sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
  return groups;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const enrollData = defineRule({
  id: 'ENROLL-DATA',
  title: 'The enrollment roster matches the plans and their service areas',
  citation: 'Sponsor policy (data quality: members affected)',
  defaultSeverity: 'minor',
  description:
    "Members affected are only as good as the enrollment roster. When an enrollment roster has been imported, this rule reports: members living in counties outside their plan's service area, one finding per plan and State with its members, its counties and the five with the most members (the service area roster may be missing a county, whose gaps are then never checked; or the extract is wrong); enrollment for a plan that has no plan record, service area or home infusion network in scope (its members are counted nowhere); and a plan in scope with no enrollment rows (its members affected are not computed). Without any enrollment roster nothing is reported here: every report says members affected are not computed.",
  messages: {
    outsideArea:
      "Plan {plan}, {state}: the enrollment roster counts {members} in {counties} outside the plan's service area ({largest}); their coverage is not checked for the plan.",
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
      for (const group of outsideByState(snapshot, area, counties)) {
        const shown = group.counties.slice(0, LARGEST_SHOWN);
        const rest = group.counties.length - shown.length;
        const names = shown.map(([fips, n]) => `${shortCountyLabel(snapshot, fips)}: ${count(n)}`);
        const countiesText = `${group.counties.length.toLocaleString('en-US')} ${
          group.counties.length === 1 ? 'county' : 'counties'
        }`;
        out.push({
          ...report(
            'outsideArea',
            planSubject(plan),
            {
              plan: plan.key,
              state: group.state,
              members: members(group.members),
              counties: countiesText,
              largest: names.join('; ') + (rest > 0 ? `; and ${count(rest)} more` : ''),
            },
            {
              state: group.state,
              membersOutsideArea: group.members,
              countiesOutsideArea: group.counties.length,
              largestCounties: shown.map(
                ([fips, n]) => `${countyLabel(snapshot, fips)}: ${count(n)}`,
              ),
              serviceAreaCounties: plan.serviceCounties.length,
            },
          ),
          keyExtra: group.state,
        });
      }
    }
    for (const [key, counties] of [...index.members.byPlan].sort(([a], [b]) => compare(a, b))) {
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
