/**
 * A run's report is the run's own: `run` renders the model the audit stored, and `report RUN`
 * renders it back from storage without evaluating again, so changing the catalog and the rules'
 * wording after the run changes nothing in its report. A run stored before runs kept their report
 * is recomputed, and its report says so.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { renderReport } from '../../src/report/render-report.js';
import { RULES, RULE_SET_VERSION } from '../../src/rules/registry.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { readBook, rowWithA, sheet, snapshot, textOf } from '../report/read-back.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const ALL = { contractId: null, pbpId: null };
const OLD_TITLE = 'Acute classes covered (wording of the run)';

describe.each(PROVIDERS)('the report of a stored run on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let tmp: string;
  let runId: number;
  let atRun: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'stored-report-'));
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
    await importRosters({ db, paths: [MINI], asOf: '2026-11-01', timeZone: 'America/Chicago' });
    // The run evaluates with a rule worded as it was then; the code's wording changes after.
    const acute = RULES.find((r) => r.id === 'HI-ACUTE')! as { title: string };
    const title = acute.title;
    acute.title = OLD_TITLE;
    try {
      const o = await runAudit({ db, asOf: '2026-11-01', scope: ALL, policy: DEFAULT_POLICY });
      runId = o.runId!;
      // What `run` writes: the model the audit stored, rendered as is.
      atRun = (await renderReport({ model: o.model!, outDir: join(tmp, 'run') })).xlsx;
    } finally {
      acute.title = title;
    }
    // The catalog changes after the run.
    await db.sql.run("UPDATE drug_class SET name = 'Renamed ' || name");
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('report RUN renders the same cells as the run, with its own rule set', async () => {
    const out = join(tmp, 'report');
    const r = await runCli(['report', String(runId), '--db', tdb.url, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [a, b] = [
      await readBook(atRun),
      await readBook(join(out, '2026-11-01', atRun.split('/').at(-1)!)),
    ];
    expect(snapshot(b)).toEqual(snapshot(a));
    // The JSON, Markdown and HTML too, byte for byte.
    for (const ext of ['json', 'md', 'html']) {
      const name = atRun.split('/').at(-1)!.replace(/xlsx$/, ext);
      expect(readFileSync(join(out, '2026-11-01', name), 'utf8')).toBe(
        readFileSync(atRun.replace(/xlsx$/, ext), 'utf8'),
      );
    }
    const methodology = sheet(b, 'Methodology');
    expect(textOf(rowWithA(methodology, 'HI-ACUTE')!.getCell(2))).toBe(OLD_TITLE);
    const coverageHeaders = JSON.stringify(snapshot(b).Coverage);
    expect(coverageHeaders).toContain('IV anti-infectives (antibiotics) (ABX_IV');
    expect(coverageHeaders).not.toContain('Renamed');
    const summary = sheet(b, 'Summary');
    expect(textOf(rowWithA(summary, 'Rule-set version')!.getCell(2))).toBe(RULE_SET_VERSION);
    expect(rowWithA(summary, 'Report recomputed')).toBeUndefined();
  });

  it('a run stored before runs kept their report is recomputed, and says so', async () => {
    await db.sql.run('DELETE FROM run_report_part WHERE run_id = ?', [runId]);
    const out = join(tmp, 'legacy');
    const r = await runCli(['report', String(runId), '--db', tdb.url, '--out', out]);
    expect(r.code).toBe(0);
    const b = await readBook(join(out, '2026-11-01', atRun.split('/').at(-1)!));
    const note = textOf(rowWithA(sheet(b, 'Summary'), 'Report recomputed')!.getCell(2));
    expect(note).toContain(`Recomputed with rule set ${RULE_SET_VERSION}`);
    expect(note).toContain("not the run's own");
    // Today's catalog and wording, as the note warns.
    expect(JSON.stringify(snapshot(b).Coverage)).toContain(
      'Renamed IV anti-infectives (antibiotics) (ABX_IV',
    );
    expect(textOf(rowWithA(sheet(b, 'Methodology'), 'HI-ACUTE')!.getCell(2))).not.toBe(OLD_TITLE);
  });
});
