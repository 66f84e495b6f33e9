/**
 * `infusion-audit import`: reads roster files, validates every row, and writes the files (and
 * XLSX sheets) of each kind as one snapshot in one transaction (src/import/plan-versions.ts). Rows read = accepted + rejected, always; rejected rows are
 * stored with file, row, column, value and reason.
 */
import { basename, extname } from 'node:path';
import type {
  CmsNetworkRow,
  IsoDate,
  NetworkMembership,
  NetworkRole,
  Pharmacy,
  PlanKey,
  RosterKind,
  ServiceArea,
} from '../domain/types.js';
import type { Db } from '../db/connect.js';
import {
  ASSURANCE_TABLE,
  CAPABILITY_TABLE,
  CMS_NETWORK_TABLE,
  COVERAGE_REQUEST_TABLE,
  EXCEPTION_TABLE,
  NETWORK_TABLE,
  PHARMACY_TABLE,
  PLAN_TABLE,
  SERVICE_AREA_TABLE,
  type VersionedTable,
} from '../db/roster-tables.js';
import {
  findCompletedImport,
  listCatalogCodes,
  listCountyCodes,
  latestCompletedImportId,
  listKnownPharmacies,
  writeRosterBatch,
  type BatchSource,
  type BatchWriteResult,
  type EndedFrom,
  type RejectedRowInput,
} from '../db/write-roster.js';
import {
  writeCmsNetworkBatch,
  type CmsBatchResult,
  type CmsFile,
} from '../db/write-cms-network.js';
import { CmsDuplicates, produceCmsNetwork } from './import-cms-network.js';
import { AuditError, RosterFormatError, UsageError } from '../errors.js';
import { columnSpec, defaultRoleForServiceType, type ColumnMapping } from '../roster/columns.js';
import { kindFromName } from '../roster/detect-kind.js';
import type { CellValue } from '../roster/validate.js';
import {
  listRosterFiles,
  openRoster,
  fingerprintFile,
  type RosterLimits,
  type RosterSource,
  type SkippedPart,
} from '../roster/open-roster.js';
import { stat } from 'node:fs/promises';
import { fsReason } from '../util/fs-error.js';
import { parseRow, type ParseContext, type RowIssue } from '../roster/parse-row.js';
import { RejectionLog } from './rejections.js';

export interface ImportFileResult {
  path: string;
  sheet: string | null;
  sha256: string;
  kind: RosterKind | null;
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Rejected rows counted but not stored (over limits.maxStoredRejections). */
  rejectionsOmitted?: number;
  warnings: number;
  status: 'completed' | 'unchanged' | 'failed';
  importId: number | null;
  message: string | null;
  /**
   * Stored rows this command ended because no file of its kind lists them any more (counted
   * against the first file of the command covering their plan or pharmacy), and the new versions
   * this file wrote (new and changed records).
   */
  ended: number;
  inserted: number;
  /** Stored rows not ended because rejected rows name them or could not be read. */
  keptForRejections: number;
  /** Headers of the file that match no column: not loaded. */
  ignoredColumns: string[];
  /** What the user must know (rows of earlier files ended, rows kept...), for the summary. */
  notices: string[];
  rejections: RejectedRowInput[];
}

export interface ImportProgress {
  path: string;
  sheet: string | null;
  rowsRead: number;
}

export interface ImportRostersOptions {
  db: Db;
  paths: readonly string[];
  asOf: IsoDate;
  kind?: RosterKind;
  /** The `--mapping` file, read by loadMapping (src/roster/columns.ts). */
  mapping?: ColumnMapping;
  limits?: Partial<RosterLimits>;
  timeZone: string;
  onProgress?: (p: ImportProgress) => void;
  /** Files or sheets passed over (hidden sheets, files that are not rosters). */
  onSkipped?: (skipped: SkippedPart[]) => void;
  /** `--append`: load without ending anything (a supplement listing only additions). */
  append?: boolean;
  /** `--end-despite-rejects`: end unlisted rows even when rejected rows could not be read. */
  endDespiteRejects?: boolean;
  /** `--allow-unknown`: load files whose headers look like misspelt columns (ignoring them). */
  allowUnknown?: boolean;
}

/** Order in which kinds load, so references resolve within one command. */
const KIND_ORDER: RosterKind[] = [
  'pharmacies',
  'plans',
  'service_areas',
  'network',
  'cms_network',
  'capabilities',
  'assurances',
  'coverage_requests',
  'exceptions',
];

const TABLES: Record<RosterKind, VersionedTable<never>> = {
  pharmacies: PHARMACY_TABLE,
  plans: PLAN_TABLE,
  service_areas: SERVICE_AREA_TABLE,
  network: NETWORK_TABLE,
  cms_network: CMS_NETWORK_TABLE,
  capabilities: CAPABILITY_TABLE,
  assurances: ASSURANCE_TABLE,
  coverage_requests: COVERAGE_REQUEST_TABLE,
  exceptions: EXCEPTION_TABLE,
};

function describeIssues(issues: readonly RowIssue[]): {
  column: string | null;
  value: string | null;
  reason: string;
} {
  const first = issues[0];
  return {
    column:
      [...new Set(issues.map((i) => i.column).filter((c): c is string => !!c))].join(', ') || null,
    value: first?.value ?? null,
    reason: issues.map((i) => (i.column ? `${i.column}: ${i.reason}` : i.reason)).join('; '),
  };
}

function failed(
  path: string,
  sheet: string | null,
  sha256: string,
  kind: RosterKind | null,
  err: unknown,
): ImportFileResult {
  return {
    path,
    sheet,
    sha256,
    kind,
    rowsRead: 0,
    accepted: 0,
    rejected: 0,
    warnings: 0,
    status: 'failed',
    importId: null,
    message: err instanceof Error ? err.message : String(err),
    ended: 0,
    inserted: 0,
    keptForRejections: 0,
    ignoredColumns: [],
    notices: [],
    rejections: [],
  };
}

export async function importRosters(options: ImportRostersOptions): Promise<ImportFileResult[]> {
  const { db } = options;
  const results: ImportFileResult[] = [];
  const catalogCodes = await listCatalogCodes({ db });
  const countyCodes = await listCountyCodes({ db });
  // Kinds with a failed file in this command (null: a file whose kind is not known). The other
  // files of such a kind load without ending anything: the failed file's rows are not absent.
  const failedKinds = new Set<RosterKind | null>();
  const fail = (r: ImportFileResult): void => {
    results.push(r);
    failedKinds.add(r.kind);
  };

  // Open every file first (format errors surface before anything is written), then load the
  // sources kind by kind.
  const sources: { path: string; sha256: string; source: RosterSource }[] = [];
  const files: string[] = [];
  for (const path of options.paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      fail(
        failed(path, null, '', options.kind ?? null, new RosterFormatError(path, fsReason(err))),
      );
      continue;
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const listed = await listRosterFiles(path);
    files.push(...listed.files);
    options.onSkipped?.(listed.skipped);
  }
  if (files.length === 0 && results.length === 0) {
    throw new UsageError(`no roster files (.csv, .txt, .xlsx) in ${options.paths.join(', ')}`);
  }
  for (const path of files) {
    let sha256 = '';
    try {
      // Refuses a pipe or device; every later pass checks it reads exactly these bytes.
      const fingerprint = await fingerprintFile(path);
      sha256 = fingerprint.sha256;
      const opened = await openRoster({
        path,
        fingerprint,
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.mapping ? { mapping: options.mapping } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
        // The sheets of a workbook passed over (hidden, empty, chart), reported like the files
        // a folder listing passes over; also when the workbook is then refused.
        ...(options.onSkipped ? { onSkipped: options.onSkipped } : {}),
      });
      for (const source of opened) {
        const near = options.allowUnknown ? [] : source.nearMisses;
        if (near.length > 0) {
          fail(
            failed(
              path,
              source.sheet,
              sha256,
              source.kind,
              new RosterFormatError(
                source.sheet ? `${source.fileName} [${source.sheet}]` : source.fileName,
                `${near.map((n) => `column "${n.header.trim()}" is not a ${source.kind} column: did you mean ${n.column}?`).join('; ')} Rename the header, map it with --mapping, or pass --allow-unknown to load the file without it. Nothing was loaded from this file.`,
              ),
            ),
          );
          continue;
        }
        sources.push({ path, sha256, source });
      }
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      // The kind the file would have had, so the other files of that kind end nothing.
      const kind =
        options.kind ??
        (/\.(csv|txt)$/i.test(path) ? kindFromName(basename(path, extname(path))) : null);
      fail(failed(path, null, sha256, kind, err));
    }
  }

  for (const kind of KIND_ORDER) {
    const group = sources.filter((s) => s.source.kind === kind);
    if (group.length === 0) continue;
    if (kind === 'cms_network') {
      const withheld = failedKinds.has(kind) || failedKinds.has(null);
      const cms = await importCmsGroup({
        ...options,
        append: options.append === true || withheld,
        group,
        catalogCodes,
        countyCodes,
      });
      if (withheld && options.append !== true) {
        for (const r of cms) {
          if (r.status === 'completed')
            r.notices.push(
              'nothing of cms_network was ended: another file of this command failed, so its rows are not known to be gone',
            );
        }
      }
      results.push(...cms);
      continue;
    }
    const read: ReadSource[] = [];
    const keys = new RowKeys(TABLES[kind]);
    // Pharmacies known for this kind's references: read once for all its files (the kinds
    // before it in KIND_ORDER are already written).
    const known =
      kind === 'pharmacies' ? null : await listKnownPharmacies({ db, asOf: options.asOf });
    for (const g of group) {
      try {
        read.push(await readSource({ ...options, ...g, catalogCodes, countyCodes, keys, known }));
      } catch (err) {
        if (!(err instanceof AuditError)) throw err;
        fail(failed(g.path, g.source.sheet, g.sha256, kind, err));
      }
    }
    if (read.length === 0) continue;
    const withheld = failedKinds.has(kind) || failedKinds.has(null);
    results.push(...(await writeGroup({ ...options, kind, read, withheld })));
  }
  return results;
}

/** A source read and validated, ready to be written with the other sources of its kind. */
interface ReadSource {
  path: string;
  sha256: string;
  source: RosterSource;
  startedAt: string;
  rowsRead: number;
  warnings: number;
  records: unknown[];
  rejections: RejectionLog;
  rejectedIdentities: Set<string>;
  unreadableRejections: number;
  plans: PlanKey[];
}

type ReadOptions = ImportRostersOptions & {
  path: string;
  sha256: string;
  source: RosterSource;
  catalogCodes: Set<string>;
  countyCodes: Set<string>;
};

/** The identity (VersionedTable.identityColumns) a rejected row names, or null if unreadable. */
function rejectedIdentity(
  kind: RosterKind,
  table: VersionedTable<unknown>,
  record: Readonly<Record<string, CellValue>>,
  ctx: ParseContext,
): string | null {
  const parts: string[] = [];
  for (const c of table.identityColumns) {
    const spec = columnSpec(kind, c);
    if (!spec) return null;
    let r;
    try {
      r = spec.parse(record[c] ?? null, { ...ctx, record });
    } catch {
      return null;
    }
    if (!r.ok) return null;
    parts.push(String(r.value));
  }
  return parts.join('|');
}

/** Reads and validates every row of one (non-CMS) source. */
async function readSource(
  options: ReadOptions & { keys: RowKeys; known: Map<string, string> | null },
): Promise<ReadSource> {
  const { asOf, path, source } = options;
  const kind = source.kind;
  const startedAt = new Date().toISOString();
  const table = TABLES[kind] as VersionedTable<unknown>;
  const { known } = options;
  const ctx = { catalogCodes: options.catalogCodes, timeZone: options.timeZone };
  const out: ReadSource = {
    path,
    sha256: options.sha256,
    source,
    startedAt,
    rowsRead: 0,
    warnings: 0,
    records: [],
    rejections: new RejectionLog(options.limits?.maxStoredRejections),
    rejectedIdentities: new Set(),
    unreadableRejections: 0,
    plans: [],
  };
  const plans = new Map<string, PlanKey>();
  const reject = (
    row: { rowNumber: number; raw: Record<string, string>; record: Record<string, CellValue> },
    issues: readonly RowIssue[],
  ): void => {
    out.rejections.add({ rowNumber: row.rowNumber, raw: row.raw, ...describeIssues(issues) });
    const id = rejectedIdentity(kind, table, row.record, ctx);
    if (id === null) out.unreadableRejections++;
    else out.rejectedIdentities.add(id);
  };

  for await (const row of source.rows()) {
    out.rowsRead++;
    if (out.rowsRead % 50_000 === 0)
      options.onProgress?.({ path, sheet: source.sheet, rowsRead: out.rowsRead });
    if (row.error) {
      reject(row, [{ column: null, value: null, reason: row.error }]);
      continue;
    }
    const parsed = parseRow(kind, row.record, ctx);
    if (!parsed.ok) {
      reject(row, parsed.errors);
      continue;
    }
    out.warnings += parsed.warnings.length;
    const records = toRecords(kind, parsed.value, asOf);
    const issues: RowIssue[] = [];
    for (const rec of records) {
      // References: the pharmacy must be known (in the database, or loaded earlier in this run).
      // (An exception's NPI is optional: blank means any pharmacy.)
      if (known && 'npi' in (rec as object) && (rec as { npi: string | null }).npi !== null) {
        const npi = (rec as { npi: string }).npi;
        const st = known.get(npi);
        if (st === undefined) {
          issues.push({
            column: 'npi',
            value: npi,
            reason: `NPI ${npi} is not a known pharmacy; load it in a pharmacies roster first (or in the same command)`,
          });
        } else if (kind === 'network' && (rec as { role: NetworkRole | null }).role === null) {
          (rec as { role: NetworkRole }).role = defaultRoleForServiceType(
            st as Pharmacy['serviceType'],
          );
        }
      }
      if (kind === 'service_areas') {
        const fips = (rec as ServiceArea).countyFips;
        if (options.countyCodes.size > 0 && !options.countyCodes.has(fips)) {
          issues.push({
            column: 'county_fips',
            value: fips,
            reason: `county FIPS ${fips} is not a US county`,
          });
        }
      }
    }
    if (issues.length > 0) {
      reject(row, issues);
      continue;
    }
    const here = source.sheet ? `${source.fileName} [${source.sheet}]` : source.fileName;
    const earlier = options.keys.firstRow(records, here, row.rowNumber);
    if (earlier !== undefined) {
      const key = records.map((r) => table.key(r)).join('#');
      const where = earlier.file === here ? '' : `${earlier.file} `;
      reject(row, [
        {
          column: table.keyColumns.join(', '),
          value: key.replace(/\|/g, ' '),
          reason: `duplicate of ${where}row ${earlier.row} (same ${table.keyColumns.join(', ')})`,
        },
      ]);
      continue;
    }
    if (kind === 'network') {
      for (const rec of records) {
        const m = rec as NetworkMembership;
        const planKey = `${m.contractId}|${m.pbpId}|${m.segmentId}`;
        if (!plans.has(planKey))
          plans.set(planKey, { contractId: m.contractId, pbpId: m.pbpId, segmentId: m.segmentId });
      }
    }
    for (const rec of records) out.records.push(rec);
  }
  options.onProgress?.({ path, sheet: source.sheet, rowsRead: out.rowsRead });
  out.plans = [...plans.values()];
  return out;
}

function label(path: string, sheet: string | null): string {
  const name = basename(path);
  return sheet ? `${name} [${sheet}]` : name;
}

/** Writes the sources of one kind as one snapshot (one transaction). */
async function writeGroup(
  options: ImportRostersOptions & { kind: RosterKind; read: ReadSource[]; withheld: boolean },
): Promise<ImportFileResult[]> {
  const { db, asOf, kind, read } = options;
  const table = TABLES[kind] as VersionedTable<unknown>;
  const append = options.append === true || options.withheld;
  const batchSources: BatchSource<unknown>[] = [];
  for (const r of read) {
    batchSources.push({
      meta: {
        path: r.path,
        fileName: basename(r.path),
        sheet: r.source.sheet,
        sha256: r.sha256,
        kind,
        asOf,
        rowsRead: r.rowsRead,
        warnings: r.warnings,
        startedAt: r.startedAt,
      },
      acceptedRows: r.rowsRead - r.rejections.total,
      rejected: r.rejections.stored,
      rejectedTotal: r.rejections.total,
      plansCovered: r.plans,
      records: r.records,
      rejectedIdentities: r.rejectedIdentities,
      unreadableRejections: r.unreadableRejections,
      seenBefore:
        (await findCompletedImport({ db, sha256: r.sha256, sheet: r.source.sheet })) !== null,
    });
  }
  let written: BatchWriteResult;
  try {
    written = await writeRosterBatch({
      db,
      table,
      kind,
      asOf,
      sources: batchSources,
      append,
      endDespiteRejects: options.endDespiteRejects === true,
    });
  } catch (err) {
    if (!(err instanceof AuditError)) throw err;
    return read.map((r) => failed(r.path, r.source.sheet, r.sha256, kind, err));
  }
  const scoped = table.scopeColumns !== 'none';
  return read.map((r, i) => {
    const sp = written.perSource[i]!;
    const notices: string[] = [];
    if (options.withheld && scoped && options.append !== true) {
      notices.push(
        `nothing of ${kind} was ended: another ${kind} file of this command failed (or a file of unknown kind), so its rows are not known to be gone`,
      );
    }
    notices.push(
      ...endingNotices({
        unit: 'row(s)',
        kept: sp.keptForRejections,
        endedFrom: i === 0 ? written.endedFrom : [],
        endDespiteRejects: options.endDespiteRejects === true,
      }),
    );
    const unchanged = written.status === 'unchanged';
    return {
      path: r.path,
      sheet: r.source.sheet,
      sha256: r.sha256,
      kind,
      rowsRead: r.rowsRead,
      accepted: r.rowsRead - r.rejections.total,
      rejected: r.rejections.total,
      rejectionsOmitted: r.rejections.omitted,
      warnings: r.warnings,
      status: unchanged ? 'unchanged' : 'completed',
      importId: sp.importId,
      message: unchanged ? 'same as the snapshot in force; nothing written' : null,
      ended: sp.ended,
      inserted: sp.inserted,
      keptForRejections: sp.keptForRejections,
      ignoredColumns: r.source.ignoredColumns,
      notices,
      rejections: unchanged ? [] : r.rejections.stored,
    } satisfies ImportFileResult;
  });
}

/**
 * The CMS network files of a command: one snapshot, streamed into the database file by file in
 * one transaction (millions of rows, bounded memory). A key in two files is a rejected row naming
 * the other file.
 */
async function importCmsGroup(
  options: ImportRostersOptions & {
    group: { path: string; sha256: string; source: RosterSource }[];
    catalogCodes: Set<string>;
    countyCodes: Set<string>;
  },
): Promise<ImportFileResult[]> {
  const { db, asOf, group } = options;
  // One file with the same bytes as the CMS import in force (the latest one): nothing to do. An
  // older import of the same bytes is no proof: a later file may have changed the network since.
  if (group.length === 1) {
    const { path, sha256, source } = group[0]!;
    const previous = await findCompletedImport({ db, sha256, sheet: source.sheet });
    if (previous && (await latestCompletedImportId({ db, kind: 'cms_network' })) === previous.id) {
      return [
        {
          path,
          sheet: source.sheet,
          sha256,
          kind: 'cms_network',
          rowsRead: 0,
          accepted: 0,
          rejected: 0,
          warnings: 0,
          status: 'unchanged',
          importId: previous.id,
          message: `same bytes as the CMS network file in force (import ${previous.id}, as of ${previous.asOf}); nothing written`,
          ended: 0,
          inserted: 0,
          keptForRejections: 0,
          ignoredColumns: source.ignoredColumns,
          notices: [],
          rejections: [],
        },
      ];
    }
  }
  const ctx = { catalogCodes: options.catalogCodes, timeZone: options.timeZone };
  const duplicates = new CmsDuplicates();
  /** Where each file's rows start in the shared duplicate check. */
  const bases: number[] = [];
  const labels = group.map((g) => label(g.path, g.source.sheet));
  const read = group.map(() => ({
    rowsRead: 0,
    warnings: 0,
    rejections: [] as RejectedRowInput[],
    rejectedTotal: 0,
  }));
  let nextBase = 0;
  const files: CmsFile[] = group.map((g, i) => ({
    meta: {
      path: g.path,
      fileName: basename(g.path),
      sheet: g.source.sheet,
      sha256: g.sha256,
      asOf,
      startedAt: new Date().toISOString(),
    },
    produce: async (stage) => {
      bases[i] = nextBase;
      const r = await produceCmsNetwork({
        source: g.source,
        ctx,
        stage,
        onProgress: (n) =>
          options.onProgress?.({ path: g.path, sheet: g.source.sheet, rowsRead: n }),
        ...(options.limits?.maxStoredRejections
          ? { maxStoredRejections: options.limits.maxStoredRejections }
          : {}),
        shared: {
          duplicates,
          base: nextBase,
          describe: (globalRow) => {
            let f = bases.length - 1;
            while (f > 0 && bases[f]! > globalRow) f--;
            const row = globalRow - bases[f]!;
            return f === i ? `row ${row}` : `${labels[f]} row ${row}`;
          },
        },
      });
      nextBase += r.lastRowNumber + 1;
      read[i] = {
        rowsRead: r.rowsRead,
        warnings: r.warnings,
        rejections: r.rejected,
        rejectedTotal: r.rejectedTotal,
      };
      return r;
    },
  }));
  let written: CmsBatchResult;
  try {
    written = await writeCmsNetworkBatch({
      db,
      files,
      append: options.append === true,
      endDespiteRejects: options.endDespiteRejects === true,
    });
  } catch (err) {
    if (!(err instanceof AuditError)) throw err;
    return group.map((g) => failed(g.path, g.source.sheet, g.sha256, 'cms_network', err));
  }
  return group.map((g, i) => {
    const w = written.perFile[i]!;
    const r = read[i]!;
    const notices = endingNotices({
      unit: 'membership(s)',
      kept: w.keptForRejections,
      endedFrom: i === 0 ? written.endedFrom : [],
      endDespiteRejects: options.endDespiteRejects === true,
    });
    return {
      path: g.path,
      sheet: g.source.sheet,
      sha256: g.sha256,
      kind: 'cms_network',
      rowsRead: r.rowsRead,
      accepted: r.rowsRead - r.rejectedTotal,
      rejected: r.rejectedTotal,
      rejectionsOmitted: r.rejectedTotal - r.rejections.length,
      warnings: r.warnings,
      status: 'completed',
      importId: w.importId,
      message: null,
      ended: w.ended,
      inserted: w.inserted,
      keptForRejections: w.keptForRejections,
      ignoredColumns: g.source.ignoredColumns,
      notices,
      rejections: r.rejections,
    } satisfies ImportFileResult;
  });
}

/**
 * What a file's result says of the rows its command kept or ended: rows kept in force because
 * rejected rows name them, and (on the first file of a kind) the earlier files whose rows ended.
 */
function endingNotices(o: {
  unit: string;
  kept: number;
  endedFrom: readonly EndedFrom[];
  endDespiteRejects: boolean;
}): string[] {
  const notices: string[] = [];
  if (o.kept > 0) {
    notices.push(
      `${o.kept} stored ${o.unit} kept in force because rejected rows of this command name them or could not be read${o.endDespiteRejects ? '' : ' (--end-despite-rejects ends them)'}`,
    );
  }
  for (const e of o.endedFrom) {
    notices.push(
      `ended ${e.rows} ${o.unit} loaded from ${label(e.fileName, e.sheet)} on ${e.asOf} (import ${e.importId}): this command no longer lists them`,
    );
  }
  return notices;
}

/** First file and row of each record key seen in a batch (duplicate rows are rejected). */
class RowKeys {
  private readonly first = new Map<string, { file: string; row: number }>();
  constructor(private readonly table: VersionedTable<unknown>) {}
  /** The earlier file and row with the same key, or undefined (and this row is remembered). */
  firstRow(
    records: readonly unknown[],
    file: string,
    rowNumber: number,
  ): { file: string; row: number } | undefined {
    const key = records.map((r) => this.table.key(r)).join('#');
    const earlier = this.first.get(key);
    if (earlier === undefined) this.first.set(key, { file, row: rowNumber });
    return earlier;
  }
}

/** A validated row as the records it stores (a CMS row with both flags is two memberships). */
function toRecords(kind: RosterKind, value: unknown, asOf: IsoDate): unknown[] {
  if (kind !== 'cms_network') return [value];
  const row = value as CmsNetworkRow;
  const base = {
    contractId: row.contractId,
    pbpId: row.pbpId,
    segmentId: row.segmentId,
    npi: row.npi,
    effectiveDate: asOf,
    terminationDate: null,
  };
  const roles: NetworkRole[] = [];
  if (row.retail || !row.mail) roles.push('retail');
  if (row.mail) roles.push('mail');
  return roles.map((role) => ({ ...base, role }) satisfies NetworkMembership);
}

export { RosterFormatError };
