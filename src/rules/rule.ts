import type { Policy } from '../domain/policy.js';
import type { DrugClass, Finding, NetworkSnapshot, Severity } from '../domain/types.js';
import type { NetworkIndex } from './network-index.js';

/** What a rule receives: the snapshot, the policy, and indexes built once per evaluation. */
export interface RuleContext {
  snapshot: NetworkSnapshot;
  policy: Policy;
  index: NetworkIndex;
  /** Required classes after the policy is applied, catalog order. */
  requiredClasses: DrugClass[];
}

/** A finding as a rule reports it; the engine fills in severity, key and the rendered message. */
export type RuleReport = Omit<Finding, 'severity' | 'key' | 'message' | 'ruleId'> & {
  /** Placeholders for the message template named by messageId, e.g. {county: '01001'}. */
  data: Record<string, string | number>;
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
