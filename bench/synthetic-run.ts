/**
 * Adds a completed audit run of N findings to a bench database, for measuring `report` on a run
 * that large (the national data set yields about 11,000). The findings are the latest completed
 * run's, repeated until there are N: the first copy keeps its key and status, later copies get a
 * key suffix `|copy-<n>` and status 'new'. Same scope, as-of date, policy and inputs as that run,
 * and the same stored report parts (coverage, timeliness, names, ...), so `report <id>` renders
 * what that run stored with N findings and compares with that run (nothing resolved).
 * Written through src/db (createRun, completeRun) like any audit.
 *
 * Usage: tsx bench/synthetic-run.ts DB_URL N   -> prints {"runId": ..., "findings": N}
 */
import { openDatabase } from '../src/db/connect.js';
import {
  completeRun,
  createRun,
  getLatestCompletedRun,
  listRunFindings,
  readRunReportParts,
  type ReportPart,
} from '../src/db/runs.js';
import type { StoredFinding } from '../src/domain/types.js';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!url || !Number.isInteger(count) || count < 1) {
  throw new Error('usage: synthetic-run.ts DB_URL N');
}
const db = await openDatabase({ url });
try {
  const base = await getLatestCompletedRun({ db });
  if (!base) throw new Error('no completed audit run to copy: run `audit` first');
  const source = await listRunFindings({ db, runId: base.id });
  if (source.length === 0) throw new Error(`run ${base.id} has no findings to copy`);
  const findings: StoredFinding[] = [];
  for (let i = 0; i < count; i++) {
    const f = source[i % source.length]!;
    const copy = Math.floor(i / source.length);
    findings.push(copy === 0 ? f : { ...f, key: `${f.key}|copy-${copy}`, status: 'new' });
  }
  const reportParts: ReportPart[] = [];
  for await (const p of readRunReportParts({ db, runId: base.id })) reportParts.push(p);
  const runId = await createRun({
    db,
    scope: base.scope,
    contractId: base.contractId,
    pbpId: base.pbpId,
    asOf: base.asOf,
    policy: base.policy,
    policyHash: base.policyHash,
    ruleSetVersion: base.ruleSetVersion,
    toolVersion: base.toolVersion,
    inputs: base.inputs,
    startedAt: new Date().toISOString(),
  });
  await completeRun({
    db,
    runId,
    verdict: base.verdict ?? 'NON_COMPLIANT',
    counts: { ...base.counts, total: count, synthetic: true },
    findings,
    reportParts,
    finishedAt: new Date().toISOString(),
    durationMs: base.durationMs ?? 0,
  });
  console.log(JSON.stringify({ runId, findings: count, copiedFrom: base.id }));
} finally {
  await db.close();
}
