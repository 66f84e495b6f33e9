/**
 * Applies pending migrations itself: each `migration.sql` runs in ONE transaction together with
 * its `_prisma_migrations` row (same table, same columns and the same checksum as `prisma migrate
 * deploy` writes), so Prisma's CLI and this tool can migrate the same database in turn. Every
 * command calls ensureMigrated() (PostgreSQL) or migrateSqliteFile() (SQLite) before touching
 * data; one read of `_prisma_migrations` decides, and nothing else happens when the database is
 * current. The wasm schema engine (scripts/schema-engine.ts) only WRITES migrations
 * (`npm run db:migration`).
 *
 * Two processes starting at once are serialised: on PostgreSQL by the session advisory lock
 * `prisma migrate deploy` takes too, on SQLite by a lock file beside the database. A migration
 * that fails applied nothing and left no record: it stays pending. An applied migration whose
 * file was edited since (its checksum no longer matches, compared as Prisma does) stops every
 * command with a message naming it.
 *
 * A migration recorded as failed (started, never finished: left by `prisma migrate deploy` or by
 * an older version of this tool) is marked rolled back (`rolled_back_at`, as `prisma migrate
 * resolve --rolled-back` does) and applied again on PostgreSQL once the database shows none of
 * the objects it creates; otherwise it stops every command until an operator repairs it.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { SystemError } from '../errors.js';
import { projectRoot } from '../util/paths.js';
import { dbInstant, type SqlDriver, type SqliteDriver } from './sql.js';
import type { DatabaseTarget, Provider } from './url.js';

export function schemaPath(provider: Provider): string {
  return provider === 'sqlite'
    ? join(projectRoot, 'prisma', 'schema.prisma')
    : join(projectRoot, 'prisma', 'postgres', 'schema.prisma');
}

export function migrationsDir(provider: Provider): string {
  return provider === 'sqlite'
    ? join(projectRoot, 'prisma', 'migrations')
    : join(projectRoot, 'prisma', 'postgres', 'migrations');
}

export function listMigrationNames(provider: Provider): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

/** One migration folder's SQL. */
export interface Migration {
  /** The folder name, as recorded in `_prisma_migrations.migration_name`. */
  name: string;
  script: string;
  /** What Prisma records: sha256 of the file's bytes, 64 lower-case hex digits. */
  checksum: string;
}

export function migrationChecksum(script: string | Uint8Array): string {
  return createHash('sha256').update(script).digest('hex');
}

/** The provider's migrations, oldest first (folder names sort by their timestamp). */
export function readMigrations(provider: Provider): Migration[] {
  const dir = migrationsDir(provider);
  return listMigrationNames(provider).map((name) => {
    const bytes = readFileSync(join(dir, name, 'migration.sql'));
    return { name, script: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
  });
}

/**
 * Whether a script matches a recorded checksum, as Prisma's engine decides it: with the file's
 * line endings as they are, or turned from CRLF to LF, or from LF to CRLF (git may rewrite them);
 * and a recorded checksum that is not 64 characters long was written by old Prisma versions
 * without zero-padding each byte.
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const legacy = recorded.length !== 0 && recorded.length !== 64;
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')].some((s) => {
    const digest = createHash('sha256').update(s).digest();
    const text = legacy ? [...digest].map((b) => b.toString(16)).join('') : digest.toString('hex');
    return text === recorded;
  });
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  /** Applied in the database but not in this tool's migrations folder (a newer tool's?). */
  unknown: string[];
  /** Applied, but the file has been edited since (its checksum differs from the recorded one). */
  edited: string[];
}

async function hasMigrationsTable(sql: SqlDriver): Promise<boolean> {
  const rows =
    sql.provider === 'sqlite'
      ? await sql.query(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
        )
      : await sql.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'",
        );
  return rows.length > 0;
}

export async function readMigrationStatus(
  sql: SqlDriver,
  migrations: readonly Migration[] = readMigrations(sql.provider),
): Promise<MigrationStatus> {
  const known = migrations.map((m) => m.name);
  if (!(await hasMigrationsTable(sql))) {
    return { applied: [], pending: known, failed: [], unknown: [], edited: [] };
  }
  const rows = await sql.query<{
    migration_name: string;
    checksum: string;
    finished_at: unknown;
    rolled_back_at: unknown;
  }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations');
  const done = rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null);
  const applied = new Set(done.map((r) => r.migration_name));
  const failed = rows
    .filter((r) => r.finished_at === null && r.rolled_back_at === null)
    .map((r) => r.migration_name);
  const edited = new Set(
    migrations
      .filter((m) =>
        done.some((r) => r.migration_name === m.name && !checksumMatches(m.script, r.checksum)),
      )
      .map((m) => m.name),
  );
  return {
    applied: known.filter((n) => applied.has(n)),
    pending: known.filter((n) => !applied.has(n)),
    failed,
    unknown: [...applied].filter((n) => !known.includes(n)).sort(),
    edited: known.filter((n) => edited.has(n)),
  };
}

function editedError(target: DatabaseTarget, names: readonly string[]): SystemError {
  const dir = migrationsDir(target.provider);
  const files = names.map((n) => join(dir, n, 'migration.sql')).join(', ');
  return new SystemError(
    `migration ${names.join(', ')} was edited after it was applied to ${target.display}: ${files} no longer matches the checksum recorded in _prisma_migrations. Put the file back as it was applied (a change to the schema goes in a new migration: npm run db:migration), then rerun`,
  );
}

/** An object a migration script creates, as found in its SQL. */
export interface CreatedObject {
  kind: 'relation' | 'type' | 'column' | 'constraint';
  /** Explicit schema, or null for the connection's current schema. */
  schema: string | null;
  name: string;
  /** The table of a column or constraint. */
  table?: string;
}

// An identifier, quoted ("Name") or not (name, folded to lower case), optionally schema-qualified.
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QNAME = String.raw`(?:(${IDENT})\s*\.\s*)?(${IDENT})`;
const QUOTED = String.raw`"(?:[^"]|"")+"`;
const NOT_IF_EXISTS = String.raw`(?!IF\s+NOT\s+EXISTS\b)`;

function unquote(id: string): string {
  return id.startsWith('"') ? id.slice(1, -1).replace(/""/g, '"') : id.toLowerCase();
}

/**
 * The tables, indexes, sequences, views, types, columns and constraints a migration script
 * creates (the SQL Prisma generates). `IF NOT EXISTS` creations are left out: such an object may
 * have been there before. Used to tell whether a failed migration left anything behind.
 */
export function createdObjects(script: string): CreatedObject[] {
  const sql = script.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const out: CreatedObject[] = [];
  const relation = new RegExp(
    String.raw`\bCREATE\s+(?:UNIQUE\s+|UNLOGGED\s+|MATERIALIZED\s+)?(?:TABLE|INDEX|SEQUENCE|VIEW)\s+(?:CONCURRENTLY\s+)?${NOT_IF_EXISTS}(?!ON\s)${QNAME}`,
    'gi',
  );
  for (const m of sql.matchAll(relation)) {
    out.push({ kind: 'relation', schema: m[1] ? unquote(m[1]) : null, name: unquote(m[2]!) });
  }
  for (const m of sql.matchAll(new RegExp(String.raw`\bCREATE\s+TYPE\s+${QNAME}`, 'gi'))) {
    out.push({ kind: 'type', schema: m[1] ? unquote(m[1]) : null, name: unquote(m[2]!) });
  }
  const alter = new RegExp(
    String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QNAME}([^;]*)`,
    'gi',
  );
  for (const m of sql.matchAll(alter)) {
    const schema = m[1] ? unquote(m[1]) : null;
    const table = unquote(m[2]!);
    const body = m[3] ?? '';
    // ADD COLUMN "c" (Prisma's form), or ADD "c"; not ADD CONSTRAINT / PRIMARY KEY / UNIQUE ...
    const column = new RegExp(
      String.raw`\bADD\s+(?:COLUMN\s+${NOT_IF_EXISTS}(${IDENT})|(${QUOTED}))`,
      'gi',
    );
    for (const c of body.matchAll(column)) {
      out.push({ kind: 'column', schema, table, name: unquote((c[1] ?? c[2])!) });
    }
    const constraint = new RegExp(String.raw`\bADD\s+CONSTRAINT\s+(${IDENT})`, 'gi');
    for (const c of body.matchAll(constraint)) {
      out.push({ kind: 'constraint', schema, table, name: unquote(c[1]!) });
    }
  }
  return out;
}

function describeObject(o: CreatedObject): string {
  const q = (n: string): string => (o.schema ? `${o.schema}.${n}` : n);
  switch (o.kind) {
    case 'relation':
      return q(o.name);
    case 'type':
      return `type ${q(o.name)}`;
    case 'column':
      return `column ${q(o.table ?? '?')}.${o.name}`;
    case 'constraint':
      return `constraint ${o.name} on ${q(o.table ?? '?')}`;
  }
}

/** Which of `objects` exist in the PostgreSQL database (described for a message). */
async function existingPgObjects(sql: SqlDriver, objects: CreatedObject[]): Promise<string[]> {
  const found: string[] = [];
  for (const o of objects) {
    const schema = o.schema;
    let rows: unknown[];
    if (o.kind === 'relation') {
      rows = await sql.query(
        'SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(?, current_schema()) AND c.relname = ?',
        [schema, o.name],
      );
    } else if (o.kind === 'type') {
      rows = await sql.query(
        'SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = COALESCE(?, current_schema()) AND t.typname = ?',
        [schema, o.name],
      );
    } else if (o.kind === 'column') {
      rows = await sql.query(
        'SELECT 1 FROM information_schema.columns WHERE table_schema = COALESCE(?, current_schema()) AND table_name = ? AND column_name = ?',
        [schema, o.table ?? '', o.name],
      );
    } else {
      rows = await sql.query(
        'SELECT 1 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(?, current_schema()) AND c.relname = ? AND k.conname = ?',
        [schema, o.table ?? '', o.name],
      );
    }
    if (rows.length > 0) found.push(describeObject(o));
  }
  return found;
}

/** A migration recorded as failed, and whether it can simply be applied again. */
export interface FailedMigrationCheck {
  name: string;
  /** True when it provably applied nothing (PostgreSQL only): it is retried. */
  nothingApplied: boolean;
  /** Why not, for the message: what it left behind, or why that cannot be told. */
  detail: string | null;
}

/**
 * Looks at each failed migration (started, never finished, not rolled back). This tool never
 * leaves one (a migration and its row commit together); `prisma migrate deploy` and older
 * versions of this tool record the start first. On PostgreSQL they run a script as one
 * transaction, so a failure - an SQL error, a cut connection - rolled all of it back; the one
 * exception is a connection lost just after COMMIT and before the success was recorded. So a
 * failed migration counts as having applied nothing when its row says no step was applied AND
 * none of the objects its SQL creates exist. On SQLite Prisma does not run the script as one
 * transaction: a failed migration always needs the operator.
 */
export async function checkFailedMigrations(sql: SqlDriver): Promise<FailedMigrationCheck[]> {
  const status = await readMigrationStatus(sql);
  if (status.failed.length === 0) return [];
  const rows = await sql.query<{ migration_name: string; applied_steps_count: unknown }>(
    'SELECT migration_name, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL',
  );
  const dir = migrationsDir(sql.provider);
  const known = new Set(listMigrationNames(sql.provider));
  const checks: FailedMigrationCheck[] = [];
  for (const name of [...new Set(status.failed)]) {
    const no = (detail: string): FailedMigrationCheck => ({ name, nothingApplied: false, detail });
    if (sql.provider !== 'postgresql') {
      checks.push({ name, nothingApplied: false, detail: null });
      continue;
    }
    const steps = rows
      .filter((r) => r.migration_name === name)
      .map((r) => Number(r.applied_steps_count));
    if (steps.some((n) => n !== 0)) {
      checks.push(no('its record says some of it was applied'));
      continue;
    }
    if (!known.has(name)) {
      checks.push(no('this version of the tool does not have its SQL'));
      continue;
    }
    const objects = createdObjects(readFileSync(join(dir, name, 'migration.sql'), 'utf8'));
    if (objects.length === 0) {
      checks.push(no('it creates no object by which to tell whether it was applied'));
      continue;
    }
    const found = await existingPgObjects(sql, objects);
    if (found.length > 0) {
      const shown =
        found.slice(0, 5).join(', ') + (found.length > 5 ? `, and ${found.length - 5} more` : '');
      checks.push(no(`it left ${shown} behind`));
      continue;
    }
    checks.push({ name, nothingApplied: true, detail: null });
  }
  return checks;
}

function failedEarlier(target: DatabaseTarget, checks: FailedMigrationCheck[]): SystemError {
  const details = checks.filter((c) => c.detail).map((c) => `${c.name}: ${c.detail}`);
  return new SystemError(
    `migration ${checks.map((c) => c.name).join(', ')} failed earlier in ${target.display}${details.length ? ` (${details.join('; ')})` : ''}; restore the database from a backup or fix it by hand, then rerun`,
  );
}

/**
 * Under the migration lock: a failed migration that applied nothing is marked rolled back (so
 * it is applied again); any other failed migration stops here with a message naming it.
 * Returns the names marked rolled back.
 */
async function releaseFailedMigrations(target: DatabaseTarget, sql: SqlDriver): Promise<string[]> {
  const checks = await checkFailedMigrations(sql);
  if (checks.length === 0) return [];
  const stuck = checks.filter((c) => !c.nothingApplied);
  if (stuck.length > 0) throw failedEarlier(target, stuck);
  for (const c of checks) {
    await sql.run(
      'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ? AND finished_at IS NULL AND rolled_back_at IS NULL AND applied_steps_count = 0',
      [c.name],
    );
  }
  return checks.map((c) => c.name);
}

async function withSqliteMigrationLock<T>(dbFile: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = `${dbFile}.migrate-lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        // A lock left by a killed process: older than two minutes is stale.
        if (Date.now() - statSync(lockFile).mtimeMs > 120_000) unlinkSync(lockFile);
      } catch {
        /* removed meanwhile */
      }
      if (Date.now() > deadline) {
        throw new SystemError(
          `another process has been migrating ${dbFile} for too long (${lockFile})`,
        );
      }
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  }
}

// The session advisory lock `prisma migrate deploy` takes (key 72707369): the two never
// migrate at once.
const LOCK = 'SELECT pg_advisory_lock(72707369)';
const UNLOCK = 'SELECT pg_advisory_unlock(72707369)';

/** Runs fn on one pooled connection holding the migration lock. */
async function withPgMigrationLock<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(LOCK);
    return await fn(client);
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    await client.query(UNLOCK).catch(() => undefined);
    // A connection that failed is not handed out again.
    client.release(broken);
  }
}

// The migrations table exactly as Prisma's engine creates it, per provider.
const PG_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** A migration script's own error (not a lost connection), named for the operator. */
function scriptFailed(target: DatabaseTarget, m: Migration, err: unknown): SystemError {
  const message = err instanceof Error ? err.message : String(err);
  return new SystemError(
    `migration ${m.name} failed on ${target.display}: ${message}. Nothing of it was applied (a migration and its record are one transaction); fix the cause, then rerun`,
    { cause: err },
  );
}

/** An error the server raised for a statement, not a lost connection (SQLSTATE classes 08, 57). */
function isStatementError(err: unknown): boolean {
  return err instanceof pg.DatabaseError && !/^(?:08|57)/.test(err.code ?? '');
}

/**
 * PostgreSQL: one transaction per migration: its row (as Prisma records a started migration),
 * the script sent as one simple query (the protocol that allows many statements in one call),
 * then the row marked finished, and COMMIT. A failure rolls all of it back.
 */
async function applyPg(
  target: DatabaseTarget,
  client: pg.PoolClient,
  pending: readonly Migration[],
): Promise<string[]> {
  // The URL's schema (a plain identifier: parseDatabaseUrl checks it) may not exist yet.
  const schema = target.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema))
    throw new Error(`not a plain schema name: ${schema}`);
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.query(PG_MIGRATIONS_TABLE);
  const applied: string[] = [];
  for (const m of pending) {
    const id = randomUUID();
    await client.query('BEGIN');
    try {
      await client.query(
        'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, m.checksum, m.name],
      );
      try {
        await client.query(m.script);
      } catch (err) {
        throw isStatementError(err) ? scriptFailed(target, m, err) : err;
      }
      await client.query(
        'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    applied.push(m.name);
  }
  return applied;
}

/**
 * SQLite: the same, with foreign keys off around the transaction and checked before COMMIT, as
 * SQLite's documented procedure for schema changes has it: a migration that rebuilds a table
 * (Prisma's "RedefineTables") must not cascade deletes into the tables that reference it, and
 * its own `PRAGMA foreign_keys` lines do nothing inside a transaction.
 */
async function applySqlite(
  target: DatabaseTarget,
  conn: SqliteDriver,
  pending: readonly Migration[],
): Promise<string[]> {
  conn.exec(SQLITE_MIGRATIONS_TABLE);
  const now = (): string => dbInstant('sqlite', new Date().toISOString());
  const applied: string[] = [];
  for (const m of pending) {
    const id = randomUUID();
    conn.exec('PRAGMA foreign_keys = OFF');
    conn.exec('BEGIN IMMEDIATE');
    try {
      await conn.run(
        'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)',
        [id, m.checksum, m.name, now()],
      );
      try {
        conn.exec(m.script);
        const broken = await conn.query<{ table: string; parent: string }>(
          'PRAGMA foreign_key_check',
        );
        if (broken.length > 0) {
          const first = broken[0]!;
          throw new Error(
            `it leaves ${broken.length} row(s) whose foreign key points nowhere (first: ${first.table} -> ${first.parent})`,
          );
        }
      } catch (err) {
        throw scriptFailed(target, m, err);
      }
      await conn.run(
        'UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?',
        [now(), id],
      );
      conn.exec('COMMIT');
    } catch (err) {
      try {
        conn.exec('ROLLBACK');
      } catch {
        /* SQLite rolled back already */
      }
      throw err;
    } finally {
      conn.exec('PRAGMA foreign_keys = ON');
    }
    applied.push(m.name);
  }
  return applied;
}

function pendingOf(migrations: readonly Migration[], status: MigrationStatus): Migration[] {
  const pending = new Set(status.pending);
  return migrations.filter((m) => pending.has(m.name));
}

export interface EnsureMigratedResult {
  applied: string[];
  /** Failed earlier having applied nothing: marked rolled back and applied again. */
  retried?: string[];
}

/**
 * PostgreSQL: applies what is pending, under the advisory lock. `migrations` defaults to the
 * provider's migrations folder (tests pass their own list).
 */
export async function ensureMigrated(options: {
  target: DatabaseTarget;
  sql: SqlDriver;
  pool?: pg.Pool;
  migrations?: readonly Migration[];
}): Promise<EnsureMigratedResult> {
  const { target, sql, pool } = options;
  if (target.provider !== 'postgresql' || !pool) {
    throw new Error('ensureMigrated is for PostgreSQL (with its pool); see migrateSqliteFile');
  }
  const migrations = options.migrations ?? readMigrations(target.provider);
  const status = await readMigrationStatus(sql, migrations);
  if (status.edited.length > 0) throw editedError(target, status.edited);
  if (status.pending.length === 0 && status.failed.length === 0) return { applied: [] };
  let retried: string[] = [];
  const applied = await withPgMigrationLock(pool, async (client) => {
    // Another process may have finished (or retried a failed migration) while we waited.
    retried = await releaseFailedMigrations(target, sql);
    const again = await readMigrationStatus(sql, migrations);
    if (again.edited.length > 0) throw editedError(target, again.edited);
    if (again.pending.length === 0) return [];
    return applyPg(target, client, pendingOf(migrations, again));
  });
  return retried.length > 0 ? { applied, retried } : { applied };
}

/**
 * SQLite: checks and migrates on a connection of its own (closed afterwards), under the lock
 * file. A migration recorded as failed (by `prisma migrate deploy`, which does not run a SQLite
 * script as one transaction, or by an older version of this tool) stops here: what it did is
 * not known.
 */
export async function migrateSqliteFile(options: {
  target: DatabaseTarget;
  open: () => SqliteDriver;
  migrations?: readonly Migration[];
}): Promise<EnsureMigratedResult> {
  const { target } = options;
  const migrations = options.migrations ?? readMigrations(target.provider);
  const conn = options.open();
  try {
    const first = await readMigrationStatus(conn, migrations);
    if (first.edited.length > 0) throw editedError(target, first.edited);
    if (first.pending.length === 0 && first.failed.length === 0) return { applied: [] };
    const applied = await withSqliteMigrationLock(target.filePath ?? '', async () => {
      const again = await readMigrationStatus(conn, migrations);
      if (again.edited.length > 0) throw editedError(target, again.edited);
      if (again.failed.length > 0) {
        throw failedEarlier(
          target,
          again.failed.map((name) => ({ name, nothingApplied: false, detail: null })),
        );
      }
      if (again.pending.length === 0) return [];
      return applySqlite(target, conn, pendingOf(migrations, again));
    });
    return { applied };
  } finally {
    await conn.close();
  }
}
