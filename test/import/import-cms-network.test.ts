/**
 * The streaming CMS network import: in-place validation agrees with parseRow (odd but valid
 * values, rejections, duplicates), and a file that fails part-way (after rows were already
 * streamed to the database, one COPY on PostgreSQL) changes nothing and leaves the connection
 * usable, on a first load (straight into network_membership) and on a later one (staging).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { fromDbDate } from '../../src/db/sql.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { npi } from '../roster/helpers.js';

const TZ = 'America/New_York';
const HEADER =
  'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE';
const dir = mkdtempSync(join(tmpdir(), 'cms-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
  return path;
}

const big = (n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) =>
      `S1234|001|000|${npi(String(100_000_000 + i))}|12345|N|N|Y|${i % 3 === 0 ? 'Y' : 'N'}|1|0`,
  );

describe.each(PROVIDERS)('CMS network import on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
  });

  const count = async (table: string): Promise<number> =>
    Number(
      (await db.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n,
    );
  /** The table's indexes as the database describes them (name and definition). */
  const indexes = async (): Promise<unknown[]> =>
    provider === 'sqlite'
      ? db.sql.query(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'network_membership' ORDER BY name`,
        )
      : db.sql.query(
          `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'network_membership' ORDER BY indexname`,
        );
  let migrated: unknown[] = [];
  beforeAll(async () => {
    migrated = await indexes();
  });

  it('fails part-way through a first load without writing anything', async () => {
    const results = await importRosters({
      db,
      paths: [file('first-too-long.txt', big(20_000))],
      asOf: '2026-11-01',
      kind: 'cms_network',
      timeZone: TZ,
      limits: { maxRows: 15_000 },
    });
    expect(results[0]!.status).toBe('failed');
    expect(results[0]!.message).toMatch(/more than 15000 data rows/);
    expect(await count('network_membership')).toBe(0);
    expect(await count('roster_import')).toBe(0);
  });

  it('keeps CMS memberships out of the secondary index; the snapshot still reads home infusion through it', async () => {
    const results = await importRosters({
      db,
      paths: [file('first.txt', big(20_000))],
      asOf: '2026-11-01',
      kind: 'cms_network',
      timeZone: TZ,
    });
    expect([results[0]!.status, results[0]!.inserted]).toEqual([
      'completed',
      20_000 + Math.ceil(20_000 / 3),
    ]);
    // One secondary index, partial: retail and mail memberships (all a CMS file holds) are not
    // in it, so a million-row load maintains the table and its key only.
    expect(await indexes()).toEqual(migrated);
    const definitions = JSON.stringify(migrated);
    expect(definitions).toMatch(/network_membership_role_valid_to_contract_id_idx/);
    expect(definitions).toMatch(/WHERE \(?role = 'home_infusion'/);
    expect(definitions).not.toMatch(/contract_id_pbp_id_segment_id_npi_role_idx/);
    // The snapshot's membership read (role = 'home_infusion' and in force) uses it.
    const hiRead = `SELECT npi FROM network_membership WHERE role = 'home_infusion' AND valid_from <= '2026-11-01' AND (valid_to IS NULL OR valid_to > '2026-11-01') AND contract_id = 'S1234'`;
    if (provider === 'sqlite') {
      const plan = await db.sql.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${hiRead}`);
      expect(plan.map((r) => r.detail).join(' ')).toMatch(
        /USING INDEX network_membership_role_valid_to_contract_id_idx/,
      );
      expect(await db.sql.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } else {
      const plan = await db.sql.transaction(async (tx) => {
        await tx.run('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${hiRead}`);
      });
      expect(plan.map((r) => r['QUERY PLAN']).join(' ')).toMatch(
        /network_membership_role_valid_to_contract_id_idx/,
      );
    }
    // Undo, so the later tests start from an empty table as before.
    await db.sql.run('DELETE FROM network_membership');
    await db.sql.run('DELETE FROM import_plan');
    await db.sql.run('DELETE FROM rejected_row');
    await db.sql.run('DELETE FROM roster_import');
  });

  it('reads odd but valid values like parseRow, and rejects bad and duplicate rows', async () => {
    const a = npi('100000001');
    const b = npi('100000002');
    const c = npi('100000003');
    const results = await importRosters({
      db,
      paths: [
        file('odd.txt', [
          `S1234|001|000|${a}|12345|N|N|Y|N|1|0`,
          `s1234|1||${b}|12345-6789|yes|no|y|T|0|0`, // lower case, padded, blank segment
          `S1234|001|000|${c}|XXXXX|N|N|N|N|1|0`, // neither flag: retail
          `S1234|001|000|${a}|12345|N|N|Y|N|1|0`, // duplicate of row 2
          `S1234|001|000|${c}|XXXXX|N|N|Y|N|1|0`, // same key as row 4 (retail)
          `S1234|001|000|1234567890|12345|N|N|Y|N|1|0`, // bad check digit
          `S1234|001|000|${a}|12345|N|N|maybe|N|1|0`,
          `S1234|001|000|${a}|12345`, // ragged
        ]),
      ],
      asOf: '2026-11-01',
      kind: 'cms_network',
      timeZone: TZ,
    });
    const r = results[0]!;
    expect([r.status, r.rowsRead, r.accepted, r.rejected]).toEqual(['completed', 8, 3, 5]);
    expect(r.rejections.map((x) => [x.rowNumber, x.column])).toEqual([
      [5, 'contract_id, pbp_id, segment_id, npi, role'],
      [6, 'contract_id, pbp_id, segment_id, npi, role'],
      [7, 'npi'],
      [8, 'retail'],
      [9, null],
    ]);
    expect(r.rejections[0]!.reason).toBe(
      'contract_id, pbp_id, segment_id, npi, role: duplicate of row 2 (same contract_id, pbp_id, segment_id, npi, role)',
    );
    expect(r.rejections[0]!.raw['PHARMACY_NUMBER']).toBe(a);
    const rows = await db.sql.query<{
      contract_id: string;
      pbp_id: string;
      npi: string;
      role: string;
    }>('SELECT contract_id, pbp_id, segment_id, npi, role FROM network_membership ORDER BY id');
    expect(rows).toEqual([
      { contract_id: 'S1234', pbp_id: '001', segment_id: '000', npi: a, role: 'retail' },
      { contract_id: 'S1234', pbp_id: '001', segment_id: '000', npi: b, role: 'retail' },
      { contract_id: 'S1234', pbp_id: '001', segment_id: '000', npi: b, role: 'mail' },
      { contract_id: 'S1234', pbp_id: '001', segment_id: '000', npi: c, role: 'retail' },
    ]);
  });

  it('fails part-way through a later load (staging) without changing anything', async () => {
    const before = await db.sql.query('SELECT * FROM network_membership ORDER BY id');
    const imports = await count('roster_import');
    const results = await importRosters({
      db,
      paths: [file('later-too-long.txt', big(20_000))],
      asOf: '2026-12-01',
      kind: 'cms_network',
      timeZone: TZ,
      limits: { maxRows: 15_000 },
    });
    expect(results[0]!.status).toBe('failed');
    expect(await db.sql.query('SELECT * FROM network_membership ORDER BY id')).toEqual(before);
    expect(await count('roster_import')).toBe(imports);
    // The connection is still usable: the same file within the limit loads.
    const ok = await importRosters({
      db,
      paths: [file('later.txt', big(20_000))],
      asOf: '2026-12-01',
      kind: 'cms_network',
      timeZone: TZ,
    });
    expect([ok[0]!.status, ok[0]!.accepted, ok[0]!.inserted, ok[0]!.ended]).toEqual([
      'completed',
      20_000,
      // a's and b's retail memberships are listed again as they were: they continue. c's has
      // another ZIP now: a new version.
      20_000 + Math.ceil(20_000 / 3) - 2,
      1, // b's mail membership
    ]);
  });

  it('continues memberships a later file lists again, in any order; a changed one is replaced', async () => {
    const since = async (): Promise<Map<string, string>> =>
      new Map(
        (
          await db.sql.query<{ npi: string; role: string; effective_date: unknown }>(
            `SELECT npi, role, effective_date FROM network_membership WHERE valid_to IS NULL`,
          )
        ).map((r) => [`${r.npi} ${r.role}`, fromDbDate(r.effective_date)]),
      );
    const before = await since();
    const a = npi('100000001');
    expect(before.get(`${a} retail`)).toBe('2026-11-01');
    expect(before.get(`${npi('100000000')} retail`)).toBe('2026-12-01');
    // The same memberships a month later, in another order: other bytes (so the file is
    // recorded as read, not skipped as unchanged), nothing to change.
    const load = async (name: string, lines: string[], asOf: string): Promise<unknown[]> => {
      const [r] = await importRosters({
        db,
        paths: [file(name, lines)],
        asOf,
        kind: 'cms_network',
        timeZone: TZ,
      });
      return [r!.status, r!.inserted, r!.ended];
    };
    const rows = big(20_000).reverse();
    expect(await load('january.txt', rows, '2027-01-01')).toEqual(['completed', 0, 0]);
    expect(await since()).toEqual(before);
    // A month later again, one ZIP changed: that membership alone gets a new version.
    const changed = rows.map((r) => (r.includes(`|${a}|`) ? r.replace('|12345|', '|60601|') : r));
    expect(await load('february.txt', changed, '2027-02-01')).toEqual(['completed', 1, 0]);
    const after = await since();
    expect(after.get(`${a} retail`)).toBe('2027-02-01');
    expect(after.size).toBe(before.size);
    expect([...after].filter(([k, d]) => before.get(k) !== d).map(([k]) => k)).toEqual([
      `${a} retail`,
    ]);
  });
});
