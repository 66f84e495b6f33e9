/**
 * Figures derived from the model that every report format shows the same way.
 */
import type { Policy } from '../domain/policy.js';
import type { Plan, PlanKey, Severity, Verdict } from '../domain/types.js';
import { SEVERITIES, isExcepted, planKeyString, severityRank } from '../domain/types.js';
import { NO_ENROLLMENT_ROSTER } from '../evaluate/members.js';
import { DISTANCE_RULE_ID } from '../evaluate/distance.js';
import { TIMELY_RULE_ID } from '../rules/hi-timely.js';
import { findingPlan } from './format.js';
import type { ReportFinding, ReportModel, ReportRule } from './model.js';

export type RuleStatus = 'PASS' | 'NOTES' | 'FAIL' | 'DISABLED' | 'NOT EVALUATED';

export interface RuleResult {
  rule: ReportRule;
  /**
   * DISABLED when the policy turns the rule off; FAIL when it has at least one finding at or above
   * the policy's failOn severity (it makes the run non-compliant); NOTES when its only open
   * (not excepted) findings are below that severity; PASS when it has no open finding; NOT
   * EVALUATED when the rule could not run on the run's data (HI-DISTANCE without enrollment).
   */
  status: RuleStatus;
  counts: Record<Severity, number>;
  total: number;
  /** Findings with status 'new' (not in the previous run). */
  newCount: number;
  /** Findings excepted by an exception in force (counted in total; never make it FAIL). */
  excepted: number;
  /** Index in model.findings of the rule's first finding, or null when it has none. */
  firstIndex: number | null;
}

export function isFailing(severity: Severity, policy: Pick<Policy, 'failOn'>): boolean {
  return severityRank(severity) <= severityRank(policy.failOn);
}

function zeroCounts(): Record<Severity, number> {
  return { critical: 0, major: 0, minor: 0, info: 0 };
}

/** One result per rule of the model, in the model's rule order; findings of unknown rules last. */
export function ruleResults(model: ReportModel): RuleResult[] {
  const byRule = new Map<string, RuleResult>();
  const results: RuleResult[] = [];
  for (const rule of model.rules) {
    const r: RuleResult = {
      rule,
      status: !rule.enabled
        ? 'DISABLED'
        : (rule.id === DISTANCE_RULE_ID && model.distance.status !== 'evaluated') ||
            (rule.id === TIMELY_RULE_ID &&
              model.run.missing.some((m) => m.what === 'coverage_requests'))
          ? 'NOT EVALUATED'
          : 'PASS',
      counts: zeroCounts(),
      total: 0,
      newCount: 0,
      excepted: 0,
      firstIndex: null,
    };
    byRule.set(rule.id, r);
    results.push(r);
  }
  model.findings.forEach((f, i) => {
    let r = byRule.get(f.ruleId);
    if (!r) {
      r = {
        rule: {
          id: f.ruleId,
          title: f.ruleId,
          citation: '',
          defaultSeverity: f.severity,
          severity: f.severity,
          enabled: true,
          description: '',
          messages: {},
          remediation: f.remediation,
        },
        status: 'PASS',
        counts: zeroCounts(),
        total: 0,
        newCount: 0,
        excepted: 0,
        firstIndex: null,
      };
      byRule.set(f.ruleId, r);
      results.push(r);
    }
    r.counts[f.severity] += 1;
    r.total += 1;
    if (f.status === 'new') r.newCount += 1;
    r.firstIndex ??= i;
    if (isExcepted(f)) {
      r.excepted += 1;
      return;
    }
    if (r.status === 'DISABLED' || r.status === 'FAIL') return;
    r.status = isFailing(f.severity, model.run.policy) ? 'FAIL' : 'NOTES';
  });
  return results;
}

/** A plan's verdict and figures, for the per-plan table of the Summary. */
export interface PlanResult {
  key: PlanKey;
  /** `H2710-002-000`. */
  label: string;
  name: string | null;
  type: string | null;
  /** NON_COMPLIANT when the plan has an open finding at or above failOn; else the run's
   * INCOMPLETE, or COMPLIANT. */
  verdict: Verdict;
  /** Open (not excepted) findings per severity. */
  open: Record<Severity, number>;
  /** Covered / required county x class cells, or null when the plan has none. */
  coverage: number | null;
  /** Index in model.findings of the plan's first finding, or null. */
  firstIndex: number | null;
  /** Members of the plan (enrollment roster); null when not computed (see membersNote). */
  members: number | null;
  /** Members living in service-area counties with a coverage gap; null when not computed. */
  membersAffected: number | null;
  /** Why members are not computed ('no enrollment roster', ...); null when they are. */
  membersNote: string | null;
}

/** What a report shows for a count it could not compute: never 0. */
export function notComputed(why: string | null): string {
  return `not computed (${why ?? NO_ENROLLMENT_ROSTER})`;
}

/** One result per plan in scope (plans with a record first), in the model's order. */
export function planResults(model: ReportModel): PlanResult[] {
  const results = new Map<string, PlanResult>();
  const add = (key: PlanKey, plan: Plan | null): PlanResult => {
    const label = planKeyString(key);
    let r = results.get(label);
    if (!r) {
      r = {
        key: { contractId: key.contractId, pbpId: key.pbpId, segmentId: key.segmentId },
        label,
        name: plan?.planName ?? null,
        type: plan?.planType ?? null,
        verdict: 'COMPLIANT',
        open: zeroCounts(),
        coverage: null,
        firstIndex: null,
        members: null,
        membersAffected: null,
        membersNote: NO_ENROLLMENT_ROSTER,
      };
      results.set(label, r);
    }
    return r;
  };
  for (const p of model.plans) add(p, p);
  for (const k of model.planKeysWithoutRecord) add(k, null);
  const min = model.run.policy.minPharmaciesPerClass;
  const cells = new Map<string, { covered: number; required: number }>();
  for (const c of model.coverage.cells) {
    const label = planKeyString(c);
    const t = cells.get(label) ?? { covered: 0, required: 0 };
    t.required += 1;
    if (c.npis.length >= min) t.covered += 1;
    cells.set(label, t);
  }
  for (const [label, t] of cells) {
    const r = results.get(label);
    if (r && t.required > 0) r.coverage = t.covered / t.required;
  }
  for (const m of model.members?.plans ?? []) {
    const r = results.get(planKeyString(m));
    if (!r) continue;
    r.members = m.members;
    r.membersAffected = m.membersAffected;
    r.membersNote = m.notComputed;
  }
  model.findings.forEach((f, i) => {
    if (f.contractId === null || f.pbpId === null) return;
    const r = results.get(findingPlan(f));
    if (!r) return;
    r.firstIndex ??= i;
    if (isExcepted(f)) return;
    r.open[f.severity] += 1;
    if (isFailing(f.severity, model.run.policy)) r.verdict = 'NON_COMPLIANT';
  });
  if (model.run.verdict === 'INCOMPLETE') {
    for (const r of results.values()) if (r.verdict === 'COMPLIANT') r.verdict = 'INCOMPLETE';
  }
  return [...results.values()];
}

/** Open findings of one rule and severity, for "fix these first". */
export interface FindingGroup {
  ruleId: string;
  severity: Severity;
  count: number;
  /** Plan keys with such findings, in order of first appearance. */
  plans: string[];
  /** The group's first finding. */
  first: ReportFinding;
  firstIndex: number;
}

/**
 * The most severe open (not excepted) findings at or above the fail-on severity, grouped by rule
 * and severity, most severe then most numerous first; at most `max` groups.
 */
export function fixFirst(model: ReportModel, max = 8): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  model.findings.forEach((f, i) => {
    if (isExcepted(f) || !isFailing(f.severity, model.run.policy)) return;
    const key = `${f.severity}|${f.ruleId}`;
    let g = groups.get(key);
    if (!g) {
      g = { ruleId: f.ruleId, severity: f.severity, count: 0, plans: [], first: f, firstIndex: i };
      groups.set(key, g);
    }
    g.count += 1;
    const plan = findingPlan(f);
    if (plan !== '' && !g.plans.includes(plan)) g.plans.push(plan);
  });
  return [...groups.values()]
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.count - a.count)
    .slice(0, max);
}

/** Findings excepted by an exception in force. */
export function exceptedCount(model: ReportModel): number {
  return model.findings.filter((f) => isExcepted(f)).length;
}

export function severityTotals(model: ReportModel): Record<Severity, number> {
  const counts = zeroCounts();
  for (const f of model.findings) counts[f.severity] += 1;
  return counts;
}

export interface ChangeCounts {
  new: number;
  persisting: number;
  resolved: number;
}

export function changeCounts(model: ReportModel): ChangeCounts {
  let fresh = 0;
  for (const f of model.findings) if (f.status === 'new') fresh += 1;
  return {
    new: fresh,
    persisting: model.findings.length - fresh,
    resolved: model.resolved.length,
  };
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  major: 'Major',
  minor: 'Minor',
  info: 'Info',
};

export { SEVERITIES };

/** The rule whose info findings are notes about resilience, grouped and counted apart. */
export const SINGLE_POINT_RULE = 'HI-SINGLE-POINT';

/** An info finding of HI-SINGLE-POINT: a class one pharmacy alone covers (not a gap). */
export function isSinglePointNote(f: Pick<ReportFinding, 'ruleId' | 'severity'>): boolean {
  return f.ruleId === SINGLE_POINT_RULE && f.severity === 'info';
}

/** HI-SINGLE-POINT notes of one plan and county. */
export interface SinglePointGroup {
  plan: string;
  countyFips: string | null;
  countyName: string | null;
  /** Drug class codes one pharmacy alone covers there. */
  classes: string[];
  /** The pharmacies those classes depend on. */
  npis: string[];
  firstIndex: number;
}

export function singlePointGroups(model: ReportModel): SinglePointGroup[] {
  const groups = new Map<string, SinglePointGroup>();
  model.findings.forEach((f, i) => {
    if (!isSinglePointNote(f)) return;
    const plan = findingPlan(f);
    const key = `${plan}|${f.countyFips ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        plan,
        countyFips: f.countyFips,
        countyName: f.countyName,
        classes: [],
        npis: [],
        firstIndex: i,
      };
      groups.set(key, g);
    }
    if (f.drugClass !== null && !g.classes.includes(f.drugClass)) g.classes.push(f.drugClass);
    const npis = f.evidence.npis;
    const list = Array.isArray(npis) ? npis : f.npi !== null ? [f.npi] : [];
    for (const n of list) if (typeof n === 'string' && !g.npis.includes(n)) g.npis.push(n);
  });
  return [...groups.values()];
}

/** The findings a regulator acts on (HI-SINGLE-POINT notes counted apart). */
export interface Headline {
  total: number;
  bySeverity: Record<Severity, number>;
  singlePointNotes: number;
  singlePointGroups: number;
}

export function headline(model: ReportModel): Headline {
  const bySeverity = zeroCounts();
  let notes = 0;
  for (const f of model.findings) {
    if (isSinglePointNote(f)) notes += 1;
    else bySeverity[f.severity] += 1;
  }
  return {
    total: model.findings.length - notes,
    bySeverity,
    singlePointNotes: notes,
    singlePointGroups: notes === 0 ? 0 : singlePointGroups(model).length,
  };
}

/** `58 (32 critical, 17 major, 7 minor, 2 info); plus 3 single-point notes in 2 plan-counties`. */
export function headlineText(model: ReportModel): string {
  const h = headline(model);
  const parts = SEVERITIES.map((s) => `${h.bySeverity[s]} ${s}`).join(', ');
  const notes =
    h.singlePointNotes === 0
      ? ''
      : `; plus ${h.singlePointNotes} single-point ${h.singlePointNotes === 1 ? 'note' : 'notes'} (${SINGLE_POINT_RULE}, info) in ${h.singlePointGroups} plan ${h.singlePointGroups === 1 ? 'county' : 'counties'}`;
  return `${h.total} (${parts})${notes}`;
}
