import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithPrisma, type DbWithPrisma } from '../helpers/prisma.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { loadSnapshot } from '../../src/db/load-snapshot.js';
import { listImportsInForce } from '../../src/db/runs.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const TZ = 'America/Chicago';

describe.each(PROVIDERS)('enrollment roster on %s', (provider) => {
  let tdb: TestDatabase;
  let db: DbWithPrisma;
  const dir = mkdtempSync(join(tmpdir(), 'ia-enroll-'));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const snapshot = (asOf: string, contractId: string | null = null) =>
    loadSnapshot({
      db,
      asOf,
      scope: { contractId, pbpId: null },
      receivedBefore: `${asOf}T23:59:59.999Z`,
    });
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openWithPrisma({ url: tdb.url });
    await importRosters({ db, paths: [MINI], asOf: '2026-10-01', timeZone: TZ });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not computed before any enrollment roster is imported', async () => {
    const s = await snapshot('2026-10-01');
    expect(s.enrollment).toBeUndefined();
  });

  it('imports ZIP and county rows, rejecting bad ones with file, row, column and reason', async () => {
    const file = write(
      'members-by-zip.csv',
      [
        'Contract,PBP,Segment,Member ZIP,County Code,Enrollees',
        'S1234,1,,60612,,"1,240"', // row 2: ZIP only -> Cook 17031
        'S1234,001,000,60010,17097,15', // row 3: straddling ZIP, Lake county
        'S1234,001,000,,17043,300', // row 4: county only
        'S1234,001,000,60010,17201,5', // row 5: not a county of the ZIP
        'S1234,001,000,99999,,5', // row 6: unknown ZIP, no county
        'S1234,001,000,,,5', // row 7: neither
        'S1234,001,000,60612,17031,2', // row 8: same key as row 2
        'S1234,001,000,61101,,-4', // row 9: negative
        'S9999,001,000,99999,17031,7', // row 10: unknown ZIP with county; plan unknown
        '',
      ].join('\n'),
    );
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-11-01', timeZone: TZ });
    expect(r!.kind).toBe('enrollment');
    expect(r!.status).toBe('completed');
    expect([r!.rowsRead, r!.accepted, r!.rejected]).toEqual([9, 4, 5]);
    expect(r!.warnings).toBe(1);
    const byRow = new Map(r!.rejections.map((x) => [x.rowNumber, x]));
    expect(byRow.get(5)).toMatchObject({ column: 'county_fips', value: '17201' });
    expect(byRow.get(5)!.reason).toBe(
      'county_fips: county FIPS 17201 is not a county of ZIP 60010 (the ZIP reference gives 17089, 17031, 17097, 17111)',
    );
    expect(byRow.get(6)).toMatchObject({ column: 'zip', value: '99999' });
    expect(byRow.get(6)!.reason).toMatch(/not in the US ZIP reference.*county_fips/);
    expect(byRow.get(7)!.reason).toMatch(/neither a ZIP \(zip\) nor a county FIPS/);
    expect(byRow.get(8)!.reason).toMatch(/duplicate of row 2/);
    expect(byRow.get(9)).toMatchObject({ column: 'members', value: '-4' });
    const stored = await db.prisma.rejectedRow.findMany({ where: { importId: r!.importId! } });
    expect(stored.map((x) => x.rowNumber).sort()).toEqual([5, 6, 7, 8, 9]);

    const s = await snapshot('2026-11-01');
    const rows = [...s.enrollment!].map((e) => [
      `${e.contractId}-${e.pbpId}-${e.segmentId}`,
      e.zip,
      e.countyFips,
      e.members,
    ]);
    expect(rows).toEqual([
      ['S1234-001-000', '60612', '17031', 1240],
      ['S1234-001-000', '60010', '17097', 15],
      ['S1234-001-000', null, '17043', 300],
      ['S9999-001-000', '99999', '17031', 7],
    ]);
    // Scope: the contract's enrollment only; strings shared between rows.
    const scoped = [...(await snapshot('2026-11-01', 'S1234')).enrollment!];
    expect(scoped).toHaveLength(3);
    expect(scoped[0]!.contractId).toBe(scoped[1]!.contractId);
    // Before its as-of date no enrollment roster was imported: still not computed.
    expect((await snapshot('2026-10-15')).enrollment).toBeUndefined();
  });

  it('replaces the enrollment of the plans a file lists and keeps the other plans', async () => {
    const file = write(
      'enrollment.csv',
      'contract_id,pbp_id,segment_id,zip,county_fips,members\nS1234,001,000,60612,,1300\n',
    );
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-12-01', timeZone: TZ });
    expect(r!.status).toBe('completed');
    // 60612 changed (replaced), 60010 and the county-only row ended; S9999 untouched.
    expect(r!.ended).toBe(2);
    const s = await snapshot('2026-12-01');
    expect([...s.enrollment!].map((e) => [e.contractId, e.zip, e.members])).toEqual([
      ['S9999', '99999', 7],
      ['S1234', '60612', 1300],
    ]);
    // History: the earlier snapshot is still readable as of its date.
    expect([...(await snapshot('2026-11-15')).enrollment!].map((e) => e.members)).toEqual([
      1240, 15, 300, 7,
    ]);
    // A run's inputs (Data Lineage, rejected rows in force) list both enrollment files.
    const inputs = await listImportsInForce({ db, asOf: '2026-12-01' });
    expect(
      inputs
        .filter((i) => i.kind === 'enrollment')
        .map((i) => [i.fileName, i.rowsInForce, i.rowsEnded, i.rejected]),
    ).toEqual([
      ['members-by-zip.csv', 1, 3, 5],
      ['enrollment.csv', 1, 0, 0],
    ]);
  });

  it('keeps the stored rows of a plan and ZIP a rejected row names', async () => {
    const file = write(
      'enrollment.csv',
      'contract_id,pbp_id,segment_id,zip,county_fips,members\nS1234,001,000,60612,,lots\nS1234,001,000,60004,,8\n',
    );
    const [r] = await importRosters({ db, paths: [file], asOf: '2026-12-15', timeZone: TZ });
    expect([r!.accepted, r!.rejected, r!.ended, r!.keptForRejections]).toEqual([1, 1, 0, 1]);
    const s = await snapshot('2026-12-15', 'S1234');
    expect([...s.enrollment!].map((e) => [e.zip, e.members])).toEqual([
      ['60612', 1300],
      ['60004', 8],
    ]);
  });
});
