import type { Policy } from '../domain/policy.js';
import type {
  DrugClass,
  Finding,
  NetworkSnapshot,
  RequestTimeliness,
  Severity,
} from '../domain/types.js';
import type { DistanceResult } from './distance.js';
import type { NetworkIndex } from './network-index.js';
import type { RetailAccessResult } from './retail-access.js';

/** What a rule receives: the snapshot, the policy, and indexes built once per evaluation. */
export interface RuleContext {
  snapshot: NetworkSnapshot;
  policy: Policy;
  index: NetworkIndex;
  /** Required classes after the policy is applied, catalog order. */
  requiredClasses: DrugClass[];
  /** Every coverage request read against its clock (assessRequests), snapshot order. */
  timeliness: RequestTimeliness[];
  /** Members' distance to eligible pharmacies (computed once; not evaluated without enrollment). */
  distance: DistanceResult;
  /** The retail convenient-access figures (assessRetailAccess), computed once. */
  retailAccess: RetailAccessResult;
}

/** A finding as a rule reports it; the engine fills in severity, key and the rendered message. */
export type RuleReport = Omit<Finding, 'severity' | 'key' | 'message' | 'ruleId' | 'exception'> & {
  /** Placeholders for the message template named by messageId, e.g. {county: '01001'}. */
  data: Record<string, string | number>;
  /**
   * Appended to the key when a rule reports several findings about the same subject fields
   * (e.g. EXPIRING-SOON: one per assurance of a pharmacy).
   */
  keyExtra?: string;
  /**
   * The most severe this finding may be, whatever the rule's (or the policy's) severity: e.g.
   * HI-USABLE reports a class outside the required classes at info at most.
   */
  maxSeverity?: Severity;
};

export interface RuleMeta {
  id: string;
  title: string;
  /** Regulation or letter section the rule enforces. */
  citation: string;
  defaultSeverity: Severity;
  /** One paragraph for docs/RULES.md and the Methodology sheet. */
  description: string;
  /** Message templates by message id, with {placeholders}. */
  messages: Record<string, string>;
  /** What to do about a finding of this rule (report's remediation column). */
  remediation: string;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): RuleReport[];
}

/** The subject fields of a finding (what the key is made of, in this order). */
export const SUBJECT_FIELDS = [
  'contractId',
  'pbpId',
  'segmentId',
  'countyFips',
  'drugClass',
  'npi',
  'requestId',
] as const;
export type Subject = Partial<Record<(typeof SUBJECT_FIELDS)[number], string | null>>;

/**
 * Declares a rule with its message ids checked at compile time: `check` may only report message
 * ids that `messages` defines.
 */
export function defineRule<M extends string>(
  rule: RuleMeta & {
    messages: Record<M, string>;
    check(ctx: RuleContext): (RuleReport & { messageId: M })[];
  },
): Rule {
  return rule;
}

/** Builds a RuleReport: subject fields not given are null. */
export function report<M extends string>(
  messageId: M,
  subject: Subject,
  data: Record<string, string | number>,
  evidence: Finding['evidence'] = {},
): RuleReport & { messageId: M } {
  return {
    messageId,
    contractId: subject.contractId ?? null,
    pbpId: subject.pbpId ?? null,
    segmentId: subject.segmentId ?? null,
    countyFips: subject.countyFips ?? null,
    drugClass: subject.drugClass ?? null,
    npi: subject.npi ?? null,
    requestId: subject.requestId ?? null,
    data,
    evidence,
  };
}
