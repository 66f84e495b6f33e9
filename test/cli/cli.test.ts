import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { acquireRunLock } from '../../src/db/run-lock.js';
import { projectRoot } from '../../src/util/paths.js';
import { reportFile } from '../helpers/report-files.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

const DEMO = join(projectRoot, 'data', 'demo');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ia-cli-'));
}

describe('the infusion-audit command', () => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('runs the nightly batch on the demo data: import, audit, report; a rerun skips unchanged files', async () => {
    const dir = tempDir();
    const db = `file:${join(dir, 'a.db')}`;
    const out = join(dir, 'reports');
    const args = ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', db];
    const first = await runCli(args);
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(1); // the demo network has deliberate gaps
    expect(first.stdout).toMatch(/NON-COMPLIANT/);
    for (const ext of ['xlsx', 'json', 'md', 'html'])
      expect(existsSync(reportFile(join(out, '2026-11-01'), 1, ext))).toBe(true);
    expect(existsSync(join(out, 'latest.xlsx'))).toBe(true);

    const second = await runCli([...args, '--json']);
    expect(second.code).toBe(1);
    const json = JSON.parse(second.stdout) as {
      runId: number;
      verdict: string;
      counts: { new: number; persisting: number };
      imports: { status: string }[];
      findings: { ruleId: string; status: string }[];
    };
    expect(json.runId).toBe(2);
    expect(json.imports.every((i) => i.status === 'unchanged')).toBe(true);
    expect(json.counts.new).toBe(0);
    expect(json.counts.persisting).toBe(json.findings.length);
    const ruleIds = new Set(json.findings.map((f) => f.ruleId));
    for (const id of [
      'HI-ACCESS',
      'HI-ACUTE',
      'HI-CHRONIC',
      'HI-USABLE',
      'HI-ANCILLARY',
      'HI-DELIVERY-24H',
      'HI-DIRECTIONS',
      'HI-CONTACT',
      'HI-ACCREDITATION',
      'HI-TIMELY',
      'HI-SINGLE-POINT',
    ]) {
      expect(ruleIds).toContain(id);
    }

    const history = await runCli(['history', '--db', db, '--json']);
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as { runs: unknown[] }).runs).toHaveLength(2);
    const show = await runCli(['show', '1', '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/HI-ACCESS/);
  });

  it('runs the batch on PostgreSQL too', async () => {
    const t = await createTestDatabase('postgresql');
    cleanup.push(t);
    const out = join(tempDir(), 'reports');
    const res = await runCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      out,
      '--db',
      t.url,
      '--quiet',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    expect(existsSync(join(out, 'latest.xlsx'))).toBe(true);
  });

  it('waits for the batch lock, then exits 3 with a clear message', async () => {
    const dir = tempDir();
    const url = `file:${join(dir, 'a.db')}`;
    const db = await openDatabase({ url });
    const lock = await acquireRunLock({ db, waitSeconds: 0 });
    try {
      const res = await runCli([
        'run',
        '--roster',
        DEMO,
        '--as-of',
        '2026-11-01',
        '--out',
        join(dir, 'r'),
        '--db',
        url,
        '--wait',
        '1',
      ]);
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/another infusion-audit run holds the batch lock/);
    } finally {
      await lock.release();
      await db.close();
    }
  });

  it('exits 3 naming the PostgreSQL host but never the password when the server is unreachable', async () => {
    const res = await runCli(['audit', '--db', 'postgresql://audit:s3cretpw@127.0.0.1:1/nodb']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(res.stderr + res.stdout).not.toMatch(/s3cretpw/);
  });

  it('exits 2 on usage errors', async () => {
    expect(
      (await runCli(['audit', '--as-of', '2026-02-30', '--db', `file:${join(tempDir(), 'x.db')}`]))
        .code,
    ).toBe(2);
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli(['audit', '--pbp', '001'])).code).toBe(2);
  });

  it('prints the effective configuration with the password redacted', async () => {
    const res = await runCli(['config', '--json'], {
      env: { DATABASE_URL: 'postgresql://u:hunter2@db.example:5432/x' },
    });
    expect(res.code).toBe(0);
    const cfg = JSON.parse(res.stdout) as { database: string; sources: Record<string, string> };
    expect(cfg.database).toBe('postgresql://u:***@db.example:5432/x');
    expect(cfg.sources.database).toBe('env');
    expect(res.stdout).not.toMatch(/hunter2/);
  });

  it('logs one JSON object per event with --log-format json', async () => {
    const dir = tempDir();
    const res = await runCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      join(dir, 'r'),
      '--db',
      `file:${join(dir, 'a.db')}`,
      '--log-format',
      'json',
    ]);
    expect(res.code).toBe(1);
    const events = res.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; ts: string; durationMs?: number });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['run.start', 'import.done', 'audit.done', 'report.done', 'run.done']),
    );
    expect(events.find((e) => e.event === 'run.done')?.durationMs).toBeGreaterThan(0);
    expect(res.stdout).toBe('');
  });

  it.each(['sqlite', 'postgresql'] as const)(
    'migrates safely when two processes start at once on a new %s database',
    async (provider) => {
      let url = `file:${join(tempDir(), 'a.db')}`;
      if (provider === 'postgresql') {
        const t = await createTestDatabase('postgresql', { empty: true });
        cleanup.push(t);
        url = t.url;
      }
      const [a, b] = await Promise.all([
        runCli(['db', 'migrate', '--db', url]),
        runCli(['db', 'migrate', '--db', url]),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const status = await runCli(['db', 'status', '--db', url, '--json']);
      expect(status.code).toBe(0);
      expect((JSON.parse(status.stdout) as { pending: string[] }).pending).toEqual([]);
    },
  );

  it('writes a roster template with a sheet per kind', async () => {
    const file = join(tempDir(), 't.xlsx');
    const res = await runCli(['template', '--out', file]);
    expect(res.code).toBe(0);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
  });
});
