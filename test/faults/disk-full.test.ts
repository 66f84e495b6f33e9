/**
 * Disk full for real: a small tmpfs (mounted here; root only), sized so that exactly one output
 * runs out of space: the workbook, the JSON, the Markdown, the HTML, the PNG maps, latest.xlsx,
 * the --rejects file. Each: exit 3 within seconds with the path and ENOSPC, no temporary folder
 * or partial file left, `run`'s lease released (the next run starts at once), what was committed
 * kept. The workbook is multi-megabyte (a generated network of 30,000 pharmacies).
 * Skipped, saying why, only where mounting is not permitted (not root, no tmpfs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { reportFile, reportName } from '../helpers/report-files.js';
import { count, queryDb, tempDir } from './helpers.js';

const PAGE = 4096;
const DEMO = join(projectRoot, 'data', 'demo');
const ROOT = tempDir('ia-diskfull-');
const mounts: string[] = [];

/** Mounts a tmpfs of `bytes` (whole pages) at a new folder; null when not permitted. */
function mountTmpfs(bytes: number): string | null {
  const dir = join(ROOT, `m${mounts.length}`);
  mkdirSync(dir);
  try {
    execFileSync(
      'mount',
      ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / PAGE) * PAGE}`, 'tmpfs', dir],
      {
        stdio: 'pipe',
      },
    );
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}

const probe = mountTmpfs(PAGE * 4);
const SKIP = probe === null ? 'mounting a tmpfs is not permitted here (needs root)' : null;

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function expectDiskFull(res: CliResult, file: RegExp, ms: number): void {
  expect(res.code, res.stderr).toBe(3);
  expect(res.stderr).toMatch(file);
  expect(res.stderr).toMatch(/ENOSPC/);
  expect(res.signal).toBeNull();
  expect(ms).toBeLessThan(60_000);
}

async function timed(p: Promise<CliResult>): Promise<[CliResult, number]> {
  const t0 = Date.now();
  const r = await p;
  return [r, Date.now() - t0];
}

describe('disk full while an output is written (real tmpfs)', () => {
  const dbs: TestDatabase[] = [];
  let big = '';
  let db: TestDatabase;
  const size = { xlsx: 0, json: 0, md: 0, html: 0 };
  // Plan sponsor (the default policy's), scope all, run 1; its time is read from the first report.
  let base = '';

  beforeAll(async () => {
    if (SKIP) return;
    big = join(ROOT, 'rosters');
    const gen = await runCli([
      'generate',
      '--pharmacies',
      '30000',
      '--plans',
      '5',
      '--states',
      '3',
      '--seed',
      '1',
      '--out',
      big,
    ]);
    expect(gen.code, gen.stderr).toBe(0);
    db = await createTestDatabase('sqlite');
    dbs.push(db);
    const out = join(ROOT, 'reference');
    const first = await runCli(
      ['run', '--roster', big, '--as-of', '2026-11-01', '--out', out, '--db', db.url],
      { timeoutMs: 180_000 },
    );
    expect([0, 1, 4]).toContain(first.code);
    base = basename(reportFile(join(out, '2026-11-01'), 1, 'xlsx'), '.xlsx');
    for (const ext of ['xlsx', 'json', 'md', 'html'] as const) {
      size[ext] = statSync(join(out, '2026-11-01', `${base}.${ext}`)).size;
    }
  }, 240_000);

  afterAll(async () => {
    for (const d of dbs) await d.dispose();
    for (const m of mounts.reverse()) {
      try {
        execFileSync('umount', [m], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', m], { stdio: 'pipe' });
      }
    }
  });

  it('the workbook is multi-megabyte and each output is what the sizes below assume', (ctx) => {
    if (SKIP) return ctx.skip(SKIP);
    expect(size.xlsx).toBeGreaterThan(2_000_000);
    expect(pages(size.md)).toBeGreaterThanOrEqual(2);
  });

  const cases: { what: string; ext: 'xlsx' | 'json' | 'md' | 'html'; before: string[] }[] = [
    { what: 'workbook', ext: 'xlsx', before: [] },
    { what: 'JSON', ext: 'json', before: ['xlsx'] },
    { what: 'Markdown', ext: 'md', before: ['xlsx', 'json'] },
    { what: 'HTML', ext: 'html', before: ['xlsx', 'json', 'md'] },
  ];
  for (const c of cases) {
    it(`report: the ${c.what} does not fit: exit 3 naming it and ENOSPC, no temporary left`, async (ctx) => {
      if (SKIP) return ctx.skip(SKIP);
      const before = c.before.reduce((n, e) => n + pages(size[e as keyof typeof size]), 0);
      // The workbook is streamed, then copied with its pictures: twice its size for a moment.
      const room = Math.max(
        before + Math.max(1, Math.floor(pages(size[c.ext]) / 2)),
        c.before.includes('xlsx') ? 2 * pages(size.xlsx) + 1 : 0,
      );
      expect(room, 'the sizes leave this case testable').toBeLessThan(before + pages(size[c.ext]));
      const dir = mountTmpfs(room * PAGE)!;
      const [res, ms] = await timed(runCli(['report', '1', '--out', dir, '--db', db.url]));
      // `report` writes into the dated folder, as `run` does.
      expectDiskFull(res, new RegExp(`cannot write ${dir}/2026-11-01/${base}\\.${c.ext}`), ms);
      expect(listAll(dir)).toEqual(
        ['2026-11-01', ...c.before.map((e) => `2026-11-01/${base}.${e}`)].sort(),
      );
    }, 120_000);
  }

  it('report: the PNG maps do not fit (in-process render): ENOSPC naming the map', async (ctx) => {
    if (SKIP) return ctx.skip(SKIP);
    const [{ openDatabase }, { loadReportModel }, { renderReport }] = await Promise.all([
      import('../../src/db/connect.js'),
      import('../../src/audit/load-report-model.js'),
      import('../../src/report/render-report.js'),
    ]);
    const handle = await openDatabase({ url: db.url });
    try {
      const model = await loadReportModel({ db: handle, runId: 1 });
      const room = pages(size.xlsx) + pages(size.json) + pages(size.md) + pages(size.html) + 1;
      const dir = mountTmpfs(room * PAGE)!;
      const err = await renderReport({ model, outDir: dir, mapPngs: true }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.name).toBe('SystemError');
      expect(err?.message).toMatch(new RegExp(`cannot write ${dir}/${base}-map-.*\\.png: ENOSPC`));
      expect(listAll(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('run: latest.xlsx does not fit: exit 3, run kept, lease released (next run starts at once)', async (ctx) => {
    if (SKIP) return ctx.skip(SKIP);
    const dated = pages(size.xlsx) + pages(size.json) + pages(size.md) + pages(size.html);
    const dir = mountTmpfs((dated + Math.floor(pages(size.xlsx) / 2)) * PAGE)!;
    const [res, ms] = await timed(
      runCli(['run', '--roster', big, '--as-of', '2026-11-01', '--out', dir, '--db', db.url], {
        timeoutMs: 180_000,
      }),
    );
    expectDiskFull(res, new RegExp(`cannot write ${dir}/latest\\.xlsx`), ms);
    expect(res.stderr).toMatch(/already stored and kept: (.*; )?audit run 2 \(/);
    const listed = listAll(dir);
    expect(listed[0]).toBe('2026-11-01');
    const names = listed.slice(1).map((n) => n.replace(/^2026-11-01\//, ''));
    expect(names).toHaveLength(4);
    for (const [k, e] of ['html', 'json', 'md', 'xlsx'].entries())
      expect(names[k]).toMatch(reportName(2, e));
    expect(await count(db.url, 'run_lock')).toBe(0);
    const runs = await queryDb<{ id: number; status: string }>(
      db.url,
      'SELECT id, status FROM audit_run ORDER BY id',
    );
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
  }, 240_000);

  for (const provider of PROVIDERS) {
    it(`run (${provider}): 64 KiB left for the workbook: exit 3, lease released, no temporary`, async (ctx) => {
      if (SKIP) return ctx.skip(SKIP);
      const t = await createTestDatabase(provider);
      dbs.push(t);
      const dir = mountTmpfs(64 * 1024)!;
      const args = ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--db', t.url, '--wait', '0'];
      const [res, ms] = await timed(runCli([...args, '--out', dir]));
      expectDiskFull(
        res,
        new RegExp(
          `cannot write ${dir}/2026-11-01/Plan-sponsor-all-2026-11-01-run1-\\d{8}T\\d{6}Z\\.xlsx`,
        ),
        ms,
      );
      expect(listAll(dir)).toEqual(['2026-11-01']);
      const again = await runCli([...args, '--out', join(ROOT, `after-${provider}`)]);
      expect(again.code, again.stderr).toBe(1); // the demo network is not compliant
      expect(again.stderr).not.toMatch(/lock/);
    }, 120_000);

    it(`import --rejects (${provider}): the rejects file does not fit: exit 3, import kept`, async (ctx) => {
      if (SKIP) return ctx.skip(SKIP);
      const t = await createTestDatabase(provider);
      dbs.push(t);
      const src = join(ROOT, `bad-${provider}`);
      mkdirSync(src);
      const lines = readFileSync(join(DEMO, 'pharmacies.csv'), 'utf8').split(/\r?\n/);
      const header = lines[0]!;
      const bad = Array.from(
        { length: 2000 },
        (_, i) =>
          `1234567890,,Bad ${i},1 Main St,Town,AR,72201,05119,5015550100,,01,3336H0001X,Y,,Y,Y,Y,Y,,,`,
      );
      writeFileSync(
        join(src, 'pharmacies.csv'),
        [header, ...lines.slice(1).filter(Boolean), ...bad].join('\n') + '\n',
      );
      const dir = mountTmpfs(64 * 1024)!;
      const rejects = join(dir, 'rejects.csv');
      const [res, ms] = await timed(
        runCli(['import', src, '--as-of', '2026-11-01', '--db', t.url, '--rejects', rejects]),
      );
      expectDiskFull(res, new RegExp(`cannot write ${rejects}`), ms);
      expect(res.stderr).toMatch(
        /the import committed and is kept \(.*pharmacies\.csv: completed, \d+ row\(s\) stored, \d+ rejected and recorded\)/,
      );
      expect(listAll(dir)).toEqual([]);
      expect(await count(t.url, 'pharmacy')).toBeGreaterThan(0);
    }, 120_000);
  }
});
