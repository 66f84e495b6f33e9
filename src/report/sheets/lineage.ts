import { dateCell, zoneLabel, zonedCell } from '../format.js';
import { SHEET_NAMES, wordWidth, col, type Ctx, addSheet } from '../sheet-writer.js';

export function writeLineage(ctx: Ctx): void {
  const { model } = ctx;
  const zone = model.run.policy.timeZone;
  const { imports } = model.lineage;
  const s = addSheet(
    ctx,
    SHEET_NAMES.lineage,
    [
      col(8, 'center'),
      col(30, 'wrap'),
      col(14, 'wrap'),
      col(36, 'wrap'),
      col(18, 'wrap'),
      col(wordWidth(`Started ${zoneLabel(zone)}`, 17), 'datetime'),
      col(11, 'date'),
      col(12, 'center'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
    ],
    { titleRows: '1:2', frozenRows: 2 },
  );
  s.add([{ value: `Roster imports (${imports.length})`, font: 'section' }]);
  s.header([
    'Import',
    'File',
    'Sheet',
    'SHA-256',
    'Kind',
    `Started ${zoneLabel(zone)}`,
    'As-of',
    'Status',
    'Rows read',
    'Accepted',
    'Rejected',
    'Rows in force',
    'Rows ended',
    'Duration ms',
  ]);
  for (const i of imports) {
    s.add([
      i.id,
      i.fileName,
      i.sheet,
      i.sha256,
      i.kind,
      zonedCell(i.startedAt, zone),
      { value: dateCell(i.asOf), kind: 'date' },
      { value: i.status, tone: i.status === 'failed' ? 'red' : 'none' },
      i.rowsRead,
      // A file none of whose rows loaded: the audit did not read it (INCOMPLETE).
      { value: i.accepted, tone: i.accepted === 0 && i.rowsRead > 0 ? 'red' : 'none' },
      { value: i.rejected, tone: i.rejected > 0 ? 'amber' : 'none' },
      i.rowsInForce ?? null,
      { value: i.rowsEnded ?? null, tone: (i.rowsEnded ?? 0) > 0 ? 'amber' : 'none' },
      i.durationMs,
    ]);
  }
  s.commit();
}
