/**
 * `template` writes a workbook that imports back as it is once filled: its README sheet is passed
 * over (reported, not an error), the required-column marks (`npi*`) match their columns, and it
 * has a sheet for every kind a sponsor fills, the exceptions register included. The CLI runs as a
 * process; the workbook is filled with exceljs, as a person would in Excel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const KINDS = [
  'pharmacies',
  'plans',
  'service_areas',
  'network',
  'capabilities',
  'assurances',
  'coverage_requests',
  'exceptions',
  'enrollment',
];

/** The demo roster's first row of a kind, by column name. */
function demoRow(kind: string): Record<string, string> {
  const rows = parse<Record<string, string>>(
    readFileSync(join('data', 'demo', `${kind}.csv`), 'utf8'),
    { columns: true },
  );
  return rows[0]!;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'template-roundtrip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('template round trip (CLI)', () => {
  it('a filled template imports back whole: one row per sheet stored, README passed over', async () => {
    const file = join(dir, 'roster.xlsx');
    const made = await runCli(['template', '--out', file]);
    expect(made.code, made.stderr).toBe(0);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['README', ...KINDS]);
    // One pharmacy; every other row refers to it, so all of them are accepted.
    const pharmacy = demoRow('pharmacies');
    const rows: Record<string, Record<string, string>> = {
      pharmacies: pharmacy,
      plans: demoRow('plans'),
      service_areas: demoRow('service_areas'),
      network: { ...demoRow('network'), npi: pharmacy.npi! },
      capabilities: { ...demoRow('capabilities'), npi: pharmacy.npi! },
      assurances: { ...demoRow('assurances'), npi: pharmacy.npi! },
      coverage_requests: demoRow('coverage_requests'),
      exceptions: demoRow('exceptions'),
      enrollment: {
        contract_id: demoRow('plans').contract_id!,
        pbp_id: demoRow('plans').pbp_id!,
        zip: '60612',
        members: '1,240',
      },
    };
    for (const kind of KINDS) {
      const ws = wb.getWorksheet(kind)!;
      const row = ws.getRow(2);
      ws.getRow(1).eachCell((cell, col) => {
        const name = cell.text.replace(/\*$/, '');
        const value = rows[kind]![name];
        if (value !== undefined && value !== '') row.getCell(col).value = value;
      });
      row.commit();
    }
    await wb.xlsx.writeFile(file);

    const res = await runCli([
      'import',
      file,
      '--as-of',
      '2026-11-01',
      '--db',
      `file:${join(dir, 'a.db')}`,
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /skipped roster\.xlsx \[README\]: a README sheet \(instructions\); not read/,
    );
    expect(res.stderr).not.toMatch(/error:/);
    const out = JSON.parse(res.stdout) as {
      files: {
        sheet: string;
        kind: string;
        rowsRead: number;
        accepted: number;
        rejected: number;
        inserted: number;
        status: string;
      }[];
    };
    expect(
      out.files.map((f) => [
        f.sheet,
        f.kind,
        f.rowsRead,
        f.accepted,
        f.rejected,
        f.inserted,
        f.status,
      ]),
    ).toEqual(KINDS.map((k) => [k, k, 1, 1, 0, 1, 'completed']));
  }, 120_000);

  it('a README file in a roster folder is passed over too, not read as a roster', async () => {
    const res = await runCli([
      'import',
      join('data', 'demo'),
      '--as-of',
      '2026-11-01',
      '--db',
      `file:${join(dir, 'b.db')}`,
    ]);
    expect([0, 1], res.stderr).toContain(res.code);
    expect(res.stderr).toMatch(/skipped README\.md: a README file \(instructions\); not read/);
  }, 120_000);
});
