/**
 * `infusion-audit import`: reads roster files, validates every row, and writes the files (and
 * XLSX sheets) of each kind as one snapshot in one transaction (src/import/plan-versions.ts). Rows read = accepted + rejected, always; rejected rows are
 * stored with file, row, column, value and reason.
 */
import { basename, extname } from 'node:path';
import type {
  CmsNetworkRow,
  Enrollment,
  IsoDate,
  NetworkMembership,
  NetworkRole,
  Pharmacy,
  RosterKind,
  ServiceArea,
} from '../domain/types.js';
import type { Db } from '../db/connect.js';
import type { VersionedTable } from '../db/roster-tables.js';
import {
  findCompletedImport,
  findLatestFileImport,
  listCatalogCodes,
  listCountyCodes,
  listKnownPharmacies,
  type EndedFrom,
  type RejectedRowInput,
} from '../db/write-roster.js';
import {
  APPENDED,
  CMS_WITHOUT_ZIP,
  openSnapshotStage,
  type ApplyResult,
  type StageSink,
} from '../db/stage-snapshot.js';
import { dbInstant, fromDbInstant } from '../db/sql.js';
import { describeIssues, readCmsNetwork } from './import-cms-network.js';
import { AuditError, RosterFormatError, UsageError } from '../errors.js';
import type { ColumnMapping } from '../roster/headers.js';
import {
  TABLES,
  columnSpec,
  defaultRoleForServiceType,
  fieldRowParser,
  parseRow,
  type FieldContext,
  type ParseContext,
  type ParseRowResult,
  type RowIssue,
} from '../roster/kinds/index.js';
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
  /** The `--mapping` file, read by loadMapping (src/roster/headers.ts). */
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
  'enrollment',
];

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
    const withheld = failedKinds.has(kind) || failedKinds.has(null);
    results.push(
      ...(await importKind({ ...options, kind, group, withheld, catalogCodes, countyCodes })),
    );
  }
  return results;
}

type KindOptions = ImportRostersOptions & {
  kind: RosterKind;
  group: { path: string; sha256: string; source: RosterSource }[];
  /** Another file of the kind (or of unknown kind) failed: end nothing. */
  withheld: boolean;
  catalogCodes: Set<string>;
  countyCodes: Set<string>;
};

/**
 * The one import pipeline, for the files (and sheets) of one kind in one command: read ->
 * validate -> check references -> stage -> set-based diff (src/db/stage-snapshot.ts), as ONE
 * snapshot in ONE transaction, in memory that does not grow with the rows.
 */
async function importKind(options: KindOptions): Promise<ImportFileResult[]> {
  const { db, asOf, kind, group } = options;
  const table = TABLES[kind] as VersionedTable<unknown>;
  const append = options.append === true || options.withheld;
  const same = await snapshotInForce({
    db,
    kind,
    group,
    append,
    endDespiteRejects: options.endDespiteRejects === true,
  });
  if (same) return same;
  const ctx = { catalogCodes: options.catalogCodes, timeZone: options.timeZone };
  // Pharmacies known for this kind's references: read once for all its files (the kinds
  // before it in KIND_ORDER are already written). The CMS file names every pharmacy in the
  // country, not only the sponsor's: it references nothing.
  const known =
    kind === 'pharmacies' || kind === 'cms_network'
      ? null
      : await listKnownPharmacies({ db, asOf });
  // Unchanged only where the file's latest import had these bytes: a corrected file whose rows
  // all stand already, or the same bytes under another name, is recorded as that file's import.
  const seenBefore = await Promise.all(
    group.map(
      async (g) =>
        (
          await findLatestFileImport({
            db,
            kind,
            fileName: basename(g.path),
            sheet: g.source.sheet,
          })
        )?.sha256 === g.sha256,
    ),
  );
  let applied: ApplyResult;
  try {
    applied = await db.sql.transaction(async (tx) => {
      const stage = await openSnapshotStage({
        tx,
        table,
        kind,
        asOf,
        recordsPlans: kind === 'network' || kind === 'cms_network',
        sources: group.map((g) => ({
          path: g.path,
          fileName: basename(g.path),
          sheet: g.source.sheet,
          sha256: g.sha256,
        })),
        ...(options.limits?.maxStoredRejections
          ? { maxStoredRejections: options.limits.maxStoredRejections }
          : {}),
      });
      for (const [i, g] of group.entries()) {
        const onProgress = (n: number): void =>
          options.onProgress?.({ path: g.path, sheet: g.source.sheet, rowsRead: n });
        await stage.stageSource(i, (sink) =>
          kind === 'cms_network' && g.source.fields
            ? readCmsNetwork({ source: g.source, ctx, asOf, sink, onProgress })
            : readRows({
                ...options,
                source: g.source,
                table,
                ctx,
                known,
                sink,
                progress: onProgress,
              }),
        );
      }
      return stage.apply({
        append,
        endDespiteRejects: options.endDespiteRejects === true,
        seenBefore,
      });
    });
  } catch (err) {
    if (!(err instanceof AuditError)) throw err;
    return group.map((g) => failed(g.path, g.source.sheet, g.sha256, kind, err));
  }
  const scoped = table.scopeColumns !== 'none';
  const unit = kind === 'cms_network' ? 'membership(s)' : 'row(s)';
  return group.map((g, i) => {
    const sp = applied.perSource[i]!;
    const notices: string[] = [];
    if (options.withheld && scoped && options.append !== true) {
      notices.push(
        `nothing of ${kind} was ended: another ${kind} file of this command failed (or a file of unknown kind), so its rows are not known to be gone`,
      );
    }
    notices.push(
      ...endingNotices({
        unit,
        kept: sp.keptForRejections,
        endedFrom: i === 0 ? applied.endedFrom : [],
        endDespiteRejects: options.endDespiteRejects === true,
      }),
    );
    const unchanged = applied.status === 'unchanged';
    return {
      path: g.path,
      sheet: g.source.sheet,
      sha256: g.sha256,
      kind,
      rowsRead: sp.accepted + sp.rejected,
      accepted: sp.accepted,
      rejected: sp.rejected,
      rejectionsOmitted: sp.rejectionsOmitted,
      warnings: sp.warnings,
      status: unchanged ? 'unchanged' : 'completed',
      importId: sp.importId,
      message: unchanged ? 'same as the snapshot in force; nothing written' : null,
      ended: sp.ended,
      inserted: sp.inserted,
      keptForRejections: sp.keptForRejections,
      ignoredColumns: g.source.ignoredColumns,
      notices,
      rejections: unchanged ? [] : sp.rejections,
    } satisfies ImportFileResult;
  });
}

/**
 * The files of a kind are the snapshot in force already, so nothing needs reading: their bytes
 * were imported as this kind, together, as one batch (same finished_at) with no other file, and
 * no import of the kind came after. An older import of the same bytes is no proof (a later file
 * may have changed the snapshot since), nor is one file of an earlier batch alone (the others'
 * rows would end now). Neither when this command would end more than that import did: it was
 * appended and this one is not, or it kept rows for rejected ones and --end-despite-rejects
 * is given now.
 */
async function snapshotInForce(options: {
  db: Db;
  kind: RosterKind;
  group: readonly { path: string; sha256: string; source: RosterSource }[];
  append: boolean;
  endDespiteRejects: boolean;
}): Promise<ImportFileResult[] | null> {
  const { db, kind, group } = options;
  const previous: {
    id: number;
    asOf: IsoDate;
    rowsRead: number;
    accepted: number;
    rejected: number;
    warnings: number;
  }[] = [];
  for (const g of group) {
    const p = await findCompletedImport({ db, sha256: g.sha256, sheet: g.source.sheet });
    if (!p || p.kind !== kind) return null;
    if (options.endDespiteRejects && p.rejected > 0) return null;
    previous.push(p);
  }
  const ids = previous.map((p) => p.id);
  if (new Set(ids).size !== ids.length) return null;
  const rows = await db.sql.query<{
    id: number | string;
    finished_at: unknown;
    message: string | null;
  }>(
    `SELECT id, finished_at, message FROM roster_import WHERE kind = ? AND status = 'completed' AND id >= ? ORDER BY id`,
    [kind, Math.min(...ids)],
  );
  const mine = new Set(ids);
  const batch = rows.filter((r) => mine.has(Number(r.id)));
  if (rows.length !== ids.length || batch.length !== ids.length) return null;
  if (new Set(batch.map((r) => fromDbInstant(r.finished_at))).size !== 1) return null;
  if (!options.append && batch.some((r) => r.message === APPENDED)) return null;
  if (batch.some((r) => r.message === CMS_WITHOUT_ZIP)) return null;
  // (The rows before min(ids) with the same finished_at would be other files of that batch.)
  const companions = await db.sql.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM roster_import WHERE kind = ? AND status = 'completed' AND id < ? AND finished_at = ?`,
    [kind, Math.min(...ids), dbInstant(db.sql.provider, fromDbInstant(batch[0]!.finished_at))],
  );
  if (Number(companions[0]?.n ?? 0) > 0) return null;
  return group.map((g, i) => {
    const p = previous[i]!;
    return {
      path: g.path,
      sheet: g.source.sheet,
      sha256: g.sha256,
      kind,
      rowsRead: p.rowsRead,
      accepted: p.accepted,
      rejected: p.rejected,
      warnings: p.warnings,
      status: 'unchanged',
      importId: p.id,
      message: `same bytes as the ${kind} file in force (import ${p.id}, as of ${p.asOf}); nothing written`,
      ended: 0,
      inserted: 0,
      keptForRejections: 0,
      ignoredColumns: g.source.ignoredColumns,
      notices: [],
      rejections: [],
    } satisfies ImportFileResult;
  });
}

/**
 * The identity (VersionedTable.identityColumns) a rejected row names, or null if unreadable: one
 * function per source (the specs looked up and one field context made once, not per row).
 */
function rejectedIdentity(
  kind: RosterKind,
  table: VersionedTable<unknown>,
  ctx: ParseContext,
): (record: Readonly<Record<string, CellValue>>) => string[] | null {
  const specs = table.identityColumns.map((c) => [c, columnSpec(kind, c)] as const);
  const fctx: FieldContext = { ...ctx, record: {} };
  return (record) => {
    fctx.record = record;
    const parts: string[] = [];
    for (const [c, spec] of specs) {
      if (!spec) return null;
      let r;
      try {
        r = spec.parse(record[c] ?? null, fctx);
      } catch {
        return null;
      }
      // Identity columns are codes (text); a blank one (an enrollment row without a ZIP) names
      // nothing to keep.
      if (!r.ok || typeof r.value !== 'string') return null;
      parts.push(r.value);
    }
    return parts;
  };
}

/**
 * The generic reader: every row of a source validated by parseRow, references checked. (Exported
 * for test/import/cms-reader-equivalence.test.ts.)
 */
export async function readRows(
  options: Pick<KindOptions, 'asOf' | 'kind' | 'countyCodes'> & {
    source: RosterSource;
    table: VersionedTable<unknown>;
    ctx: ParseContext;
    /** NPI -> service type (KnownPharmacies; tests pass a Map). */
    known: Pick<Map<string, string>, 'get'> | null;
    sink: StageSink<unknown>;
    progress: (rowsRead: number) => void;
  },
): Promise<{ rowsRead: number; warnings: number }> {
  const { asOf, source, kind, table, ctx, known, sink } = options;
  let rowsRead = 0;
  let warnings = 0;
  // One field context for every row (parseRow reads the row through it): no copy per row.
  const fctx: FieldContext = { ...ctx, record: {} };
  const identity = rejectedIdentity(kind, table, ctx);
  const reject = (
    rowNumber: number,
    raw: () => Record<string, string>,
    record: () => Readonly<Record<string, CellValue>>,
    issues: readonly RowIssue[],
  ): void =>
    sink.reject(rowNumber, () => ({ raw: raw(), ...describeIssues(issues) }), identity(record()));

  /**
   * One row, validated (`parsed`; a string: the reader's error, the row could not be read):
   * references checked, staged. Its `raw` and `record` are built only when needed.
   */
  const row = (
    rowNumber: number,
    parsed: ParseRowResult<unknown> | string,
    raw: () => Record<string, string>,
    record: () => Readonly<Record<string, CellValue>>,
  ): void => {
    if (typeof parsed === 'string') {
      reject(rowNumber, raw, record, [{ column: null, value: null, reason: parsed }]);
      return;
    }
    if (!parsed.ok) {
      reject(rowNumber, raw, record, parsed.errors);
      return;
    }
    warnings += parsed.warnings.length;
    const records = toRecords(kind, parsed.value, asOf);
    let issues: RowIssue[] | null = null;
    for (const rec of records) {
      // References: the pharmacy must be known (in the database, or loaded earlier in this run).
      // (An exception's NPI is optional: blank means any pharmacy.)
      if (known && 'npi' in (rec as object) && (rec as { npi: string | null }).npi !== null) {
        const npi = (rec as { npi: string }).npi;
        const st = known.get(npi);
        if (st === undefined) {
          (issues ??= []).push({
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
      if (kind === 'service_areas' || kind === 'enrollment') {
        const fips = (rec as ServiceArea | Enrollment).countyFips;
        if (fips !== null && options.countyCodes.size > 0 && !options.countyCodes.has(fips)) {
          (issues ??= []).push({
            column: 'county_fips',
            value: fips,
            reason: `county FIPS ${fips} is not a US county`,
          });
        }
      }
    }
    if (issues) {
      reject(rowNumber, raw, record, issues);
      return;
    }
    sink.accept(rowNumber, records, raw);
  };

  const fieldsOf = source.fields;
  if (fieldsOf) {
    // CSV: field arrays in batches, each row parsed by index (no record object per row); a
    // row's raw record and canonical record only if it is rejected (or repeats a key).
    const entries = Object.entries(fieldsOf.positions);
    const parse = fieldRowParser(kind, fieldsOf.positions, ctx);
    let f: string[] = [];
    const raw = (): Record<string, string> => fieldsOf.rawOf(f);
    const record = (): Record<string, CellValue> => {
      const rec: Record<string, CellValue> = {};
      for (const [name, i] of entries) rec[name] = i < f.length ? f[i]! : null;
      return rec;
    };
    for await (const batch of fieldsOf.batches()) {
      const { rowNumbers, fields, errors } = batch;
      for (let r = 0; r < rowNumbers.length; r++) {
        f = fields[r]!;
        rowsRead++;
        if (rowsRead % 50_000 === 0) options.progress(rowsRead);
        row(rowNumbers[r]!, errors[r] || parse(f), raw, record);
      }
      await sink.flush();
    }
  } else {
    for await (const r of source.rows()) {
      rowsRead++;
      if (rowsRead % 5_000 === 0) {
        await sink.flush();
        if (rowsRead % 50_000 === 0) options.progress(rowsRead);
      }
      fctx.record = r.record;
      row(
        r.rowNumber,
        r.error || parseRow(kind, r.record, fctx),
        () => r.raw,
        () => r.record,
      );
    }
  }
  await sink.flush();
  options.progress(rowsRead);
  return { rowsRead, warnings };
}

function label(path: string, sheet: string | null): string {
  const name = basename(path);
  return sheet ? `${name} [${sheet}]` : name;
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
    zip: row.zip,
  };
  const roles: NetworkRole[] = [];
  if (row.retail || !row.mail) roles.push('retail');
  if (row.mail) roles.push('mail');
  return roles.map((role) => ({ ...base, role }) satisfies NetworkMembership);
}

export { RosterFormatError };
