/**
 * EXPIRING-SOON findings as report rows. Its own module so that `audit --json` can list them
 * without loading the report model's dependencies (rules, network index).
 */
import type { Finding } from '../domain/types.js';
import type { ReportExpiring } from '../report/model.js';

/** EXPIRING-SOON findings as report rows, soonest first. */
export function expiringItems(findings: readonly Finding[]): ReportExpiring[] {
  const out: ReportExpiring[] = [];
  for (const f of findings) {
    if (f.ruleId !== 'EXPIRING-SOON') continue;
    const e = f.evidence;
    const kind = e['kind'];
    if (kind !== 'accreditation' && kind !== 'assurance' && kind !== 'exception') continue;
    const plan = [f.contractId, f.pbpId, f.segmentId].filter((x) => x !== null).join('-');
    out.push({
      kind,
      plan,
      npi: f.npi,
      pharmacyName: null,
      item: String(e['item'] ?? ''),
      expiresOn: String(e['expiresOn'] ?? ''),
      daysLeft: Number(e['daysLeft'] ?? 0),
    });
  }
  return out.sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      a.plan.localeCompare(b.plan) ||
      (a.npi ?? '').localeCompare(b.npi ?? '') ||
      a.item.localeCompare(b.item),
  );
}
