/**
 * The enrollment in force, held compactly: a national extract has millions of rows (40,000 ZIPs
 * x 50 plans = 2,000,000), and as one object per row they took about 70 bytes each plus the
 * array, several hundred MB of peak RSS with the garbage of reading them. Here a row is four
 * numbers in typed arrays (plan, ZIP and county as indexes into tables of distinct values, and
 * members): 20 bytes. Iterating yields the rows in the order they were added, each as a fresh
 * Enrollment record (short-lived: the evaluation sums them as it goes), so the rules see exactly
 * what an array of the same records would give them (test/db/enrollment-table.test.ts).
 */
import type { Enrollment, PlanKey } from '../domain/types.js';
import type { EnrollmentVisitor, VisitableEnrollment } from '../evaluate/enrollment-rows.js';
import { grown } from '../util/typed-arrays.js';

const INITIAL_CAPACITY = 1024;

/** The integer text[start, end) (digits only: read in place; anything else through Number). */
function integerAt(text: string, start: number, end: number): number {
  let v = 0;
  for (let k = start; k < end; k++) {
    const ch = text.charCodeAt(k) - 48;
    if (ch < 0 || ch > 9 || end - start > 15) return Number(text.slice(start, end));
    v = v * 10 + ch;
  }
  return start === end ? Number.NaN : v;
}

export class EnrollmentTable implements Iterable<Enrollment>, VisitableEnrollment {
  private readonly plans: PlanKey[] = [];
  private readonly planIndex = new Map<string, number>();
  /** Distinct ZIP and county codes; index 0 is null. */
  private readonly codes: (string | null)[] = [null];
  private readonly codeIndex = new Map<string, number>();
  /** Code of each 5-digit ZIP or county code by its value (0: not seen yet). */
  private readonly fiveDigit = new Int32Array(100_000);
  private plan = new Int32Array(INITIAL_CAPACITY);
  private zip = new Int32Array(INITIAL_CAPACITY);
  private county = new Int32Array(INITIAL_CAPACITY);
  private members = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  /** The plan of the previous row (rows of one plan usually come together). */
  private last: { contractId: string; pbpId: string; segmentId: string; index: number } | null =
    null;

  /** Rows held. */
  get size(): number {
    return this.count;
  }

  add(row: Enrollment): void {
    if (this.count === this.plan.length) this.grow();
    const i = this.count++;
    this.plan[i] = this.planOf(row);
    this.zip[i] = this.codeOf(row.zip);
    this.county[i] = this.codeOf(row.countyFips);
    this.members[i] = row.members;
  }

  /**
   * Adds the rows of `text`: rows separated by `;`, fields by `|`: the row's id, contract, PBP,
   * segment, ZIP (empty: null), county FIPS (empty: null), members (an integer). How
   * readEnrollment receives a page of rows as one string: no object or string per row (a 5-digit
   * code is read as a number and named once). The ids must rise from `after`: the page query
   * does not sort what its scan gives in id order, so the order is checked here. Returns the last
   * row's id (`after` for an empty text).
   */
  addEncoded(text: string, after: number): number {
    let last = after;
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      let end = text.indexOf(';', pos);
      if (end < 0) end = n;
      const id = text.indexOf('|', pos);
      const a = text.indexOf('|', id + 1);
      const b = text.indexOf('|', a + 1);
      const c = text.indexOf('|', b + 1);
      const d = text.indexOf('|', c + 1);
      const e = text.indexOf('|', d + 1);
      if (id < 0 || a < 0 || b < 0 || c < 0 || d < 0 || e < 0 || e >= end)
        throw new Error(`enrollment row not in the expected form: ${text.slice(pos, end)}`);
      const rowId = integerAt(text, pos, id);
      if (!(rowId > last))
        throw new Error(`enrollment rows out of id order: ${rowId} after ${last}`);
      last = rowId;
      if (this.count === this.plan.length) this.grow();
      const i = this.count++;
      this.plan[i] = this.encodedPlan(text, id + 1, a, b, c);
      this.zip[i] = this.encodedCode(text, c + 1, d);
      this.county[i] = this.encodedCode(text, d + 1, e);
      this.members[i] = integerAt(text, e + 1, end);
      pos = end + 1;
    }
    return last;
  }

  *[Symbol.iterator](): Iterator<Enrollment> {
    const { plans, codes } = this;
    for (let i = 0; i < this.count; i++) {
      const p = plans[this.plan[i]!]!;
      yield {
        contractId: p.contractId,
        pbpId: p.pbpId,
        segmentId: p.segmentId,
        zip: codes[this.zip[i]!]!,
        countyFips: codes[this.county[i]!]!,
        members: this.members[i]!,
      };
    }
  }

  /**
   * Each row in order as (plan, ZIP, county, members, ZIP id, county id), the plan one shared
   * object per plan, the ids the table's own code numbers: the evaluation's passes
   * (src/evaluate/enrollment-rows.ts) without a record per row.
   */
  forEachRow(visit: EnrollmentVisitor): void {
    const { plans, codes, plan, zip, county, members } = this;
    for (let i = 0; i < this.count; i++) {
      const z = zip[i]!;
      const c = county[i]!;
      visit(plans[plan[i]!]!, codes[z]!, codes[c]!, members[i]!, z, c);
    }
  }

  private planOf(k: PlanKey): number {
    const last = this.last;
    if (
      last !== null &&
      last.contractId === k.contractId &&
      last.pbpId === k.pbpId &&
      last.segmentId === k.segmentId
    )
      return last.index;
    const key = `${k.contractId}|${k.pbpId}|${k.segmentId}`;
    let index = this.planIndex.get(key);
    if (index === undefined) {
      index =
        this.plans.push({ contractId: k.contractId, pbpId: k.pbpId, segmentId: k.segmentId }) - 1;
      this.planIndex.set(key, index);
    }
    this.last = { contractId: k.contractId, pbpId: k.pbpId, segmentId: k.segmentId, index };
    return index;
  }

  /** The plan of text[pos, c) (fields ending at a and b), the previous row's when it is the same. */
  private encodedPlan(text: string, pos: number, a: number, b: number, c: number): number {
    const last = this.last;
    if (
      last !== null &&
      a - pos === last.contractId.length &&
      b - a - 1 === last.pbpId.length &&
      c - b - 1 === last.segmentId.length &&
      text.startsWith(last.contractId, pos) &&
      text.startsWith(last.pbpId, a + 1) &&
      text.startsWith(last.segmentId, b + 1)
    )
      return last.index;
    return this.planOf({
      contractId: text.slice(pos, a),
      pbpId: text.slice(a + 1, b),
      segmentId: text.slice(b + 1, c),
    });
  }

  /** The code of text[start, end): 0 when empty; a 5-digit code through a table by its value. */
  private encodedCode(text: string, start: number, end: number): number {
    if (start === end) return 0;
    if (end - start === 5) {
      let v = 0;
      let digits = true;
      for (let k = start; k < end; k++) {
        const ch = text.charCodeAt(k) - 48;
        if (ch < 0 || ch > 9) {
          digits = false;
          break;
        }
        v = v * 10 + ch;
      }
      if (digits) {
        let code = this.fiveDigit[v]!;
        if (code === 0) this.fiveDigit[v] = code = this.codeOf(text.slice(start, end));
        return code;
      }
    }
    return this.codeOf(text.slice(start, end));
  }

  private codeOf(v: string | null): number {
    if (v === null) return 0;
    let index = this.codeIndex.get(v);
    if (index === undefined) {
      index = this.codes.push(v) - 1;
      this.codeIndex.set(v, index);
    }
    return index;
  }

  private grow(): void {
    const n = this.plan.length * 2;
    this.plan = grown(this.plan, n);
    this.zip = grown(this.zip, n);
    this.county = grown(this.county, n);
    this.members = grown(this.members, n);
  }
}
