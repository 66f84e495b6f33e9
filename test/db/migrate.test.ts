import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import {
  checkFailedMigrations,
  checksumMatches,
  createdObjects,
  ensureMigrated,
  listMigrationNames,
  migrateSqliteFile,
  migrationChecksum,
  migrationsDir,
  readMigrations,
  readMigrationStatus,
  schemaPath,
  type CreatedObject,
  type Migration,
} from '../../src/db/migrate.js';
import { startSchemaEngine } from '../../scripts/schema-engine.js';
import { dbDate, SqliteDriver } from '../../src/db/sql.js';
import { parseDatabaseUrl, type Provider } from '../../src/db/url.js';
import { SystemError } from '../../src/errors.js';
import { queryDb } from '../faults/helpers.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { openWithPrisma, type DbWithPrisma } from '../helpers/prisma.js';

async function columnsOf(db: Db): Promise<Map<string, string[]>> {
  const rows =
    db.sql.provider === 'sqlite'
      ? await db.sql.query<{ t: string; c: string }>(
          "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
      : await db.sql.query<{ t: string; c: string }>(
          "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'",
        );
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.t, [...(map.get(r.t) ?? []), r.c].sort());
  return map;
}

describe('migrations on SQLite and PostgreSQL', () => {
  const tdbs: TestDatabase[] = [];
  const dbs: DbWithPrisma[] = [];
  beforeAll(async () => {
    for (const p of ['sqlite', 'postgresql'] as const) {
      const t = await createTestDatabase(p, { empty: true });
      tdbs.push(t);
      dbs.push(await openWithPrisma({ url: t.url }));
    }
  });
  afterAll(async () => {
    for (const d of dbs) await d.close();
    for (const t of tdbs) await t.dispose();
  });

  it('applies every migration on both providers', async () => {
    for (const db of dbs) {
      const status = await readMigrationStatus(db.sql);
      expect(status.pending).toEqual([]);
      expect(status.applied).toEqual(listMigrationNames(db.sql.provider));
      expect(status.applied.length).toBeGreaterThan(0);
      expect(status.edited).toEqual([]);
    }
  });

  it("records each migration as Prisma does: one finished row, the sha256 of the file's bytes", async () => {
    for (const db of dbs) {
      const rows = await db.sql.query<{
        id: string;
        checksum: string;
        migration_name: string;
        finished_at: unknown;
        rolled_back_at: unknown;
        logs: unknown;
        applied_steps_count: number | string;
      }>('SELECT * FROM _prisma_migrations ORDER BY migration_name');
      const dir = migrationsDir(db.sql.provider);
      expect(rows.map((r) => r.migration_name)).toEqual(listMigrationNames(db.sql.provider));
      for (const r of rows) {
        const bytes = readFileSync(join(dir, r.migration_name, 'migration.sql'));
        expect(r.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(r.id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(r).toMatchObject({ logs: null, rolled_back_at: null });
        expect(r.finished_at).not.toBeNull();
        expect(Number(r.applied_steps_count)).toBe(1);
      }
    }
  });

  it('gives both databases the same tables and columns (the models never drift)', async () => {
    const [a, b] = await Promise.all(dbs.map(columnsOf));
    expect(a!.size).toBeGreaterThan(10);
    expect([...a!.entries()].sort()).toEqual([...b!.entries()].sort());
  });

  it('loads the drug class catalog and counties as reference data', async () => {
    for (const db of dbs) {
      const classes = await db.prisma.drugClass.findMany({ orderBy: { code: 'asc' } });
      expect(classes.map((c) => c.code)).toContain('A1PI');
      expect(classes).toHaveLength(15);
      expect(await db.prisma.county.count()).toBeGreaterThan(3000);
    }
  });

  it('is idempotent: opening again applies nothing and keeps the data', async () => {
    for (const t of tdbs) {
      const again = await openWithPrisma({ url: t.url });
      const status = await readMigrationStatus(again.sql);
      expect(status.pending).toEqual([]);
      expect(await again.prisma.drugClass.count()).toBe(15);
      await again.close();
    }
  });
});

describe('createdObjects (what a migration creates, read from its SQL)', () => {
  it("finds the tables, indexes, columns and constraints of Prisma's SQL", () => {
    const [init, exceptions] = listMigrationNames('postgresql').map((n) =>
      createdObjects(readFileSync(join(migrationsDir('postgresql'), n, 'migration.sql'), 'utf8')),
    );
    const names = (objects: CreatedObject[] | undefined, kind: CreatedObject['kind']): string[] =>
      (objects ?? []).filter((o) => o.kind === kind).map((o) => o.name);
    expect(names(init, 'relation')).toEqual(
      expect.arrayContaining(['drug_class', 'roster_import', 'finding', 'finding_run_id_key_idx']),
    );
    expect(names(init, 'relation')).not.toContain('public'); // CREATE SCHEMA IF NOT EXISTS
    expect(names(init, 'constraint')).toContain('finding_run_id_fkey');
    expect(exceptions).toEqual(
      expect.arrayContaining([
        { kind: 'column', schema: null, table: 'finding', name: 'excepted' },
        { kind: 'column', schema: null, table: 'finding', name: 'exception' },
        { kind: 'relation', schema: null, name: 'finding_exception' },
      ]),
    );
  });

  it('leaves out IF NOT EXISTS, comments and table constraints; reads quoting and schemas', () => {
    const sql = `-- CREATE TABLE "commented"
      /* CREATE TABLE "block" */
      CREATE TABLE IF NOT EXISTS "maybe" (x int);
      CREATE UNIQUE INDEX "Idx" ON "t"("x");
      CREATE TYPE "s"."Kind" AS ENUM ('a;b');
      create table Plain (x int);
      ALTER TABLE ONLY "s"."t" ADD PRIMARY KEY ("x"), ADD COLUMN IF NOT EXISTS "y" int,
        ADD COLUMN "z" int, ADD CONSTRAINT "t_fk" FOREIGN KEY ("x") REFERENCES "u"("x");`;
    expect(createdObjects(sql)).toEqual([
      { kind: 'relation', schema: null, name: 'Idx' },
      { kind: 'relation', schema: null, name: 'plain' },
      { kind: 'type', schema: 's', name: 'Kind' },
      { kind: 'column', schema: 's', table: 't', name: 'z' },
      { kind: 'constraint', schema: 's', table: 't', name: 't_fk' },
    ]);
  });
});

describe('a migration recorded as failed', () => {
  const tdbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of tdbs) await t.dispose();
  });
  const [INIT, EXCEPTIONS, ...LATER] = listMigrationNames('postgresql') as [
    string,
    string,
    ...string[],
  ];

  /** A migrated database whose migration `name` is then recorded as failed. */
  async function withFailed(
    provider: 'postgresql' | 'sqlite',
    name: string,
  ): Promise<TestDatabase> {
    const t = await createTestDatabase(provider, { empty: true });
    tdbs.push(t);
    const db = await openDatabase({ url: t.url });
    await db.sql.run(
      'UPDATE _prisma_migrations SET finished_at = NULL, applied_steps_count = 0 WHERE migration_name = ?',
      [name],
    );
    await db.close();
    return t;
  }

  async function tablesOf(url: string): Promise<string[]> {
    const rows = await queryDb<{ name: string }>(
      url,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return rows.map((r) => r.name);
  }

  it('PostgreSQL: one that applied nothing is marked rolled back and applied again', async () => {
    // As a connection cut during the first migration leaves it: the record, nothing else.
    const t = await withFailed('postgresql', INIT);
    for (const table of await tablesOf(t.url)) {
      if (table !== '_prisma_migrations') await queryDb(t.url, `DROP TABLE "${table}" CASCADE`);
    }
    await queryDb(t.url, 'DELETE FROM _prisma_migrations WHERE migration_name <> ?', [INIT]);

    const probe = await openDatabase({ url: t.url, migrate: false });
    expect(await checkFailedMigrations(probe.sql)).toEqual([
      { name: INIT, nothingApplied: true, detail: null },
    ]);
    await probe.close();
    const before = await runCli(['db', 'status', '--db', t.url, '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toContain(`failed: ${INIT} (it applied nothing;`);
    expect(JSON.parse(before.stdout)).toMatchObject({ failed: [INIT], retryable: [INIT] });

    const migrate = await runCli(['db', 'migrate', '--db', t.url]);
    expect(migrate.code, migrate.stderr).toBe(0);
    const db = await openWithPrisma({ url: t.url });
    const status = await readMigrationStatus(db.sql);
    expect(status).toMatchObject({
      failed: [],
      pending: [],
      applied: [INIT, EXCEPTIONS, ...LATER],
    });
    expect(await db.prisma.drugClass.count()).toBe(15);
    await db.close();
    const rows = await queryDb<{ migration_name: string; rolled_back: boolean }>(
      t.url,
      'SELECT migration_name, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows).toEqual([
      { migration_name: INIT, rolled_back: true },
      { migration_name: INIT, rolled_back: false },
      { migration_name: EXCEPTIONS, rolled_back: false },
      ...LATER.map((migration_name) => ({ migration_name, rolled_back: false })),
    ]);
  });

  it('PostgreSQL: one that left objects behind still stops every command, naming them', async () => {
    // Applied, but its success never recorded (the connection lost just after COMMIT).
    const t = await withFailed('postgresql', EXCEPTIONS);
    const message = new RegExp(
      `migration ${EXCEPTIONS} failed earlier in .*\\(${EXCEPTIONS}: it left .*finding_exception.*\\); restore the database from a backup or fix it by hand, then rerun`,
    );
    const err = await openDatabase({ url: t.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SystemError);
    expect((err as Error).message).toMatch(message);
    const migrate = await runCli(['db', 'migrate', '--db', t.url]);
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toMatch(message);
    const status = await runCli(['db', 'status', '--db', t.url]);
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(
      new RegExp(`failed: ${EXCEPTIONS} \\(it left .*finding_exception.*\\); restore the database`),
    );
    // Half applied (as the adapter's statement-by-statement scripts could leave it): only the
    // new columns of `finding` are there.
    await queryDb(t.url, 'DROP TABLE "finding_exception"');
    await expect(openDatabase({ url: t.url })).rejects.toThrow(/it left column finding\.excepted/);
    const rows = await queryDb<{ n: number }>(
      t.url,
      'SELECT COUNT(*)::int AS n FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL',
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('SQLite: stops every command (the script is not one transaction there)', async () => {
    const [, sqliteExceptions] = listMigrationNames('sqlite');
    const t = await withFailed('sqlite', sqliteExceptions!);
    await expect(openDatabase({ url: t.url })).rejects.toThrow(
      new RegExp(`migration ${sqliteExceptions} failed earlier in .*; restore the database`),
    );
  });
});

/** A migration given as SQL (tests pass their own lists; commands read the folder). */
function synthetic(name: string, script: string): Migration {
  return { name, script, checksum: migrationChecksum(script) };
}

/** Applies `migrations` to the database at `url` as a command does, with this tool. */
async function migrateWith(url: string, migrations: readonly Migration[]): Promise<string[]> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') {
    const open = (): SqliteDriver => SqliteDriver.open(target.filePath!);
    return (await migrateSqliteFile({ target, open, migrations })).applied;
  }
  const db = await openDatabase({ url, migrate: false });
  try {
    return (await ensureMigrated({ target, sql: db.sql, pool: db.pool!, migrations })).applied;
  } finally {
    await db.close();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const rows = await queryDb<{ name: string }>(
    url,
    url.startsWith('file:')
      ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

async function recordedNames(url: string): Promise<string[]> {
  const rows = await queryDb<{ migration_name: string }>(
    url,
    'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
  );
  return rows.map((r) => r.migration_name);
}

describe('applying migrations (this tool; the schema engine only writes them)', () => {
  const tdbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of tdbs) await t.dispose();
  });
  const empty = async (provider: Provider): Promise<string> => {
    const t = await createTestDatabase(provider, { empty: true });
    tdbs.push(t);
    return t.url;
  };

  it.each(PROVIDERS)('%s: applies any number of pending migrations, in order', async (provider) => {
    const url = await empty(provider);
    const real = readMigrations(provider);
    const names = real.map((m) => m.name);
    expect(await migrateWith(url, real.slice(0, -1))).toEqual(names.slice(0, -1));
    expect(await migrateWith(url, real)).toEqual(names.slice(-1));
    expect(await migrateWith(url, real)).toEqual([]);
    const extra = synthetic(
      '29990101000000_extra',
      'CREATE TABLE extra_a (x INTEGER);\nCREATE INDEX extra_a_x ON extra_a (x);\n',
    );
    expect(await migrateWith(url, [...real, extra])).toEqual([extra.name]);
    expect(await recordedNames(url)).toEqual([...names, extra.name]);
    expect(await tableNames(url)).toContain('extra_a');
  });

  it.each(PROVIDERS)(
    '%s: dropping content_hash keeps every stored version as it was',
    async (provider) => {
      const url = await empty(provider);
      const real = readMigrations(provider);
      const at = real.findIndex((m) => m.name.endsWith('_drop_content_hash'));
      expect(at).toBeGreaterThan(0);
      await migrateWith(url, real.slice(0, at));
      const db = await openDatabase({ url, migrate: false });
      const d = (iso: string): string => dbDate(provider, iso);
      try {
        await db.sql.run(
          `INSERT INTO roster_import (id, path, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, warnings, status, started_at, finished_at, duration_ms) VALUES (7, '/n.csv', 'n.csv', NULL, 'x', 'network', ?, 2, 2, 0, 0, 'completed', ?, ?, 0)`,
          [d('2026-10-01'), d('2026-10-01'), d('2026-10-01')],
        );
        await db.sql.run(
          `INSERT INTO network_membership (contract_id, pbp_id, segment_id, npi, role, effective_date, termination_date, source, zip, valid_from, valid_to, import_id, content_hash) VALUES
           ('S1234', '001', '000', '1000000012', 'home_infusion', ?, NULL, 'roster', NULL, ?, NULL, 7, 'aa'),
           ('S1234', '001', '000', '1000000020', 'retail', ?, ?, 'cms', '60610', ?, ?, 7, 'bb')`,
          [
            d('2026-01-01'),
            d('2026-10-01'),
            d('2026-01-01'),
            d('2026-12-31'),
            d('2026-10-01'),
            d('2026-11-01'),
          ],
        );
      } finally {
        await db.close();
      }
      const rows = async (): Promise<unknown[]> =>
        queryDb(
          url,
          'SELECT id, contract_id, pbp_id, segment_id, npi, role, effective_date, termination_date, source, zip, valid_from, valid_to, import_id FROM network_membership ORDER BY id',
        );
      const before = await rows();
      expect(before).toHaveLength(2);
      expect(await migrateWith(url, real)).toEqual(real.slice(at).map((m) => m.name));
      expect(await rows()).toEqual(before);
      const columns = await queryDb<{ name: string }>(
        url,
        provider === 'sqlite'
          ? "SELECT name FROM pragma_table_info('network_membership')"
          : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'network_membership'",
      );
      expect(columns.map((c) => c.name)).not.toContain('content_hash');
    },
  );

  it.each(PROVIDERS)(
    '%s: a failing migration applies nothing and leaves no record; fixed, it is applied',
    async (provider) => {
      const url = await empty(provider);
      const real = readMigrations(provider);
      const name = '29990101000001_half';
      const bad = synthetic(
        name,
        'CREATE TABLE half_a (x INTEGER);\nCREATE TABLE half_b (x INTEGER);\nCREATE TABLE half_a (x INTEGER);\n',
      );
      const err = await migrateWith(url, [...real, bad]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SystemError);
      expect((err as Error).message).toMatch(
        new RegExp(`^migration ${name} failed on .*already exists.*Nothing of it was applied`),
      );
      expect(await recordedNames(url)).toEqual(real.map((m) => m.name));
      expect(await tableNames(url)).not.toContain('half_a');
      expect(await tableNames(url)).not.toContain('half_b');

      const fixed = synthetic(
        name,
        'CREATE TABLE half_a (x INTEGER);\nCREATE TABLE half_b (x INTEGER);\n',
      );
      expect(await migrateWith(url, [...real, fixed])).toEqual([name]);
      expect(await tableNames(url)).toEqual(expect.arrayContaining(['half_a', 'half_b']));
    },
  );

  it('SQLite: rebuilding a referenced table keeps the rows referencing it; breaking a foreign key is refused', async () => {
    const url = await empty('sqlite');
    const parent = synthetic(
      '1_parent',
      `CREATE TABLE "parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT);
CREATE TABLE "child" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "parent_id" INTEGER NOT NULL,
    CONSTRAINT "child_parent_fkey" FOREIGN KEY ("parent_id") REFERENCES "parent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "parent" VALUES (1, 'a'), (2, 'b');
INSERT INTO "child" VALUES (10, 1), (11, 2);
`,
    );
    // What Prisma writes for a changed SQLite table ("RedefineTables"): its PRAGMA lines do
    // nothing inside a transaction, and with foreign keys on, DROP TABLE would cascade.
    const rebuild = synthetic(
      '2_rebuild_parent',
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT, "note" TEXT);
INSERT INTO "new_parent" ("id", "name") SELECT "id", "name" FROM "parent";
DROP TABLE "parent";
ALTER TABLE "new_parent" RENAME TO "parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    expect(await migrateWith(url, [parent, rebuild])).toEqual(['1_parent', '2_rebuild_parent']);
    expect(await queryDb(url, 'SELECT id, parent_id FROM child ORDER BY id')).toEqual([
      { id: 10, parent_id: 1 },
      { id: 11, parent_id: 2 },
    ]);
    const orphans = synthetic('3_orphans', 'DELETE FROM "parent" WHERE "id" = 1;\n');
    await expect(migrateWith(url, [parent, rebuild, orphans])).rejects.toThrow(
      /^migration 3_orphans failed on .*: it leaves 1 row\(s\) whose foreign key points nowhere \(first: child -> parent\)/,
    );
    expect(await queryDb(url, 'SELECT id FROM parent ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await recordedNames(url)).toEqual(['1_parent', '2_rebuild_parent']);
  });
});

describe('an applied migration edited afterwards', () => {
  const tdbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of tdbs) await t.dispose();
  });

  it.each(PROVIDERS)(
    '%s: is found by its checksum and stops every command, naming it',
    async (provider) => {
      const t = await createTestDatabase(provider);
      tdbs.push(t);
      const real = readMigrations(provider);
      const first = real[0]!;
      // The file as it would read after an edit.
      const edited = synthetic(first.name, `${first.script}\n-- a comment added later\n`);
      const message = new RegExp(
        `migration ${first.name} was edited after it was applied to .*${first.name}/migration\\.sql no longer matches the checksum recorded in _prisma_migrations`,
      );
      await expect(migrateWith(t.url, [edited, ...real.slice(1)])).rejects.toThrow(message);

      // The same through the commands: the recorded checksum no longer matches the file.
      const db = await openDatabase({ url: t.url, migrate: false });
      await db.sql.run('UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ?', [
        edited.checksum,
        first.name,
      ]);
      await db.close();
      const err = await openDatabase({ url: t.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SystemError);
      expect((err as Error).message).toMatch(message);
      const run = await runCli(['db', 'migrate', '--db', t.url]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(message);
      const status = await runCli(['db', 'status', '--db', t.url, '--json']);
      expect(status.code).toBe(3);
      expect(status.stderr).toContain(
        `edited after being applied (checksum differs): ${first.name}`,
      );
      expect(JSON.parse(status.stdout)).toMatchObject({ edited: [first.name], pending: [] });
    },
  );

  it('is compared as Prisma compares it: either line ending, old unpadded checksums', () => {
    // Prisma's own test vector.
    expect(migrationChecksum('hello')).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
    const lf = 'CREATE TABLE a (x int);\nCREATE TABLE b (x int);\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    expect(checksumMatches(lf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(crlf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(lf, migrationChecksum(crlf))).toBe(true);
    expect(checksumMatches(`${lf} `, migrationChecksum(lf))).toBe(false);
    expect(checksumMatches('abc\n', migrationChecksum('abc'))).toBe(false);
    // A script whose digest has a byte below 0x10, recorded without zero-padding.
    let script = lf;
    const unpadded = (s: string): string =>
      [...createHash('sha256').update(s).digest()].map((b) => b.toString(16)).join('');
    while (unpadded(script).length === 64) script += '-';
    expect(checksumMatches(script, unpadded(script))).toBe(true);
    expect(checksumMatches(`${script}-`, unpadded(script))).toBe(false);
  });
});

/** Prisma's schema engine (what `prisma migrate deploy` runs) on the database at `url`. */
async function withPrismaEngine<T>(
  provider: Provider,
  url: string,
  fn: (
    engine: SchemaEngine,
    migrationsList: Parameters<SchemaEngine['applyMigrations']>[0]['migrationsList'],
  ) => Promise<T>,
): Promise<T> {
  const pool = provider === 'postgresql' ? new pg.Pool({ connectionString: url, max: 2 }) : null;
  const factory = pool
    ? new PrismaPg(pool, { schema: 'public' })
    : new PrismaBetterSqlite3({ url });
  const path = schemaPath(provider);
  const started = await startSchemaEngine({
    factory,
    datamodels: [[path, readFileSync(path, 'utf8')]],
  });
  const baseDir = migrationsDir(provider);
  try {
    return await fn(started.engine, {
      baseDir,
      lockfile: {
        path: 'migration_lock.toml',
        content: readFileSync(join(baseDir, 'migration_lock.toml'), 'utf8'),
      },
      shadowDbInitScript: '',
      migrationDirectories: listMigrationNames(provider).map((name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    });
  } finally {
    await started.stop();
    await pool?.end();
  }
}

describe("interchangeable with Prisma's own migrate (its schema engine)", () => {
  const tdbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of tdbs) await t.dispose();
  });
  const filters = { externalTables: [], externalEnums: [] };

  it.each(PROVIDERS)(
    '%s: Prisma finds our history clean with nothing to apply; we accept a database Prisma migrated',
    async (provider) => {
      const ours = await createTestDatabase(provider, { empty: true });
      const theirs = await createTestDatabase(provider, { empty: true });
      tdbs.push(ours, theirs);
      const names = listMigrationNames(provider);
      expect(await migrateWith(ours.url, readMigrations(provider))).toEqual(names);
      await withPrismaEngine(provider, ours.url, async (engine, migrationsList) => {
        const diag = await engine.diagnoseMigrationHistory({
          migrationsList,
          optInToShadowDatabase: false,
          filters,
        });
        expect(diag).toMatchObject({
          editedMigrationNames: [],
          failedMigrationNames: [],
          hasMigrationsTable: true,
          history: null,
        });
        const out = await engine.applyMigrations({ migrationsList, filters });
        expect(out.appliedMigrationNames).toEqual([]);
      });

      await withPrismaEngine(provider, theirs.url, async (engine, migrationsList) => {
        const out = await engine.applyMigrations({ migrationsList, filters });
        expect(out.appliedMigrationNames).toEqual(names);
      });
      const db = await openDatabase({ url: theirs.url, migrate: false });
      expect(await readMigrationStatus(db.sql)).toEqual({
        applied: names,
        pending: [],
        failed: [],
        unknown: [],
        edited: [],
      });
      await db.close();
      expect(await migrateWith(theirs.url, readMigrations(provider))).toEqual([]);
    },
  );
});
