/**
 * One batch at a time per database. PostgreSQL: a session advisory lock, released by the server
 * if the process dies. SQLite: a lease row in run_lock, renewed while the batch runs; a lease
 * whose holder died (same host, process gone) or that was not renewed is taken over.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { LockTimeoutError } from '../errors.js';
import type { Db } from './connect.js';
import { dbInstant, fromDbInstant } from './sql.js';

const LOCK_NAME = 'batch';
const PG_LOCK_KEY = 727274002;
const LEASE_MS = 60_000;
const RENEW_MS = 15_000;

export interface RunLockHandle {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquireSqlite(db: Db, holder: string): Promise<boolean> {
  const p = db.sql.provider;
  return db.sql.transaction(async (tx) => {
    const rows = await tx.query<{ holder: string; expires_at: unknown }>(
      'SELECT holder, expires_at FROM run_lock WHERE name = ?',
      [LOCK_NAME],
    );
    const current = rows[0];
    if (current) {
      const [host, pidText] = current.holder.split(':');
      const expired = Date.parse(fromDbInstant(current.expires_at)) < Date.now();
      const dead = host === hostname() && !processAlive(Number(pidText));
      if (!expired && !dead) return false;
      await tx.run('DELETE FROM run_lock WHERE name = ?', [LOCK_NAME]);
    }
    const now = new Date();
    await tx.run(
      'INSERT INTO run_lock (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)',
      [
        LOCK_NAME,
        holder,
        dbInstant(p, now.toISOString()),
        dbInstant(p, new Date(now.getTime() + LEASE_MS).toISOString()),
      ],
    );
    return true;
  });
}

export async function acquireRunLock(options: {
  db: Db;
  waitSeconds: number;
}): Promise<RunLockHandle> {
  const { db } = options;
  const deadline = Date.now() + options.waitSeconds * 1000;
  if (db.pool) {
    const client: pg.PoolClient = await db.pool.connect();
    for (;;) {
      const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        PG_LOCK_KEY,
      ]);
      if (res.rows[0]?.ok) break;
      if (Date.now() >= deadline) {
        client.release();
        throw lockError(db, options.waitSeconds);
      }
      await sleep(Math.min(500, Math.max(10, deadline - Date.now())));
    }
    return {
      release: async () => {
        await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
        client.release();
      },
    };
  }
  const holder = `${hostname()}:${process.pid}:${Date.now()}`;
  while (!(await tryAcquireSqlite(db, holder))) {
    if (Date.now() >= deadline) throw lockError(db, options.waitSeconds);
    await sleep(Math.min(250, Math.max(10, deadline - Date.now())));
  }
  const timer = setInterval(() => {
    void db.sql
      .run('UPDATE run_lock SET expires_at = ? WHERE name = ? AND holder = ?', [
        dbInstant(db.sql.provider, new Date(Date.now() + LEASE_MS).toISOString()),
        LOCK_NAME,
        holder,
      ])
      .catch(() => undefined);
  }, RENEW_MS);
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await db.sql.run('DELETE FROM run_lock WHERE name = ? AND holder = ?', [LOCK_NAME, holder]);
    },
  };
}

function lockError(db: Db, waitSeconds: number): LockTimeoutError {
  return new LockTimeoutError(
    `another infusion-audit run holds the batch lock on ${db.target.display}; waited ${waitSeconds} s (use --wait to wait longer)`,
  );
}

/** Runs left 'running' by a killed process are marked failed (called while holding the lock). */
export async function markInterruptedRuns(options: { db: Db }): Promise<number> {
  return options.db.sql.run(
    `UPDATE audit_run SET status = 'failed', error = ? WHERE status = 'running'`,
    ['interrupted: the process stopped before the run finished'],
  );
}
