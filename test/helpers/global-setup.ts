/**
 * Vitest globalSetup of the projects that use databases: migrates one PostgreSQL database and
 * one SQLite file per test run, the templates createTestDatabase copies (a migration runs once
 * per run, not once per test database). Named uniquely per run, so runs of other worktrees on the
 * same server never share one; dropped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connect.js';
import { ADMIN_PG_URL, pgUrl } from './pg-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated PostgreSQL template database of this run (no one connects to it). */
    pgTemplate: string;
    /** The migrated SQLite file of this run. */
    sqliteTemplate: string;
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `ia_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'ia-template-'));
  const teardown = async (): Promise<void> => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    for (const url of [pgUrl(name), `file:${join(dir, 'template.db')}`]) {
      const db = await openDatabase({ url });
      await db.close();
    }
    // CREATE DATABASE ... TEMPLATE needs the template to have no connection: allow none.
    await admin((c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
  project.provide('pgTemplate', name);
  project.provide('sqliteTemplate', join(dir, 'template.db'));
  return teardown;
}
