/**
 * `npm run bench [-- --scale 0.25,1] [--providers sqlite,postgresql] [--no-floors]`
 *
 * Generates the national data set (bench/dataset.ts), then for each provider runs every phase as
 * a child process of the CLI under GNU time (wall time, peak RSS): import per kind, re-import of
 * the unchanged CMS network file, audit, report. In the same run and on the same files it
 * measures the floors the targets are stated against: the sqlite3 shell's `.import`, plain
 * better-sqlite3 prepared INSERTs in one transaction, PostgreSQL `COPY FROM STDIN` (psql \copy),
 * and an exceljs streaming write of as many cells as the report. Then `report` of a synthetic run
 * of --report-findings findings (default 100,000; bench/synthetic-run.ts adds it to the bench
 * database through src/db) with its own exceljs floor of the same number of cells. Prints a
 * table, writes bench/results/latest.json. Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readZipDirectory, readZipEntry } from '../src/roster/zip.js';
import { BENCH_AS_OF, ensureDataset, type Dataset } from './dataset.js';
import { events, measure, type Measured } from './measure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'infusion-audit.js');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SQLITE3 = '/usr/bin/sqlite3';

/** Import order (references resolve within one command), file per kind. */
const KINDS = [
  ['pharmacies', 'pharmacies.csv'],
  ['plans', 'plans.csv'],
  ['service_areas', 'service_areas.csv'],
  ['network', 'network.csv'],
  ['cms_network', 'cms-network.txt'],
  ['capabilities', 'capabilities.csv'],
  ['assurances', 'assurances.csv'],
  ['coverage_requests', 'coverage_requests.csv'],
] as const;

type Provider = 'sqlite' | 'postgresql';

export interface PhaseResult {
  phase: string;
  rows: number | null;
  /** Wall time of the whole process (start-up included). */
  wallS: number;
  /** Time the CLI itself logged for the work (import.done / audit.done / report.done), if any. */
  workS: number | null;
  rowsPerS: number | null;
  peakRssMb: number;
  load1: number;
  note?: string;
}

interface ProviderResult {
  provider: Provider;
  phases: PhaseResult[];
  dbSizeMb: number;
  findings: number | null;
  reportCells: number | null;
  /** Cells of the report of the synthetic run of --report-findings findings (null: not run). */
  bigReportCells: number | null;
}

interface FloorResult {
  name: string;
  wallS: number;
  peakRssMb: number;
  rows: number | null;
  load1: number;
}

interface ScaleResult {
  scale: number;
  dataset: Dataset;
  floors: FloorResult[];
  providers: ProviderResult[];
}

const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    providers: { type: 'string', default: 'sqlite,postgresql' },
    'no-floors': { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
    data: { type: 'string', default: join(ROOT, 'bench', 'data') },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
    keep: { type: 'boolean', default: false },
    'report-findings': { type: 'string', default: '100000' },
  },
});
/** Findings of the synthetic run whose report is measured too (0: no such phase). */
const bigFindings = Number(flags['report-findings']);

const scales = flags.scale.split(',').map(Number);
const providers = flags.providers
  .split(',')
  .filter((p): p is Provider => p === 'sqlite' || p === 'postgresql');
const pgBase = flags['pg-url'].replace(/\/$/, '');
const workRoot = join(ROOT, 'bench', 'data', 'work');

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function psql(sql: string, db = 'postgres'): string {
  const u = new URL(`${pgBase}/${db}`);
  return execFileSync(
    'psql',
    [
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      u.username || 'postgres',
      '-d',
      db,
      '-tA',
      '-c',
      sql,
    ],
    { encoding: 'utf8' },
  ).trim();
}

function sizeMb(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) total += statSync(path + suffix).size;
  }
  return round(total / 1024 ** 2, 1);
}

function cli(args: string[], db: string, cwd: string, okCodes = [0]): Promise<Measured> {
  return measure(process.execPath, [BIN, ...args, '--db', db, '--log-format', 'json'], {
    cwd,
    okCodes,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function phase(
  name: string,
  m: Measured,
  rows: number | null,
  workMs: number | null,
  note?: string,
): PhaseResult {
  return {
    phase: name,
    rows,
    wallS: m.wallS,
    workS: workMs === null ? null : round(workMs / 1000),
    rowsPerS: rows ? Math.round(rows / m.wallS) : null,
    peakRssMb: m.peakRssMb,
    load1: m.load1,
    ...(note ? { note } : {}),
  };
}

function eventMs(m: Measured, name: string): number | null {
  const e = events(m.stderr).find((x) => x.event === name);
  return e && typeof e.durationMs === 'number' ? e.durationMs : null;
}

/** Cells in the workbook's worksheets (`<c ` elements), read with the project's ZIP reader. */
function countCells(xlsx: string): number {
  let n = 0;
  for (const entry of readZipDirectory(xlsx)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) continue;
    const xml = readZipEntry(xlsx, entry, 2 * 1024 ** 3);
    for (let i = xml.indexOf('<c '); i !== -1; i = xml.indexOf('<c ', i + 3)) n++;
  }
  return n;
}

async function runProvider(p: Provider, ds: Dataset, scale: number): Promise<ProviderResult> {
  const cwd = join(workRoot, `${p}-${scale}`);
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  const dbName = `bench_${process.pid}_${String(scale).replace('.', '_')}`;
  let url: string;
  let dbFile: string | null = null;
  if (p === 'sqlite') {
    dbFile = join(cwd, 'bench.db');
    url = `file:${dbFile}`;
  } else {
    psql(`DROP DATABASE IF EXISTS ${dbName}`);
    psql(`CREATE DATABASE ${dbName}`);
    url = `${pgBase}/${dbName}`;
  }
  const phases: PhaseResult[] = [];
  let findings: number | null;
  let reportCells: number | null;
  let bigReportCells: number | null = null;
  let dbSizeMb: number;
  try {
    // Start-up: migrations and reference data, so no import pays for them. Then a bare command
    // (what every later phase pays to start).
    const mig = await cli(['db', 'migrate'], url, cwd);
    phases.push(phase('migrate', mig, null, null, 'creates the schema'));
    const st = await cli(['db', 'status'], url, cwd);
    phases.push(phase('cli start-up', st, null, null, 'db status: process start, no work'));

    for (const [kind, file] of KINDS) {
      const path = join(ds.dir, file);
      if (!existsSync(path)) continue;
      const m = await cli(['import', path, '--as-of', BENCH_AS_OF], url, cwd);
      const f = events(m.stderr).find((e) => e.event === 'import.file');
      if (f?.status !== 'completed') throw new Error(`import ${file}: ${JSON.stringify(f)}`);
      phases.push(phase(`import ${kind}`, m, Number(f.rowsRead), eventMs(m, 'import.done')));
      log(`  ${p} import ${kind}: ${m.wallS} s, ${m.peakRssMb} MB`);
    }
    const again = await cli(
      ['import', join(ds.dir, 'cms-network.txt'), '--as-of', BENCH_AS_OF],
      url,
      cwd,
    );
    const f = events(again.stderr).find((e) => e.event === 'import.file');
    if (f?.status !== 'unchanged') throw new Error(`re-import: ${JSON.stringify(f)}`);
    phases.push(
      phase('re-import cms_network (unchanged)', again, null, eventMs(again, 'import.done')),
    );
    log(`  ${p} re-import: ${again.wallS} s`);

    const audit = await cli(['audit', '--as-of', BENCH_AS_OF, '--json'], url, cwd, [0, 1]);
    const outcome = JSON.parse(audit.stdout) as { counts?: { total?: number }; findings?: unknown };
    findings = outcome.counts?.total ?? null;
    phases.push(
      phase('audit', audit, findings, eventMs(audit, 'audit.done'), `${findings} findings`),
    );
    log(`  ${p} audit: ${audit.wallS} s, ${findings} findings`);

    const outDir = join(cwd, 'reports');
    const report = await cli(['report', '--out', outDir, '--json'], url, cwd);
    const files = JSON.parse(report.stdout) as { xlsx: string };
    reportCells = countCells(files.xlsx);
    phases.push(phase('report', report, findings, null, `${reportCells} cells`));
    log(`  ${p} report: ${report.wallS} s, ${reportCells} cells`);
    dbSizeMb =
      dbFile !== null
        ? sizeMb(dbFile)
        : round(Number(psql('SELECT pg_database_size(current_database())', dbName)) / 1024 ** 2, 1);

    if (bigFindings > 0) {
      // A completed run of bigFindings findings (the audit's, repeated), then its report.
      const added = await measure(
        TSX,
        [join(ROOT, 'bench', 'synthetic-run.ts'), url, String(bigFindings)],
        {
          cwd,
        },
      );
      const { runId } = JSON.parse(added.stdout) as { runId: number };
      const big = await cli(
        ['report', String(runId), '--out', join(cwd, 'reports-big'), '--json'],
        url,
        cwd,
      );
      const bigFiles = JSON.parse(big.stdout) as { xlsx: string };
      bigReportCells = countCells(bigFiles.xlsx);
      phases.push(
        phase(
          `report (${bigFindings} findings)`,
          big,
          bigFindings,
          null,
          `${bigReportCells} cells`,
        ),
      );
      log(
        `  ${p} report of ${bigFindings} findings: ${big.wallS} s, ${big.peakRssMb} MB, ${bigReportCells} cells`,
      );
    }
  } finally {
    if (p === 'postgresql' && !flags.keep) psql(`DROP DATABASE IF EXISTS ${dbName}`);
    if (!flags.keep) rmSync(cwd, { recursive: true, force: true });
  }
  return { provider: p, phases, dbSizeMb, findings, reportCells, bigReportCells };
}

async function runFloors(
  ds: Dataset,
  scale: number,
  reportCells: number | null,
  bigReportCells: number | null,
): Promise<FloorResult[]> {
  const cwd = join(workRoot, `floors-${scale}`);
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  const file = join(ds.dir, 'cms-network.txt');
  const rows = ds.rows['cms-network.txt'] ?? null;
  const floors: FloorResult[] = [];
  const add = (name: string, m: Measured, n: number | null): void => {
    floors.push({ name, wallS: m.wallS, peakRssMb: m.peakRssMb, rows: n, load1: m.load1 });
    log(`  floor ${name}: ${m.wallS} s, ${m.peakRssMb} MB`);
  };
  try {
    add(
      'sqlite3 shell .import',
      await measure(SQLITE3, [join(cwd, 'shell.db')], {
        input: `PRAGMA journal_mode=WAL;\n.separator "|"\n.import ${file} bare\n`,
      }),
      rows,
    );
    add(
      'better-sqlite3 prepared INSERT',
      await measure(TSX, [
        join(ROOT, 'bench', 'floors', 'sqlite-insert.ts'),
        file,
        join(cwd, 'insert.db'),
      ]),
      rows,
    );
    if (providers.includes('postgresql')) {
      const dbName = `bench_${process.pid}_floor`;
      psql(`DROP DATABASE IF EXISTS ${dbName}`);
      psql(`CREATE DATABASE ${dbName}`);
      try {
        const header = execFileSync('head', ['-1', file], { encoding: 'utf8' }).trim().split('|');
        psql(
          `CREATE TABLE bare (${header.map((h) => `"${h.toLowerCase()}" text`).join(', ')})`,
          dbName,
        );
        const u = new URL(`${pgBase}/${dbName}`);
        add(
          'PostgreSQL COPY FROM STDIN (psql \\copy)',
          await measure('psql', [
            '-h',
            u.hostname,
            '-p',
            u.port || '5432',
            '-U',
            u.username || 'postgres',
            '-d',
            dbName,
            '-c',
            `\\copy bare FROM '${file}' WITH (FORMAT csv, DELIMITER '|', HEADER true)`,
          ]),
          rows,
        );
      } finally {
        psql(`DROP DATABASE IF EXISTS ${dbName}`);
      }
    }
    for (const [cells, label] of [
      [reportCells, 'exceljs streaming write'],
      [bigReportCells, `exceljs streaming write, report of ${bigFindings} findings`],
    ] as const) {
      if (cells === null) continue;
      const cols = 12;
      const n = Math.ceil(cells / cols);
      add(
        `${label} (${n} x ${cols} cells)`,
        await measure(TSX, [
          join(ROOT, 'bench', 'floors', 'exceljs-write.ts'),
          join(cwd, 'floor.xlsx'),
          String(n),
          String(cols),
        ]),
        n,
      );
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return floors;
}

// ---- targets ------------------------------------------------------------------------------

interface TargetCheck {
  scale: number;
  provider: Provider | null;
  target: string;
  limit: string;
  measured: string;
  met: boolean;
}

function checkTargets(results: ScaleResult[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const r of results) {
    const floor = (prefix: string): FloorResult | undefined =>
      r.floors.find((f) => f.name.startsWith(prefix));
    for (const p of r.providers) {
      const get = (name: string): PhaseResult | undefined => p.phases.find((x) => x.phase === name);
      const imp = get('import cms_network');
      const base = floor(p.provider === 'sqlite' ? 'sqlite3 shell' : 'PostgreSQL COPY');
      if (imp && base) {
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: `import cms_network <= 3x ${base.name}`,
          limit: `${round(base.wallS * 3)} s`,
          measured: `${imp.wallS} s (${round(imp.wallS / base.wallS, 1)}x; in-process ${imp.workS} s)`,
          met: imp.wallS <= base.wallS * 3,
        });
      }
      if (imp)
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: 'import cms_network peak RSS < 300 MB',
          limit: '300 MB',
          measured: `${imp.peakRssMb} MB`,
          met: imp.peakRssMb < 300,
        });
      const audit = get('audit');
      if (audit) {
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: 'audit < 10 s, RSS < 500 MB',
          limit: '10 s / 500 MB',
          measured: `${audit.wallS} s / ${audit.peakRssMb} MB`,
          met: audit.wallS < 10 && audit.peakRssMb < 500,
        });
      }
      const report = get('report');
      const xf = r.floors.find((f) => f.name.startsWith('exceljs streaming write ('));
      if (report && xf) {
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: `report <= 1.5x exceljs floor, RSS < 400 MB (${p.findings} findings)`,
          limit: `${round(xf.wallS * 1.5)} s / 400 MB`,
          measured: `${report.wallS} s (${round(report.wallS / xf.wallS, 1)}x) / ${report.peakRssMb} MB`,
          met: report.wallS <= xf.wallS * 1.5 && report.peakRssMb < 400,
        });
      }
      const big = get(`report (${bigFindings} findings)`);
      const bf = floor(`exceljs streaming write, report of ${bigFindings} findings`);
      if (big && bf) {
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: `report <= 1.5x exceljs floor, RSS < 400 MB (${bigFindings} findings)`,
          limit: `${round(bf.wallS * 1.5)} s / 400 MB`,
          measured: `${big.wallS} s (${round(big.wallS / bf.wallS, 2)}x) / ${big.peakRssMb} MB`,
          met: big.wallS <= bf.wallS * 1.5 && big.peakRssMb < 400,
        });
      }
      const re = get('re-import cms_network (unchanged)');
      if (re) {
        out.push({
          scale: r.scale,
          provider: p.provider,
          target: 're-import unchanged cms_network < 2 s',
          limit: '2 s',
          measured: `${re.wallS} s (in-process ${re.workS} s)`,
          met: re.wallS < 2,
        });
      }
    }
  }
  // growth 0.25 -> 1
  const small = results.find((r) => r.scale === 0.25);
  const big = results.find((r) => r.scale === 1);
  if (small && big) {
    for (const p of big.providers) {
      const q = small.providers.find((x) => x.provider === p.provider);
      if (!q) continue;
      const worst = p.phases
        .filter((ph) => ph.rows !== null || ph.phase === 'audit' || ph.phase === 'report')
        .map((ph) => {
          const s = q.phases.find((x) => x.phase === ph.phase);
          return { name: ph.phase, ratio: s ? ph.wallS / s.wallS : NaN };
        })
        .filter((x) => Number.isFinite(x.ratio))
        .sort((a, b) => b.ratio - a.ratio)[0];
      if (worst)
        out.push({
          scale: 1,
          provider: p.provider,
          target: 'growth 0.25 -> 1 <= 4.6x for every phase',
          limit: '4.6x',
          measured: `worst ${worst.name}: ${round(worst.ratio, 2)}x`,
          met: worst.ratio <= 4.6,
        });
    }
  }
  return out;
}

function printTable(results: ScaleResult[], checks: TargetCheck[]): void {
  const pad = (s: string, n: number): string => s.padEnd(n);
  const lpad = (s: string, n: number): string => s.padStart(n);
  for (const r of results) {
    console.log(`\n== scale ${r.scale} (${JSON.stringify(r.dataset.rows)})`);
    console.log(
      `${pad('provider', 11)}${pad('phase', 36)}${lpad('rows', 10)}${lpad('wall s', 9)}${lpad('work s', 9)}${lpad('rows/s', 10)}${lpad('RSS MB', 9)}${lpad('load', 6)}`,
    );
    for (const p of r.providers) {
      for (const ph of p.phases) {
        console.log(
          `${pad(p.provider, 11)}${pad(ph.phase, 36)}${lpad(ph.rows?.toString() ?? '', 10)}${lpad(ph.wallS.toFixed(2), 9)}${lpad(ph.workS?.toFixed(2) ?? '', 9)}${lpad(ph.rowsPerS?.toString() ?? '', 10)}${lpad(ph.peakRssMb.toFixed(0), 9)}${lpad(ph.load1.toFixed(1), 6)}`,
        );
      }
      console.log(`${pad(p.provider, 11)}database size ${p.dbSizeMb} MB`);
    }
    for (const f of r.floors) {
      console.log(
        `${pad('floor', 11)}${pad(f.name, 36)}${lpad(f.rows?.toString() ?? '', 10)}${lpad(f.wallS.toFixed(2), 9)}${lpad('', 9)}${lpad(f.rows ? String(Math.round(f.rows / f.wallS)) : '', 10)}${lpad(f.peakRssMb.toFixed(0), 9)}${lpad(f.load1.toFixed(1), 6)}`,
      );
    }
  }
  console.log(
    '\n== targets (stated for the national data set, scale 1; other scales for information)',
  );
  for (const c of checks) {
    const verdict = c.scale === 1 ? (c.met ? 'MET   ' : 'MISSED') : c.met ? 'within' : 'over  ';
    console.log(
      `${verdict} scale ${c.scale} ${c.provider ?? ''}: ${c.target}: ${c.measured} (limit ${c.limit})`,
    );
  }
}

async function main(): Promise<void> {
  const results: ScaleResult[] = [];
  for (const scale of scales) {
    log(`scale ${scale}: data set`);
    const ds = await ensureDataset(flags.data, scale);
    log(
      `  ${ds.dir}${ds.generatedInMs !== null ? ` generated in ${ds.generatedInMs} ms` : ' (cached)'}`,
    );
    const provs: ProviderResult[] = [];
    for (const p of providers) provs.push(await runProvider(p, ds, scale));
    const cells = provs.find((x) => x.reportCells !== null)?.reportCells ?? null;
    const bigCells = provs.find((x) => x.bigReportCells !== null)?.bigReportCells ?? null;
    const floors = flags['no-floors'] ? [] : await runFloors(ds, scale, cells, bigCells);
    results.push({ scale, dataset: ds, floors, providers: provs });
  }
  const checks = checkTargets(results);
  printTable(results, checks);
  const cpu = cpus();
  const doc = {
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpu.length,
      model: cpu[0]?.model ?? 'unknown',
      memGb: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      loadAtEnd: loadavg().map((x) => round(x)),
    },
    results,
    targets: checks,
  };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, JSON.stringify(doc, null, 2) + '\n');
  log(`\nwrote ${flags.out}`);
  if (readdirSync(workRoot).length === 0) rmSync(workRoot, { recursive: true, force: true });
}

await main();
