/**
 * What the import pipeline reads and shares around the stage (src/db/stage-snapshot.ts): import
 * records of the same bytes, the references rows are checked against. Plain SQL:
 * Prisma's row-at-a-time paths are far too slow for bulk imports (shared/domain/TOOLCHAIN.md).
 */
import type { IsoDate } from '../domain/types.js';
import type { Db } from './connect.js';
import { KnownPharmacies } from '../import/key-index.js';
import { dbDate, fromDbDate, type SqlExecutor } from './sql.js';

export interface RejectedRowInput {
  rowNumber: number;
  column: string | null;
  value: string | null;
  reason: string;
  raw: Record<string, string>;
}

/** An earlier import some of whose rows this batch ended. */
export interface EndedFrom {
  importId: number;
  fileName: string;
  sheet: string | null;
  asOf: IsoDate;
  rows: number;
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
}): Promise<{
  id: number;
  asOf: IsoDate;
  kind: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  warnings: number;
} | null> {
  // Plain SQL, like the rest of the import path: an import never starts Prisma's query engine.
  const sheetSql = options.sheet === null ? 'sheet IS NULL' : 'sheet = ?';
  const rows = await options.db.sql.query<{
    id: number | string;
    as_of: unknown;
    kind: string;
    rows_read: number | string;
    accepted: number | string;
    rejected: number | string;
    warnings: number | string;
  }>(
    `SELECT id, as_of, kind, rows_read, accepted, rejected, warnings FROM roster_import
      WHERE sha256 = ? AND ${sheetSql} AND status = 'completed'
      ORDER BY id DESC LIMIT 1`,
    options.sheet === null ? [options.sha256] : [options.sha256, options.sheet],
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        asOf: fromDbDate(r.as_of),
        kind: r.kind,
        rowsRead: Number(r.rows_read),
        accepted: Number(r.accepted),
        rejected: Number(r.rejected),
        warnings: Number(r.warnings),
      }
    : null;
}

/** NPIs of pharmacies known on a date (current version), with their service type. */
export async function listKnownPharmacies(options: {
  db: Db;
  asOf: IsoDate;
}): Promise<KnownPharmacies> {
  // One text of `npi TAB service type` lines, not a row object each (70,000 pharmacies: 0.1-0.3 s
  // and their garbage, against about 50 ms). Validated NPIs and service types hold neither
  // character.
  const p = options.db.sql.provider;
  const aggregate =
    p === 'postgresql'
      ? "string_agg(npi || E'\\t' || service_type, E'\\n')"
      : 'group_concat(npi || char(9) || service_type, char(10))';
  const rows = await options.db.sql.query<{ list: string | null }>(
    `SELECT ${aggregate} AS list FROM pharmacy WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`,
    [dbDate(p, options.asOf), dbDate(p, options.asOf)],
  );
  const known = new KnownPharmacies();
  const list = rows[0]?.list ?? '';
  for (let at = 0; at < list.length;) {
    let end = list.indexOf('\n', at);
    if (end < 0) end = list.length;
    const tab = list.lastIndexOf('\t', end);
    known.set(list.slice(at, tab), list.slice(tab + 1, end));
    at = end + 1;
  }
  return known;
}

export async function listCatalogCodes(options: { db: Db }): Promise<Set<string>> {
  const rows = await options.db.sql.query<{ code: string }>('SELECT code FROM drug_class');
  return new Set(rows.map((r) => r.code));
}

export async function listCountyCodes(options: { db: Db }): Promise<Set<string>> {
  const rows = await options.db.sql.query<{ fips: string }>('SELECT fips FROM county');
  return new Set(rows.map((r) => r.fips));
}

/**
 * The bytes (sha256) of the latest completed import of a file: its kind, file name and sheet.
 * A file whose rows all stand unchanged is recorded again unless these are its bytes: its import
 * is then the file's latest, whose rejected rows are the ones that count.
 */
export async function findLatestFileImport(options: {
  db: Db;
  kind: string;
  fileName: string;
  sheet: string | null;
}): Promise<{ id: number; sha256: string } | null> {
  const sheetSql = options.sheet === null ? 'sheet IS NULL' : 'sheet = ?';
  const rows = await options.db.sql.query<{ id: number | string; sha256: string }>(
    `SELECT id, sha256 FROM roster_import
      WHERE kind = ? AND file_name = ? AND ${sheetSql} AND status = 'completed'
      ORDER BY id DESC LIMIT 1`,
    [options.kind, options.fileName, ...(options.sheet === null ? [] : [options.sheet])],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), sha256: r.sha256 } : null;
}
