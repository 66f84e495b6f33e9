/**
 * Figures derived from the model that every report format shows the same way.
 */
import type { Policy } from '../domain/policy.js';
import type { Severity } from '../domain/types.js';
import { SEVERITIES, isExcepted, severityRank } from '../domain/types.js';
import type { ReportModel, ReportRule } from './model.js';

export type RuleStatus = 'PASS' | 'FAIL' | 'DISABLED';

export interface RuleResult {
  rule: ReportRule;
  /**
   * DISABLED when the policy turns the rule off; FAIL when it has at least one finding at or above
   * the policy's failOn severity (it makes the run non-compliant); PASS otherwise (it may still
   * have findings below that severity).
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
      status: rule.enabled ? 'PASS' : 'DISABLED',
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
    if (r.status !== 'DISABLED' && isFailing(f.severity, model.run.policy)) r.status = 'FAIL';
  });
  return results;
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
