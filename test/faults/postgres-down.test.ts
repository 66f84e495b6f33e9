/**
 * PostgreSQL stopped before and during a run (through a TCP proxy the test stops; the real server
 * is never touched): exit 3, a message naming the database host and never the password, nothing
 * recorded as a success; the next run, once the server is back, succeeds.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { listMigrationNames } from '../../src/db/migrate.js';
import { projectRoot } from '../../src/util/paths.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { queryDb, spawnCli, tempDir } from './helpers.js';
import { PgProxy } from './pg-proxy.js';

const DEMO = join(projectRoot, 'data', 'demo');
const PASSWORD = 'Pr0xy-S3cret-pw';

function viaProxy(url: string, port: number): string {
  const u = new URL(url);
  u.password = PASSWORD; // the local server uses trust auth: the password is only there to leak
  u.port = String(port);
  return u.toString();
}

async function runStatuses(url: string): Promise<string[]> {
  const exists = await queryDb<{ t: string | null }>(url, "SELECT to_regclass('audit_run') AS t");
  if (exists[0]?.t === null) return [];
  const rows = await queryDb<{ status: string }>(url, 'SELECT status FROM audit_run ORDER BY id');
  return rows.map((r) => r.status);
}

function reportFiles(out: string): string[] {
  const dir = join(out, '2026-11-01');
  return existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
}

describe('PostgreSQL down', () => {
  let t: TestDatabase;
  const proxy = new PgProxy();
  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
    // Migrated first: a cut during the very first migration is a separate case (see below).
    const db = await openDatabase({ url: t.url });
    await db.close();
  });
  afterAll(async () => {
    await proxy.stop();
    await t.dispose();
  });

  it('before the run: exit 3, names the host, never the password; nothing recorded', async () => {
    await proxy.start();
    await proxy.stop(); // a port where nothing listens
    const url = viaProxy(t.url, proxy.port);
    const out = join(tempDir(), 'reports');
    for (const log of ['human', 'json']) {
      const res = await runCli([
        'run',
        '--roster',
        DEMO,
        '--as-of',
        '2026-11-01',
        '--out',
        out,
        '--db',
        url,
        '--log-format',
        log,
      ]);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(`127.0.0.1:${proxy.port}`);
      expect(res.stderr).toMatch(/is the server running/);
      expect(res.stdout + res.stderr).not.toContain(PASSWORD);
    }
    expect(await runStatuses(t.url)).toEqual([]);
    expect(reportFiles(out)).toEqual([]);
  });

  it.each([
    ['mid-import', 'roster_import'],
    ['mid-audit', 'COPY "finding"'],
  ])(
    'during the run (%s): exit 3, names the host, no success recorded; the next run succeeds',
    async (_label, cutOn) => {
      const port = await proxy.start();
      proxy.cutOn = cutOn;
      proxy.cut = false;
      const url = viaProxy(t.url, port);
      const out = join(tempDir(), 'reports');
      const args = ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', url];
      const before = await runStatuses(t.url);
      const s = spawnCli([...args, '--log-format', 'json']);
      const res = await s.done;
      expect(proxy.cut, 'the proxy never saw the statement to cut on').toBe(true);
      expect(res.code, res.stderr).toBe(3);
      const errors = res.stderr
        .split('\n')
        .filter((l) => l.includes('"event":"error"'))
        .map((l) => JSON.parse(l) as { message: string; exitCode: number });
      expect(errors).toHaveLength(1);
      expect(errors[0]!.exitCode).toBe(3);
      expect(errors[0]!.message).toContain(`127.0.0.1:${port}`);
      expect(res.stdout + res.stderr).not.toContain(PASSWORD);
      expect(res.stderr).not.toMatch(/"event":"run.done"/);
      const after = await runStatuses(t.url);
      expect(after.slice(before.length)).not.toContain('completed');
      expect(reportFiles(out)).toEqual([]);

      // The server is back.
      proxy.cutOn = null;
      await proxy.start();
      const next = await runCli(args);
      expect(next.code, next.stderr).toBe(1);
      expect(next.stdout + next.stderr).not.toContain(PASSWORD);
      const final = await runStatuses(t.url);
      expect(final.at(-1)).toBe('completed');
      expect(final.filter((x) => x === 'running')).toEqual([]);
      expect(reportFiles(out).length).toBeGreaterThan(0);
      await proxy.stop();
    },
    90_000,
  );

  it('after the audit committed (the report checks it renders the latest run): says the run is stored and kept', async () => {
    const port = await proxy.start();
    // `run` renders the model its audit stored; the one statement after the commit asks whether
    // the run is the latest (for latest.xlsx).
    proxy.cutOn = "FROM audit_run WHERE status = 'completed' ORDER BY id DESC LIMIT 1";
    proxy.cut = false;
    const url = viaProxy(t.url, port);
    const out = join(tempDir(), 'reports');
    const before = await runStatuses(t.url);
    const res = await runCli([
      'run',
      '--roster',
      DEMO,
      '--as-of',
      '2026-11-01',
      '--out',
      out,
      '--db',
      url,
    ]);
    expect(proxy.cut, 'the proxy never saw the statement to cut on').toBe(true);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/lost the connection to PostgreSQL at 127\.0\.0\.1:\d+/);
    expect(res.stderr).toMatch(/already stored and kept: (.*; )?audit run \d+ \(NON_COMPLIANT\)/);
    expect(res.stderr).not.toMatch(/nothing of this step was recorded/i);
    expect(res.stdout + res.stderr).not.toContain(PASSWORD);
    expect((await runStatuses(t.url)).slice(before.length)).toEqual(['completed']);
    await proxy.stop();
  }, 90_000);
});

describe('PostgreSQL down during the first migration', () => {
  let t: TestDatabase;
  const proxy = new PgProxy();
  beforeAll(async () => {
    t = await createTestDatabase('postgresql', { empty: true });
  });
  afterAll(async () => {
    await proxy.stop();
    await t.dispose();
  });

  // Fixed (src/db/migrate.ts): a connection cut while the first migration ran left it recorded
  // as failed in _prisma_migrations, and every later command refused ("migration ... failed
  // earlier; restore the database from a backup or fix it by hand"). Each migration script now
  // runs in one transaction together with its _prisma_migrations row: cut off, it left nothing.
  it('exit 3 naming the host; the next run, once the server is back, succeeds', async () => {
    const port = await proxy.start();
    proxy.cutOn = '"roster_import"'; // inside the migration script
    const url = viaProxy(t.url, port);
    const out = join(tempDir(), 'reports');
    const args = ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', url];
    const first = await runCli(args);
    expect(proxy.cut).toBe(true);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain(`127.0.0.1:${port}`);
    expect(first.stdout + first.stderr).not.toContain(PASSWORD);
    // The script and its record are one transaction: nothing of it is in the database, not
    // even a record of it as failed (which would need an operator's attention).
    const tables = await queryDb<{ name: string }>(
      t.url,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((r) => r.name)).toEqual(['_prisma_migrations']);
    expect(await queryDb(t.url, 'SELECT migration_name FROM _prisma_migrations')).toEqual([]);

    proxy.cutOn = null;
    await proxy.start();
    const next = await runCli(args);
    expect(next.code, next.stderr).toBe(1);
    expect(await runStatuses(t.url)).toEqual(['completed']);
    // Every migration is applied once, each recorded once, as finished.
    const rows = await queryDb<{ migration_name: string; ok: boolean; rolled_back: boolean }>(
      t.url,
      'SELECT migration_name, finished_at IS NOT NULL AS ok, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows).toEqual(
      listMigrationNames('postgresql').map((migration_name) => ({
        migration_name,
        ok: true,
        rolled_back: false,
      })),
    );
    const status = await runCli(['db', 'status', '--db', url]);
    expect(status.code, status.stderr).toBe(0);
  }, 60_000);
});
