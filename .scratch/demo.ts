import { openRoster } from '../src/roster/open-roster.js';
import { parseRow } from '../src/roster/parse-row.js';
import { readCatalog } from '../src/roster/catalog.js';
const cat = await readCatalog('data/drug-classes.csv');
const ctx = { catalogCodes: new Set(cat.map((c) => c.code)), timeZone: 'America/New_York' };
for (const p of ['data/demo', '/work/shared/samples/cms-pharmacy-network-sample.txt']) {
  const srcs = await openRoster({ path: p });
  console.log('skipped', srcs.skipped);
  for (const s of srcs) {
    let ok = 0, bad = 0, warn = 0;
    for await (const r of s.rows()) {
      if (r.error) { bad++; console.log(r.error); continue; }
      const res = parseRow(s.kind, r.record, ctx);
      if (res.ok) ok++; else { bad++; if (bad < 4) console.log(s.fileName, r.rowNumber, res.errors); }
      warn += res.warnings.length;
    }
    console.log(s.fileName, s.sheet, s.kind, s.encoding, JSON.stringify(s.delimiter), 'ok', ok, 'bad', bad, 'warn', warn, 'ignored', s.ignoredColumns.length);
  }
}
