/**
 * The run's lineage (listImportsInForce) reads the versions counted per import, valid_from and
 * valid_to (import_version_count), which the import keeps in its transaction, instead of counting
 * every version of every table. Its answer must be the full count's, kept here as it was before
 * (`fullScan`): several imports of several kinds, versions replaced, ended and removed (a second
 * import on the same date), as-of dates before, on, between and after them; and the migration's
 * fill of the table from the versions must give the rows the imports kept.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { listImportsByIds } from '../../src/db/imports.js';
import { migrationsDir } from '../../src/db/migrate.js';
import { listImportsInForce, VERSIONED_TABLES } from '../../src/db/runs.js';
import { dbDate, fromDbDate } from '../../src/db/sql.js';
import type { IsoDate } from '../../src/domain/types.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const TZ = 'America/Chicago';

/** listImportsInForce as it was: every version of every versioned table, grouped by import. */
async function fullScan(db: Db, asOf: IsoDate): Promise<unknown[]> {
  const d = dbDate(db.sql.provider, asOf);
  const union = VERSIONED_TABLES.map(
    (t) =>
      `SELECT import_id,
              SUM(CASE WHEN valid_to IS NULL OR valid_to > ? THEN 1 ELSE 0 END) AS live,
              SUM(CASE WHEN valid_to <= ? THEN 1 ELSE 0 END) AS ended,
              MAX(CASE WHEN valid_to <= ? THEN valid_to END) AS last_end
         FROM ${t} WHERE valid_from <= ? GROUP BY import_id`,
  ).join(' UNION ALL ');
  const counts = await db.sql.query<{
    import_id: number | string;
    live: number | string;
    ended: number | string;
    last_end: unknown;
  }>(
    union,
    VERSIONED_TABLES.flatMap(() => [d, d, d, d]),
  );
  const latest = new Map(
    (
      await db.sql.query<{ kind: string; as_of: unknown }>(
        `SELECT kind, MAX(as_of) AS as_of FROM roster_import WHERE status = 'completed' AND as_of <= ? GROUP BY kind`,
        [d],
      )
    ).map((r) => [r.kind, fromDbDate(r.as_of)]),
  );
  const byId = new Map(
    counts.map((c) => [
      Number(c.import_id),
      {
        live: Number(c.live),
        ended: Number(c.ended),
        lastEnd: c.last_end === null || c.last_end === undefined ? null : fromDbDate(c.last_end),
      },
    ]),
  );
  const candidates = [...byId.entries()].filter(([, c]) => c.live > 0 || c.ended > 0);
  const records = await listImportsByIds({ db, ids: candidates.map(([id]) => id) });
  return records
    .filter((r) => {
      const c = byId.get(r.id)!;
      return c.live > 0 || (c.lastEnd !== null && c.lastEnd === latest.get(r.kind));
    })
    .map((r) => ({ ...r, rowsInForce: byId.get(r.id)!.live, rowsEnded: byId.get(r.id)!.ended }));
}

const AS_OF_DATES = [
  '2026-09-30',
  '2026-10-01',
  '2026-10-15',
  '2026-11-01',
  '2026-11-20',
  '2026-12-01',
  '2027-01-01',
] as IsoDate[];

describe.each(PROVIDERS)('lineage from import_version_count on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), 'ia-lineage-'));
  /** Writes <sub>/<kind>.csv (a file's name tells its kind). */
  const write = (sub: string, kind: string, lines: string[]): string => {
    mkdirSync(join(dir, sub), { recursive: true });
    const p = join(dir, sub, `${kind}.csv`);
    writeFileSync(p, [...lines, ''].join('\n'));
    return p;
  };
  const imp = async (paths: string[], asOf: string): Promise<void> => {
    const results = await importRosters({ db, paths, asOf, timeZone: TZ });
    for (const r of results) expect(r.status, r.message ?? '').not.toBe('failed');
  };
  const kept = async (): Promise<unknown[]> =>
    (
      await db.sql.query<Record<string, unknown>>(
        `SELECT import_id, table_name, valid_from, valid_to, rows FROM import_version_count ORDER BY import_id, table_name, valid_from, valid_to`,
      )
    ).map((r) => ({
      ...r,
      import_id: Number(r.import_id),
      valid_from: fromDbDate(r.valid_from),
      valid_to: r.valid_to === null ? null : fromDbDate(r.valid_to),
    }));
  const capabilities = readFileSync(join(MINI, 'capabilities.csv'), 'utf8').trim().split('\n');

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    await imp([MINI], '2026-10-01');
    // Capabilities: one row dropped (ended), one changed (replaced) on 11-01; then a second
    // file the same day drops another (ended on the same date as the first's) and changes the
    // row the first import wrote (removed: it began that day).
    const changed = capabilities.map((l, i) => (i === 2 ? l.replace(',Y,', ',N,') : l));
    await imp(
      [
        write(
          'a',
          'capabilities',
          changed.filter((_, i) => i !== 1),
        ),
      ],
      '2026-11-01',
    );
    await imp(
      [
        write(
          'b',
          'capabilities',
          changed.filter((_, i) => i !== 1 && i !== 3).map((l, i) => (i === 1 ? `${l}x` : l)),
        ),
      ],
      '2026-11-01',
    );
    // The network without its last row on 12-01; the pharmacies again, unchanged.
    const network = readFileSync(join(MINI, 'network.csv'), 'utf8').trim().split('\n');
    await imp([write('c', 'network', network.slice(0, -1))], '2026-12-01');
    await imp([join(MINI, 'pharmacies.csv')], '2026-12-01');
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has versions ended, removed and replaced to count', async () => {
    const [r] = await db.sql.query<{ ended: number | string; imports: number | string }>(
      `SELECT (SELECT COUNT(*) FROM capability WHERE valid_to IS NOT NULL) + (SELECT COUNT(*) FROM network_membership WHERE valid_to IS NOT NULL) AS ended, (SELECT COUNT(*) FROM roster_import) AS imports`,
    );
    expect(Number(r!.ended)).toBeGreaterThanOrEqual(3);
    expect(Number(r!.imports)).toBeGreaterThanOrEqual(9);
  });

  it.each(AS_OF_DATES)('answers as the full count as of %s', async (asOf) => {
    const answer = await listImportsInForce({ db, asOf });
    expect(answer).toEqual(await fullScan(db, asOf));
    if (asOf >= '2026-10-01') expect(answer.length).toBeGreaterThan(0);
  });

  it("holds what the migration's fill computes from the versions", async () => {
    const before = await kept();
    const sql = readFileSync(
      join(migrationsDir(provider), '20261207022028_import_version_count', 'migration.sql'),
      'utf8',
    );
    const fills = sql
      .replace(/^\s*--.*$/gm, '')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('INSERT INTO "import_version_count"'));
    expect(fills).toHaveLength(VERSIONED_TABLES.length);
    await db.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM import_version_count');
      for (const s of fills) await tx.run(s);
    });
    expect(await kept()).toEqual(before);
    for (const asOf of AS_OF_DATES)
      expect(await listImportsInForce({ db, asOf })).toEqual(await fullScan(db, asOf));
  });
});
