import { dateCell, zoneLabel, zonedCell } from '../format.js';
import { SHEET_NAMES, wordWidth, col, type Ctx, addSheet } from '../sheet-writer.js';

export async function writeLineage(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const zone = model.run.policy.timeZone;
  const { imports, rejectedRows } = model.lineage;
  const s = addSheet(
    ctx,
    SHEET_NAMES.lineage,
    [
      col(10, 'int'),
      col(34, 'wrap'),
      col(14),
      col(40, 'wrap'),
      col(18, 'wrap'),
      col(24, 'wrap'),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(12),
      col(wordWidth(`Started ${zoneLabel(zone)}`, 17), 'datetime'),
      col(12, 'int'),
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
    'As-of',
    'Rows read',
    'Accepted',
    'Rejected',
    'Status',
    `Started ${zoneLabel(zone)}`,
    'Duration ms',
    'Rows in force',
    'Rows ended',
  ]);
  for (const i of imports) {
    s.add([
      i.id,
      i.fileName,
      i.sheet,
      i.sha256,
      i.kind,
      { value: dateCell(i.asOf), kind: 'date' },
      i.rowsRead,
      i.accepted,
      { value: i.rejected, tone: i.rejected > 0 ? 'amber' : 'none' },
      { value: i.status, tone: i.status === 'failed' ? 'red' : 'none' },
      zonedCell(i.startedAt, zone),
      i.durationMs,
      i.rowsInForce ?? null,
      { value: i.rowsEnded ?? null, tone: (i.rowsEnded ?? 0) > 0 ? 'amber' : 'none' },
    ]);
  }
  s.blank();
  s.add([{ value: `Rejected rows (${rejectedRows.length})`, font: 'section' }]);
  s.header(['Import', 'File', 'Row', 'Reason', 'Column', 'Value']);
  for (const r of rejectedRows) {
    s.add([
      r.importId,
      r.fileName,
      { value: r.rowNumber, kind: 'int' },
      r.reason,
      r.column,
      r.value,
    ]);
    await s.pace();
  }
  s.commit();
}
