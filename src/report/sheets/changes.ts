import type { Finding } from '../../domain/types.js';
import { dateCell, findingPlan } from '../format.js';
import type { ReportFinding } from '../model.js';
import { changeCounts } from '../summary.js';
import {
  SHEET_NAMES,
  type Tone,
  type CellInput,
  col,
  severityCell,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

export async function writeChanges(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const counts = changeCounts(model);
  const headers = [
    'Change',
    'Severity',
    'Rule',
    'Plan',
    'County FIPS',
    'County',
    'Drug class',
    'Pharmacy NPI',
    'Pharmacy',
    'Request',
    'Message',
    'First seen',
  ];
  const total = model.findings.length + model.resolved.length;
  const s = addSheet(
    ctx,
    SHEET_NAMES.changes,
    [
      col(12),
      col(10),
      col(16),
      col(17),
      col(11),
      col(18, 'wrap'),
      col(12),
      col(13),
      col(28, 'wrap'),
      col(14),
      col(60, 'wrap'),
      col(11, 'date'),
    ],
    { frozenRows: 4, titleRows: '4:4', autoFilter: `A4:L${total + 4}` },
  );
  s.add([
    {
      value:
        model.previousRunId === null
          ? 'Changes: no previous run of this scope, every finding is new'
          : `Changes against run ${model.previousRunId}`,
      font: 'title',
    },
  ]);
  s.add([`New: ${counts.new}. Resolved: ${counts.resolved}. Persisting: ${counts.persisting}.`], {
    merge: [1, 6],
  });
  s.blank();
  s.header(headers);
  const row = (change: string, tone: Tone, f: Finding, firstSeen: string | null): CellInput[] => [
    { value: change, tone, font: 'bold' },
    severityCell(f.severity),
    f.ruleId,
    findingPlan(f),
    f.countyFips,
    f.countyFips === null ? null : (ctx.names.counties.get(f.countyFips) ?? null),
    f.drugClass,
    f.npi,
    f.npi === null ? null : (ctx.names.pharmacies.get(f.npi) ?? null),
    f.requestId,
    f.message,
    dateCell(firstSeen),
  ];
  const withNames = (f: ReportFinding, change: string, tone: Tone): CellInput[] => {
    const cells = row(change, tone, f, f.firstSeen);
    cells[5] = f.countyName;
    cells[8] = f.pharmacyName;
    return cells;
  };
  for (const f of model.findings) {
    if (f.status !== 'new') continue;
    s.add(withNames(f, 'new', 'amber'));
    await s.pace();
  }
  for (const f of model.resolved) {
    s.add(row('resolved', 'green', f, null));
    await s.pace();
  }
  for (const f of model.findings) {
    if (f.status === 'new') continue;
    s.add(withNames(f, 'persisting', 'none'));
    await s.pace();
  }
  s.commit();
}
