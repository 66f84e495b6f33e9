import { parse } from 'csv-parse';
const p = parse({ relax_quotes: true, info: true, relax_column_count: true, on_record: (r, ctx) => { console.log('on_record', JSON.stringify(r).slice(0,80), ctx.lines); return r; } });
p.end('npi,name\n1,"ok"x\n2,a"b\n');
for await (const r of p) console.log(r.record);
