/**
 * Audit runs and their findings: the history. A run is created 'running' and becomes
 * 'completed' (with its findings, in one transaction) or 'failed'; a run killed mid-way stays
 * 'running' and is never taken for a finished one.
 */
import { isExcepted } from '../domain/types.js';
import type {
  ExceptionMark,
  FindingStatus,
  ImportRecord,
  IsoDate,
  RejectedRow,
  Severity,
  StoredFinding,
  Verdict,
} from '../domain/types.js';
import type { Db } from './connect.js';
import { listImportsByIds } from './imports.js';
import { dbDate, dbInstant, fromDbDate } from './sql.js';

export interface RunInput {
  importId: number;
  fileName: string;
  sheet: string | null;
  sha256: string;
  kind: string;
  asOf: IsoDate;
}

export interface RunRecord {
  id: number;
  scope: string;
  contractId: string | null;
  pbpId: string | null;
  asOf: IsoDate;
  status: 'running' | 'completed' | 'failed';
  verdict: Verdict | null;
  policy: string;
  policyHash: string;
  ruleSetVersion: string;
  toolVersion: string;
  inputs: RunInput[];
  counts: Record<string, unknown>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

type RunRow = Awaited<ReturnType<Db['prisma']['auditRun']['findFirstOrThrow']>>;

function toRunRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    scope: r.scope,
    contractId: r.contractId,
    pbpId: r.pbpId,
    asOf: r.asOf.toISOString().slice(0, 10),
    status: r.status as RunRecord['status'],
    verdict: r.verdict as Verdict | null,
    policy: r.policy,
    policyHash: r.policyHash,
    ruleSetVersion: r.ruleSetVersion,
    toolVersion: r.toolVersion,
    inputs: JSON.parse(r.inputs) as RunInput[],
    counts: JSON.parse(r.counts) as Record<string, unknown>,
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.durationMs,
  };
}

export async function createRun(options: {
  db: Db;
  scope: string;
  contractId: string | null;
  pbpId: string | null;
  asOf: IsoDate;
  policy: string;
  policyHash: string;
  ruleSetVersion: string;
  toolVersion: string;
  inputs: RunInput[];
  startedAt: string;
}): Promise<number> {
  const run = await options.db.prisma.auditRun.create({
    data: {
      scope: options.scope,
      contractId: options.contractId,
      pbpId: options.pbpId,
      asOf: new Date(`${options.asOf}T00:00:00.000Z`),
      status: 'running',
      policy: options.policy,
      policyHash: options.policyHash,
      ruleSetVersion: options.ruleSetVersion,
      toolVersion: options.toolVersion,
      inputs: JSON.stringify(options.inputs),
      counts: '{}',
      startedAt: new Date(options.startedAt),
    },
  });
  return run.id;
}

export async function completeRun(options: {
  db: Db;
  runId: number;
  verdict: Verdict;
  counts: Record<string, unknown>;
  findings: readonly StoredFinding[];
  durationMs: number;
}): Promise<void> {
  const { db, runId } = options;
  const p = db.sql.provider;
  await db.sql.transaction(async (tx) => {
    await tx.bulkInsert(
      'finding',
      [
        'run_id',
        'key',
        'rule_id',
        'severity',
        'message_id',
        'message',
        'contract_id',
        'pbp_id',
        'segment_id',
        'county_fips',
        'drug_class',
        'npi',
        'request_id',
        'evidence',
        'status',
        'first_seen',
        'excepted',
        'exception',
      ],
      options.findings.map((f) => [
        runId,
        f.key,
        f.ruleId,
        f.severity,
        f.messageId,
        f.message,
        f.contractId,
        f.pbpId,
        f.segmentId,
        f.countyFips,
        f.drugClass,
        f.npi,
        f.requestId,
        JSON.stringify(f.evidence),
        f.status,
        dbDate(p, f.firstSeen),
        isExcepted(f),
        f.exception ? JSON.stringify(f.exception) : null,
      ]),
    );
    await tx.run(
      "UPDATE audit_run SET status = 'completed', verdict = ?, counts = ?, finished_at = ?, duration_ms = ? WHERE id = ?",
      [
        options.verdict,
        JSON.stringify(options.counts),
        dbInstant(p, new Date().toISOString()),
        options.durationMs,
        runId,
      ],
    );
  });
}

export async function failRun(options: { db: Db; runId: number; error: string }): Promise<void> {
  await options.db.prisma.auditRun.update({
    where: { id: options.runId },
    data: { status: 'failed', error: options.error, finishedAt: new Date() },
  });
}

/** The latest completed run of the same scope before this one: the base for new/persisting. */
export async function findPreviousRun(options: {
  db: Db;
  scope: string;
  beforeRunId?: number;
}): Promise<RunRecord | null> {
  const r = await options.db.prisma.auditRun.findFirst({
    where: {
      scope: options.scope,
      status: 'completed',
      official: true,
      ...(options.beforeRunId ? { id: { lt: options.beforeRunId } } : {}),
    },
    orderBy: { id: 'desc' },
  });
  return r ? toRunRecord(r) : null;
}

export async function getRun(options: { db: Db; runId: number }): Promise<RunRecord | null> {
  const r = await options.db.prisma.auditRun.findUnique({ where: { id: options.runId } });
  return r ? toRunRecord(r) : null;
}

export async function getLatestCompletedRun(options: { db: Db }): Promise<RunRecord | null> {
  const r = await options.db.prisma.auditRun.findFirst({
    where: { status: 'completed' },
    orderBy: { id: 'desc' },
  });
  return r ? toRunRecord(r) : null;
}

export async function listRuns(options: { db: Db; limit: number }): Promise<RunRecord[]> {
  const rows = await options.db.prisma.auditRun.findMany({
    orderBy: { id: 'desc' },
    take: options.limit,
  });
  return rows.map(toRunRecord);
}

export async function listRunFindings(options: {
  db: Db;
  runId: number;
}): Promise<StoredFinding[]> {
  const rows = await options.db.prisma.finding.findMany({
    where: { runId: options.runId },
    orderBy: { id: 'asc' },
  });
  return rows.map((f) => ({
    key: f.key,
    ruleId: f.ruleId,
    severity: f.severity as Severity,
    messageId: f.messageId,
    message: f.message,
    contractId: f.contractId,
    pbpId: f.pbpId,
    segmentId: f.segmentId,
    countyFips: f.countyFips,
    drugClass: f.drugClass,
    npi: f.npi,
    requestId: f.requestId,
    evidence: JSON.parse(f.evidence) as StoredFinding['evidence'],
    status: f.status as FindingStatus,
    firstSeen: f.firstSeen.toISOString().slice(0, 10),
    exception: f.exception ? (JSON.parse(f.exception) as ExceptionMark) : null,
  }));
}

const VERSIONED_TABLES = [
  'pharmacy',
  'plan',
  'service_area',
  'network_membership',
  'capability',
  'assurance',
  'coverage_request',
  'finding_exception',
] as const;

/** The imports whose records are in force on the date: the run's inputs (data lineage). */
export async function listImportsInForce(options: {
  db: Db;
  asOf: IsoDate;
}): Promise<ImportRecord[]> {
  const { db, asOf } = options;
  const d = dbDate(db.sql.provider, asOf);
  const union = VERSIONED_TABLES.map(
    (t) =>
      `SELECT DISTINCT import_id FROM ${t} WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`,
  ).join(' UNION ');
  const ids = await db.sql.query<{ import_id: number | string }>(
    union,
    VERSIONED_TABLES.flatMap(() => [d, d]),
  );
  return listImportsByIds({ db, ids: ids.map((r) => Number(r.import_id)) });
}

export async function listRejectedRows(options: {
  db: Db;
  importIds: readonly number[];
  limit?: number;
}): Promise<RejectedRow[]> {
  const rows = await options.db.prisma.rejectedRow.findMany({
    where: { importId: { in: [...options.importIds] } },
    include: { import: { select: { fileName: true, sheet: true } } },
    orderBy: [{ importId: 'asc' }, { rowNumber: 'asc' }],
    ...(options.limit ? { take: options.limit } : {}),
  });
  return rows.map((r) => ({
    importId: r.importId,
    fileName: r.import.sheet ? `${r.import.fileName} [${r.import.sheet}]` : r.import.fileName,
    rowNumber: r.rowNumber,
    column: r.column,
    value: r.value,
    reason: r.reason,
    raw: JSON.parse(r.raw) as Record<string, string>,
  }));
}

export { fromDbDate };
