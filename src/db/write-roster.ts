/**
 * Writes the roster files (and sheets) of one kind in one command in ONE transaction: their
 * import records, their rejected rows and the versions planned by src/import/plan-versions.ts. Set-based, raw SQL: Prisma's
 * row-at-a-time paths are far too slow for bulk imports (shared/domain/TOOLCHAIN.md).
 */
import { createHash } from 'node:crypto';
import type { IsoDate, PlanKey, RosterKind } from '../domain/types.js';
import { InputConflictError } from './errors.js';
import type { Db } from './connect.js';
import type { VersionedTable } from './roster-tables.js';
import {
  planIsEmpty,
  planVersions,
  type BatchRecordInput,
  type SourcePlan,
  type StoredVersionInput,
} from '../import/plan-versions.js';
import { dbDate, dbInstant, fromDbDate, type SqlExecutor, type SqlValue } from './sql.js';

export interface RejectedRowInput {
  rowNumber: number;
  column: string | null;
  value: string | null;
  reason: string;
  raw: Record<string, string>;
}

export interface ImportMeta {
  path: string;
  fileName: string;
  sheet: string | null;
  sha256: string;
  kind: RosterKind;
  asOf: IsoDate;
  rowsRead: number;
  warnings: number;
  startedAt: string;
}

export interface WriteResult {
  importId: number;
  /** New versions written (new records and changed ones). */
  inserted: number;
  /** Stored records this snapshot no longer lists, ended at its as-of date. */
  ended: number;
  unchanged: number;
}

/** sha256 of the values as JSON, first 32 hex digits: what a version's content_hash holds. */
export function contentHash(values: readonly SqlValue[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32);
}

function toDb(
  provider: Db['sql']['provider'],
  table: VersionedTable<unknown>,
  values: readonly SqlValue[],
): SqlValue[] {
  return values.map((v, i) => {
    const col = table.columns[i]!;
    if (v === null || typeof v !== 'string') return v;
    if (table.dateColumns.has(col)) return dbDate(provider, v);
    if (table.instantColumns.has(col)) return dbInstant(provider, v);
    return v;
  });
}

/** The versions in force of the table (its source), within the scopes given (null: all). */
async function loadCurrent<T>(
  tx: SqlExecutor,
  table: VersionedTable<T>,
  scope: Set<string> | null,
): Promise<StoredVersionInput[]> {
  const scopeCols = table.scopeColumns === 'none' ? [] : table.scopeColumns;
  const cols = [...new Set([...table.keyColumns, ...scopeCols, ...table.identityColumns])];
  const rows = await tx.query(
    `SELECT id, valid_from, content_hash, import_id, ${cols.join(', ')} FROM ${table.table} WHERE valid_to IS NULL${table.source ? ' AND source = ?' : ''}`,
    table.source ? [table.source] : [],
  );
  const out: StoredVersionInput[] = [];
  const text = (r: Record<string, unknown>, c: string): string =>
    table.dateColumns.has(c) ? fromDbDate(r[c]) : String(r[c]);
  for (const r of rows) {
    const scopeValue = scopeCols.length > 0 ? scopeCols.map((c) => String(r[c])).join('|') : null;
    if (scope && !scope.has(scopeValue ?? '')) continue;
    out.push({
      id: Number(r.id),
      key: table.keyColumns.map((c) => text(r, c)).join('|'),
      scope: scopeValue,
      identity: table.identityColumns.map((c) => text(r, c)).join('|'),
      validFrom: fromDbDate(r.valid_from),
      hash: String(r.content_hash),
      importId: Number(r.import_id),
    });
  }
  return out;
}

/** One source (file or XLSX sheet) of a batch of one kind. */
export interface BatchSource<T> {
  meta: ImportMeta;
  /** Rows of the source accepted (a row may store more than one record). */
  acceptedRows: number;
  rejected: readonly RejectedRowInput[];
  /** Rejected rows in all, when more were counted than `rejected` keeps. */
  rejectedTotal?: number;
  plansCovered?: readonly PlanKey[];
  records: readonly T[];
  /** Identities (VersionedTable.identityColumns) named by rejected rows that could be read. */
  rejectedIdentities: ReadonlySet<string>;
  /** Rejected rows whose identity could not be read. */
  unreadableRejections: number;
  /** True when these bytes (and sheet) were imported before. */
  seenBefore: boolean;
}

/** An earlier import some of whose rows this batch ended. */
export interface EndedFrom {
  importId: number;
  fileName: string;
  sheet: string | null;
  asOf: IsoDate;
  rows: number;
}

export interface BatchWriteResult {
  /** 'unchanged': the batch is the snapshot in force already; nothing was written. */
  status: 'written' | 'unchanged';
  perSource: (SourcePlan & { importId: number | null })[];
  endedFrom: EndedFrom[];
}

/** The scope value of a record (scopeColumns joined by '|'), null for unscoped kinds. */
function scopeOf<T>(table: VersionedTable<T>, rec: T): string | null {
  if (table.scopeColumns === 'none') return null;
  const row = table.row(rec);
  return table.scopeColumns.map((c) => String(row[table.columns.indexOf(c)])).join('|');
}

/**
 * Writes every source of one kind in one command as ONE snapshot, in ONE transaction: an import
 * record and rejected rows per source, then the versions planned by planVersions (new versions
 * from the as-of date; replaced and no-longer-listed versions ended, or removed when they began
 * on the as-of date). When the plan changes nothing and every source's bytes were imported
 * before, nothing is written (status 'unchanged': the snapshot in force is these files').
 */
export async function writeRosterBatch<T>(options: {
  db: Db;
  table: VersionedTable<T>;
  kind: RosterKind;
  asOf: IsoDate;
  sources: readonly BatchSource<T>[];
  append: boolean;
  endDespiteRejects: boolean;
}): Promise<BatchWriteResult> {
  const { db, table, sources, asOf } = options;
  const p = db.sql.provider;
  return db.sql.transaction(async (tx) => {
    const records: BatchRecordInput<T>[] = [];
    const scope = table.scopeColumns === 'none' ? null : new Set<string>();
    sources.forEach((src, i) => {
      for (const rec of src.records) {
        const recScope = scopeOf(table, rec);
        if (scope && recScope !== null) scope.add(recScope);
        records.push({
          record: rec,
          key: table.key(rec),
          scope: recScope,
          hash: contentHash(table.hashed ? table.hashed(rec) : table.row(rec)),
          source: i,
        });
      }
    });
    const current = await loadCurrent(tx, table, scope);
    const plan = planVersions(current, records, sources, {
      asOf,
      append: options.append,
      endDespiteRejects: options.endDespiteRejects,
      scoped: table.scopeColumns !== 'none',
    });
    if (plan.later !== null) {
      throw new InputConflictError(
        `${sources.map((s) => s.meta.fileName).join(', ')}: the database already holds a ${options.kind} roster as of ${plan.later}, later than the as-of date ${asOf}; import rosters in date order`,
      );
    }
    if (planIsEmpty(plan) && sources.every((s) => s.seenBefore)) {
      return {
        status: 'unchanged',
        perSource: plan.perSource.map((sp) => ({ ...sp, importId: null })),
        endedFrom: [],
      };
    }

    const importIds: number[] = [];
    for (const src of sources) {
      importIds.push(await insertImport(tx, src));
    }
    const asOfDb = dbDate(p, asOf);
    for (const id of plan.deletes) await tx.run(`DELETE FROM ${table.table} WHERE id = ?`, [id]);
    for (const id of plan.closes)
      await tx.run(`UPDATE ${table.table} SET valid_to = ? WHERE id = ?`, [asOfDb, id]);
    await tx.bulkInsert(
      table.table,
      [...table.columns, 'valid_from', 'import_id', 'content_hash'],
      plan.inserts.map((r) => [
        ...toDb(p, table, table.row(r.record)),
        asOfDb,
        importIds[r.source]!,
        r.hash,
      ]),
    );
    return {
      status: 'written',
      perSource: plan.perSource.map((sp, i) => ({ ...sp, importId: importIds[i]! })),
      endedFrom: await describeImports(tx, plan.endedByImport),
    };
  });
}

async function insertImport<T>(tx: SqlExecutor, src: BatchSource<T>): Promise<number> {
  const { meta, rejected } = src;
  const p = tx.provider;
  const started = Date.parse(meta.startedAt);
  const inserted = await tx.query<{ id: number | string }>(
    `INSERT INTO roster_import (path, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, warnings, status, started_at, finished_at, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?) RETURNING id`,
    [
      meta.path,
      meta.fileName,
      meta.sheet,
      meta.sha256,
      meta.kind,
      dbDate(p, meta.asOf),
      meta.rowsRead,
      src.acceptedRows,
      src.rejectedTotal ?? rejected.length,
      meta.warnings,
      dbInstant(p, meta.startedAt),
      dbInstant(p, new Date().toISOString()),
      Math.max(0, Date.now() - started),
    ],
  );
  const importId = Number(inserted[0]!.id);
  await tx.bulkInsert(
    'rejected_row',
    ['import_id', 'row_number', 'column', 'value', 'reason', 'raw'],
    rejected.map((r) => [
      importId,
      r.rowNumber,
      r.column,
      r.value,
      r.reason,
      JSON.stringify(r.raw),
    ]),
  );
  if (src.plansCovered && src.plansCovered.length > 0) {
    await tx.bulkInsert(
      'import_plan',
      ['import_id', 'contract_id', 'pbp_id', 'segment_id'],
      src.plansCovered.map((k) => [importId, k.contractId, k.pbpId, k.segmentId]),
    );
  }
  return importId;
}

/** File, sheet and as-of date of the earlier imports whose rows a batch ended. */
export async function describeImports(
  tx: SqlExecutor,
  counts: ReadonlyMap<number, number>,
): Promise<EndedFrom[]> {
  if (counts.size === 0) return [];
  const ids = [...counts.keys()];
  const rows = await tx.query<{
    id: number | string;
    file_name: string;
    sheet: string | null;
    as_of: unknown;
  }>(
    `SELECT id, file_name, sheet, as_of FROM roster_import WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`,
    ids,
  );
  return rows.map((r) => ({
    importId: Number(r.id),
    fileName: r.file_name,
    sheet: r.sheet,
    asOf: fromDbDate(r.as_of),
    rows: counts.get(Number(r.id)) ?? 0,
  }));
}

/** A completed import of the same bytes (and sheet), if any. */
export async function findCompletedImport(options: {
  db: Db;
  sha256: string;
  sheet: string | null;
}): Promise<{ id: number; asOf: IsoDate; kind: string } | null> {
  // Plain SQL, like the rest of the import path: an import never starts Prisma's query engine.
  const sheetSql = options.sheet === null ? 'sheet IS NULL' : 'sheet = ?';
  const rows = await options.db.sql.query<{ id: number | string; as_of: unknown; kind: string }>(
    `SELECT id, as_of, kind FROM roster_import
      WHERE sha256 = ? AND ${sheetSql} AND status = 'completed'
      ORDER BY id DESC LIMIT 1`,
    options.sheet === null ? [options.sha256] : [options.sha256, options.sheet],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), asOf: fromDbDate(r.as_of), kind: r.kind } : null;
}

/** The latest completed import of a kind, if any. */
export async function latestCompletedImportId(options: {
  db: Db;
  kind: RosterKind;
}): Promise<number | null> {
  const rows = await options.db.sql.query<{ id: number | string }>(
    `SELECT id FROM roster_import WHERE kind = ? AND status = 'completed' ORDER BY id DESC LIMIT 1`,
    [options.kind],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** NPIs of pharmacies known on a date (current version), with their service type. */
export async function listKnownPharmacies(options: {
  db: Db;
  asOf: IsoDate;
}): Promise<Map<string, string>> {
  const rows = await options.db.sql.query<{ npi: string; service_type: string }>(
    'SELECT npi, service_type FROM pharmacy WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)',
    [dbDate(options.db.sql.provider, options.asOf), dbDate(options.db.sql.provider, options.asOf)],
  );
  return new Map(rows.map((r) => [r.npi, r.service_type]));
}

export async function listCatalogCodes(options: { db: Db }): Promise<Set<string>> {
  const rows = await options.db.sql.query<{ code: string }>('SELECT code FROM drug_class');
  return new Set(rows.map((r) => r.code));
}

export async function listCountyCodes(options: { db: Db }): Promise<Set<string>> {
  const rows = await options.db.sql.query<{ fips: string }>('SELECT fips FROM county');
  return new Set(rows.map((r) => r.fips));
}
