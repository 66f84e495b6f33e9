/**
 * The Excel compliance report, written with exceljs's streaming WorkbookWriter: every row is
 * committed as soon as it is complete, so memory stays bounded whatever the number of findings.
 *
 * Pure function of the model (plus its recorded generated-at): no clock reads, no database.
 * Every string cell goes through `safeText` (see format.ts for what it guarantees); the only
 * hyperlinks are internal ones to this workbook's own sheets, built by `internalLink`. One file per
 * sheet in src/report/sheets/, written in workbook order by this small writer.
 */
import ExcelJS from 'exceljs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { writeAtomically, writeStreamToFile } from './atomic.js';
import { addSheetPictures, type SheetPicture } from './xlsx-pictures.js';
import { writeMaps } from './sheets/maps.js';
import { instantCell, safeText } from './format.js';
import type { ReportModel } from './model.js';
import { SHEET_NAMES, StyleBook, nameIndexes, type Ctx } from './sheet-writer.js';
import { writeSummary } from './sheets/summary.js';
import { writeFindings } from './sheets/findings.js';
import { writeCoverage } from './sheets/coverage.js';
import { writeDistance } from './sheets/distance.js';
import { writeDirectory } from './sheets/directory.js';
import { writeAssurances } from './sheets/assurances.js';
import { writeRequests } from './sheets/requests.js';
import { writeChanges } from './sheets/changes.js';
import { writeLineage } from './sheets/lineage.js';
import { writeRejectedRows } from './sheets/rejected-rows.js';
import { writeMethodology } from './sheets/methodology.js';
import { writeExceptions } from './sheets/exceptions.js';
import { writeExpiring } from './sheets/expiring.js';
import { writeKeyPharmacies } from './sheets/key-pharmacies.js';
import { writeRecruitment } from './sheets/recruitment.js';
import { writeRetailAccess } from './sheets/retail-access.js';

export { SHEET_NAMES, FILLS } from './sheet-writer.js';

export interface WriteWorkbookOptions {
  model: ReportModel;
  /** Final path of the .xlsx; written to `<path>.tmp-<pid>` first, then renamed. */
  path: string;
}

/**
 * Writes the compliance workbook atomically: streamed, then copied once with the Maps sheet's
 * pictures added (xlsx-pictures.ts), since the streaming writer cannot place pictures.
 */
export async function writeWorkbook({ model, path }: WriteWorkbookOptions): Promise<void> {
  await writeAtomically(path, async (tmp) => {
    const streamed = `${tmp}.streamed`;
    let pictures: SheetPicture[] = [];
    await writeStreamToFile(streamed, async (stream) => {
      pictures = await streamWorkbook(model, stream);
    });
    if (pictures.length === 0) {
      await rename(streamed, tmp);
    } else {
      await addSheetPictures({ from: streamed, to: tmp, sheetName: SHEET_NAMES.maps, pictures });
      await rm(streamed, { force: true });
    }
  });
}

async function streamWorkbook(model: ReportModel, stream: Writable): Promise<SheetPicture[]> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const generated = instantCell(model.run.generatedAt) ?? new Date(0);
  wb.creator = 'infusion-audit';
  wb.lastModifiedBy = 'infusion-audit';
  wb.created = generated;
  wb.modified = generated;
  wb.title = safeText(`Home infusion network audit: ${model.run.sponsorName}`);
  wb.subject = safeText(
    `Part D home infusion network audit, scope ${model.run.scopeLabel}, as of ${model.run.asOf}, run ${model.run.runId}`,
  );
  wb.keywords = 'Medicare Part D; home infusion; network adequacy';
  const ctx: Ctx = {
    model,
    wb,
    styles: new StyleBook(),
    catalog: new Map(model.catalog.map((c) => [c.code, c])),
    names: nameIndexes(model),
  };
  writeSummary(ctx);
  await writeFindings(ctx);
  await writeCoverage(ctx);
  await writeDistance(ctx);
  const pictures = writeMaps(ctx);
  await writeDirectory(ctx);
  await writeAssurances(ctx);
  await writeRequests(ctx);
  await writeChanges(ctx);
  writeLineage(ctx);
  await writeRejectedRows(ctx);
  writeMethodology(ctx);
  writeExceptions(ctx);
  writeExpiring(ctx);
  writeKeyPharmacies(ctx);
  writeRecruitment(ctx);
  writeRetailAccess(ctx);
  await wb.commit();
  return pictures;
}
