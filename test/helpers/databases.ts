/**
 * Real databases for tests: a temp SQLite file, or a fresh PostgreSQL database on the local
 * server (TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Provider } from '../../src/db/url.js';

export const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];
export const ADMIN_PG_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  provider: Provider;
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ia-test-'));
    return {
      provider,
      url: `file:${join(dir, 'test.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ia_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    dispose: async () => {
      const c = new pg.Client({ connectionString: ADMIN_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
