/**
 * Applies pending migrations with the wasm schema engine. Every command calls ensureMigrated()
 * before touching data; a fast check skips the engine when the database is current. Two
 * processes starting at once are serialised: an advisory lock on PostgreSQL, a lock file beside
 * the SQLite database. A database migrated earlier by `prisma migrate deploy` has the same
 * `_prisma_migrations` table and is accepted as is.
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
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
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

/** Runs fn with a schema engine on the database; always frees it and its connections. */
async function withEngine<T>(
  target: DatabaseTarget,
  pool: pg.Pool | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const factory =
    target.provider === 'sqlite'
      ? new PrismaBetterSqlite3({ url: `file:${target.filePath ?? ''}` })
      : new PrismaPg(pool!, { schema: target.schema ?? 'public' });
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
}

export async function ensureMigrated(options: {
  target: DatabaseTarget;
  sql: SqlDriver;
  pool?: pg.Pool;
}): Promise<EnsureMigratedResult> {
  const { target, sql, pool } = options;
  const status = await readMigrationStatus(sql);
  if (status.pending.length === 0 && status.failed.length === 0) return { applied: [] };
  const run = async (): Promise<string[]> => {
    // Another process may have finished while we waited for the lock.
    const again = await readMigrationStatus(sql);
    if (again.failed.length > 0) {
      throw new SystemError(
        `migration ${again.failed.join(', ')} failed earlier in ${target.display}; restore the database from a backup or fix it by hand, then rerun`,
      );
    }
    if (again.pending.length === 0) return [];
    return applyWithEngine(target, pool);
  };
  const applied =
    target.provider === 'sqlite'
      ? await withSqliteMigrationLock(target.filePath ?? '', run)
      : await withPgMigrationLock(pool!, run);
  return { applied };
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
      throw new SystemError(
        `migration ${again.failed.join(', ')} failed earlier in ${target.display}; restore the database from a backup or fix it by hand, then rerun`,
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
