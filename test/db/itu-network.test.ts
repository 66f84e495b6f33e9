/**
 * The pharmacy roster's optional itu column, stored and read back on both databases: the I/T/U
 * pharmacies in force, how many pharmacies say Y or N, and the networks they are in; ITU-ACCESS
 * then names, per plan, those in its service area and not in its network. A roster without the
 * column stores null (unknown), and its pharmacies hash as before the column.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { loadSnapshot } from '../../src/db/load-snapshot.js';
import { evaluate } from '../../src/evaluate/engine.js';
import { npiFrom } from '../../src/generate/identifiers.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { RULES } from '../../src/rules/registry.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const AS_OF = '2026-11-01';
const TZ = 'America/Chicago';

const ITU_IN = npiFrom(1, 72001); // I/T/U, Cook (service area), in the network
const ITU_OUT = npiFrom(1, 72002); // I/T/U, DuPage (service area), in no network
const ITU_FAR = npiFrom(1, 72003); // I/T/U, Kane (not in the service area)
const NOT_ITU = npiFrom(1, 72004); // says N

const row = (npi: string, county: string, zip: string, itu: string): string =>
  `${npi},,Clinic ${npi},1 Main St,Chicago,IL,${zip},${county},3125550100,,01,,N,,N,N,N,N,,,,${itu}`;

describe.each(PROVIDERS)('I/T/U pharmacies on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itu-net-'));
    cpSync(MINI, dir, { recursive: true });
    const pharmacies = join(dir, 'pharmacies.csv');
    const [header, ...rows] = readFileSync(pharmacies, 'utf8').trimEnd().split('\n');
    writeFileSync(
      pharmacies,
      [
        `${header},I/T/U`,
        // The mini fixture's pharmacies leave it blank (unknown).
        ...rows.map((r) => `${r},`),
        row(ITU_IN, '17031', '60601', 'Y'),
        row(ITU_OUT, '17043', '60187', 'Yes'),
        row(ITU_FAR, '17089', '60120', 'Y'),
        row(NOT_ITU, '17031', '60603', 'N'),
      ].join('\n') + '\n',
    );
    const network = join(dir, 'network.csv');
    writeFileSync(
      network,
      readFileSync(network, 'utf8').trimEnd() + `\nS1234,001,000,${ITU_IN},retail,2026-01-01,\n`,
    );
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    const results = await importRosters({ db, paths: [dir], asOf: AS_OF, timeZone: TZ });
    expect(results.every((r) => r.status === 'completed')).toBe(true);
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores Y / N / blank as true / false / null and reads the I/T/U network', async () => {
    const stored = await db.sql.query<{ npi: string; itu: unknown }>(
      `SELECT npi, itu FROM pharmacy WHERE valid_to IS NULL ORDER BY npi`,
    );
    const itu = Object.fromEntries(
      stored.map((r) => [r.npi, r.itu === null ? null : r.itu === true || r.itu === 1]),
    );
    expect(itu).toMatchObject({
      '1000000012': null,
      [ITU_IN]: true,
      [ITU_OUT]: true,
      [ITU_FAR]: true,
      [NOT_ITU]: false,
    });
    const snapshot = await loadSnapshot({
      db,
      asOf: AS_OF,
      scope: { contractId: null, pbpId: null },
      receivedBefore: '2026-11-02T05:00:00.000Z',
    });
    expect(snapshot.ituNetwork!.pharmaciesWithAttribute).toBe(4);
    expect(snapshot.ituNetwork!.pharmacies.map((p) => [p.npi, p.countyFips])).toEqual([
      [ITU_IN, '17031'],
      [ITU_OUT, '17043'],
      [ITU_FAR, '17089'],
    ]);
    expect([...snapshot.ituNetwork!.inNetwork.get('S1234-001-000')!]).toEqual([ITU_IN]);

    const run = evaluate({ snapshot, policy: DEFAULT_POLICY, rules: RULES });
    const itu2 = run.findings.filter((f) => f.ruleId === 'ITU-ACCESS');
    expect(
      itu2
        .filter((f) => f.messageId === 'notInNetwork')
        .map((f) => [f.key, f.evidence.notInNetwork]),
    ).toEqual([['ITU-ACCESS|S1234|001|000', [ITU_OUT]]]);
    // The mini fixture's pharmacies leave itu blank: said (info), an I/T/U pharmacy may hide there.
    expect(snapshot.ituNetwork!.pharmaciesWithoutAttribute).toBe(3);
    expect(itu2.filter((f) => f.messageId === 'partial').map((f) => f.severity)).toEqual(['info']);
    expect(run.retailAccess.itu!.rows).toMatchObject([
      { contractId: 'S1234', inArea: 2, inNetwork: 1 },
    ]);

    // What-if: without the contracted one, it is named too.
    const without = await loadSnapshot({
      db,
      asOf: AS_OF,
      scope: { contractId: null, pbpId: null },
      receivedBefore: '2026-11-02T05:00:00.000Z',
      withoutNpis: new Set([ITU_IN]),
    });
    expect(without.ituNetwork!.inNetwork.size).toBe(0);
  });
});
