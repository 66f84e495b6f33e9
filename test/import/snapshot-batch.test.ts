/**
 * Snapshot semantics of `import` and `run` (issue 15 sections 1 and 2, issue 20 items 3 and 4),
 * through the CLI as a process, on both databases: the files of one kind in one command are one
 * snapshot; what a later command no longer lists ends, and the summary says so; a reverted roster
 * loads again; a rejected row does not end what it describes; misspelt headers fail the file.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { dbDate } from '../../src/db/sql.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const NET_HEADER = 'contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date';
const HI = 'S1234,001,000,1000000012,home_infusion,2026-01-01,';
const HI2 = 'S1234,001,000,1000000020,home_infusion,2026-01-01,';
const RETAIL = 'S1234,001,000,1000000038,retail,2026-01-01,';

interface FileJson {
  path: string;
  kind: string | null;
  status: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  inserted: number;
  ended: number;
  keptForRejections: number;
  ignoredColumns: string[];
  notices: string[];
  message: string | null;
}

const root = mkdtempSync(join(tmpdir(), 'ia-snapshot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;

/** A roster folder with the mini pharmacies and plans plus the given files. */
function folder(files: Record<string, string[]>, base = true): string {
  const dir = join(root, `f${++folders}`);
  mkdirSync(dir);
  if (base) {
    copyFileSync(join(MINI, 'pharmacies.csv'), join(dir, 'pharmacies.csv'));
    copyFileSync(join(MINI, 'plans.csv'), join(dir, 'plans.csv'));
  }
  for (const [name, lines] of Object.entries(files))
    writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return dir;
}

describe.each(PROVIDERS)('import snapshots on %s', (provider) => {
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

  const importCli = async (
    paths: string[],
    asOf: string,
    ...flags: string[]
  ): Promise<{ r: CliResult; files: FileJson[] }> => {
    const r = await runCli([
      'import',
      ...paths,
      '--as-of',
      asOf,
      '--db',
      tdb.url,
      '--json',
      ...flags,
    ]);
    const files = r.stdout.trim() ? (JSON.parse(r.stdout) as { files: FileJson[] }).files : [];
    return { r, files };
  };
  /** NPIs of roster memberships in force on a date. */
  const inForce = async (asOf: string): Promise<string[]> => {
    const d = dbDate(db.sql.provider, asOf);
    const rows = await db.sql.query<{ npi: string }>(
      `SELECT npi FROM network_membership WHERE source = 'roster' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY npi`,
      [d, d],
    );
    return rows.map((r) => r.npi);
  };
  const reset = async (): Promise<void> => {
    for (const t of ['network_membership', 'rejected_row', 'import_plan', 'service_area'])
      await db.sql.run(`DELETE FROM ${t}`);
    // Their imports too: an import of the same bytes still in force would be "unchanged".
    await db.sql.run(
      `DELETE FROM roster_import WHERE kind IN ('network', 'cms_network', 'service_areas')`,
    );
  };

  it('two network files of one plan in one command are one snapshot; a later command that drops one says what it ended', async () => {
    await reset();
    const split = folder({
      'network-hi.csv': [NET_HEADER, HI, HI2],
      'network-retail.csv': [NET_HEADER, RETAIL],
    });
    const first = await importCli([split], '2026-11-01');
    expect(first.r.code).toBe(0);
    const net = first.files.filter((f) => f.kind === 'network');
    expect(net.map((f) => [f.status, f.inserted, f.ended])).toEqual([
      ['completed', 2, 0],
      ['completed', 1, 0],
    ]);
    expect(await inForce('2026-11-01')).toEqual(['1000000012', '1000000020', '1000000038']);

    // the same batch again: the snapshot in force, nothing written
    const again = await importCli([split], '2026-11-01');
    expect(again.files.filter((f) => f.kind === 'network').map((f) => f.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    // a later command listing only the home infusion file is a correction of plan S1234-001
    const onlyHi = folder({ 'network-hi.csv': [NET_HEADER, HI, HI2] });
    const later = await importCli([onlyHi], '2026-12-01');
    expect(later.r.code).toBe(0);
    const hi = later.files.find((f) => f.kind === 'network')!;
    expect(hi).toMatchObject({ status: 'completed', ended: 1, inserted: 0 });
    expect(hi.notices.join('\n')).toMatch(
      /ended 1 row\(s\) loaded from network-retail\.csv on 2026-11-01/,
    );
    expect(later.r.stderr).toMatch(/ended 1 row\(s\) loaded from network-retail\.csv/);
    expect(await inForce('2026-12-01')).toEqual(['1000000012', '1000000020']);
    expect(await inForce('2026-11-15')).toEqual(['1000000012', '1000000020', '1000000038']);
  });

  it('a key in two files of one command is a rejected row naming the other file and row', async () => {
    await reset();
    const dir = folder({
      'service_areas-IL.csv': ['contract_id,pbp_id,segment_id,county_fips', 'S1234,001,000,17031'],
      'service_areas-WI.csv': [
        'contract_id,pbp_id,segment_id,county_fips',
        'S1234,001,000,55079',
        'S1234,001,000,17031',
      ],
    });
    const { r, files } = await importCli([dir], '2026-11-01');
    expect(r.code).toBe(0);
    const wi = files.find((f) => f.path.endsWith('service_areas-WI.csv'))!;
    expect(wi).toMatchObject({ accepted: 1, rejected: 1, inserted: 1 });
    expect(r.stderr).toMatch(/row 3.*duplicate of service_areas-IL\.csv row 2/);
  });

  it('--append ends nothing', async () => {
    await reset();
    await importCli([folder({ 'network.csv': [NET_HEADER, HI, RETAIL] })], '2026-11-01');
    const supplement = folder({ 'network.csv': [NET_HEADER, HI2] });
    const { r, files } = await importCli([supplement], '2026-12-01', '--append');
    expect(r.code).toBe(0);
    expect(files.find((f) => f.kind === 'network')).toMatchObject({ inserted: 1, ended: 0 });
    expect(await inForce('2026-12-01')).toEqual(['1000000012', '1000000020', '1000000038']);
  });

  it('a reverted roster loads again: v1, v2 without a pharmacy, v1 again restores it', async () => {
    await reset();
    const v1 = folder({ 'network.csv': [NET_HEADER, HI, HI2] });
    const v2 = folder({ 'network.csv': [NET_HEADER, HI] });
    await importCli([v1], '2026-11-01');
    await importCli([v2], '2026-11-15');
    expect(await inForce('2026-11-15')).toEqual(['1000000012']);
    const back = await importCli([v1], '2026-12-01');
    expect(back.files.find((f) => f.kind === 'network')).toMatchObject({
      status: 'completed',
      inserted: 1,
    });
    expect(await inForce('2026-12-01')).toEqual(['1000000012', '1000000020']);
  });

  it('a rejected row whose key can be read keeps its membership; one whose key cannot ends nothing in the file', async () => {
    await reset();
    await importCli([folder({ 'network.csv': [NET_HEADER, HI, HI2, RETAIL] })], '2026-11-01');
    // one bad date: the row is present, not removed
    const badDate = folder({
      'network.csv': [NET_HEADER, HI, HI2, 'S1234,001,000,1000000038,retail,01/01/21x,'],
    });
    const a = await importCli([badDate], '2026-11-15');
    expect(a.r.code).toBe(0);
    expect(a.files.find((f) => f.kind === 'network')).toMatchObject({
      rejected: 1,
      ended: 0,
      keptForRejections: 1,
    });
    expect(a.r.stderr).toMatch(/1 stored row\(s\) kept in force because rejected rows/);
    expect(await inForce('2026-11-15')).toEqual(['1000000012', '1000000020', '1000000038']);

    // an unreadable NPI: which membership it describes is unknown, so nothing of the plan ends
    const badNpi = folder({
      'network.csv': [NET_HEADER, HI, 'S1234,001,000,12345,retail,2026-01-01,'],
    });
    const b = await importCli([badNpi], '2026-11-20');
    expect(b.files.find((f) => f.kind === 'network')).toMatchObject({
      ended: 0,
      keptForRejections: 2,
    });
    expect(await inForce('2026-11-20')).toEqual(['1000000012', '1000000020', '1000000038']);
    // unless the user says so
    const c = await importCli([badNpi], '2026-11-25', '--end-despite-rejects');
    expect(c.files.find((f) => f.kind === 'network')).toMatchObject({ ended: 2 });
    expect(await inForce('2026-11-25')).toEqual(['1000000012']);
  });

  it('a misspelt header fails the file (exit 2, nothing changed) unless mapped or allowed; unknown columns are listed', async () => {
    const before = await db.sql.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM roster_import',
    );
    const header =
      'npi,ncpdp_id,name,address,city,state,zip,county_fips,phone,after_hours_phone,service_type,taxonomy,Sterile Compunding,usp797_category,provides_nursing,provides_supplies,delivers_within_24h,open_24x7,Counties Servd,accreditation,accreditation_expires,Fax Number';
    const row =
      '1000000046,1412349,Delta Infusion,1 Elm St,Chicago,IL,60602,17031,3125550400,,03,3336H0001X,Y,2,Y,Y,Y,Y,17031|17043,ACHC,2027-06-30,3125550401';
    const dir = folder({ 'pharmacies.csv': [header, row] }, false);
    const refused = await importCli([dir], '2026-11-01');
    expect(refused.r.code).toBe(2);
    expect(refused.r.stderr).toMatch(/did you mean counties_served\?/);
    expect(refused.r.stderr).toMatch(/did you mean sterile_compounding\?/);
    const after = await db.sql.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM roster_import',
    );
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));

    const mapping = join(root, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        'Counties Servd': 'counties_served',
        'Sterile Compunding': 'sterile_compounding',
      }),
    );
    const mapped = await importCli([dir], '2026-11-01', '--mapping', mapping);
    expect(mapped.r.code).toBe(0);
    expect(mapped.files[0]).toMatchObject({ status: 'completed', ignoredColumns: ['Fax Number'] });
    expect(mapped.r.stderr).toMatch(/not loaded.*"Fax Number"/);
    const served = await db.sql.query<{ counties_served: string }>(
      "SELECT counties_served FROM pharmacy WHERE npi = '1000000046' AND valid_to IS NULL",
    );
    expect(served[0]!.counties_served).toBe('17031|17043');

    // --allow-unknown loads a file whose misspelt column is optional, without it
    const optionalOnly = folder(
      { 'pharmacies.csv': [header.replace('Sterile Compunding', 'sterile_compounding'), row] },
      false,
    );
    const withoutFlag = await importCli([optionalOnly], '2026-11-02');
    expect(withoutFlag.r.code).toBe(2);
    expect(withoutFlag.r.stderr).toMatch(
      /"Counties Servd" is not a pharmacies column: did you mean counties_served\?/,
    );
    const allowed = await importCli([optionalOnly], '2026-11-02', '--allow-unknown');
    expect(allowed.r.code).toBe(0);
    expect(allowed.files[0]!.ignoredColumns).toEqual(['Counties Servd', 'Fax Number']);
  });

  it('run: split files form one snapshot; a failed file of a kind ends nothing of that kind', async () => {
    await reset();
    const out = join(root, `out-${provider}`);
    const dir = folder({
      'service_areas.csv': ['contract_id,pbp_id,segment_id,county_fips', 'S1234,001,000,17031'],
      'network-hi.csv': [NET_HEADER, HI, HI2],
      'network-retail.csv': [NET_HEADER, RETAIL],
      // No request in the period, and the capabilities (without them the run is INCOMPLETE).
      'capabilities.csv': readFileSync(join(MINI, 'capabilities.csv'), 'utf8').trim().split('\n'),
      'coverage_requests.csv': [
        readFileSync(join(MINI, 'coverage_requests.csv'), 'utf8').split('\n')[0]!,
      ],
    });
    const run = (asOf: string): Promise<CliResult> =>
      runCli(['run', '--roster', dir, '--as-of', asOf, '--out', out, '--db', tdb.url, '--json']);
    const first = await run('2026-11-01');
    expect([0, 1]).toContain(first.code);
    expect(await inForce('2026-11-01')).toEqual(['1000000012', '1000000020', '1000000038']);
    // the retail file is now unreadable as a roster: the home infusion file alone must not end it
    writeFileSync(join(dir, 'network-retail.csv'), 'contract_id,npi\nS1234,1000000038\n');
    const second = await run('2026-12-01');
    expect(second.code).not.toBe(0);
    const json = JSON.parse(second.stdout) as { imports: FileJson[] };
    const failed = json.imports.find((f) => f.path.endsWith('network-retail.csv'))!;
    expect(failed.status).toBe('failed');
    expect(await inForce('2026-12-01')).toEqual(['1000000012', '1000000020', '1000000038']);
  });

  it('run: Data Lineage lists the file whose rows a later batch ended, with its counts', async () => {
    await reset();
    const out = join(root, `lineage-${provider}`);
    const dir = folder({
      'service_areas.csv': ['contract_id,pbp_id,segment_id,county_fips', 'S1234,001,000,17031'],
      'network-hi.csv': [NET_HEADER, HI, HI2],
      'network-retail.csv': [NET_HEADER, RETAIL],
    });
    const run = (asOf: string): Promise<CliResult> =>
      runCli(['run', '--roster', dir, '--as-of', asOf, '--out', out, '--db', tdb.url, '--json']);
    await run('2027-01-01');
    rmSync(join(dir, 'network-retail.csv'));
    const second = await run('2027-02-01');
    expect(second.stderr).toMatch(/ended 1 row\(s\) loaded from network-retail\.csv on 2027-01-01/);
    const reports = join(out, '2027-02-01');
    const base = readdirSync(reports)
      .find((f) => f.endsWith('.json'))!
      .replace(/\.json$/, '');
    const report = JSON.parse(readFileSync(join(reports, `${base}.json`), 'utf8')) as {
      imports: { fileName: string; rowsInForce: number; rowsEnded: number }[];
    };
    const retail = report.imports.find((i) => i.fileName === 'network-retail.csv');
    expect(retail).toMatchObject({ rowsInForce: 0, rowsEnded: 1 });
    expect(report.imports.find((i) => i.fileName === 'network-hi.csv')).toMatchObject({
      rowsInForce: 2,
      rowsEnded: 0,
    });
    const html = readFileSync(join(reports, `${base}.html`), 'utf8');
    expect(html).toMatch(/id="lineage"[\s\S]*network-retail\.csv/);
  });

  it('CMS network files of one command (split by state) are one snapshot, streamed', async () => {
    const CMS =
      'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE';
    const cms = (contract: string, npi: string, zip = '60602'): string =>
      `${contract}|001|000|${npi}|${zip}|N|N|Y|N|1|0`;
    const cmsInForce = async (asOf: string): Promise<string[]> => {
      const d = dbDate(db.sql.provider, asOf);
      const rows = await db.sql.query<{ contract_id: string; npi: string }>(
        `SELECT contract_id, npi FROM network_membership WHERE source = 'cms' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY contract_id, npi`,
        [d, d],
      );
      return rows.map((r) => `${r.contract_id} ${r.npi}`);
    };
    // first load: straight into the table, file by file
    const first = folder(
      {
        'cms-IL.txt': [CMS, cms('S1234', '1000000012'), cms('S1234', '1000000020')],
        'cms-WI.txt': [CMS, cms('S1234', '1000000038'), cms('S5678', '1000000046')],
      },
      false,
    );
    const a = await importCli([first], '2026-11-01');
    expect(a.r.code).toBe(0);
    expect(a.files.map((f) => [f.kind, f.status, f.inserted, f.ended])).toEqual([
      ['cms_network', 'completed', 2, 0],
      ['cms_network', 'completed', 2, 0],
    ]);
    // the same files again (staged): nothing new, nothing ended
    const again = await importCli([first], '2026-11-01');
    expect(again.files.map((f) => [f.inserted, f.ended])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(await cmsInForce('2026-11-01')).toEqual([
      'S1234 1000000012',
      'S1234 1000000020',
      'S1234 1000000038',
      'S5678 1000000046',
    ]);
    // a later batch without 038; a key repeated across the files is rejected naming the file
    const second = folder(
      {
        'cms-IL.txt': [CMS, cms('S1234', '1000000012'), cms('S1234', '1000000020')],
        'cms-WI.txt': [CMS, cms('S5678', '1000000046'), cms('S1234', '1000000012')],
      },
      false,
    );
    const b = await importCli([second], '2026-12-01');
    expect(b.r.code).toBe(0);
    // (a CMS membership listed again continues, whatever the later file's as-of date: nothing
    // new is written)
    expect(b.files.map((f) => [f.rejected, f.inserted, f.ended])).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(b.r.stderr).toMatch(/row 3.*duplicate of cms-IL\.txt row 2/);
    expect(b.r.stderr).toMatch(/ended 1 membership\(s\) loaded from cms-WI\.txt on 2026-11-01/);
    expect(await cmsInForce('2026-12-01')).toEqual([
      'S1234 1000000012',
      'S1234 1000000020',
      'S5678 1000000046',
    ]);
    // a rejected row (bad ZIP) keeps the membership it names; an unreadable one keeps the contract
    const third = folder(
      {
        'cms-IL.txt': [CMS, cms('S1234', '1000000012'), cms('S1234', '1000000020', 'ABCDE')],
        'cms-WI.txt': [CMS, cms('S5678', '1000000046')],
      },
      false,
    );
    const c = await importCli([third], '2026-12-15');
    expect(c.files[0]).toMatchObject({ rejected: 1, ended: 0, keptForRejections: 1 });
    expect(await cmsInForce('2026-12-15')).toContain('S1234 1000000020');
    const fourth = folder(
      {
        'cms-IL.txt': [CMS, cms('S1234', '1000000012'), cms('S1234', '12345')],
        'cms-WI.txt': [CMS, cms('S5678', '1000000046')],
      },
      false,
    );
    const d = await importCli([fourth], '2026-12-20');
    expect(d.files[0]).toMatchObject({ rejected: 1, ended: 0, keptForRejections: 1 });
    expect(await cmsInForce('2026-12-20')).toContain('S1234 1000000020');
    const forced = await importCli([fourth], '2026-12-21', '--end-despite-rejects');
    expect(forced.files[0]).toMatchObject({ ended: 1 });
    expect(await cmsInForce('2026-12-21')).toEqual(['S1234 1000000012', 'S5678 1000000046']);
  });

  it('the sheets of one kind in a workbook are one snapshot', async () => {
    await reset();
    const workbook = async (dir: string, sheets: Record<string, string[]>): Promise<void> => {
      const wb = new ExcelJS.Workbook();
      for (const [name, lines] of Object.entries(sheets)) {
        const ws = wb.addWorksheet(name);
        for (const l of lines) ws.addRow(l.split(','));
      }
      await wb.xlsx.writeFile(join(dir, 'network.xlsx'));
    };
    const dir = folder({});
    await workbook(dir, {
      'Network HI': [NET_HEADER, HI, HI2],
      'Network Retail': [NET_HEADER, RETAIL],
    });
    const a = await importCli([dir], '2027-03-01');
    expect(a.r.code).toBe(0);
    expect(a.files.filter((f) => f.kind === 'network').map((f) => [f.inserted, f.ended])).toEqual([
      [2, 0],
      [1, 0],
    ]);
    expect(await inForce('2027-03-01')).toEqual(['1000000012', '1000000020', '1000000038']);
    const later = folder({});
    await workbook(later, { 'Network HI': [NET_HEADER, HI, HI2] });
    const b = await importCli([later], '2027-04-01');
    expect(b.files.find((f) => f.kind === 'network')).toMatchObject({ ended: 1 });
    expect(b.r.stderr).toMatch(
      /ended 1 row\(s\) loaded from network\.xlsx \[Network Retail\] on 2027-03-01/,
    );
  });
});
