/**
 * Opens the database named by a URL with its raw SQL driver (src/db/sql.ts: every query of the
 * tool); applies pending migrations and reference data. The Prisma client is not loaded here:
 * it is the tests' independent reader (docs/decisions/0001-prisma-role.md).
 * Nothing outside src/db/ sees which provider it is.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { faultPoint, faultsArmed } from '../config/fault.js';
import { SystemError } from '../errors.js';
import { ensureMigrated, migrateSqliteFile } from './migrate.js';
import { seedReferenceData } from './seed-reference.js';
import {
  PgDriver,
  SqliteDriver,
  type SqlDriver,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
  type RowWriter,
  type RowWriterOptions,
} from './sql.js';
import {
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  redactSecrets,
  type DatabaseTarget,
} from './url.js';

export interface Db {
  target: DatabaseTarget;
  sql: SqlDriver;
  /** PostgreSQL only: the shared pool (locks, migrations). */
  pool?: pg.Pool;
  /** Opened read-only (options.readOnlyOk and the SQLite file cannot be written). */
  readOnly?: boolean;
  close(): Promise<void>;
}

const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;
const DATE_OID = 1082;

/** Raw queries get timestamps as text, read as UTC (pg's default reads them in local time). */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_OID || oid === TIMESTAMPTZ_OID || oid === DATE_OID) {
      return (value: string) => value;
    }
    return (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format);
  },
};

export function describeConnectionError(target: DatabaseTarget, err: unknown): SystemError {
  const code = (err as { code?: string }).code;
  const detail = redactSecrets(err instanceof Error ? err.message : String(err));
  if (target.provider === 'postgresql') {
    const hint =
      code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT'
        ? 'is the server running and reachable?'
        : code === '3D000'
          ? 'the database does not exist'
          : code === '28P01' || code === '28000'
            ? 'authentication failed'
            : 'connection failed';
    return new SystemError(
      `cannot use PostgreSQL at ${target.host ?? '?'} (${target.display}): ${hint} [${code ?? 'error'}: ${detail}]`,
      { cause: err },
    );
  }
  return new SystemError(
    `cannot open SQLite database ${target.filePath ?? target.url}: ${detail}`,
    {
      cause: err,
    },
  );
}

/** Test-only (src/config/fault.ts): the bulk, commit and committed fault points. */
class FaultyExecutor implements SqlExecutor {
  /** Tables this executor wrote to (bulk inserts, INSERT / UPDATE / DELETE statements). */
  readonly written = new Set<string>();
  constructor(private readonly inner: SqlExecutor) {}
  get provider(): SqlExecutor['provider'] {
    return this.inner.provider;
  }
  private note(sql: string): void {
    const m = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][A-Za-z0-9_.]*)/i.exec(sql);
    if (m) this.written.add(m[1]!);
  }
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    this.note(sql);
    return this.inner.query<T>(sql, params);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.note(sql);
    return this.inner.run(sql, params);
  }
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly SqlValue[]>,
  ): Promise<number> {
    this.written.add(table);
    return this.inner.bulkInsert(
      table,
      columns,
      (function* () {
        for (const row of rows) {
          faultPoint(`bulk:${table}`);
          faultPoint('bulk:*');
          yield row;
        }
      })(),
    );
  }
  async rowWriter(
    table: string,
    columns: readonly string[],
    options?: RowWriterOptions,
  ): Promise<RowWriter> {
    this.written.add(table);
    // (Only add() is passed on: fault points are checked row by row.)
    const inner = await this.inner.rowWriter(table, columns, options);
    return {
      add(row) {
        faultPoint(`bulk:${table}`);
        faultPoint('bulk:*');
        inner.add(row);
      },
      setFixed: (fixed) => inner.setFixed(fixed),
      flush: () => inner.flush(),
      end: () => inner.end(),
      abort: () => inner.abort(),
    };
  }
}

class FaultyDriver extends FaultyExecutor implements SqlDriver {
  constructor(private readonly driver: SqlDriver) {
    super(driver);
  }
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let tables = new Set<string>();
    const result = await this.driver.transaction(async (tx) => {
      const faulty = new FaultyExecutor(tx);
      const r = await fn(faulty);
      tables = faulty.written;
      for (const t of tables) faultPoint(`commit:${t}`);
      return r;
    });
    for (const t of tables) faultPoint(`committed:${t}`);
    return result;
  }
  close(): Promise<void> {
    return this.driver.close();
  }
}

function withFaults(driver: SqlDriver): SqlDriver {
  return faultsArmed() ? new FaultyDriver(driver) : driver;
}

const CONNECTION_LOSS_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when an error (or one of its causes) says the database connection went away. */
export function isConnectionLoss(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e !== null && e !== undefined && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_LOSS_CODES.has(code)) return true;
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
    if (
      /Connection terminated|connection (?:is )?(?:closed|lost)|server closed the connection|terminating connection|Can't reach database server|connection error/i.test(
        message,
      )
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A lost PostgreSQL connection, named by host (never the password), as a SystemError. */
export function describeConnectionLoss(
  target: DatabaseTarget,
  err: unknown,
  /** Steps this command already stored for good (they are kept). */
  committed: readonly string[] = [],
): SystemError {
  const detail = redactSecrets(err instanceof Error ? err.message : String(err));
  const kept =
    committed.length > 0
      ? `already stored and kept: ${committed.join('; ')}; the step under way was not recorded`
      : 'nothing of this step was recorded as done';
  return new SystemError(
    `lost the connection to PostgreSQL at ${target.host ?? '?'} (${target.display}): is the server running and reachable? ${kept} [${detail}]`,
    { cause: err },
  );
}

export async function openDatabase(
  options: {
    url?: string;
    migrate?: boolean;
    cwd?: string;
    /**
     * The command only reads (history, show, report, db status): a SQLite file that cannot be
     * written (read-only media, no write permission on it or its folder) is opened read-only,
     * without migrating; it must then be at the current schema.
     */
    readOnlyOk?: boolean;
  } = {},
): Promise<Db> {
  const target = parseDatabaseUrl(options.url ?? DEFAULT_DATABASE_URL, options.cwd);
  const migrate = options.migrate ?? true;
  if (target.provider === 'sqlite' && options.readOnlyOk && !writable(target.filePath!)) {
    return openSqliteReadOnly(target, migrate);
  }
  if (target.provider === 'sqlite') {
    const file = target.filePath!;
    let sql: SqliteDriver;
    try {
      mkdirSync(dirname(file), { recursive: true });
      if (migrate) {
        // Checked and migrated on a short-lived connection of its own, under the lock file.
        await migrateSqliteFile({ target, open: () => SqliteDriver.open(file) });
      }
      sql = SqliteDriver.open(file);
    } catch (err) {
      if (err instanceof SystemError) throw err;
      throw describeConnectionError(target, err);
    }
    const db: Db = {
      target,
      sql: withFaults(sql),
      close: () => sql.close(),
    };
    await prepare(db, false);
    if (migrate) await seed(db);
    return db;
  }

  const pool = new pg.Pool({
    connectionString: target.url.replace(/([?&])schema=[^&]*&?/, '$1').replace(/[?&]$/, ''),
    max: 4,
    connectionTimeoutMillis: 10_000,
    options: `-c search_path=${target.schema ?? 'public'}`,
    types: pgTypes,
  });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  // A client checked out of the pool (the batch lock's, a transaction's) emits 'error' when the
  // server goes away; with no listener that would crash the process (exit 1, "non-compliant").
  // The error reaches the caller anyway, as the rejection of its pending or next query.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw describeConnectionError(target, err);
  }
  const sql = new PgDriver(pool);
  const db: Db = {
    target,
    sql: withFaults(sql),
    pool,
    close: () => sql.close(),
  };
  await prepare(db, migrate);
  return db;
}

/** False when the SQLite file exists but it or its folder cannot be written. */
function writable(file: string): boolean {
  if (!existsSync(file)) return true;
  try {
    accessSync(file, constants.W_OK);
    accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function openSqliteReadOnly(target: DatabaseTarget, migrate: boolean): Promise<Db> {
  const file = target.filePath!;
  let sql: SqliteDriver;
  try {
    sql = SqliteDriver.openReadOnly(file);
  } catch (err) {
    throw describeConnectionError(target, err);
  }
  const db: Db = { target, sql, readOnly: true, close: () => sql.close() };
  if (migrate) {
    const { readMigrationStatus } = await import('./migrate.js');
    const status = await readMigrationStatus(sql).catch(async (err: unknown) => {
      await sql.close();
      throw describeConnectionError(target, err);
    });
    if (status.pending.length > 0) {
      await sql.close();
      throw new SystemError(
        `SQLite database ${file} is read-only and needs ${status.pending.length} migration(s) this version applies (${status.pending.join(', ')}); read a writable copy of it`,
      );
    }
  }
  return db;
}

async function seed(db: Db): Promise<void> {
  try {
    await seedReferenceData({ sql: db.sql });
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err instanceof SystemError ? err : describeConnectionError(db.target, err);
  }
}

async function prepare(db: Db, migrate: boolean): Promise<void> {
  if (!migrate) return;
  try {
    await ensureMigrated({ target: db.target, sql: db.sql, ...(db.pool ? { pool: db.pool } : {}) });
    await seedReferenceData({ sql: db.sql });
  } catch (err) {
    await db.close().catch(() => undefined);
    if (err instanceof SystemError) throw err;
    throw describeConnectionError(db.target, err);
  }
}
