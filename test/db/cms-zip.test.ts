/**
 * The CMS network file's PHARMACY_ZIPCODE, stored with its memberships and read by RETAIL-ACCESS's
 * network load on both databases: a retail pharmacy only the CMS file lists is placed at its CMS
 * ZIP and counted as located; a pharmacy the pharmacy roster lists stays at the roster's ZIP (the
 * sponsor's own data wins); a ZIP the reference does not know, or one CMS masks, stays unlocated.
 * The ZIP is part of the membership's content: the same file again is unchanged, a file moving
 * one pharmacy writes a new version of that membership only.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { loadSnapshot } from '../../src/db/load-snapshot.js';
import { migrationsDir } from '../../src/db/migrate.js';
import { npiFrom } from '../../src/generate/identifiers.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const TZ = 'America/Chicago';
const AS_OF = '2026-11-01';

const ROSTERED = npiFrom(1, 71001); // pharmacy roster ZIP 60603; CMS file says 60610
const CMS_ONLY = npiFrom(1, 71002); // CMS file only, ZIP 60604 (known to the reference)
const CMS_BAD = npiFrom(1, 71003); // CMS file only, ZIP 99999 (not in the reference)
const CMS_MASKED = npiFrom(1, 71004); // CMS file only, ZIP masked XXXXX

const CMS_HEADER =
  'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE';
const cmsFile = (zips: Record<string, string>): string =>
  [
    CMS_HEADER,
    ...Object.entries(zips).map(([npi, zip]) => `S1234|001|000|${npi}|${zip}|N|N|Y|N|1|0`),
  ].join('\n') + '\n';
const FIRST = {
  [ROSTERED]: '60610',
  [CMS_ONLY]: '60604',
  [CMS_BAD]: '99999',
  [CMS_MASKED]: 'XXXXX',
};

describe.each(PROVIDERS)('the CMS file ZIP on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  let cmsPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cms-zip-'));
    cpSync(MINI, join(dir, 'rosters'), { recursive: true });
    const pharmacies = join(dir, 'rosters', 'pharmacies.csv');
    writeFileSync(
      pharmacies,
      readFileSync(pharmacies, 'utf8').trimEnd() +
        `\n${ROSTERED},,Rostered Drug,1 Main St,Chicago,IL,60603,17031,3125550100,,01,,N,,N,N,N,N,,,\n`,
    );
    cmsPath = join(dir, 'cms-network.txt');
    writeFileSync(cmsPath, cmsFile(FIRST));
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    const results = await importRosters({
      db,
      paths: [join(dir, 'rosters'), cmsPath],
      asOf: AS_OF,
      timeZone: TZ,
    });
    expect(results.map((r) => [r.kind, r.status])).toContainEqual(['cms_network', 'completed']);
    expect(results.every((r) => r.status === 'completed')).toBe(true);
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const retailPlan = async (asOf: string) => {
    const snapshot = await loadSnapshot({
      db,
      asOf,
      scope: { contractId: null, pbpId: null },
      receivedBefore: `${asOf}T23:00:00.000Z`,
    });
    return snapshot.retailNetwork!.plans.get('S1234-001-000')!;
  };
  const storedZips = async (): Promise<Record<string, string | null>> => {
    const rows = await db.sql.query<{ npi: string; zip: string | null }>(
      `SELECT npi, zip FROM network_membership WHERE source = 'cms' AND valid_to IS NULL ORDER BY npi`,
    );
    return Object.fromEntries(rows.map((r) => [r.npi, r.zip]));
  };

  it('stores each CMS membership with its ZIP (masked: null); roster memberships keep null', async () => {
    expect(await storedZips()).toEqual({
      [ROSTERED]: '60610',
      [CMS_ONLY]: '60604',
      [CMS_BAD]: '99999',
      [CMS_MASKED]: null,
    });
    const roster = await db.sql.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM network_membership WHERE source = 'roster' AND zip IS NOT NULL`,
    );
    expect(Number(roster[0]!.n)).toBe(0);
  });

  it('places a CMS-only retail pharmacy at its CMS ZIP and counts it as located', async () => {
    const plan = await retailPlan(AS_OF);
    // The mini fixture's Corner Drugs (roster retail) is at 60605; ROSTERED stays at its roster
    // ZIP 60603 (not the CMS file's 60610); CMS_ONLY is placed at 60604.
    expect(plan.locations.map((l) => l.zip)).toEqual(['60603', '60604', '60605']);
    expect(plan.locations.find((l) => l.zip === '60604')).toMatchObject({
      lat: 41.8785,
      lon: -87.633,
    });
    // Corner Drugs, ROSTERED (once, though two sources list it), CMS_ONLY, CMS_BAD, CMS_MASKED.
    expect(plan.retailPharmacies).toBe(5);
    // Still unlocated: the ZIP the reference does not know, and the masked one.
    expect(plan.unlocatedPharmacies).toBe(2);
  });

  it('the same file again is unchanged; a file differing only in a ZIP is a new version', async () => {
    const again = await importRosters({ db, paths: [cmsPath], asOf: AS_OF, timeZone: TZ });
    expect(again.map((r) => r.status)).toEqual(['unchanged']);

    // The same memberships in other bytes (a FLOOR_PRICE the tool ignores), so the file is read:
    // no version written.
    const repriced = join(dir, 'cms-repriced.txt');
    writeFileSync(repriced, cmsFile(FIRST).replaceAll('|1|0\n', '|1|1\n'));
    const same = await importRosters({ db, paths: [repriced], asOf: AS_OF, timeZone: TZ });
    // (New bytes are recorded as an import; it writes no version and ends none.)
    expect([same[0]!.status, same[0]!.rowsRead, same[0]!.inserted, same[0]!.ended]).toEqual([
      'completed',
      4,
      0,
      0,
    ]);

    // CMS_BAD's ZIP corrected to 60607, nothing else: that membership alone is a new version.
    const moved = join(dir, 'cms-moved.txt');
    writeFileSync(moved, cmsFile({ ...FIRST, [CMS_BAD]: '60607' }));
    const changed = await importRosters({ db, paths: [moved], asOf: AS_OF, timeZone: TZ });
    expect([changed[0]!.status, changed[0]!.inserted]).toEqual(['completed', 1]);
    expect(await storedZips()).toEqual({
      [ROSTERED]: '60610',
      [CMS_ONLY]: '60604',
      [CMS_BAD]: '60607',
      [CMS_MASKED]: null,
    });
    const plan = await retailPlan(AS_OF);
    expect(plan.locations.map((l) => l.zip)).toEqual(['60603', '60604', '60605', '60607']);
    expect([plan.retailPharmacies, plan.unlocatedPharmacies]).toEqual([5, 1]);
  });

  it('a CMS file imported before ZIPs were stored is read again, not skipped as unchanged', async () => {
    const upgraded = join(dir, 'cms-upgraded.txt');
    writeFileSync(upgraded, cmsFile({ ...FIRST, [CMS_BAD]: '60608' }));
    const first = await importRosters({ db, paths: [upgraded], asOf: '2027-01-01', timeZone: TZ });
    expect(first[0]!.status).toBe('completed');
    // As a database migrated from before the column has it: memberships without their ZIP, and
    // the imports marked by the migration's own statement.
    await db.sql.run(
      `UPDATE network_membership SET zip = NULL WHERE source = 'cms' AND valid_to IS NULL`,
    );
    const sql = readFileSync(
      join(migrationsDir(provider), '20261206204111_cms_membership_zip', 'migration.sql'),
      'utf8',
    );
    const update = /UPDATE "roster_import"[^;]*;/.exec(sql);
    expect(update).not.toBeNull();
    await db.sql.run(update![0]);

    const again = await importRosters({
      db,
      paths: [upgraded],
      asOf: '2027-01-01',
      timeZone: TZ,
    });
    expect(again[0]!.status).toBe('completed');
    expect((await storedZips())[CMS_ONLY]).toBe('60604');
    // Now written with its ZIPs, the same bytes are the snapshot in force again.
    const third = await importRosters({ db, paths: [upgraded], asOf: '2027-01-01', timeZone: TZ });
    expect(third[0]!.status).toBe('unchanged');
  });
});
