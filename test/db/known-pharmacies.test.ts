/**
 * The pharmacies an import resolves NPIs against (listKnownPharmacies: one aggregated text, not
 * a row each) are those in force on the as-of date with their service types, on both
 * databases: as the plain query of the rows gives them, before, during and after a pharmacy
 * changes its service type, and none in an empty database.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { dbDate } from '../../src/db/sql.js';
import { listKnownPharmacies } from '../../src/db/write-roster.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini', 'pharmacies.csv');
const TZ = 'America/Chicago';

describe.each(PROVIDERS)('listKnownPharmacies on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  const [header, ...rows] = readFileSync(MINI, 'utf8').trimEnd().split('\n');
  const npis = rows.map((r) => r.split(',')[0]!);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'known-'));
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the rows in force on the date say, read one by one (the definition). */
  const plain = async (asOf: string): Promise<Map<string, string>> => {
    const d = dbDate(provider, asOf);
    const got = await db.sql.query<{ npi: string; service_type: string }>(
      'SELECT npi, service_type FROM pharmacy WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)',
      [d, d],
    );
    return new Map(got.map((r) => [r.npi, r.service_type]));
  };
  const probes = [...npis, '1234567893', '', '100000001'];
  const check = async (asOf: string, expected: number): Promise<void> => {
    const want = await plain(asOf);
    expect(want.size).toBe(expected);
    const known = await listKnownPharmacies({ db, asOf });
    for (const npi of probes) expect(known.get(npi)).toBe(want.get(npi));
  };

  it('gives the pharmacies in force on the date, with their service types', async () => {
    await check('2026-11-01', 0); // an empty database
    const file = join(dir, 'pharmacies.csv');
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const first = await importRosters({ db, paths: [file], asOf: '2026-11-01', timeZone: TZ });
    expect(first[0]!.status).toBe('completed');
    // A month later the second pharmacy is mail order.
    const later = rows.map((r, i) => (i === 1 ? r.replace(',03,', ',06,') : r));
    writeFileSync(file, [header, ...later].join('\n') + '\n');
    const second = await importRosters({ db, paths: [file], asOf: '2026-12-01', timeZone: TZ });
    expect(second[0]!.status).toBe('completed');
    await check('2026-10-31', 0);
    await check('2026-11-15', rows.length);
    await check('2026-12-01', rows.length);
    expect((await listKnownPharmacies({ db, asOf: '2026-11-30' })).get(npis[1]!)).toBe('03');
    expect((await listKnownPharmacies({ db, asOf: '2026-12-01' })).get(npis[1]!)).toBe('06');
  });
});
