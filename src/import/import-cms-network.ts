/**
 * The CMS network file's reader for the one import pipeline (millions of rows): validates each
 * row with the same results as the generic reader (parseRow; same rejections, duplicates,
 * warnings; test/import/cms-reader-equivalence.test.ts), but reads CSV field arrays in batches
 * and checks the common canonical values (S1234, 001, 000, a valid NPI, 5-digit ZIP, Y/N/1/0
 * flags) directly, building a record and a raw object only for rows that need parseRow or are
 * rejected.
 */
import type { IsoDate, NetworkMembership, NetworkRole } from '../domain/types.js';
import type { StageSink } from '../db/stage-snapshot.js';
import type { RosterSource } from '../roster/open-roster.js';
import { CMS_NETWORK_TABLE } from '../roster/kinds/cms-network.js';
import {
  columnSpec,
  parseRow,
  type FieldContext,
  type ParseContext,
  type RowIssue,
} from '../roster/kinds/index.js';
import type { CellValue } from '../roster/validate.js';
import {
  canonical3Digits,
  canonicalContractId,
  canonicalNpi,
  canonicalZip,
} from '../roster/validate.js';

/** Column, value and reason of a rejected row from its issues (all of them, in one reason). */
export function describeIssues(issues: readonly RowIssue[]): {
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

/**
 * The plan and NPI a rejected row names (contract|pbp|segment|npi, as stored), or null when they
 * cannot be read: a rejected row is present, not removed, so its stored memberships stay. One
 * function per source: the specs looked up and one field context made once, not per row.
 */
function cmsRejectedIdentity(
  ctx: ParseContext,
): (record: Readonly<Record<string, CellValue>>) => string[] | null {
  const specs = CMS_NETWORK_TABLE.identityColumns.map(
    (c) => [c, columnSpec('cms_network', c)] as const,
  );
  const fctx: FieldContext = { ...ctx, record: {} };
  return (record) => {
    fctx.record = record;
    const parts: string[] = [];
    for (const [c, spec] of specs) {
      const r = spec ? spec.parse(record[c] ?? null, fctx) : null;
      if (!r?.ok) return null;
      parts.push(String(r.value));
    }
    return parts;
  };
}

const CMS_COLUMNS = [
  'contract_id',
  'pbp_id',
  'segment_id',
  'npi',
  'zip',
  'preferred_retail',
  'preferred_mail',
  'retail',
  'mail',
  'in_area',
] as const;

/** Y/N/1/0 -> 1/0; anything else -> -1 (left to parseYesNo). */
function flag(v: string): number {
  if (v.length !== 1) return -1;
  switch (v) {
    case 'Y':
    case '1':
      return 1;
    case 'N':
    case '0':
      return 0;
    default:
      return -1;
  }
}

/** Reads and validates every row of a CMS network source into the import's stage. */
export async function readCmsNetwork(options: {
  source: RosterSource;
  ctx: ParseContext;
  asOf: IsoDate;
  sink: StageSink<NetworkMembership>;
  onProgress?: (rowsRead: number) => void;
}): Promise<{ rowsRead: number; warnings: number }> {
  const { source, ctx, sink, asOf } = options;
  const identity = cmsRejectedIdentity(ctx);
  /** A rejected row, with what it names (its record is built only for rejected rows). */
  const reject = (
    rowNumber: number,
    raw: () => Record<string, string>,
    issues: readonly RowIssue[],
    record: Readonly<Record<string, CellValue>>,
  ): void =>
    sink.reject(rowNumber, () => ({ raw: raw(), ...describeIssues(issues) }), identity(record));
  let rowsRead = 0;
  let warnings = 0;

  /** Stages one validated row (its duplicates are rejected by the sink). */
  const accept = (
    rowNumber: number,
    contractId: string,
    pbpId: string,
    segmentId: string,
    npi: string,
    zip: string | null,
    retail: boolean,
    mail: boolean,
    raw: () => Record<string, string>,
  ): void => {
    const membership = (role: NetworkRole): NetworkMembership => ({
      contractId,
      pbpId,
      segmentId,
      npi,
      role,
      effectiveDate: asOf,
      terminationDate: null,
      zip,
    });
    // (A row with neither flag is a retail membership, as parseRow's record is.)
    const records =
      mail && retail
        ? [membership('retail'), membership('mail')]
        : [membership(mail ? 'mail' : 'retail')];
    sink.accept(rowNumber, records, raw);
  };

  /** The generic path: parseRow on the canonical record. */
  const slow = (
    rowNumber: number,
    record: Record<string, CellValue>,
    raw: () => Record<string, string>,
  ): void => {
    const parsed = parseRow('cms_network', record, ctx);
    if (!parsed.ok) {
      reject(rowNumber, raw, parsed.errors, record);
      return;
    }
    warnings += parsed.warnings.length;
    const v = parsed.value;
    accept(rowNumber, v.contractId, v.pbpId, v.segmentId, v.npi, v.zip, v.retail, v.mail, raw);
  };

  const fieldsOf = source.fields;
  if (fieldsOf) {
    const pos = fieldsOf.positions;
    const entries = Object.entries(pos);
    const all = CMS_COLUMNS.every((c) => pos[c] !== undefined);
    const [pC, pP, pS, pN, pZ, pPR, pPM, pR, pM, pI] = CMS_COLUMNS.map((c) => pos[c] ?? 0) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // The row being checked: its raw record is built only if it is rejected (no closure per row).
    let f: string[] = [];
    const raw = (): Record<string, string> => fieldsOf.rawOf(f);
    for await (const batch of fieldsOf.batches()) {
      const { rowNumbers, fields: rows, errors } = batch;
      for (let r = 0; r < rowNumbers.length; r++) {
        const rowNumber = rowNumbers[r]!;
        f = rows[r]!;
        rowsRead++;
        if (rowsRead % 50_000 === 0) options.onProgress?.(rowsRead);
        const error = errors[r];
        if (error) {
          const record: Record<string, CellValue> = {};
          for (const [name, i] of entries) record[name] = i < f.length ? f[i]! : null;
          reject(rowNumber, raw, [{ column: null, value: null, reason: error }], record);
          continue;
        }
        if (all) {
          const c = f[pC]!;
          const p = f[pP]!;
          const s = f[pS]!;
          const n = f[pN]!;
          const z = f[pZ]!;
          const retail = flag(f[pR]!);
          const mail = flag(f[pM]!);
          if (
            canonicalContractId(c) !== undefined &&
            canonical3Digits(p) !== undefined &&
            canonical3Digits(s) !== undefined &&
            canonicalNpi(n) !== undefined &&
            (canonicalZip(z) !== undefined || z === 'XXXXX') &&
            retail >= 0 &&
            mail >= 0 &&
            flag(f[pPR]!) >= 0 &&
            flag(f[pPM]!) >= 0 &&
            flag(f[pI]!) >= 0
          ) {
            accept(rowNumber, c, p, s, n, z === 'XXXXX' ? null : z, retail === 1, mail === 1, raw);
            continue;
          }
        }
        const record: Record<string, CellValue> = {};
        for (const [name, i] of entries) record[name] = i < f.length ? f[i]! : null;
        slow(rowNumber, record, raw);
      }
      await sink.flush();
    }
  } else {
    let pending = 0;
    let current: Record<string, string> = {};
    const raw = (): Record<string, string> => current;
    for await (const row of source.rows()) {
      rowsRead++;
      if (rowsRead % 50_000 === 0) options.onProgress?.(rowsRead);
      current = row.raw;
      if (row.error) {
        reject(
          row.rowNumber,
          () => row.raw,
          [{ column: null, value: null, reason: row.error }],
          row.record,
        );
        continue;
      }
      slow(row.rowNumber, row.record, raw);
      if (++pending === 5_000) {
        pending = 0;
        await sink.flush();
      }
    }
    await sink.flush();
  }
  options.onProgress?.(rowsRead);
  return { rowsRead, warnings };
}
