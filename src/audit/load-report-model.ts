/**
 * The report model of a STORED run, so any past run can be rendered again (`report RUN`): the
 * run row, its findings, its inputs (lineage) and the report parts it stored (stored-report.ts):
 * nothing is evaluated again, the rules and catalog of today play no part.
 *
 * A run stored before runs kept their report parts is rendered as before: the network snapshot
 * re-read as of the run's date and evaluated with TODAY's rule set for coverage, timeliness,
 * exceptions and contracting; the model says so (run.recomputedWith) and every format prints it.
 */
import type { Policy } from '../domain/policy.js';
import type { MissingData } from '../domain/types.js';
import type { Db } from '../db/connect.js';
import { loadSnapshot } from '../db/load-snapshot.js';
import {
  findPreviousRun,
  getLatestCompletedRun,
  getRun,
  listRejectedRows,
  listRunFindings,
  hasRunReportParts,
  readRunReportParts,
} from '../db/runs.js';
import { listImportsByIds } from '../db/imports.js';
import { UsageError } from '../errors.js';
import type { ReportModel } from '../report/model.js';
import { evaluate } from '../evaluate/engine.js';
import { parsePolicy } from '../evaluate/policy.js';
import { RULES, RULE_SET_VERSION } from '../rules/registry.js';
import { TOOL_VERSION } from '../version.js';
import { endOfDay } from '../util/time.js';
import { buildReportModel } from './build-report-model.js';
import { modelFromParts } from './stored-report.js';

/** The run's missing data as stored with its counts (runs stored before it was recorded: none). */
function storedMissing(counts: Record<string, unknown>): MissingData[] {
  const list = counts.missing;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (m): m is MissingData =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Record<string, unknown>).message === 'string' &&
      typeof (m as Record<string, unknown>).what === 'string',
  );
}

export async function loadReportModel(options: { db: Db; runId?: number }): Promise<ReportModel> {
  const { db } = options;
  const run = options.runId
    ? await getRun({ db, runId: options.runId })
    : await getLatestCompletedRun({ db });
  if (!run) {
    throw new UsageError(
      options.runId
        ? `no audit run ${options.runId}; see 'infusion-audit history'`
        : 'no completed audit run yet; run `infusion-audit audit` first',
    );
  }
  if (run.status !== 'completed') {
    throw new UsageError(`audit run ${run.id} is ${run.status}, not completed: nothing to report`);
  }
  const policy: Policy = parsePolicy(JSON.parse(run.policy) as unknown, `run ${run.id}`);
  const importIds = run.inputs.map((i) => i.importId);
  // The rows each input had in force and had ended on the run's date, as the run recorded them.
  const counted = new Map(run.inputs.map((i) => [i.importId, i]));
  const imports = (await listImportsByIds({ db, ids: importIds })).map((r) => {
    const i = counted.get(r.id);
    return {
      ...r,
      ...(i?.rowsInForce !== undefined ? { rowsInForce: i.rowsInForce } : {}),
      ...(i?.rowsEnded !== undefined ? { rowsEnded: i.rowsEnded } : {}),
    };
  });
  const rejectedRows = await listRejectedRows({ db, importIds, limit: 100_000 });
  const previous = await findPreviousRun({ db, scope: run.scope, beforeRunId: run.id });
  const reportRun = {
    runId: run.id,
    sponsorName: policy.sponsorName,
    scopeLabel: run.scope,
    contractId: run.contractId,
    pbpId: run.pbpId,
    asOf: run.asOf,
    generatedAt: run.finishedAt ?? run.startedAt,
    toolVersion: run.toolVersion,
    ruleSetVersion: run.ruleSetVersion,
    policy,
    policyHash: run.policyHash,
    verdict: run.verdict ?? 'NON_COMPLIANT',
    missing: storedMissing(run.counts),
    durationMs: run.durationMs ?? 0,
    whatIf: false,
  };
  if (await hasRunReportParts({ db, runId: run.id })) {
    const findings = await listRunFindings({ db, runId: run.id });
    const previousFindings = previous ? await listRunFindings({ db, runId: previous.id }) : [];
    const current = new Set(findings.map((f) => f.key));
    return modelFromParts(readRunReportParts({ db, runId: run.id }), {
      runId: run.id,
      run: reportRun,
      findings,
      resolved: previousFindings.filter((f) => !current.has(f.key)),
      previousRunId: previous?.id ?? null,
      lineage: { imports, rejectedRows },
    });
  }
  // A run stored before runs kept their report parts: evaluate again, and say so.
  const scope = { contractId: run.contractId, pbpId: run.pbpId };
  const snapshot = await loadSnapshot({
    db,
    asOf: run.asOf,
    scope,
    receivedBefore: endOfDay(run.asOf, policy.timeZone),
  });
  const evaluated = evaluate({ snapshot, policy, rules: RULES });
  // The model reads the requests as evaluated (timeliness), not as loaded: let the 100,000
  // loaded ones go before the run's findings are read.
  snapshot.coverageRequests = [];
  const findings = await listRunFindings({ db, runId: run.id });
  const previousFindings = previous ? await listRunFindings({ db, runId: previous.id }) : [];
  const current = new Set(findings.map((f) => f.key));
  const model = buildReportModel({
    runId: run.id,
    scopeLabel: run.scope,
    contractId: run.contractId,
    pbpId: run.pbpId,
    generatedAt: reportRun.generatedAt,
    toolVersion: run.toolVersion,
    ruleSetVersion: run.ruleSetVersion,
    rules: RULES,
    policy,
    policyHash: run.policyHash,
    verdict: reportRun.verdict,
    missing: reportRun.missing,
    durationMs: reportRun.durationMs,
    whatIf: false,
    snapshot,
    findings,
    resolved: previousFindings.filter((f) => !current.has(f.key)),
    previousRunId: previous?.id ?? null,
    coverage: evaluated.coverage,
    timeliness: evaluated.timeliness,
    exceptions: evaluated.exceptions,
    keyPharmacies: evaluated.keyPharmacies,
    recruitment: evaluated.recruitment,
    members: { computed: evaluated.membersComputed, plans: evaluated.members },
    distance: evaluated.distance,
    // The run did not evaluate the retail standard (its rule set had none): not invented now.
    retailAccess: null,
    usableClassesByNpi: evaluated.usableClassesByNpi,
    imports,
    rejectedRows,
  });
  model.run.recomputedWith = { ruleSetVersion: RULE_SET_VERSION, toolVersion: TOOL_VERSION };
  return model;
}
