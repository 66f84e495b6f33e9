/**
 * Two `run` batches started together on one database: exactly one audits, the other exits 3
 * saying another run holds the lock. On SQLite (WAL, busy timeout) readers never fail meanwhile:
 * a reader polling the tables in this process and `history` commands in other processes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { queryDb, spawnCli, tempDir } from './helpers.js';

const DEMO = join(projectRoot, 'data', 'demo');

describe.each(['sqlite', 'postgresql'] as const)('two runs at once (%s)', (provider) => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of cleanup) await t.dispose();
  });

  it('exactly one audits; readers never fail', async () => {
    const t = await createTestDatabase(provider);
    cleanup.push(t);
    const dir = tempDir();
    const runs = [0, 1].map((i) =>
      spawnCli([
        'run',
        '--roster',
        DEMO,
        '--as-of',
        '2026-11-01',
        '--out',
        join(dir, `out${i}`),
        '--db',
        t.url,
        '--wait',
        '0',
      ]),
    );
    const readerErrors: string[] = [];
    let reads = 0;
    let historyRuns: Promise<{ code: number | null; stderr: string }>[] = [];
    if (provider === 'sqlite') {
      const file = t.url.slice('file:'.length);
      let stop = false;
      void Promise.all(runs.map((r) => r.done)).then(() => (stop = true));
      // History commands in other processes while the batches write.
      historyRuns = [2500, 4500].map((ms) =>
        new Promise((r) => setTimeout(r, ms)).then(
          () => spawnCli(['history', '--db', t.url, '--json']).done,
        ),
      );
      while (!stop) {
        await new Promise((r) => setTimeout(r, 25));
        if (!existsSync(file)) continue;
        try {
          const db = new Database(file, { readonly: true, timeout: 15_000 });
          try {
            db.prepare('SELECT COUNT(*) AS n FROM network_membership').get();
            db.prepare('SELECT COUNT(*) AS n FROM audit_run').get();
            reads++;
          } finally {
            db.close();
          }
        } catch (err) {
          const msg = (err as Error).message;
          if (!/no such table/.test(msg)) readerErrors.push(msg); // before the first migration
        }
      }
    }
    const results = await Promise.all(runs.map((r) => r.done));
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr).join('\n')).toEqual([1, 3]);
    const loser = results.find((r) => r.code === 3)!;
    expect(loser.stderr).toMatch(/another infusion-audit run holds the batch lock/);
    const audits = await queryDb<{ status: string }>(t.url, 'SELECT status FROM audit_run');
    expect(audits.map((a) => a.status)).toEqual(['completed']);
    if (provider === 'sqlite') {
      expect(readerErrors).toEqual([]);
      expect(reads).toBeGreaterThan(0);
      for (const h of await Promise.all(historyRuns)) expect(h.code, h.stderr).toBe(0);
      const mode = await queryDb<{ journal_mode: string }>(t.url, 'PRAGMA journal_mode');
      expect(mode[0]!.journal_mode).toBe('wal');
    }
  }, 120_000);
});
