/**
 * Streaming XLSX reader (exceljs WorkbookReader): one roster per visible, non-empty sheet.
 * Formula cells give their saved result, rich text gives plain text, date cells give a Date.
 * Before streaming, the ZIP central directory is checked (zip-bomb guard) and the sheet list
 * (names, hidden state) is read from xl/workbook.xml.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { RosterFormatError } from '../errors.js';
import {
  changedWhileRead,
  identityOf,
  sameIdentity,
  type FileFingerprint,
} from './file-identity.js';
import type { RawRow, ReaderLimits } from './read-csv.js';
import { binarySignatureProblem, recordKeys, resolveLimits } from './read-csv.js';
import type { CellValue } from './validate.js';
import { cellText, excelSerialToUtcMs } from './validate.js';
import { isReadmeName } from './detect-kind.js';
import { readZipDirectory, readZipEntry, ZipFormatError, type ZipEntry } from './zip.js';

export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface XlsxSheetInfo {
  name: string;
  state: SheetState;
  /** ZIP entry of the sheet's XML (e.g. `xl/worksheets/sheet1.xml`), null if not a worksheet. */
  entry: string | null;
}

export interface XlsxWorkbookInfo {
  path: string;
  sheets: XlsxSheetInfo[];
  date1904: boolean;
  uncompressedBytes: number;
  /** ZIP entries by name. */
  entries: ReadonlyMap<string, ZipEntry>;
  maxUncompressedBytes: number;
  /** Most characters of text per sheet (and in the shared strings table). */
  maxSheetChars: number;
  /** The file as the import hashed it: each pass checks it is still that file. */
  expect: FileFingerprint | null;
}

export interface XlsxSheetHeader {
  sheet: string;
  headers: string[];
  /** Excel row number of the header row (usually 1). */
  headerRow: number;
}

export interface XlsxSkippedSheet {
  sheet: string;
  reason: string;
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** A character reference that is no XML character (`&#x110000;`, `&#0;`, a surrogate). */
class XmlCharError extends Error {}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function xmlDecode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (!e.startsWith('#')) return XML_ENTITIES[e] ?? m;
    const cp =
      e.startsWith('#x') || e.startsWith('#X')
        ? parseInt(e.slice(2), 16)
        : parseInt(e.slice(1), 10);
    if (!isXmlChar(cp)) throw new XmlCharError(`${m} is not a valid character`);
    return String.fromCodePoint(cp);
  });
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  if (!m) return null;
  const raw = m[2] ?? m[3] ?? '';
  // A raw NUL or other control character is no XML either (and no database stores a NUL).
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) {
      throw new XmlCharError(
        `the character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not allowed`,
      );
    }
  }
  return xmlDecode(raw);
}

async function fileHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Checks that the file is an XLSX workbook within the limits and lists its sheets.
 * Throws RosterFormatError.
 */
export async function inspectXlsx(
  path: string,
  limits?: Partial<ReaderLimits>,
  expect: FileFingerprint | null = null,
): Promise<XlsxWorkbookInfo> {
  const l = resolveLimits(limits);
  const name = basename(path);
  const size = Number((await identityOf(path)).size);
  if (size === 0) throw new RosterFormatError(name, 'the file is empty (0 bytes)');
  if (size > l.maxFileBytes) {
    throw new RosterFormatError(
      name,
      `the file is ${size} bytes, more than the limit of ${l.maxFileBytes} bytes`,
    );
  }
  const head = await fileHead(path);
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  if (!isZip) {
    const sig = binarySignatureProblem(head);
    if (sig && sig.includes('.xls ')) {
      throw new RosterFormatError(
        name,
        'this is an old Excel .xls workbook, not .xlsx: open it in Excel and save it as .xlsx (Excel Workbook)',
      );
    }
    throw new RosterFormatError(
      name,
      'this is not an Excel .xlsx workbook (an .xlsx file is a ZIP archive); if it is a CSV text file, rename it to .csv',
    );
  }
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(path);
  } catch (e) {
    throw new RosterFormatError(
      name,
      `this .xlsx workbook is damaged or truncated (${(e as Error).message}); save it again from Excel`,
      { cause: e },
    );
  }
  const uncompressedBytes = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  if (uncompressedBytes > l.maxUncompressedBytes) {
    throw new RosterFormatError(
      name,
      `the workbook expands to ${uncompressedBytes} bytes when unzipped, more than the limit of ${l.maxUncompressedBytes} bytes; split it or export the sheets as CSV`,
    );
  }
  const find = (n: string): ZipEntry | undefined => entries.find((e) => e.name === n);
  const wbEntry = find('xl/workbook.xml');
  if (!wbEntry) {
    throw new RosterFormatError(
      name,
      'this ZIP file is not an Excel workbook (no xl/workbook.xml); save it from Excel as .xlsx',
    );
  }
  let workbookXml: string;
  try {
    workbookXml = (await readZipEntry(path, wbEntry, 16 * 1024 * 1024)).toString('utf8');
  } catch (e) {
    throw new RosterFormatError(
      name,
      `cannot read the workbook's sheet list: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const targets = new Map<string, string>();
  const relsEntry = find('xl/_rels/workbook.xml.rels');
  if (relsEntry) {
    try {
      const relsXml = (await readZipEntry(path, relsEntry, 16 * 1024 * 1024)).toString('utf8');
      for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
        const id = attr(m[0], 'Id');
        const target = attr(m[0], 'Target');
        if (id !== null && target !== null) targets.set(id, resolveTarget(target));
      }
    } catch (e) {
      throw new RosterFormatError(
        name,
        `cannot read the workbook's parts: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }
  const sheets: XlsxSheetInfo[] = [];
  let d1904: string | null;
  try {
    for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
      const tag = m[0];
      const sheetName = attr(tag, 'name');
      if (sheetName === null) continue;
      const st = attr(tag, 'state');
      const rid = attr(tag, 'r:id');
      const target = rid === null ? undefined : targets.get(rid);
      sheets.push({
        name: sheetName,
        state: st === 'hidden' || st === 'veryHidden' ? st : 'visible',
        entry: target !== undefined && /^xl\/worksheets\/[^/]+\.xml$/.test(target) ? target : null,
      });
    }
    const pr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbookXml);
    d1904 = pr ? attr(pr[0], 'date1904') : null;
  } catch (e) {
    if (!(e instanceof XmlCharError)) throw e;
    throw new RosterFormatError(
      name,
      `the workbook's sheet list is damaged (${e.message} in a sheet name or setting); save it again from Excel`,
      { cause: e },
    );
  }
  return {
    path,
    sheets,
    date1904: d1904 === '1' || d1904 === 'true',
    uncompressedBytes,
    entries: new Map(entries.map((e) => [e.name, e])),
    maxUncompressedBytes: l.maxUncompressedBytes,
    maxSheetChars: l.maxSheetChars,
    expect,
  };
}

/** A relationship target (relative to xl/, or absolute) as a ZIP entry name. */
function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// Streaming
//
// exceljs's WorkbookReader unzips the file itself and, in exceljs 4.4.0, sometimes loses the last
// ZIP entry (a race in its stream iteration: about 1 read in 10 of a workbook written by exceljs
// fails with "Cannot read properties of undefined (reading 'sheets')"). So the ZIP entries are
// opened here, from the central directory, and given to the WorkbookReader's own part parsers
// (relationships, workbook, shared strings, styles, worksheet). Those are internal methods of
// exceljs, stable in the pinned 4.4.0; test/roster/read-xlsx.test.ts covers them.

interface WorksheetLike extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

interface WorkbookReaderInternals {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Iterator<{ eventType: string; value: WorksheetLike }, undefined>;
}

/** Opens one ZIP entry as a stream of text, refusing more bytes than declared (zip-bomb guard). */
async function openEntry(info: XlsxWorkbookInfo, entryName: string): Promise<Readable> {
  const entry = info.entries.get(entryName);
  if (!entry) throw new ZipFormatError(`the workbook part ${entryName} is missing`);
  const header = await readLocalHeader(info.path, entry.localHeaderOffset);
  const start = entry.localHeaderOffset + header;
  const file = createReadStream(info.path, {
    start,
    end: Math.max(start, start + entry.compressedSize - 1),
  });
  const max = Math.min(entry.uncompressedSize, info.maxUncompressedBytes);
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) {
        cb(
          new ZipFormatError(
            `${entryName} expands to more than its declared ${max} bytes (damaged or malicious file)`,
          ),
        );
      } else cb(null, chunk);
    },
  });
  let out: Readable;
  if (entry.compressedSize === 0) {
    out = Readable.from([]);
  } else if (entry.method === 8) {
    out = pipeline(file, createInflateRaw(), guard, () => undefined);
  } else if (entry.method === 0) {
    out = pipeline(file, guard, () => undefined);
  } else {
    file.destroy();
    throw new ZipFormatError(`unsupported compression method ${entry.method} for ${entryName}`);
  }
  // Decode UTF-8 across chunk boundaries (exceljs decodes each chunk on its own).
  out.setEncoding('utf8');
  return out;
}

async function readLocalHeader(path: string, offset: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(30);
    const { bytesRead } = await fh.read(buf, 0, 30, offset);
    if (bytesRead < 30 || buf.readUInt32LE(0) !== 0x04034b50) {
      throw new ZipFormatError('corrupt ZIP entry header');
    }
    return 30 + buf.readUInt16LE(26) + buf.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}

/** A WorkbookReader with the workbook, shared strings and styles parsed. */
async function loadWorkbook(info: XlsxWorkbookInfo): Promise<WorkbookReaderInternals> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(info.path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  }) as unknown as WorkbookReaderInternals;
  await reader._parseWorkbook(await openEntry(info, 'xl/workbook.xml'));
  const sharedStrings = [...info.entries.keys()].find((n) => /^xl\/sharedStrings\.xml$/i.test(n));
  if (sharedStrings) {
    // In 'cache' mode the generator fills the reader's shared strings and yields nothing.
    const strings = reader._parseSharedStrings(await openEntry(info, sharedStrings));
    const it = strings[Symbol.asyncIterator]();
    while (!(await it.next()).done);
  }
  if (info.entries.has('xl/styles.xml')) {
    await reader._parseStyles(await openEntry(info, 'xl/styles.xml'));
  }
  const held = reader as unknown as { sharedStrings?: unknown[] };
  const table = held.sharedStrings ?? [];
  let chars = 0;
  for (const t of table) chars += typeof t === 'string' ? t.length : sharedTextLength(t);
  if (chars > info.maxSheetChars) {
    throw new RosterFormatError(
      basename(info.path),
      `the workbook's shared strings hold ${chars} characters, more than the limit of ${info.maxSheetChars} per sheet (maxSheetChars); split it or export the sheets as CSV`,
    );
  }
  held.sharedStrings = guardSharedStrings(table);
  return reader;
}

function sharedTextLength(t: unknown): number {
  if (typeof t === 'object' && t !== null && 'richText' in t) {
    const runs = t.richText;
    if (Array.isArray(runs)) {
      let n = 0;
      for (const r of runs as { text?: unknown }[])
        if (typeof r.text === 'string') n += r.text.length;
      return n;
    }
  }
  return 0;
}

/** What a cell holds when its shared string index points to no string. */
export const MISSING_SHARED_STRING: Readonly<{ missingSharedString: true }> = Object.freeze({
  missingSharedString: true,
});

/**
 * The shared strings table, answering MISSING_SHARED_STRING (never undefined, never blank) for an
 * index that points nowhere: out of range, negative or not a number (exceljs reads a cell's
 * index with parseInt and looks it up here).
 */
function guardSharedStrings(table: unknown[]): unknown[] {
  return new Proxy(table, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^(-?\d+|NaN)$/.test(prop)) {
        const i = Number(prop);
        return Number.isInteger(i) && i >= 0 && i < target.length
          ? target[i]
          : MISSING_SHARED_STRING;
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

const SHARED_CELL = /<c\b([^>]*)>(\s*)<v>([^<]*)<\/v>/g;
const SHARED_TYPE = /\st\s*=\s*("s"|'s')/;
/** A shared-string cell whose index is not all digits (a quick test before rewriting). */
const SHARED_BAD = /<c\b[^>]*\st\s*=\s*["']s["'][^>]*>\s*<v>(?!\s*\d+\s*<\/v>)/;
/** Longest unfinished shared-string cell carried to the next chunk (real ones are tiny). */
const MAX_CARRY = 64 * 1024;

/**
 * A shared-string cell's index as exceljs reads it (parseInt) takes `1e3` for 1 and ` 7abc` for
 * 7: an index that is not all digits is rewritten to -1, which the guarded table answers with
 * MISSING_SHARED_STRING.
 */
function fixSharedIndexes(xml: string): string {
  // Most chunks hold no bad index: one scan, no new string.
  if (!SHARED_BAD.test(xml)) return xml;
  return xml.replace(SHARED_CELL, (m, attrs: string, ws: string, v: string) => {
    if (attrs.endsWith('/') || !SHARED_TYPE.test(attrs) || /^\s*\d+\s*$/.test(v)) return m;
    return `<c${attrs}>${ws}<v>-1</v>`;
  });
}

/** Where a chunk can be cut without splitting a shared-string cell (or a tag). */
function safeCut(text: string): number {
  let open = -1;
  for (let i = text.lastIndexOf('<c'); i !== -1; i = text.lastIndexOf('<c', i - 1)) {
    const next = text.charCodeAt(i + 2);
    if (Number.isNaN(next) || next === 0x3e || next === 0x2f || next <= 0x20) {
      open = i;
      break;
    }
    if (i === 0) break;
  }
  if (open !== -1 && text.length - open <= MAX_CARRY) {
    const gt = text.indexOf('>', open);
    if (gt === -1) return open; // the cell's tag itself is cut
    const selfClosing = text[gt - 1] === '/';
    if (!selfClosing && SHARED_TYPE.test(text.slice(open, gt)) && !text.includes('</c>', gt))
      return open;
  }
  const lt = text.lastIndexOf('<');
  return lt !== -1 && text.indexOf('>', lt) === -1 && text.length - lt <= MAX_CARRY
    ? lt
    : text.length;
}

async function* guardSheetXml(src: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of src) {
    const text = carry + chunk;
    const cut = safeCut(text);
    if (cut > 0) yield fixSharedIndexes(text.slice(0, cut));
    carry = text.slice(cut);
  }
  if (carry) yield fixSharedIndexes(carry);
}

/** Rows of one sheet; the entry stream is closed however the iteration ends. */
async function* sheetRows(
  reader: WorkbookReaderInternals,
  info: XlsxWorkbookInfo,
  sheet: XlsxSheetInfo,
): AsyncGenerator<ExcelJS.Row> {
  const stream = await openEntry(info, sheet.entry!);
  try {
    const guarded = guardSheetXml(stream);
    const first = reader._parseWorksheet(guarded, '1').next();
    if (first.done) return;
    for await (const row of first.value.value) yield row;
  } finally {
    stream.destroy();
  }
}

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhsb]/i.test(f);
}

interface Converted {
  value: CellValue;
  problem: string | null;
}

function richTextOf(v: { richText: { text: string }[] }): string {
  return v.richText.map((r) => r.text).join('');
}

/** Converts an exceljs cell value to a roster cell value. */
export function convertCell(
  v: ExcelJS.CellValue,
  numFmt: string | undefined,
  date1904: boolean,
): Converted {
  if (v === null || v === undefined) return { value: null, problem: null };
  if ((v as unknown) === MISSING_SHARED_STRING || (typeof v === 'object' && 'sharedString' in v)) {
    return {
      value: null,
      problem:
        'the cell points to a shared string that does not exist (damaged workbook); save it again from Excel',
    };
  }
  if (typeof v === 'number') {
    return Number.isFinite(v)
      ? { value: v, problem: null }
      : { value: null, problem: 'the cell is not a valid number' };
  }
  if (typeof v === 'string') return { value: v, problem: null };
  if (typeof v === 'boolean') return { value: v ? 'TRUE' : 'FALSE', problem: null };
  if (v instanceof Date) return { value: v, problem: null };
  if ('richText' in v) return { value: richTextOf(v), problem: null };
  if ('formula' in v || 'sharedFormula' in v) {
    const r = v.result;
    if (r === undefined || r === null) {
      return {
        value: null,
        problem:
          'the cell has a formula without a saved result; open the workbook in Excel and save it again',
      };
    }
    if (typeof r === 'number') {
      if (Number.isNaN(r)) return { value: null, problem: 'the formula gives an Excel error' };
      if (isDateFormat(numFmt)) {
        const ms = excelSerialToUtcMs(r + (date1904 ? 1462 : 0));
        if (ms !== null) return { value: new Date(ms), problem: null };
      }
      return { value: r, problem: null };
    }
    if (typeof r === 'string') return { value: r, problem: null };
    if (typeof r === 'boolean') return { value: r ? 'TRUE' : 'FALSE', problem: null };
    if (r instanceof Date) return { value: r, problem: null };
    return { value: null, problem: `the formula gives the Excel error ${r.error}` };
  }
  if ('error' in v) return { value: null, problem: `the cell shows the Excel error ${v.error}` };
  if ('hyperlink' in v) {
    const t: unknown = v.text;
    if (typeof t === 'string') return { value: t, problem: null };
    if (typeof t === 'object' && t !== null && 'richText' in t) {
      return { value: richTextOf(t as { richText: { text: string }[] }), problem: null };
    }
    return { value: v.hyperlink, problem: null };
  }
  return { value: null, problem: 'the cell has a value that cannot be read' };
}

function isBlankCell(v: CellValue): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) {
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  }
  return s;
}

function wrapExcelError(name: string, e: unknown): never {
  if (e instanceof RosterFormatError) throw e;
  throw new RosterFormatError(
    name,
    `cannot read the workbook: ${(e as Error).message}; save it again from Excel as .xlsx`,
    { cause: e },
  );
}

/**
 * The header row of each visible worksheet. Hidden, empty and non-worksheet (chart) sheets are
 * listed as skipped with the reason.
 */
export async function readXlsxHeaders(
  path: string,
  info: XlsxWorkbookInfo,
): Promise<{ sheets: XlsxSheetHeader[]; skipped: XlsxSkippedSheet[] }> {
  const name = basename(path);
  const sheets: XlsxSheetHeader[] = [];
  const skipped: XlsxSkippedSheet[] = [];
  try {
    await checkUnchanged(info);
    const reader = await loadWorkbook(info);
    for (const s of info.sheets) {
      if (s.state !== 'visible') {
        skipped.push({
          sheet: s.name,
          reason: `sheet is ${s.state === 'veryHidden' ? 'very hidden' : 'hidden'}; not read`,
        });
        continue;
      }
      if (s.entry === null || !info.entries.has(s.entry)) {
        skipped.push({ sheet: s.name, reason: 'not a worksheet (e.g. a chart sheet); not read' });
        continue;
      }
      if (isReadmeName(s.name)) {
        skipped.push({ sheet: s.name, reason: 'a README sheet (instructions); not read' });
        continue;
      }
      let header: XlsxSheetHeader | null = null;
      for await (const row of sheetRows(reader, info, s)) {
        const headers: string[] = [];
        for (let c = 1; c <= row.cellCount; c++) {
          const cell = row.getCell(c);
          const conv = convertCell(cell.value, cell.numFmt, info.date1904);
          if (conv.problem) {
            throw new RosterFormatError(
              name,
              `sheet "${s.name}", header cell ${columnLetter(c)}${row.number}: ${conv.problem}`,
            );
          }
          headers.push(
            cellText(conv.value)
              .replace(/\u00a0/g, ' ')
              .replaceAll('\0', '')
              .trim(),
          );
        }
        while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
        if (headers.length === 0) continue;
        header = { sheet: s.name, headers, headerRow: row.number };
        break;
      }
      if (header) sheets.push(header);
      else skipped.push({ sheet: s.name, reason: 'sheet is empty; not read' });
    }
    await checkUnchanged(info);
  } catch (e) {
    wrapExcelError(name, e);
  }
  return { sheets, skipped };
}

/** Streams the data rows of one sheet (after its header row). Blank rows are skipped. */
export async function* readXlsxRows(
  path: string,
  header: XlsxSheetHeader,
  info: XlsxWorkbookInfo,
  limits?: Partial<ReaderLimits>,
): AsyncGenerator<RawRow> {
  const l = resolveLimits(limits);
  const name = basename(path);
  const keys = recordKeys(header.headers);
  const n = keys.length;
  let count = 0;
  const sheet = info.sheets.find((s) => s.name === header.sheet);
  if (!sheet?.entry) throw new RosterFormatError(name, `sheet "${header.sheet}" not found`);
  let chars = 0;
  try {
    await checkUnchanged(info);
    const reader = await loadWorkbook(info);
    for await (const row of sheetRows(reader, info, sheet)) {
      if (row.number <= header.headerRow) continue;
      const cells: CellValue[] = [];
      const record: Record<string, CellValue> = {};
      const raw: Record<string, string> = {};
      const problems: string[] = [];
      let blank = true;
      for (let c = 1; c <= n; c++) {
        const cell = row.getCell(c);
        const conv = convertCell(cell.value, cell.numFmt, info.date1904);
        let v = conv.value;
        if (typeof v === 'string') {
          chars += v.length;
          if (chars > info.maxSheetChars) {
            throw new RosterFormatError(
              name,
              `sheet "${header.sheet}" holds more than ${info.maxSheetChars} characters of text (limit maxSheetChars, shared strings counted at each use); split it or export it as CSV`,
            );
          }
          if (v.includes('\0')) {
            // NUL is no text, and PostgreSQL refuses it: removed here, the row rejected.
            v = v.replaceAll('\0', '');
            problems.push(
              `cell ${columnLetter(c)}${row.number} contains a NUL character (byte 0), which is not text`,
            );
          }
        }
        if (typeof v === 'string' && v.length > l.maxFieldBytes) {
          problems.push(
            `cell ${columnLetter(c)}${row.number} is longer than the limit of ${l.maxFieldBytes} characters`,
          );
          v = v.slice(0, 1000);
        }
        if (conv.problem && header.headers[c - 1] !== '') {
          problems.push(`cell ${columnLetter(c)}${row.number} (${keys[c - 1]}): ${conv.problem}`);
        }
        if (!isBlankCell(v) || conv.problem) blank = false;
        cells.push(v);
        record[keys[c - 1]!] = v;
        raw[keys[c - 1]!] = cellText(v);
      }
      if (blank) continue;
      count++;
      if (count > l.maxRows) {
        throw new RosterFormatError(
          name,
          `sheet "${header.sheet}" has more than ${l.maxRows} data rows (limit); split it`,
        );
      }
      yield {
        rowNumber: row.number,
        record,
        cells,
        raw,
        error: problems.length > 0 ? problems.join('; ') : null,
      };
    }
    await checkUnchanged(info);
  } catch (e) {
    wrapExcelError(name, e);
  }
}

export interface XlsxSheetSource {
  header: XlsxSheetHeader;
  /** Re-readable: each call streams the workbook again. */
  rows: () => AsyncIterable<RawRow>;
}

/** Checks the workbook, reads each sheet's header, and gives a row stream per sheet. */
export async function openXlsx(
  path: string,
  limits?: Partial<ReaderLimits>,
  /** The file as the import hashed it: every pass checks the file is still that one. */
  expect: FileFingerprint | null = null,
): Promise<{ sheets: XlsxSheetSource[]; skipped: XlsxSkippedSheet[]; info: XlsxWorkbookInfo }> {
  const l = resolveLimits(limits);
  const info = await inspectXlsx(path, l, expect ?? (await identityFingerprint(path)));
  const { sheets, skipped } = await readXlsxHeaders(path, info);
  return {
    info,
    skipped,
    sheets: sheets.map((header) => ({ header, rows: () => readXlsxRows(path, header, info, l) })),
  };
}

/**
 * A workbook is read by random access (ZIP entries, several passes), so the bytes hashed cannot
 * be the bytes parsed in one stream: instead every pass checks that the file still has the
 * size, modification time and inode it had when it was hashed (or first opened).
 */
async function checkUnchanged(info: XlsxWorkbookInfo): Promise<void> {
  if (info.expect === null) return;
  let now;
  try {
    now = await identityOf(info.path);
  } catch {
    throw changedWhileRead(info.path);
  }
  if (!sameIdentity(now, info.expect)) throw changedWhileRead(info.path);
}

async function identityFingerprint(path: string): Promise<FileFingerprint> {
  return { ...(await identityOf(path)), sha256: '' };
}

export { ZipFormatError };
