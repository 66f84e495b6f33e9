/**
 * SIGKILL during `import` of a large file (30,000 rows, every tenth rejected), at many points:
 * while starting and parsing (killed from outside after a delay), at the first, middle and last
 * row written in the file's transaction, just before COMMIT and just after it (fault points,
 * src/config/fault.ts). Afterwards the database holds the whole file or none of it, and running
 * the import again completes it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { sha256File } from '../../src/roster/open-roster.js';
import { runCli } from '../helpers/cli.js';
import {
  count,
  queryDb,
  spawnCli,
  tempDir,
  wasKilled,
  writeCmsNetworkFile,
  type Spawned,
} from './helpers.js';

const ROWS = 30_000;
const AS_OF = '2026-11-01';

interface Expected {
  sha256: string;
  accepted: number;
  rejected: number;
  records: number;
}

/** 'none' or 'whole'; fails the test on anything in between. */
async function importState(url: string, file: Expected): Promise<'none' | 'whole'> {
  const imports = await queryDb<{
    id: number;
    rows_read: number | string;
    accepted: number | string;
    rejected: number | string;
    status: string;
  }>(url, 'SELECT id, rows_read, accepted, rejected, status FROM roster_import WHERE sha256 = ?', [
    file.sha256,
  ]);
  // Whatever the kill point, network_membership keeps its one (partial) index as migrated.
  const indexes = await queryDb<{ name: string; sql: string }>(
    url,
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'network_membership' AND sql IS NOT NULL ORDER BY name",
  );
  expect(indexes.map((r) => r.name)).toEqual(['network_membership_role_valid_to_contract_id_idx']);
  expect(indexes[0]!.sql).toMatch(/WHERE role = 'home_infusion'$/);
  const members = await count(url, 'network_membership', "source = 'cms'");
  const rejectedRows = await count(url, 'rejected_row');
  const importPlans = await count(url, 'import_plan');
  if (imports.length === 0) {
    expect({ members, rejectedRows, importPlans }).toEqual({
      members: 0,
      rejectedRows: 0,
      importPlans: 0,
    });
    return 'none';
  }
  expect(imports).toHaveLength(1);
  const imp = imports[0]!;
  expect({
    status: imp.status,
    rowsRead: Number(imp.rows_read),
    accepted: Number(imp.accepted),
    rejected: Number(imp.rejected),
    members,
    rejectedRows,
  }).toEqual({
    status: 'completed',
    rowsRead: ROWS,
    accepted: file.accepted,
    rejected: file.rejected,
    members: file.records,
    rejectedRows: file.rejected,
  });
  expect(Number(imp.accepted) + Number(imp.rejected)).toBe(Number(imp.rows_read));
  return 'whole';
}

function importArgs(path: string, url: string): string[] {
  return ['import', path, '--db', url, '--as-of', AS_OF, '--log-format', 'json'];
}

async function killAfter(s: Spawned, ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  s.child.kill('SIGKILL');
}

describe('SIGKILL during import (SQLite)', () => {
  const dir = tempDir();
  const path = join(dir, 'cms-network.txt');
  const template = join(dir, 'template.db');
  let file: Expected;

  beforeAll(async () => {
    const counts = writeCmsNetworkFile(path, ROWS, { badEvery: 10 });
    file = { sha256: await sha256File(path), ...counts };
    const db = await openDatabase({ url: `file:${template}` }); // migrated and seeded
    await db.close();
  });

  // [label, fault point or delay after start in ms]
  const points: [string, string | number][] = [
    ['while starting', 1500],
    ['while parsing (early)', 3500],
    ['while parsing or writing (late)', 6000],
    ['at the first row written', 'bulk:*'],
    ['mid-batch', 'bulk:*@HALF'],
    ['at the last row written', 'bulk:*@LAST'],
    ['just before COMMIT', 'commit:roster_import'],
    ['just after COMMIT', 'committed:roster_import'],
  ];

  it('leaves the whole file or none of it at every kill point; a rerun completes it', async () => {
    let n = 0;
    let url: string;
    const fresh = (): string => {
      const f = join(dir, `db-${++n}.db`);
      copyFileSync(template, f);
      return `file:${f}`;
    };
    url = fresh();
    let wholeUrl = '';
    const outcomes: string[] = [];
    for (const [label, point] of points) {
      const spec =
        typeof point === 'string'
          ? point
              .replace('HALF', String(Math.floor(file.records / 2)))
              .replace('LAST', String(file.records + file.rejected))
          : null;
      const s = spawnCli(importArgs(path, url), {
        env: spec ? { INFUSION_AUDIT_FAULT: spec } : {},
      });
      if (typeof point === 'number') void killAfter(s, point);
      const res = await s.done;
      const state = await importState(url, file);
      outcomes.push(`${label}: ${wasKilled(res) ? 'killed' : `exit ${res.code}`} -> ${state}`);
      if (spec) {
        expect(wasKilled(res), `${label}: the fault point ${spec} was not reached`).toBe(true);
        expect(state).toBe(spec.startsWith('committed:') ? 'whole' : 'none');
      }
      if (state === 'whole') {
        wholeUrl = url;
        url = fresh(); // the next point needs the file not yet imported
      }
    }
    // The last database was killed just after COMMIT: a rerun finds it imported.
    // Run one from a killed-before-commit state to completion too.
    const again = fresh();
    const killed = spawnCli(importArgs(path, again), {
      env: { INFUSION_AUDIT_FAULT: `bulk:*@${Math.floor(file.records / 3)}` },
    });
    expect(wasKilled(await killed.done)).toBe(true);
    expect(await importState(again, file)).toBe('none');
    const rerun = await runCli(importArgs(path, again));
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await importState(again, file)).toBe('whole');
    const unchanged = await runCli(importArgs(path, wholeUrl));
    expect(unchanged.code).toBe(0);
    expect(unchanged.stderr).toMatch(/"status":"unchanged"/);
    expect(await importState(wholeUrl, file)).toBe('whole');
    console.info(outcomes.join('\n'));
  }, 240_000);
});
