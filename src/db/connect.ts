/**
 * Opens the database named by a URL: a Prisma client for queries and a raw SQL driver for the
 * bulk paths, both on the same database; applies pending migrations and reference data.
 * Nothing outside src/db/ sees which provider it is.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { faultPoint, faultsArmed } from '../config/fault.js';
import { SystemError } from '../errors.js';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';
import { ensureMigrated, migrateSqliteFile } from './migrate.js';
import { seedReferenceData } from './seed-reference.js';
import {
  PgDriver,
  SqliteDriver,
  type SqlDriver,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
} from './sql.js';
import {
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  redactSecrets,
  type DatabaseTarget,
} from './url.js';

/**
 * The SQLite client's type is the common subset of both generated clients (PostgreSQL only adds
 * options such as `mode: 'insensitive'`), so the PostgreSQL client is typed as it.
 */
export type Prisma = SqliteClient;

export interface Db {
  target: DatabaseTarget;
  prisma: Prisma;
  sql: SqlDriver;
  /** PostgreSQL only: the shared pool (locks, migrations). */
  pool?: pg.Pool;
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
  readonly bulkTables = new Set<string>();
  constructor(private readonly inner: SqlExecutor) {}
  get provider(): SqlExecutor['provider'] {
    return this.inner.provider;
  }
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.inner.run(sql, params);
  }
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly SqlValue[]>,
  ): Promise<number> {
    this.bulkTables.add(table);
    return this.inner.bulkInsert(
      table,
      columns,
      (function* () {
        for (const row of rows) {
          faultPoint(`bulk:${table}`);
          yield row;
        }
      })(),
    );
  }
}

class FaultyDriver extends FaultyExecutor implements SqlDriver {
  constructor(private readonly driver: SqlDriver) {
    super(driver);
  }
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let tables: Set<string> = new Set();
    const result = await this.driver.transaction(async (tx) => {
      const faulty = new FaultyExecutor(tx);
      const r = await fn(faulty);
      tables = faulty.bulkTables;
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

function withFaults<T extends SqlDriver>(driver: T): SqlDriver {
  return faultsArmed() ? new FaultyDriver(driver) : driver;
}

export async function openDatabase(
  options: { url?: string; migrate?: boolean; cwd?: string } = {},
): Promise<Db> {
  const target = parseDatabaseUrl(options.url ?? DEFAULT_DATABASE_URL, options.cwd);
  const migrate = options.migrate ?? true;
  if (target.provider === 'sqlite') {
    const file = target.filePath!;
    let sql: SqliteDriver;
    try {
      mkdirSync(dirname(file), { recursive: true });
      if (migrate) {
        // The schema engine needs the file to itself while it migrates (its SQLite connection
        // gets SQLITE_BUSY otherwise): check and migrate with a short-lived connection first.
        await migrateSqliteFile({ target, open: () => SqliteDriver.open(file) });
      }
      sql = SqliteDriver.open(file);
    } catch (err) {
      if (err instanceof SystemError) throw err;
      throw describeConnectionError(target, err);
    }
    const prisma = new SqliteClient({
      adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 15_000 }),
    });
    const db: Db = {
      target,
      prisma,
      sql: withFaults(sql),
      close: async () => {
        await prisma.$disconnect();
        await sql.close();
      },
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
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw describeConnectionError(target, err);
  }
  const prisma = new PostgresClient({
    adapter: new PrismaPg(pool, { schema: target.schema ?? 'public' }),
  }) as unknown as Prisma;
  const sql = new PgDriver(pool);
  const db: Db = {
    target,
    prisma,
    sql: withFaults(sql),
    pool,
    close: async () => {
      await prisma.$disconnect();
      await sql.close();
    },
  };
  await prepare(db, migrate);
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
