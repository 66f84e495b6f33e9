/**
 * Opens a roster file (CSV or XLSX) or a folder of them: one source per CSV file and per visible,
 * non-empty XLSX sheet, with its kind and column mapping resolved, ready for parseRow.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { RosterKind } from '../domain/types.js';
import { RosterFormatError } from '../errors.js';
import type { ColumnMapping } from './headers.js';
import { EMPTY_MAPPING, matchHeaders, parseMapping } from './headers.js';
import { detectKind, isReadmeName, parseKind } from './detect-kind.js';
import type { CsvDelimiter, CsvEncoding, FieldBatch, RawRow, ReaderLimits } from './read-csv.js';
import { openCsv, recordKeys, resolveLimits } from './read-csv.js';
import type { CellValue } from './validate.js';
import { fingerprintFile, notRegularReason, type FileFingerprint } from './file-identity.js';
import { rawBuilder } from './rejected-raw.js';

export { fingerprintFile, type FileFingerprint } from './file-identity.js';

export type RosterLimits = ReaderLimits;

/** One data row, keyed by canonical column name. */
export interface RosterRow {
  /** 1-based line (CSV) or row (XLSX) number in the file; the header is 1. */
  rowNumber: number;
  /** Canonical column -> cell value (columns absent from the file are absent here). */
  record: Record<string, CellValue>;
  /**
   * The row as text keyed by the file's own headers, for rejected rows: only the columns that
   * map to a roster column; member ids masked (see rejected-raw.ts).
   */
  raw: Record<string, string>;
  /** When set, the row cannot be read (wrong number of fields, unreadable bytes): reject it. */
  error: string | null;
}

export interface RosterSource {
  path: string;
  fileName: string;
  /** XLSX sheet name, null for CSV. */
  sheet: string | null;
  kind: RosterKind;
  format: 'csv' | 'xlsx';
  /** Canonical column -> original header. */
  columns: Record<string, string>;
  /** Headers that match no column (ignored). */
  ignoredColumns: string[];
  /** Ignored headers that look like a misspelt column (headers.ts nearMissColumn). */
  nearMisses: { header: string; column: string }[];
  encoding: CsvEncoding | null;
  delimiter: CsvDelimiter | null;
  headerRow: number;
  /** Streams the data rows (re-readable: each call reads the file again). */
  rows: () => AsyncIterable<RosterRow>;
  /**
   * CSV only: the same rows as field arrays in batches, without per-row objects (for files of
   * millions of rows). Read a canonical column at `positions`; build `raw` with `rawOf`.
   */
  fields?: {
    batches: () => AsyncIterable<FieldBatch>;
    /** Canonical column -> 0-based position in a row's fields. */
    positions: Readonly<Record<string, number>>;
    /** The row's `raw` record (as RosterRow.raw) from its fields. */
    rawOf: (fields: readonly string[]) => Record<string, string>;
  };
}

/** A file, or sheet, that was not read, and why (hidden sheet, empty sheet, not a roster file). */
export interface SkippedPart {
  fileName: string;
  sheet: string | null;
  reason: string;
}

/** The sources, plus `skipped`: what was passed over and why. */
export type OpenedRoster = RosterSource[] & { skipped: SkippedPart[] };

export interface OpenRosterOptions {
  /** A CSV/XLSX file, or a folder (its roster files are read, in name order). */
  path: string;
  /** Explicit kind (`--kind`): applies to every file and sheet. */
  kind?: string | null;
  /**
   * Column mapping (`--mapping FILE` contents): `{"Their header": "canonical_name"}`, or per kind
   * `{"pharmacies": {...}}`; a null target ignores the column. Or an already parsed mapping.
   */
  mapping?: Readonly<Record<string, unknown>> | ColumnMapping | null;
  limits?: Partial<RosterLimits>;
  /**
   * Told what was passed over (hidden, empty or chart sheets; files that are not rosters), once,
   * whether or not the roster could then be opened: a workbook refused for its visible sheet
   * still says which sheets were not read.
   */
  onSkipped?: (skipped: SkippedPart[]) => void;
  /**
   * The file as the import hashed it (fingerprintFile): every pass over its rows must read
   * exactly that file, or fails saying it changed while read. A file path only.
   */
  fingerprint?: FileFingerprint | null;
}

const CSV_EXTENSIONS = new Set(['.csv', '.txt', '.tsv', '.psv', '.dat']);
const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);

function isColumnMapping(m: unknown): m is ColumnMapping {
  return (
    typeof m === 'object' &&
    m !== null &&
    'global' in m &&
    'byKind' in m &&
    Object.keys(m).length === 2
  );
}

/**
 * The roster files of a folder, sorted by name. Symbolic links are followed to regular files;
 * everything else in the folder is listed in `skipped` with the reason: hidden and Office lock
 * files, sub-folders, links that point nowhere or loop, pipes and devices, other extensions.
 */
export async function listRosterFiles(
  dir: string,
): Promise<{ files: string[]; skipped: SkippedPart[] }> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const files: string[] = [];
  const skipped: SkippedPart[] = [];
  const skip = (fileName: string, reason: string): void => {
    skipped.push({ fileName, sheet: null, reason });
  };
  for (const d of entries) {
    const name = d.name;
    if (name.startsWith('~$')) {
      skip(name, 'an Office lock file (the workbook is open in Excel); not read');
      continue;
    }
    if (name.startsWith('.')) {
      skip(name, 'a hidden file; not read');
      continue;
    }
    let kind: string | null;
    if (d.isSymbolicLink()) {
      try {
        kind = notRegularReason(await stat(join(dir, name)));
        if (kind !== null) kind = `a link to ${kind.replace(/^an? /, 'a ')}`;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        kind =
          code === 'ELOOP'
            ? 'a symbolic link that loops (it points back to itself)'
            : `a symbolic link that points nowhere (${code ?? (e as Error).message})`;
      }
    } else {
      kind = notRegularReason(d);
    }
    if (kind !== null) {
      skip(
        name,
        kind === 'a folder'
          ? 'a folder; not read (sub-folders are not searched)'
          : `${kind}; not read`,
      );
      continue;
    }
    const ext = extname(name).toLowerCase();
    if (isReadmeName(name)) {
      skip(name, 'a README file (instructions); not read');
    } else if (CSV_EXTENSIONS.has(ext) || XLSX_EXTENSIONS.has(ext) || ext === '.xls') {
      files.push(join(dir, name));
    } else {
      skipped.push({
        fileName: name,
        sheet: null,
        reason: 'not a roster file (.csv, .txt or .xlsx)',
      });
    }
  }
  return { files, skipped };
}

async function looksLikeZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf[0] === 0x50 && buf[1] === 0x4b;
  } finally {
    await fh.close();
  }
}

function canonicalRows(
  rows: () => AsyncIterable<RawRow>,
  headers: readonly string[],
  positions: Readonly<Record<string, number>>,
  kind: RosterKind,
): () => AsyncIterable<RosterRow> {
  const n = headers.length;
  const keys = recordKeys(headers);
  const build = rawBuilder({ headers, positions, kind });
  const entries = Object.entries(positions);
  return async function* () {
    for await (const r of rows()) {
      const record: Record<string, CellValue> = {};
      for (const [name, pos] of entries) record[name] = r.cells[pos] ?? null;
      // r.raw: one entry per field read (CSV, see rawRecord) or per header column (XLSX).
      const count = Object.keys(r.raw).length;
      const values: string[] = [];
      for (let i = 0; i < count; i++)
        values.push(r.raw[i < n ? keys[i]! : `column ${i + 1}`] ?? '');
      const raw = build(values, count === n);
      yield { rowNumber: r.rowNumber, record, raw, error: r.error };
    }
  };
}

/** RosterRow.raw from a CSV row's fields (as canonicalRows builds it). */
function rawOf(
  headers: readonly string[],
  positions: Readonly<Record<string, number>>,
  kind: RosterKind,
): (fields: readonly string[]) => Record<string, string> {
  const n = headers.length;
  const build = rawBuilder({ headers, positions, kind });
  return (fields) => build(fields, fields.length === n);
}

async function openFile(
  path: string,
  explicit: RosterKind | null,
  mapping: ColumnMapping,
  limits: RosterLimits,
  skipped: SkippedPart[],
  fingerprint: FileFingerprint | null = null,
): Promise<RosterSource[]> {
  const fileName = basename(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.xls') {
    throw new RosterFormatError(
      fileName,
      'old Excel .xls workbooks are not read: open it in Excel and save it as .xlsx (Excel Workbook) or CSV',
    );
  }
  const asXlsx =
    XLSX_EXTENSIONS.has(ext) || (!CSV_EXTENSIONS.has(ext) && (await looksLikeZip(path)));
  if (asXlsx) {
    // exceljs (about 0.2 s to load) only when a workbook is read: CSV imports never need it.
    const { openXlsx } = await import('./read-xlsx.js');
    const wb = await openXlsx(path, limits, fingerprint);
    for (const s of wb.skipped) skipped.push({ fileName, sheet: s.sheet, reason: s.reason });
    if (wb.sheets.length === 0) {
      throw new RosterFormatError(fileName, 'the workbook has no visible sheet with data');
    }
    return wb.sheets.map((s) => {
      const kind = detectKind({
        file: path,
        sheet: s.header.sheet,
        headers: s.header.headers,
        explicit,
        onlySheet: wb.sheets.length === 1,
      });
      const m = matchHeaders(kind, s.header.headers, `${fileName} [${s.header.sheet}]`, mapping);
      return {
        path,
        fileName,
        sheet: s.header.sheet,
        kind,
        format: 'xlsx' as const,
        columns: m.columns,
        ignoredColumns: m.ignored,
        nearMisses: m.nearMisses,
        encoding: null,
        delimiter: null,
        headerRow: s.header.headerRow,
        rows: canonicalRows(() => s.rows(), s.header.headers, m.positions, kind),
      };
    });
  }
  const csv = await openCsv(path, limits, fingerprint);
  const kind = detectKind({ file: path, sheet: null, headers: csv.header.headers, explicit });
  const m = matchHeaders(kind, csv.header.headers, fileName, mapping);
  return [
    {
      path,
      fileName,
      sheet: null,
      kind,
      format: 'csv',
      columns: m.columns,
      ignoredColumns: m.ignored,
      nearMisses: m.nearMisses,
      encoding: csv.header.encoding,
      delimiter: csv.header.delimiter,
      headerRow: csv.header.headerLine,
      rows: canonicalRows(() => csv.rows(), csv.header.headers, m.positions, kind),
      fields: {
        batches: () => csv.fieldBatches(),
        positions: m.positions,
        rawOf: rawOf(csv.header.headers, m.positions, kind),
      },
    },
  ];
}

/**
 * Opens a roster file or folder. Throws RosterFormatError when a file cannot be read as a roster
 * at all (empty, binary, unknown kind, missing or duplicate columns...). Rows are not read yet.
 */
export async function openRoster(options: OpenRosterOptions): Promise<OpenedRoster> {
  const limits = resolveLimits(options.limits);
  const explicit =
    options.kind === null || options.kind === undefined || options.kind === ''
      ? null
      : parseKind(options.kind, basename(options.path));
  const mapping: ColumnMapping = !options.mapping
    ? EMPTY_MAPPING
    : isColumnMapping(options.mapping)
      ? options.mapping
      : parseMapping(options.mapping, 'column mapping');
  const skipped: SkippedPart[] = [];
  let info;
  try {
    info = await stat(options.path);
  } catch (e) {
    throw new RosterFormatError(basename(options.path), `cannot read: ${(e as Error).message}`, {
      cause: e,
    });
  }
  // A FIFO would block the first read for ever, /dev/zero never end: refused unopened.
  const notRegular = info.isDirectory() ? null : notRegularReason(info);
  if (notRegular !== null) {
    throw new RosterFormatError(basename(options.path), `${notRegular}; not read`);
  }
  const sources: RosterSource[] = [];
  try {
    if (info.isDirectory()) {
      const listed = await listRosterFiles(options.path);
      skipped.push(...listed.skipped);
      if (listed.files.length === 0) {
        throw new RosterFormatError(
          basename(options.path),
          'the folder has no roster files (.csv, .txt or .xlsx)',
        );
      }
      for (const f of listed.files)
        sources.push(...(await openFile(f, explicit, mapping, limits, skipped)));
    } else {
      sources.push(
        ...(await openFile(
          options.path,
          explicit,
          mapping,
          limits,
          skipped,
          options.fingerprint ?? null,
        )),
      );
    }
  } finally {
    if (skipped.length > 0) options.onSkipped?.([...skipped]);
  }
  return Object.assign(sources, { skipped });
}

/**
 * SHA-256 of a regular file (hex), streamed; refused if the file changes while read, or is not
 * a regular file (see fingerprintFile, which also gives what openRoster needs to check it).
 */
export async function sha256File(path: string): Promise<string> {
  return (await fingerprintFile(path)).sha256;
}
