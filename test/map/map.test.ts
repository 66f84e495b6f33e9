import { describe, expect, it } from 'vitest';
import { loadAtlas } from '../../src/map/atlas.js';
import {
  countyStatusesByPlan,
  planCountyStatuses,
  planMapInputs,
  renderPlanMapPng,
  renderPlanMapSvg,
} from '../../src/map/index.js';
import type { ReportModel } from '../../src/report/model.js';
import { buildModel } from '../report/model-builder.js';

const P1 = { contractId: 'S1234', pbpId: '001', segmentId: '000' };
const P2 = { contractId: 'S1234', pbpId: '002', segmentId: '000' };

/** The county paths of an SVG: data-fips -> { status, fill }. */
function countyPaths(svg: string): Map<string, { status: string; fill: string }> {
  const out = new Map<string, { status: string; fill: string }>();
  for (const m of svg.matchAll(/<path\b([^>]*)>/g)) {
    const attrs = m[1]!;
    const fips = /\bdata-fips="([^"]*)"/.exec(attrs)?.[1];
    if (fips === undefined) continue;
    expect(out.has(fips), `county ${fips} drawn twice`).toBe(false);
    out.set(fips, {
      status: /\bdata-status="([^"]*)"/.exec(attrs)?.[1] ?? '',
      fill: /\bfill="([^"]*)"/.exec(attrs)?.[1] ?? '',
    });
  }
  return out;
}

const alabamaCounties = [...loadAtlas().counties.keys()].filter((f) => f.startsWith('01'));

function withPolicy(model: ReportModel, minPharmaciesPerClass: number): ReportModel {
  return {
    ...model,
    run: { ...model.run, policy: { ...model.run.policy, minPharmaciesPerClass } },
  };
}

describe('county statuses', () => {
  it('classifies the fixture plans by their worst class', () => {
    const m = buildModel();
    const s1 = planCountyStatuses(m, P1).map((c) => [c.fips, c.status]);
    expect(s1).toEqual([
      ['01001', 'spof'], // ABX 2, A1PI 1
      ['01003', 'uncovered'], // ABX 1, A1PI 0, no pharmacy in the directory
    ]);
    const s2 = planCountyStatuses(m, P2).map((c) => [c.fips, c.status]);
    expect(s2).toEqual([
      ['01001', 'covered'], // ABX 3, A1PI 2
      ['01005', 'spof'], // ABX 1, A1PI 2
    ]);
  });

  it('applies the policy minimum per class', () => {
    const m = withPolicy(buildModel(), 2);
    expect(planCountyStatuses(m, P2).map((c) => [c.fips, c.status])).toEqual([
      ['01001', 'covered'],
      ['01005', 'uncovered'],
    ]);
    expect(planCountyStatuses(m, P2)[1]!.reasons).toEqual(['ABX: 1 pharmacy (minimum 2)']);
  });

  it('treats a missing class cell as 0 and an empty directory entry as uncovered', () => {
    const base = buildModel();
    const noA1pi: ReportModel = {
      ...base,
      coverage: {
        ...base.coverage,
        cells: base.coverage.cells.filter((c) => !(c.pbpId === '002' && c.drugClass === 'A1PI')),
      },
    };
    expect(planCountyStatuses(noA1pi, P2).map((c) => c.status)).toEqual(['uncovered', 'uncovered']);
    const emptyDir: ReportModel = {
      ...base,
      directory: [
        { ...P2, countyFips: '01001', countyName: 'Autauga', pharmacies: [] },
        ...base.directory,
      ],
    };
    const autauga = planCountyStatuses(emptyDir, P2)[0]!;
    expect(autauga.status).toBe('uncovered');
    expect(autauga.reasons).toContain('no in-network HI pharmacy serves the county');
  });

  it('lists every plan, with an empty list for a plan key without counties', () => {
    const plans = countyStatusesByPlan(buildModel());
    expect(plans.map((p) => [p.plan.pbpId, p.planName, p.counties.length])).toEqual([
      ['001', 'Acme Rx Basic', 2],
      ['002', 'Acme Rx Plus', 2],
      ['003', null, 0],
    ]);
    expect(planMapInputs(buildModel()).map((i) => i.plan.pbpId)).toEqual(['001', '002']);
  });
});

describe('plan map SVG', () => {
  const [in1, in2] = planMapInputs(buildModel());

  it('colours exactly the service-area counties, the rest of the state grey', () => {
    const paths = countyPaths(renderPlanMapSvg(in1!));
    expect([...paths.keys()].sort()).toEqual(alabamaCounties.sort());
    expect(alabamaCounties.length).toBe(67);
    expect(paths.get('01001')).toEqual({ status: 'spof', fill: '#f5a300' });
    expect(paths.get('01003')).toEqual({ status: 'uncovered', fill: '#d7301f' });
    const others = [...paths.entries()].filter(([f]) => f !== '01001' && f !== '01003');
    expect(others).toHaveLength(65);
    for (const [, p] of others) expect(p).toEqual({ status: 'outside', fill: '#e3e3e3' });

    const paths2 = countyPaths(renderPlanMapSvg(in2!));
    expect(paths2.get('01001')).toEqual({ status: 'covered', fill: '#1a9850' });
    expect(paths2.get('01005')).toEqual({ status: 'spof', fill: '#f5a300' });
    expect(paths2.get('01003')?.status).toBe('outside');
  });

  it('has the plan, its name and the as-of date in the title, and a legend with counts', () => {
    const svg = renderPlanMapSvg(in1!);
    expect(svg).toContain(
      '<title>S1234-001-000 Acme Rx Basic: home infusion coverage as of 2026-11-01</title>',
    );
    expect(svg).toContain('Uncovered (1)');
    expect(svg).toContain('Single point of failure (1)');
    expect(svg).toContain('Covered (0)');
    expect(svg).toContain('Outside the service area');
  });

  it('draws county shapes from real boundaries with a fitted projection', () => {
    const svg = renderPlanMapSvg(in1!);
    const d = /<path d="([^"]+)"[^>]*data-fips="01003"/.exec(svg)?.[1];
    expect(d).toBeDefined();
    const nums = d!.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(nums.length).toBeGreaterThan(40); // a real outline, not a box
    for (const n of nums) {
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(1200);
    }
  });

  it('is deterministic and independent of the input order', () => {
    const model = buildModel();
    const a = renderPlanMapSvg(planMapInputs(model)[0]!);
    const b = renderPlanMapSvg(planMapInputs(buildModel())[0]!);
    const reversed: ReportModel = {
      ...model,
      coverage: { ...model.coverage, cells: [...model.coverage.cells].reverse() },
      directory: [...model.directory].reverse(),
    };
    const c = renderPlanMapSvg(planMapInputs(reversed)[0]!);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('escapes names and lists counties the 2017 map does not have', () => {
    const svg = renderPlanMapSvg({
      ...in1!,
      planName: '<script>alert(1)</script> & Co',
      counties: [
        ...in1!.counties,
        { fips: '09110', name: 'Capitol <b>', status: 'uncovered', reasons: [] },
      ],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(svg).toContain('data-missing="1"');
    expect(svg).toContain('09110');
    expect(countyPaths(svg).has('09110')).toBe(false);
    // Connecticut's counties are drawn for context.
    expect(countyPaths(svg).get('09001')?.status).toBe('outside');
  });

  it('spans states far apart (Alaska across the antimeridian and Florida)', () => {
    const svg = renderPlanMapSvg({
      ...in1!,
      counties: [
        { fips: '02016', name: 'Aleutians West', status: 'uncovered', reasons: [] },
        { fips: '12086', name: 'Miami-Dade', status: 'covered', reasons: [] },
      ],
    });
    const paths = countyPaths(svg);
    expect(paths.get('02016')?.status).toBe('uncovered');
    expect(paths.get('12086')?.status).toBe('covered');
    const all = [...svg.matchAll(/ d="([^"]+)"/g)].flatMap((m) =>
      m[1]!.match(/-?\d+(\.\d+)?/g)!.map(Number),
    );
    expect(Math.min(...all)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...all)).toBeLessThanOrEqual(1200);
  });
});

describe('plan map PNG', () => {
  it('is a valid PNG 1200 px wide', () => {
    const png = renderPlanMapPng(planMapInputs(buildModel())[0]!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(900);
    expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('honours a width', () => {
    const png = renderPlanMapPng(planMapInputs(buildModel())[0]!, { width: 600 });
    expect(png.readUInt32BE(16)).toBe(600);
    expect(png.readUInt32BE(20)).toBe(450);
  });
});
