import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { listMigrationNames, readMigrationStatus } from '../../src/db/migrate.js';
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
