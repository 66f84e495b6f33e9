/**
 * Checks that the streaming CMS network writer (write-cms-network.ts, used by importRosters) leaves
 * exactly the rows the generic writer (writeRosterBatch) leaves, over a sequence of snapshots:
 * first load, a later file with rows dropped and added and a contract left out, an unchanged
 * re-import with other bytes, and a same-day correction. Usage: tsx bench/check-cms-equivalence.ts [PG_URL]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CmsNetworkRow, NetworkMembership, NetworkRole } from '../src/domain/types.js';
import { openDatabase, type Db } from '../src/db/connect.js';
import { CMS_NETWORK_TABLE } from '../src/db/roster-tables.js';
import { sha256File, openRoster } from '../src/roster/open-roster.js';
import { parseRow } from '../src/roster/parse-row.js';
import { listCatalogCodes, writeRosterBatch } from '../src/db/write-roster.js';
import { importRosters } from '../src/import/import-rosters.js';
import { cmsRejectedIdentity } from '../src/import/import-cms-network.js';

const dir = mkdtempSync(join(tmpdir(), 'cms-eq-'));
const header =
  'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE|BRAND_DISPENSING_FEE_30|BRAND_DISPENSING_FEE_60|BRAND_DISPENSING_FEE_90|GENERIC_DISPENSING_FEE_30|GENERIC_DISPENSING_FEE_60|GENERIC_DISPENSING_FEE_90';
const npi = (i: number): string => {
  // valid Luhn NPI from a 9-digit base
  const base = String(123450000 + i);
  const digits = `80840${base}`.split('').map(Number);
  let sum = 0;
  for (let k = digits.length - 1, dbl = true; k >= 0; k--, dbl = !dbl) {
    let d = digits[k]!;
    if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
};
const line = (c: string, p: string, i: number, retail: boolean, mail: boolean): string =>
  `${c}|${p}|000|${npi(i)}|10001|N|N|${retail ? 'Y' : 'N'}|${mail ? 'Y' : 'N'}|1|0|1.00|1.00|1.00|1.00|1.00|1.00`;
function file(name: string, lines: string[], extra = ''): string {
  const path = join(dir, name);
  writeFileSync(path, [header, ...lines].join('\n') + '\n' + extra);
  return path;
}
const A: string[] = [];
for (let i = 0; i < 300; i++)
  A.push(line(i % 3 === 0 ? 'S1111' : 'H2222', '001', i, true, i % 7 === 0));
A.push(line('S1111', '001', 3, true, false)); // duplicate of row 3: rejected
A.push('S1111|001|000|12345|XXXXX|N|N|Y|N|1|0|1|1|1|1|1|1'); // rejected
const B = A.filter((_, i) => i % 5 !== 0 && !A[i]!.startsWith('H2222'));
for (let i = 300; i < 350; i++) B.push(line('S1111', '002', i, true, false));
const steps: [string, string, string][] = [
  [file('a.txt', A), '2026-11-01', 'first load'],
  [file('b.txt', B), '2026-12-01', 'later: rows dropped / added'],
  [file('b2.txt', B, '\n'), '2026-12-01', 'same rows, other bytes'],
  [file('c.txt', B.slice(10)), '2026-12-01', 'same-day correction'],
  [file('d.txt', A, '\n\n'), '2027-01-01', 'back to A'],
];

async function oldPath(db: Db, path: string, asOf: string): Promise<void> {
  const [source] = await openRoster({ path, kind: 'cms_network' });
  const ctx = { catalogCodes: await listCatalogCodes({ db }), timeZone: 'America/New_York' };
  const records: NetworkMembership[] = [];
  let rowsRead = 0;
  const seen = new Set<string>();
  // What rejected rows name (their stored memberships stay), as the streaming path notes it.
  const rejectedIdentities = new Set<string>();
  let unreadableRejections = 0;
  const named = (record: Parameters<typeof cmsRejectedIdentity>[0]): void => {
    const id = cmsRejectedIdentity(record, ctx);
    if (id === null) unreadableRejections++;
    else rejectedIdentities.add(id);
  };
  for await (const row of source!.rows()) {
    rowsRead++;
    if (row.error) {
      named(row.record);
      continue;
    }
    const parsed = parseRow('cms_network', row.record, ctx);
    if (!parsed.ok) {
      named(row.record);
      continue;
    }
    const v: CmsNetworkRow = parsed.value;
    const roles: NetworkRole[] = [];
    if (v.retail || !v.mail) roles.push('retail');
    if (v.mail) roles.push('mail');
    const recs = roles.map((role) => ({
      contractId: v.contractId,
      pbpId: v.pbpId,
      segmentId: v.segmentId,
      npi: v.npi,
      role,
      effectiveDate: asOf,
      terminationDate: null,
    }));
    const key = recs.map((r) => CMS_NETWORK_TABLE.key(r)).join('#');
    if (seen.has(key)) {
      named(row.record);
      continue;
    }
    seen.add(key);
    records.push(...recs);
  }
  await writeRosterBatch({
    db,
    table: CMS_NETWORK_TABLE,
    kind: 'cms_network',
    asOf,
    append: false,
    endDespiteRejects: false,
    sources: [
      {
        records,
        rejectedIdentities,
        unreadableRejections,
        seenBefore: false,
        meta: {
          path,
          fileName: basename(path),
          sheet: null,
          sha256: await sha256File(path),
          kind: 'cms_network',
          asOf,
          rowsRead,
          warnings: 0,
          startedAt: new Date().toISOString(),
        },
        acceptedRows: 0,
        rejected: [],
      },
    ],
  });
}

async function dump(db: Db): Promise<string[]> {
  const rows = await db.sql.query(
    'SELECT contract_id, pbp_id, segment_id, npi, role, effective_date, termination_date, source, valid_from, valid_to, content_hash FROM network_membership',
  );
  return rows
    .map((r) =>
      JSON.stringify(
        Object.values(r).map((v) => (v === null ? null : String(v as string | number))),
      ),
    )
    .sort();
}

const pgUrl = process.argv[2];
let failures = 0;
try {
  for (const provider of pgUrl ? ['sqlite', 'postgresql'] : ['sqlite']) {
    const urls =
      provider === 'sqlite'
        ? [`file:${join(dir, 'old.db')}`, `file:${join(dir, 'new.db')}`]
        : [`${pgUrl}_old`, `${pgUrl}_new`];
    const dbs: Db[] = [];
    for (const url of urls) dbs.push(await openDatabase({ url }));
    const [oldDb, newDb] = dbs as [Db, Db];
    for (const [path, asOf, what] of steps) {
      await oldPath(oldDb, path, asOf);
      const [r] = await importRosters({
        db: newDb,
        paths: [path],
        asOf,
        kind: 'cms_network',
        timeZone: 'America/New_York',
      });
      if (r?.status !== 'completed') throw new Error(`${what}: ${r?.status} ${r?.message}`);
      const a = await dump(oldDb);
      const b = await dump(newDb);
      const same = a.length === b.length && a.every((x, i) => x === b[i]);
      if (!same) {
        failures++;
        const sa = new Set(a);
        const sb = new Set(b);
        console.log('  old only:', a.filter((x) => !sb.has(x)).slice(0, 3));
        console.log('  new only:', b.filter((x) => !sa.has(x)).slice(0, 3));
      }
      console.log(
        `${provider} ${what}: ${same ? 'same' : 'DIFFERENT'} (${a.length} / ${b.length} rows; inserted ${r.inserted}, ended ${r.ended}, rejected ${r.rejected})`,
      );
    }
    for (const db of dbs) await db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failures > 0 ? 1 : 0;
