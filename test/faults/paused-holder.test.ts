/**
 * The batch lock and a holder that is alive but paused (SIGSTOP: a stopped VM, a debugger), on
 * both databases: no second batch starts, `audit` waits for the lock too, and a holder whose
 * lease was taken over (from another host) stores nothing when it resumes.
 * The holder pauses itself right after its first import commits (INFUSION_AUDIT_FAULT_SIGNAL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { queryDb, spawnCli, tempDir, type Spawned } from './helpers.js';

const DEMO = join(projectRoot, 'data', 'demo');

async function pausedHolder(url: string, out: string): Promise<Spawned> {
  const holder = spawnCli(
    ['run', '--roster', DEMO, '--as-of', '2026-11-01', '--out', out, '--db', url],
    {
      env: {
        INFUSION_AUDIT_FAULT: 'committed:roster_import',
        INFUSION_AUDIT_FAULT_SIGNAL: 'SIGSTOP',
      },
    },
  );
  const pid = holder.child.pid!;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    if (state === 'T') return holder;
    if (Date.now() > deadline) throw new Error('the holder never paused');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rewrites the SQLite lease as another process would see it after a minute without renewal. */
function expireLease(url: string, holder?: string): void {
  const db = new Database(url.slice('file:'.length), { timeout: 15_000 });
  try {
    if (holder) {
      db.prepare('UPDATE run_lock SET holder = ?, expires_at = ?').run(
        holder,
        '2099-01-01T00:00:00.000+00:00',
      );
    } else {
      db.prepare('UPDATE run_lock SET expires_at = ?').run('2000-01-01T00:00:00.000+00:00');
    }
  } finally {
    db.close();
  }
}

describe.each(PROVIDERS)('a paused batch keeps the lock (%s)', (provider) => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('no second run and no audit while the holder is paused, even past its lease', async () => {
    const t = await createTestDatabase(provider);
    cleanup.push(t);
    const dir = tempDir();
    const holder = await pausedHolder(t.url, join(dir, 'a'));
    try {
      if (provider === 'sqlite') expireLease(t.url); // 60 s without renewal, as if paused that long
      const second = await spawnCli([
        'run',
        '--roster',
        DEMO,
        '--as-of',
        '2026-11-01',
        '--out',
        join(dir, 'b'),
        '--db',
        t.url,
        '--wait',
        '0',
      ]).done;
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toMatch(/another infusion-audit run holds the batch lock/);
      const audit = await spawnCli(['audit', '--as-of', '2026-11-01', '--db', t.url, '--wait', '0'])
        .done;
      expect(audit.code, audit.stderr).toBe(3);
      expect(audit.stderr).toMatch(/another infusion-audit run holds the batch lock/);
    } finally {
      holder.child.kill('SIGCONT');
    }
    const first = await holder.done;
    expect(first.code, first.stderr).toBe(1); // the demo network is not compliant
    const runs = await queryDb<{ status: string; error: string | null }>(
      t.url,
      'SELECT status, error FROM audit_run ORDER BY id',
    );
    expect(runs).toEqual([{ status: 'completed', error: null }]);
    // Once released, audit takes the lock and stores its run.
    const after = await spawnCli(['audit', '--as-of', '2026-11-01', '--db', t.url, '--wait', '0'])
      .done;
    expect(after.code, after.stderr).toBe(1);
  }, 180_000);
});

describe('a holder whose lease was taken over (SQLite, another host)', () => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('stores nothing more when it resumes: exit 3, the lock named, no completed run', async () => {
    const t = await createTestDatabase('sqlite');
    cleanup.push(t);
    const holder = await pausedHolder(t.url, join(tempDir(), 'a'));
    const imports = await queryDb<{ n: number }>(t.url, 'SELECT COUNT(*) AS n FROM roster_import');
    expireLease(t.url, 'other-host.example:4242:0');
    holder.child.kill('SIGCONT');
    const res = await holder.done;
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/lost the batch lock .*rolled back/);
    const after = await queryDb<{ n: number }>(t.url, 'SELECT COUNT(*) AS n FROM roster_import');
    expect(after[0]!.n).toBe(imports[0]!.n); // nothing committed after the takeover
    const completed = await queryDb(t.url, "SELECT id FROM audit_run WHERE status = 'completed'");
    expect(completed).toEqual([]);
  }, 120_000);
});
