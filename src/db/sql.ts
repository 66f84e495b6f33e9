/**
 * Parameterised raw SQL for the paths Prisma is too slow for (bulk import, set-based updates).
 * Queries are written once with `?` placeholders; PostgreSQL gets `$1..$n`. Values are bound,
 * never spliced: the only identifiers ever interpolated are table/column names from code,
 * checked against IDENTIFIER below.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished, pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import { digitsAt, isoDayAt, isoTimeAt } from '../util/iso-text.js';
import type { Provider } from './url.js';

export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  readonly provider: Provider;
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Inserts rows fast (prepared statement on SQLite, COPY on PostgreSQL). Returns the count. */
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly SqlValue[]>,
  ): Promise<number>;
  /**
   * Streams rows into a table, for millions of rows: ONE `COPY ... FROM STDIN` on PostgreSQL
   * (inside a transaction; run no other statement on it until end()), a prepared INSERT on
   * SQLite.
   */
  rowWriter(
    table: string,
    columns: readonly string[],
    options?: RowWriterOptions,
  ): Promise<RowWriter>;
}

/** A column's type in a binary COPY (PostgreSQL): how a value of it is encoded. */
export type CopyType = 'text' | 'int4' | 'timestamp';

export interface RowWriterOptions {
  /**
   * PostgreSQL: the columns' types, to COPY in the binary format: the server parses no text
   * (1M CMS memberships: 2.75-3.05 s server-side as CSV, 2.08-2.42 s binary). A timestamp is
   * given as the provider's stored text (dbDate, dbInstant). Ignored on SQLite.
   */
  binary?: readonly CopyType[];
  /**
   * Columns holding the same value in every row (an import's id, its as-of date), given once
   * here and left out of each added row, which holds `columns` only. SQLite: literals in the
   * INSERT, not bound row by row (1M rows of a first load: about 0.4 s less); PostgreSQL: their
   * COPY bytes encoded once.
   */
  fixed?: Readonly<Record<string, SqlValue>>;
}

/** See SqlExecutor.rowWriter. */
export interface RowWriter {
  /** Adds a row (it may be buffered until flush()). */
  add(row: readonly SqlValue[]): void;
  /**
   * The fixed columns' values for the rows added from now on (the columns given at open, in any
   * order): one writer serves the sources of a batch, each with its own import id.
   */
  setFixed(fixed: Readonly<Record<string, SqlValue>>): void;
  /** Hands the buffered rows over, waiting when the database is behind. */
  flush(): Promise<void>;
  /** Flushes and finishes; returns the number of rows written. */
  end(): Promise<number>;
  /** Gives up (the caller failed): ends a COPY with an error so the connection is usable. */
  abort(): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  /** Runs fn in one transaction: all or nothing. SQLite takes the write lock at once. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** A plain identifier (lower case, digits, `_`) as quoted SQL; anything else throws. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`; // quoted: some of our column names (column, value) are reserved words
}

/** `?` -> `$n` (our statements have no `?` inside string literals). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Date `YYYY-MM-DD` as the provider stores a Prisma DateTime. */
export function dbDate(provider: Provider, isoDate: string): string {
  return dbInstant(provider, `${isoDate}T00:00:00.000Z`);
}

/**
 * Whether `iso` is already what Date's toISOString gives for it: `YYYY-MM-DDTHH:MM:SS.mmmZ` with
 * a real day and time of day (Date rolls 02-30 or 24:00 over to the next day), of the years
 * 1900 to 2199 (others go through Date).
 */
function canonicalInstant(iso: string): boolean {
  return (
    iso.length === 24 &&
    iso.charCodeAt(19) === 46 &&
    iso.charCodeAt(23) === 90 &&
    isoDayAt(iso) &&
    isoTimeAt(iso) &&
    digitsAt(iso, 20, 3)
  );
}

/**
 * Instant (ISO with Z) as the provider stores a Prisma DateTime. A canonical instant is rewritten
 * as text (an import of 500,000 coverage requests: 1 s of `new Date` and toISOString); any other
 * goes through Date (test/db/sql.test.ts: both give the same text).
 */
export function dbInstant(provider: Provider, iso: string): string {
  if (canonicalInstant(iso)) {
    return provider === 'sqlite'
      ? `${iso.slice(0, 23)}+00:00`
      : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${iso}`);
  const s = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return provider === 'sqlite' ? `${s.slice(0, 23)}+00:00` : `${s.slice(0, 10)} ${s.slice(11, 23)}`;
}

/** PostgreSQL's text of a TIMESTAMP(3) (trailing zeros of the fraction dropped, or none). */
const PG_INSTANT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,3})?$/;
/** SQLite's stored text of an instant (what dbInstant writes). */
const SQLITE_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** A stored DateTime (either provider's text form, or a Date) as an ISO instant with Z. */
export function fromDbInstant(value: unknown): string {
  if (typeof value === 'string') {
    // The two forms the databases give back, rewritten as text (no Date round trip: they are
    // UTC already, and both databases only hold valid instants). join() builds one flat
    // string; a template literal would keep a chain of string pieces and the driver's text
    // alive (about 90 bytes more per instant, and reports hold hundreds of thousands).
    if (SQLITE_INSTANT.test(value)) return [value.slice(0, 23), 'Z'].join('');
    if (PG_INSTANT.test(value)) {
      const time = value.slice(11); // HH:MM:SS, then .f, .ff or .fff
      const pad = time.length === 8 ? '.000' : '00'.slice(0, 12 - time.length);
      return [value.slice(0, 10), 'T', time, pad, 'Z'].join('');
    }
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value !== 'string') throw new Error(`not a stored date: ${String(value)}`);
  const s = value.includes('T') ? value : value.replace(' ', 'T');
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`;
  return new Date(withZone).toISOString();
}

const PLAIN_DATE = /^\d{4}-\d\d-\d\d$/;

export function fromDbDate(value: unknown): string {
  if (typeof value === 'string' && PLAIN_DATE.test(value)) return value;
  return fromDbInstant(value).slice(0, 10);
}

function sqliteValue(v: SqlValue): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

class SqliteExecutor implements SqlExecutor {
  readonly provider = 'sqlite' as const;
  constructor(protected readonly db: Database.Database) {}

  async query<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params.map(sqliteValue)) as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.db.prepare(sql).run(...params.map(sqliteValue)).changes;
  }

  async bulkInsert(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly SqlValue[]>,
  ): Promise<number> {
    const stmt = this.db.prepare(
      `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    let n = 0;
    for (const row of rows) {
      stmt.run(...row.map(sqliteValue));
      n++;
    }
    return n;
  }

  // (RowWriterOptions.binary is for PostgreSQL's COPY.)
  async rowWriter(
    table: string,
    columns: readonly string[],
    options?: RowWriterOptions,
  ): Promise<RowWriter> {
    // Rows go in ROW_GROUP at a time through one multi-row INSERT (fewer calls into SQLite).
    const fixedCols = Object.keys(options?.fixed ?? {});
    const all = [...columns, ...fixedCols];
    let row = '';
    const sql = (rows: number): string => {
      const marks = Array.from({ length: rows }, () => row).join(', ');
      return `INSERT INTO ${ident(table)} (${all.map(ident).join(', ')}) VALUES ${marks}`;
    };
    let group: Database.Statement;
    // A shorter INSERT for the rows a flush() finds waiting, prepared once per count (a stage
    // flushes every read chunk: 500,000 pharmacies prepared one 1,250 times, 0.2 s).
    const shorter = new Map<number, Database.Statement>();
    const prepare = (fixed: Readonly<Record<string, SqlValue>>): void => {
      const literals = fixedCols.map((c) => {
        if (!(c in fixed)) throw new Error(`rowWriter: no value for fixed column ${c}`);
        return sqliteLiteral(fixed[c]!);
      });
      row = `(${[...columns.map(() => '?'), ...literals].join(', ')})`;
      group = this.db.prepare(sql(ROW_GROUP));
      shorter.clear();
    };
    prepare(options?.fixed ?? {});
    const params: (string | number | null)[] = [];
    let pending = 0;
    let n = 0;
    const drain = (): void => {
      if (pending === ROW_GROUP) group.run(params);
      else if (pending > 0) {
        let stmt = shorter.get(pending);
        if (stmt === undefined) shorter.set(pending, (stmt = this.db.prepare(sql(pending))));
        stmt.run(params);
      }
      params.length = 0;
      pending = 0;
    };
    return {
      add(row) {
        for (const v of row) params.push(sqliteValue(v));
        n++;
        if (++pending === ROW_GROUP) drain();
      },
      setFixed(fixed) {
        drain();
        prepare(fixed);
      },
      // The rows held so far go in now (a caller writing large values flushes after each).
      flush: async () => drain(),
      end: async () => {
        drain();
        return n;
      },
      abort: async () => {
        params.length = 0;
        pending = 0;
      },
    };
  }
}

/** A value as a SQLite literal (as sqliteValue binds it), for the fixed columns of a row writer. */
function sqliteLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    // (The shortest text that reads back as the same number.)
    return String(v);
  }
  if (v.includes('\0')) throw new Error('a fixed column value holds a NUL character');
  return `'${v.replaceAll("'", "''")}'`;
}

/** Rows per multi-row INSERT of a SQLite row writer. */
const ROW_GROUP = 64;

export class SqliteDriver extends SqliteExecutor implements SqlDriver {
  /**
   * Opens a database file only to read it (an archive on read-only media, a file or folder
   * without write permission). A WAL database needs its `-shm` file, which cannot be created
   * there: then the file is opened immutable (nobody can write it meanwhile anyway).
   */
  static openReadOnly(filePath: string): SqliteDriver {
    // URI file names for the immutable open below. better-sqlite3 reads this once, at the first
    // open of the process; our paths are absolute file paths, never URIs, so nothing else
    // changes meaning.
    process.env.SQLITE_USE_URI = '1';
    try {
      const db = new Database(filePath, { readonly: true, fileMustExist: true, timeout: 15_000 });
      try {
        db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      } catch (err) {
        db.close();
        throw err;
      }
      return new SqliteDriver(db);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
    }
    const uri = `file:${encodeURI(filePath).replace(/[?#]/g, encodeURIComponent)}?immutable=1`;
    return new SqliteDriver(new Database(uri, { readonly: true, fileMustExist: true }));
  }

  static open(filePath: string): SqliteDriver {
    const db = new Database(filePath, { timeout: 15_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return new SqliteDriver(db);
  }

  private inTransaction = false;

  /** Runs a script of any number of statements, without parameters (migrations). */
  exec(script: string): void {
    this.db.exec(script);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new Error('nested transactions are not supported');
    this.inTransaction = true;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(new SqliteExecutor(this.db));
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Microseconds from 1970 to 2000-01-01, PostgreSQL's epoch for binary timestamps. */
const PG_EPOCH_US = 946_684_800_000_000n;
/** Bytes of a binary COPY piece handed to the connection at a time. */
const BINARY_PIECE = 64 * 1024;

/** Appends binary COPY fields (and row headers) to pieces of BINARY_PIECE bytes. */
/** Bytes appended to reused pieces of BINARY_PIECE bytes, handed over by take(). */
class Pieces {
  protected buf = Buffer.allocUnsafe(BINARY_PIECE);
  protected off = 0;
  private readonly full: Buffer[] = [];

  /** Makes room for n more bytes: the piece so far is kept, a new one begun. */
  protected room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    if (this.off > 0) this.full.push(this.buf.subarray(0, this.off));
    this.buf = Buffer.allocUnsafe(Math.max(BINARY_PIECE, n));
    this.off = 0;
  }

  /** Bytes written since the last take(). */
  get pending(): number {
    let n = this.off;
    for (const b of this.full) n += b.length;
    return n;
  }

  /** The bytes so far, in pieces; starts afresh. */
  take(): Buffer[] {
    if (this.off > 0) {
      this.full.push(this.buf.subarray(0, this.off));
      this.buf = Buffer.allocUnsafe(BINARY_PIECE);
      this.off = 0;
    }
    return this.full.splice(0);
  }
}

class CopyBytes extends Pieces {
  int16(v: number): void {
    this.room(2);
    this.off = this.buf.writeInt16BE(v, this.off);
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
  }
  field(v: SqlValue, type: CopyType): void {
    if (v === null) {
      this.room(4);
      this.off = this.buf.writeInt32BE(-1, this.off);
    } else if (type === 'text') {
      this.text(typeof v === 'string' ? v : String(v));
    } else if (type === 'int4') {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`not an integer: ${v}`);
      this.room(8);
      this.off = this.buf.writeInt32BE(4, this.off);
      this.off = this.buf.writeInt32BE(v, this.off);
    } else {
      // The provider's stored text (dbDate, dbInstant), read as everywhere else.
      const ms = Date.parse(fromDbInstant(v));
      this.room(12);
      this.off = this.buf.writeInt32BE(8, this.off);
      this.off = this.buf.writeBigInt64BE(BigInt(ms) * 1000n - PG_EPOCH_US, this.off);
    }
  }
  text(v: string): void {
    const n = Buffer.byteLength(v);
    this.room(n + 4);
    this.off = this.buf.writeInt32BE(n, this.off);
    this.off += this.buf.write(v, this.off);
  }
}

/**
 * Rows as PostgreSQL COPY's CSV (the bytes of csvLine's lines, each ended by `\n`), written
 * straight into reused pieces of BINARY_PIECE bytes: ASCII characters one byte each from a loop,
 * the rest of a value holding others through Buffer.write. A string per field and per line,
 * joined per flush and encoded again by the connection, took a sixth of the client's time for a
 * 1M-row import (and its garbage).
 */
export class CopyText extends Pieces {
  /** A row's values, then `tail` (bytes already encoded: a row writer's fixed columns). */
  row(values: readonly SqlValue[], tail?: Uint8Array): void {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) {
        this.room(1);
        this.buf[this.off++] = 0x2c; // ,
      }
      const v = values[i]!;
      if (v === null) continue;
      if (typeof v === 'string') this.quoted(v);
      else if (typeof v === 'boolean') {
        // One byte each, not a string through Buffer.write (five flags a pharmacy).
        this.room(1);
        this.buf[this.off++] = v ? 0x74 : 0x66; // t, f
      } else if (v >= 0 && v <= 0x7fffffff && Number.isInteger(v)) this.digits(v);
      else this.utf8(String(v));
    }
    if (tail) {
      this.room(tail.length);
      this.buf.set(tail, this.off);
      this.off += tail.length;
    }
    this.room(1);
    this.buf[this.off++] = 0x0a;
  }

  private utf8(text: string): void {
    this.room(Buffer.byteLength(text));
    this.off += this.buf.write(text, this.off);
  }

  /** A whole number from 0 to 2^31 - 1 in decimal (String(v)'s bytes), written from its end. */
  private digits(v: number): void {
    let n = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) n++;
    this.room(n);
    const buf = this.buf;
    let at = this.off + n;
    this.off = at;
    let x = v;
    do {
      const q = (x / 10) | 0;
      buf[--at] = 0x30 + x - q * 10;
      x = q;
    } while (x > 0);
  }

  /** `"v"` with each `"` doubled (csvField). */
  private quoted(v: string): void {
    const n = v.length;
    // At most two bytes per ASCII character (a doubled quote) and the two quotes.
    this.room(2 * n + 2);
    const buf = this.buf;
    let off = this.off;
    buf[off++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) {
        this.off = off;
        this.utf8(v.slice(i).replaceAll('"', '""'));
        this.room(1);
        this.buf[this.off++] = 0x22;
        return;
      }
      buf[off++] = c;
      if (c === 0x22) buf[off++] = 0x22;
    }
    buf[off++] = 0x22;
    this.off = off;
  }
}

/** Values as binary COPY fields (a row writer's fixed columns). */
function encodeCopyFields(values: readonly SqlValue[], types: readonly CopyType[]): Buffer {
  const out = new CopyBytes();
  values.forEach((v, i) => out.field(v, types[i]!));
  return Buffer.concat(out.take());
}

/**
 * Values as a line of PostgreSQL COPY's CSV: null empty, strings quoted (the spec CopyText's
 * bytes are tested against). Built by hand, not by csv-stringify (src/util/csv-write.ts, the
 * tool's other CSV): this is the bulk import's hot loop, and csv-stringify took 1.6-3x as long
 * for the same bytes (1M rows, measured there).
 */
export function csvLine(values: readonly SqlValue[]): string {
  return values.map(csvField).join(',');
}

function csvField(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return v.includes('"') ? `"${v.replace(/"/g, '""')}"` : `"${v}"`;
}

/** Bytes of COPY text bulkInsert hands over at once (PostgreSQL). */
const PIECE_BYTES = 1 << 20;

class PgExecutor implements SqlExecutor {
  readonly provider = 'postgresql' as const;
  constructor(protected readonly client: pg.Pool | pg.PoolClient) {}

  async query<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const res = await this.client.query<T>(toPgPlaceholders(sql), params as SqlValue[]);
    return res.rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const res = await this.client.query(toPgPlaceholders(sql), params as SqlValue[]);
    return res.rowCount ?? 0;
  }

  async bulkInsert(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly SqlValue[]>,
  ): Promise<number> {
    if (!('release' in this.client)) {
      throw new Error('bulkInsert on PostgreSQL must run inside a transaction');
    }
    let n = 0;
    const iterator = rows[Symbol.iterator]();
    // The rows' CSV bytes written straight into pieces (CopyText: csvLine's bytes), handed over
    // every 2,000 rows or about 1 MB: a run's findings (some 20 MB of text for a national
    // enrollment) made a string per field, per line and per piece, then bytes again, and the
    // garbage raised the audit's peak.
    const source = Readable.from(
      (function* () {
        const csv = new CopyText();
        let inPiece = 0;
        for (let r = iterator.next(); !r.done; r = iterator.next()) {
          csv.row(r.value);
          n++;
          if (++inPiece === 2000 || csv.pending >= PIECE_BYTES) {
            yield* csv.take();
            inPiece = 0;
          }
        }
        yield* csv.take();
      })(),
    );
    const sink = this.client.query(
      copyFrom(
        `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN WITH (FORMAT csv)`,
      ),
    );
    await pipeline(source, sink);
    return n;
  }

  async rowWriter(
    table: string,
    columns: readonly string[],
    options?: RowWriterOptions,
  ): Promise<RowWriter> {
    if (!('release' in this.client)) {
      throw new Error('rowWriter on PostgreSQL must run inside a transaction');
    }
    const types = options?.binary;
    const fixedCols = Object.keys(options?.fixed ?? {});
    const all = [...columns, ...fixedCols];
    if (types && types.length !== all.length) {
      throw new Error(`rowWriter: ${all.length} columns but ${types.length} types`);
    }
    // The fixed columns' bytes, encoded once (per setFixed) and written after each row's own.
    let tail: Buffer | undefined;
    const encodeTail = (fixed: Readonly<Record<string, SqlValue>>): void => {
      if (fixedCols.length === 0) return;
      const values = fixedCols.map((c) => {
        if (!(c in fixed)) throw new Error(`rowWriter: no value for fixed column ${c}`);
        return fixed[c]!;
      });
      if (types) tail = encodeCopyFields(values, types.slice(columns.length));
      else {
        const t = new CopyText();
        t.row(values);
        const line = Buffer.concat(t.take()).subarray(0, -1); // without its line end
        tail = columns.length > 0 ? Buffer.concat([Buffer.from(','), line]) : line;
      }
    };
    encodeTail(options?.fixed ?? {});
    const format = types ? 'binary' : 'csv';
    const sink: Writable = this.client.query(
      copyFrom(
        `COPY ${ident(table)} (${all.map(ident).join(', ')}) FROM STDIN WITH (FORMAT ${format})`,
      ),
    );
    let failure: Error | null = null;
    sink.on('error', (e: Error) => {
      failure ??= e;
    });
    const check = (): void => {
      if (failure !== null) throw failure;
    };
    const csv = new CopyText();
    const bytes = new CopyBytes();
    // The binary format's signature, flags and header extension length.
    if (types) bytes.bytes(Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1'));
    let n = 0;
    const write = async (piece: string | Buffer): Promise<void> => {
      if (sink.write(piece)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          sink.off('drain', done);
          sink.off('close', done);
          sink.off('error', done);
          resolve();
        };
        sink.on('drain', done);
        sink.on('close', done);
        sink.on('error', done);
      });
    };
    const flush = async (): Promise<void> => {
      check();
      if (types) {
        for (const piece of bytes.take()) await write(piece);
      } else {
        for (const piece of csv.take()) await write(piece);
      }
      check();
    };
    // How rows are added; flush, end and abort are common.
    const width = all.length;
    const add: RowWriter['add'] = types
      ? (row) => {
          bytes.int16(width);
          for (let i = 0; i < row.length; i++) bytes.field(row[i]!, types[i]!);
          if (tail) bytes.bytes(tail);
          n++;
        }
      : (row) => {
          csv.row(row, tail);
          n++;
        };
    return {
      add,
      // (The rows added before keep the tail they were encoded with.)
      setFixed: encodeTail,
      flush,
      async end() {
        if (types) bytes.int16(-1); // the trailer
        await flush();
        sink.end();
        await finished(sink).catch((e: unknown) => {
          failure ??= e instanceof Error ? e : new Error(String(e));
        });
        check();
        return n;
      },
      async abort() {
        csv.take();
        bytes.take();
        if (sink.destroyed) return;
        // CopyFail: the server ends the COPY with an error and the connection takes queries.
        sink.destroy(new Error('import abandoned'));
        await finished(sink).catch(() => undefined);
      },
    };
  }
}

export class PgDriver extends PgExecutor implements SqlDriver {
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
