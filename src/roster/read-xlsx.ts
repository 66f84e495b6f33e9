/**
 * Streaming XLSX reader (exceljs WorkbookReader): one roster per visible, non-empty sheet.
 * Formula cells give their saved result, rich text gives plain text, date cells give a Date.
 * Before streaming, the ZIP central directory is checked (zip-bomb guard) and the sheet list
 * (names, hidden state) is read from xl/workbook.xml.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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
import { WorkbookParts } from '../util/exceljs-internals.js';
import {
  openZipEntry,
  readZipDirectory,
  readZipEntry,
  ZipFormatError,
  type ZipEntry,
} from './zip.js';
import { isReadmeName } from './detect-kind.js';

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
    entries = readZipDirectory(path);
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
    workbookXml = readZipEntry(path, wbEntry, 16 * 1024 * 1024).toString('utf8');
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
      const relsXml = readZipEntry(path, relsEntry, 16 * 1024 * 1024).toString('utf8');
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
// Streaming: the ZIP entries are opened here and parsed by exceljs's part parsers, through
// src/util/exceljs-internals.ts (why: exceljs's own unzipping loses entries, see there).

/** Opens one ZIP entry as a stream of text, refusing more bytes than declared (zip-bomb guard). */
function openEntry(info: XlsxWorkbookInfo, entryName: string): Readable {
  const entry = info.entries.get(entryName);
  if (!entry) throw new ZipFormatError(`the workbook part ${entryName} is missing`);
  const out = openZipEntry(info.path, entry, info.maxUncompressedBytes);
  // Decode UTF-8 across chunk boundaries (exceljs decodes each chunk on its own).
  out.setEncoding('utf8');
  return out;
}

/** A workbook reader with the workbook, shared strings and styles parsed. */
async function loadWorkbook(info: XlsxWorkbookInfo): Promise<WorkbookParts> {
  const reader = new WorkbookParts(info.path);
  await reader.workbook(openEntry(info, 'xl/workbook.xml'));
  const sharedStrings = [...info.entries.keys()].find((n) => /^xl\/sharedStrings\.xml$/i.test(n));
  if (sharedStrings) await reader.sharedStrings(openEntry(info, sharedStrings));
  if (info.entries.has('xl/styles.xml')) {
    await reader.styles(openEntry(info, 'xl/styles.xml'));
  }
  const table = reader.sharedStringTable;
  let chars = 0;
  for (const t of table) chars += typeof t === 'string' ? t.length : sharedTextLength(t);
  if (chars > info.maxSheetChars) {
    throw new RosterFormatError(
      basename(info.path),
      `the workbook's shared strings hold ${chars} characters, more than the limit of ${info.maxSheetChars} per sheet (maxSheetChars); split it or export the sheets as CSV`,
    );
  }
  reader.sharedStringTable = guardSharedStrings(table);
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

/** A row or cell whose position cannot be told (the message names no sheet: sheetRows adds it). */
class PositionError extends Error {}

/** Where the sheet's rows and cells are: the last row number and the last column in it. */
interface SheetPosition {
  row: number;
  col: number;
}

/** A `<row>` or `<c>` start tag (not `<col>`, `<cols>`, `<cfRule>`...). */
const POSITION_TAG = /<(row|c)(?=[\s/>])([^>]*)>/g;
/** A `<row>` or `<c>` start tag without an `r` attribute. */
const NO_REF = /<(?:row|c)(?=[\s/>])(?![^>]*\sr\s*=)[^>]*>/;
const REF_ATTR = /\sr\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function columnNumber(ref: string): number {
  const m = /^\$?([A-Za-z]{1,3})/.exec(ref);
  if (!m) return NaN;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/**
 * OOXML lets a writer leave out a row's `r` (it is then the row after the previous one) and a
 * cell's `r` (the column after the previous cell of its row); exceljs needs both, so the missing
 * ones are written in. A chunk where every row and cell has its `r` is returned as it is, and
 * only its last row and cell are read to know where the next chunk starts.
 */
function addPositions(xml: string, pos: SheetPosition): string {
  if (!NO_REF.test(xml)) {
    notePositions(xml, pos);
    return xml;
  }
  return xml.replace(POSITION_TAG, (m, tag: string, attrs: string) => {
    const ref = REF_ATTR.exec(attrs);
    const value = ref ? (ref[1] ?? ref[2] ?? '') : null;
    if (tag === 'row') {
      pos.row = value === null ? pos.row + 1 : parseInt(value, 10);
      pos.col = 0;
      if (value !== null) return m;
      if (!(pos.row > 0))
        throw new PositionError(
          'a row without a row number (no r attribute) follows a row whose number is not valid',
        );
      return `<row r="${pos.row}"${attrs}>`;
    }
    pos.col = value === null ? pos.col + 1 : columnNumber(value);
    if (value !== null) return m;
    if (!(pos.row > 0 && pos.col > 0)) {
      throw new PositionError(
        `a cell without a position (no r attribute) follows a ${pos.row > 0 ? 'cell' : 'row'} whose position is not valid`,
      );
    }
    return `<c r="${columnLetter(pos.col)}${pos.row}"${attrs}>`;
  });
}

/** Moves `pos` to the last row and cell of a chunk whose tags all have their `r`. */
function notePositions(xml: string, pos: SheetPosition): void {
  const lastRow = lastTag(xml, '<row');
  if (lastRow !== -1) {
    const ref = REF_ATTR.exec(xml.slice(lastRow, xml.indexOf('>', lastRow) + 1));
    pos.row = parseInt(ref?.[1] ?? ref?.[2] ?? '', 10);
    pos.col = 0;
  }
  const lastCell = lastTag(xml, '<c');
  if (lastCell !== -1 && lastCell > lastRow) {
    const ref = REF_ATTR.exec(xml.slice(lastCell, xml.indexOf('>', lastCell) + 1));
    pos.col = columnNumber(ref?.[1] ?? ref?.[2] ?? '');
  }
}

/** Index of the last `<row`/`<c` start tag (name followed by a space, `>` or `/`), or -1. */
function lastTag(xml: string, open: string): number {
  for (let i = xml.lastIndexOf(open); i !== -1; i = xml.lastIndexOf(open, i - 1)) {
    const next = xml.charCodeAt(i + open.length);
    if (next === 0x3e || next === 0x2f || next <= 0x20) return i;
    if (i === 0) break;
  }
  return -1;
}

async function* guardSheetXml(src: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  const pos: SheetPosition = { row: 0, col: 0 };
  for await (const chunk of src) {
    const text = carry + chunk;
    const cut = safeCut(text);
    if (cut > 0) yield fixSharedIndexes(addPositions(text.slice(0, cut), pos));
    carry = text.slice(cut);
  }
  if (carry) yield fixSharedIndexes(addPositions(carry, pos));
}

/** Rows of one sheet; the entry stream is closed however the iteration ends. */
async function* sheetRows(
  reader: WorkbookParts,
  info: XlsxWorkbookInfo,
  sheet: XlsxSheetInfo,
): AsyncGenerator<ExcelJS.Row> {
  const stream = openEntry(info, sheet.entry!);
  try {
    for await (const row of reader.worksheetRows(guardSheetXml(stream))) yield row;
  } catch (e) {
    if (!(e instanceof PositionError)) throw e;
    throw new RosterFormatError(
      basename(info.path),
      `sheet "${sheet.name}": ${e.message}; save it again from Excel`,
      { cause: e },
    );
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
