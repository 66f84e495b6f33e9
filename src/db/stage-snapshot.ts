/**
 * The one writer of roster imports, for every kind and layout: the files (and XLSX sheets) of
 * one kind in one command are streamed into ONE staging table and applied as ONE snapshot with
 * set-based SQL, in the caller's transaction. Memory does not grow with the rows: accepted
 * records, rejected rows (capped, with their texts bounded) and what rejected rows name all go
 * through the one stream (one `COPY` across the batch's files on PostgreSQL, 64-row INSERTs on
 * SQLite).
 *
 * The snapshot semantics are those of the pure planVersions (src/import/plan-versions.ts), which
 * test/db/stage-snapshot.test.ts checks this SQL against on both databases:
 * - a stored version whose key is listed with the same content (and began by the as-of date)
 *   stays; listed with other content, it is replaced;
 * - within the scopes the batch covers (plans, pharmacies...; none for unscoped kinds), a stored
 *   version the batch does not list ends, unless the command appends, a rejected row names its
 *   identity, or a source covering its scope had a rejected row that could not be read
 *   (`endDespiteRejects` overrides the last);
 * - a retired version that began on the as-of date is removed, one that began later is an error
 *   (rosters out of order); ended versions count against the first source covering their scope.
 */
import type { IsoDate, RosterKind } from '../domain/types.js';
import { RejectionLog } from '../import/rejections.js';
import { RowTable, keyHash } from '../import/key-index.js';
import type { SourcePlan } from '../import/plan-versions.js';
import { InputConflictError } from './errors.js';
import type { VersionedTable } from './roster-tables.js';
import {
  dbDate,
  dbInstant,
  fromDbDate,
  ident,
  type RowWriter,
  type RowWriterOptions,
  type SqlExecutor,
  type SqlValue,
} from './sql.js';
import { describeImports, type EndedFrom, type RejectedRowInput } from './write-roster.js';

/** roster_import.message of an import that ended nothing (--append, or a failed file). */
export const APPENDED = 'appended: ended nothing';
/**
 * roster_import.message of a CMS network import stored before memberships kept their ZIP (set by
 * the migration cms_membership_zip): its bytes are read again, never skipped as unchanged.
 */
export const CMS_WITHOUT_ZIP = 'stored without PHARMACY_ZIPCODE: read again';

const STAGE = 'import_stage';
const SAME = 'import_stage_same';
const RETIRE = 'import_stage_retire';
const SCOPE = 'import_stage_scope';
const KEEP = 'import_stage_keep';
const GONE = 'import_stage_gone';
const PAIRS = 'import_stage_pairs';
const UNLISTED = 'import_stage_unlisted';
const STAGE_TABLES = [STAGE, PAIRS, SAME, RETIRE, SCOPE, KEEP, UNLISTED, GONE];

/**
 * Status of a staged row: an accepted record, a rejected row, a duplicate candidate (a record
 * whose key's hash an earlier row holds), another record of a candidate's row.
 */
type Status = 'A' | 'R' | 'D' | 'E';

export interface StageSourceMeta {
  path: string;
  fileName: string;
  sheet: string | null;
  sha256: string;
}

/** Where a reader puts the rows of one source (file or sheet), in file order. */
export interface StageSink<T> {
  /**
   * An accepted row and its records (a CMS row with both flags is two). Returns false when a
   * record repeats a key of an earlier row of the batch: the row is then rejected here.
   */
  accept(rowNumber: number, records: readonly T[], raw: () => Record<string, string>): boolean;
  /**
   * A rejected row: `describe` gives its texts (called only when the rejection is stored, not
   * just counted); `identity` is what it names (the table's identityColumns, as stored), or
   * null when that cannot be read.
   */
  reject(
    rowNumber: number,
    describe: () => Omit<RejectedRowInput, 'rowNumber'>,
    identity: readonly SqlValue[] | null,
  ): void;
  /** Hands what was staged to the database (call every few thousand rows). */
  flush(): Promise<void>;
}

export interface StagedSource {
  importId: number;
  rowsRead: number;
  warnings: number;
  rejections: RejectionLog;
  unreadableRejections: number;
}

export interface ApplyResult {
  /** 'unchanged': the batch is the snapshot in force already; nothing was written. */
  status: 'written' | 'unchanged';
  perSource: (SourcePlan & {
    importId: number | null;
    accepted: number;
    rejected: number;
    rejections: RejectedRowInput[];
    rejectionsOmitted: number;
    warnings: number;
  })[];
  endedFrom: EndedFrom[];
}

export interface SnapshotStage<T> {
  /**
   * Streams the source `index` of the batch (openSnapshotStage's sources, read in that order):
   * `read` puts its rows in the sink and returns the rows read and the warnings.
   */
  stageSource(
    index: number,
    read: (sink: StageSink<T>) => Promise<{ rowsRead: number; warnings: number }>,
  ): Promise<void>;
  /** Applies the staged batch as one snapshot. */
  apply(options: {
    append: boolean;
    endDespiteRejects: boolean;
    /** Per source: these bytes were the latest import of the file (kind, name, sheet). */
    seenBefore: readonly boolean[];
  }): Promise<ApplyResult>;
}

/** Column names of a table that may hold NULL (compared with IS / IS NOT DISTINCT FROM). */
async function nullableColumns(tx: SqlExecutor, table: string): Promise<Set<string>> {
  if (tx.provider === 'sqlite') {
    const rows = await tx.query<{ name: string; notnull: number; pk: number }>(
      `SELECT name, "notnull", pk FROM pragma_table_info('${table}')`,
    );
    return new Set(rows.filter((r) => !r.notnull && !r.pk).map((r) => r.name));
  }
  const rows = await tx.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_nullable = 'YES'`,
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/**
 * Opens the stage of one kind in the caller's transaction. `maxStoredRejections` bounds the
 * rejected rows stored per source (the others are counted, and still keep what they name).
 */
export async function openSnapshotStage<T>(options: {
  tx: SqlExecutor;
  table: VersionedTable<T>;
  kind: RosterKind;
  asOf: IsoDate;
  /**
   * The batch's sources (files, XLSX sheets), in the order they are staged. Their roster_import
   * rows are written here, before any row: then one COPY runs across the files on PostgreSQL
   * (a query between files would end it, and the client and the server would each wait for the
   * other at every file: a national file split into 56 by state, 5.30 -> 4.58 s).
   */
  sources: readonly StageSourceMeta[];
  maxStoredRejections?: number;
  /** Rows the import plan table records for (network kinds): their plans. */
  recordsPlans: boolean;
  /**
   * false: stage every accepted row even on a first load (the general path, which
   * test/db/stage-snapshot.test.ts compares the first load's with).
   */
  straightIntoTable?: boolean;
  /**
   * false: keep the table's indexes during a first load on SQLite (the general path, which
   * test/db/stage-first-load.test.ts compares the deferred build with).
   */
  deferIndexes?: boolean;
  /**
   * Distinct plans (recordsPlans) remembered for import_plan, beyond which they are found by SQL
   * over the accepted rows instead (default MAX_PLANS; tests set less).
   */
  maxPlans?: number;
  /**
   * The duplicate check's hash of a key (default keyHash; tests give a coarse one, so that
   * most candidates are hash collisions).
   */
  keyHash?: (values: readonly SqlValue[], at: readonly number[]) => number;
}): Promise<SnapshotStage<T>> {
  const { tx, table, kind, asOf } = options;

  const p = tx.provider;
  const nullable = await nullableColumns(tx, table.table);
  const asOfDb = dbDate(p, asOf);
  const cols = table.columns;
  const extra = ['ord', 'grow', 'row_number', 'import_id', 'status', 'dup_of'];
  const rej = ['rej_column', 'rej_value', 'rej_reason', 'rej_raw'];
  const stageCols = [...extra, ...cols, ...rej];
  for (const t of STAGE_TABLES) await tx.run(`DROP TABLE IF EXISTS ${t}`);
  // SQLite sorts and indexes the stage in its temp database, whose page cache is 2 MB by
  // default: every page then goes through a system call. 32 MB, used as needed (a bound, so
  // memory still does not grow with the rows past it).
  if (p === 'sqlite') await tx.run('PRAGMA temp.cache_size = -32768');
  const onCommit = p === 'postgresql' ? ' ON COMMIT DROP' : '';
  const int = p === 'sqlite' ? 'INTEGER' : 'BIGINT';
  // The data columns take their types from the table itself (no constraints: a rejected row
  // stages only what it names).
  const typed = (c: string): string => `t.${c}`;
  await tx.run(
    `CREATE TEMP TABLE ${STAGE}${onCommit} AS SELECT CAST(0 AS ${int}) AS ord, CAST(0 AS ${int}) AS grow, CAST(0 AS ${int}) AS row_number, CAST(0 AS ${int}) AS import_id, CAST('' AS TEXT) AS status, CAST(0 AS ${int}) AS dup_of, ${cols.map(typed).join(', ')}, ${rej.map((c) => `CAST(NULL AS TEXT) AS ${c}`).join(', ')} FROM ${table.table} t ${p === 'sqlite' ? 'WHERE 0' : 'WITH NO DATA'}`,
  );

  // NULL matches NULL in a key (an enrollment row by county has no ZIP). SQLite's `IS` uses the
  // indexes. PostgreSQL's IS NOT DISTINCT FROM can neither hash nor use an index, so a large
  // stored side was probed by the key's first columns only (a 400,000-row enrollment re-import
  // ran for more than 10 minutes): there a nullable key column compares as text with NULL read
  // as U+0001 (no validated key value holds it), which hashes.
  const keyTerm = (a: string, c: string): string =>
    nullable.has(c) && p === 'postgresql'
      ? `COALESCE(CAST(${a}.${c} AS TEXT), E'\\x01')`
      : `${a}.${c}`;
  const eq = (a: string, b: string, columns: readonly string[]): string =>
    columns
      .map((c) =>
        nullable.has(c) && p === 'sqlite'
          ? `${a}.${c} IS ${b}.${c}`
          : `${keyTerm(a, c)} = ${keyTerm(b, c)}`,
      )
      .join(' AND ');
  // A stored version and a staged record of the same key hold the same content when every other
  // column is equal, NULL matching NULL. Compared in SQL on the rows themselves: a content hash
  // per record (JSON and sha256 of its values, written with it) cost a fifth of a 1M-row
  // import's client time and 33 bytes a stored row.
  // (Columns filled from the as-of date are not content: see VersionedTable.asOfColumns.)
  const contentColumns = cols.filter(
    (c) => !table.keyColumns.includes(c) && !(table.asOfColumns ?? []).includes(c),
  );
  const same = (a: string, b: string, columns: readonly string[]): string =>
    columns
      .map((c) =>
        !nullable.has(c)
          ? `${a}.${c} = ${b}.${c}`
          : p === 'sqlite'
            ? `${a}.${c} IS ${b}.${c}`
            : `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`,
      )
      .join(' AND ') || '1 = 1';
  // Staged rows in file order: SQLite's rowid is the order they were written in (no sort).
  const ordered = p === 'sqlite' ? 'rowid' : 'ord';
  const current = (t: string): string =>
    `${t}.valid_to IS NULL${table.source ? ` AND ${t}.source = '${table.source}'` : ''}`;
  // A first load (no version of this kind in force): nothing to compare, replace or end, so
  // accepted records go straight into the table, written once (they would go through the stage
  // and an INSERT ... SELECT, sorted, after the file is read); rejected rows and duplicate
  // candidates still go to the stage. In the caller's transaction like the rest: a failed or
  // killed import leaves nothing.
  const direct =
    options.straightIntoTable !== false &&
    (await tx.query(`SELECT 1 AS x FROM ${table.table} t WHERE ${current('t')} LIMIT 1`)).length ===
      0;
  // SQLite, a first load into an empty table: its secondary indexes are dropped here and built
  // again from their own SQL once the rows are in (apply), one sort each instead of a B-tree
  // insert per row (500,000 pharmacies: two NPI indexes took a third of the import). DDL is
  // transactional in SQLite: a failed or killed import leaves them as they were.
  const deferredIndexes =
    direct && p === 'sqlite' && options.deferIndexes !== false
      ? await emptyTableIndexes(tx, table.table)
      : [];
  for (const ix of deferredIndexes) await tx.run(`DROP INDEX ${ident(ix.name)}`);
  // A first load writes the table's columns but those the same in every row of a source (the
  // kind's source, the as-of date, the import), which the writer is given once (fixed).
  const fixedSource = table.source !== undefined && cols.includes('source');
  const directAt = cols.flatMap((c, i) => (fixedSource && c === 'source' ? [] : [i]));
  const directCols = directAt.map((i) => cols[i]!);
  const fixedCols = (importId: number): Record<string, SqlValue> => ({
    ...(fixedSource ? { source: table.source! } : {}),
    valid_from: asOfDb,
    import_id: importId,
  });
  // The plans of the accepted records, for import_plan: a national file names some thousands,
  // remembered as they stream by (a DISTINCT over a million staged rows sorted them on disk:
  // 0.7-4 s, the most for rows interleaved by plan). Past maxPlans, SQL finds them.
  const planCols = ['contract_id', 'pbp_id', 'segment_id'];
  const planAt = planCols.map((c) => cols.indexOf(c));
  const maxPlans = options.maxPlans ?? MAX_PLANS;
  let plans: Set<string> | null = options.recordsPlans ? new Set() : null;
  // (The plan of the record before, compared by its parts: no string built for a record of
  // the same plan, which is most of a file grouped by plan.)
  const last: unknown[] = [null, null, null, null];
  const notePlan = (importId: number, contract: unknown, pbp: unknown, segment: unknown): void => {
    if (plans === null) return;
    if (importId === last[0] && contract === last[1] && pbp === last[2] && segment === last[3])
      return;
    last[0] = importId;
    last[1] = contract;
    last[2] = pbp;
    last[3] = segment;
    const plan = `${importId}\u0001${String(contract)}\u0001${String(pbp)}\u0001${String(segment)}`;
    plans.add(plan);
    if (plans.size > maxPlans) plans = null;
  };

  // Date columns converted once per distinct value (a national file has few distinct dates,
  // kept in one cache keyed by the value itself), and a column's value the same as the row
  // before's not looked up at all.
  const dateCache = new Map<string, string>();
  const dateKind = cols.map((c) =>
    table.dateColumns.has(c) ? 'd' : table.instantColumns.has(c) ? 'i' : null,
  );
  const lastIn: SqlValue[] = cols.map(() => null);
  const lastOut: SqlValue[] = cols.map(() => null);
  const toDb = (v: SqlValue, i: number): SqlValue => {
    const kind = dateKind[i] ?? null;
    if (kind === null || v === null || typeof v !== 'string') return v;
    if (v === lastIn[i]) return lastOut[i]!;
    let out: string | undefined;
    if (kind === 'i') {
      // Instants are mostly distinct (a cache of them missed and grew: 500,000 coverage
      // requests spent 1 s here); a canonical one is rewritten as text, cheaper than a lookup.
      out = dbInstant(p, v);
    } else {
      out = dateCache.get(v);
      if (out === undefined) {
        out = dbDate(p, v);
        if (dateCache.size > 10_000) dateCache.clear();
        dateCache.set(v, out);
      }
    }
    lastIn[i] = v;
    lastOut[i] = out;
    return out;
  };
  const identityAt = table.identityColumns.map((c) => cols.indexOf(c));

  const keys = new RowTable();
  const keyHashes: number[] = [];
  const rowsOf: SqlValue[][] = [];
  // The key columns' places in a record's row, whose values the duplicate check hashes (the
  // same columns as the SQL that confirms a candidate compares).
  const keyAt = table.keyColumns.map((c) => {
    const at = cols.indexOf(c);
    if (at < 0) throw new Error(`${table.table}: key column ${c} is not a column`);
    return at;
  });
  const hashKey = options.keyHash ?? keyHash;
  const sources: (StagedSource & {
    base: number;
    started: number;
    label: string;
    /** Records and rows accepted (duplicate candidates not counted). */
    records: number;
    acceptedRows: number;
  })[] = [];
  let nextBase = 0;
  let ord = 0;
  let candidates = 0;
  /** Records written straight into the table (a first load). */
  let directWritten = 0;
  /** "row 12", or "other.csv row 12" for another source of the batch. */
  const describe = (grow: number, here: number): string => {
    let f = sources.length - 1;
    while (f > 0 && sources[f]!.base > grow) f--;
    const row = grow - sources[f]!.base;
    return f === here ? `row ${row}` : `${sources[f]!.label} row ${row}`;
  };

  // Every source's roster_import row, before any row is written (see options.sources).
  const opened = dbInstant(p, new Date().toISOString());
  const importIds: number[] = [];
  for (const meta of options.sources) {
    const created = await tx.query<{ id: number | string }>(
      `INSERT INTO roster_import (path, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, warnings, status, started_at, finished_at, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 'running', ?, ?, 0) RETURNING id`,
      [meta.path, meta.fileName, meta.sheet, meta.sha256, kind, asOfDb, opened, opened],
    );
    importIds.push(Number(created[0]!.id));
  }
  // One pair of writers for the batch: the stage's rows carry their import id, the table's
  // writer is given each source's as a fixed column.
  const writer = new Writers(tx, [
    { table: STAGE, columns: stageCols },
    { table: table.table, columns: directCols, options: { fixed: fixedCols(importIds[0] ?? 0) } },
  ]);

  return {
    async stageSource(index, read) {
      if (index !== sources.length || index >= importIds.length) {
        throw new Error(`stageSource: source ${index} out of order (${sources.length} staged)`);
      }
      const meta = options.sources[index]!;
      const importId = importIds[index]!;
      const source = {
        importId,
        rowsRead: 0,
        warnings: 0,
        rejections: new RejectionLog(options.maxStoredRejections),
        unreadableRejections: 0,
        records: 0,
        acceptedRows: 0,
        base: nextBase,
        started: Date.now(),
        label: meta.sheet ? `${meta.fileName} [${meta.sheet}]` : meta.fileName,
      };
      sources.push(source);
      if (index > 0) await writer.setFixed(1, fixedCols(importId));
      const row: SqlValue[] = new Array<SqlValue>(stageCols.length).fill(null);
      const tableRow: SqlValue[] = new Array<SqlValue>(directCols.length).fill(null);
      const dataAt = extra.length;
      const rejAt = extra.length + cols.length;
      let lastRow = 0;
      const put = (
        status: Status,
        rowNumber: number,
        dupOf: number | null,
        data: readonly SqlValue[] | null,
        stored: RejectedRowInput | null,
      ): void => {
        ++ord;
        if (status === 'A' && plans)
          notePlan(importId, data![planAt[0]!], data![planAt[1]!], data![planAt[2]!]);
        if (direct && status === 'A') {
          for (let j = 0; j < directAt.length; j++) {
            const i = directAt[j]!;
            tableRow[j] = toDb(data![i]!, i);
          }
          writer.add(1, tableRow);
          directWritten++;
          return;
        }
        row[0] = ord;
        row[1] = source.base + rowNumber;
        row[2] = rowNumber;
        row[3] = importId;
        row[4] = status;
        row[5] = dupOf;
        for (let i = 0; i < cols.length; i++) row[dataAt + i] = data ? toDb(data[i]!, i) : null;
        row[rejAt] = stored?.column ?? null;
        row[rejAt + 1] = stored?.value ?? null;
        row[rejAt + 2] = stored?.reason ?? null;
        row[rejAt + 3] = stored ? JSON.stringify(stored.raw) : null;
        writer.add(0, row);
      };
      /** The rejection as stored (bounded), or null when over the cap (only counted). */
      const log = (r: RejectedRowInput | (() => RejectedRowInput)): RejectedRowInput | null => {
        const before = source.rejections.stored.length;
        source.rejections.add(r);
        return source.rejections.stored.length > before ? source.rejections.stored[before]! : null;
      };
      const sink: StageSink<T> = {
        accept(rowNumber, records, raw) {
          if (rowNumber > lastRow) lastRow = rowNumber;
          const grow = source.base + rowNumber;
          // Each record's key hashed once, from its row's values. A row of one record (all
          // kinds but a CMS row with both flags) is looked up and, when new, remembered in one
          // probe; the records of a row of several are remembered only once none of them is a
          // candidate.
          const n = records.length;
          let earlier: number | undefined;
          for (let i = 0; i < n; i++) {
            rowsOf[i] = table.row(records[i]!);
            keyHashes[i] = hashKey(rowsOf[i]!, keyAt);
          }
          if (n === 1) earlier = keys.firstRow(keyHashes[0]!, grow);
          else for (let i = 0; i < n; i++) earlier ??= keys.peek(keyHashes[i]!);
          if (earlier !== undefined) {
            // The row is rejected unless every record that hit is a hash collision (apply()):
            // each such record points at the row holding its hash (a CMS row's retail and mail
            // memberships may hit two rows); the others wait for the row's fate.
            const key = records.map((r) => table.key(r)).join('#');
            const keyCols = table.keyColumns.join(', ');
            const stored = log({
              rowNumber,
              raw: raw(),
              column: keyCols,
              value: key.replace(/\|/g, ' '),
              reason: `${keyCols}: duplicate of ${describe(earlier, index)} (same ${keyCols})`,
            });
            candidates++;
            for (let i = 0; i < n; i++) {
              const hit = keys.peek(keyHashes[i]!);
              put(
                hit === undefined ? 'E' : 'D',
                rowNumber,
                hit ?? null,
                rowsOf[i]!,
                i === 0 ? stored : null,
              );
            }
            return false;
          }
          for (let i = 0; i < n; i++) {
            if (n > 1) keys.firstRow(keyHashes[i]!, grow);
            put('A', rowNumber, null, rowsOf[i]!, null);
          }
          source.records += n;
          source.acceptedRows++;
          return true;
        },
        reject(rowNumber, describe, identity) {
          if (rowNumber > lastRow) lastRow = rowNumber;
          const stored = log(() => ({ rowNumber, ...describe() }));
          if (identity === null) {
            source.unreadableRejections++;
            if (stored) put('R', rowNumber, null, null, stored);
            return;
          }
          const data: SqlValue[] = new Array<SqlValue>(cols.length).fill(null);
          identityAt.forEach((at, i) => (data[at] = identity[i] ?? null));
          put('R', rowNumber, null, data, stored);
        },
        flush: () => writer.flush(false),
      };
      try {
        const counts = await read(sink);
        source.rowsRead = counts.rowsRead;
        source.warnings = counts.warnings;
        // The last source ends the writers (the queries of apply() follow).
        if (sources.length === importIds.length) await writer.end();
        else await writer.flush(false);
      } catch (err) {
        await writer.abort();
        throw err;
      }
      nextBase += lastRow + 1;
    },

    async apply(o) {
      if (sources.length !== importIds.length) {
        throw new Error(`apply: ${sources.length} of ${importIds.length} sources staged`);
      }
      const ids = sources.map((s) => s.importId);
      for (const ix of deferredIndexes) await tx.run(ix.sql);
      // 1. Duplicate candidates whose key differs from the first row's (a hash collision): kept.
      const flipped = new Set<string>();
      if (candidates > 0) {
        if (direct) {
          // Statistics for the join with the table just loaded (a first load analyses nothing
          // else: the audit's refreshStatistics does).
          if (p === 'postgresql') await tx.run(`ANALYZE ${table.table}`);
        } else {
          await tx.run(
            `CREATE INDEX ${p === 'sqlite' ? `temp.${STAGE}_grow` : `${STAGE}_grow`} ON ${STAGE} (grow)`,
          );
        }
        // Rows all of whose candidates' keys differ from the accepted ones (collisions only).
        const rows = await tx.query<{ import_id: number | string; row_number: number | string }>(
          // (Straight into the table: the accepted records of this batch are the table's rows
          // of its imports. The row a candidate points at holds the first accepted record of
          // its key's hash, so it holds any accepted record of its key: the same test.)
          `SELECT s.import_id, s.row_number FROM ${STAGE} s WHERE s.status = 'D' AND NOT EXISTS (${
            direct
              ? `SELECT 1 FROM ${table.table} f WHERE f.import_id IN (${ids.join(', ')}) AND ${eq('f', 's', table.keyColumns)}`
              : `SELECT 1 FROM ${STAGE} f WHERE f.grow = s.dup_of AND f.status = 'A' AND ${eq('f', 's', table.keyColumns)}`
          })
           EXCEPT
           SELECT s.import_id, s.row_number FROM ${STAGE} s WHERE s.status = 'D' AND EXISTS (${
             direct
               ? `SELECT 1 FROM ${table.table} f WHERE f.import_id IN (${ids.join(', ')}) AND ${eq('f', 's', table.keyColumns)}`
               : `SELECT 1 FROM ${STAGE} f WHERE f.grow = s.dup_of AND f.status = 'A' AND ${eq('f', 's', table.keyColumns)}`
           })`,
        );
        for (const r of rows) {
          const src = sources.find((x) => x.importId === Number(r.import_id))!;
          flipped.add(`${r.import_id}:${r.row_number}`);
          src.acceptedRows++;
          const records = await tx.query<Record<string, string>>(
            `SELECT ${planCols.filter((c) => cols.includes(c)).join(', ') || '1 AS x'} FROM ${STAGE} WHERE import_id = ? AND row_number = ? AND status IN ('D', 'E')`,
            [Number(r.import_id), Number(r.row_number)],
          );
          src.records += records.length;
          if (plans)
            for (const rec of records)
              notePlan(Number(r.import_id), rec.contract_id, rec.pbp_id, rec.segment_id);
          await tx.run(
            `UPDATE ${STAGE} SET status = 'A', dup_of = NULL, rej_column = NULL, rej_value = NULL, rej_reason = NULL, rej_raw = NULL WHERE import_id = ? AND row_number = ? AND status IN ('D', 'E')`,
            [Number(r.import_id), Number(r.row_number)],
          );
        }
      }
      // On SQLite the stage's key index serves the join with the stored versions in force; a
      // first load (none in force for this kind) has nothing to join, and skips building it.
      // (Straight into the table, the versions in force are this batch's.) It holds every
      // column the join and the scopes read, so neither reads the stage's rows, which lie in
      // file order (a 1M-row file in other bytes: the join 6.2 -> 1.4 s, the scopes 3.6 ->
      // 0.2 s). PostgreSQL hashes that join and never used the index, whose sort of the keys'
      // text took 4.6-6.3 s of a 1M-row re-import.
      const inForce = direct
        ? []
        : await tx.query(`SELECT 1 AS x FROM ${table.table} t WHERE ${current('t')} LIMIT 1`);
      if (inForce.length > 0 && p === 'sqlite') {
        const covering = [...table.keyColumns, 'status', 'import_id', 'ord', ...contentColumns];
        await tx.run(`CREATE INDEX temp.${STAGE}_key ON ${STAGE} (${covering.join(', ')})`);
      }
      if (p === 'postgresql' && !direct) {
        if (inForce.length > 0) await tx.run(`ANALYZE ${STAGE}`);
        // Fresh statistics for the stored side: right after a large load autovacuum has not
        // analysed it, and the planner, expecting a handful of rows, picks nested loops.
        await tx.run(`ANALYZE ${table.table}`);
      }
      const num = (v: unknown): number => Number(v);
      const perImport = async (
        sql: string,
        params: SqlValue[] = [],
      ): Promise<Map<number, number>> =>
        new Map(
          (await tx.query<{ k: number | string; n: number | string }>(sql, params)).map((r) => [
            num(r.k),
            num(r.n),
          ]),
        );

      // 2. Each stored version in force with the staged record of its key, in one join: whether
      //    the record lists it unchanged (same content, begun by the as-of date). The versions
      //    listed unchanged, those replaced and those unlisted are read from it (a join of the
      //    stage with the table for each took 14 s of a 1M-row re-import in other bytes on
      //    SQLite, 20 s on PostgreSQL). (Straight into the table: none, nor any to retire in 3.)
      const none = direct ? ' AND 1 = 0' : '';
      await tx.run(
        `CREATE TEMP TABLE ${PAIRS}${onCommit} AS SELECT s.ord AS ord, s.import_id AS owner, t.id AS id, t.import_id AS stored_import, t.valid_from AS valid_from, CASE WHEN ${same('s', 't', contentColumns)} AND t.valid_from <= ? THEN 1 ELSE 0 END AS unchanged FROM ${table.table} t JOIN ${STAGE} s ON ${eq('s', 't', table.keyColumns)} AND s.status = 'A' WHERE ${current('t')}${none}`,
        [asOfDb],
      );
      await tx.run(
        `CREATE TEMP TABLE ${SAME}${onCommit} AS SELECT ord, owner AS import_id FROM ${PAIRS} WHERE unchanged = 1`,
      );
      await tx.run(
        `CREATE INDEX ${p === 'sqlite' ? `temp.${SAME}_ord` : `${SAME}_ord`} ON ${SAME} (ord)`,
      );
      // (An anti-join: PostgreSQL runs `NOT IN (SELECT ...)` as a hashed subplan only while the
      // list fits work_mem, else it scans the list for every row: a 1M-row file re-imported
      // in other bytes with its rows unchanged ran for over an hour.)
      const notSame = `NOT EXISTS (SELECT 1 FROM ${SAME} x WHERE x.ord = s.ord)`;
      // 3. Versions to retire: replaced (listed with other content), and ended (unlisted, in a
      //    scope the batch covers, not kept).
      await tx.run(
        `CREATE TEMP TABLE ${RETIRE}${onCommit} AS SELECT s.id AS id, s.stored_import AS stored_import, s.valid_from AS valid_from, s.owner AS owner, CAST('r' AS TEXT) AS why FROM ${PAIRS} s WHERE s.unchanged = 0 AND ${notSame}`,
      );
      const keptByOwner = new Map<number, number>();
      const scoped = table.scopeColumns !== 'none' && !o.append && !direct;
      if (scoped) {
        const scopeCols = table.scopeColumns as readonly string[];
        const blocked = sources
          .filter((s) => s.unreadableRejections > 0 && !o.endDespiteRejects)
          .map((s) => s.importId);
        await tx.run(
          `CREATE TEMP TABLE ${SCOPE}${onCommit} AS SELECT ${scopeCols.join(', ')}, MIN(import_id) AS owner, MAX(CASE WHEN import_id IN (${[0, ...blocked].join(', ')}) THEN 1 ELSE 0 END) AS blocked FROM ${STAGE} WHERE status = 'A' GROUP BY ${scopeCols.join(', ')}`,
        );
        const ident = table.identityColumns;
        await tx.run(
          `CREATE TEMP TABLE ${KEEP}${onCommit} AS SELECT DISTINCT ${ident.join(', ')} FROM ${STAGE} WHERE status IN ('R', 'D', 'E') AND ${ident.map((c) => `${c} IS NOT NULL`).join(' AND ')}`,
        );
        // Unlisted: no accepted record of its key, so in no pair (an anti-join by id, not a
        // probe of the stage by key for each stored version). PostgreSQL plans it from the
        // temp tables' statistics: without them it guessed a handful of scoped rows and ran
        // the anti-join as a nested loop (58,598 enrollment rows in other bytes: 25-108 s).
        if (p === 'sqlite') await tx.run(`CREATE INDEX temp.${PAIRS}_id ON ${PAIRS} (id)`);
        else for (const t of [PAIRS, SCOPE, KEEP]) await tx.run(`ANALYZE ${t}`);
        // The unlisted versions found once, each marked kept or not (whether a rejected row
        // names it is asked of those only: asked of every stored version, a correlated test
        // per row took 2 s of a 1M-row re-import on PostgreSQL, with no rejected row at all).
        const someNamed = (await tx.query(`SELECT 1 AS x FROM ${KEEP} LIMIT 1`)).length > 0;
        const kept = someNamed
          ? `CASE WHEN sc.blocked = 1 OR EXISTS (SELECT 1 FROM ${KEEP} k WHERE ${eq('k', 't', ident)}) THEN 1 ELSE 0 END`
          : 'sc.blocked';
        await tx.run(
          `CREATE TEMP TABLE ${UNLISTED}${onCommit} AS SELECT t.id AS id, t.import_id AS stored_import, t.valid_from AS valid_from, sc.owner AS owner, ${kept} AS kept FROM ${table.table} t JOIN ${SCOPE} sc ON ${eq('sc', 't', scopeCols)} WHERE ${current('t')} AND NOT EXISTS (SELECT 1 FROM ${PAIRS} pr WHERE pr.id = t.id)`,
        );
        await tx.run(
          `INSERT INTO ${RETIRE} (id, stored_import, valid_from, owner, why) SELECT id, stored_import, valid_from, owner, 'e' FROM ${UNLISTED} WHERE kept = 0`,
        );
        for (const [k, n] of await perImport(
          `SELECT owner AS k, COUNT(*) AS n FROM ${UNLISTED} WHERE kept = 1 GROUP BY owner`,
        ))
          keptByOwner.set(k, n);
      }
      const later = await tx.query<{ v: unknown }>(
        `SELECT MIN(valid_from) AS v FROM ${RETIRE} WHERE valid_from > ?`,
        [asOfDb],
      );
      if (later[0]?.v !== null && later[0]?.v !== undefined) {
        throw new InputConflictError(
          `${[...new Set(sources.map((s) => s.label))].join(', ')}: the database already holds a ${kind} roster as of ${fromDbDate(later[0].v)}, later than the as-of date ${asOf}; import rosters in date order`,
        );
      }

      // Counts per source.
      const records = new Map(sources.map((s) => [s.importId, s.records]));
      const acceptedRows = new Map(sources.map((s) => [s.importId, s.acceptedRows]));
      const unchanged = await perImport(
        `SELECT import_id AS k, COUNT(*) AS n FROM ${SAME} GROUP BY import_id`,
      );
      const replaced = await perImport(
        `SELECT owner AS k, COUNT(*) AS n FROM ${RETIRE} WHERE why = 'r' GROUP BY owner`,
      );
      const endedRows = await tx.query<{
        owner: number | string;
        stored_import: number | string;
        n: number | string;
      }>(
        `SELECT owner, stored_import, COUNT(*) AS n FROM ${RETIRE} WHERE why = 'e' GROUP BY owner, stored_import`,
      );
      const endedByOwner = new Map<number, number>();
      const endedByImport = new Map<number, number>();
      for (const r of endedRows) {
        endedByOwner.set(num(r.owner), (endedByOwner.get(num(r.owner)) ?? 0) + num(r.n));
        endedByImport.set(
          num(r.stored_import),
          (endedByImport.get(num(r.stored_import)) ?? 0) + num(r.n),
        );
      }
      const retired =
        endedRows.reduce((a, r) => a + num(r.n), 0) +
        [...replaced.values()].reduce((a, n) => a + n, 0);
      const inserts = ids.reduce(
        (a, id) => a + (records.get(id) ?? 0) - (unchanged.get(id) ?? 0),
        0,
      );

      const perSource = sources.map((s) => {
        const inserted = (records.get(s.importId) ?? 0) - (unchanged.get(s.importId) ?? 0);
        const accepted = acceptedRows.get(s.importId) ?? 0;
        const rejections = s.rejections.stored.filter(
          (r) => !flipped.has(`${s.importId}:${r.rowNumber}`),
        );
        const rejected = s.rowsRead - accepted;
        return {
          inserted,
          ended: endedByOwner.get(s.importId) ?? 0,
          replaced: replaced.get(s.importId) ?? 0,
          unchanged: unchanged.get(s.importId) ?? 0,
          keptForRejections: keptByOwner.get(s.importId) ?? 0,
          accepted,
          rejected,
          rejections,
          rejectionsOmitted: Math.max(0, rejected - rejections.length),
          warnings: s.warnings,
        };
      });

      if (inserts === 0 && retired === 0 && o.seenBefore.every(Boolean)) {
        await dropStage(tx);
        await tx.run(`DELETE FROM roster_import WHERE id IN (${ids.join(', ')})`);
        return {
          status: 'unchanged',
          perSource: perSource.map((sp) => ({ ...sp, importId: null })),
          endedFrom: [],
        };
      }

      // 4. Write: retire, insert the new versions, the rejected rows, the plans, the imports.
      //    (Straight into the table: only the candidates found no duplicate are left to insert.)
      if (!direct) {
        await countRetired(tx, table.table, asOfDb, onCommit);
        await tx.run(
          `DELETE FROM ${table.table} WHERE id IN (SELECT id FROM ${RETIRE} WHERE valid_from = ?)`,
          [asOfDb],
        );
        await tx.run(
          `UPDATE ${table.table} SET valid_to = ? WHERE id IN (SELECT id FROM ${RETIRE} WHERE valid_from < ?)`,
          [asOfDb, asOfDb],
        );
      }
      const dateParam = p === 'postgresql' ? 'CAST(? AS TIMESTAMP(3))' : '?';
      let written = directWritten;
      if (!direct || flipped.size > 0)
        written += await tx.run(
          `INSERT INTO ${table.table} (${cols.join(', ')}, valid_from, import_id)
         SELECT ${cols.map((c) => `s.${c}`).join(', ')}, ${dateParam}, s.import_id
           FROM ${STAGE} s
          WHERE s.status = 'A' AND ${notSame}
          ORDER BY ${ordered}`,
          [asOfDb],
        );
      // The new versions per import, as counted for the report (checked against the rows
      // written: the run's lineage sums these).
      if (written !== inserts) {
        throw new Error(`internal: ${written} versions written, ${inserts} counted (${kind})`);
      }
      for (const [i, sp] of perSource.entries()) {
        if (sp.inserted > 0)
          await tx.run(
            `INSERT INTO import_version_count (import_id, table_name, valid_from, valid_to, rows) VALUES (?, ?, ?, NULL, ?)`,
            [ids[i]!, table.table, asOfDb, sp.inserted],
          );
      }
      await tx.run(
        `INSERT INTO rejected_row (import_id, row_number, "column", value, reason, raw)
         SELECT import_id, row_number, rej_column, rej_value, rej_reason, rej_raw FROM ${STAGE}
          WHERE status <> 'A' AND rej_reason IS NOT NULL ORDER BY ${ordered}`,
      );
      if (plans) {
        await tx.bulkInsert(
          'import_plan',
          ['import_id', ...planCols],
          [...plans].map((plan) => {
            const [importId, ...plan3] = plan.split('\u0001');
            return [Number(importId), ...plan3];
          }),
        );
      } else if (options.recordsPlans) {
        await tx.run(
          `INSERT INTO import_plan (import_id, contract_id, pbp_id, segment_id)
           SELECT DISTINCT import_id, contract_id, pbp_id, segment_id FROM ${
             direct
               ? `${table.table} WHERE import_id IN (${ids.join(', ')})`
               : `${STAGE} WHERE status = 'A'`
           }`,
        );
      }
      const now = new Date();
      for (const [i, s] of sources.entries()) {
        const sp = perSource[i]!;
        await tx.run(
          `UPDATE roster_import SET rows_read = ?, accepted = ?, rejected = ?, warnings = ?, status = 'completed', message = ?, started_at = ?, finished_at = ?, duration_ms = ? WHERE id = ?`,
          [
            s.rowsRead,
            sp.accepted,
            sp.rejected,
            s.warnings,
            o.append ? APPENDED : null,
            dbInstant(p, new Date(s.started).toISOString()),
            // The same instant for every source: it tells the batch (snapshotInForce).
            dbInstant(p, now.toISOString()),
            Math.max(0, now.getTime() - s.started),
            s.importId,
          ],
        );
      }
      await dropStage(tx);
      return {
        status: 'written',
        perSource: perSource.map((sp, i) => ({ ...sp, importId: ids[i]! })),
        endedFrom: await describeImports(tx, endedByImport),
      };
    },
  };
}

/**
 * The secondary indexes of a table that holds no row at all (SQLite), with the SQL that made
 * them; none when it holds any row (ended versions too: their index entries stay in place).
 */
async function emptyTableIndexes(
  tx: SqlExecutor,
  name: string,
): Promise<{ name: string; sql: string }[]> {
  if ((await tx.query(`SELECT 1 AS x FROM ${ident(name)} LIMIT 1`)).length > 0) return [];
  const indexes = await tx.query<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`,
    [name],
  );
  // (An index whose name is no plain identifier, made by hand, stays: ident would refuse it.)
  return indexes.filter((ix) => /^[a-z_][a-z0-9_]*$/.test(ix.name));
}

async function dropStage(tx: SqlExecutor): Promise<void> {
  for (const t of STAGE_TABLES) await tx.run(`DROP TABLE IF EXISTS ${t}`);
}

/**
 * Moves the versions about to be retired (RETIRE, all in force) between the import_version_count
 * rows of their imports: out of (import, valid_from, in force); a version that began before the
 * as-of date ends on it, one that began on it is removed. Run before the table's DELETE and
 * UPDATE, in the same transaction.
 */
async function countRetired(
  tx: SqlExecutor,
  tableName: string,
  asOfDb: string,
  onCommit: string,
): Promise<void> {
  const p = tx.provider;
  const dateParam = p === 'postgresql' ? 'CAST(? AS TIMESTAMP(3))' : '?';
  await tx.run(
    `CREATE TEMP TABLE ${GONE}${onCommit} AS SELECT stored_import AS import_id, valid_from, CASE WHEN valid_from < ${dateParam} THEN 1 ELSE 0 END AS ended, COUNT(*) AS n FROM ${RETIRE} GROUP BY stored_import, valid_from`,
    [asOfDb],
  );
  const match = `g.import_id = import_version_count.import_id AND g.valid_from = import_version_count.valid_from`;
  await tx.run(
    `UPDATE import_version_count SET rows = rows - (SELECT g.n FROM ${GONE} g WHERE ${match})
      WHERE table_name = ? AND valid_to IS NULL AND EXISTS (SELECT 1 FROM ${GONE} g WHERE ${match})`,
    [tableName],
  );
  await tx.run(
    `DELETE FROM import_version_count WHERE table_name = ? AND valid_to IS NULL AND rows = 0`,
    [tableName],
  );
  // Ended: into the bucket of the as-of date (an earlier import of the day may have made it).
  await tx.run(
    `UPDATE import_version_count SET rows = rows + (SELECT g.n FROM ${GONE} g WHERE g.ended = 1 AND ${match})
      WHERE table_name = ? AND valid_to = ${dateParam} AND EXISTS (SELECT 1 FROM ${GONE} g WHERE g.ended = 1 AND ${match})`,
    [tableName, asOfDb],
  );
  await tx.run(
    `INSERT INTO import_version_count (import_id, table_name, valid_from, valid_to, rows)
     SELECT g.import_id, CAST(? AS TEXT), g.valid_from, ${dateParam}, g.n FROM ${GONE} g
      WHERE g.ended = 1 AND g.import_id IN (SELECT id FROM roster_import)
        AND NOT EXISTS (SELECT 1 FROM import_version_count c WHERE c.table_name = ? AND c.valid_to = ${dateParam} AND c.import_id = g.import_id AND c.valid_from = g.valid_from)`,
    [tableName, asOfDb, tableName, asOfDb],
  );
}

/** Distinct plans an import remembers for import_plan (openSnapshotStage's maxPlans). */
const MAX_PLANS = 100_000;

/** Rows the stage's PostgreSQL COPY holds back while the table's is open, and the reverse. */
const SWITCH_ROWS = 10_000;

/**
 * The row writers of a batch: [0] the stage, [1] the table (straight into it), across its
 * sources (the table's writer takes each source's import id as a fixed column). PostgreSQL runs
 * one COPY at a time on a connection: the rows for the other table wait (copied, at most
 * SWITCH_ROWS and a batch), then the next flush ends the open COPY and starts the other's. A file
 * with few rejected rows switches a few times; an all-rejects file writes only the stage. SQLite
 * keeps both open.
 */
class Writers {
  private readonly open: (RowWriter | null)[] = [null, null];
  private readonly waiting: SqlValue[][][] = [[], []];
  private readonly options: (RowWriterOptions | undefined)[];
  constructor(
    private readonly tx: SqlExecutor,
    private readonly targets: readonly {
      table: string;
      columns: readonly string[];
      options?: RowWriterOptions;
    }[],
  ) {
    this.options = targets.map((t) => t.options);
  }

  /** The fixed columns of target's rows added from now on (those added before keep theirs). */
  async setFixed(target: 0 | 1, fixed: Readonly<Record<string, SqlValue>>): Promise<void> {
    if (this.waiting[target]!.length > 0) await this.switchTo(target);
    this.options[target] = { ...this.options[target], fixed };
    this.open[target]?.setFixed(fixed);
  }

  add(target: 0 | 1, row: readonly SqlValue[]): void {
    const w = this.open[target];
    if (w) w.add(row);
    else this.waiting[target]!.push(row.slice());
  }

  /** Opens target's writer (ending the other's COPY on PostgreSQL) and hands it its rows. */
  private async switchTo(target: number): Promise<void> {
    const other = 1 - target;
    if (this.tx.provider === 'postgresql' && this.open[other]) {
      const w = this.open[other];
      this.open[other] = null;
      await w.end();
    }
    const t = this.targets[target]!;
    const w = (this.open[target] ??= await this.tx.rowWriter(
      t.table,
      t.columns,
      this.options[target],
    ));
    for (const row of this.waiting[target]!.splice(0)) w.add(row);
  }

  async flush(final: boolean): Promise<void> {
    for (const target of [0, 1]) {
      const n = this.waiting[target]!.length;
      if (n === 0) continue;
      const busy = this.tx.provider === 'postgresql' && this.open[1 - target] !== null;
      if (final || !busy || n >= SWITCH_ROWS) await this.switchTo(target);
    }
    for (const w of this.open) if (w) await w.flush();
  }

  async end(): Promise<void> {
    await this.flush(true);
    for (const [i, w] of this.open.entries()) {
      this.open[i] = null;
      if (w) await w.end();
    }
  }

  async abort(): Promise<void> {
    for (const q of this.waiting) q.length = 0;
    for (const [i, w] of this.open.entries()) {
      this.open[i] = null;
      if (w) await w.abort();
    }
  }
}
