/**
 * Writes one roster file (or sheet) in ONE transaction: its import record, its rejected rows and
 * the new versions of the records it carries (see roster-tables.ts). Set-based, raw SQL: Prisma's
 * row-at-a-time paths are far too slow for bulk imports (shared/domain/TOOLCHAIN.md).
 */
import { createHash } from 'node:crypto';
import type { IsoDate, PlanKey, RosterKind } from '../domain/types.js';
import { InputConflictError } from './errors.js';
import type { Db } from './connect.js';
import type { VersionedTable } from './roster-tables.js';
import {
  dbDate,
  dbInstant,
  fromDbDate,
  fromDbInstant,
  type SqlExecutor,
  type SqlValue,
} from './sql.js';

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

interface StoredVersion {
  id: number;
  validFrom: IsoDate;
  hash: string;
}

async function loadCurrent<T>(
  tx: SqlExecutor,
  table: VersionedTable<T>,
  scope: Set<string> | null,
): Promise<Map<string, StoredVersion>> {
  const cols = table.keyColumns.join(', ');
  const scopeCols = table.scopeColumns === 'none' ? [] : table.scopeColumns;
  const extra = scopeCols.filter((c) => !table.keyColumns.includes(c));
  const select = [cols, ...extra].join(', ');
  const rows = await tx.query(
    `SELECT id, valid_from, content_hash, ${select} FROM ${table.table} WHERE valid_to IS NULL${table.source ? ' AND source = ?' : ''}`,
    table.source ? [table.source] : [],
  );
  const out = new Map<string, StoredVersion>();
  for (const r of rows) {
    if (scope && !scope.has(scopeCols.map((c) => String(r[c])).join('|'))) continue;
    const key = table.keyColumns
      .map((c) => (table.dateColumns.has(c) ? fromDbDate(r[c]) : String(r[c])))
      .join('|');
    out.set(key, {
      id: Number(r.id),
      validFrom: fromDbDate(r.valid_from),
      hash: String(r.content_hash),
    });
  }
  return out;
}

export async function writeRosterImport<T>(options: {
  db: Db;
  table: VersionedTable<T> | null;
  records: readonly T[];
  meta: ImportMeta;
  /** Rows of the file accepted (a row may store more than one record). */
  acceptedRows: number;
  rejected: readonly RejectedRowInput[];
  /** Rejected rows in all, when more were counted than `rejected` keeps. */
  rejectedTotal?: number;
  plansCovered?: readonly PlanKey[];
}): Promise<WriteResult> {
  const { db, table, records, meta, rejected } = options;
  const p = db.sql.provider;
  return db.sql.transaction(async (tx) => {
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
        options.acceptedRows,
        options.rejectedTotal ?? rejected.length,
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
    if (options.plansCovered && options.plansCovered.length > 0) {
      await tx.bulkInsert(
        'import_plan',
        ['import_id', 'contract_id', 'pbp_id', 'segment_id'],
        options.plansCovered.map((k) => [importId, k.contractId, k.pbpId, k.segmentId]),
      );
    }
    if (!table) return { importId, inserted: 0, ended: 0, unchanged: 0 };

    // The scope this snapshot speaks for (e.g. the plans it lists).
    let scope: Set<string> | null = null;
    const scopeCols = table.scopeColumns;
    if (scopeCols !== 'none') {
      scope = new Set();
      for (const rec of records) {
        const row = table.row(rec);
        scope.add(scopeCols.map((c) => String(row[table.columns.indexOf(c)])).join('|'));
      }
    }
    const current = await loadCurrent(tx, table, scope);

    const toInsert: SqlValue[][] = [];
    const toClose: number[] = [];
    const toDelete: number[] = [];
    let unchanged = 0;
    const seen = new Set<string>();
    for (const rec of records) {
      const key = table.key(rec);
      seen.add(key);
      const values = table.row(rec);
      const hash = contentHash(table.hashed ? table.hashed(rec) : values);
      const stored = current.get(key);
      if (stored) {
        if (stored.validFrom > meta.asOf) {
          throw new InputConflictError(
            `${meta.fileName}: the database already holds a ${meta.kind} roster as of ${stored.validFrom}, later than this file's as-of date ${meta.asOf}; import rosters in date order`,
          );
        }
        if (stored.hash === hash) {
          unchanged++;
          continue;
        }
        (stored.validFrom === meta.asOf ? toDelete : toClose).push(stored.id);
      }
      toInsert.push([...toDb(p, table, values), dbDate(p, meta.asOf), importId, hash]);
    }
    let ended = 0;
    if (scope) {
      for (const [key, stored] of current) {
        if (seen.has(key)) continue;
        ended++;
        if (stored.validFrom > meta.asOf) {
          throw new InputConflictError(
            `${meta.fileName}: the database already holds a ${meta.kind} roster as of ${stored.validFrom}, later than this file's as-of date ${meta.asOf}; import rosters in date order`,
          );
        }
        (stored.validFrom === meta.asOf ? toDelete : toClose).push(stored.id);
      }
    }
    const asOfDb = dbDate(p, meta.asOf);
    for (const id of toDelete) await tx.run(`DELETE FROM ${table.table} WHERE id = ?`, [id]);
    for (const id of toClose)
      await tx.run(`UPDATE ${table.table} SET valid_to = ? WHERE id = ?`, [asOfDb, id]);
    await tx.bulkInsert(
      table.table,
      [...table.columns, 'valid_from', 'import_id', 'content_hash'],
      toInsert,
    );
    return { importId, inserted: toInsert.length, ended, unchanged };
  });
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

export { fromDbInstant };
