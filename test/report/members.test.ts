/**
 * Members affected in every report format: the shared per-plan columns (Markdown, HTML, JSON),
 * the members-affected map, the stored report parts; and "not computed" without enrollment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportParts } from '../../src/audit/stored-report.js';
import type { ReportModel } from '../../src/report/model.js';
import { renderHtml } from '../../src/report/write-html.js';
import { renderJson } from '../../src/report/write-json.js';
import { renderMarkdown } from '../../src/report/write-markdown.js';
import { membersMapInputs, renderPlanMapSvg } from '../../src/map/render.js';
import { writeWorkbook } from '../../src/report/write-workbook.js';
import { readBack } from '../helpers/stored-report.js';
import { buildModel } from './model-builder.js';
import { readBook, rowWithA, sheet, textOf } from './read-back.js';

/** Plan 001 has 1,250 members, 300 of them in Baldwin (01003, A1PI uncovered); 002 has none. */
function withMembers(): ReportModel {
  const base = buildModel();
  const members: Record<string, number> = { '001|01001': 950, '001|01003': 300 };
  return {
    ...base,
    coverage: {
      ...base.coverage,
      cells: base.coverage.cells.map((c) => ({
        ...c,
        members: members[`${c.pbpId}|${c.countyFips}`] ?? null,
      })),
    },
    members: {
      computed: true,
      plans: [
        {
          contractId: 'S1234',
          pbpId: '001',
          segmentId: '000',
          members: 1250,
          membersAffected: 300,
          gapCountiesWithMembers: 1,
          membersOutsideArea: 0,
          notComputed: null,
        },
        {
          contractId: 'S1234',
          pbpId: '002',
          segmentId: '000',
          members: null,
          membersAffected: null,
          gapCountiesWithMembers: 0,
          membersOutsideArea: null,
          notComputed: 'no enrollment rows for this plan',
        },
      ],
    },
  };
}

describe('members affected in the reports', () => {
  it('Markdown and HTML show the shared Plans columns with members and members affected', () => {
    const model = withMembers();
    const md = renderMarkdown(model, { workbook: 'x.xlsx' });
    expect(md).toContain(
      '| Plan | Name | Type | Verdict | Critical | Major | Coverage | Members | Members affected |',
    );
    expect(md).toMatch(/\| S1234-001-000 \| Acme Rx Basic \|[^\n]*\| 1,250 \| 300 \|/);
    expect(md).toMatch(
      /\| S1234-002-000 \|[^\n]*\| not computed \(no enrollment rows for this plan\) \| not computed \(no enrollment rows for this plan\) \|/,
    );
    const html = renderHtml(model, { maps: false });
    expect(html).toContain('<table class="plans" id="plans">');
    expect(html).toContain('<td class="num members-affected">300</td>');
  });

  it('JSON gives the per-plan columns by key, and the members section', () => {
    const json = JSON.parse(renderJson(withMembers())) as {
      summary: { plans: Record<string, unknown>[] };
      members: { computed: boolean };
    };
    expect(json.summary.plans[0]).toMatchObject({
      plan: 'S1234-001-000',
      members: 1250,
      membersAffected: 300,
    });
    expect(json.summary.plans[0]).not.toHaveProperty('name');
    expect(json.members.computed).toBe(true);
  });

  it('draws a second map per plan with members, shading gap counties by their members', () => {
    const inputs = membersMapInputs(withMembers());
    expect(inputs.map((i) => `${i.plan.pbpId}:${i.colourBy}`)).toEqual(['001:members']);
    const svg = renderPlanMapSvg(inputs[0]!);
    expect(svg).toContain('data-fips="01003" data-status="uncovered" data-members="300"');
    expect(svg).toContain('300 members of the plan live in counties with a gap');
    expect(membersMapInputs(buildModel())).toEqual([]);
    const html = renderHtml(withMembers());
    expect(html).toContain('data-colour="members"');
  });

  it('is stored with the run and read back unchanged', async () => {
    const model = withMembers();
    const back = await readBack(model);
    expect(back.members).toEqual(model.members);
    expect(back.coverage.cells.map((c) => c.members)).toEqual(
      model.coverage.cells.map((c) => c.members),
    );
  });

  it('without enrollment every format says not computed, never 0', async () => {
    const model = buildModel();
    const md = renderMarkdown(model, { workbook: 'x.xlsx' });
    expect(md).toMatch(
      /\| S1234-001-000 \|[^\n]*\| not computed \(no enrollment roster\) \| not computed \(no enrollment roster\) \|/,
    );
    const json = JSON.parse(renderJson(model)) as {
      summary: { plans: Record<string, unknown>[] };
      members: { computed: boolean; plans: unknown[] };
    };
    expect(json.summary.plans[0]!.membersAffected).toBe('not computed (no enrollment roster)');
    expect(json.members).toEqual({ computed: false, plans: [] });
    expect(renderHtml(model)).toContain(
      'Members affected: not computed (no enrollment roster), so the maps show coverage only.',
    );
    // A run stored before enrollment existed has no members part: read as not computed.
    const stored = reportParts(model).filter((p) => p.part !== 'members');
    const back = await readBack(model, stored);
    expect(back.members).toBeUndefined();
  });

  it('the Summary sheet says "not computed" in the narrow cells and why once, under the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-members-'));
    try {
      const path = join(dir, 'r.xlsx');
      await writeWorkbook({ model: withMembers(), path });
      const ws = sheet(await readBook(path), 'Summary');
      let header = 0;
      ws.eachRow((row, n) => {
        if (header === 0 && textOf(row.getCell(1)) === 'Plan') header = n;
      });
      const heads = (ws.getRow(header).values as unknown[]).map(String);
      const at = (name: string): number => heads.indexOf(name);
      const plan1 = rowWithA(ws, 'S1234-001-000')!;
      const plan2 = rowWithA(ws, 'S1234-002-000')!;
      expect([plan1, plan2].map((r) => r.getCell(at('Members')).value)).toEqual([
        1250,
        'not computed',
      ]);
      expect(plan2.getCell(at('Members affected')).value).toBe('not computed');
      expect(
        rowWithA(ws, 'Members for S1234-002-000: not computed (no enrollment rows for this plan).'),
      ).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
