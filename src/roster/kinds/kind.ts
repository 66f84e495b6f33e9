/**
 * What every roster kind module (src/roster/kinds/<kind>.ts) declares, and the machinery its
 * record builder uses. A kind module holds the whole of one roster kind:
 *
 * - its file contract: the columns (canonical name, accepted header aliases, required, value
 *   format for the docs and messages, parser), in documented order (docs/ROSTER-FORMAT.md, which
 *   test/roster/columns.test.ts checks against it);
 * - its record builder: one row (canonical keys) -> one domain record, every problem of the row
 *   listed at once;
 * - its versioning: the table it is stored in, the row written, the natural key and the scope a
 *   snapshot replaces (src/db/roster-tables.ts says what each field means).
 *
 * The registry (./index.ts) lists them; the reader, the import pipeline and its stage, the
 * template, the generator and the docs test read them from there.
 */
import type { VersionedTable } from '../../db/roster-tables.js';
import type { CellValue, FieldResult } from '../validate.js';
import { cellText, fastPathsOn, isBlank } from '../validate.js';

export interface ParseContext {
  /** Drug class codes of the catalog (upper case). */
  catalogCodes: ReadonlySet<string>;
  /** IANA zone in which date-times without a zone are read (policy.timeZone). */
  timeZone: string;
}

export interface FieldContext extends ParseContext {
  /** The whole row (canonical keys), for parsers that depend on another column (ZIP, FIPS vs state). */
  record: Readonly<Record<string, CellValue>>;
}

export interface ColumnSpec<T = unknown> {
  required: boolean;
  /** Other header spellings accepted (matching ignores case, spaces, `_` and `-`). */
  aliases: readonly string[];
  /** Value format, for the documentation and error messages. */
  format: string;
  /** Parses a cell (blank included: optional columns return their default). */
  parse: (v: CellValue, ctx: FieldContext) => FieldResult<T>;
  /**
   * The fast path of `parse` on a text cell (validate.ts canonicalX): the value `parse` would
   * give, without warnings, when the text is canonical; undefined when `parse` must decide.
   */
  canonical?: (s: string, ctx: FieldContext) => T | undefined;
  /**
   * The values the roster template offers in a drop-down list (src/roster/template.ts): a fixed
   * list, or 'catalog' for the drug class codes of the catalog. Only for single-value columns.
   */
  choices?: readonly string[] | 'catalog';
}

export type ColumnSpecs = Readonly<Record<string, ColumnSpec>>;

export function col<T>(spec: ColumnSpec<T>): ColumnSpec<T> {
  return spec;
}

export interface RowIssue {
  /** Canonical column name (null for a problem of the whole row). */
  column: string | null;
  /** The value as read (member ids masked), or null when blank. */
  value: string | null;
  reason: string;
}

export type ParseRowResult<T> =
  | { ok: true; value: T; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

export type RowInput = Readonly<Record<string, CellValue>>;

/** One roster kind: file contract, record builder, versioning. */
export interface RosterKindModule<C extends ColumnSpecs, R, S = R> {
  /** The file contract: canonical column name -> spec, in documented order. */
  columns: C;
  /** What makes a row's record of its parsed cells: checks across columns, the record. */
  rules: RowRules<C, R>;
  /** One row (canonical keys, absent columns blank) -> the domain record, or every problem. */
  build: (record: RowInput, ctx: ParseContext) => ParseRowResult<R>;
  /** How its records are stored and versioned: table, row, key, the scope a snapshot replaces. */
  table: VersionedTable<S>;
}

/** The canonical column names of a kind, in documented order (the generator's headers). */
export function columnNames<C extends ColumnSpecs>(kind: {
  columns: C;
}): readonly (keyof C & string)[] {
  return Object.keys(kind.columns);
}

// ---------------------------------------------------------------------------------------------
// Record building

type Values<C extends ColumnSpecs> = {
  -readonly [K in keyof C]: C[K] extends ColumnSpec<infer T> ? T : never;
};

export interface FieldsOutcome<C extends ColumnSpecs> {
  values: Partial<Values<C>>;
  errors: RowIssue[];
  warnings: RowIssue[];
}

/** A kind's row, once its cells are parsed (every kind's `build` is rowBuilder of these). */
export interface RowRules<C extends ColumnSpecs, R> {
  /**
   * Checks across columns, after every cell is parsed: adds errors and warnings, and may set a
   * value another column implies. `record` gives a cell's value as read (for messages).
   */
  check?(out: FieldsOutcome<C>, record: RowInput): void;
  /** The domain record of a row without errors. */
  record(v: Values<C>): R;
}

/** A kind's record builder: every cell parsed (parseFields), the rules' checks, the record. */
export function rowBuilder<C extends ColumnSpecs, R>(
  columns: C,
  rules: RowRules<C, R>,
): (record: RowInput, ctx: ParseContext) => ParseRowResult<R> {
  const build = (v: Values<C>): R => rules.record(v);
  return (record, ctx) => {
    const out = parseFields(columns, record, ctx);
    rules.check?.(out, record);
    return finish(out, build);
  };
}

export function issueValue(column: string, v: CellValue): string | null {
  if (isBlank(v)) return null;
  if (column === 'member_id') return '****';
  return cellText(v);
}

const specEntries = new WeakMap<ColumnSpecs, [string, ColumnSpec][]>();

/** Every column of a row parsed by its spec: the values, and all errors and warnings. */
export function parseFields<C extends ColumnSpecs>(
  specs: C,
  record: RowInput,
  ctx: ParseContext,
): FieldsOutcome<C> {
  const out: FieldsOutcome<C> = { values: {}, errors: [], warnings: [] };
  // A reader that parses many rows passes one FieldContext whose record it sets per row.
  const fctx: FieldContext =
    'record' in ctx && (ctx as FieldContext).record === record
      ? (ctx as FieldContext)
      : { ...ctx, record };
  let entries = specEntries.get(specs);
  if (!entries) {
    entries = Object.entries(specs);
    specEntries.set(specs, entries);
  }
  const fast = fastPathsOn();
  for (const [name, spec] of entries) parseCell(out, name, spec, record[name], fctx, fast);
  return out;
}

/** One cell into `out`: its value, or its error; its warnings. The one step of every reader. */
function parseCell(
  out: FieldsOutcome<ColumnSpecs>,
  name: string,
  spec: ColumnSpec,
  raw: CellValue,
  fctx: FieldContext,
  fast: boolean,
): void {
  const values = out.values as Record<string, unknown>;
  if (fast && spec.canonical && typeof raw === 'string') {
    const c = spec.canonical(raw, fctx);
    if (c !== undefined) {
      values[name] = c;
      return;
    }
  }
  const r = spec.parse(raw, fctx);
  if (r.ok) {
    values[name] = r.value;
    if (r.warnings) {
      for (const w of r.warnings)
        out.warnings.push({ column: name, value: issueValue(name, raw), reason: w });
    }
  } else {
    out.errors.push({ column: name, value: issueValue(name, raw), reason: r.reason });
  }
}

/** What a field row reader gives for a row without a problem (one object, reused). */
const NO_ISSUES = Object.freeze([]) as readonly RowIssue[] as RowIssue[];

/**
 * A reader of CSV field arrays for one kind and one file's column positions: each row's cells
 * read by index, parsed by the same step as parseFields (a canonical cell without a result
 * object), the kind's checks, its record built directly: the same result as `build` on the
 * row's record (test/roster/fast-paths.test.ts). Parsers that read another column of the row
 * (ctx.record: a ZIP by its state) see the row through one record of getters, not a copy per
 * row. The result of a row without problems is one object reused for every row: read it before
 * the next call.
 */
export function fieldRowReader<C extends ColumnSpecs, R>(
  kind: { columns: C; rules: RowRules<C, R> },
  positions: Readonly<Record<string, number>>,
  ctx: ParseContext,
): (fields: readonly string[]) => ParseRowResult<R> {
  let f: readonly string[] = [];
  // The row as parseRow's record would have it: a column of the file is its field (null past
  // the end of a short row), a column not in the file is absent.
  const record: Record<string, CellValue> = {};
  for (const [name, i] of Object.entries(positions)) {
    Object.defineProperty(record, name, {
      enumerable: true,
      get: () => (i < f.length ? f[i]! : null),
    });
  }
  const fctx: FieldContext = { ...ctx, record };
  const cols = Object.entries(kind.columns).map(([name, spec]) => ({
    name,
    spec,
    pos: Object.hasOwn(positions, name) ? positions[name]! : -1,
  }));
  const rules = kind.rules;
  const build = (v: Values<C>): R => rules.record(v);
  const fast = fastPathsOn();
  let out: FieldsOutcome<C> = { values: {}, errors: [], warnings: [] };
  const clean = { ok: true as const, value: undefined as R | undefined, warnings: NO_ISSUES };
  return (fields) => {
    f = fields;
    const n = fields.length;
    for (let c = 0; c < cols.length; c++) {
      const { name, spec, pos } = cols[c]!;
      parseCell(out, name, spec, pos < 0 ? undefined : pos < n ? fields[pos]! : null, fctx, fast);
    }
    // (The values object is reused: a cell in error must read as not parsed, as parseFields has it.)
    const values = out.values as Record<string, unknown>;
    for (const e of out.errors) if (e.column !== null) values[e.column] = undefined;
    rules.check?.(out, record);
    if (out.errors.length > 0 || out.warnings.length > 0) {
      const result = finish(out, build);
      out = { values: {}, errors: [], warnings: [] };
      return result;
    }
    clean.value = build(out.values as Values<C>);
    return clean as ParseRowResult<R>;
  };
}

/** The record built from the parsed values, or the row's errors. */
export function finish<T, C extends ColumnSpecs>(
  outcome: FieldsOutcome<C>,
  build: (v: Values<C>) => T,
): ParseRowResult<T> {
  if (outcome.errors.length > 0) {
    return { ok: false, errors: outcome.errors, warnings: outcome.warnings };
  }
  return { ok: true, value: build(outcome.values as Values<C>), warnings: outcome.warnings };
}

/** An error on `second` when both dates are given and it is before `first`. */
export function orderCheck(
  out: { errors: RowIssue[] },
  record: RowInput,
  first: { column: string; value: string | null | undefined; label: string },
  second: { column: string; value: string | null | undefined; label: string },
): void {
  if (first.value && second.value && second.value < first.value) {
    out.errors.push({
      column: second.column,
      value: issueValue(second.column, record[second.column]),
      reason: `${second.label} ${second.value} is before ${first.label} ${first.value}`,
    });
  }
}
