/**
 * What a roster kind declares of its storage (`VersionedTable`): its versioned table, columns,
 * natural key and what a snapshot replaces. Each kind's module (src/roster/kinds/<kind>.ts)
 * declares its own with `checked`, which checks the column names against the model
 * (src/db/row-types.ts, from prisma/schema.prisma); the stage (src/db/stage-snapshot.ts)
 * writes through it. Values here are provider-neutral (dates as ISO strings; the writer converts).
 */
import type { SqlValue } from './sql.js';

export interface VersionedTable<T> {
  table: string;
  /** Data columns, in the order row() returns them. */
  columns: readonly string[];
  /** Columns holding calendar dates / instants (converted per provider on write). */
  dateColumns: ReadonlySet<string>;
  instantColumns: ReadonlySet<string>;
  row(rec: T): SqlValue[];
  /** Natural key of a record. */
  key(rec: T): string;
  /** The same key computed from stored columns (dates already as IsoDate). */
  keyColumns: readonly string[];
  /**
   * Records of the stored snapshot that the new file does not mention end at the import date,
   * within the scope the file covers (e.g. the plans it lists). 'none': absence ends nothing.
   */
  scopeColumns: readonly string[] | 'none';
  /**
   * The key columns a rejected row can still name (its roster column names are the same): a
   * stored version whose identity a rejected row of the batch names is kept, not ended.
   */
  identityColumns: readonly string[];
  /** Extra fixed filter on stored rows this kind owns (network: source). */
  source?: string;
  /**
   * Columns the import fills with the as-of date of the file that lists the record, not from the
   * file (the CMS file has no dates of its own). They are not compared: a record listed again
   * with the same other content stays in force as stored, with the date it was first listed.
   */
  asOfColumns?: readonly string[];
}

/** A column of the table's row as prisma/schema.prisma declares it (src/db/row-types.ts). */
type ColumnOf<R> = keyof R & string;

/** A table's spec with its column names checked against the model: a typo fails the build. */
interface CheckedTable<T, R> extends VersionedTable<T> {
  columns: readonly ColumnOf<R>[];
  dateColumns: ReadonlySet<ColumnOf<R>>;
  instantColumns: ReadonlySet<ColumnOf<R>>;
  keyColumns: readonly ColumnOf<R>[];
  scopeColumns: readonly ColumnOf<R>[] | 'none';
  identityColumns: readonly ColumnOf<R>[];
  asOfColumns?: readonly ColumnOf<R>[];
}

/** `checked<Pharmacy, Rows.PharmacyRow>({...})`: the spec, its columns checked against the model. */
export const checked = <T, R>(spec: CheckedTable<T, R>): VersionedTable<T> => spec;

/** A list column as stored: its items joined with `|`. */
export const list = (xs: readonly string[]): string => xs.join('|');
/** A set of column names (the date and instant columns of a table). */
export const dates = <C extends string>(...c: C[]): ReadonlySet<C> => new Set(c);
