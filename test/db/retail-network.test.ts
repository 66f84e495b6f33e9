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
import { dbDate } from '../../src/db/sql.js';
import { planKeyString, type PlanRetailNetwork, type ZipPoint } from '../../src/domain/types.js';
import { npiFrom } from '../../src/generate/identifiers.js';
import { generateRosterSet } from '../../src/generate/roster.js';
import { lookupZip } from '../../src/geo/zips.js';
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

/**
 * The retail network as loadSnapshot counted it entirely in SQL: per plan x role x pharmacy
 * (roster ZIP, else the CMS file's), then per ZIP x service type (LEFT JOIN pharmacy). The reference the
 * faster load (NPIs aggregated per plan and role, classified in JavaScript) must match.
 */
async function retailNetworkBySqlGroups(
  db: Db,
  asOf: string,
  scope: { contractId: string | null; pbpId: string | null },
  without: readonly string[],
): Promise<Map<string, PlanRetailNetwork>> {
  const d = dbDate(db.sql.provider, asOf);
  const planSql =
    (scope.contractId ? ' AND m.contract_id = ?' : '') + (scope.pbpId ? ' AND m.pbp_id = ?' : '');
  const params = [
    ...(scope.contractId ? [scope.contractId] : []),
    ...(scope.pbpId ? [scope.pbpId] : []),
  ];
  const rows = await db.sql.query<{
    contract_id: string;
    pbp_id: string;
    segment_id: string;
    role: string;
    zip: string | null;
    service_type: string | null;
    n: number | string | bigint;
  }>(
    `SELECT contract_id, pbp_id, segment_id, role, zip, service_type, COUNT(*) AS n
       FROM (SELECT m.contract_id, m.pbp_id, m.segment_id, m.role, m.npi,
                    COALESCE(MAX(ph.zip), MAX(m.zip)) AS zip,
                    MAX(ph.service_type) AS service_type
               FROM network_membership m
               LEFT JOIN pharmacy ph
                 ON ph.npi = m.npi AND ph.valid_from <= ? AND (ph.valid_to IS NULL OR ph.valid_to > ?)
              WHERE m.role IN ('retail', 'ltc')
                AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)
                AND m.effective_date <= ? AND (m.termination_date IS NULL OR m.termination_date >= ?)${planSql}${
                  without.length > 0
                    ? ` AND m.npi NOT IN (${without.map(() => '?').join(', ')})`
                    : ''
                }
              GROUP BY m.contract_id, m.pbp_id, m.segment_id, m.role, m.npi) x
      GROUP BY contract_id, pbp_id, segment_id, role, zip, service_type`,
    [d, d, d, d, d, d, ...params, ...without],
  );
  const plans = new Map<string, PlanRetailNetwork>();
  for (const r of rows) {
    const key = planKeyString({
      contractId: r.contract_id,
      pbpId: r.pbp_id,
      segmentId: r.segment_id,
    });
    let p = plans.get(key);
    if (!p) {
      p = {
        contractId: r.contract_id,
        pbpId: r.pbp_id,
        segmentId: r.segment_id,
        locations: [],
        retailPharmacies: 0,
        unlocatedPharmacies: 0,
        excludedPharmacies: 0,
        ltcPharmacies: 0,
      };
      plans.set(key, p);
    }
    const n = Number(r.n);
    if (r.role === 'ltc' || r.service_type === '05') p.ltcPharmacies += n;
    if (r.role !== 'retail') continue;
    if (r.service_type !== null && ['03', '05', '06'].includes(r.service_type)) {
      p.excludedPharmacies += n;
      continue;
    }
    p.retailPharmacies += n;
    const place = r.zip === null ? undefined : lookupZip(r.zip);
    if (place === undefined) {
      p.unlocatedPharmacies += n;
      continue;
    }
    if (!p.locations.some((l) => l.zip === r.zip)) {
      const pt: ZipPoint = { zip: r.zip!, lat: place.lat, lon: place.lon };
      p.locations.push(pt);
    }
  }
  for (const p of plans.values()) p.locations.sort((a, b) => (a.zip < b.zip ? -1 : 1));
  return plans;
}

describe.each(PROVIDERS)('retail network load = the SQL group counts, on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retail-eq-'));
    // A generated national-shaped set (retail, mail, LTC, HI service types; the sponsor's
    // network roster and a CMS file listing the same memberships again), then a second CMS
    // file a month later ending part of it, so versions in force and ended ones both exist.
    const first = join(dir, 'a');
    await generateRosterSet({
      pharmacies: 600,
      plans: 5,
      states: ['IL', 'WI', 'PR'],
      seed: 'retail-eq',
      out: first,
      networkRows: 2_000,
      coverageRequests: 0,
    });
    const later = join(dir, 'b');
    await generateRosterSet({
      pharmacies: 600,
      plans: 5,
      states: ['IL', 'WI', 'PR'],
      seed: 'retail-eq',
      out: later,
      networkRows: 1_200,
      coverageRequests: 0,
    });
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    await importRosters({ db, paths: [first], asOf: '2026-10-01', timeZone: 'America/Chicago' });
    await importRosters({
      db,
      paths: [join(later, 'cms-network.txt')],
      asOf: '2026-11-01',
      timeZone: 'America/Chicago',
    });
  }, 120_000);
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['2026-10-15', null, null],
    ['2026-11-01', null, null],
    ['2026-11-01', 'first-contract', null],
    ['2026-11-01', 'first-contract', 'first-pbp'],
  ])('as of %s, scope %s %s, with and without pharmacies', async (asOf, contract, pbp) => {
    const all = await retailNetworkBySqlGroups(db, asOf, { contractId: null, pbpId: null }, []);
    const firstPlan = [...all.values()].sort((a, b) =>
      planKeyString(a) < planKeyString(b) ? -1 : 1,
    )[0]!;
    const scope = {
      contractId: contract === null ? null : firstPlan.contractId,
      pbpId: pbp === null ? null : firstPlan.pbpId,
    };
    // Some pharmacies of the first plan left out (what-if), by NPI from its memberships.
    const npis = await db.sql.query<{ npi: string }>(
      `SELECT DISTINCT npi FROM network_membership WHERE contract_id = ? AND role = 'retail' ORDER BY npi`,
      [firstPlan.contractId],
    );
    expect(npis.length).toBeGreaterThan(20);
    for (const without of [[], npis.filter((_, i) => i % 7 === 0).map((r) => r.npi)]) {
      const expected = await retailNetworkBySqlGroups(db, asOf, scope, without);
      expect(expected.size).toBeGreaterThan(0);
      const snapshot = await loadSnapshot({
        db,
        asOf,
        scope,
        receivedBefore: '2026-11-02T05:00:00.000Z',
        withoutNpis: new Set(without),
      });
      const got = snapshot.retailNetwork!.plans;
      for (const [key, want] of expected) expect(got.get(key), key).toEqual(want);
      // Plans with no retail or LTC membership are listed empty, never with counts.
      for (const [key, p] of got) {
        if (expected.has(key)) continue;
        expect(p.retailPharmacies + p.ltcPharmacies + p.excludedPharmacies, key).toBe(0);
      }
    }
  });
});
