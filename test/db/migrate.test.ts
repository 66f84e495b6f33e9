import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import {
  atomicScripts,
  checkFailedMigrations,
  createdObjects,
  listMigrationNames,
  migrationsDir,
  readMigrationStatus,
  type CreatedObject,
} from '../../src/db/migrate.js';
import { SystemError } from '../../src/errors.js';
import { queryDb } from '../faults/helpers.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

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
  const dbs: Db[] = [];
  beforeAll(async () => {
    for (const p of ['sqlite', 'postgresql'] as const) {
      const t = await createTestDatabase(p);
      tdbs.push(t);
      dbs.push(await openDatabase({ url: t.url }));
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
      const again = await openDatabase({ url: t.url });
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

describe('a PostgreSQL migration script', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
    pool = new pg.Pool({ connectionString: t.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await t.dispose();
  });
  const exists = async (name: string): Promise<boolean> =>
    (await pool.query<{ r: string | null }>('SELECT to_regclass($1) AS r', [name])).rows[0]?.r !==
    null;

  it("runs as one transaction: a failing statement undoes the ones before it (the adapter's own executeScript does not)", async () => {
    const script = (name: string): string =>
      `CREATE TABLE "${name}" (x int);\nCREATE TABLE "${name}" (x int);`;
    const plain = await new PrismaPg(pool).connect();
    await expect(plain.executeScript(script('split_a'))).rejects.toThrow();
    expect(await exists('split_a')).toBe(true); // half applied
    const atomic = await atomicScripts(new PrismaPg(pool)).connect();
    await expect(atomic.executeScript(script('atomic_a'))).rejects.toThrow();
    expect(await exists('atomic_a')).toBe(false);
    await atomic.executeScript(
      'CREATE TABLE "atomic_b" (x int); CREATE INDEX "atomic_b_x" ON "atomic_b"(x);',
    );
    expect(await exists('atomic_b')).toBe(true);
    expect(await exists('atomic_b_x')).toBe(true);
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
    const t = await createTestDatabase(provider);
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
    const db = await openDatabase({ url: t.url });
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
