import type { Finding } from '../../domain/types.js';
import { FINDING_SUBJECT_COLUMNS, columnsFor } from '../columns.js';
import { dateCell, evidenceText } from '../format.js';
import {
  SHEET_NAMES,
  type CellInput,
  col,
  severityCell,
  lastColumnLetter,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

const SUBJECT = columnsFor(FINDING_SUBJECT_COLUMNS, 'xlsx');

/** What to do is stated once per rule (Methodology, "Rules in force"), not on every finding. */
const FINDING_COLUMNS = [
  'Severity',
  'Rule',
  ...SUBJECT.map((c) => c.header),
  'Message',
  'Evidence',
  'Status',
  'First seen',
  'Exception',
  'Citation',
];

/** The Findings sheet's Exception cell: EXCEPTED with rationale and approver, or expired. */
function exceptionCell(f: Finding): CellInput {
  const e = f.exception;
  if (!e) return null;
  if (e.expired) {
    return {
      value: `Exception EXPIRED on ${e.expiresOn} (approved by ${e.approvedBy} on ${e.approvedOn}): counts again. Rationale: ${e.rationale}`,
      tone: 'red',
      kind: 'wrap',
    };
  }
  return {
    value: `EXCEPTED until ${e.expiresOn}: ${e.rationale} (approved by ${e.approvedBy} on ${e.approvedOn})`,
    tone: 'grey',
    kind: 'wrap',
  };
}

export async function writeFindings(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const last = Math.max(1, model.findings.length + 1);
  const s = addSheet(
    ctx,
    SHEET_NAMES.findings,
    [
      col(9),
      col(14),
      col(15),
      col(7),
      col(13, 'wrap'),
      col(9),
      col(11),
      col(15, 'wrap'),
      col(11),
      col(36, 'wrap'),
      col(20, 'wrap'),
      col(10),
      col(10, 'date'),
      col(16, 'wrap'),
      col(28, 'wrap'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(FINDING_COLUMNS.length)}${last}`,
    },
  );
  s.header(FINDING_COLUMNS);
  for (const f of model.findings) {
    s.add([
      severityCell(f.severity),
      f.ruleId,
      ...SUBJECT.map((c) => c.value(f)),
      f.message,
      evidenceText(f.evidence, model.run.policy.timeZone),
      { value: f.status, font: f.status === 'new' ? 'bold' : 'normal' },
      dateCell(f.firstSeen),
      exceptionCell(f),
      f.citation,
    ]);
    await s.pace();
  }
  s.commit();
}
