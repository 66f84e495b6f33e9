/**
 * Evaluates the rule set against one snapshot: builds the index once, runs every enabled rule,
 * renders messages, applies the policy's severities and computes the verdict. Pure: no clock, no
 * I/O, the same inputs give the same output in the same order.
 */
import type { Policy } from '../domain/policy.js';
import {
  SEVERITIES,
  isExcepted,
  severityRank,
  type CoverageCell,
  type Finding,
  type MissingData,
  type NetworkSnapshot,
  type RequestTimeliness,
  type Severity,
  type Verdict,
} from '../domain/types.js';
import {
  keyPharmacies,
  recruitmentCandidates,
  type KeyPharmacy,
  type RecruitmentCandidate,
} from './contracting.js';
import { SHIPPED_GEO, type GeoReference } from '../geo/locate.js';
import { computeDistances, type DistanceResult } from './distance.js';
import { applyExceptions, type ExceptionUse } from './exceptions.js';
import { planMembers, type PlanMembers } from './members.js';
import { buildNetworkIndex, coverageCells } from './network-index.js';
import { SUBJECT_FIELDS, type Rule, type RuleContext, type RuleReport } from './rule.js';
import { assessRequests } from './timeliness.js';
import { assessRetailAccess, type RetailAccessResult } from './retail-access.js';

export interface EvaluationCounts {
  total: number;
  bySeverity: Record<Severity, number>;
  /** Every registered rule id (0 when it found nothing or is disabled). */
  byRule: Record<string, number>;
  /** Findings EXCEPTED by an exception in force (counted above too; not toward the verdict). */
  excepted: number;
  /** Excepted findings per rule (rules with none are left out). */
  exceptedByRule: Record<string, number>;
}

export interface Evaluation {
  findings: Finding[];
  counts: EvaluationCounts;
  verdict: Verdict;
  /** What the audit could not judge (the verdict is INCOMPLETE when this is not empty). */
  missing: MissingData[];
  coverage: CoverageCell[];
  timeliness: RequestTimeliness[];
  /** The exceptions register as applied: in force, expired, unused. */
  exceptions: ExceptionUse[];
  /** Per plan, its HI pharmacies ranked by the cells lost if each left (N-1). */
  keyPharmacies: KeyPharmacy[];
  /** Per plan, pharmacies outside its HI network ranked by the open gaps they would close. */
  recruitment: RecruitmentCandidate[];
  /** False when no enrollment roster was imported: members affected are not computed. */
  membersComputed: boolean;
  /** Per plan, its members and the members its gaps touch. */
  members: PlanMembers[];
  /** Members' distance to eligible pharmacies per plan, county and class (HI-DISTANCE). */
  distance: DistanceResult;
  /** The retail convenient-access figures per plan and State, and LTC pharmacies per plan. */
  retailAccess: RetailAccessResult;
  /** Per pharmacy, the catalog classes it can deliver in usable form (the report's directory). */
  usableClassesByNpi: ReadonlyMap<string, readonly string[]>;
}

export interface EvaluateOptions {
  snapshot: NetworkSnapshot;
  policy: Policy;
  /** The rule set, in listing order (src/rules/registry.ts RULES, or a test's own). */
  rules: readonly Rule[];
  /**
   * What the caller knows is missing beyond the snapshot: no pharmacy roster in force, a roster
   * file of the batch that failed. The engine adds "no plan in scope" itself.
   */
  missing?: readonly MissingData[];
  /** Where ZIPs and counties are (HI-DISTANCE); the shipped reference when not given. */
  geo?: GeoReference;
  /**
   * Called once the evaluation has read the snapshot's enrollment, coverage requests, retail
   * and I/T/U networks (into its indexes, timeliness, distances and retail access), before the
   * rules run: none reads them again, so a caller keeping the snapshot may let them go (a
   * national enrollment is 2,000,000 rows).
   */
  inputsRead?: () => void;
}

/** Replaces {name} placeholders; a placeholder without data is a programming error. */
export function renderMessage(
  template: string,
  data: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`message placeholder {${name}} has no data`);
    return String(value);
  });
}

/** ruleId + the subject fields that are set, joined with '|'. */
export function findingKey(
  ruleId: string,
  r: Pick<Finding, (typeof SUBJECT_FIELDS)[number]>,
): string {
  const parts = [ruleId];
  for (const f of SUBJECT_FIELDS) {
    const v = r[f];
    if (v !== null) parts.push(v);
  }
  return parts.join('|');
}

export function severityOf(rule: Rule, policy: Policy): Severity {
  return policy.rules[rule.id]?.severity ?? rule.defaultSeverity;
}

export function isEnabled(rule: Rule, policy: Policy): boolean {
  return policy.rules[rule.id]?.enabled ?? true;
}

/**
 * INCOMPLETE when anything is missing (the audit cannot judge its scope, whatever it found:
 * a finding it lists is real, the absence of others proves nothing); else NON_COMPLIANT when a
 * finding not excepted is at or above failOn; else COMPLIANT.
 */
export function verdictOf(
  findings: readonly Pick<Finding, 'severity' | 'exception'>[],
  failOn: Severity,
  missing: readonly MissingData[] = [],
): Verdict {
  if (missing.length > 0) return 'INCOMPLETE';
  const limit = severityRank(failOn);
  return findings.some((f) => severityRank(f.severity) <= limit && !isExcepted(f))
    ? 'NON_COMPLIANT'
    : 'COMPLIANT';
}

function toFinding(rule: Rule, ruleSeverity: Severity, r: RuleReport): Finding {
  const severity =
    r.maxSeverity !== undefined && severityRank(r.maxSeverity) > severityRank(ruleSeverity)
      ? r.maxSeverity
      : ruleSeverity;
  const template = rule.messages[r.messageId];
  if (template === undefined) {
    throw new Error(`rule ${rule.id} reported unknown message id "${r.messageId}"`);
  }
  const key = findingKey(rule.id, r);
  return {
    key: r.keyExtra ? `${key}|${r.keyExtra}` : key,
    ruleId: rule.id,
    severity,
    messageId: r.messageId,
    message: renderMessage(template, r.data),
    contractId: r.contractId,
    pbpId: r.pbpId,
    segmentId: r.segmentId,
    countyFips: r.countyFips,
    drugClass: r.drugClass,
    npi: r.npi,
    requestId: r.requestId,
    evidence: r.evidence,
  };
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function evaluate(options: EvaluateOptions): Evaluation {
  const { snapshot, policy, rules } = options;
  const index = buildNetworkIndex(snapshot, policy);
  const timeliness = assessRequests(snapshot.coverageRequests, snapshot.asOf, policy.timeZone).sort(
    (a, b) =>
      compareStrings(a.contractId, b.contractId) ||
      compareStrings(a.pbpId, b.pbpId) ||
      compareStrings(a.clockStart, b.clockStart) ||
      compareStrings(a.requestId, b.requestId),
  );
  const retailAccess = assessRetailAccess(snapshot);
  const ctx: RuleContext = {
    snapshot,
    policy,
    index,
    requiredClasses: index.requiredClasses,
    timeliness,
    distance: computeDistances({ snapshot, index, policy, geo: options.geo ?? SHIPPED_GEO }),
    retailAccess,
  };

  options.inputsRead?.();

  const order = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Set<string>();
  const raw: Finding[] = [];
  for (const rule of rules) {
    if (!isEnabled(rule, policy)) continue;
    const severity = severityOf(rule, policy);
    for (const r of rule.check(ctx)) {
      const f = toFinding(rule, severity, r);
      // A subject is reported once per rule (e.g. a request id listed twice in the roster).
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      raw.push(f);
    }
  }
  const applied = applyExceptions(raw, snapshot.exceptions ?? [], snapshot.asOf);
  const findings = applied.findings;
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      order.get(a.ruleId)! - order.get(b.ruleId)! ||
      compareStrings(a.key, b.key),
  );

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = Object.fromEntries(rules.map((r) => [r.id, 0]));
  const exceptedByRule: Record<string, number> = {};
  let excepted = 0;
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    if (isExcepted(f)) {
      excepted += 1;
      exceptedByRule[f.ruleId] = (exceptedByRule[f.ruleId] ?? 0) + 1;
    }
  }

  const missing: MissingData[] = [];
  if (index.plans.size === 0) {
    missing.push({
      what: 'plans',
      message: `no plan is in scope on ${snapshot.asOf}: no plan record, service area or home infusion network membership was found, so nothing was checked`,
    });
  }
  missing.push(...(options.missing ?? []));
  const retailRule = rules.find((r) => r.id === 'RETAIL-ACCESS');
  // Without a ZIP class file the standard is not evaluated at all (said on the Retail access
  // sheet, in every report and by RETAIL-ACCESS's info findings), as HI-DISTANCE is without
  // enrollment: the sponsor has not supplied the standard's input. With a file, members or
  // pharmacies that cannot be judged leave the scope INCOMPLETE.
  if (
    retailRule &&
    isEnabled(retailRule, policy) &&
    retailAccess.zipClasses !== null &&
    retailAccess.incompleteRows > 0
  ) {
    const rows = retailAccess.incompleteRows;
    const why: string[] = [];
    if (retailAccess.membersNotJudged > 0) {
      why.push(
        `${retailAccess.membersNotJudged} enrolled members could not be judged (${
          retailAccess.zipClasses === null
            ? 'no ZIP class file was given (policy retailAccess.zipClassesFile), so no ZIP is urban, suburban or rural'
            : `their ZIP has no class in ${retailAccess.zipClasses.source}, or they have no usable ZIP`
        })`,
      );
    }
    if (retailAccess.rows.some((r) => r.retailPharmacies > 0 && r.unlocatedPharmacies > 0)) {
      why.push(
        'some in-network retail pharmacies have no usable ZIP, so a share below the standard is only a lower bound',
      );
    }
    missing.push({
      what: 'retail_access',
      message: `the retail convenient-access standard (42 CFR 423.120(a)(1)) could not be judged for ${rows} plan-State ${rows === 1 ? 'row' : 'rows'}: ${why.join('; ')}`,
    });
  }

  return {
    findings,
    counts: { total: findings.length, bySeverity, byRule, excepted, exceptedByRule },
    verdict: verdictOf(findings, policy.failOn, missing),
    missing,
    coverage: coverageCells(index),
    timeliness,
    exceptions: applied.uses,
    keyPharmacies: keyPharmacies(index, snapshot, policy),
    recruitment: recruitmentCandidates(index, snapshot, policy),
    membersComputed: index.members.computed,
    members: planMembers(index, policy),
    distance: ctx.distance,
    retailAccess,
    usableClassesByNpi: index.usableClassesByNpi,
  };
}
