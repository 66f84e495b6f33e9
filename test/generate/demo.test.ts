import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_CLASS_CODES } from '../../src/generate/catalog.js';
import { DEMO_AS_OF, DEMO_WORKBOOK, makeDemo } from '../../scripts/demo/demo.js';
import { readCounties } from '../../src/generate/geo.js';
import { isNanpPhone, isValidNpi } from '../../src/generate/identifiers.js';
import { readCsv } from './helpers.js';

const DEMO = join(import.meta.dirname, '..', '..', 'data', 'demo');
const counties = new Map(readCounties().map((c) => [c.fips, c]));
let tmp: string;
type Row = Record<string, string>;
let sheets: Map<string, Row[]>;

async function readWorkbook(
  path: string,
): Promise<{ rows: Map<string, Row[]>; dateCells: number; textDates: number }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const rows = new Map<string, Row[]>();
  let dateCells = 0;
  let textDates = 0;
  wb.eachSheet((ws) => {
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const out: Row[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const r: Row = {};
      header.forEach((h, i) => {
        const v = row.getCell(i + 1).value;
        if (v instanceof Date) {
          dateCells++;
          r[h] = v.toISOString().slice(0, 10);
        } else {
          if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) textDates++;
          r[h] = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
        }
      });
      out.push(r);
    });
    rows.set(ws.name, out);
  });
  return { rows, dateCells, textDates };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'demo-test-'));
  await makeDemo(tmp);
  sheets = (await readWorkbook(join(DEMO, DEMO_WORKBOOK))).rows;
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('data/demo', () => {
  it('is exactly what make-demo produces (every file, byte for byte)', () => {
    const committed = readdirSync(DEMO).sort();
    expect(readdirSync(tmp).sort()).toEqual(committed);
    for (const f of committed) {
      expect(
        readFileSync(join(tmp, f)).equals(readFileSync(join(DEMO, f))),
        `${f} differs: rerun scripts/make-demo.ts`,
      ).toBe(true);
    }
  });

  it('is small and has the expected shape', async () => {
    let total = 0;
    for (const f of readdirSync(DEMO)) total += readFileSync(join(DEMO, f)).length;
    expect(total).toBeLessThan(1_000_000);
    const pharmacies = readCsv(join(DEMO, 'pharmacies.csv'));
    expect(pharmacies.length).toBeGreaterThanOrEqual(180);
    expect(pharmacies.length).toBeLessThanOrEqual(220);
    const hi = pharmacies.filter((p) => p.service_type === '03').length;
    expect(hi).toBeGreaterThanOrEqual(25);
    expect(hi).toBeLessThanOrEqual(35);
    expect([...sheets.keys()]).toEqual(['plans', 'service_areas', 'network']);
    const wb = await readWorkbook(join(DEMO, DEMO_WORKBOOK));
    expect(wb.dateCells).toBeGreaterThan(10);
    expect(wb.textDates).toBe(0);
  });

  it('uses real counties, valid NPIs and NANP phones', () => {
    const pharmacies = readCsv(join(DEMO, 'pharmacies.csv'));
    const npis = new Set(pharmacies.map((p) => p.npi!));
    expect(npis.size).toBe(pharmacies.length);
    for (const p of pharmacies) {
      expect(isValidNpi(p.npi!)).toBe(true);
      expect(p.ncpdp_id).toMatch(/^\d{7}$/);
      expect(counties.get(p.county_fips!)?.state).toBe(p.state);
      expect(isNanpPhone(p.phone!)).toBe(true);
      for (const f of p.counties_served ? p.counties_served.split('|') : [])
        expect(counties.has(f)).toBe(true);
    }
    for (const a of readCsv(join(DEMO, 'assurances.csv'))) {
      expect(npis.has(a.npi!)).toBe(true);
      if (a.entity_npi) expect(isValidNpi(a.entity_npi)).toBe(true);
    }
    const areas = [...readCsv(join(DEMO, 'service_areas.csv')), ...sheets.get('service_areas')!];
    for (const s of areas) expect(counties.has(s.county_fips!)).toBe(true);
    for (const n of [...readCsv(join(DEMO, 'network.csv')), ...sheets.get('network')!])
      expect(npis.has(n.npi!)).toBe(true);
  });

  it('has no row twice, within or across files', () => {
    const byKind: Record<string, Row[]> = {
      network: [...readCsv(join(DEMO, 'network.csv')), ...sheets.get('network')!],
      plans: [...readCsv(join(DEMO, 'plans.csv')), ...sheets.get('plans')!],
      service_areas: [...readCsv(join(DEMO, 'service_areas.csv')), ...sheets.get('service_areas')!],
      capabilities: readCsv(join(DEMO, 'capabilities.csv')),
      assurances: readCsv(join(DEMO, 'assurances.csv')),
      coverage_requests: readCsv(join(DEMO, 'coverage_requests.csv')),
    };
    const keyOf: Record<string, (r: Row) => string> = {
      network: (r) => [r.contract_id, r.pbp_id, r.segment_id, r.npi, r.role].join('|'),
      plans: (r) => [r.contract_id, r.pbp_id, r.segment_id].join('|'),
      service_areas: (r) => [r.contract_id, r.pbp_id, r.segment_id, r.county_fips].join('|'),
      capabilities: (r) => [r.npi, r.drug_class].join('|'),
      assurances: (r) => [r.npi, r.entity_name].join('|'),
      coverage_requests: (r) => r.request_id!,
    };
    for (const [kind, rows] of Object.entries(byKind)) {
      const keys = rows.map(keyOf[kind]!);
      expect(new Set(keys).size, kind).toBe(keys.length);
    }
  });

  it('has exactly the documented coverage gaps', () => {
    const pharmacies = new Map(readCsv(join(DEMO, 'pharmacies.csv')).map((p) => [p.npi!, p]));
    const caps = readCsv(join(DEMO, 'capabilities.csv'));
    const network = [...readCsv(join(DEMO, 'network.csv')), ...sheets.get('network')!];
    const areas = [...readCsv(join(DEMO, 'service_areas.csv')), ...sheets.get('service_areas')!];
    const planRecords = new Set(
      [...readCsv(join(DEMO, 'plans.csv')), ...sheets.get('plans')!].map(
        (p) => `${p.contract_id}-${p.pbp_id}`,
      ),
    );
    const flawed = new Set(
      [...pharmacies.values()]
        .filter((p) =>
          [
            'North Shore Infusion Partners',
            'Libertyville Apothecary & Infusion',
            'Joliet Infusion Pharmacy',
            'Fox Valley Home Infusion',
            'West Suburban Infusion Services',
            'McHenry County Infusion',
            'Lincoln Park Infusion Pharmacy',
            'Skokie Home Infusion',
            'DuPage Infusion Solutions',
          ].includes(p.name!),
        )
        .map((p) => p.npi!),
    );
    expect(flawed.size).toBe(9);

    /** plan -> county -> class -> count, under a lenient or a strict reading of coverage. */
    const coverage = (strict: boolean): Map<string, number> => {
      const cells = new Map<string, number>();
      for (const a of areas) {
        const plan = `${a.contract_id}-${a.pbp_id}`;
        if (!planRecords.has(plan)) continue;
        for (const cls of REQUIRED_CLASS_CODES) cells.set(`${plan}|${a.county_fips}|${cls}`, 0);
      }
      for (const m of network) {
        if (m.role !== 'home_infusion') continue;
        if (
          m.effective_date! > DEMO_AS_OF ||
          (m.termination_date && m.termination_date <= DEMO_AS_OF)
        )
          continue;
        if (strict && flawed.has(m.npi!)) continue;
        const p = pharmacies.get(m.npi!)!;
        const served = p.counties_served ? p.counties_served.split('|') : [p.county_fips!];
        for (const c of caps) {
          if (c.npi !== m.npi || c.usable_form !== 'Y' || p.sterile_compounding !== 'Y') continue;
          for (const f of served) {
            const key = `${m.contract_id}-${m.pbp_id}|${f}|${c.drug_class}`;
            const n = cells.get(key);
            if (n !== undefined) cells.set(key, n + 1);
          }
        }
      }
      return cells;
    };
    const expectedZero = new Set<string>();
    for (const plan of ['S4802-001', 'S4802-003']) {
      for (const cls of REQUIRED_CLASS_CODES) expectedZero.add(`${plan}|17069|${cls}`);
      expectedZero.add(`${plan}|17019|PN_TEMPORARY`);
      expectedZero.add(`${plan}|18157|A1PI`);
    }
    for (const cls of REQUIRED_CLASS_CODES) expectedZero.add(`H3312-014|26151|${cls}`);
    const expectedOne = new Set(['S4802-001|18003|A1PI', 'S4802-003|18003|A1PI']);
    for (const strict of [false, true]) {
      const cells = coverage(strict);
      expect(cells.size).toBe((36 * 2 + 8) * REQUIRED_CLASS_CODES.length);
      const zero = [...cells]
        .filter(([, n]) => n === 0)
        .map(([k]) => k)
        .sort();
      const one = [...cells]
        .filter(([, n]) => n === 1)
        .map(([k]) => k)
        .sort();
      expect(zero).toEqual([...expectedZero].sort());
      expect(one).toEqual([...expectedOne].sort());
    }
  });
});
