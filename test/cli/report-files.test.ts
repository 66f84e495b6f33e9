/**
 * Report files never replace another database's or run's files: `run` and `report` (the CLI as a
 * process) write `<out>/<as-of>/<sponsor>-<scope>-<as-of>-run<id>-<run time>.*`, and latest.xlsx
 * follows the latest completed run only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DEMO_AS_OF, reportFile, reportName, runDemo } from '../helpers/report-files.js';

const AS_OF = DEMO_AS_OF;
let dir: string;
let out: string;
const dbA = (): string => `file:${join(dir, 'a.db')}`;
const dbB = (): string => `file:${join(dir, 'b.db')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-files-cli-'));
  out = join(dir, 'reports');
  // Two databases, the same sponsor, scope, date and run id (1), one report folder.
  await runDemo(out, dbA());
  await runDemo(out, dbB());
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report file names (CLI)', () => {
  it('two databases writing run 1 into one folder keep both reports', () => {
    const names = readdirSync(join(out, AS_OF)).sort();
    expect(names).toHaveLength(8);
    for (const ext of ['html', 'json', 'md', 'xlsx']) {
      const ofExt = names.filter((n) => n.endsWith(`.${ext}`));
      expect(ofExt).toHaveLength(2);
      for (const n of ofExt) {
        expect(n).toMatch(reportName(1, ext, AS_OF));
        expect(n.startsWith('Lakeshore-Health-Plans-demo-all-2026-11-01-run1-')).toBe(true);
      }
    }
    // Each JSON is its own database's run: the two runs were recorded at different times.
    const runs = names
      .filter((n) => n.endsWith('.json'))
      .map(
        (n) =>
          (
            JSON.parse(readFileSync(join(out, AS_OF, n), 'utf8')) as {
              run: { generatedAt: string };
            }
          ).run.generatedAt,
      );
    expect(new Set(runs).size).toBe(2);
  });

  it('`report` of an older run writes into the dated folder and leaves latest.xlsx alone', async () => {
    await runDemo(out, dbA()); // run 2 of database A
    const latest = join(out, 'latest.xlsx');
    const run2 = reportFile(join(out, AS_OF), 2, 'xlsx');
    expect(readFileSync(latest).equals(readFileSync(run2))).toBe(true);
    const before = statSync(latest).mtimeMs;

    const old = await runCli(['report', '1', '--out', out, '--db', dbA()]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout + old.stderr).toMatch(
      /latest\.xlsx left as it is: run 1 is not the latest completed run \(2\)/,
    );
    expect(statSync(latest).mtimeMs).toBe(before);
    expect(readFileSync(latest).equals(readFileSync(run2))).toBe(true);
    expect(readdirSync(out).sort()).toEqual([AS_OF, 'latest.xlsx']);

    // The latest run (no id given): its files in the dated folder, and latest.xlsx from them.
    writeFileSync(latest, 'stale');
    const newest = await runCli(['report', '--out', out, '--db', dbA()]);
    expect(newest.code, newest.stderr).toBe(0);
    expect(readFileSync(latest).equals(readFileSync(run2))).toBe(true);
    expect(readdirSync(join(out, AS_OF)).filter((n) => n.endsWith('.xlsx'))).toHaveLength(3);
  }, 240_000);

  it('never replaces a file of the same name that another run wrote', async () => {
    const json = reportFile(join(out, AS_OF), 2, 'json');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { run: { generatedAt: string } };
    report.run.generatedAt = '2020-01-01T00:00:00.000Z'; // as if another database's run 2
    writeFileSync(json, JSON.stringify(report));
    const res = await runCli(['report', '2', '--out', out, '--db', dbA()]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/is the report of another run \(another database\?\); not replaced/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(report);
  }, 120_000);
});
