/**
 * Floor: plain prepared INSERTs with better-sqlite3 in one transaction, of the CMS network file
 * split on `|` (no validation). Usage: tsx bench/floors/sqlite-insert.ts FILE DB
 */
import { createReadStream } from 'node:fs';
import Database from 'better-sqlite3';

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) throw new Error('usage: sqlite-insert.ts FILE DB');
const t0 = performance.now();
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
let insert: Database.Statement | null = null;
let header: string[] | null = null;
let rows = 0;
db.exec('BEGIN');
let rest = '';
const onLine = (line: string): void => {
  if (line === '') return;
  const fields = line.split('|');
  if (!header) {
    header = fields;
    db.exec(`CREATE TABLE bare (${header.map((h) => `"${h}" TEXT`).join(', ')})`);
    insert = db.prepare(`INSERT INTO bare VALUES (${header.map(() => '?').join(', ')})`);
    return;
  }
  insert!.run(fields);
  rows++;
};
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const text = rest + (chunk as string);
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    onLine(text.slice(start, nl));
    start = nl + 1;
  }
  rest = text.slice(start);
}
onLine(rest);
db.exec('COMMIT');
db.close();
console.log(JSON.stringify({ rows, ms: Math.round(performance.now() - t0) }));
