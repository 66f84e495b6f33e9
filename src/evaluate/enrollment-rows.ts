/**
 * One pass over the enrollment, as the evaluation reads it (members affected, distances, retail
 * access): each row as its plan, ZIP, county and members, with no record per row. The snapshot
 * load's compact table (src/db/enrollment-table.ts) hands its rows over from its typed arrays
 * (`forEachRow`: a national extract is 2,000,000 rows, and three passes made 6,000,000
 * short-lived records); any other iterable (an array in tests) gives its records. Both give the
 * same rows in the same order (test/db/enrollment-table.test.ts evaluates both).
 */
import type { Enrollment, PlanKey } from '../domain/types.js';

/**
 * Receives one row. `plan` may be the same object for every row of a plan (the table's), or the
 * row's record itself: read it, do not keep it. `zipId` and `countyId` number the row's codes
 * for the pass: 0 for null, else a small integer, the same for the same code text on every row
 * (ZIP and county codes share one numbering), so a pass can keep what it learns of a code in an
 * array by its number instead of a Map by its text (2,000,000 rows, 40,000 distinct ZIPs).
 */
export type EnrollmentVisitor = (
  plan: PlanKey,
  zip: string | null,
  countyFips: string | null,
  members: number,
  zipId: number,
  countyId: number,
) => void;

/** An enrollment that can hand its rows over without a record per row. */
export interface VisitableEnrollment {
  forEachRow(visit: EnrollmentVisitor): void;
}

function isVisitable(rows: object): rows is VisitableEnrollment {
  return typeof (rows as Partial<VisitableEnrollment>).forEachRow === 'function';
}

export function forEachEnrollment(rows: Iterable<Enrollment>, visit: EnrollmentVisitor): void {
  if (isVisitable(rows)) {
    rows.forEachRow(visit);
    return;
  }
  // Records: their codes numbered as met (the table numbers its distinct codes the same way).
  const ids = new Map<string, number>();
  const idOf = (code: string | null): number => {
    if (code === null) return 0;
    let id = ids.get(code);
    if (id === undefined) ids.set(code, (id = ids.size + 1));
    return id;
  };
  for (const e of rows) visit(e, e.zip, e.countyFips, e.members, idOf(e.zip), idOf(e.countyFips));
}
