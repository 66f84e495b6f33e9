/**
 * Builds the report model of one audit run from its outcome: names for codes, the directory a
 * service line reads out, assurances read on the as-of date, key figures and data lineage.
 * Pure: the database was read before (snapshot, lineage), the clock is not read.
 */
import type { PlanMembers } from '../evaluate/members.js';
import type { Policy } from '../domain/policy.js';
import {
  planKeyString,
  type Finding,
  type ImportRecord,
  type MissingData,
  type NetworkSnapshot,
  type Pharmacy,
  type RejectedRow,
  type StoredFinding,
  type Verdict,
  type CoverageCell,
  type RequestTimeliness,
} from '../domain/types.js';
import type {
  DirectoryEntry,
  ReportAssurance,
  ReportCoverageCell,
  ReportException,
  ReportFinding,
  ReportModel,
  ReportRule,
} from '../report/model.js';
import type { KeyPharmacy, RecruitmentCandidate } from '../evaluate/contracting.js';
import type { DistanceResult } from '../evaluate/distance.js';
import type { ExceptionUse } from '../evaluate/exceptions.js';
import type { RetailAccessResult } from '../evaluate/retail-access.js';
import type { Rule } from '../evaluate/rule.js';
import { daysBetween } from '../util/time.js';
import { expiringItems } from './expiring-items.js';
import { reportFinding } from './stored-report.js';

export { expiringItems };

export interface ReportInputs {
  runId: number;
  scopeLabel: string;
  contractId: string | null;
  pbpId: string | null;
  generatedAt: string;
  toolVersion: string;
  ruleSetVersion: string;
  /** The rule set the run evaluated (its texts are stored with the run). */
  rules: readonly Rule[];
  policy: Policy;
  policyHash: string;
  verdict: Verdict;
  missing: readonly MissingData[];
  durationMs: number;
  whatIf: boolean;
  snapshot: NetworkSnapshot;
  findings: readonly StoredFinding[];
  resolved: readonly Finding[];
  previousRunId: number | null;
  coverage: readonly CoverageCell[];
  timeliness: readonly RequestTimeliness[];
  imports: ImportRecord[];
  rejectedRows: RejectedRow[];
  exceptions: readonly ExceptionUse[];
  keyPharmacies: readonly KeyPharmacy[];
  recruitment: readonly RecruitmentCandidate[];
  /** Members per plan (evaluate: membersComputed, members). */
  members: { computed: boolean; plans: readonly PlanMembers[] };
  distance: DistanceResult;
  /** null: not evaluated with the run (a run recomputed from before runs kept it). */
  retailAccess: RetailAccessResult | null;
  /** Per pharmacy, the classes it delivers in usable form (evaluate: usableClassesByNpi). */
  usableClassesByNpi: ReadonlyMap<string, readonly string[]>;
}

export function buildReportModel(input: ReportInputs): ReportModel {
  const { snapshot, policy } = input;
  const countyName = (fips: string | null): string | null => {
    if (!fips) return null;
    const c = snapshot.counties.get(fips);
    return c ? `${c.name}, ${c.state}` : null;
  };
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));

  const rules: ReportRule[] = input.rules.map((r) => ({
    id: r.id,
    title: r.title,
    citation: r.citation,
    defaultSeverity: r.defaultSeverity,
    description: r.description,
    messages: r.messages,
    remediation: r.remediation,
    severity: policy.rules[r.id]?.severity ?? r.defaultSeverity,
    enabled: policy.rules[r.id]?.enabled ?? true,
  }));

  const findings: ReportFinding[] = input.findings.map((f) =>
    reportFinding(
      f,
      countyName(f.countyFips),
      f.npi ? (snapshot.pharmacies.get(f.npi)?.name ?? null) : null,
      ruleById.get(f.ruleId),
    ),
  );

  const classesByNpi = input.usableClassesByNpi;

  // Assurances in force on the as-of date, by pharmacy.
  const asOf = snapshot.asOf;
  const assuranceStatus = (effective: string, expires: string | null): ReportAssurance['status'] =>
    effective > asOf
      ? 'not_yet_effective'
      : expires !== null && expires < asOf
        ? 'expired'
        : 'active';
  const activeEntities = new Map<string, string[]>();
  for (const a of snapshot.assurances) {
    if (assuranceStatus(a.effectiveDate, a.expirationDate) !== 'active') continue;
    activeEntities.set(a.npi, [...(activeEntities.get(a.npi) ?? []), a.entityName]);
  }

  // Directory: per plan and service-area county, the HI pharmacies serving it.
  const hiByPlan = new Map<string, string[]>();
  for (const m of snapshot.memberships) {
    const k = planKeyString(m);
    hiByPlan.set(k, [...(hiByPlan.get(k) ?? []), m.npi]);
  }
  const directory: DirectoryEntry[] = [];
  const areas = [...snapshot.serviceAreas].sort((a, b) =>
    planKeyString(a) === planKeyString(b)
      ? a.countyFips.localeCompare(b.countyFips)
      : planKeyString(a).localeCompare(planKeyString(b)),
  );
  for (const area of areas) {
    const npis = [...new Set(hiByPlan.get(planKeyString(area)) ?? [])];
    const pharmacies = npis
      .map((n) => snapshot.pharmacies.get(n))
      .filter((p): p is Pharmacy => p !== undefined)
      .filter((p) =>
        (p.countiesServed.length > 0 ? p.countiesServed : [p.countyFips]).includes(area.countyFips),
      )
      .sort((a, b) => a.name.localeCompare(b.name) || (a.npi < b.npi ? -1 : a.npi > b.npi ? 1 : 0))
      .map((p) => ({
        npi: p.npi,
        name: p.name,
        phone: p.phone,
        afterHoursPhone: p.afterHoursPhone,
        open24x7: p.open24x7,
        classes: [...(classesByNpi.get(p.npi) ?? [])],
        providesNursing: p.providesNursing,
        providesSupplies: p.providesSupplies,
        reliesOnAssurance:
          p.providesNursing && p.providesSupplies ? [] : (activeEntities.get(p.npi) ?? []),
      }));
    directory.push({
      contractId: area.contractId,
      pbpId: area.pbpId,
      segmentId: area.segmentId,
      countyFips: area.countyFips,
      countyName: countyName(area.countyFips),
      pharmacies,
    });
  }

  const assurances: ReportAssurance[] = snapshot.assurances
    .filter((a) => {
      const p = snapshot.pharmacies.get(a.npi);
      return p !== undefined && !(p.providesNursing && p.providesSupplies);
    })
    .map((a) => {
      const daysLeft = a.expirationDate ? daysBetween(asOf, a.expirationDate) : null;
      const status = assuranceStatus(a.effectiveDate, a.expirationDate);
      return {
        npi: a.npi,
        pharmacyName: snapshot.pharmacies.get(a.npi)?.name ?? a.npi,
        entityName: a.entityName,
        entityType: a.entityType,
        services: a.services,
        counties: a.counties,
        effectiveDate: a.effectiveDate,
        expirationDate: a.expirationDate,
        status,
        expiringWithinWindow:
          status === 'active' && daysLeft !== null && daysLeft <= policy.expiringWindowDays,
        daysLeft,
      };
    })
    .sort(
      (a, b) =>
        a.pharmacyName.localeCompare(b.pharmacyName) || a.entityName.localeCompare(b.entityName),
    );

  const requiredCodes = new Set(input.coverage.map((c) => c.drugClass));
  const requiredClasses = snapshot.catalog.filter((c) =>
    policy.requiredClasses
      ? policy.requiredClasses.includes(c.code)
      : c.partDRequired || requiredCodes.has(c.code),
  );
  // Fields written out, as for findings: `{ ...c, countyName }` gave each of the 29,000 cells of
  // the national data set a hidden class of its own (a heap snapshot counted 29,105 maps).
  const cells = input.coverage.map((c): ReportCoverageCell => ({
    contractId: c.contractId,
    pbpId: c.pbpId,
    segmentId: c.segmentId,
    countyFips: c.countyFips,
    drugClass: c.drugClass,
    npis: c.npis,
    members: c.members ?? null,
    countyName: countyName(c.countyFips),
  }));
  const serviceCounties = new Set(snapshot.serviceAreas.map((a) => a.countyFips));

  const pharmacyName = (npi: string | null): string | null =>
    npi === null
      ? null
      : (snapshot.pharmacies.get(npi)?.name ??
        snapshot.candidatePharmacies?.get(npi)?.name ??
        null);
  const exceptions: ReportException[] = input.exceptions.map((e) => ({
    ...e,
    countyName: countyName(e.countyFips),
    pharmacyName: pharmacyName(e.npi),
  }));
  const expiring = expiringItems(input.findings).map((x) => ({
    ...x,
    pharmacyName: pharmacyName(x.npi),
  }));

  return {
    run: {
      runId: input.runId,
      sponsorName: policy.sponsorName,
      scopeLabel: input.scopeLabel,
      contractId: input.contractId,
      pbpId: input.pbpId,
      asOf,
      generatedAt: input.generatedAt,
      toolVersion: input.toolVersion,
      ruleSetVersion: input.ruleSetVersion,
      policy,
      policyHash: input.policyHash,
      verdict: input.verdict,
      missing: [...input.missing],
      durationMs: input.durationMs,
      whatIf: input.whatIf,
    },
    rules,
    findings,
    resolved: [...input.resolved],
    previousRunId: input.previousRunId,
    keyFigures: {
      plans: snapshot.plans.length + snapshot.planKeysWithoutRecord.length,
      serviceAreaCounties: serviceCounties.size,
      hiPharmacies: new Set(snapshot.memberships.map((m) => m.npi)).size,
      requiredCells: cells.length,
      coveredCells: cells.filter((c) => c.npis.length >= policy.minPharmaciesPerClass).length,
    },
    plans: [...snapshot.plans].sort((a, b) => planKeyString(a).localeCompare(planKeyString(b))),
    planKeysWithoutRecord: snapshot.planKeysWithoutRecord,
    coverage: { requiredClasses, cells },
    directory,
    assurances,
    requests: [...input.timeliness],
    lineage: { imports: input.imports, rejectedRows: input.rejectedRows },
    catalog: snapshot.catalog,
    exceptions,
    expiring,
    keyPharmacies: [...input.keyPharmacies],
    recruitment: [...input.recruitment],
    members: { computed: input.members.computed, plans: [...input.members.plans] },
    distance: input.distance,
    retailAccess: input.retailAccess,
  };
}
