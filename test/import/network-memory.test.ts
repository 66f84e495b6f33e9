/**
 * Issue 17: memory stays bounded for a large canonical `network` file (every row accepted) and
 * for a file whose every row is rejected. The CLI runs as a process under GNU time; the figure
 * is the ratio of peak RSS at 400,000 rows to 100,000 rows (not a wall-clock time), on both
 * databases. A pipeline that kept the records or the rejected rows in memory grows about 4x.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npiFrom } from '../../src/generate/identifiers.js';
import { importPeakRss, runCli } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { count, queryDb, tempDir } from '../faults/helpers.js';

const AS_OF = '2026-11-01';
const PHARMACIES = 2_000;
const NPIS = Array.from({ length: PHARMACIES }, (_, i) => npiFrom(1, 31_000_000 + i));

function writePharmacies(file: string): void {
  const lines = [
    'npi,ncpdp_id,name,address,city,state,zip,county_fips,phone,after_hours_phone,service_type,taxonomy,sterile_compounding,usp797_category,provides_nursing,provides_supplies,delivers_within_24h,open_24x7,counties_served,accreditation,accreditation_expires',
  ];
  NPIS.forEach((npi, i) =>
    lines.push(
      `${npi},${2_100_000 + i},Pharmacy ${i},${i} Main St,Auburn,AL,36830,01081,3345550147,,01,3336C0003X,N,,N,N,N,N,,,`,
    ),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** `rows` memberships: plans x the known pharmacies; `bad` gives every NPI a wrong check digit. */
function writeNetwork(file: string, rows: number, bad: boolean): void {
  const lines = ['contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date'];
  for (let i = 0; i < rows; i++) {
    const plan = Math.floor(i / PHARMACIES);
    const contract = `S${4000 + Math.floor(plan / 100)}`;
    const pbp = String((plan % 100) + 1).padStart(3, '0');
    let npi = NPIS[i % PHARMACIES]!;
    if (bad) npi = npi.slice(0, 9) + String((Number(npi[9]) + 1) % 10);
    const term = i % 10 === 0 ? '2027-12-31' : '';
    lines.push(`${contract},${pbp},000,${npi},retail,2025-0${(i % 9) + 1}-01,${term}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe.each(PROVIDERS)('%s: memory of a large canonical network import', (provider) => {
  const root = tempDir('ia-network-rss-');
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** Peak RSS (KiB) importing a network file of `rows` rows into a fresh database. */
  async function peak(rows: number, bad: boolean): Promise<number> {
    const db = await createTestDatabase(provider);
    dbs.push(db);
    if (!bad) {
      const ph = join(root, 'pharmacies.csv');
      writePharmacies(ph);
      const r = await runCli(['import', ph, '--db', db.url, '--as-of', AS_OF]);
      expect(r.code, r.stderr).toBe(0);
    }
    const file = join(root, `network-${bad ? 'bad' : 'good'}-${rows}.csv`);
    writeNetwork(file, rows, bad);
    // Every row of the bad file is rejected: the import exits 2 (none of its rows loaded).
    const kib = await importPeakRss(file, db.url, bad ? 2 : 0);
    // The import did its work: every row stored as a membership or as a rejected row.
    const [imp] = await queryDb<{ accepted: number | string; rejected: number | string }>(
      db.url,
      "SELECT accepted, rejected FROM roster_import WHERE kind = 'network' AND status = 'completed'",
    );
    expect({ accepted: Number(imp?.accepted), rejected: Number(imp?.rejected) }).toEqual(
      bad ? { accepted: 0, rejected: rows } : { accepted: rows, rejected: 0 },
    );
    expect(await count(db.url, 'network_membership', "source = 'roster'")).toBe(bad ? 0 : rows);
    rmSync(file, { force: true });
    return kib;
  }

  it('peak RSS importing 400k network rows is within 1.4x of 100k rows (measured 1.04-1.38)', async () => {
    const small = await peak(100_000, false);
    const large = await peak(400_000, false);
    console.info(`${provider} network: 100k rows ${small} KiB, 400k rows ${large} KiB`);
    // (SQLite's temp page cache for the stage fills up to its 32 MB bound between the two sizes.)
    expect(large / small).toBeLessThan(1.4);
  }, 600_000);

  it('peak RSS importing 400k rejected network rows is within 1.4x of 100k (measured 1.04-1.12)', async () => {
    const small = await peak(100_000, true);
    const large = await peak(400_000, true);
    console.info(`${provider} all rejects: 100k rows ${small} KiB, 400k rows ${large} KiB`);
    // (SQLite's temp page cache for the stage fills up to its 32 MB bound between the two sizes.)
    expect(large / small).toBeLessThan(1.4);
  }, 600_000);
});
