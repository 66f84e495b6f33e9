/**
 * Real databases for tests: a temp SQLite file, or a new PostgreSQL database on the local server
 * (TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
 *
 * Migrated by default: a copy of the run's migrated template (test/helpers/global-setup.ts), by
 * `CREATE DATABASE ... TEMPLATE` on PostgreSQL and a file copy on SQLite. Tests of migrating
 * itself ask for `{ empty: true }`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Provider } from '../../src/db/url.js';
import { ADMIN_PG_URL, pgUrl } from './pg-server.js';

export { ADMIN_PG_URL };

export const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];

export interface TestDatabase {
  provider: Provider;
  url: string;
  dispose(): Promise<void>;
}

function template(key: 'pgTemplate' | 'sqliteTemplate'): string {
  const value = inject(key);
  if (!value) {
    throw new Error(
      `no migrated template (${key}): run this test in a vitest project with test/helpers/global-setup.ts, or ask for { empty: true }`,
    );
  }
  return value;
}

export async function createTestDatabase(
  provider: Provider,
  options: { empty?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.empty !== true;
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ia-test-'));
    const file = join(dir, 'test.db');
    if (migrated) copyFileSync(template('sqliteTemplate'), file);
    return {
      provider,
      url: `file:${file}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ia_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  try {
    await admin.query(
      migrated
        ? `CREATE DATABASE ${name} TEMPLATE ${template('pgTemplate')}`
        : `CREATE DATABASE ${name}`,
    );
  } finally {
    await admin.end();
  }
  return {
    provider,
    url: pgUrl(name),
    dispose: async () => {
      const c = new pg.Client({ connectionString: ADMIN_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
