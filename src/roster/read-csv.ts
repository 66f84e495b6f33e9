/**
 * Streaming CSV reader with bounded memory: encoding and delimiter detection, binary and
 * wrong-format detection, limits. Values are kept as text (leading zeros intact).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { RosterFormatError } from '../errors.js';
import {
  changedWhileRead,
  notRegularReason,
  ReadWatch,
  type FileFingerprint,
} from './file-identity.js';
import type { CellValue } from './validate.js';

export interface ReaderLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Most data rows accepted in one roster (file or sheet). */
  maxRows: number;
  /** Longest CSV row / XLSX cell accepted, in characters (default 1 MiB). */
  maxFieldBytes: number;
  /** XLSX: largest total uncompressed size of the workbook's ZIP entries (zip-bomb guard). */
  maxUncompressedBytes: number;
  /**
   * XLSX: most characters of text one sheet may hold, counting every cell's text (a shared
   * string as often as cells use it) and the workbook's shared strings table.
   */
  maxSheetChars: number;
  /** Most rejected rows stored per file or sheet (the count of the others is kept). */
  maxStoredRejections: number;
}

export const DEFAULT_LIMITS: Readonly<ReaderLimits> = {
  maxFileBytes: 2 * 1024 ** 3,
  maxRows: 10_000_000,
  maxFieldBytes: 1024 ** 2,
  maxUncompressedBytes: 1024 ** 3,
  maxSheetChars: 256 * 1024 ** 2,
  maxStoredRejections: 10_000,
};

export function resolveLimits(limits?: Partial<ReaderLimits>): ReaderLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** One data row as read, keyed by the file's own headers. */
export interface RawRow {
  /** 1-based line (CSV, where the row starts) or row number (XLSX); the header is row 1. */
  rowNumber: number;
  /** Cell values keyed by original header (blank header -> `column N`). */
  record: Record<string, CellValue>;
  /** Cell values by 0-based position in the header row. */
  cells: CellValue[];
  /** The row as text, for the rejected-rows report. */
  raw: Record<string, string>;
  /** A problem with the row as a whole (wrong number of fields, bad bytes): reject it with this reason. */
  error: string | null;
}

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvDelimiter = ',' | ';' | '\t' | '|';

export interface CsvHeader {
  headers: string[];
  /** Line number of the header row (1 unless blank lines precede it). */
  headerLine: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

interface Sniffed {
  encoding: CsvEncoding;
  bomLength: number;
  delimiter: CsvDelimiter;
}

const PREFIX_BYTES = 64 * 1024;
const BINARY_CHECK_BYTES = 8 * 1024;

function startsWith(buf: Buffer, sig: number[]): boolean {
  return buf.length >= sig.length && sig.every((b, i) => buf[i] === b);
}

/** Error for a file that is not text (ZIP/XLSX, XLS, PDF, other binary), or null. */
export function binarySignatureProblem(prefix: Buffer): string | null {
  if (startsWith(prefix, [0x50, 0x4b, 0x03, 0x04]) || startsWith(prefix, [0x50, 0x4b, 0x05, 0x06]))
    return 'this is a ZIP archive (most likely an Excel .xlsx workbook), not a CSV text file: rename it to .xlsx or save it from Excel as CSV';
  if (startsWith(prefix, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return 'this is an old Excel .xls workbook, not a CSV text file: save it from Excel as .xlsx or CSV';
  if (startsWith(prefix, [0x25, 0x50, 0x44, 0x46]))
    return 'this is a PDF document, not a CSV text file';
  return null;
}

function detectDelimiter(headerLine: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = [',', ';', '\t', '|'];
  const counts = new Map<CsvDelimiter, number>(candidates.map((c) => [c, 0]));
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch as CsvDelimiter)) {
      counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1);
    }
  }
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const c of candidates) {
    const n = counts.get(c)!;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

function decoderLabel(e: CsvEncoding): string {
  return e === 'utf-8-bom' ? 'utf-8' : e;
}

async function sniff(path: string, limits: ReaderLimits): Promise<Sniffed> {
  const name = basename(path);
  let size: number;
  try {
    const st = await stat(path);
    const notRegular = notRegularReason(st);
    if (notRegular !== null) throw new RosterFormatError(name, `${notRegular}; not read`);
    size = st.size;
  } catch (e) {
    if (e instanceof RosterFormatError) throw e;
    throw new RosterFormatError(name, `cannot read the file: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (size === 0) throw new RosterFormatError(name, 'the file is empty (0 bytes): no header row');
  if (size > limits.maxFileBytes) {
    throw new RosterFormatError(
      name,
      `the file is ${size} bytes, more than the limit of ${limits.maxFileBytes} bytes; split it into smaller files`,
    );
  }
  const fh = await open(path, 'r');
  let prefix: Buffer;
  let tail: Buffer;
  try {
    const buf = Buffer.alloc(Math.min(PREFIX_BYTES, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    prefix = buf.subarray(0, bytesRead);
    const end = Buffer.alloc(Math.min(2, size));
    const t = await fh.read(end, 0, end.length, size - end.length);
    tail = end.subarray(0, t.bytesRead);
  } finally {
    await fh.close();
  }
  const sig = binarySignatureProblem(prefix);
  if (sig) throw new RosterFormatError(name, sig);

  let encoding: CsvEncoding;
  let bomLength = 0;
  if (startsWith(prefix, [0xef, 0xbb, 0xbf])) {
    encoding = 'utf-8-bom';
    bomLength = 3;
  } else if (startsWith(prefix, [0xff, 0xfe])) {
    encoding = 'utf-16le';
    bomLength = 2;
  } else if (startsWith(prefix, [0xfe, 0xff])) {
    encoding = 'utf-16be';
    bomLength = 2;
  } else {
    if (prefix.subarray(0, BINARY_CHECK_BYTES).includes(0)) {
      throw new RosterFormatError(
        name,
        'this is a binary file, not CSV text (it contains NUL bytes); if it is UTF-16 text, save it as UTF-8 or UTF-16 with a byte order mark',
      );
    }
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
      encoding = 'utf-8';
    } catch {
      encoding = 'windows-1252';
    }
  }
  const text = new TextDecoder(decoderLabel(encoding), { ignoreBOM: true }).decode(
    prefix.subarray(bomLength),
    { stream: true },
  );
  if (!endsWithLineEnd(tail, encoding)) {
    throw new RosterFormatError(
      name,
      'the last line has no line end: the file looks incomplete (still being written or uploaded, or cut off); import it once the copy is complete (a complete file ends with a line break)',
    );
  }
  const firstLine = text.replace(/^(\s*\r?\n)+/, '').split(/\r?\n|\r/, 1)[0] ?? '';
  return { encoding, bomLength, delimiter: detectDelimiter(firstLine) };
}

/** Whether the last bytes of a file are a line end (LF or CR) in its encoding. */
function endsWithLineEnd(tail: Buffer, encoding: CsvEncoding): boolean {
  const n = tail.length;
  if (encoding === 'utf-16le')
    return n === 2 && tail[1] === 0 && (tail[0] === 0x0a || tail[0] === 0x0d);
  if (encoding === 'utf-16be')
    return n === 2 && tail[0] === 0 && (tail[1] === 0x0a || tail[1] === 0x0d);
  return n > 0 && (tail[n - 1] === 0x0a || tail[n - 1] === 0x0d);
}

interface ParsedRecord {
  fields: string[];
  /** Line where the record starts. */
  line: number;
}

/** Streams decoded records; converts csv-parse errors to RosterFormatError. */
async function* records(
  path: string,
  s: Sniffed,
  limits: ReaderLimits,
  /** A full pass: every byte read is hashed, and the file checked unchanged at the end. */
  watch: ReadWatch | null = null,
  /** Records after which csv-parse stops (it parses no more of the chunk it is in). */
  to?: number,
): AsyncGenerator<ParsedRecord> {
  const name = basename(path);
  await watch?.start();
  const file = createReadStream(path, { highWaterMark: PREFIX_BYTES });
  const label = decoderLabel(s.encoding);
  async function* decode(): AsyncGenerator<string> {
    // Non-fatal: bytes invalid in the detected encoding become U+FFFD and the row is rejected.
    const decoder = new TextDecoder(label, { ignoreBOM: true });
    let skip = s.bomLength;
    for await (const raw of file as AsyncIterable<Buffer>) {
      watch?.update(raw);
      let chunk = raw;
      if (skip > 0) {
        chunk = raw.subarray(Math.min(skip, raw.length));
        skip -= raw.length - chunk.length;
      }
      const t = decoder.decode(chunk, { stream: true });
      if (t) yield t;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  }
  // CRLF and LF may be mixed in one file (an export appended to by hand): csv-parse would keep
  // the first line end it sees and join the lines ending otherwise into one row, with a
  // misleading field count. Only a file whose first line ends in a bare CR (classic Mac) keeps
  // csv-parse's own detection.
  const chunks = decode();
  const first = await chunks.next();
  const firstText = first.done ? '' : first.value;
  const end = /\r\n|\n|\r/.exec(firstText);
  const bareCr = end !== null && end[0] === '\r' && end.index < firstText.length - 1;
  const recordDelimiter = bareCr ? null : ['\r\n', '\n'];
  async function* text(): AsyncGenerator<string> {
    if (!first.done) yield firstText;
    yield* chunks;
  }
  let lastEnd = 0;
  const parser = parse({
    // Tracks the last complete record synchronously, so error messages name the right line even
    // when records parsed before the error were never delivered.
    on_record: (record, context) => {
      lastEnd = context.lines;
      return record;
    },
    delimiter: s.delimiter,
    ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: limits.maxFieldBytes,
    info: true,
    ...(to !== undefined ? { to } : {}),
  });
  const source = Readable.from(text());
  const done = pipeline(source, parser).catch(() => undefined);
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const fields = item.record;
      let newlines = 0;
      for (const f of fields) for (const ch of f) if (ch === '\n') newlines++;
      const line = item.info.lines - newlines;
      yield { fields, line };
    }
    await watch?.finish();
  } catch (e) {
    if (e instanceof RosterFormatError) throw e;
    // A file cut or rewritten while read: say so rather than what its broken tail looks like.
    if (watch && (await watch.changed())) throw changedWhileRead(path);
    if (e instanceof CsvError) {
      const start = lastEnd + 1;
      switch (e.code) {
        case 'CSV_QUOTE_NOT_CLOSED':
          throw new RosterFormatError(
            name,
            `unbalanced quotes: a quote (") opened in the row starting at line ${start} is never closed; fix that row (a " inside a quoted value must be doubled: "")`,
            { cause: e },
          );
        case 'CSV_INVALID_CLOSING_QUOTE':
          throw new RosterFormatError(
            name,
            `bad quoting in the row starting at line ${start}: a quoted value is followed by other characters before the next delimiter (a " inside a quoted value must be doubled: "")`,
            { cause: e },
          );
        case 'CSV_MAX_RECORD_SIZE':
          throw new RosterFormatError(
            name,
            `the row starting at line ${start} is longer than the limit of ${limits.maxFieldBytes} characters (often an unclosed quote that swallows the following lines)`,
            { cause: e },
          );
        default:
          throw new RosterFormatError(
            name,
            `cannot parse the CSV near line ${start}: ${e.message}`,
            {
              cause: e,
            },
          );
      }
    }
    throw e;
  } finally {
    source.destroy();
    file.destroy();
    await done;
  }
}

function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

/** Keys for a record: the headers, blank -> `column N`, repeated -> `name (N)`. */
export function recordKeys(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((h, i) => {
    let key = h.trim() === '' ? `column ${i + 1}` : h;
    if (used.has(key)) key = `${key} (${i + 1})`;
    used.add(key);
    return key;
  });
}

/**
 * Records the header is looked for in first: csv-parse then stops there, not at the end of the
 * file's first chunk (64 KB: about 700 rows parsed for one header, 9 ms a file; a CMS file split
 * into 56 by state spent 0.5 s on headers). A file with more blank records first is read again
 * whole.
 */
const HEADER_SCAN_RECORDS = 16;

async function readHeaderWith(path: string, s: Sniffed, limits: ReaderLimits): Promise<CsvHeader> {
  for (const to of [HEADER_SCAN_RECORDS, undefined]) {
    let n = 0;
    for await (const r of records(path, s, limits, null, to)) {
      n++;
      if (isBlankRecord(r.fields)) continue;
      const headers = r.fields.map((h, i) =>
        (i === 0 ? h.replace(/^\uFEFF/, '') : h).replaceAll('\0', '').trim(),
      );
      return { headers, headerLine: r.line, encoding: s.encoding, delimiter: s.delimiter };
    }
    if (n < HEADER_SCAN_RECORDS) break; // the whole file was read: no header in it
  }
  throw new RosterFormatError(basename(path), 'the file has no header row (it is empty or blank)');
}

/** Reads the header row (and the detected encoding and delimiter). */
export async function readCsvHeader(
  path: string,
  limits?: Partial<ReaderLimits>,
): Promise<CsvHeader> {
  const l = resolveLimits(limits);
  return readHeaderWith(path, await sniff(path, l), l);
}

/**
 * Data rows as field arrays, in batches: no per-row objects (the CMS network file has millions
 * of rows). `fields[i]` is the row as read, with harmless trailing empty fields dropped; it may
 * have fewer or more fields than the header when `errors[i]` is set.
 */
export interface FieldBatch {
  /** 1-based line where each row starts (the header is row 1 unless blank lines precede it). */
  rowNumbers: number[];
  fields: string[][];
  /** Null, or a problem with the row as a whole (reject the row with this reason). */
  errors: (string | null)[];
}

function sniffedOf(header: CsvHeader): Sniffed {
  return {
    encoding: header.encoding,
    delimiter: header.delimiter,
    bomLength: header.encoding === 'utf-8-bom' ? 3 : header.encoding.startsWith('utf-16') ? 2 : 0,
  };
}

/** Checks a data row as a whole: field count, unreadable bytes; counts rows against maxRows. */
function rowChecker(
  path: string,
  header: CsvHeader,
  l: ReaderLimits,
): (fields: string[], readable?: boolean) => string | null {
  const n = header.headers.length;
  const delimName =
    header.delimiter === '\t'
      ? 'tab'
      : header.delimiter === ','
        ? 'comma'
        : `"${header.delimiter}"`;
  const badBytes =
    header.encoding === 'windows-1252'
      ? 'this row contains characters that cannot be read; save the file as UTF-8'
      : `this row contains bytes that are not valid ${header.encoding.replace('-bom', '')} text; save the whole file as UTF-8`;
  let count = 0;
  // readable: the caller saw no U+FFFD (what decoding makes of unreadable bytes) and no NUL in
  // the row.
  return (fields, readable = false) => {
    if (++count > l.maxRows) {
      throw new RosterFormatError(
        basename(path),
        `more than ${l.maxRows} data rows (limit); split the file into smaller files`,
      );
    }
    if (fields.length > n) {
      let blankTail = true;
      for (let i = n; i < fields.length; i++) {
        if (fields[i]!.trim() !== '') {
          blankTail = false;
          break;
        }
      }
      if (blankTail) fields.length = n; // trailing empty fields (e.g. "a,b,c,,") are harmless
    }
    if (fields.length !== n) {
      return `this row has ${fields.length} ${delimName}-separated fields but the header has ${n}: a delimiter is missing or extra (a value containing ${delimName === 'tab' ? 'a tab' : delimName} must be quoted)`;
    }
    if (readable) return null;
    // NUL is no text, and PostgreSQL refuses it in a text value: removed here, the row rejected.
    let nul = false;
    for (let i = 0; i < fields.length; i++) {
      if (fields[i]!.includes('\0')) {
        fields[i] = fields[i]!.replaceAll('\0', '');
        nul = true;
      }
    }
    if (nul) return NUL_IN_ROW;
    for (const f of fields) if (f.includes('\uFFFD')) return badBytes;
    return null;
  };
}

export const NUL_IN_ROW =
  'this row contains a NUL character (byte 0), which is not text: the file is damaged or binary; save it again as CSV';

const SIMPLE_ENCODINGS: ReadonlySet<CsvEncoding> = new Set(['utf-8', 'utf-8-bom', 'windows-1252']);
const SCAN_BYTES = 1024 * 1024;
/** Read size of the simple reader: a batch of rows stays small enough to die young. */
const READ_BYTES = 64 * 1024;

/**
 * Where csv-parse (with this reader's options: relax_quotes, `"` as quote and escape, CRLF or LF
 * records) puts record ends, followed over the bytes of a file: for the pre-scan, which needs
 * only to know that every record holding a `"` is short and that no quote is left open at the
 * end. Field contents are not built. Segments without a quote are skipped with indexOf.
 */
class QuoteScan {
  private quoting = false;
  /** A `"` inside a quoted field was the last byte of the previous chunk. */
  private pendingQuote = false;
  private fieldEmpty = true;
  private recordStart = 0;
  private recordQuoted = false;
  /** False once a record holding a quote is longer than the bound. */
  ok = true;
  constructor(
    private readonly delim: number,
    private readonly maxQuotedRecord: number,
  ) {}

  /** The record ending at the line end at `lf` (absolute): checks it, starts the next. */
  private endRecord(lf: number): void {
    if (this.recordQuoted && lf + 1 - this.recordStart > this.maxQuotedRecord) this.ok = false;
    this.recordStart = lf + 1;
    this.recordQuoted = false;
    this.fieldEmpty = true;
  }

  /** The unquoted bytes [from, to) of a chunk at absolute offset `base`: no `"` among them. */
  private plain(chunk: Buffer, base: number, from: number, to: number): void {
    if (from >= to) return;
    const first = chunk.indexOf(0x0a, from);
    if (first === -1 || first >= to) {
      const last = chunk[to - 1]!;
      if (last !== this.delim && last !== 0x0d) this.fieldEmpty = false;
      else if (last === this.delim) this.fieldEmpty = true;
      return;
    }
    this.endRecord(base + first);
    const lastLf = chunk.lastIndexOf(0x0a, to - 1);
    this.recordStart = base + lastLf + 1;
    const last = chunk[to - 1]!;
    this.fieldEmpty = lastLf === to - 1 || last === this.delim || last === 0x0d;
  }

  /** Feeds the next chunk, which starts at absolute offset `base`. */
  feed(chunk: Buffer, base: number): void {
    const n = chunk.length;
    let i = 0;
    if (this.pendingQuote) {
      this.pendingQuote = false;
      i = this.afterQuote(chunk, 0);
    }
    while (i < n && this.ok) {
      if (this.quoting) {
        const q = chunk.indexOf(0x22, i);
        if (q === -1) {
          if (i < n) this.fieldEmpty = false;
          return;
        }
        if (q > i) this.fieldEmpty = false;
        if (q + 1 >= n) {
          this.pendingQuote = true;
          return;
        }
        i = this.afterQuote(chunk, q + 1);
      } else {
        const q = chunk.indexOf(0x22, i);
        const end = q === -1 ? n : q;
        this.plain(chunk, base, i, end);
        if (q === -1) return;
        this.recordQuoted = true;
        if (this.fieldEmpty) this.quoting = true;
        this.fieldEmpty = false;
        i = q + 1;
      }
    }
  }

  /**
   * A `"` inside a quoted field, followed by the byte at `at`: an escaped quote, the closing
   * quote, or (relax_quotes) a quote that ends quoting and stays in the field. Returns where to
   * go on.
   */
  private afterQuote(chunk: Buffer, at: number): number {
    const next = chunk[at]!;
    this.fieldEmpty = false;
    if (next === 0x22) return at + 1; // "" inside quotes: one quote of the value
    this.quoting = false;
    return at;
  }

  /** At the end of the file: a quote still open leaves it to csv-parse (and its error). */
  end(): boolean {
    return this.ok && !this.quoting && !this.pendingQuote;
  }
}

/**
 * Whether the file can be split on line ends and delimiters directly, with the same rows, row
 * numbers and values as csv-parse gives: an ASCII-compatible encoding and one kind of line end
 * throughout (all LF, or all CRLF with no other CR; csv-parse keeps the first line end it sees).
 * Quotes are fine (their rows are parsed as csv-parse does, see quotedRecord) when every record
 * holding one is shorter than a quarter of `maxRecordBytes` and no quote is left open. Returns
 * the line end, or null (use csv-parse).
 */
export async function simpleLineEnd(
  path: string,
  encoding: CsvEncoding,
  bomLength: number,
  delimiter: CsvDelimiter = ',',
  maxRecordBytes: number = DEFAULT_LIMITS.maxFieldBytes,
): Promise<'\n' | '\r\n' | null> {
  if (!SIMPLE_ENCODINGS.has(encoding)) return null;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SCAN_BYTES);
    let position = bomLength;
    let prev = -1; // last byte of the previous chunk
    let cr = 0;
    let lf = 0;
    let quotes: QuoteScan | null = null;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, SCAN_BYTES, position);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (quotes === null && chunk.includes(0x22)) {
        // The first quote: follow csv-parse's records from the start of the file.
        quotes = new QuoteScan(delimiter.charCodeAt(0), Math.floor(maxRecordBytes / 4));
        const head = Buffer.allocUnsafe(SCAN_BYTES);
        for (let at = bomLength; at < position;) {
          const r = await fh.read(head, 0, Math.min(SCAN_BYTES, position - at), at);
          if (r.bytesRead === 0) break;
          quotes.feed(head.subarray(0, r.bytesRead), at - bomLength);
          at += r.bytesRead;
        }
      }
      if (quotes !== null) {
        quotes.feed(chunk, position - bomLength);
        if (!quotes.ok) return null;
      }
      if (prev === 0x0d && chunk[0] !== 0x0a) return null; // a CR not followed by LF
      for (let i = chunk.indexOf(0x0d); i !== -1; i = chunk.indexOf(0x0d, i + 1)) {
        if (i + 1 < bytesRead && chunk[i + 1] !== 0x0a) return null;
        cr++;
      }
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lf++;
      // Every CR so far is followed by an LF: CR count = CRLF count. Mixed line ends: give up.
      if (cr > 0 && cr !== lf && !(chunk[bytesRead - 1] === 0x0d && cr === lf + 1)) return null;
      position += bytesRead;
      prev = chunk[bytesRead - 1]!;
    }
    if (prev === 0x0d) return null; // a CR at the very end, not followed by LF
    if (cr > 0 && cr !== lf) return null;
    if (quotes !== null && !quotes.end()) return null;
    return cr > 0 ? '\r\n' : '\n';
  } finally {
    await fh.close();
  }
}

/**
 * The record starting at `start` of `text`, read as csv-parse reads it with this reader's options
 * (relax_quotes; `"` quotes and escapes; records end at CRLF or LF outside quotes): its fields,
 * where the next record starts, and the LF and CR characters inside its fields. Null when `text` ends
 * before the record does (more text is needed). The pre-scan (simpleLineEnd) made sure no quote
 * is left open at the end of the file and no such record nears the size limit.
 */
export function quotedRecord(
  text: string,
  start: number,
  delim: string,
): { fields: string[]; next: number; newlines: number; crs: number } | null {
  const n = text.length;
  const fields: string[] = [];
  let field = '';
  let quoting = false;
  let newlines = 0;
  let crs = 0;
  for (let i = start; i < n; i++) {
    const c = text[i]!;
    if (c === '"') {
      if (quoting) {
        if (i + 1 >= n) return null; // what follows decides
        const next = text[i + 1]!;
        if (next === '"') {
          field += '"';
          i++;
          continue;
        }
        quoting = false;
        if (next === delim || next === '\n' || next === '\r') continue;
        // relax_quotes: a quote followed by other text stays, before and after what it quoted.
        field = `"${field}"`;
        continue;
      }
      if (field.length === 0) {
        quoting = true;
        continue;
      }
      field += c;
      continue;
    }
    if (!quoting) {
      if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
        fields.push(field);
        return { fields, next: c === '\n' ? i + 1 : i + 2, newlines, crs };
      }
      if (c === '\r' && i + 1 >= n) return null;
      if (c === delim) {
        fields.push(field);
        field = '';
        continue;
      }
    } else if (c === '\n') newlines++;
    else if (c === '\r') crs++;
    field += c;
  }
  return null;
}

/** Field arrays of a simple file (see simpleLineEnd), batched per chunk read. */
async function* simpleBatches(
  path: string,
  header: CsvHeader,
  s: Sniffed,
  l: ReaderLimits,
  lineEnd: '\n' | '\r\n',
  check: (fields: string[], readable?: boolean) => string | null,
  watch: ReadWatch,
): AsyncGenerator<FieldBatch> {
  const name = basename(path);
  const delim = s.delimiter;
  const delimCode = delim.charCodeAt(0);
  const cut = lineEnd.length - 1; // characters before the LF that belong to the line end
  const decoder = new TextDecoder(decoderLabel(s.encoding), { ignoreBOM: true });
  const file = createReadStream(path, { highWaterMark: READ_BYTES });
  let skip = s.bomLength;
  let line = 0;
  let lastRecordLine = 0; // the last non-empty line (csv-parse names the next one in errors)
  let rest = '';
  const tooLong = (): RosterFormatError =>
    new RosterFormatError(
      name,
      `the row starting at line ${lastRecordLine + 1} is longer than the limit of ${l.maxFieldBytes} characters (often an unclosed quote that swallows the following lines)`,
    );
  // csv-parse counts the bytes of a record's fields (not the delimiters) and fails when a byte
  // comes after more than maxFieldBytes of them.
  const checkSize = (text: string, fieldCount: number): void => {
    if (text.length * 3 <= l.maxFieldBytes + 1) return;
    if (Buffer.byteLength(text) - (fieldCount - 1) > l.maxFieldBytes + 1) throw tooLong();
  };
  let batch: FieldBatch = { rowNumbers: [], fields: [], errors: [] };
  // Whether the text being split has no U+FFFD at all: one search per read, not one per field.
  let readable = false;
  const take = (text: string): void => {
    line++;
    if (text.length === 0) return; // empty line: skipped, like csv-parse's skip_empty_lines
    const fields = text.split(delim);
    checkSize(text, fields.length);
    lastRecordLine = line;
    if (line <= header.headerLine) return; // the header and blank lines before it
    const c0 = text.charCodeAt(0);
    // Only a line starting with the delimiter or white space can be blank (ASCII letters and
    // digits, the usual first characters, skip the regex).
    if (c0 === delimCode || ((c0 <= 32 || c0 >= 127) && /\s/.test(text[0]!))) {
      let blank = true;
      for (const f of fields) {
        if (f.trim() !== '') {
          blank = false;
          break;
        }
      }
      if (blank) return;
    }
    const error = check(fields, readable);
    batch.rowNumbers.push(line);
    batch.fields.push(fields);
    batch.errors.push(error);
  };
  /**
   * A record read by quotedRecord. Its number is csv-parse's: csv-parse counts a CRLF inside a
   * quoted value as two lines and the reader takes one per LF back, so such a row and every
   * later row are numbered one line further down per CRLF inside quotes.
   */
  const takeQuoted = (fields: string[], newlines: number, crs: number): void => {
    const start = ++line + crs;
    line += newlines + crs;
    lastRecordLine = line;
    if (start <= header.headerLine) return;
    if (isBlankRecord(fields)) return;
    const error = check(fields, readable);
    batch.rowNumbers.push(start);
    batch.fields.push(fields);
    batch.errors.push(error);
  };
  /**
   * Takes the complete records of `text` (all of it when `final`) and returns where the rest
   * starts. A line holding a `"` is read by quotedRecord (csv-parse's rules), the others split.
   */
  const split = (text: string, final: boolean): number => {
    let pos = 0;
    let q = text.indexOf('"');
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (q !== -1 && (nl === -1 || q < nl)) {
        const r = quotedRecord(text, pos, delim);
        if (r === null) {
          if (!final) return pos;
          // (Not reached: the pre-scan saw every quote closed and the file ends with a line end.)
          throw new RosterFormatError(name, `unbalanced quotes after line ${lastRecordLine}`);
        }
        takeQuoted(r.fields, r.newlines, r.crs);
        pos = r.next;
        q = text.indexOf('"', pos);
        continue;
      }
      if (nl === -1) break;
      take(text.slice(pos, nl - cut));
      pos = nl + 1;
    }
    if (final && pos < text.length) take(text.slice(pos));
    return final ? text.length : pos;
  };
  try {
    for await (const raw of file as AsyncIterable<Buffer>) {
      watch.update(raw);
      let chunk = raw;
      if (skip > 0) {
        chunk = raw.subarray(Math.min(skip, raw.length));
        skip -= raw.length - chunk.length;
      }
      const text = rest + decoder.decode(chunk, { stream: true });
      readable = !text.includes('\uFFFD') && !text.includes('\0');
      rest = text.slice(split(text, false));
      if (rest.length > 0) checkSize(rest, rest.split(delim).length);
      if (batch.rowNumbers.length > 0) {
        yield batch;
        batch = { rowNumbers: [], fields: [], errors: [] };
      }
    }
    const tail = rest + decoder.decode();
    readable = !tail.includes('\uFFFD') && !tail.includes('\0');
    if (tail.length > 0) split(tail, true);
    await watch.finish();
    if (batch.rowNumbers.length > 0) yield batch;
  } finally {
    file.destroy();
  }
}

const CSV_BATCH = 5_000;

/**
 * Streams the data rows after the header as field arrays, in batches. Rows with a wrong number
 * of fields or with bytes that are not valid in the detected encoding come with an error (to be
 * rejected), never abort the file. Entirely blank rows are skipped. Simple files (no quotes, one
 * kind of line end) are split directly; others go through csv-parse, with the same results.
 */
export async function* readCsvFieldBatches(
  path: string,
  header: CsvHeader,
  limits?: Partial<ReaderLimits>,
  options?: {
    /** Always use csv-parse (tests compare both readers). */
    csvParse?: boolean;
    /** The file as the import decided on it: the pass fails if the bytes read differ. */
    expect?: FileFingerprint | null;
  },
): AsyncGenerator<FieldBatch> {
  const l = resolveLimits(limits);
  const s = sniffedOf(header);
  const check = rowChecker(path, header, l);
  // Started before the line-end scan: a change after it is seen at the end of the pass.
  const watch = new ReadWatch(path, options?.expect ?? null);
  await watch.start();
  const lineEnd = options?.csvParse
    ? null
    : await simpleLineEnd(path, s.encoding, s.bomLength, s.delimiter, l.maxFieldBytes);
  if (lineEnd !== null) {
    yield* simpleBatches(path, header, s, l, lineEnd, check, watch);
    return;
  }
  let seenHeader = false;
  let batch: FieldBatch = { rowNumbers: [], fields: [], errors: [] };
  for await (const r of records(path, s, l, watch)) {
    if (!seenHeader) {
      if (isBlankRecord(r.fields)) continue;
      seenHeader = true;
      continue;
    }
    if (isBlankRecord(r.fields)) continue;
    const error = check(r.fields);
    batch.rowNumbers.push(r.line);
    batch.fields.push(r.fields);
    batch.errors.push(error);
    if (batch.rowNumbers.length >= CSV_BATCH) {
      yield batch;
      batch = { rowNumbers: [], fields: [], errors: [] };
    }
  }
  if (batch.rowNumbers.length > 0) yield batch;
}

/** The row as text keyed by the file's headers (extra fields as `column N`). */
export function rawRecord(
  keys: readonly string[],
  fields: readonly string[],
): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < fields.length; i++)
    raw[i < keys.length ? keys[i]! : `column ${i + 1}`] = fields[i]!;
  return raw;
}

/**
 * Streams the data rows after the header (see readCsvFieldBatches), one object per row.
 */
export async function* readCsvRows(
  path: string,
  header: CsvHeader,
  limits?: Partial<ReaderLimits>,
  expect?: FileFingerprint | null,
): AsyncGenerator<RawRow> {
  const keys = recordKeys(header.headers);
  const n = keys.length;
  for await (const b of readCsvFieldBatches(path, header, limits, { expect: expect ?? null })) {
    for (let r = 0; r < b.rowNumbers.length; r++) {
      const fields = b.fields[r]!;
      const record: Record<string, CellValue> = {};
      const cells: CellValue[] = [];
      for (let i = 0; i < n; i++) {
        const v = i < fields.length ? fields[i]! : null;
        record[keys[i]!] = v;
        cells.push(v);
      }
      yield {
        rowNumber: b.rowNumbers[r]!,
        record,
        cells,
        raw: rawRecord(keys, fields),
        error: b.errors[r]!,
      };
    }
  }
}

export interface CsvSource {
  header: CsvHeader;
  /** Re-readable: each call streams the file again. */
  rows: () => AsyncIterable<RawRow>;
  /** The same rows as field arrays in batches (re-readable). */
  fieldBatches: () => AsyncIterable<FieldBatch>;
}

/** Detects encoding and delimiter, reads the header, and gives a row stream. */
export async function openCsv(
  path: string,
  limits?: Partial<ReaderLimits>,
  /** The file as hashed by the import: every row pass must read exactly these bytes. */
  expect?: FileFingerprint | null,
): Promise<CsvSource> {
  const l = resolveLimits(limits);
  const header = await readHeaderWith(path, await sniff(path, l), l);
  return {
    header,
    rows: () => readCsvRows(path, header, l, expect),
    fieldBatches: () => readCsvFieldBatches(path, header, l, { expect: expect ?? null }),
  };
}
