import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { reportBaseName, resolveInside, sanitizeScope } from '../../src/report/file-name.js';
import { formatPhone, maskMemberId, safeText } from '../../src/report/format.js';
import { renderReport } from '../../src/report/render-report.js';
import { renderJson, stableStringify } from '../../src/report/write-json.js';
import { mdText, renderMarkdown } from '../../src/report/write-markdown.js';
import { buildModel, finding } from './model-builder.js';
import { readBook, snapshot } from './read-back.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file names', () => {
  it('builds <sponsor>-<scope>-<as-of>-run<id>-<run time>', () => {
    const m = buildModel();
    expect(reportBaseName(m)).toBe('Acme-Health-all-2026-11-01-run12-20261102T143000Z');
    expect(reportBaseName({ run: { ...m.run, scopeLabel: 'S1234-001', runId: 3 } })).toBe(
      'Acme-Health-S1234-001-2026-11-01-run3-20261102T143000Z',
    );
    // Two databases, same sponsor and run id: the run's recorded time keeps them apart.
    expect(reportBaseName({ run: { ...m.run, generatedAt: '2026-11-02T14:30:01.250Z' } })).toBe(
      'Acme-Health-all-2026-11-01-run12-20261102T143001Z',
    );
    expect(
      reportBaseName({
        run: {
          ...m.run,
          sponsorName: 'Sun & Sea Health Plans, Inc. of the Greater Gulf Coast Region',
        },
      }),
    ).toBe('Sun-Sea-Health-Plans-Inc-of-the-Greater-all-2026-11-01-run12-20261102T143000Z');
    expect(sanitizeScope('../../etc/passwd')).toBe('etc-passwd');
    expect(sanitizeScope('S1234 / 001')).toBe('S1234-001');
    expect(sanitizeScope('***')).toBe('scope');
  });

  it('refuses paths escaping the output folder', () => {
    const out = join(dir, 'out');
    expect(resolveInside(out, 'a.xlsx')).toBe(join(out, 'a.xlsx'));
    expect(resolveInside(out, 'sub/a.xlsx')).toBe(join(out, 'sub', 'a.xlsx'));
    for (const bad of ['../a.xlsx', 'sub/../../a.xlsx', '/etc/passwd', '..', '.', '', 'a\0b']) {
      expect(() => resolveInside(out, bad), bad).toThrow(UsageError);
    }
  });

  it('refuses an invalid as-of in a name', () => {
    const m = buildModel();
    expect(() => reportBaseName({ run: { ...m.run, asOf: '../x' } })).toThrow(UsageError);
    expect(() => reportBaseName({ run: { ...m.run, generatedAt: 'yesterday' } })).toThrow(
      UsageError,
    );
  });
});

describe('format helpers', () => {
  it('safeText keeps text exact, strips XML-illegal characters, caps length', () => {
    expect(safeText('=1+1')).toBe('=1+1');
    expect(safeText('a\u0000b\u0007c')).toBe('abc');
    expect(safeText('a\r\nb')).toBe('a\nb');
    expect(safeText(null)).toBe('');
    expect(safeText(12)).toBe('12');
    expect(safeText('x'.repeat(40_000))).toHaveLength(32_767);
  });

  it('formats phones and masks member ids', () => {
    expect(formatPhone('5555551234')).toBe('(555) 555-1234');
    expect(formatPhone('+1 555.555.1234')).toBe('(555) 555-1234');
    expect(formatPhone('555-555-1234 x12')).toBe('(555) 555-1234 ext. 12');
    expect(formatPhone('call the desk')).toBe('call the desk');
    expect(maskMemberId('ABC123456789')).toBe('****6789');
    expect(maskMemberId('****6789')).toBe('****6789');
    expect(maskMemberId(null)).toBe('');
  });
});

describe('JSON', () => {
  it('is stable: sorted keys, same text every render, member ids masked', () => {
    const a = renderJson(buildModel());
    const b = renderJson(buildModel());
    expect(a).toBe(b);
    const doc = JSON.parse(a) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 4)).toEqual([
      'format',
      'formatVersion',
      'run',
      'previousRunId',
    ]);
    expect(a).not.toContain('MBR123456789');
    expect(a).toContain('****6789');
    expect(stableStringify({ b: 1, a: [{ d: 2, c: 1 }] })).toBe('{"a":[{"c":1,"d":2}],"b":1}');
    expect((doc.findings as unknown[]).length).toBe(5);
  });

  it('carries the distance result: status, policy, plans and every cell', () => {
    const doc = JSON.parse(renderJson(buildModel())) as Record<string, unknown>;
    expect(doc.distance).toMatchObject({
      status: 'evaluated',
      maxMiles: 60,
      minShare: 0.9,
      plans: [{ contractId: 'S1234', members: 1310, membersUnlocated: 12 }],
      unlocatedPharmacies: [{ npi: '1003000126', cells: 1 }],
    });
    expect(doc.distanceCells).toEqual(buildModel().distance.cells);
  });
});

describe('Markdown distance', () => {
  it('states the distance status and a table of members per plan', () => {
    const md = renderMarkdown(buildModel(), { workbook: 'x.xlsx' });
    expect(md).toContain(
      '- Distance to care: 1 of 2 plan x county x class cells with members are below the policy (1,310 members enrolled);',
    );
    expect(md).toContain('## Distance to care');
    expect(md).toContain(
      '| Plan | Members | In the service area | Outside the service area | Not placed | Cells below the policy |',
    );
    expect(md).toContain('| S1234-001-000 | 1310 | 1300 | 10 | 12 | 1 |');
    const none = renderMarkdown(
      buildModel({
        distance: {
          ...buildModel().distance,
          status: 'no_enrollment',
          notEvaluatedReason: 'no enrollment roster has been imported',
        },
      }),
      { workbook: 'x.xlsx' },
    );
    expect(none).toContain(
      '- Distance to care NOT EVALUATED: no enrollment roster has been imported.',
    );
    expect(none).not.toContain('## Distance to care');
  });
});

describe('Markdown', () => {
  it('summarises verdict, scope, rules, top 10 and changes, with escaped input', () => {
    const m = buildModel();
    const many = Array.from({ length: 14 }, (_, i) =>
      finding('HI-ACUTE', 'critical', {
        message: i === 0 ? '[click](http://evil) <b>x</b> | y' : `m${i}`,
      }),
    );
    const md = renderMarkdown({ ...m, findings: many }, { workbook: 'all-2026-11-01-run12.xlsx' });
    expect(md).toContain('**Verdict: NON-COMPLIANT**');
    expect(md).toContain('- As of: 2026-11-01');
    expect(md).toContain('| HI\\-ACUTE |'.replace('\\-', '-'));
    expect(md).toContain('10. **Critical**');
    expect(md).not.toContain('11. **Critical**');
    expect(md).toContain('…and 4 more in the workbook.');
    expect(md).toContain('Against run 11: 14 new, 1 resolved, 0 persisting.');
    expect(md).toContain('`all-2026-11-01-run12.xlsx`');
    expect(md).not.toContain('[click]');
    expect(md).not.toMatch(/(^|[^\\])<b>/);
    expect(md).not.toMatch(/&(amp|lt|gt);/);
    expect(mdText('a|b')).toBe('a\\|b');
    // Plain text: an ampersand stays an ampersand; only what would start a tag or entity is escaped.
    expect(mdText('Smith & Sons <b> &amp; 3 > 2')).toBe('Smith & Sons \\<b> \\&amp; 3 > 2');
    // What changed names the new findings (the ten most severe, then a count) and the resolved.
    const changed = md.slice(md.indexOf('## What changed'));
    expect(changed).toContain('New:');
    expect(changed).toContain('- **Critical** HI-ACUTE');
    expect(changed).toContain('- …and 4 more (see the Changes sheet).');
    expect(changed).toContain('Resolved:');
  });

  it('marks excepted findings and expired exceptions', () => {
    const m = buildModel();
    const exception = {
      label: 'HI-ACUTE S1234-001',
      rationale: 'single-case agreement',
      approvedBy: 'M. Alvarez',
      approvedOn: '2026-09-15',
      expiresOn: '2026-12-31',
      expired: false,
    };
    const md = renderMarkdown(
      {
        ...m,
        findings: [
          finding('HI-ACUTE', 'critical', { exception }),
          finding('HI-ACUTE', 'critical', { exception: { ...exception, expired: true } }),
        ],
      },
      { workbook: 'x.xlsx' },
    );
    expect(md).toContain('*(EXCEPTED until 2026-12-31, approved by M. Alvarez)*');
    expect(md).toContain('*(exception expired on 2026-12-31: counts)*');
  });
});

describe('renderReport', () => {
  it('writes the four files, atomically, reproducibly', async () => {
    const out1 = join(dir, 'r1');
    const out2 = join(dir, 'r2');
    const r1 = await renderReport({ model: buildModel(), outDir: out1 });
    const r2 = await renderReport({ model: buildModel(), outDir: out2 });
    const base = 'Acme-Health-all-2026-11-01-run12-20261102T143000Z';
    expect(r1.xlsx).toBe(join(out1, `${base}.xlsx`));
    expect(readdirSync(out1).sort()).toEqual(
      ['html', 'json', 'md', 'xlsx'].map((ext) => `${base}.${ext}`),
    );
    expect(readFileSync(r1.json, 'utf8')).toBe(readFileSync(r2.json, 'utf8'));
    expect(readFileSync(r1.md, 'utf8')).toBe(readFileSync(r2.md, 'utf8'));
    expect(readFileSync(r1.html, 'utf8')).toBe(readFileSync(r2.html, 'utf8'));
    const s1 = snapshot(await readBook(r1.xlsx));
    const s2 = snapshot(await readBook(r2.xlsx));
    expect(Object.keys(s1)).toHaveLength(17);
    expect(s1).toEqual(s2);
  });
});
