import type { ImportRecord, RosterKind } from '../domain/types.js';
import type { Db } from './connect.js';

type ImportRow = Awaited<ReturnType<Db['prisma']['rosterImport']['findFirstOrThrow']>>;

export function toImportRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    fileName: r.fileName,
    sheet: r.sheet,
    sha256: r.sha256,
    kind: r.kind as RosterKind,
    asOf: r.asOf.toISOString().slice(0, 10),
    rowsRead: r.rowsRead,
    accepted: r.accepted,
    rejected: r.rejected,
    status: r.status as ImportRecord['status'],
    startedAt: r.startedAt.toISOString(),
    durationMs: r.durationMs,
  };
}

export async function listImportsByIds(options: {
  db: Db;
  ids: readonly number[];
}): Promise<ImportRecord[]> {
  const rows = await options.db.prisma.rosterImport.findMany({
    where: { id: { in: [...options.ids] } },
    orderBy: { id: 'asc' },
  });
  return rows.map(toImportRecord);
}
