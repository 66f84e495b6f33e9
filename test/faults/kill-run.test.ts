/**
 * SIGKILL during `run` (the nightly batch) mid-audit and mid-report. A run killed mid-audit is
 * never left completed (its findings and its completion are one transaction; the next batch marks
 * it failed); a run killed mid-report is completed with all its findings, its report can be
 * rendered again, and no half-written file ever appears under a final report name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
import { reportFile, reportName } from '../helpers/report-files.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { readZipEntries } from '../report/zip.js';
import { count, queryDb, spawnCli, tempDir, wasKilled } from './helpers.js';

const DEMO = join(projectRoot, 'data', 'demo');
const AS_OF = '2026-11-01';

interface RunRow {
  id: number;
  status: string;
  counts: string;
  error: string | null;
}

async function runs(url: string): Promise<RunRow[]> {
  return queryDb<RunRow>(url, 'SELECT id, status, counts, error FROM audit_run ORDER BY id');
}

/** Every file under a final report name is complete; returns the final names. */
function checkReportFolder(out: string): string[] {
  const folder = join(out, AS_OF);
  const names = existsSync(folder) ? readdirSync(folder) : [];
  const finals = names.filter((n) => !n.startsWith('.'));
  for (const n of finals) {
    const path = join(folder, n);
    if (n.endsWith('.xlsx')) {
      const entries = readZipEntries(path);
      expect(entries.has('xl/workbook.xml'), n).toBe(true);
    } else if (n.endsWith('.json')) {
      expect(() => JSON.parse(readFileSync(path, 'utf8')) as unknown, n).not.toThrow();
    } else if (n.endsWith('.html')) {
      expect(readFileSync(path, 'utf8').trimEnd(), n).toMatch(/<\/html>$/i);
    }
  }
  if (existsSync(join(out, 'latest.xlsx'))) readZipEntries(join(out, 'latest.xlsx'));
  return finals;
}

async function findingsMatchCounts(url: string, run: RunRow): Promise<void> {
  const total = (JSON.parse(run.counts) as { total: number }).total;
  expect(await count(url, 'finding', 'run_id = ?', [run.id])).toBe(total);
}

describe.each(['sqlite', 'postgresql'] as const)('SIGKILL during run (%s)', (provider) => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('mid-audit leaves no completed run; mid-report leaves no partial file; the next batch succeeds', async () => {
    const t = await createTestDatabase(provider);
    cleanup.push(t);
    const out = join(tempDir(), 'reports');
    const args = ['run', '--roster', DEMO, '--as-of', AS_OF, '--out', out, '--db', t.url];
    const kill = async (fault: string): Promise<void> => {
      const s = spawnCli([...args, '--quiet'], { env: { INFUSION_AUDIT_FAULT: fault } });
      expect(wasKilled(await s.done), fault).toBe(true);
    };

    // Mid-report: the workbook written in full under its temporary name, not yet renamed.
    await kill('rename:xlsx');
    let all = await runs(t.url);
    const reportKilled = all.at(-1)!;
    expect(reportKilled.status).toBe('completed');
    await findingsMatchCounts(t.url, reportKilled);
    expect(checkReportFolder(out)).toEqual([]);

    if (provider === 'sqlite') {
      // From outside, at a random moment while the report files are written.
      const s = spawnCli([...args, '--log-format', 'json']);
      await s.waitForEvent('audit.done');
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 600)));
      s.child.kill('SIGKILL');
      const res = await s.done;
      checkReportFolder(out);
      if (!wasKilled(res)) expect(res.code).toBe(1);
    }

    // Mid-audit: while the findings are written, then just before their COMMIT. Each batch
    // marks the run the one before left running as failed.
    const faults =
      provider === 'sqlite' ? ['bulk:finding@10', 'commit:finding'] : ['bulk:finding@10'];
    const killedRuns: number[] = [];
    for (const fault of faults) {
      await kill(fault);
      all = await runs(t.url);
      const r = all.at(-1)!;
      expect(r.status).toBe('running');
      expect(await count(t.url, 'finding', 'run_id = ?', [r.id])).toBe(0);
      killedRuns.push(r.id);
    }
    expect(all.filter((r) => r.status === 'running')).toHaveLength(1);

    // The next batch: marks the interrupted runs failed and succeeds.
    const next = await runCli([...args, '--json']);
    expect(next.code, next.stderr).toBe(1);
    expect(next.stderr).toMatch(/1 earlier run\(s\) had been interrupted; marked failed/);
    all = await runs(t.url);
    for (const r of all.filter((x) => killedRuns.includes(x.id))) {
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/interrupted/);
    }
    const last = all.at(-1)!;
    expect(last.status).toBe('completed');
    await findingsMatchCounts(t.url, last);
    const finals = checkReportFolder(out);
    expect(finals).toContainEqual(expect.stringMatching(reportName(last.id, 'xlsx', AS_OF)));
    // The temporary folders of killed processes were cleaned up by the next batch.
    expect(readdirSync(join(out, AS_OF)).filter((n) => n.startsWith('.'))).toEqual([]);

    // The run killed mid-report can be rendered again.
    const again = await runCli(['report', String(reportKilled.id), '--out', out, '--db', t.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(reportFile(join(out, AS_OF), reportKilled.id, 'xlsx'))).toBe(true);
  }, 180_000);
});
