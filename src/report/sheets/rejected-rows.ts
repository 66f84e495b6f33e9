import { SHEET_NAMES, col, lastColumnLetter, type Ctx, addSheet } from '../sheet-writer.js';

const HEADERS = ['Import', 'File', 'Row', 'Column', 'Value', 'Reason'];

/**
 * Every rejected row of the roster files the run read (Data Lineage lists the files): on its
 * own sheet, so that its header repeats on each printed page over the rows it names.
 */
export async function writeRejectedRows(ctx: Ctx): Promise<void> {
  const { rejectedRows } = ctx.model.lineage;
  const s = addSheet(
    ctx,
    SHEET_NAMES.rejectedRows,
    [
      col(8, 'center'),
      col(30, 'wrap'),
      col(9, 'center'),
      col(18, 'wrap'),
      col(24, 'wrap'),
      col(70, 'wrap'),
    ],
    {
      titleRows: '2:2',
      frozenRows: 2,
      autoFilter: `A2:${lastColumnLetter(HEADERS.length)}${rejectedRows.length + 2}`,
    },
  );
  s.add([
    {
      value:
        rejectedRows.length === 0
          ? 'Rejected rows: none (every row read was stored)'
          : `Rejected rows (${rejectedRows.length.toLocaleString('en-US')}): not in the audit; fix them in the roster file and import it again`,
      font: 'section',
    },
  ]);
  s.header(HEADERS);
  for (const r of rejectedRows) {
    s.add([r.importId, r.fileName, r.rowNumber, r.column, r.value, r.reason]);
    await s.pace();
  }
  s.commit();
}
