/**
 * Issue 17: SIGKILL during the import of every roster kind through the one staged pipeline
 * (pharmacies, network, capabilities, coverage_requests), on both databases. A database that
 * already holds an earlier version of the kind is killed while the next version is imported
 * (mid-way through the rows written, just before COMMIT): afterwards every table, roster_import
 * and rejected_row included, is exactly as before (a checksum of every row of every table), and
 * the next import of that version completes. The first load of the kind (version 1, written
 * straight into its table) is killed the same way first, and must leave the database as it was.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npiFrom } from '../../src/generate/identifiers.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { queryDb, spawnCli, tempDir, wasKilled } from './helpers.js';

const AS_OF = '2026-11-01';
const PHARMACIES = 1_000;
/** Rows of the version killed mid-import. */
const ROWS = 12_000;
const npi = (i: number): string => npiFrom(1, 32_000_000 + i);
/** The NPI with a wrong check digit (the row is rejected). */
const badNpi = (i: number): string => {
  const n = npi(i);
  return n.slice(0, 9) + String((Number(n[9]) + 1) % 10);
};
const CLASSES = [
  'ABX_IV',
  'ANTIFUNGAL_IV',
  'ANTIVIRAL_IV',
  'PN_TEMPORARY',
  'IG_NONPID',
  'HYDRATION',
];

type Kind = 'pharmacies' | 'network' | 'capabilities' | 'coverage_requests';

const PHARMACY_HEADER =
  'npi,ncpdp_id,name,address,city,state,zip,county_fips,phone,after_hours_phone,service_type,taxonomy,sterile_compounding,usp797_category,provides_nursing,provides_supplies,delivers_within_24h,open_24x7,counties_served,accreditation,accreditation_expires';
const pharmacyRow = (i: number, v: number, id = npi(i)): string =>
  `${id},${2_200_000 + i},Pharmacy ${i}${v === 2 && i % 7 === 0 ? ' Annex' : ''},${i} Main St,Auburn,AL,36830,01081,3345550147,,01,3336C0003X,N,,N,N,N,N,,,`;

/**
 * Version v (1: the database's before, 2: the one killed) of a kind's file: v2 drops some rows of
 * v1, changes some, adds some and has a rejected row every tenth.
 */
function lines(kind: Kind, v: 1 | 2): string[] {
  const out: string[] = [];
  const n = v === 1 ? ROWS / 2 : ROWS;
  for (let i = 0; i < n; i++) {
    const bad = v === 2 && i % 10 === 9;
    if (v === 2 && i % 11 === 0) continue; // dropped from the snapshot
    switch (kind) {
      case 'pharmacies':
        out.push(pharmacyRow(PHARMACIES + i, v, bad ? badNpi(PHARMACIES + i) : undefined));
        break;
      case 'network': {
        const plan = Math.floor(i / PHARMACIES);
        const id = bad ? badNpi(i % PHARMACIES) : npi(i % PHARMACIES);
        const term = v === 2 && i % 5 === 0 ? '2027-12-31' : '';
        out.push(`S4100,${String(plan + 1).padStart(3, '0')},000,${id},retail,2025-01-01,${term}`);
        break;
      }
      case 'capabilities': {
        // Past the sixth class the class is unknown (_X): those rows are rejected too.
        const cls = CLASSES[Math.floor(i / PHARMACIES) % CLASSES.length]!;
        const id = bad ? badNpi(i % PHARMACIES) : npi(i % PHARMACIES);
        const usable = v === 2 && i % 3 === 0 ? 'N' : 'Y';
        out.push(
          `${id},${cls}${Math.floor(i / PHARMACIES) >= CLASSES.length ? '_X' : ''},${usable},note ${i}`,
        );
        break;
      }
      case 'coverage_requests': {
        const outcome = v === 2 && i % 4 === 0 ? 'denied' : 'approved';
        const type = bad ? 'no_such_type' : 'exception';
        out.push(
          `CR${String(i).padStart(8, '0')},S4100,001,ABX_IV,vancomycin,${type},N,2026-07-15T02:16:44Z,,2026-07-17T05:04:49Z,${outcome},MBR${400_000_000 + i}`,
        );
        break;
      }
    }
  }
  return out;
}

const HEADERS: Record<Kind, string> = {
  pharmacies: PHARMACY_HEADER,
  network: 'contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date',
  capabilities: 'npi,drug_class,usable_form,notes',
  coverage_requests:
    'request_id,contract_id,pbp_id,drug_class,drug_name,request_type,expedited,received_at,supporting_statement_at,decided_at,outcome,member_id',
};

function writeFile(dir: string, kind: Kind, v: 1 | 2): string {
  const file = join(dir, `v${v}`, `${kind}.csv`);
  writeFileSync(file, `${[HEADERS[kind], ...lines(kind, v)].join('\n')}\n`, { flag: 'w' });
  return file;
}

/** Every table's row count and a checksum of its rows (order-independent). */
async function snapshot(url: string): Promise<Record<string, string>> {
  const tables = url.startsWith('file:')
    ? await queryDb<{ t: string }>(
        url,
        "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
    : await queryDb<{ t: string }>(
        url,
        'SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
      );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const rows = (await queryDb(url, `SELECT * FROM "${t}"`)).map((r) => JSON.stringify(r)).sort();
    out[t] =
      `${rows.length} rows ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

const KINDS: Kind[] = ['pharmacies', 'network', 'capabilities', 'coverage_requests'];

describe.each(PROVIDERS)('%s: SIGKILL during the import of every kind', (provider) => {
  const dir = tempDir('ia-kill-kinds-');
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.dispose();
  });

  it.each(KINDS)(
    '%s: killed mid-rows or before COMMIT leaves every table as before; the rerun completes',
    async (kind) => {
      const kdir = join(dir, kind);
      for (const v of ['v1', 'v2']) mkdirSync(join(kdir, v), { recursive: true });
      const v1 = writeFile(kdir, kind, 1);
      const v2 = writeFile(kdir, kind, 2);
      const pharmacies = join(kdir, 'v1', 'base', 'pharmacies.csv');
      mkdirSync(join(kdir, 'v1', 'base'), { recursive: true });
      writeFileSync(
        pharmacies,
        `${[PHARMACY_HEADER, ...Array.from({ length: PHARMACIES }, (_, i) => pharmacyRow(i, 1))].join('\n')}\n`,
      );
      const db = await createTestDatabase(provider);
      dbs.push(db);
      const args = (file: string): string[] => [
        'import',
        file,
        '--db',
        db.url,
        '--as-of',
        AS_OF,
        '--log-format',
        'json',
      ];
      const killed = async (file: string, points: string[], as: string): Promise<void> => {
        const before = await snapshot(db.url);
        for (const point of points) {
          const s = spawnCli(args(file), { env: { INFUSION_AUDIT_FAULT: point } });
          const res = await s.done;
          expect(
            wasKilled(res),
            `${kind} ${as} ${point}: not reached (exit ${res.code}) ${res.stderr.slice(-1500)}`,
          ).toBe(true);
          expect(await snapshot(db.url), `${kind} ${as} killed at ${point}`).toEqual(before);
        }
      };
      // Before: the known pharmacies, then version 1 of the kind (pharmacies: v1 includes them),
      // killed first (its first load) mid-rows and before COMMIT.
      if (kind !== 'pharmacies') {
        const r = await runCli(args(pharmacies));
        expect(r.code, r.stderr.slice(-2000)).toBe(0);
      }
      await killed(v1, [`bulk:*@${Math.floor(ROWS / 4)}`, 'commit:roster_import'], 'first load');
      const r1 = await runCli(args(v1));
      expect(r1.code, r1.stderr.slice(-2000)).toBe(0);
      const before = await snapshot(db.url);
      const points = [`bulk:*@${Math.floor(ROWS / 2)}`, 'commit:roster_import'];
      for (const point of points) {
        const s = spawnCli(args(v2), { env: { INFUSION_AUDIT_FAULT: point } });
        const res = await s.done;
        expect(
          wasKilled(res),
          `${kind} ${point}: not reached (exit ${res.code}) ${res.stderr.slice(-1500)}`,
        ).toBe(true);
        expect(await snapshot(db.url), `${kind} killed at ${point}`).toEqual(before);
      }
      const rerun = await runCli(args(v2));
      expect(rerun.code, rerun.stderr.slice(-2000)).toBe(0);
      expect(rerun.stderr).toMatch(/"event":"import.file"[^\n]*"status":"completed"/);
      const after = await snapshot(db.url);
      expect(after['roster_import']).not.toEqual(before['roster_import']);
      const [imp] = await queryDb<{ rejected: number | string; rows_read: number | string }>(
        db.url,
        'SELECT rejected, rows_read FROM roster_import WHERE id = (SELECT max(id) FROM roster_import)',
      );
      expect(Number(imp?.rows_read)).toBe(lines(kind, 2).length);
      expect(Number(imp?.rejected)).toBeGreaterThan(0);
    },
    240_000,
  );
});
