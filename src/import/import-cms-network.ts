/**
 * Reading side of the streaming CMS network import (millions of rows): validates each row with
 * the same results as parseRow + the generic import loop (same rejections, duplicates, warnings,
 * plans), but for CSV files reads field arrays in batches and checks the common canonical
 * values (S1234, 001, 000, a valid NPI, 5-digit ZIP, Y/N/1/0 flags) directly, building a record
 * and a raw object only for rows that need parseRow or are rejected.
 */
import type { NetworkRole, PlanKey } from '../domain/types.js';
import { CMS_NETWORK_TABLE } from '../db/roster-tables.js';
import type { CmsStager, CmsStreamSummary } from '../db/write-cms-network.js';
import type { RejectedRowInput } from '../db/write-roster.js';
import { RejectionLog } from './rejections.js';
import type { RosterSource } from '../roster/open-roster.js';
import { parseRow, type ParseContext, type RowIssue } from '../roster/parse-row.js';
import { columnSpec } from '../roster/columns.js';
import type { CellValue } from '../roster/validate.js';
import { npiCheckDigitOk } from '../roster/validate.js';

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
 * cannot be read: a rejected row is present, not removed, so its stored memberships stay.
 */
export function cmsRejectedIdentity(
  record: Readonly<Record<string, CellValue>>,
  ctx: ParseContext,
): string | null {
  const parts: string[] = [];
  for (const c of CMS_NETWORK_TABLE.identityColumns) {
    const spec = columnSpec('cms_network', c);
    const r = spec ? spec.parse(record[c] ?? null, { ...ctx, record }) : null;
    if (!r?.ok) return null;
    parts.push(String(r.value));
  }
  return parts.join('|');
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

const CONTRACT = /^[HSRE]\d{4}$/;
const THREE_DIGITS = /^\d{3}$/;
const NPI = /^[12]\d{9}$/;
const ZIP5 = /^\d{5}$/;

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

/** Open-addressing hash table over typed arrays, at most 3/4 full: key (> 0, exact) -> row. */
class RowTable {
  private keys = new Float64Array(1 << 10);
  private rows = new Uint32Array(1 << 10);
  private size = 0;

  /** The row stored for key, or undefined after storing row for it. */
  firstRow(key: number, row: number): number | undefined {
    let mask = this.keys.length - 1;
    let i = slot(key, mask);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) break;
      if (k === key) return this.rows[i];
      i = (i + 1) & mask;
    }
    this.keys[i] = key;
    this.rows[i] = row;
    if (++this.size * 4 > this.keys.length * 3) {
      const oldKeys = this.keys;
      const oldRows = this.rows;
      this.keys = new Float64Array(oldKeys.length * 2);
      this.rows = new Uint32Array(oldKeys.length * 2);
      mask = this.keys.length - 1;
      for (let j = 0; j < oldKeys.length; j++) {
        const k = oldKeys[j]!;
        if (k === 0) continue;
        let t = slot(k, mask);
        while (this.keys[t] !== 0) t = (t + 1) & mask;
        this.keys[t] = k;
        this.rows[t] = oldRows[j]!;
      }
    }
    return undefined;
  }
}

/**
 * First row of each (plan, NPI, set of roles) in a file: per plan, a hash table over typed
 * arrays (16 to 32 bytes per row) instead of a Map entry per row; a file grouped by plan, as
 * CMS files are, touches one small table at a time.
 */
export class CmsDuplicates {
  private readonly byPlan = new Map<string, RowTable>();
  private readonly other = new Map<string, number>();
  private lastPlan = '';
  private last: RowTable | null = null;

  /** The earlier row with the same key, or undefined (and this row is remembered). */
  firstRow(plan: string, npi: string, roleBits: number, rowNumber: number): number | undefined {
    // npi x 4 + role bits: exact (< 2^34) and never 0 for a 10-digit NPI starting with 1 or 2.
    if (!NPI.test(npi) || rowNumber > 0xffffffff) {
      const k = `${plan}|${npi}|${roleBits}`;
      const earlier = this.other.get(k);
      if (earlier === undefined) this.other.set(k, rowNumber);
      return earlier;
    }
    const key = Number(npi) * 4 + roleBits;
    let table = this.last;
    if (table === null || plan !== this.lastPlan) {
      table = this.byPlan.get(plan) ?? null;
      if (table === null) this.byPlan.set(plan, (table = new RowTable()));
      this.last = table;
      this.lastPlan = plan;
    }
    return table.firstRow(key, rowNumber);
  }
}

function slot(key: number, mask: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

export interface CmsProduceResult extends CmsStreamSummary {
  rejected: RejectedRowInput[];
  rejectedTotal: number;
  /** The highest row number read (to number the rows of the next file of a batch after it). */
  lastRowNumber: number;
}

/**
 * The duplicate check shared by the CMS files of one command: a row's number in it is `base`
 * plus its row number in its file; `describe` names an earlier row ("row 12", or "other.txt row
 * 12" for another file).
 */
export interface SharedCmsDuplicates {
  duplicates: CmsDuplicates;
  base: number;
  describe: (globalRow: number) => string;
}

/** Reads, validates and stages every row of a CMS network source; returns the counts. */
export async function produceCmsNetwork(options: {
  source: RosterSource;
  ctx: ParseContext;
  stage: CmsStager;
  onProgress?: (rowsRead: number) => void;
  /** The duplicate check of the command's other CMS files (one snapshot); default: this file. */
  shared?: SharedCmsDuplicates;
  /** Most rejected rows kept (the others are counted). */
  maxStoredRejections?: number;
}): Promise<CmsProduceResult> {
  const { source, ctx, stage } = options;
  const rejected = new RejectionLog(options.maxStoredRejections);
  const rejectedIdentities = new Set<string>();
  let unreadableRejections = 0;
  /** Notes what a rejected row names (its record is built only for rejected rows). */
  const named = (record: Readonly<Record<string, CellValue>>): void => {
    const id = cmsRejectedIdentity(record, ctx);
    if (id === null) unreadableRejections++;
    else rejectedIdentities.add(id);
  };
  const duplicates = options.shared?.duplicates ?? new CmsDuplicates();
  const base = options.shared?.base ?? 0;
  const describe = options.shared?.describe ?? ((n: number): string => `row ${n}`);
  let lastRowNumber = 0;
  const plans = new Map<string, PlanKey>();
  let lastPlan = ''; // plan of the last accepted row (files come grouped by plan)
  let planContract = '';
  let planPbp = '';
  let planSegment = '';
  let planOfRow = '';
  const keyColumns = CMS_NETWORK_TABLE.keyColumns.join(', ');
  let rowsRead = 0;
  let warnings = 0;

  /** Checks and stages one validated row; false when it repeats an earlier row. */
  const accept = (
    rowNumber: number,
    contractId: string,
    pbpId: string,
    segmentId: string,
    npi: string,
    retail: boolean,
    mail: boolean,
    raw: () => Record<string, string>,
  ): void => {
    const bits = (retail || !mail ? 1 : 0) | (mail ? 2 : 0);
    // The plan's string is made when the plan changes (files come grouped by plan): the same
    // string object then compares equal at once in the duplicate table.
    if (contractId !== planContract || pbpId !== planPbp || segmentId !== planSegment) {
      planContract = contractId;
      planPbp = pbpId;
      planSegment = segmentId;
      planOfRow = `${contractId}|${pbpId}|${segmentId}`;
    }
    const plan = planOfRow;
    if (rowNumber > lastRowNumber) lastRowNumber = rowNumber;
    const earlier = duplicates.firstRow(plan, npi, bits, base + rowNumber);
    if (earlier !== undefined) {
      const roles: NetworkRole[] = [];
      if (bits & 1) roles.push('retail');
      if (bits & 2) roles.push('mail');
      const key = roles.map((r) => `${plan}|${npi}|${r}`).join('#');
      rejectedIdentities.add(`${plan}|${npi}`);
      rejected.add({
        rowNumber,
        raw: raw(),
        ...describeIssues([
          {
            column: keyColumns,
            value: key.replace(/\|/g, ' '),
            reason: `duplicate of ${describe(earlier)} (same ${keyColumns})`,
          },
        ]),
      });
      return;
    }
    if (plan !== lastPlan && !plans.has(plan)) plans.set(plan, { contractId, pbpId, segmentId });
    lastPlan = plan;
    if (bits & 1) stage.add(contractId, pbpId, segmentId, npi, 'retail');
    if (bits & 2) stage.add(contractId, pbpId, segmentId, npi, 'mail');
  };

  /** The generic path: parseRow on the canonical record. */
  const slow = (
    rowNumber: number,
    record: Record<string, CellValue>,
    raw: () => Record<string, string>,
  ): void => {
    const parsed = parseRow('cms_network', record, ctx);
    if (!parsed.ok) {
      rejected.add({ rowNumber, raw: raw(), ...describeIssues(parsed.errors) });
      named(record);
      return;
    }
    warnings += parsed.warnings.length;
    const v = parsed.value;
    accept(rowNumber, v.contractId, v.pbpId, v.segmentId, v.npi, v.retail, v.mail, raw);
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
          rejected.add({ rowNumber, raw: raw(), column: null, value: null, reason: error });
          const record: Record<string, CellValue> = {};
          for (const [name, i] of entries) record[name] = i < f.length ? f[i]! : null;
          named(record);
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
            CONTRACT.test(c) &&
            THREE_DIGITS.test(p) &&
            THREE_DIGITS.test(s) &&
            NPI.test(n) &&
            npiCheckDigitOk(n) &&
            (ZIP5.test(z) || z === 'XXXXX') &&
            retail >= 0 &&
            mail >= 0 &&
            flag(f[pPR]!) >= 0 &&
            flag(f[pPM]!) >= 0 &&
            flag(f[pI]!) >= 0
          ) {
            accept(rowNumber, c, p, s, n, retail === 1, mail === 1, raw);
            continue;
          }
        }
        const record: Record<string, CellValue> = {};
        for (const [name, i] of entries) record[name] = i < f.length ? f[i]! : null;
        slow(rowNumber, record, raw);
      }
      await stage.flush();
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
        rejected.add({
          rowNumber: row.rowNumber,
          raw: row.raw,
          column: null,
          value: null,
          reason: row.error,
        });
        named(row.record);
        continue;
      }
      slow(row.rowNumber, row.record, raw);
      if (++pending === 5_000) {
        pending = 0;
        await stage.flush();
      }
    }
    await stage.flush();
  }
  options.onProgress?.(rowsRead);
  return {
    rowsRead,
    warnings,
    acceptedRows: rowsRead - rejected.total,
    rejected: rejected.stored,
    rejectedTotal: rejected.total,
    plansCovered: [...plans.values()],
    rejectedIdentities,
    unreadableRejections,
    lastRowNumber,
  };
}
