import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import { readCatalog } from '../../src/roster/catalog.js';
import { openRoster, sha256File } from '../../src/roster/open-roster.js';
import { parseRow, type RowIssue } from '../../src/roster/kinds/index.js';
import { collect, tempDir, writeBytes } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'roster');
const CMS_SAMPLE = join(FIXTURES, 'cms-pharmacy-network-sample.txt');
const dir = tempDir();

async function formatError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a RosterFormatError');
}

let catalogCodes: Set<string>;
beforeAll(async () => {
  const catalog = await readCatalog(
    join(import.meta.dirname, '..', '..', 'data', 'drug-classes.csv'),
  );
  catalogCodes = new Set(catalog.map((c) => c.code));
});
const ctx = () => ({ catalogCodes, timeZone: 'America/New_York' });

describe('openRoster on CSV', () => {
  it('maps alias headers to canonical columns and validates rows', async () => {
    const sources = await openRoster({ path: join(FIXTURES, 'pharmacies-aliases.csv') });
    expect(sources).toHaveLength(1);
    const s = sources[0]!;
    expect(s).toMatchObject({
      fileName: 'pharmacies-aliases.csv',
      sheet: null,
      kind: 'pharmacies',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      headerRow: 1,
      ignoredColumns: ['Fax'],
    });
    expect(s.columns['county_fips']).toBe('FIPS');
    const results: [number, boolean, RowIssue[]][] = [];
    for await (const row of s.rows()) {
      const r = parseRow(s.kind, row.record, ctx());
      results.push([row.rowNumber, r.ok, r.ok ? [] : r.errors]);
    }
    expect(results.map(([n, ok]) => [n, ok])).toEqual([
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(results[1]![2].map((e) => e.column).sort()).toEqual(['county_fips', 'npi', 'phone']);
  });

  it('reads the CMS public network file (pipe-delimited) and ignores the fee columns', async () => {
    const [s] = await openRoster({ path: CMS_SAMPLE });
    expect(s!.kind).toBe('cms_network');
    expect(s!.delimiter).toBe('|');
    expect(s!.ignoredColumns).toContain('FLOOR_PRICE');
    const values = [];
    for await (const row of s!.rows()) {
      const r = parseRow('cms_network', row.record, ctx());
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      values.push(r.value);
    }
    expect(values).toHaveLength(24);
    expect(values[0]).toEqual({
      contractId: 'S4802',
      pbpId: '001',
      segmentId: '000',
      npi: '1664330127',
      zip: '60460',
      retail: true,
      mail: false,
      preferredRetail: true,
      preferredMail: false,
      inArea: true,
    });
    expect(values.filter((v) => v.zip === null)).toHaveLength(1); // XXXXX
  });

  it('explicit kind and a user mapping', async () => {
    const p = writeBytes(
      dir,
      'export-2026.csv',
      'Provider Identifier;Therapy;Ready\n1234567893;ABX_IV;Y\n',
    );
    await expect(openRoster({ path: p })).rejects.toThrow(/cannot tell which roster/);
    const [s] = await openRoster({
      path: p,
      kind: 'capabilities',
      mapping: { 'Provider Identifier': 'npi', Therapy: 'drug_class', Ready: 'usable_form' },
    });
    expect(s!.columns).toEqual({
      npi: 'Provider Identifier',
      drug_class: 'Therapy',
      usable_form: 'Ready',
    });
    const rows = await collect(s!.rows());
    expect(rows[0]!.record).toEqual({ npi: '1234567893', drug_class: 'ABX_IV', usable_form: 'Y' });
  });

  it('masks member ids in the raw row kept for rejected-row reports', async () => {
    const p = writeBytes(
      dir,
      'coverage requests.csv',
      'request_id,contract_id,pbp_id,request_type,expedited,received_at,Member ID\nR1,S4802,001,exception,N,2026-01-05T10:00,ABC123456789\n',
    );
    const [s] = await openRoster({ path: p });
    expect(s!.kind).toBe('coverage_requests');
    const [row] = await collect(s!.rows());
    expect(row!.raw['Member ID']).toBe('****6789');
    const r = parseRow('coverage_requests', row!.record, ctx());
    expect(r.ok && r.value.memberIdMasked).toBe('****6789');
  });

  it('a header-only file opens with zero rows; missing columns fail the file', async () => {
    const [s] = await openRoster({
      path: writeBytes(dir, 'plans.csv', 'contract_id,pbp_id,plan_name\n'),
    }).catch(() => [undefined]);
    expect(s).toBeUndefined(); // plans needs more columns
    const msg = await formatError(openRoster({ path: join(dir, 'plans.csv') }));
    expect(msg).toMatch(/^plans\.csv: plans roster is missing required columns: plan_type/);
    const ok = writeBytes(dir, 'service_areas.csv', 'contract_id,pbp_id,county_fips\n');
    const [sa] = await openRoster({ path: ok });
    expect(await collect(sa!.rows())).toEqual([]);
  });
});

describe('openRoster on XLSX and folders', () => {
  it('one source per sheet, kinds from sheet names, hidden sheets reported', async () => {
    const wb = new ExcelJS.Workbook();
    const plans = wb.addWorksheet('Plans');
    plans.addRow([
      'Contract ID',
      'PBP',
      'Plan Name',
      'Plan Type',
      'Member Services Phone',
      'Provider Services Phone',
      'HI Access Directions',
      'Directions Reviewed On',
    ]);
    plans.addRow([
      'H3312',
      14,
      'Lakeshore Advantage',
      'MA-PD',
      8005550150,
      '800-555-0151',
      'Call us.',
      new Date(Date.UTC(2026, 2, 1)),
    ]);
    const areas = wb.addWorksheet('Service Areas');
    areas.addRow(['contract_id', 'pbp_id', 'County FIPS']);
    areas.addRow(['H3312', '014', 17031]);
    areas.addRow(['H3312', '014', 6037]); // leading zero lost: restored with a warning
    wb.addWorksheet('Instructions', { state: 'hidden' }).addRow(['read me']);
    const p = join(dir, 'lakeshore.xlsx');
    await wb.xlsx.writeFile(p);

    const sources = await openRoster({ path: p });
    expect(sources.map((s) => [s.sheet, s.kind])).toEqual([
      ['Plans', 'plans'],
      ['Service Areas', 'service_areas'],
    ]);
    expect(sources.skipped).toEqual([
      { fileName: 'lakeshore.xlsx', sheet: 'Instructions', reason: 'sheet is hidden; not read' },
    ]);
    const [planRow] = await collect(sources[0]!.rows());
    const plan = parseRow('plans', planRow!.record, ctx());
    expect(plan.ok && plan.value).toMatchObject({
      pbpId: '014',
      memberServicesPhone: '8005550150',
      directionsReviewedOn: '2026-03-01',
    });
    const areaRows = await collect(sources[1]!.rows());
    const parsed = areaRows.map((r) => parseRow('service_areas', r.record, ctx()));
    expect(parsed.map((r) => r.ok && r.value.countyFips)).toEqual(['17031', '06037']);
    expect(parsed[1]!.warnings[0]!.reason).toMatch(/leading zero/);
  });

  it('a workbook with an unrecognisable sheet name fails with the list of kinds', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Service Areas').addRow(['contract_id', 'pbp_id', 'county_fips']);
    wb.addWorksheet('Sheet2').addRow(['x']);
    const p = join(dir, 'mixed.xlsx');
    await wb.xlsx.writeFile(p);
    expect(await formatError(openRoster({ path: p }))).toMatch(
      /sheet "Sheet2": cannot tell.*pharmacies, network/,
    );
  });

  it('a single-sheet workbook takes its kind from the file name', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['npi', 'drug_class', 'usable_form']);
    const p = join(dir, 'capabilities.xlsx');
    await wb.xlsx.writeFile(p);
    const [s] = await openRoster({ path: p });
    expect(s!.kind).toBe('capabilities');
  });

  it('a folder: every roster file in name order; other files reported', async () => {
    const folder = join(dir, 'folder');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    writeBytes(folder, 'service-areas.csv', 'contract_id,pbp_id,county_fips\nS4802,001,17031\n');
    writeBytes(folder, 'cms.txt', readFileSync(CMS_SAMPLE));
    writeBytes(folder, 'notes.md', '# notes');
    writeBytes(folder, '~$lock.xlsx', 'lock');
    const sources = await openRoster({ path: folder });
    expect(sources.map((s) => [s.fileName, s.kind])).toEqual([
      ['cms.txt', 'cms_network'],
      ['service-areas.csv', 'service_areas'],
    ]);
    expect(sources.skipped.map((s) => s.fileName)).toEqual(['notes.md', '~$lock.xlsx']);
  });

  it('an old .xls file is refused with advice', async () => {
    const p = writeBytes(dir, 'network.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    expect(await formatError(openRoster({ path: p }))).toMatch(/save it as \.xlsx/);
  });
});

describe('sha256File', () => {
  it('hashes the file content', async () => {
    const expected = createHash('sha256').update(readFileSync(CMS_SAMPLE)).digest('hex');
    expect(await sha256File(CMS_SAMPLE)).toBe(expected);
  });
});
