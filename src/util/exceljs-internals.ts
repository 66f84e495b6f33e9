/**
 * Every use of exceljs's private API, in one place. exceljs is pinned exactly (4.4.0);
 * test/util/exceljs-internals.test.ts fails, naming the member, when an upgrade changes any of
 * them. Nothing else in src/ reaches past exceljs's typed API.
 *
 * Reading (src/roster/read-xlsx.ts): exceljs's streaming WorkbookReader unzips the file in one
 * streaming pass and, on Node 18 and later, intermittently loses an entry (about 1 read in 10 of
 * a workbook written by exceljs here): "Cannot read properties of undefined (reading 'sheets')".
 * Upstream: https://github.com/exceljs/exceljs/issues/3064 (open; fix proposed in PR #3065).
 * So the ZIP entries are opened here from the central directory (src/roster/zip.ts) and handed
 * to the reader's own part parsers, in order: workbook, shared strings, styles, then a sheet.
 *
 * Writing (src/report/write-workbook.ts): the streaming WorkbookWriter gives no backpressure
 * (upstream: https://github.com/exceljs/exceljs/issues/734, open), so a synchronous loop of
 * 100,000 rows would hold a whole sheet in memory; the writer reads how much sheet XML waits
 * for the zip and pauses. A manual page break after the last row written, and one shared
 * row-level style object, also need members the typings do not declare.
 */
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

// ---- reading --------------------------------------------------------------------------------

/** The WorkbookReader members used, as exceljs 4.4.0 has them. */
interface WorkbookReaderInternals {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Iterator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }, undefined>;
  sharedStrings?: unknown[];
}

/** A WorkbookReader fed one part at a time (see the file's comment). */
export class WorkbookParts {
  private readonly reader: WorkbookReaderInternals;

  constructor(path: string) {
    this.reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    }) as unknown as WorkbookReaderInternals;
  }

  /** `xl/workbook.xml`: sheet names, the 1904 date system. */
  workbook(entry: Readable): Promise<void> {
    return this.reader._parseWorkbook(entry);
  }

  /** `xl/sharedStrings.xml`, kept in memory (the reader's 'cache' mode yields nothing). */
  async sharedStrings(entry: Readable): Promise<void> {
    const it = this.reader._parseSharedStrings(entry)[Symbol.asyncIterator]();
    while (!(await it.next()).done);
  }

  /** The shared strings table (rich text as exceljs's `{ richText }`); [] when there is none. */
  get sharedStringTable(): unknown[] {
    return this.reader.sharedStrings ?? [];
  }

  /** Replaces the table cells look their strings up in (e.g. by a guarded view of it). */
  set sharedStringTable(table: unknown[]) {
    this.reader.sharedStrings = table;
  }

  /** `xl/styles.xml`: number formats (dates). */
  styles(entry: Readable): Promise<void> {
    return this.reader._parseStyles(entry);
  }

  /** The rows of one worksheet's XML, streamed. */
  worksheetRows(xml: AsyncIterable<string>): AsyncIterable<ExcelJS.Row> {
    const first = this.reader._parseWorksheet(xml, '1').next();
    if (first.done) return (async function* () {})();
    return first.value.value;
  }
}

// ---- writing --------------------------------------------------------------------------------

interface StreamState {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}

interface WorksheetWriterInternals {
  stream?: { buffers?: unknown[]; pipes?: unknown[] };
  rowBreaks: { id: number; max: number; man: number }[];
}

/**
 * Bytes of a streamed sheet's XML that exceljs has produced and the zip has not compressed
 * yet: what the sheet's own stream holds (before the zip starts on it) plus what its consumer
 * (the zip entry's PassThrough in front of deflate) has buffered.
 */
export function worksheetBacklogBytes(ws: ExcelJS.Worksheet): number {
  const stream = (ws as unknown as WorksheetWriterInternals).stream;
  if (!stream) return 0;
  let n = Array.isArray(stream.buffers) ? stream.buffers.length * 65536 : 0;
  if (Array.isArray(stream.pipes)) {
    for (const p of stream.pipes as StreamState[]) {
      n += (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0);
    }
  }
  return n;
}

/**
 * Adds a manual page break after `rowNumber` (what Row.addPageBreak records; the streaming
 * writer writes the breaks at the end). Returns the number of breaks the sheet now has.
 */
export function addRowBreak(ws: ExcelJS.Worksheet, rowNumber: number, limit: number): number {
  const breaks = (ws as unknown as WorksheetWriterInternals).rowBreaks;
  if (breaks.length < limit) breaks.push({ id: rowNumber, max: 16383, man: 1 });
  return breaks.length;
}

/** Sets a row's row-level style object (exceljs caches style ids by object identity). */
export function setRowStyle(row: ExcelJS.Row, style: Partial<ExcelJS.Style>): void {
  (row as unknown as { style: Partial<ExcelJS.Style> }).style = style;
}
