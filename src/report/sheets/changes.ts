import type { Finding } from '../../domain/types.js';
import { FINDING_SUBJECT_COLUMNS, columnsFor, type FindingSubject } from '../columns.js';
import { dateCell } from '../format.js';
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

const SUBJECT = columnsFor(FINDING_SUBJECT_COLUMNS, 'xlsx');

export async function writeChanges(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const counts = changeCounts(model);
  const headers = [
    'Change',
    'Severity',
    'Rule',
    ...SUBJECT.map((c) => c.header),
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
  const row = (
    change: string,
    tone: Tone,
    f: FindingSubject,
    firstSeen: string | null,
  ): CellInput[] => [
    { value: change, tone, font: 'bold' },
    severityCell(f.severity),
    f.ruleId,
    ...SUBJECT.map((c) => c.value(f)),
    f.message,
    dateCell(firstSeen),
  ];
  // A resolved finding is not in this run's model: its names come from the run's name tables.
  const withNames = (f: Finding): FindingSubject => ({
    ...f,
    countyName: f.countyFips === null ? null : (ctx.names.counties.get(f.countyFips) ?? null),
    pharmacyName: f.npi === null ? null : (ctx.names.pharmacies.get(f.npi) ?? null),
  });
  for (const f of model.findings) {
    if (f.status !== 'new') continue;
    s.add(row('new', 'amber', f, f.firstSeen));
    await s.pace();
  }
  for (const f of model.resolved) {
    s.add(row('resolved', 'green', withNames(f), null));
    await s.pace();
  }
  for (const f of model.findings) {
    if (f.status === 'new') continue;
    s.add(row('persisting', 'none', f, f.firstSeen));
    await s.pace();
  }
  s.commit();
}
