import type { ImportRecord, IsoDate, RosterKind } from '../domain/types.js';
import type { Db } from './connect.js';
import { dbDate, fromDbDate, fromDbInstant } from './sql.js';

export async function listImportsByIds(options: {
  db: Db;
  ids: readonly number[];
}): Promise<ImportRecord[]> {
  // Plain SQL, like the run queries in runs.ts: the audit and report paths do not start Prisma's
  // query engine (about 70 MB of RSS).
  if (options.ids.length === 0) return [];
  const marks = options.ids.map(() => '?').join(', ');
  const rows = await options.db.sql.query<{
    id: number | string;
    file_name: string;
    sheet: string | null;
    sha256: string;
    kind: string;
    as_of: unknown;
    rows_read: number | string;
    accepted: number | string;
    rejected: number | string;
    status: string;
    started_at: unknown;
    duration_ms: number | string;
  }>(
    `SELECT id, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, status,
            started_at, duration_ms
       FROM roster_import WHERE id IN (${marks}) ORDER BY id`,
    [...options.ids],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    fileName: r.file_name,
    sheet: r.sheet,
    sha256: r.sha256,
    kind: r.kind as RosterKind,
    asOf: fromDbDate(r.as_of),
    rowsRead: Number(r.rows_read),
    accepted: Number(r.accepted),
    rejected: Number(r.rejected),
    status: r.status as ImportRecord['status'],
    startedAt: fromDbInstant(r.started_at),
    durationMs: Number(r.duration_ms),
  }));
}

/**
 * Whether a roster of this kind was imported (completed) on or before the date, rows or not: a
 * coverage request file with only its header says there were no requests, which is not the same
 * as no file at all.
 */
export async function hasCompletedImport(options: {
  db: Db;
  kind: RosterKind;
  asOf: IsoDate;
}): Promise<boolean> {
  const rows = await options.db.sql.query<{ id: number | string }>(
    `SELECT id FROM roster_import WHERE kind = ? AND status = 'completed' AND as_of <= ? LIMIT 1`,
    [options.kind, dbDate(options.db.sql.provider, options.asOf)],
  );
  return rows.length > 0;
}
