/**
 * Everything the batch writes, for hostile input, on PostgreSQL with a password in the URL:
 * - report cells built from input are never formulas; hyperlinks only point inside the workbook;
 * - the password never appears in stdout, stderr (human or JSON logs), `config`, or any report;
 * - member ids from coverage requests appear only masked (****1234), in reports, logs and the
 *   database;
 * - report files stay inside the output folder: a link planted at a report name is replaced, not
 *   followed; pruning old report folders (--keep-days) never removes files it did not write.
 */
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportBaseName, resolveInside, sanitizeScope } from '../../src/report/file-name.js';
import { UsageError } from '../../src/errors.js';
import { projectRoot } from '../../src/util/paths.js';
import { reportFile } from '../helpers/report-files.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { queryDb } from '../faults/helpers.js';
import { readZipEntries } from '../report/zip.js';

const DEMO = join(projectRoot, 'data', 'demo');
const PASSWORD = 'n0t-In-Any-0utput';
const EVIL_NAME = '=HYPERLINK("http://evil.example/x","Lakeshore")';
const EVIL_PHARMACY = "@SUM(1+1)*cmd|' /C calc'!A0";

function rosterFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ia-sec-roster-'));
  for (const f of readdirSync(DEMO)) copyFileSync(join(DEMO, f), join(dir, f));
  const plans = readFileSync(join(DEMO, 'plans.csv'), 'utf8')
    .replace('Lakeshore Rx Value (PDP)', `"${EVIL_NAME.replace(/"/g, '""')}"`)
    .replace('"Members: call', "\"+cmd|' /C calc'!A0 Members: call");
  writeFileSync(join(dir, 'plans.csv'), plans);
  const pharmacies = readFileSync(join(DEMO, 'pharmacies.csv'), 'utf8').replace(
    'Lakefront Home Infusion',
    `"${EVIL_PHARMACY}"`,
  );
  writeFileSync(join(dir, 'pharmacies.csv'), pharmacies);
  return dir;
}

function memberIds(): string[] {
  const rows: { member_id: string }[] = parse(readFileSync(join(DEMO, 'coverage_requests.csv')), {
    columns: true,
  });
  return rows.map((r) => r.member_id).filter((m) => m.length > 4);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => join(dir, n))
    .filter((p) => lstatSync(p).isFile());
}

/** The text of a report file (every entry of an .xlsx). */
function textOf(path: string): string {
  if (path.endsWith('.xlsx')) return [...readZipEntries(path).values()].join('\n');
  return readFileSync(path, 'latin1');
}

describe('what the batch writes, for hostile input', () => {
  let t: TestDatabase;
  let url: string;
  let out: string;
  let results: CliResult[] = [];
  let planted = '';
  const victim = join(mkdtempSync(join(tmpdir(), 'ia-victim-')), 'victim.txt');

  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
    const u = new URL(t.url);
    u.password = PASSWORD; // trust auth: accepted and ignored by the local server
    url = u.toString();
    out = join(mkdtempSync(join(tmpdir(), 'ia-sec-out-')), 'reports');
    // An old report folder with a report file and a file someone else put there.
    mkdirSync(join(out, '2020-01-01'), { recursive: true });
    writeFileSync(join(out, '2020-01-01', 'all-2020-01-01-run9.xlsx'), 'old report');
    writeFileSync(join(out, '2020-01-01', 'minutes-of-the-meeting.docx'), 'keep me');
    mkdirSync(join(out, '2020-01-02'));
    writeFileSync(join(out, '2020-01-02', 'all-2020-01-02-run8.json'), '{}');
    writeFileSync(victim, 'precious');
    const roster = rosterFolder();
    const env = { DATABASE_URL: url };
    const common = ['--roster', roster, '--as-of', '2026-11-01', '--out', out, '--keep-days', '90'];
    results = [await runCli(['run', ...common, '--log-format', 'json'], { env })];
    // A link planted at the name of a report about to be written again (`report 1` below),
    // pointing at another file.
    planted = reportFile(join(out, '2026-11-01'), 1, 'xlsx');
    rmSync(planted);
    symlinkSync(victim, planted);
    results.push(
      await runCli(['run', ...common, '--json'], { env }),
      await runCli(['history', '--db', url]),
      await runCli(['config', '--db', url]),
      await runCli(['report', '1', '--out', out, '--db', url]),
    );
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('the batch worked', () => {
    expect(results.map((r) => r.code)).toEqual([1, 1, 0, 0, 0]);
    expect(existsSync(reportFile(join(out, '2026-11-01'), 2, 'xlsx'))).toBe(true);
  });

  it('no formula and no external hyperlink in any workbook; the hostile text is there as text', () => {
    const books = allFiles(out).filter((p) => p.endsWith('.xlsx') && !p.includes('2020-'));
    expect(books.length).toBeGreaterThanOrEqual(3);
    for (const book of books) {
      const entries = readZipEntries(book);
      let sawEvil = false;
      for (const [name, xml] of entries) {
        if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) {
          expect(xml, `${book} ${name}`).not.toMatch(/<f[\s>]/);
          if (xml.includes('=HYPERLINK(&quot;http://evil.example')) sawEvil = true;
        }
        if (name.endsWith('.rels')) {
          // exceljs writes in-workbook links as relationships whose target is `#'Sheet'!A1`
          // (Excel opens those inside the workbook); any other target would leave it.
          for (const rel of xml.match(/<Relationship\b[^>]*>/g) ?? []) {
            if (!/relationships\/hyperlink"/.test(rel)) continue;
            expect(rel, `${book} ${name}`).toMatch(/\bTarget="#/);
          }
          expect(xml, `${book} ${name}`).not.toMatch(/evil\.example/);
        }
      }
      expect(sawEvil, `${book}: the hostile plan name should be shown, as text`).toBe(true);
    }
  });

  it('never shows the database password', () => {
    for (const r of results) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    for (const f of allFiles(out)) expect(textOf(f), f).not.toContain(PASSWORD);
    expect(results[3]!.stdout).toMatch(/\*\*\*/);
  });

  it('shows member ids only masked, in every output and in the database', async () => {
    const ids = memberIds();
    expect(ids.length).toBeGreaterThan(5);
    const outputs = [
      ...results.map((r) => r.stdout + r.stderr),
      ...allFiles(out).map((f) => textOf(f)),
    ].join('\n');
    const stored = JSON.stringify(await queryDb(t.url, 'SELECT * FROM coverage_request'));
    for (const id of ids) {
      expect(outputs).not.toContain(id);
      expect(stored).not.toContain(id);
    }
    expect(stored).toContain(`****${ids[0]!.slice(-4)}`);
  });

  it('a link planted at a report name is replaced, its target untouched', () => {
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(planted).isSymbolicLink()).toBe(false);
  });

  it('pruning removes only report files it wrote, never other files', () => {
    expect(readdirSync(join(out, '2020-01-01'))).toEqual(['minutes-of-the-meeting.docx']);
    expect(existsSync(join(out, '2020-01-02'))).toBe(false);
  });
});

describe('report file names', () => {
  it('no name resolves outside the output folder', () => {
    const root = join(tmpdir(), 'ia-out');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom('..', '../x', '/etc/passwd', 'a/../../b', 'a\0b', '', '.', './'),
          fc
            .array(fc.constantFrom('..', '.', 'a', '/', '\\', '\0'), { maxLength: 8 })
            .map((a) => a.join('')),
        ),
        (name) => {
          let path: string;
          try {
            path = resolveInside(root, name);
          } catch (err) {
            expect(err).toBeInstanceOf(UsageError);
            return;
          }
          expect(path.startsWith(`${root}/`)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('scope labels and run data make safe base names', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.integer({ min: 0, max: 1e9 }),
        (sponsor, scope, runId) => {
          expect(sanitizeScope(scope)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
          const base = reportBaseName({
            run: {
              sponsorName: sponsor,
              scopeLabel: scope,
              asOf: '2026-11-01',
              runId,
              generatedAt: '2026-11-02T14:30:00.000Z',
            },
          });
          expect(base).toMatch(/^[A-Za-z0-9_-]+-2026-11-01-run\d+-20261102T143000Z$/);
        },
      ),
    );
    const run = {
      sponsorName: 'S',
      scopeLabel: 'all',
      runId: 1,
      generatedAt: '2026-11-02T14:30:00Z',
    };
    expect(() => reportBaseName({ run: { ...run, asOf: '../../etc' } })).toThrow(UsageError);
    expect(() =>
      reportBaseName({ run: { ...run, asOf: '2026-11-01', generatedAt: '../x' } }),
    ).toThrow(UsageError);
  });

  it('--contract and --pbp cannot carry a path', async () => {
    const res = await runCli([
      'run',
      '--roster',
      DEMO,
      '--contract',
      '../../../tmp/x',
      '--db',
      `file:${join(mkdtempSync(join(tmpdir(), 'ia-sec-')), 'a.db')}`,
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--contract must look like S1234/);
  });
});
