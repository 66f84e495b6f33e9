/**
 * SIGKILL during `import` on PostgreSQL: mid-COPY and just before COMMIT the server rolls the
 * transaction back when the connection drops; a rerun completes the file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../src/roster/open-roster.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { count, queryDb, spawnCli, tempDir, wasKilled, writeCmsNetworkFile } from './helpers.js';

const ROWS = 20_000;

interface Expected {
  sha256: string;
  accepted: number;
  rejected: number;
  records: number;
}

describe('SIGKILL during import (PostgreSQL)', () => {
  const dir = tempDir();
  const path = join(dir, 'cms-network.txt');
  let file: Expected;
  let t: TestDatabase;
  const args = (): string[] => ['import', path, '--db', t.url, '--as-of', '2026-11-01', '--quiet'];

  beforeAll(async () => {
    const counts = writeCmsNetworkFile(path, ROWS, { badEvery: 10 });
    file = { sha256: await sha256File(path), ...counts };
    t = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('mid-COPY and before COMMIT leave nothing; a rerun completes it', async () => {
    for (const spec of [`bulk:*@${Math.floor(file.records / 2)}`, 'commit:roster_import']) {
      const s = spawnCli(args(), { env: { INFUSION_AUDIT_FAULT: spec } });
      expect(wasKilled(await s.done), spec).toBe(true);
      expect(await importStateRows(t.url, file, ROWS)).toBe('none');
    }
    const rerun = await runCli(args());
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await importStateRows(t.url, file, ROWS)).toBe('whole');
  }, 120_000);
});

async function importStateRows(url: string, file: Expected, rows: number): Promise<string> {
  const imports = await queryDb<{ rows_read: number | string }>(
    url,
    'SELECT rows_read FROM roster_import WHERE sha256 = ?',
    [file.sha256],
  );
  const members = await count(url, 'network_membership', "source = 'cms'");
  const rejected = await count(url, 'rejected_row');
  if (imports.length === 0 && members === 0 && rejected === 0) return 'none';
  if (
    imports.length === 1 &&
    Number(imports[0]!.rows_read) === rows &&
    members === file.records &&
    rejected === file.rejected
  )
    return 'whole';
  return `partial: ${imports.length} imports, ${members} memberships, ${rejected} rejected rows`;
}
