/**
 * `infusion-audit import`: reads roster files, validates every row, and writes each file (or
 * XLSX sheet) in one transaction. Rows read = accepted + rejected, always; rejected rows are
 * stored with file, row, column, value and reason.
 */
import { basename } from 'node:path';
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
  listKnownPharmacies,
  writeRosterImport,
  type RejectedRowInput,
  type WriteResult,
} from '../db/write-roster.js';
import { writeCmsNetworkImport } from '../db/write-cms-network.js';
import { produceCmsNetwork } from './import-cms-network.js';
import { AuditError, RosterFormatError, UsageError } from '../errors.js';
import { defaultRoleForServiceType } from '../roster/columns.js';
import {
  fingerprintFile,
  listRosterFiles,
  openRoster,
  type RosterLimits,
  type RosterSource,
  type SkippedPart,
} from '../roster/open-roster.js';
import { stat } from 'node:fs/promises';
import { parseRow, type RowIssue } from '../roster/parse-row.js';
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
  /** Rows this file ended (snapshot semantics) and wrote as new versions. */
  ended: number;
  inserted: number;
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
  mapping?: Record<string, string>;
  limits?: Partial<RosterLimits>;
  timeZone: string;
  onProgress?: (p: ImportProgress) => void;
  /** Files or sheets passed over (hidden sheets, files that are not rosters). */
  onSkipped?: (skipped: SkippedPart[]) => void;
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
    rejections: [],
  };
}

export async function importRosters(options: ImportRostersOptions): Promise<ImportFileResult[]> {
  const { db } = options;
  const results: ImportFileResult[] = [];
  const catalogCodes = await listCatalogCodes({ db });
  const countyCodes = await listCountyCodes({ db });

  // Open every file first (format errors surface before anything is written), then load the
  // sources kind by kind.
  const sources: { path: string; sha256: string; source: RosterSource }[] = [];
  const files: string[] = [];
  for (const path of options.paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      results.push(
        failed(
          path,
          null,
          '',
          options.kind ?? null,
          new RosterFormatError(path, 'no such file or folder'),
        ),
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
      for (const source of opened) sources.push({ path, sha256, source });
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      results.push(failed(path, null, sha256, options.kind ?? null, err));
    }
  }
  sources.sort((a, b) => KIND_ORDER.indexOf(a.source.kind) - KIND_ORDER.indexOf(b.source.kind));

  for (const { path, sha256, source } of sources) {
    try {
      results.push(
        await importSource({ ...options, path, sha256, source, catalogCodes, countyCodes }),
      );
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      results.push(failed(path, source.sheet, sha256, source.kind, err));
    }
  }
  return results;
}

async function importSource(
  options: ImportRostersOptions & {
    path: string;
    sha256: string;
    source: RosterSource;
    catalogCodes: Set<string>;
    countyCodes: Set<string>;
  },
): Promise<ImportFileResult> {
  const { db, asOf, path, sha256, source } = options;
  const kind = source.kind;
  const startedAt = new Date().toISOString();
  const previous = await findCompletedImport({ db, sha256, sheet: source.sheet });
  if (previous) {
    return {
      path,
      sheet: source.sheet,
      sha256,
      kind,
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      warnings: 0,
      status: 'unchanged',
      importId: previous.id,
      message: `already imported (import ${previous.id}, as of ${previous.asOf})`,
      ended: 0,
      inserted: 0,
      rejections: [],
    };
  }

  const table = TABLES[kind] as VersionedTable<unknown>;
  const known =
    kind === 'pharmacies' || kind === 'cms_network'
      ? null
      : await listKnownPharmacies({ db, asOf });
  const ctx = { catalogCodes: options.catalogCodes, timeZone: options.timeZone };
  const rejections = new RejectionLog(options.limits?.maxStoredRejections);
  const duplicates = kind === 'cms_network' ? new CmsRowKeys() : new RowKeys(table);
  const plans = new Map<string, PlanKey>();
  let rowsRead = 0;
  let warnings = 0;

  const reject = (
    rowNumber: number,
    raw: Record<string, string>,
    issues: readonly RowIssue[],
  ): void => {
    rejections.add({ rowNumber, raw, ...describeIssues(issues) });
  };

  /** Reads and validates every row, handing accepted records to `accept` in order. */
  const consume = async (accept: (records: unknown[]) => void | Promise<void>): Promise<void> => {
    for await (const row of source.rows()) {
      rowsRead++;
      if (rowsRead % 50_000 === 0) options.onProgress?.({ path, sheet: source.sheet, rowsRead });
      if (row.error) {
        reject(row.rowNumber, row.raw, [{ column: null, value: null, reason: row.error }]);
        continue;
      }
      const parsed = parseRow(kind, row.record, ctx);
      if (!parsed.ok) {
        reject(row.rowNumber, row.raw, parsed.errors);
        continue;
      }
      warnings += parsed.warnings.length;
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
        reject(row.rowNumber, row.raw, issues);
        continue;
      }
      const earlier = duplicates.firstRow(records, row.rowNumber);
      if (earlier !== undefined) {
        const key = records.map((r) => table.key(r)).join('#');
        reject(row.rowNumber, row.raw, [
          {
            column: table.keyColumns.join(', '),
            value: key.replace(/\|/g, ' '),
            reason: `duplicate of row ${earlier} (same ${table.keyColumns.join(', ')})`,
          },
        ]);
        continue;
      }
      if (kind === 'network' || kind === 'cms_network') {
        for (const rec of records) {
          const m = rec as NetworkMembership;
          const planKey = `${m.contractId}|${m.pbpId}|${m.segmentId}`;
          if (!plans.has(planKey))
            plans.set(planKey, {
              contractId: m.contractId,
              pbpId: m.pbpId,
              segmentId: m.segmentId,
            });
        }
      }
      await accept(records);
    }
    options.onProgress?.({ path, sheet: source.sheet, rowsRead });
  };

  const meta = {
    path,
    fileName: basename(path),
    sheet: source.sheet,
    sha256,
    kind,
    asOf,
    startedAt,
  };
  let written: WriteResult;
  if (kind === 'cms_network') {
    // Streaming: memberships go to a staging table, inside the file's transaction.
    written = await writeCmsNetworkImport({
      db,
      meta,
      produce: async (stage) => {
        const r = await produceCmsNetwork({
          source,
          ctx,
          stage,
          onProgress: (n) => options.onProgress?.({ path, sheet: source.sheet, rowsRead: n }),
          ...(options.limits?.maxStoredRejections
            ? { maxStoredRejections: options.limits.maxStoredRejections }
            : {}),
        });
        rowsRead = r.rowsRead;
        warnings = r.warnings;
        rejections.absorb(r.rejected, r.rejectedTotal);
        return r;
      },
    });
  } else {
    const accepted: unknown[] = [];
    await consume((records) => {
      for (const rec of records) accepted.push(rec);
    });
    written = await writeRosterImport({
      db,
      table,
      records: accepted,
      meta: { ...meta, rowsRead, warnings },
      acceptedRows: rowsRead - rejections.total,
      rejected: rejections.stored,
      rejectedTotal: rejections.total,
      plansCovered: [...plans.values()],
    });
  }
  const acceptedRows = rowsRead - rejections.total;
  return {
    path,
    sheet: source.sheet,
    sha256,
    kind,
    rowsRead,
    accepted: acceptedRows,
    rejected: rejections.total,
    rejectionsOmitted: rejections.omitted,
    warnings,
    status: 'completed',
    importId: written.importId,
    message: null,
    ended: written.ended,
    inserted: written.inserted,
    rejections: rejections.stored,
  };
}

/** First row of each record key seen in a file (duplicate rows are rejected). */
class RowKeys {
  private readonly first = new Map<string, number>();
  constructor(private readonly table: VersionedTable<unknown>) {}
  /** The earlier row with the same key, or undefined (and this row is remembered). */
  firstRow(records: readonly unknown[], rowNumber: number): number | undefined {
    const key = records.map((r) => this.table.key(r)).join('#');
    const earlier = this.first.get(key);
    if (earlier === undefined) this.first.set(key, rowNumber);
    return earlier;
  }
}

/**
 * The same duplicate check for CMS rows (key: plan, NPI and the set of roles), compact enough
 * for millions of rows: per plan, a Map from NPI x 4 + role bits to the first row.
 */
class CmsRowKeys {
  private readonly byPlan = new Map<string, Map<number, number>>();
  private readonly fallback = new RowKeys(CMS_NETWORK_TABLE);
  firstRow(records: readonly unknown[], rowNumber: number): number | undefined {
    const first = records[0] as NetworkMembership | undefined;
    if (!first || !/^\d{10}$/.test(first.npi)) return this.fallback.firstRow(records, rowNumber);
    let bits = 0;
    for (const r of records) bits |= (r as NetworkMembership).role === 'mail' ? 2 : 1;
    const plan = `${first.contractId}|${first.pbpId}|${first.segmentId}`;
    let map = this.byPlan.get(plan);
    if (!map) this.byPlan.set(plan, (map = new Map<number, number>()));
    const key = Number(first.npi) * 4 + bits;
    const earlier = map.get(key);
    if (earlier === undefined) map.set(key, rowNumber);
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
