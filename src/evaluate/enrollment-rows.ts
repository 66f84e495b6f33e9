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
 * row's record itself: read it, do not keep it.
 */
export type EnrollmentVisitor = (
  plan: PlanKey,
  zip: string | null,
  countyFips: string | null,
  members: number,
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
  for (const e of rows) visit(e, e.zip, e.countyFips, e.members);
}
