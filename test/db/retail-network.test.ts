/**
 * The retail network RETAIL-ACCESS reads, as loadSnapshot counts it in SQL on both databases:
 * retail and LTC memberships in force and effective on the date, grouped per plan and pharmacy
 * ZIP; home infusion, LTC and mail-order pharmacies never count as retail.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { loadSnapshot } from '../../src/db/load-snapshot.js';
import { npiFrom } from '../../src/generate/identifiers.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const AS_OF = '2026-11-01';

const R1 = npiFrom(1, 70001); // retail, 60601
const R2 = npiFrom(1, 70002); // retail, 60601 too: one location, two pharmacies
const R3 = npiFrom(1, 70003); // retail, 60603
const UNKNOWN = npiFrom(1, 70004); // retail at a ZIP the reference does not know
const HI = npiFrom(1, 70005); // role retail, but the roster types it home infusion (03)
const LTC = npiFrom(1, 70006); // service type 05, blank role: ltc
const ENDED = npiFrom(1, 70007); // retail, terminated before the as-of date

function pharmacy(npi: string, zip: string, serviceType: string): string {
  return `${npi},,Store ${npi},1 Main St,Chicago,IL,${zip},17031,3125550100,,${serviceType},,N,,N,N,N,N,,,`;
}

describe.each(PROVIDERS)('retail network on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retail-net-'));
    cpSync(MINI, dir, { recursive: true });
    const pharmacies = join(dir, 'pharmacies.csv');
    writeFileSync(
      pharmacies,
      readFileSync(pharmacies, 'utf8').trimEnd() +
        '\n' +
        [
          pharmacy(R1, '60601', '01'),
          pharmacy(R2, '60601', '01'),
          pharmacy(R3, '60603', '01'),
          pharmacy(UNKNOWN, '99999', '01'),
          pharmacy(HI, '60602', '03'),
          pharmacy(LTC, '60602', '05'),
          pharmacy(ENDED, '60602', '01'),
        ].join('\n') +
        '\n',
    );
    const network = join(dir, 'network.csv');
    const row = (npi: string, role: string, end = '') =>
      `S1234,001,000,${npi},${role},2026-01-01,${end}`;
    writeFileSync(
      network,
      readFileSync(network, 'utf8').trimEnd() +
        '\n' +
        [
          row(R1, 'retail'),
          row(R2, ''),
          row(R3, 'retail'),
          row(UNKNOWN, 'retail'),
          row(HI, 'retail'),
          row(LTC, ''),
          row(ENDED, 'retail', '2026-06-30'),
        ].join('\n') +
        '\n',
    );
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    await importRosters({ db, paths: [dir], asOf: AS_OF, timeZone: 'America/Chicago' });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts distinct pharmacies per plan, placed at distinct ZIP centroids', async () => {
    const snapshot = await loadSnapshot({
      db,
      asOf: AS_OF,
      scope: { contractId: null, pbpId: null },
      receivedBefore: '2026-11-02T05:00:00.000Z',
    });
    const plan = snapshot.retailNetwork!.plans.get('S1234-001-000')!;
    // The mini fixture's Corner Drugs (service type 01, blank role) is at 60605.
    expect(plan.locations.map((l) => l.zip)).toEqual(['60601', '60603', '60605']);
    expect(plan.locations[0]).toMatchObject({ lat: 41.8858, lon: -87.6181 });
    // Corner Drugs, R1, R2, R3, UNKNOWN (HI is left out, ENDED has ended).
    expect(plan.retailPharmacies).toBe(5);
    expect(plan.unlocatedPharmacies).toBe(1);
    expect(plan.excludedPharmacies).toBe(1);
    expect(plan.ltcPharmacies).toBe(1);
  });

  it('a what-if without a pharmacy leaves it out, and a scope filters the plans', async () => {
    const snapshot = await loadSnapshot({
      db,
      asOf: AS_OF,
      scope: { contractId: 'S1234', pbpId: '001' },
      receivedBefore: '2026-11-02T05:00:00.000Z',
      withoutNpis: new Set([R3]),
    });
    const plan = snapshot.retailNetwork!.plans.get('S1234-001-000')!;
    expect(plan.locations.map((l) => l.zip)).toEqual(['60601', '60605']);
    expect(plan.retailPharmacies).toBe(4);
    const other = await loadSnapshot({
      db,
      asOf: AS_OF,
      scope: { contractId: 'S9999', pbpId: null },
      receivedBefore: '2026-11-02T05:00:00.000Z',
    });
    expect(other.retailNetwork!.plans.size).toBe(0);
  });
});
