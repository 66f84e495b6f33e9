/**
 * One audit: load the network as of a date, evaluate the rules, compare with the previous run of
 * the same scope, and store the run with its findings. A what-if audit stores nothing.
 */
import { isExcepted, loadedNothing } from '../domain/types.js';
import type {
  CoverageCell,
  Finding,
  ImportRecord,
  IsoDate,
  MissingData,
  RequestTimeliness,
  StoredFinding,
  Verdict,
} from '../domain/types.js';
import type { Policy } from '../domain/policy.js';
import type { Db } from '../db/connect.js';
import { hasCompletedImport } from '../db/imports.js';
import { loadSnapshot, type AuditScope } from '../db/load-snapshot.js';
import {
  completeRun,
  createRun,
  failRun,
  findPreviousRun,
  listImportsInForce,
  listLatestImportsWithoutRows,
  listLatestImportIds,
  listRejectedRows,
  listRunFindings,
  listRunFirstSeen,
  type RunRecord,
} from '../db/runs.js';
import { AuditError, SystemError } from '../errors.js';
import type { KeyPharmacy, RecruitmentCandidate } from '../evaluate/contracting.js';
import { evaluate } from '../evaluate/engine.js';
import type { RetailAccessResult } from '../evaluate/retail-access.js';
import { loadZipClasses } from '../geo/zip-classes.js';
import { RULES, RULE_SET_VERSION } from '../rules/registry.js';
import { TIMELY_RULE_ID } from '../rules/hi-timely.js';
import type { ExceptionUse } from '../evaluate/exceptions.js';
import { policyHash } from '../evaluate/policy.js';
import type { ReportModel } from '../report/model.js';
import { counted } from '../report/format.js';
import { endOfDay } from '../util/time.js';
import { TOOL_VERSION } from '../version.js';
import { buildReportModel } from './build-report-model.js';
import { reportPartStream } from './stored-report.js';

export interface AuditCounts {
  /** Stored with the run's counts (the report of a stored run reads it back). */
  missing: MissingData[];
  total: number;
  bySeverity: Record<string, number>;
  byRule: Record<string, number>;
  new: number;
  persisting: number;
  resolved: number;
  /** Findings excepted by an exception in force (included in total; not toward the verdict). */
  excepted: number;
  exceptedByRule: Record<string, number>;
}

export interface AuditOutcome {
  runId: number | null;
  scope: string;
  asOf: IsoDate;
  verdict: Verdict;
  /** Why the audit could not judge its scope (verdict INCOMPLETE); empty otherwise. */
  missing: MissingData[];
  counts: AuditCounts;
  findings: StoredFinding[];
  resolved: Finding[];
  previousRunId: number | null;
  coverage: CoverageCell[];
  timeliness: RequestTimeliness[];
  exceptions: ExceptionUse[];
  keyPharmacies: KeyPharmacy[];
  recruitment: RecruitmentCandidate[];
  retailAccess: RetailAccessResult;
  durationMs: number;
  /**
   * The report model the run stored (null for a what-if, which stores nothing): `run` renders
   * it as is, `report RUN` renders the same model read back.
   */
  model: ReportModel | null;
}

export function scopeLabel(scope: AuditScope): string {
  if (!scope.contractId) return 'all';
  return scope.pbpId ? `${scope.contractId}-${scope.pbpId}` : scope.contractId;
}

/**
 * The findings as stored: each new one first seen on `asOf`, each persisting one (its key in the
 * previous run) on the date the previous run says. Every field written out, in one order (a
 * spread plus two properties made dictionary-mode objects).
 */
export function stampFindings(
  findings: readonly Finding[],
  firstSeen: ReadonlyMap<string, IsoDate>,
  asOf: IsoDate,
): StoredFinding[] {
  return findings.map((f): StoredFinding => {
    const seen = firstSeen.get(f.key);
    const stored: StoredFinding = {
      key: f.key,
      ruleId: f.ruleId,
      severity: f.severity,
      messageId: f.messageId,
      message: f.message,
      contractId: f.contractId,
      pbpId: f.pbpId,
      segmentId: f.segmentId,
      countyFips: f.countyFips,
      drugClass: f.drugClass,
      npi: f.npi,
      requestId: f.requestId,
      evidence: f.evidence,
      status: seen === undefined ? 'new' : 'persisting',
      firstSeen: seen ?? asOf,
    };
    if (f.exception !== undefined) stored.exception = f.exception;
    return stored;
  });
}

/**
 * New / persisting / resolved against the previous run's findings, all in memory: what `report
 * RUN` does with two stored runs. The audit reads less of the previous run (listRunFirstSeen,
 * then only its resolved findings): test/audit/run-audit.test.ts checks the two agree.
 */
export function compareWithPrevious(
  findings: readonly Finding[],
  previous: readonly StoredFinding[],
  asOf: IsoDate,
): { stored: StoredFinding[]; resolved: Finding[] } {
  const firstSeen = new Map(previous.map((f) => [f.key, f.firstSeen]));
  const now = new Set(findings.map((f) => f.key));
  return {
    stored: stampFindings(findings, firstSeen, asOf),
    resolved: previous.filter((f) => !now.has(f.key)),
  };
}

/**
 * Rows the rosters in force rejected: what they described (a late decision, a membership, a
 * capability) is not in the audit, so past the policy's acceptRejectedRows the scope cannot be
 * judged. Never a quiet pass after losing rows.
 */
export function rejectedRowsInForce(
  inputs: readonly Pick<ImportRecord, 'fileName' | 'sheet' | 'kind' | 'rejected'>[],
  accepted: number,
): MissingData | null {
  const files = inputs.filter((i) => i.rejected > 0);
  const total = files.reduce((n, i) => n + i.rejected, 0);
  if (total === 0 || total <= accepted) return null;
  const shown = files
    .slice(0, 5)
    .map(
      (i) =>
        `${i.fileName}${i.sheet ? ` [${i.sheet}]` : ''}, ${i.kind}: ${i.rejected.toLocaleString('en-US')}`,
    );
  if (files.length > shown.length)
    shown.push(`and ${counted(files.length - shown.length, 'more file')}`);
  const allowed =
    accepted > 0 ? `, more than the ${accepted.toLocaleString('en-US')} the policy accepts` : '';
  const it = total === 1 ? 'what it describes is' : 'what they describe is';
  return {
    what: 'rejected_rows',
    message: `the latest roster files hold ${counted(total, 'rejected row')}${allowed} (${shown.join('; ')}); ${it} not in the audit, so a late decision, a membership or a capability may be missing: fix the rows (the Rejected Rows sheet lists them, import --rejects writes them all) and re-import`,
  };
}

/**
 * The gap a latest roster file none of whose rows loaded leaves: the rows in force of its kind are
 * earlier files', so the audit does not judge what the sponsor sent last. Whatever the policy's
 * acceptRejectedRows: a file that loaded nothing is a failed file, not a few lost rows.
 */
function fileLoadedNothing(
  i: Pick<ImportRecord, 'fileName' | 'sheet' | 'kind' | 'rejected'>,
): MissingData {
  return {
    what: 'roster_file',
    message: `roster file ${i.fileName}${i.sheet ? ` [${i.sheet}]` : ''} (${i.kind}) loaded none of its rows (${counted(i.rejected, 'row')} rejected): it is not in the audit, and the ${i.kind} rows in force, if any, are earlier files'; fix it (the Rejected Rows sheet lists its rows) and re-import`,
  };
}

export async function runAudit(options: {
  db: Db;
  asOf: IsoDate;
  scope: AuditScope;
  policy: Policy;
  withoutNpis?: ReadonlySet<string>;
  /** What the caller knows is missing, e.g. the roster files of the batch that failed (`run`). */
  missing?: readonly MissingData[];
  /** Injected clock for timings only; rules never see it. */
  now?: () => Date;
}): Promise<AuditOutcome> {
  const { db, asOf, scope, policy } = options;
  const now = options.now ?? (() => new Date());
  const whatIf = (options.withoutNpis?.size ?? 0) > 0;
  const started = now();
  const label = scopeLabel(scope);
  // Read (and validated) before a run is recorded: a bad ZIP class file is bad input.
  const zipClassesFile = policy.retailAccess.zipClassesFile;
  const zipClasses = zipClassesFile === null ? undefined : loadZipClasses(zipClassesFile);
  const inForce = await listImportsInForce({ db, asOf });
  const inputs = [...inForce, ...(await listLatestImportsWithoutRows({ db, asOf, inForce }))].sort(
    (a, b) => a.id - b.id,
  );
  const runId = whatIf
    ? null
    : await createRun({
        db,
        scope: label,
        contractId: scope.contractId,
        pbpId: scope.pbpId,
        asOf,
        policy: JSON.stringify(policy),
        policyHash: policyHash(policy),
        ruleSetVersion: RULE_SET_VERSION,
        toolVersion: TOOL_VERSION,
        inputs: inputs.map((i) => ({
          importId: i.id,
          fileName: i.fileName,
          sheet: i.sheet,
          sha256: i.sha256,
          kind: i.kind,
          asOf: i.asOf,
          ...(i.rowsInForce !== undefined ? { rowsInForce: i.rowsInForce } : {}),
          ...(i.rowsEnded !== undefined ? { rowsEnded: i.rowsEnded } : {}),
        })),
        startedAt: started.toISOString(),
      });
  try {
    const snapshot = await loadSnapshot({
      db,
      asOf,
      scope,
      receivedBefore: endOfDay(asOf, policy.timeZone),
      ...(options.withoutNpis ? { withoutNpis: options.withoutNpis } : {}),
    });
    if (zipClasses) snapshot.zipClasses = zipClasses;
    const missing: MissingData[] = [...(options.missing ?? [])];
    if (!inputs.some((i) => i.kind === 'pharmacies')) {
      missing.unshift({
        what: 'pharmacy_roster',
        message: `no pharmacy roster is in force on ${asOf}: no pharmacy could be checked`,
      });
    }
    if (!inputs.some((i) => i.kind === 'capabilities')) {
      missing.push({
        what: 'capability_roster',
        message: `no capability roster is in force on ${asOf}: no pharmacy's drug classes are known, so every required class shows as a gap (HI-ACUTE, HI-CHRONIC, HI-USABLE findings are not evidence of one)`,
      });
    }
    // No coverage request roster at all: the letter's urgent requests were not checked.
    if (
      (policy.rules[TIMELY_RULE_ID]?.enabled ?? true) &&
      !(await hasCompletedImport({ db, kind: 'coverage_requests', asOf }))
    ) {
      missing.push({
        what: 'coverage_requests',
        message: `no coverage request roster has been imported by ${asOf}: whether expedited and standard requests are decided in time (${TIMELY_RULE_ID}) was not checked; import the plans' coverage requests (a file with only its header when there were none) or disable ${TIMELY_RULE_ID} in the policy`,
      });
    }
    // Rejections of a file imported again since (corrected) are that later import's to answer.
    const latest = await listLatestImportIds({ db, asOf });
    const latestInputs = inputs.filter((i) => latest.has(i.id));
    missing.push(...latestInputs.filter(loadedNothing).map(fileLoadedNothing));
    const rejected = rejectedRowsInForce(
      latestInputs.filter((i) => !loadedNothing(i)),
      policy.acceptRejectedRows,
    );
    if (rejected) missing.push(rejected);
    const result = evaluate({
      snapshot,
      policy,
      rules: RULES,
      missing,
      // The report reads the requests as evaluated (timeliness), not as loaded: let the 100,000
      // loaded ones go, and the enrollment (2,000,000 rows nationally) and the retail and I/T/U
      // networks, which the model reads through the evaluation's results; before the rules
      // run, so that their findings do not come on top of them.
      inputsRead: () => {
        snapshot.coverageRequests = [];
        delete snapshot.enrollment;
        delete snapshot.retailNetwork;
        delete snapshot.ituNetwork;
      },
    });
    const previous: RunRecord | null = await findPreviousRun({
      db,
      scope: label,
      ...(runId ? { beforeRunId: runId } : {}),
    });
    // Of the previous run, the first-seen dates, then only the findings resolved since: not
    // every finding with its evidence (a national enrollment's run holds tens of thousands).
    const current = new Set(result.findings.map((f) => f.key));
    const firstSeen = previous
      ? await listRunFirstSeen({ db, runId: previous.id })
      : new Map<string, IsoDate>();
    const resolved: Finding[] =
      previous && [...firstSeen.keys()].some((k) => !current.has(k))
        ? await listRunFindings({ db, runId: previous.id, select: (k) => !current.has(k) })
        : [];
    current.clear();
    const stored = stampFindings(result.findings, firstSeen, asOf);
    firstSeen.clear();
    // The stored copies are the findings from here on.
    result.findings = [];
    const bySeverity: Record<string, number> = { critical: 0, major: 0, minor: 0, info: 0 };
    const byRule: Record<string, number> = {};
    const exceptedByRule: Record<string, number> = {};
    let excepted = 0;
    for (const f of stored) {
      bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
      if (isExcepted(f)) {
        excepted += 1;
        exceptedByRule[f.ruleId] = (exceptedByRule[f.ruleId] ?? 0) + 1;
      }
    }
    const counts: AuditCounts = {
      missing: result.missing,
      total: stored.length,
      bySeverity,
      byRule,
      new: stored.filter((f) => f.status === 'new').length,
      persisting: stored.filter((f) => f.status === 'persisting').length,
      resolved: resolved.length,
      excepted,
      exceptedByRule,
    };
    const finished = now();
    const durationMs = finished.getTime() - started.getTime();
    let model: ReportModel | null = null;
    if (runId !== null) {
      model = buildReportModel({
        runId,
        scopeLabel: label,
        contractId: scope.contractId,
        pbpId: scope.pbpId,
        generatedAt: finished.toISOString(),
        toolVersion: TOOL_VERSION,
        ruleSetVersion: RULE_SET_VERSION,
        rules: RULES,
        policy,
        policyHash: policyHash(policy),
        verdict: result.verdict,
        missing: result.missing,
        durationMs,
        whatIf: false,
        snapshot,
        findings: stored,
        resolved,
        previousRunId: previous?.id ?? null,
        coverage: result.coverage,
        timeliness: result.timeliness,
        exceptions: result.exceptions,
        keyPharmacies: result.keyPharmacies,
        recruitment: result.recruitment,
        members: { computed: result.membersComputed, plans: result.members },
        distance: result.distance,
        retailAccess: result.retailAccess,
        usableClassesByNpi: result.usableClassesByNpi,
        imports: inputs,
        rejectedRows: await listRejectedRows({
          db,
          importIds: inputs.map((i) => i.id),
          limit: 100_000,
        }),
      });
      await completeRun({
        db,
        runId,
        verdict: result.verdict,
        counts: { ...counts },
        findings: stored,
        reportParts: reportPartStream(model),
        finishedAt: finished.toISOString(),
        durationMs,
      });
    }
    return {
      runId,
      scope: label,
      asOf,
      verdict: result.verdict,
      missing: result.missing,
      counts,
      findings: stored,
      resolved,
      previousRunId: previous?.id ?? null,
      coverage: result.coverage,
      timeliness: result.timeliness,
      exceptions: result.exceptions,
      keyPharmacies: result.keyPharmacies,
      recruitment: result.recruitment,
      retailAccess: result.retailAccess,
      durationMs,
      model,
    };
  } catch (err) {
    if (runId !== null) {
      await failRun({ db, runId, error: err instanceof Error ? err.message : String(err) }).catch(
        () => undefined,
      );
    }
    if (err instanceof AuditError) throw err;
    throw new SystemError(`audit failed: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
