/**
 * For any generated network roster (good and bad values, odd quoting, duplicates, unknown NPIs):
 * rows read = accepted + rejected, and what the database holds afterwards for the file's plans
 * is exactly its accepted rows, each equal to its normalised input (parseRow's value, role
 * derived from the pharmacy's service type when blank).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { fromDbDate } from '../../src/db/sql.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { defaultRoleForServiceType, parseRow } from '../../src/roster/kinds/index.js';
import { tempDir } from '../faults/helpers.js';

const PHARMACIES: Record<string, '01' | '03'> = {
  '1234567893': '03',
  '1000000012': '01',
  '1000000020': '01',
};
const CTX = { catalogCodes: new Set<string>(), timeZone: 'America/Chicago' };
const COLUMNS = [
  'contract_id',
  'pbp_id',
  'segment_id',
  'npi',
  'role',
  'effective_date',
  'termination_date',
];

const value = {
  contract_id: fc.constantFrom('S4802', 'H1234', 's4802', ' S4802 ', 'X12', ''),
  pbp_id: fc.constantFrom('001', '1', '02', '1234', '', 'abc'),
  segment_id: fc.constantFrom('000', '', '1', '0001'),
  npi: fc.constantFrom(
    '1234567893',
    '1000000012',
    '1000000020',
    '1000000038',
    '1234567890',
    '1.234567893E+09',
    '',
  ),
  role: fc.constantFrom('home_infusion', 'retail', 'mail', '', 'Retail', 'pharmacist'),
  effective_date: fc.constantFrom('2026-01-01', '01/15/2026', '2026-02-30', '', '46023', 'soon'),
  termination_date: fc.constantFrom('', '2026-12-31', '2025-01-01', 'never'),
};
const row = fc.record(value);

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

describe('generated network rosters', () => {
  const dir = tempDir('ia-prop-roster-');
  const template = join(dir, 'template.db');
  let n = 0;
  let totalAccepted = 0;

  beforeAll(async () => {
    const db = await openDatabase({ url: `file:${template}` });
    const path = join(dir, 'pharmacies.csv');
    writeFileSync(
      path,
      [
        'npi,name,address,city,state,zip,county_fips,phone,service_type,sterile_compounding,provides_nursing,provides_supplies,delivers_within_24h,open_24x7',
        ...Object.entries(PHARMACIES).map(
          ([npi, st]) =>
            `${npi},P ${npi},1 Main St,Chicago,IL,60612,17031,3125550100,${st},Y,Y,Y,Y,N`,
        ),
      ].join('\n') + '\n',
    );
    const r = await importRosters({
      db,
      paths: [path],
      asOf: '2026-11-01',
      timeZone: 'America/Chicago',
    });
    expect(r[0]!.accepted).toBe(3);
    await db.close();
  });

  it('accepted + rejected = read; the database holds exactly the accepted rows, normalised', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 25 }),
        fc.constantFrom('\n', '\r\n'),
        async (rows, eol) => {
          const file = join(dir, `network-${++n}.csv`);
          const dbFile = join(dir, `p${n}.db`);
          copyFileSync(template, dbFile);
          writeFileSync(
            file,
            [
              COLUMNS.join(','),
              ...rows.map((r) => COLUMNS.map((c) => csvField(r[c as keyof typeof r])).join(',')),
            ].join(eol) + eol,
          );
          const db = await openDatabase({ url: `file:${dbFile}` });
          try {
            const [res] = await importRosters({
              db,
              paths: [file],
              asOf: '2026-11-01',
              timeZone: 'America/Chicago',
            });
            const nonBlank = rows.filter((r) => Object.values(r).some((x) => x.trim() !== ''));
            expect(res!.status, res!.message ?? '').toBe('completed');
            expect(res!.rowsRead).toBe(nonBlank.length);
            expect(res!.accepted + res!.rejected).toBe(res!.rowsRead);

            // The expected accepted rows: valid, known pharmacy, first of its key. A pharmacy
            // may hold two roles in one plan (home infusion and mail), so the role is in the key.
            const expected = new Map<string, string>();
            for (const r of nonBlank) {
              const p = parseRow('network', r, CTX);
              if (!p.ok) continue;
              const st = PHARMACIES[p.value.npi];
              if (st === undefined) continue;
              const v = p.value;
              const rec = {
                contractId: v.contractId,
                pbpId: v.pbpId,
                segmentId: v.segmentId,
                npi: v.npi,
                role: v.role ?? defaultRoleForServiceType(st),
                effectiveDate: v.effectiveDate,
                terminationDate: v.terminationDate,
              };
              const key = [
                rec.contractId,
                rec.pbpId,
                rec.segmentId,
                rec.npi,
                rec.role,
                rec.effectiveDate,
              ].join('|');
              if (!expected.has(key)) expected.set(key, JSON.stringify(rec));
            }
            expect(res!.accepted).toBe(expected.size);
            totalAccepted += expected.size;

            const stored = await db.sql.query<Record<string, unknown>>(
              "SELECT contract_id, pbp_id, segment_id, npi, role, effective_date, termination_date FROM network_membership WHERE source = 'roster' AND valid_to IS NULL",
            );
            const got = stored.map((s) =>
              JSON.stringify({
                contractId: s.contract_id,
                pbpId: s.pbp_id,
                segmentId: s.segment_id,
                npi: s.npi,
                role: s.role,
                effectiveDate: fromDbDate(s.effective_date),
                terminationDate:
                  s.termination_date === null ? null : fromDbDate(s.termination_date),
              }),
            );
            expect(got.sort()).toEqual([...expected.values()].sort());
          } finally {
            await db.close();
          }
        },
      ),
      {
        numRuns: 25,
        // Random rows are rarely all valid (about 1 in 40), so short arrays can pass nothing:
        // one known good file is always among the runs.
        examples: [
          [
            [
              {
                contract_id: 'S4802',
                pbp_id: '001',
                segment_id: '000',
                npi: '1000000012',
                role: '',
                effective_date: '2026-01-01',
                termination_date: '',
              },
            ],
            '\n',
          ],
          // One pharmacy in one plan in two roles: two memberships, not a duplicate.
          [
            [
              {
                contract_id: 'S4802',
                pbp_id: '001',
                segment_id: '1',
                npi: '1000000012',
                role: 'home_infusion',
                effective_date: '2026-01-01',
                termination_date: '',
              },
              {
                contract_id: 'S4802',
                pbp_id: '001',
                segment_id: '1',
                npi: '1000000012',
                role: 'mail',
                effective_date: '2026-01-01',
                termination_date: '',
              },
            ],
            '\n',
          ],
        ],
      },
    );
    expect(totalAccepted).toBeGreaterThan(0);
  }, 120_000);
});
