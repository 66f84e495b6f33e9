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
import { SystemError } from '../errors.js';
import type { Db } from './connect.js';
import { listImportsByIds } from './imports.js';
import { dbDate, dbInstant, fromDbDate, fromDbInstant, type SqlRow, type SqlValue } from './sql.js';
import type * as Rows from './row-types.js';

export interface RunInput {
  importId: number;
  fileName: string;
  sheet: string | null;
  sha256: string;
  kind: string;
  asOf: IsoDate;
  /** The import's rows in force on the run's as-of date, and its rows ended by then. */
  rowsInForce?: number;
  rowsEnded?: number;
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

// The audit and report paths read and write runs with plain SQL, not Prisma: Prisma's query
// engine costs about 70 MB of RSS the first time it runs a query in a process.

/** Columns from prisma/schema.prisma (src/db/row-types.ts). */
type RunRow = Pick<
  Rows.AuditRunRow,
  | 'id'
  | 'scope'
  | 'contract_id'
  | 'pbp_id'
  | 'as_of'
  | 'status'
  | 'verdict'
  | 'policy'
  | 'policy_hash'
  | 'rule_set_version'
  | 'tool_version'
  | 'inputs'
  | 'counts'
  | 'error'
  | 'started_at'
  | 'finished_at'
  | 'duration_ms'
>;

const RUN_COLUMNS =
  'id, scope, contract_id, pbp_id, as_of, status, verdict, policy, policy_hash, rule_set_version, tool_version, inputs, counts, error, started_at, finished_at, duration_ms';

function toRunRecord(r: RunRow): RunRecord {
  return {
    id: Number(r.id),
    scope: r.scope,
    contractId: r.contract_id,
    pbpId: r.pbp_id,
    asOf: fromDbDate(r.as_of),
    status: r.status as RunRecord['status'],
    verdict: r.verdict as Verdict | null,
    policy: r.policy,
    policyHash: r.policy_hash,
    ruleSetVersion: r.rule_set_version,
    toolVersion: r.tool_version,
    inputs: JSON.parse(r.inputs) as RunInput[],
    counts: JSON.parse(r.counts) as Record<string, unknown>,
    error: r.error,
    startedAt: fromDbInstant(r.started_at),
    finishedAt: r.finished_at === null ? null : fromDbInstant(r.finished_at),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  };
}

/** Larger than any id (ids are 32-bit integers on both databases). */
const NO_ID_LIMIT = 2_147_483_647;

async function queryRuns(db: Db, sql: string, params: SqlValue[]): Promise<RunRecord[]> {
  const rows = await db.sql.query<RunRow>(sql, params);
  return rows.map(toRunRecord);
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
  const p = options.db.sql.provider;
  const rows = await options.db.sql.query<{ id: number | string }>(
    `INSERT INTO audit_run (scope, contract_id, pbp_id, as_of, status, official, policy, policy_hash,
       rule_set_version, tool_version, inputs, counts, started_at)
     VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, '{}', ?) RETURNING id`,
    [
      options.scope,
      options.contractId,
      options.pbpId,
      dbDate(p, options.asOf),
      true,
      options.policy,
      options.policyHash,
      options.ruleSetVersion,
      options.toolVersion,
      JSON.stringify(options.inputs),
      dbInstant(p, options.startedAt),
    ],
  );
  return Number(rows[0]!.id);
}

/** items.map(row), one row at a time as the writer asks for it (no array of every row). */
function* mapRows<T>(items: Iterable<T>, row: (item: T) => SqlValue[]): Generator<SqlValue[]> {
  for (const item of items) yield row(item);
}

export async function completeRun(options: {
  db: Db;
  runId: number;
  verdict: Verdict;
  counts: Record<string, unknown>;
  findings: readonly StoredFinding[];
  /**
   * What the report needs beyond the findings, as the run evaluated it (run_report_part); read
   * once, a part at a time (a generator: each part's text can go once written).
   */
  reportParts: Iterable<ReportPart>;
  /** The instant the run finished (the report's generated-at). */
  finishedAt: string;
  durationMs: number;
}): Promise<void> {
  const { db, runId } = options;
  const p = db.sql.provider;
  await db.sql.transaction(async (tx) => {
    // Each part's text written as it is made, once (binary COPY on PostgreSQL: no quoted copy
    // of some 70 MB of JSON, whose garbage took the PostgreSQL audit's heap past 500 MB).
    const parts = await tx.rowWriter('run_report_part', ['run_id', 'part', 'seq', 'body'], {
      binary: ['int4', 'text', 'int4', 'text'],
    });
    try {
      for (const r of options.reportParts) {
        parts.add([runId, r.part, r.seq, r.body]);
        await parts.flush();
      }
      await parts.end();
    } catch (err) {
      await parts.abort();
      throw err;
    }
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
      mapRows(options.findings, (f) => [
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
    const changed = await tx.run(
      "UPDATE audit_run SET status = 'completed', verdict = ?, counts = ?, finished_at = ?, duration_ms = ? WHERE id = ? AND status = 'running'",
      [
        options.verdict,
        JSON.stringify(options.counts),
        dbInstant(p, options.finishedAt),
        options.durationMs,
        runId,
      ],
    );
    if (changed !== 1) {
      // Marked failed meanwhile by a batch that took the lock over: do not flip it back.
      throw new SystemError(
        `run ${runId} is no longer running (another batch marked it failed while this one was paused); its findings were not stored`,
      );
    }
  });
}

/** One stored part of a run's report model: a section (or a slice of one) as JSON. */
export interface ReportPart {
  part: string;
  seq: number;
  body: string;
}

/**
 * The stored report parts of a run, in part then seq order (none for runs stored before them),
 * read one at a time: a caller that parses each part as it comes never holds the run's whole
 * store as text (about 60 MB for 100,000 coverage requests).
 */
export async function* readRunReportParts(options: {
  db: Db;
  runId: number;
}): AsyncGenerator<ReportPart> {
  const keys = await options.db.sql.query<{ part: string; seq: number | string }>(
    'SELECT part, seq FROM run_report_part WHERE run_id = ? ORDER BY part, seq',
    [options.runId],
  );
  for (const k of keys) {
    const [row] = await options.db.sql.query<{ body: string }>(
      'SELECT body FROM run_report_part WHERE run_id = ? AND part = ? AND seq = ?',
      [options.runId, k.part, Number(k.seq)],
    );
    if (row) yield { part: k.part, seq: Number(k.seq), body: row.body };
  }
}

/** Whether the run stored its report parts (runs stored before them did not). */
export async function hasRunReportParts(options: { db: Db; runId: number }): Promise<boolean> {
  const rows = await options.db.sql.query(
    "SELECT 1 AS one FROM run_report_part WHERE run_id = ? AND part = 'format'",
    [options.runId],
  );
  return rows.length > 0;
}

export async function failRun(options: { db: Db; runId: number; error: string }): Promise<void> {
  await options.db.sql.run(
    "UPDATE audit_run SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
    [options.error, dbInstant(options.db.sql.provider, new Date().toISOString()), options.runId],
  );
}

/** The latest completed run of the same scope before this one: the base for new/persisting. */
export async function findPreviousRun(options: {
  db: Db;
  scope: string;
  beforeRunId?: number;
}): Promise<RunRecord | null> {
  const [r] = await queryRuns(
    options.db,
    `SELECT ${RUN_COLUMNS} FROM audit_run
      WHERE scope = ? AND status = 'completed' AND official = ? AND id < ?
      ORDER BY id DESC LIMIT 1`,
    [options.scope, true, options.beforeRunId ?? NO_ID_LIMIT],
  );
  return r ?? null;
}

export async function getRun(options: { db: Db; runId: number }): Promise<RunRecord | null> {
  const [r] = await queryRuns(options.db, `SELECT ${RUN_COLUMNS} FROM audit_run WHERE id = ?`, [
    options.runId,
  ]);
  return r ?? null;
}

export async function getLatestCompletedRun(options: { db: Db }): Promise<RunRecord | null> {
  const [r] = await queryRuns(
    options.db,
    `SELECT ${RUN_COLUMNS} FROM audit_run WHERE status = 'completed' ORDER BY id DESC LIMIT 1`,
    [],
  );
  return r ?? null;
}

export async function listRuns(options: { db: Db; limit: number }): Promise<RunRecord[]> {
  return queryRuns(options.db, `SELECT ${RUN_COLUMNS} FROM audit_run ORDER BY id DESC LIMIT ?`, [
    options.limit,
  ]);
}

export async function listRunFindings(options: {
  db: Db;
  runId: number;
  /**
   * Keeps only the findings whose key it accepts (the others are never built): an audit reads
   * back only the previous run's findings it no longer has (resolved).
   */
  select?: (key: string) => boolean;
}): Promise<StoredFinding[]> {
  const select = options.select ?? null;
  // Plain SQL: a run can hold 100,000 findings, and Prisma's row objects (and its query engine's
  // memory, which grows with a result and is not given back) cost several times the findings.
  // Read a page at a time (the driver's rows for the whole run never exist at once); codes that
  // repeat from finding to finding share one string.
  const strings = new Map<string, string>();
  const shared = <T extends string | null>(v: T): T => {
    if (v === null) return v;
    const known = strings.get(v);
    if (known !== undefined) return known as T;
    strings.set(v, v);
    return v;
  };
  const days = new Map<unknown, string>();
  const day = (v: unknown): string => {
    let d = days.get(v);
    if (d === undefined) {
      d = fromDbDate(v);
      if (typeof v === 'string') days.set(v, d);
    }
    return d;
  };
  const out: StoredFinding[] = [];
  // Pages are id ranges within the run's ids (`+run_id` keeps SQLite on the primary key: through
  // the (run_id, key) index it would sort the whole run again for every page).
  for await (const rows of readFindingPages<FindingRow>({
    db: options.db,
    runId: options.runId,
    page: FINDING_PAGE,
    sql: `SELECT id, key, rule_id, severity, message_id, message, contract_id, pbp_id, segment_id,
                 county_fips, drug_class, npi, request_id, evidence, status, first_seen, exception
            FROM finding WHERE +run_id = ? AND id > ? AND id <= ? ORDER BY id`,
  })) {
    for (const f of rows) {
      if (select !== null && !select(f.key)) continue;
      out.push({
        key: f.key,
        ruleId: shared(f.rule_id),
        severity: shared(f.severity) as Severity,
        messageId: shared(f.message_id),
        message: f.message,
        contractId: shared(f.contract_id),
        pbpId: shared(f.pbp_id),
        segmentId: shared(f.segment_id),
        countyFips: shared(f.county_fips),
        drugClass: shared(f.drug_class),
        npi: shared(f.npi),
        requestId: f.request_id,
        evidence: JSON.parse(f.evidence) as StoredFinding['evidence'],
        status: shared(f.status) as FindingStatus,
        firstSeen: day(f.first_seen),
        exception: f.exception ? (JSON.parse(f.exception) as ExceptionMark) : null,
      });
    }
  }
  return out;
}

/**
 * The first-seen date of each finding of a run, by key: what an audit needs of its previous
 * run's findings that it still has (persisting ones keep their first-seen date). Read in pages
 * as listRunFindings reads them, without messages or evidence.
 */
export async function listRunFirstSeen(options: {
  db: Db;
  runId: number;
}): Promise<Map<string, IsoDate>> {
  const out = new Map<string, IsoDate>();
  const days = new Map<unknown, IsoDate>();
  for await (const rows of readFindingPages<Pick<FindingRow, 'key' | 'first_seen'>>({
    db: options.db,
    runId: options.runId,
    page: FIRST_SEEN_PAGE,
    sql: `SELECT key, first_seen FROM finding WHERE +run_id = ? AND id > ? AND id <= ? ORDER BY id`,
  })) {
    for (const r of rows) {
      let d = days.get(r.first_seen);
      if (d === undefined) {
        d = fromDbDate(r.first_seen);
        if (typeof r.first_seen === 'string') days.set(r.first_seen, d);
      }
      out.set(r.key, d);
    }
  }
  return out;
}

/**
 * A run's findings in pages of ids (`sql` takes the run id and an id range `> lo AND <= hi`):
 * id ranges within the run's ids, so that SQLite stays on the primary key (`+run_id`; through
 * the (run_id, key) index it would sort the whole run again for every page).
 */
async function* readFindingPages<T extends SqlRow>(options: {
  db: Db;
  runId: number;
  page: number;
  sql: string;
}): AsyncGenerator<T[]> {
  const { db, runId, page, sql } = options;
  const [range] = await db.sql.query<{
    lo: number | string | null;
    hi: number | string | null;
  }>('SELECT MIN(id) AS lo, MAX(id) AS hi FROM finding WHERE run_id = ?', [runId]);
  if (!range || range.lo === null || range.hi === null) return;
  const hi = Number(range.hi);
  for (let lo = Number(range.lo) - 1; lo < hi; lo += page) {
    yield await db.sql.query<T>(sql, [runId, lo, lo + page]);
  }
}

/** Keys read per query by listRunFirstSeen. */
const FIRST_SEEN_PAGE = 10_000;

/** Findings read per query by listRunFindings (small pages: the raw rows die young, not promoted). */
const FINDING_PAGE = 1_000;

/** Columns from prisma/schema.prisma (src/db/row-types.ts). */
type FindingRow = Pick<
  Rows.FindingRow,
  | 'id'
  | 'key'
  | 'rule_id'
  | 'severity'
  | 'message_id'
  | 'message'
  | 'contract_id'
  | 'pbp_id'
  | 'segment_id'
  | 'county_fips'
  | 'drug_class'
  | 'npi'
  | 'request_id'
  | 'evidence'
  | 'status'
  | 'first_seen'
  | 'exception'
>;

/** The effective-dated tables (valid_from / valid_to). */
export const VERSIONED_TABLES = [
  'pharmacy',
  'plan',
  'service_area',
  'network_membership',
  'capability',
  'assurance',
  'coverage_request',
  'finding_exception',
  'enrollment',
] as const;

/**
 * The run's inputs (data lineage): the imports with records in force on the date, and the
 * imports the snapshot in force superseded (every row ended, on the latest import date of their
 * kind up to the date), each with its rows in force and its rows ended by then.
 */
export async function listImportsInForce(options: {
  db: Db;
  asOf: IsoDate;
}): Promise<ImportRecord[]> {
  const { db, asOf } = options;
  const d = dbDate(db.sql.provider, asOf);
  // The versions per import, table, valid_from and valid_to, kept by the import that writes or
  // retires them (src/db/stage-snapshot.ts): some dozens of rows, where the tables hold millions.
  const rows = await db.sql.query<{
    import_id: number | string;
    table_name: string;
    live: number | string;
    ended: number | string;
    last_end: unknown;
  }>(
    `SELECT import_id, table_name,
            SUM(CASE WHEN valid_to IS NULL OR valid_to > ? THEN rows ELSE 0 END) AS live,
            SUM(CASE WHEN valid_to <= ? THEN rows ELSE 0 END) AS ended,
            MAX(CASE WHEN valid_to <= ? THEN valid_to END) AS last_end
       FROM import_version_count WHERE valid_from <= ? GROUP BY import_id, table_name`,
    [d, d, d, d],
  );
  // In table order, then import id: an import's rows are in one table (its kind's).
  const order = new Map<string, number>(VERSIONED_TABLES.map((t, i) => [t, i]));
  const counts = rows
    .filter((r) => order.has(r.table_name))
    .sort(
      (a, b) =>
        order.get(a.table_name)! - order.get(b.table_name)! ||
        Number(a.import_id) - Number(b.import_id),
    );
  const latest = new Map(
    (
      await db.sql.query<{ kind: string; as_of: unknown }>(
        `SELECT kind, MAX(as_of) AS as_of FROM roster_import WHERE status = 'completed' AND as_of <= ? GROUP BY kind`,
        [d],
      )
    ).map((r) => [r.kind, fromDbDate(r.as_of)]),
  );
  const byId = new Map(
    counts.map((c) => [
      Number(c.import_id),
      {
        live: Number(c.live),
        ended: Number(c.ended),
        lastEnd: c.last_end === null || c.last_end === undefined ? null : fromDbDate(c.last_end),
      },
    ]),
  );
  const candidates = [...byId.entries()].filter(([, c]) => c.live > 0 || c.ended > 0);
  const records = await listImportsByIds({ db, ids: candidates.map(([id]) => id) });
  return records
    .filter((r) => {
      const c = byId.get(r.id)!;
      return c.live > 0 || (c.lastEnd !== null && c.lastEnd === latest.get(r.kind));
    })
    .map((r) => ({ ...r, rowsInForce: byId.get(r.id)!.live, rowsEnded: byId.get(r.id)!.ended }));
}

/**
 * The latest completed import of each file (kind, file name, sheet) on or before the as-of date:
 * a file imported again (corrected) answers for its rows, and the earlier import's rejected rows
 * no longer count against the audit, even where its unchanged rows stay in force.
 */
export async function listLatestImportIds(options: {
  db: Db;
  asOf: IsoDate;
}): Promise<Set<number>> {
  const { db, asOf } = options;
  const rows = await db.sql.query<{ id: number | string }>(
    `SELECT MAX(id) AS id FROM roster_import WHERE status = 'completed' AND as_of <= ? GROUP BY kind, file_name, sheet`,
    [dbDate(db.sql.provider, asOf)],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * The latest import of a file (kind, file name, sheet) on or before the date that has rejected
 * rows and no rows in force, where it still answers for its file: an earlier import of the same
 * file is in force (the file sent again, its other rows unchanged, so they keep their first
 * import), or no import in force of its kind is later (a new file whose every row was rejected
 * changed nothing, and the rows in force are the older file's). Listed in the run's lineage with
 * no rows in force, so that their rejected rows count and the reports list them.
 */
export async function listLatestImportsWithoutRows(options: {
  db: Db;
  asOf: IsoDate;
  inForce: readonly ImportRecord[];
}): Promise<ImportRecord[]> {
  const { db, asOf, inForce } = options;
  const ids = new Set(inForce.map((i) => i.id));
  const latest = await db.sql.query<{ id: number | string }>(
    `SELECT id FROM roster_import
      WHERE rejected > 0 AND id IN (
        SELECT MAX(id) FROM roster_import WHERE status = 'completed' AND as_of <= ?
         GROUP BY kind, file_name, sheet)`,
    [dbDate(db.sql.provider, asOf)],
  );
  const candidates = latest.map((r) => Number(r.id)).filter((id) => !ids.has(id));
  const sameFile = (a: ImportRecord, b: ImportRecord): boolean =>
    a.kind === b.kind && a.fileName === b.fileName && a.sheet === b.sheet;
  const later = (a: ImportRecord, b: ImportRecord): boolean =>
    a.asOf > b.asOf || (a.asOf === b.asOf && a.id > b.id);
  return (await listImportsByIds({ db, ids: candidates }))
    .filter(
      (r) =>
        inForce.some((i) => sameFile(i, r)) ||
        !inForce.some((i) => i.kind === r.kind && later(i, r)),
    )
    .map((r) => ({ ...r, rowsInForce: 0, rowsEnded: 0 }));
}

export async function listRejectedRows(options: {
  db: Db;
  importIds: readonly number[];
  limit?: number;
}): Promise<RejectedRow[]> {
  if (options.importIds.length === 0) return [];
  const marks = options.importIds.map(() => '?').join(', ');
  const rows = await options.db.sql.query<{
    import_id: number | string;
    file_name: string;
    sheet: string | null;
    row_number: number | string;
    column: string | null;
    value: string | null;
    reason: string;
    raw: string;
  }>(
    `SELECT r.import_id, i.file_name, i.sheet, r.row_number, r."column", r."value", r.reason, r.raw
       FROM rejected_row r JOIN roster_import i ON i.id = r.import_id
      WHERE r.import_id IN (${marks})
      ORDER BY r.import_id, r.row_number, r.id LIMIT ?`,
    [...options.importIds, options.limit ?? NO_ID_LIMIT],
  );
  return rows.map((r) => ({
    importId: Number(r.import_id),
    fileName: r.sheet ? `${r.file_name} [${r.sheet}]` : r.file_name,
    rowNumber: Number(r.row_number),
    column: r.column,
    value: r.value,
    reason: r.reason,
    raw: JSON.parse(r.raw) as Record<string, string>,
  }));
}

export { fromDbDate };
