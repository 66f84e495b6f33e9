/**
 * The exceptions register applied to findings: an exception matches the findings of its rule
 * whose subject has every field it names (a blank field matches any value). A matched finding
 * carries the exception (rationale, approver, expiry); in force on the as-of date, the finding is
 * EXCEPTED and does not count toward the verdict; expired, it counts again and its message says
 * so. Pure: no clock, no I/O.
 *
 * Cost: O(exceptions + findings x exceptions of the same rule and contract).
 */
import {
  exceptionLabel,
  type AuditException,
  type ExceptionMark,
  type Finding,
  type IsoDate,
} from '../domain/types.js';
import { daysBetween } from '../util/time.js';

/** How an exception of the register stands on the as-of date. */
export type ExceptionStatus = 'in_force' | 'expired' | 'not_yet_approved';

/** One exception of the register with what it matched (the report's Exceptions sheet). */
export interface ExceptionUse extends AuditException {
  label: string;
  status: ExceptionStatus;
  /** Findings it matched (excepted when in force, counted again when expired). */
  matched: number;
  /** Matched no finding. */
  unused: boolean;
  /** Days from the as-of date to the expiry date (negative once expired). */
  daysLeft: number;
}

export function exceptionStatus(e: AuditException, asOf: IsoDate): ExceptionStatus {
  if (e.approvedOn > asOf) return 'not_yet_approved';
  return e.expiresOn >= asOf ? 'in_force' : 'expired';
}

/** Whether an exception names this finding: same rule and contract, and every field it sets. */
export function exceptionMatches(
  e: AuditException,
  f: Pick<Finding, 'ruleId' | 'contractId' | 'pbpId' | 'countyFips' | 'drugClass' | 'npi'>,
): boolean {
  return (
    e.ruleId === f.ruleId &&
    e.contractId === f.contractId &&
    (e.pbpId === null || e.pbpId === f.pbpId) &&
    (e.countyFips === null || e.countyFips === f.countyFips) &&
    (e.drugClass === null || e.drugClass === f.drugClass) &&
    (e.npi === null || e.npi === f.npi)
  );
}

function markOf(e: AuditException, expired: boolean): ExceptionMark {
  return {
    label: exceptionLabel(e),
    rationale: e.rationale,
    approvedBy: e.approvedBy,
    approvedOn: e.approvedOn,
    expiresOn: e.expiresOn,
    expired,
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Marks the findings the register matches (new Finding objects; the input is not changed) and
 * lists every exception with its status and matches, in rule, contract, label order.
 */
export function applyExceptions(
  findings: readonly Finding[],
  exceptions: readonly AuditException[],
  asOf: IsoDate,
): { findings: Finding[]; uses: ExceptionUse[] } {
  const uses: ExceptionUse[] = exceptions.map((e) => ({
    ...e,
    label: exceptionLabel(e),
    status: exceptionStatus(e, asOf),
    matched: 0,
    unused: true,
    daysLeft: daysBetween(asOf, e.expiresOn),
  }));
  const byRuleContract = new Map<string, ExceptionUse[]>();
  for (const u of uses) {
    if (u.status === 'not_yet_approved') continue;
    const k = `${u.ruleId}|${u.contractId}`;
    const list = byRuleContract.get(k);
    if (list) list.push(u);
    else byRuleContract.set(k, [u]);
  }
  const out = findings.map((f): Finding => {
    if (f.contractId === null) return f;
    const candidates = byRuleContract.get(`${f.ruleId}|${f.contractId}`);
    if (!candidates) return f;
    let best: ExceptionUse | null = null;
    for (const u of candidates) {
      if (!exceptionMatches(u, f)) continue;
      u.matched += 1;
      u.unused = false;
      // In force beats expired; then the later expiry.
      if (
        best === null ||
        (u.status === 'in_force' && best.status !== 'in_force') ||
        (u.status === best.status && u.expiresOn > best.expiresOn)
      ) {
        best = u;
      }
    }
    if (best === null) return f;
    const expired = best.status === 'expired';
    return {
      ...f,
      message: expired
        ? `${f.message} Its exception (approved by ${best.approvedBy} on ${best.approvedOn}) expired on ${best.expiresOn}.`
        : f.message,
      exception: markOf(best, expired),
    };
  });
  uses.sort(
    (a, b) =>
      byString(a.ruleId, b.ruleId) ||
      byString(a.contractId, b.contractId) ||
      byString(a.label, b.label) ||
      byString(a.expiresOn, b.expiresOn),
  );
  return { findings: out, uses };
}
