/**
 * The Methodology sheet's words: the definitions the audit applies and what each policy setting
 * means. Kept as data so other renderings (a future HTML page, `guide`) say the same thing.
 */
import type { Policy } from '../domain/policy.js';
import { milesText, policyShareText } from '../rules/hi-distance.js';

export const DEFINITIONS: readonly { term: string; definition: string }[] = [
  {
    term: 'As-of date (D)',
    definition:
      "The calendar date the audit describes, read in the policy's time zone. Every roster fact is taken as it stood on D.",
  },
  {
    term: 'Membership active on D',
    definition:
      "A pharmacy's network membership for a plan (contract, PBP, segment) counts when its effective date is on or before D and it has no termination date or a termination date on or after D (the termination date is the membership's last day). Only memberships with the home infusion role make a pharmacy an in-network home infusion (HI) pharmacy.",
  },
  {
    term: 'Serves',
    definition:
      "A pharmacy serves a county when the county's 5-digit FIPS code is in the pharmacy's counties-served list; a pharmacy that lists none serves its own county.",
  },
  {
    term: 'Covers',
    definition:
      'A pharmacy covers a plan x county x drug class when it is an in-network HI pharmacy of the plan on D, serves the county, and can dispense the class in usable form (mixed, ready to administer). Coverage is counted over the whole network: no single pharmacy has to cover every class.',
  },
  {
    term: 'Required classes',
    definition:
      'The drug classes every service-area county must have covered: the policy\'s requiredClasses list when set, otherwise every class of the catalog marked as a Part D network requirement. The CMS letter asks that the network in aggregate cover the "full range" of home infusion drugs, both short-term acute and long-term chronic therapies; the audit turns that into six required classes, the home infusion therapies Part D pays for and Part B does not cover at home: IV anti-infectives, IV antifungals, IV antivirals and parenteral nutrition for a temporary impairment (acute), alpha-1 proteinase inhibitor and immune globulin other than for primary immune deficiency (chronic). The catalog\'s other classes are optional Part D classes (hydration, antiemetics, enzyme replacement, biologics) or Part B external infusion pump classes (inotropes, pain pumps, continuous chemotherapy, prostacyclins, subcutaneous immune globulin for primary immune deficiency), which Part D does not require: a usable-form problem with one of them is reported at info and never fails the audit. A sponsor whose policy covers more lists them in requiredClasses (the six it keeps and the classes it adds); they are then checked like the six.',
  },
  {
    term: 'Usable form and sterile compounding',
    definition:
      'A capability counts only when the pharmacy marks it usable form (mixed, ready to administer) and, for a class that needs sterile compounding (catalog), the pharmacy compounds sterile preparations (USP <797>). Classes whose doses are admixed for each patient need compounding; alpha-1 proteinase inhibitor and immune globulin are infused from the vial or reconstituted per the product labeling, which is not sterile compounding, so a non-compounding pharmacy that marks them usable form covers them. The catalog gives the reason for every class.',
  },
  {
    term: 'Covered cell',
    definition:
      "A plan x service-area county x required class with at least the policy's minimum number of covering pharmacies (minPharmaciesPerClass). Coverage % = covered cells / required cells.",
  },
  {
    term: 'Drug-only pharmacy and assurance',
    definition:
      "An HI pharmacy that does not itself provide both nursing and supplies is drug-only; for every county it serves it needs a current written assurance from another entity (home health agency, VNA, nursing or HI agency) that arranges the missing services before dispensing. An assurance the pharmacy issues to itself (the entity's NPI is the pharmacy's, or its name is the pharmacy's name) does not count.",
  },
  {
    term: 'Not checked from rosters',
    definition:
      "Two requirements of the letter cannot be read from rosters and are not checked: that the sponsor's contracts oblige network pharmacies to ensure the professional services and supplies are in place before dispensing (only the assurances drug-only pharmacies hold are checked), and that a request is expedited when the physician asks for it (the roster records whether a request was expedited, not who asked). Review them from the contracts and the case files.",
  },
  {
    term: 'Verdict',
    definition:
      "INCOMPLETE when the audit cannot judge its scope (no plan in scope, no pharmacy roster in force, a roster file of the run failed to load): never a pass, whatever was found. Otherwise NON-COMPLIANT when a finding not excepted is at or above the policy's fail-on severity, else COMPLIANT. A plan with no service area, plan record or network roster is a DATA-COMPLETE finding (critical).",
  },
  {
    term: 'Citations',
    definition:
      "Each rule names what it enforces: the CMS letter, 42 CFR Part 423, or the 2008 final rule (CMS-4130-F, 73 FR 20486) and the home infusion pharmacy capability it lists. A rule or threshold marked sponsor policy (after-hours contact, the directions review age, accreditors, numeric minimums, roster age) is the sponsor's own standard, not a CMS requirement.",
  },
  {
    term: 'New, persisting, resolved',
    definition:
      'A finding is identified across runs by its rule and subject (plan, county, class, pharmacy, request). New: not in the previous run of the same scope. Persisting: also in it (first seen = the run date it first appeared). Resolved: in the previous run and gone now.',
  },
];

export const NUMERIC_MINIMUMS_NOTE =
  'No CMS rule sets a number or distance standard for home infusion pharmacies (42 CFR 423.120(a)(4) asks for "adequate access"). Every numeric minimum and time window in this report (pharmacies per county, pharmacies per class, the distance to care, directions age, roster age, expiring window) is the plan sponsor\'s own policy, not a CMS benchmark.';

/** Label and meaning of each policy setting, in display order. */
export const POLICY_SETTINGS: readonly { key: keyof Policy; label: string; meaning: string }[] = [
  { key: 'sponsorName', label: 'Sponsor name', meaning: 'Shown on reports.' },
  {
    key: 'failOn',
    label: 'Fail on',
    meaning: 'Findings at or above this severity make the run NON_COMPLIANT.',
  },
  {
    key: 'timeZone',
    label: 'Time zone',
    meaning: 'IANA zone in which the as-of date and coverage-request clocks are read.',
  },
  {
    key: 'requiredClasses',
    label: 'Required classes',
    meaning: "Drug classes every county must have; empty = the catalog's Part D-required classes.",
  },
  {
    key: 'minPharmaciesPerCounty',
    label: 'Minimum HI pharmacies per county',
    meaning: 'HI-ACCESS: HI pharmacies that must serve each service-area county (sponsor policy).',
  },
  {
    key: 'minPharmaciesPerClass',
    label: 'Minimum pharmacies per county and class',
    meaning:
      'HI-ACUTE / HI-CHRONIC: pharmacies that must cover each county x class (sponsor policy).',
  },
  {
    key: 'directionsMaxAgeDays',
    label: 'Directions maximum age (days)',
    meaning: 'HI-DIRECTIONS: the HI access directions must have been reviewed this recently.',
  },
  {
    key: 'staleRosterDays',
    label: 'Stale roster (days)',
    meaning: "DATA-STALE: the plan's latest network roster may be at most this old.",
  },
  {
    key: 'acceptRejectedRows',
    label: 'Rejected rows accepted',
    meaning:
      'Rejected rows the rosters in force may hold before the verdict is INCOMPLETE (0: any rejected row).',
  },
  {
    key: 'accreditors',
    label: 'Accepted accreditors',
    meaning: 'HI-ACCREDITATION: accreditations that count.',
  },
  {
    key: 'expiringWindowDays',
    label: 'Expiring window (days)',
    meaning: 'Assurances and accreditations expiring within this many days are flagged.',
  },
  {
    key: 'distance',
    label: 'Distance to care',
    meaning:
      "HI-DISTANCE: share of a plan's members in each service-area county that must live within the distance of an eligible pharmacy for each required class (sponsor policy).",
  },
  {
    key: 'retailAccess',
    label: 'ZIP class file',
    meaning:
      'RETAIL-ACCESS: the sponsor-supplied urban / suburban / rural class of each ZIP (retailAccess.zipClassesFile); none = no member is judged.',
  },
  {
    key: 'rules',
    label: 'Rule overrides',
    meaning: 'Per-rule severity and enabled overrides (rule id: setting).',
  },
];

/** A policy value as display text. */
export function policyValueText(policy: Policy, key: keyof Policy): string {
  if (key === 'retailAccess') return policy.retailAccess.zipClassesFile ?? '(none)';
  const v = policy[key];
  if (v === null) return key === 'requiredClasses' ? '(catalog Part D-required classes)' : '';
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.join(', ');
  if (key === 'distance') {
    // A run stored before the distance knobs existed has none.
    const d = policy.distance as Policy['distance'] | undefined;
    return d ? `${policyShareText(d.minShare)} within ${milesText(d.maxMiles)} miles` : '(not set)';
  }
  if (typeof v === 'object') {
    const entries = Object.entries(policy.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '(none)';
    return entries
      .map(([id, s]) => {
        const parts: string[] = [];
        if (s.severity !== undefined) parts.push(`severity ${s.severity}`);
        if (s.enabled !== undefined) parts.push(s.enabled ? 'enabled' : 'disabled');
        return `${id}: ${parts.join(', ') || 'default'}`;
      })
      .join('; ');
  }
  return String(v);
}

/**
 * What a report of a run stored before runs kept their report model says about it (Summary,
 * HTML, Markdown); null for every other run.
 */
export function recomputedNote(run: {
  ruleSetVersion: string;
  recomputedWith?: { ruleSetVersion: string; toolVersion: string };
}): string | null {
  const r = run.recomputedWith;
  if (!r) return null;
  return `Recomputed with rule set ${r.ruleSetVersion} (tool ${r.toolVersion}), not the run's own (rule set ${run.ruleSetVersion}): this run was stored before runs kept their report, so its coverage, request timeliness, exceptions, key pharmacies, recruitment and rule texts were evaluated again from the rosters as of its date when this report was written. Its findings, verdict and counts are the run's own.`;
}
