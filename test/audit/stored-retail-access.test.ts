/**
 * The retail access section is stored with the run and read back as evaluated; a run stored
 * before it existed reads back as "not recorded" (null), not as a damaged store.
 */
import { describe, expect, it } from 'vitest';
import { modelFromParts, reportParts } from '../../src/audit/stored-report.js';
import type { ReportPart } from '../../src/db/runs.js';
import type { ReportModel } from '../../src/report/model.js';
import { buildModel } from '../report/model-builder.js';

async function* iterate(parts: ReportPart[]): AsyncGenerator<ReportPart> {
  for (const p of [...parts].sort(
    (a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0) || a.seq - b.seq,
  ))
    yield p;
}

const base = (m: ReportModel) => ({
  runId: m.run.runId,
  run: m.run,
  findings: m.findings,
  resolved: m.resolved,
  previousRunId: m.previousRunId,
  lineage: m.lineage,
});

describe('stored retail access', () => {
  it('round-trips the rows, the LTC counts and the ZIP class file it used', async () => {
    const model = buildModel();
    const back = await modelFromParts(iterate(reportParts(model)), base(model));
    expect(back.retailAccess).toEqual(model.retailAccess);
    expect(back.retailAccess?.rows[0]?.suburban.meets).toBe(false);
  });

  it('a run stored without it reads back as null', async () => {
    const model = buildModel();
    const parts = reportParts(model).filter((p) => !p.part.startsWith('retailAccess'));
    const back = await modelFromParts(iterate(parts), base(model));
    expect(back.retailAccess).toBeNull();
    expect(back.keyFigures).toEqual(model.keyFigures);
  });

  it('a model with no retail access stores null, not an empty evaluation', async () => {
    const model = buildModel({ retailAccess: null });
    const back = await modelFromParts(iterate(reportParts(model)), base(model));
    expect(back.retailAccess).toBeNull();
  });
});
