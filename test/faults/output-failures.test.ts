/**
 * The report cannot be written: output folder unwritable (a path through a regular file, through
 * /dev/full), or the disk full while the workbook is written (the file size limit of `ulimit -f`
 * with SIGXFSZ ignored: writes fail with EFBIG as they would with ENOSPC; a real ENOSPC on a tiny
 * tmpfs behaves the same, see docs/RELIABILITY.md). Each: a clear error naming the path, exit 3,
 * no partial file under a final name, the audit run stays recorded, and `report RUN` re-renders it.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
import { reportFile, reportName } from '../helpers/report-files.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { queryDb, spawnCli, tempDir } from './helpers.js';

const DEMO = join(projectRoot, 'data', 'demo');
/** 40 KiB: the demo workbook is ~70 KB. */
const DISK_FULL = "trap '' XFSZ; ulimit -f 40;";

function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

async function completedRuns(url: string): Promise<number[]> {
  const rows = await queryDb<{ id: number | string }>(
    url,
    "SELECT id FROM audit_run WHERE status = 'completed' ORDER BY id",
  );
  return rows.map((r) => Number(r.id));
}

describe('the report cannot be written', () => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('output folder unwritable or disk full (SQLite): exit 3, run kept, re-rendered later', async () => {
    const t = await createTestDatabase('sqlite');
    cleanup.push(t);
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await runCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      join(file, 'reports'),
      '--db',
      t.url,
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot create the output folder .*not-a-folder/);
    expect(run.stderr).toMatch(/ENOTDIR/);
    expect(await completedRuns(t.url)).toEqual([1]);

    const devFull = await runCli(['report', '1', '--out', '/dev/full/reports', '--db', t.url]);
    expect(devFull.code).toBe(3);
    expect(devFull.stderr).toMatch(/cannot create the output folder \/dev\/full\/reports/);

    const out = join(dir, 'reports');
    const full = await spawnCli(['report', '1', '--out', out, '--db', t.url], {
      shell: DISK_FULL,
    }).done;
    expect(full.code, full.stderr).toBe(3);
    expect(full.stderr).toMatch(/cannot write .*-2026-11-01-run1-\d{8}T\d{6}Z\.xlsx: EFBIG/);
    // No partial file, no temporary folder left: only the dated folder `report` writes into.
    expect(listAll(out)).toEqual(['2026-11-01']);

    const again = await runCli(['report', '1', '--out', out, '--db', t.url]);
    expect(again.code, again.stderr).toBe(0);
    // Run 1 is the latest: latest.xlsx too.
    const listed = listAll(out).sort();
    expect(listed).toHaveLength(6);
    expect([listed[0], listed[5]]).toEqual(['2026-11-01', 'latest.xlsx']);
    for (const [k, e] of ['html', 'json', 'md', 'xlsx'].entries())
      expect(listed[k + 1]!.replace(/^2026-11-01\//, '')).toMatch(reportName(1, e));
    expect(await completedRuns(t.url)).toEqual([1]);
  }, 90_000);

  it('disk full during `run` (PostgreSQL): exit 3, the audit run stays recorded', async () => {
    const t = await createTestDatabase('postgresql');
    cleanup.push(t);
    const out = join(tempDir(), 'reports');
    const res = await spawnCli(
      ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', t.url],
      { shell: DISK_FULL },
    ).done;
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/cannot write .*-2026-11-01-run1-\d{8}T\d{6}Z\.xlsx: EFBIG/);
    expect(listAll(join(out, '2026-11-01'))).toEqual([]);
    expect(existsSync(join(out, 'latest.xlsx'))).toBe(false);
    expect(await completedRuns(t.url)).toEqual([1]);
    const again = await runCli(['report', '1', '--out', out, '--db', t.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(reportFile(join(out, '2026-11-01'), 1, 'xlsx'))).toBe(true);
    expect(existsSync(join(out, 'latest.xlsx'))).toBe(true);
  }, 90_000);
});
