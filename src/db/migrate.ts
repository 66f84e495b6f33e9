/**
 * Applies pending migrations with the wasm schema engine. Every command calls ensureMigrated()
 * before touching data; a fast check skips the engine when the database is current. Two
 * processes starting at once are serialised: an advisory lock on PostgreSQL, a lock file beside
 * the SQLite database. A database migrated earlier by `prisma migrate deploy` has the same
 * `_prisma_migrations` table and is accepted as is.
 *
 * On PostgreSQL each migration script runs as one transaction (see atomicScripts), so a
 * migration that failed - the connection was cut, the server went down - applied nothing. Such a
 * failed migration is marked rolled back (`rolled_back_at`, as `prisma migrate resolve
 * --rolled-back` does) and applied again, once the database shows none of the objects it creates;
 * one that did leave something behind still stops every command until an operator repairs it.
 */
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import type pg from 'pg';
import { SystemError } from '../errors.js';
import { projectRoot } from '../util/paths.js';
import { startSchemaEngine } from './schema-engine.js';
import type { SqlDriver } from './sql.js';
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

export function loadMigrationList(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: listMigrationNames(provider).map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  /** Applied in the database but not in this tool's migrations folder (a newer tool's?). */
  unknown: string[];
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

export async function readMigrationStatus(sql: SqlDriver): Promise<MigrationStatus> {
  const known = listMigrationNames(sql.provider);
  if (!(await hasMigrationsTable(sql))) {
    return { applied: [], pending: known, failed: [], unknown: [] };
  }
  const rows = await sql.query<{
    migration_name: string;
    finished_at: unknown;
    rolled_back_at: unknown;
  }>('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations');
  const applied = new Set(
    rows
      .filter((r) => r.finished_at !== null && r.rolled_back_at === null)
      .map((r) => r.migration_name),
  );
  const failed = rows
    .filter((r) => r.finished_at === null && r.rolled_back_at === null)
    .map((r) => r.migration_name);
  return {
    applied: known.filter((n) => applied.has(n)),
    pending: known.filter((n) => !applied.has(n)),
    failed,
    unknown: [...applied].filter((n) => !known.includes(n)).sort(),
  };
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
 * Looks at each failed migration (started, never finished, not rolled back). On PostgreSQL a
 * migration script runs as one transaction (atomicScripts), so a failure - an SQL error, a cut
 * connection - rolls all of it back; the one exception is a connection lost just after COMMIT and
 * before the engine recorded success. So a failed migration counts as having applied nothing when
 * its row says no step was applied AND none of the objects its SQL creates exist. On SQLite the
 * script is not run as one transaction: a failed migration always needs the operator.
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
 * the engine applies it again); any other failed migration stops here with a message naming it.
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

async function withPgMigrationLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274001)');
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274001)').catch(() => undefined);
    client.release();
  }
}

/**
 * The PostgreSQL adapter's executeScript splits a migration on `;` and sends each statement on
 * its own, outside any transaction: a migration cut off half-way stayed half applied. This sends
 * the whole script as one simple query instead (no parameters: node-postgres then uses the simple
 * query protocol, on one pooled connection), which PostgreSQL runs as a single implicit
 * transaction - as `prisma migrate deploy` does. A failed migration then applied nothing.
 */
export function atomicScripts(
  base: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  const atomic = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string): Promise<void> => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => atomic(await base.connect()),
    connectToShadowDb: async () => atomic(await base.connectToShadowDb()),
  };
}

/** Runs fn with a schema engine on the database; always frees it and its connections. */
async function withEngine<T>(
  target: DatabaseTarget,
  pool: pg.Pool | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  // The adapters load only when an engine is needed (migrating, diagnosing), not per command.
  const factory =
    target.provider === 'sqlite'
      ? new (await import('@prisma/adapter-better-sqlite3')).PrismaBetterSqlite3({
          url: `file:${target.filePath ?? ''}`,
        })
      : atomicScripts(
          new (await import('@prisma/adapter-pg')).PrismaPg(pool!, {
            schema: target.schema ?? 'public',
          }),
        );
  const path = schemaPath(target.provider);
  const started = await startSchemaEngine({
    factory,
    datamodels: [[path, readFileSync(path, 'utf8')]],
  });
  try {
    return await fn(started.engine);
  } finally {
    await started.stop();
  }
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Runs the schema engine against the database and applies what is pending. */
async function applyWithEngine(
  target: DatabaseTarget,
  pool: pg.Pool | undefined,
): Promise<string[]> {
  return withEngine(target, pool, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList: loadMigrationList(target.provider),
      filters: NO_FILTERS,
    });
    return out.appliedMigrationNames;
  });
}

export interface EnsureMigratedResult {
  applied: string[];
  /** Failed earlier having applied nothing: marked rolled back and applied again. */
  retried?: string[];
}

export async function ensureMigrated(options: {
  target: DatabaseTarget;
  sql: SqlDriver;
  pool?: pg.Pool;
}): Promise<EnsureMigratedResult> {
  const { target, sql, pool } = options;
  const status = await readMigrationStatus(sql);
  if (status.pending.length === 0 && status.failed.length === 0) return { applied: [] };
  let retried: string[] = [];
  const run = async (): Promise<string[]> => {
    // Another process may have finished (or retried a failed migration) while we waited.
    retried = await releaseFailedMigrations(target, sql);
    const again = await readMigrationStatus(sql);
    if (again.pending.length === 0) return [];
    return applyWithEngine(target, pool);
  };
  const applied =
    target.provider === 'sqlite'
      ? await withSqliteMigrationLock(target.filePath ?? '', run)
      : await withPgMigrationLock(pool!, run);
  return retried.length > 0 ? { applied, retried } : { applied };
}

/**
 * SQLite: the whole check-and-migrate runs under the lock file, with no connection of this
 * process open while the engine works (the engine's own connection must have the file to itself).
 */
export async function migrateSqliteFile(options: {
  target: DatabaseTarget;
  open: () => SqlDriver;
}): Promise<EnsureMigratedResult> {
  const { target } = options;
  const file = target.filePath ?? '';
  const check = async (): Promise<MigrationStatus> => {
    const probe = options.open();
    try {
      return await readMigrationStatus(probe);
    } finally {
      await probe.close();
    }
  };
  const first = await check();
  if (first.pending.length === 0 && first.failed.length === 0) return { applied: [] };
  const applied = await withSqliteMigrationLock(file, async () => {
    const again = await check();
    if (again.failed.length > 0) {
      // The SQLite script is not one transaction: what a failed migration did is not known.
      throw failedEarlier(
        target,
        again.failed.map((name) => ({ name, nothingApplied: false, detail: null })),
      );
    }
    if (again.pending.length === 0) return [];
    return applyWithEngine(target, undefined);
  });
  return { applied };
}

/** Checks applied migrations against the files (edited after being applied?) with the engine. */
export async function diagnoseMigrations(options: {
  target: DatabaseTarget;
  pool?: pg.Pool;
}): Promise<{ editedMigrationNames: string[]; failedMigrationNames: string[] }> {
  return withEngine(options.target, options.pool, async (engine) => {
    const out = await engine.diagnoseMigrationHistory({
      migrationsList: loadMigrationList(options.target.provider),
      optInToShadowDatabase: false,
      filters: NO_FILTERS,
    });
    return {
      editedMigrationNames: out.editedMigrationNames,
      failedMigrationNames: out.failedMigrationNames,
    };
  });
}
