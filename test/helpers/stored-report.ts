/**
 * A report model read back from the parts a run stores, as `report RUN` reads them (part then seq,
 * the database's order) but without a database: the one setup of the stored-report tests.
 */
import { modelFromParts, reportParts } from '../../src/audit/stored-report.js';
import type { ReportPart } from '../../src/db/runs.js';
import type { ReportModel } from '../../src/report/model.js';

async function* inStoredOrder(parts: readonly ReportPart[]): AsyncGenerator<ReportPart> {
  const sorted = [...parts].sort(
    (a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0) || a.seq - b.seq,
  );
  for (const p of sorted) yield await Promise.resolve(p);
}

/** `model` stored and read back; `parts` (default: all `model` stores) to read a damaged store. */
export function readBack(
  model: ReportModel,
  parts: readonly ReportPart[] = reportParts(model),
): Promise<ReportModel> {
  return modelFromParts(inStoredOrder(parts), {
    runId: model.run.runId,
    run: model.run,
    findings: model.findings,
    resolved: model.resolved,
    previousRunId: model.previousRunId,
    lineage: model.lineage,
  });
}
