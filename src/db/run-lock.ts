/**
 * One batch at a time per database: `run` and `audit` (every command that stores a run) hold it.
 * PostgreSQL: a session advisory lock, released by the server if the process dies. SQLite: a
 * lease row in run_lock, renewed while the batch runs. A lease is taken over when its holder is
 * gone: on this host, when its process no longer exists (a live process keeps its lease however
 * long it is paused, e.g. SIGSTOP); from another host, when it was not renewed for LEASE_MS.
 * Each transaction of the holder checks, just before it commits, that the lease is still its
 * own (`guard`): a holder whose lease was taken over stops with LockLostError, nothing committed.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { LockLostError, LockTimeoutError } from '../errors.js';
import type { Db } from './connect.js';
import { dbInstant, fromDbInstant, type SqlDriver, type SqlExecutor } from './sql.js';
import { processAlive } from '../util/process-alive.js';

const LOCK_NAME = 'batch';
const PG_LOCK_KEY = 727274002;
const LEASE_MS = 60_000;
const RENEW_MS = 15_000;

export interface RunLockHandle {
  release(): Promise<void>;
  /**
   * The same database, whose every transaction checks, just before its COMMIT, that this batch
   * still holds the lock; when it does not, the transaction rolls back with LockLostError.
   */
  guard(db: Db): Db;
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
      const here = host === hostname();
      // On this host the process table tells: a paused holder is alive and keeps its lease.
      const gone = here ? !processAlive(Number(pidText)) : expired;
      if (!gone) return false;
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
    const backend = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = backend.rows[0]!.pid;
    return {
      release: async () => {
        await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
        client.release();
      },
      guard: (guarded) =>
        guardDb(guarded, async (tx) => {
          // The lock is the session's of the lock's own connection (pid): held while it lives.
          const rows = await tx.query<{ n: number | string }>(
            `SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 0
               AND objid = ? AND objsubid = 1 AND pid = ? AND granted`,
            [PG_LOCK_KEY, pid],
          );
          return Number(rows[0]?.n ?? 0) > 0;
        }),
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
    guard: (guarded) =>
      guardDb(guarded, async (tx) => {
        // Inside a write transaction (BEGIN IMMEDIATE): nobody can change run_lock before COMMIT.
        const rows = await tx.query<{ holder: string }>(
          'SELECT holder FROM run_lock WHERE name = ?',
          [LOCK_NAME],
        );
        return rows[0]?.holder === holder;
      }),
  };
}

/** A Db like `db` whose transactions call `held(tx)` before COMMIT, failing when it is false. */
function guardDb(db: Db, held: (tx: SqlExecutor) => Promise<boolean>): Db {
  const inner = db.sql;
  const sql: SqlDriver = {
    get provider() {
      return inner.provider;
    },
    query: (text, params) => inner.query(text, params),
    run: (text, params) => inner.run(text, params),
    bulkInsert: (table, columns, rows) => inner.bulkInsert(table, columns, rows),
    rowWriter: (table, columns, options) => inner.rowWriter(table, columns, options),
    transaction: (fn) =>
      inner.transaction(async (tx) => {
        const result = await fn(tx);
        if (!(await held(tx))) {
          throw new LockLostError(
            `this batch lost the batch lock on ${db.target.display} (another process took it over while this one was stopped or cut off); this step was rolled back, nothing of it was stored`,
          );
        }
        return result;
      }),
    close: () => inner.close(),
  };
  const guarded = Object.create(db) as Db;
  Object.defineProperty(guarded, 'sql', { value: sql, enumerable: true });
  return guarded;
}

function lockError(db: Db, waitSeconds: number): LockTimeoutError {
  return new LockTimeoutError(
    `another infusion-audit run holds the batch lock on ${db.target.display}; waited ${waitSeconds} s (use --wait to wait longer)`,
  );
}

/**
 * Runs left 'running' by a process that is gone are marked failed. Called while holding the
 * lock: every command that creates a run holds it until the run is completed or failed, so a
 * 'running' run then has no live owner (a holder whose lease was taken over cannot complete its
 * run: its commit checks the lock first, and completeRun only completes a run still 'running').
 */
export async function markInterruptedRuns(options: { db: Db }): Promise<number> {
  return options.db.sql.run(
    `UPDATE audit_run SET status = 'failed', error = ? WHERE status = 'running'`,
    ['interrupted: the process stopped before the run finished'],
  );
}
