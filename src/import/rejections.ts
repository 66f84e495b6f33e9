/**
 * The rejected rows an import keeps, bounded: memory and the database do not grow with the
 * number of bad rows or the size of their values.
 *
 * - At most `cap` rejections are stored per file or sheet (limits.maxStoredRejections); the
 *   others are counted (`total`, `omitted`), and the import's `rejected` count is the total.
 * - Each stored value (raw fields, the offending value, the reason) is cut to a few hundred
 *   characters, saying how long it was; a row's raw record keeps at most MAX_RAW_CHARS in all.
 * - NUL characters are removed (no database stores them in text).
 */
import type { RejectedRowInput } from '../db/write-roster.js';
import { DEFAULT_LIMITS } from '../roster/read-csv.js';

/** Longest raw field or offending value stored, in characters. */
export const MAX_VALUE_CHARS = 200;
/** Longest reason stored. */
export const MAX_REASON_CHARS = 2000;
/** Most characters of one rejected row's raw record (keys and values) stored. */
export const MAX_RAW_CHARS = 4000;

/** `v`, cut to `max` characters with its length said, NUL removed. */
export function truncateText(v: string, max: number): string {
  const s = v.includes('\0') ? v.replaceAll('\0', '') : v;
  if (s.length <= max) return s;
  let cut = max;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--; // never split a surrogate pair
  return `${s.slice(0, cut)}… [${s.length} characters]`;
}

/** A rejected row as stored: every text bounded. */
export function boundRejection(r: RejectedRowInput): RejectedRowInput {
  const raw: Record<string, string> = {};
  let used = 0;
  let dropped = 0;
  for (const [k, v] of Object.entries(r.raw)) {
    const key = truncateText(k, MAX_VALUE_CHARS);
    const value = truncateText(v, MAX_VALUE_CHARS);
    if (used + key.length + value.length > MAX_RAW_CHARS) {
      dropped++;
      continue;
    }
    used += key.length + value.length;
    raw[key] = value;
  }
  if (dropped > 0) raw['(not kept)'] = `${dropped} more field(s)`;
  return {
    rowNumber: r.rowNumber,
    column: r.column === null ? null : truncateText(r.column, MAX_VALUE_CHARS),
    value: r.value === null ? null : truncateText(r.value, MAX_VALUE_CHARS),
    reason: truncateText(r.reason, MAX_REASON_CHARS),
    raw,
  };
}

/** The rejections of one file or sheet: the first `cap` stored (bounded), all counted. */
export class RejectionLog {
  readonly stored: RejectedRowInput[] = [];
  total = 0;

  constructor(readonly cap: number = DEFAULT_LIMITS.maxStoredRejections) {}

  /**
   * Counts a rejection and stores it while under the cap. Given as a function, it is described
   * only when stored (an all-rejects file of 1M rows built its texts for nothing: 0.4 s).
   */
  add(r: RejectedRowInput | (() => RejectedRowInput)): void {
    this.total++;
    if (this.stored.length < this.cap) {
      this.stored.push(boundRejection(typeof r === 'function' ? r() : r));
    }
  }

  /** Takes in what another log (e.g. the CMS reader's) kept and counted. */
  absorb(stored: readonly RejectedRowInput[], total: number): void {
    for (const r of stored) {
      if (this.stored.length < this.cap) this.stored.push(boundRejection(r));
    }
    this.total += total;
  }

  /** Rejected rows counted but not stored. */
  get omitted(): number {
    return this.total - this.stored.length;
  }
}
