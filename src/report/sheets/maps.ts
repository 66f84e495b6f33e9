/** The Maps sheet: one coverage map per plan, its pictures placed after streaming. */
import { SHEET_NAMES, addSheet, col, type Ctx } from '../sheet-writer.js';
import { MAPS_COLUMN_WIDTH, writeMapRows } from '../maps-sheet.js';
import type { SheetPicture } from '../xlsx-pictures.js';

export function writeMaps(ctx: Ctx): SheetPicture[] {
  const s = addSheet(ctx, SHEET_NAMES.maps, [col(MAPS_COLUMN_WIDTH, 'wrap')]);
  s.ws.pageSetup.orientation = 'landscape'; // a 4:3 map and its caption on one page
  const pictures = writeMapRows(s, ctx.model);
  s.commit();
  return pictures;
}
