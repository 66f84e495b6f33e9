/**
 * Operations hardening (issue 20 items 10, 13, 14, 15, 16; issue 18's mapping loader and fatal
 * printer), each with real files and the CLI as a process:
 * file modes, pruning that never follows a symbolic link, --as-of bounds, the --mapping file with
 * a byte order mark, a fatal error as a JSON line, ENAMETOOLONG, SQLite errors naming the file,
 * a log line on SIGTERM, read-only databases, formula escaping in the rejects file.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneReports } from '../../src/cli/commands/run.js';
import { formulaSafe } from '../../src/import/write-rejects.js';
import { csvText } from '../../src/util/csv-write.js';
import { projectRoot } from '../../src/util/paths.js';
import { reportFile } from '../helpers/report-files.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { spawnCli, tempDir } from './helpers.js';

const DEMO = join(projectRoot, 'data', 'demo');
const cleanup: TestDatabase[] = [];
const mounts: string[] = [];
afterAll(async () => {
  for (const t of cleanup) await t.dispose();
  for (const m of mounts) execFileSync('umount', ['-l', m], { stdio: 'pipe' });
});

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

describe('files holding PHI are private (item 10)', () => {
  it('database, reports, rejects 0600 and folders 0700, even under umask 022', async () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'a.db');
    const out = join(dir, 'reports');
    const res = await spawnCli(
      ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', `file:${db}`],
      { shell: 'umask 022;' },
    ).done;
    expect(res.code, res.stderr).toBe(1);
    expect(mode(db)).toBe('600');
    expect(mode(join(dir, 'data'))).toBe('700');
    expect(mode(out)).toBe('700');
    expect(mode(join(out, '2026-11-01'))).toBe('700');
    for (const ext of ['xlsx', 'json', 'md', 'html'])
      expect(mode(reportFile(join(out, '2026-11-01'), 1, ext))).toBe('600');
    expect(mode(join(out, 'latest.xlsx'))).toBe('600');

    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'pharmacies.csv'),
      `${readFileSync(join(DEMO, 'pharmacies.csv'), 'utf8').split('\n')[0]}\n1234567890,,=HYPERLINK("x"),1 Main St,Town,AR,72201,05119,5015550100,,01,3336H0001X,Y,,Y,Y,Y,Y,,,\n`,
    );
    const rejects = join(dir, 'rejects.csv');
    const imp = await spawnCli(
      ['import', bad, '--as-of', '2026-11-01', '--db', `file:${db}`, '--rejects', rejects],
      { shell: 'umask 022;' },
    ).done;
    expect(imp.code, imp.stderr).toBe(2); // its one row rejected: none loaded
    expect(mode(rejects)).toBe('600');
    expect(readFileSync(rejects, 'utf8')).toMatch(/"'=HYPERLINK\(""x""\)"/);
  }, 120_000);
});

describe('the rejects file escapes what a spreadsheet would evaluate (item 16)', () => {
  it('formula starts, also after spaces, NBSP or in full width', () => {
    for (const v of [
      '=1+1',
      '+1',
      '-1',
      '@SUM(A1)',
      ' =1',
      '\u00A0=1',
      '\u3000+1',
      '\uFF1D1',
      '\t=1',
    ])
      expect(csvText([[formulaSafe(v)]]).replace(/^"/, '')).toMatch(/^'/);
    for (const v of ['Acme Infusion', '1234567893', 'a=b', ' plain'])
      expect(csvText([[formulaSafe(v)]])).not.toMatch(/^"?'/);
  });
});

describe('pruning and the as-of date (item 13)', () => {
  it('--keep-days never follows a dated folder that is a symbolic link', async () => {
    const dir = tempDir();
    const outside = join(dir, 'elsewhere');
    mkdirSync(outside);
    const precious = join(outside, 'all-2020-01-01-run1.xlsx');
    writeFileSync(precious, 'x');
    const out = join(dir, 'reports');
    mkdirSync(out);
    symlinkSync(outside, join(out, '2020-01-01'));
    mkdirSync(join(out, '2020-01-02'));
    writeFileSync(join(out, '2020-01-02', 'all-2020-01-02-run2.xlsx'), 'x');
    const removed = await pruneReports(out, '2026-11-01', 30);
    expect(removed).toEqual([join(out, '2020-01-02')]);
    expect(existsSync(precious)).toBe(true);
    expect(existsSync(join(out, '2020-01-01'))).toBe(true);
  });

  it('an --as-of more than a year ahead or before 2006 is refused unless forced', async () => {
    const t = await createTestDatabase('sqlite');
    cleanup.push(t);
    for (const date of ['2062-11-01', '2005-12-31']) {
      for (const cmd of [['audit'], ['run', '--roster', DEMO, '--keep-days', '1']]) {
        const res = await runCli([...cmd, '--as-of', date, '--db', t.url]);
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr).toMatch(
          new RegExp(`--as-of ${date} is outside 2006-01-01 .*--force-date`),
        );
      }
    }
    const forced = await runCli(['audit', '--as-of', '2062-11-01', '--force-date', '--db', t.url]);
    expect(forced.code, forced.stderr).not.toBe(2);
    expect(forced.stdout).toMatch(/as of 2062-11-01/);
  }, 60_000);
});

describe('messages (item 15; issue 18 loaders and printers)', () => {
  it('reads a --mapping file with a byte order mark', async () => {
    const dir = tempDir();
    const src = join(dir, 'rosters');
    mkdirSync(src);
    const plans = readFileSync(join(DEMO, 'plans.csv'), 'utf8');
    writeFileSync(join(src, 'plans.csv'), plans.replace(/^contract_id,/, 'Contract Number,'));
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, '\uFEFF{"Contract Number": "contract_id"}');
    const res = await runCli([
      'import',
      src,
      '--mapping',
      mapping,
      '--as-of',
      '2026-11-01',
      '--db',
      `file:${join(dir, 'a.db')}`,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/plans\.csv\s+plans\s+\d+\s+\d+\s+0\s+\d+\s+\d+\s+completed/);
    writeFileSync(mapping, '{"Contract Number": "no_such_column"}');
    const wrong = await runCli([
      'import',
      src,
      '--mapping',
      mapping,
      '--db',
      `file:${join(dir, 'a.db')}`,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/mapping\.json: mapping "Contract Number" -> "no_such_column"/);
  }, 60_000);

  it('a fatal error is one JSON line when INFUSION_AUDIT_LOG_FORMAT=json', async () => {
    const dir = tempDir();
    const res = await runCli(['show', '99', '--db', `file:${join(dir, 'a.db')}`], {
      env: { INFUSION_AUDIT_LOG_FORMAT: 'json' },
    });
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'error', exitCode: 2 });
    expect(lines[0]).toMatch(/no audit run 99/);
  });

  it('a name too long is ENAMETOOLONG, not "not found"', async () => {
    const dir = tempDir();
    const long = join(dir, 'x'.repeat(300));
    const run = await runCli(['run', '--roster', long, '--db', `file:${join(dir, 'a.db')}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ENAMETOOLONG/);
    expect(run.stderr).not.toMatch(/not found/);
    const imp = await runCli(['import', long, '--db', `file:${join(dir, 'a.db')}`]);
    expect(imp.code).toBe(2);
    expect(imp.stdout + imp.stderr).toMatch(/ENAMETOOLONG/);
    expect(imp.stdout + imp.stderr).not.toMatch(/no such file/);
  }, 60_000);

  it('an SQLite error names the database file', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    expect((await runCli(['history', '--db', `file:${file}`])).code).toBe(0);
    const db = new Database(file);
    db.exec('DROP TABLE finding');
    db.close();
    const res = await runCli(['show', '1', '--db', `file:${file}`]);
    expect(res.code).toBe(2); // no run 1: the findings table is not read
    const audit = await runCli(['audit', '--as-of', '2026-11-01', '--db', `file:${file}`]);
    expect(audit.code).toBe(3);
    expect(audit.stderr).toContain(
      `no such table: finding (SQLite database ${file}, SQLITE_ERROR)`,
    );
  }, 60_000);

  it('SIGTERM: one log line saying what is kept, then the process ends by the signal', async () => {
    const t = await createTestDatabase('sqlite');
    cleanup.push(t);
    const p = spawnCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      join(tempDir(), 'r'),
      '--db',
      t.url,
      '--log-format',
      'json',
    ]);
    await p.waitForEvent('run.start');
    p.child.kill('SIGTERM');
    const res = await p.done;
    expect(res.signal).toBe('SIGTERM');
    const line = res.stderr.split('\n').find((l) => l.includes('stopped by SIGTERM'));
    expect(line, res.stderr).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ event: 'error', signal: 'SIGTERM' });
    expect(line).toMatch(/what was committed before now is kept.*rolled back/);
  }, 60_000);

  it('a read-only database (archive) is read by history, show, report and db status', async (ctx) => {
    const dir = tempDir();
    const made = await runCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      join(dir, 'r'),
      '--db',
      `file:${join(dir, 'a.db')}`,
    ]);
    expect(made.code, made.stderr).toBe(1);
    const ro = join(dir, 'archive');
    mkdirSync(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', ro], { stdio: 'pipe' });
    } catch {
      return ctx.skip('mounting a tmpfs is not permitted here (needs root)');
    }
    mounts.push(ro);
    const db = new Database(join(dir, 'a.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    copyFileSync(join(dir, 'a.db'), join(ro, 'a.db'));
    execFileSync('mount', ['-o', 'remount,ro', ro], { stdio: 'pipe' });
    const url = `file:${join(ro, 'a.db')}`;
    const history = await runCli(['history', '--db', url]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/completed\s+NON_COMPLIANT/);
    const show = await runCli(['show', '1', '--db', url]);
    expect(show.code, show.stderr).toBe(0);
    const report = await runCli(['report', '1', '--out', join(dir, 'again'), '--db', url]);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(reportFile(join(dir, 'again', '2026-11-01'), 1, 'xlsx'))).toBe(true);
    const status = await runCli(['db', 'status', '--db', url]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/pending: none/);
    expect(status.stderr).toMatch(/read-only/);
  }, 120_000);
});
