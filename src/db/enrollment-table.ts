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

const INITIAL_CAPACITY = 1024;

export class EnrollmentTable implements Iterable<Enrollment> {
  private readonly plans: PlanKey[] = [];
  private readonly planIndex = new Map<string, number>();
  /** Distinct ZIP and county codes; index 0 is null. */
  private readonly codes: (string | null)[] = [null];
  private readonly codeIndex = new Map<string, number>();
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
    const plan = new Int32Array(n);
    plan.set(this.plan);
    this.plan = plan;
    const zip = new Int32Array(n);
    zip.set(this.zip);
    this.zip = zip;
    const county = new Int32Array(n);
    county.set(this.county);
    this.county = county;
    const members = new Float64Array(n);
    members.set(this.members);
    this.members = members;
  }
}
