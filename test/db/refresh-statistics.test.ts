/**
 * refreshStatistics: on PostgreSQL a table bulk-loaded by another process (no statistics yet)
 * is analysed once, then counts as fresh; on SQLite nothing is done.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { refreshStatistics } from '../../src/db/refresh-statistics.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

describe('refreshStatistics on PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgresql');
    // The load, as an import would do it, from a connection that then goes away (a server
    // process reports its counts to the statistics as it exits). Autovacuum is kept off the
    // table so that only refreshStatistics can analyse it.
    const loader = await openDatabase({ url: tdb.url });
    await loader.sql.run('CREATE TABLE bulk (x INTEGER) WITH (autovacuum_enabled = false)');
    await loader.sql.run('INSERT INTO bulk SELECT g FROM generate_series(1, 5000) g');
    await loader.close();
    db = await openDatabase({ url: tdb.url });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
  });

  const stats = async (): Promise<{ mods: number; analysed: boolean }> => {
    const rows = await db.sql.query<{ mods: number | string; analysed: boolean }>(
      `SELECT n_mod_since_analyze AS mods, last_analyze IS NOT NULL AS analysed
         FROM pg_stat_user_tables WHERE relname = 'bulk'`,
    );
    return { mods: Number(rows[0]?.mods ?? 0), analysed: rows[0]?.analysed ?? false };
  };

  it('analyses a table loaded since its last analysis, then finds nothing stale', async () => {
    for (let i = 0; i < 50 && (await stats()).mods < 5000; i++) await sleep(100);
    expect(await stats()).toEqual({ mods: 5000, analysed: false });
    // pharmacy: migrated and empty, so not stale.
    expect(await refreshStatistics({ db, tables: ['bulk', 'pharmacy'] })).toEqual(['bulk']);
    expect(await stats()).toEqual({ mods: 0, analysed: true });
    expect(await refreshStatistics({ db, tables: ['bulk', 'pharmacy'] })).toEqual([]);
  });

  it('checks the tables an audit reads by default', async () => {
    const loader = await openDatabase({ url: tdb.url });
    await loader.sql.run(
      `INSERT INTO network_membership (contract_id, pbp_id, segment_id, npi, role, effective_date, source, valid_from, import_id)
       SELECT 'S1234', '001', '000', g::text, 'retail', '2026-11-01', 'cms', '2026-11-01', 1 FROM generate_series(1, 3000) g`,
    );
    await loader.close();
    const mods = async (): Promise<number> =>
      Number(
        (
          await db.sql.query<{ n: number | string }>(
            `SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'network_membership'`,
          )
        )[0]?.n ?? 0,
      );
    for (let i = 0; i < 50 && (await mods()) < 3000; i++) await sleep(100);
    // Autovacuum may get there first (it is on for the schema's tables): then nothing is stale.
    const analysed = await refreshStatistics({ db });
    expect(analysed.every((t) => t !== 'bulk')).toBe(true);
    expect(await mods()).toBe(0);
    expect(await refreshStatistics({ db })).toEqual([]);
  });
});

describe('refreshStatistics on SQLite', () => {
  it('does nothing (no statistics to refresh)', async () => {
    const tdb = await createTestDatabase('sqlite');
    const db = await openDatabase({ url: tdb.url });
    try {
      await db.sql.run('CREATE TABLE bulk (x INTEGER)');
      for (let i = 0; i < 100; i++) await db.sql.run('INSERT INTO bulk VALUES (?)', [i]);
      expect(await refreshStatistics({ db, tables: ['bulk'] })).toEqual([]);
      expect(
        await db.sql.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'"),
      ).toEqual([]);
    } finally {
      await db.close();
      await tdb.dispose();
    }
  });
});
