import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithPrisma, type DbWithPrisma } from '../helpers/prisma.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const BAD = join(import.meta.dirname, '..', 'fixtures', 'mini-bad', 'network.csv');
const TZ = 'America/Chicago';

describe.each(PROVIDERS)('roster import on %s', (provider) => {
  let tdb: TestDatabase;
  let db: DbWithPrisma;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openWithPrisma({ url: tdb.url });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
  });

  it('loads every kind, in dependency order, accounting for every row', async () => {
    const results = await importRosters({ db, paths: [MINI], asOf: '2026-11-01', timeZone: TZ });
    expect(results.map((r) => [r.kind, r.status, r.rowsRead, r.accepted, r.rejected])).toEqual([
      ['pharmacies', 'completed', 3, 3, 0],
      ['plans', 'completed', 1, 1, 0],
      ['service_areas', 'completed', 4, 4, 0],
      ['network', 'completed', 3, 3, 0],
      ['capabilities', 'completed', 8, 8, 0],
      ['coverage_requests', 'completed', 2, 2, 0],
    ]);
    expect(await db.prisma.pharmacy.count()).toBe(3);
    // a blank role takes the pharmacy's service type (01 = retail)
    const corner = await db.prisma.networkMembership.findFirst({ where: { npi: '1000000038' } });
    expect(corner?.role).toBe('retail');
    // member ids are never stored, only masked
    const req = await db.prisma.coverageRequest.findFirst({ where: { requestId: 'R-1' } });
    expect(req?.memberIdMasked).toBe('****MK73');
    const rows = await db.sql.query<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM coverage_request WHERE member_id_masked LIKE '%1EG4%'",
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('reports an identical file as unchanged and writes nothing', async () => {
    const before = await db.prisma.rosterImport.count();
    const results = await importRosters({
      db,
      paths: [join(MINI, 'pharmacies.csv')],
      asOf: '2026-11-02',
      timeZone: TZ,
    });
    expect(results[0]!.status).toBe('unchanged');
    expect(await db.prisma.rosterImport.count()).toBe(before);
  });

  it('treats a network roster as a snapshot: a missing membership ends at the new date, history stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-snap-'));
    const file = join(dir, 'network.csv');
    writeFileSync(
      file,
      'contract_id,pbp_id,segment_id,npi,role,effective_date\nS1234,001,000,1000000012,home_infusion,2026-01-01\n',
    );
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-12-01', timeZone: TZ });
    expect(r!.status).toBe('completed');
    expect(r!.ended).toBe(2);
    const inForce = (d: string) =>
      db.prisma.networkMembership.count({
        where: {
          validFrom: { lte: new Date(`${d}T00:00:00Z`) },
          OR: [{ validTo: null }, { validTo: { gt: new Date(`${d}T00:00:00Z`) } }],
        },
      });
    expect(await inForce('2026-11-15')).toBe(3);
    expect(await inForce('2026-12-01')).toBe(1);
  });

  it('rejects bad rows with row, column and reason, and loads the rest', async () => {
    const [r] = await importRosters({ db, paths: [BAD], asOf: '2026-12-02', timeZone: TZ });
    expect(r!.rowsRead).toBe(5);
    expect(r!.accepted + r!.rejected).toBe(r!.rowsRead);
    expect(r!.accepted).toBe(1);
    const byRow = new Map(r!.rejections.map((x) => [x.rowNumber, x]));
    expect(byRow.get(3)?.column).toBe('npi');
    expect(byRow.get(3)?.reason).toMatch(/check digit/);
    expect(byRow.get(4)?.reason).toMatch(/not a real calendar date/);
    expect(byRow.get(5)?.reason).toMatch(/contract/i);
    expect(byRow.get(5)?.reason).toMatch(/before effective date/);
    expect(byRow.get(6)?.reason).toMatch(/duplicate of row 2/);
    const stored = await db.prisma.rejectedRow.findMany({ where: { importId: r!.importId! } });
    expect(stored).toHaveLength(4);
    expect(JSON.parse(stored[0]!.raw)).toHaveProperty('npi');
  });

  it('rejects a reference to an unknown pharmacy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-caps-'));
    const file = join(dir, 'capabilities.csv');
    writeFileSync(
      file,
      'npi,drug_class,usable_form\n2000000010,ABX_IV,Y\n1000000012,NOT_A_CLASS,Y\n',
    );
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-11-01', timeZone: TZ });
    expect(r!.rejected).toBe(2);
    expect(r!.rejections[0]!.reason).toMatch(/not a known pharmacy/);
    expect(r!.rejections[1]!.reason).toMatch(/ABX_IV/); // lists the valid codes
  });

  it('fails a file missing required columns and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-bad-'));
    const file = join(dir, 'pharmacies.csv');
    writeFileSync(file, 'npi,name\n1000000012,Alpha\n');
    const before = await db.prisma.rosterImport.count();
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-11-01', timeZone: TZ });
    expect(r!.status).toBe('failed');
    expect(r!.message).toMatch(/address/);
    expect(await db.prisma.rosterImport.count()).toBe(before);
  });
});
