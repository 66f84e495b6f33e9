import { maskMemberId, zoneLabel, zonedCell } from '../format.js';
import {
  SHEET_NAMES,
  type Tone,
  wordWidth,
  col,
  lastColumnLetter,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

export async function writeRequests(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const zone = model.run.policy.timeZone;
  const headers = [
    'Request',
    'Plan',
    'Type',
    'Expedited',
    'Drug class',
    'Drug',
    'Member',
    'Clock',
    `Clock start ${zoneLabel(zone)}`,
    `Deadline ${zoneLabel(zone)}`,
    `Decided ${zoneLabel(zone)}`,
    'Elapsed hours',
    'Outcome',
    'Verdict',
    'Citation',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.requests,
    [
      col(14),
      col(11),
      col(22),
      col(10),
      col(12),
      col(20, 'wrap'),
      col(11),
      col(30, 'wrap'),
      col(wordWidth(headers[8]!, 17), 'datetime'),
      col(wordWidth(headers[9]!, 17), 'datetime'),
      col(wordWidth(headers[10]!, 17), 'datetime'),
      col(10, 'decimal'),
      col(10),
      col(10),
      col(18),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.requests.length + 1)}`,
    },
  );
  s.header(headers);
  for (const r of model.requests) {
    const tone: Tone =
      r.verdict === 'late' || r.verdict === 'overdue'
        ? 'red'
        : r.verdict === 'pending'
          ? 'amber'
          : 'green';
    s.add([
      r.requestId,
      `${r.contractId}-${r.pbpId}`,
      r.requestType.replace(/_/g, ' '),
      r.expedited,
      r.drugClass,
      r.drugName,
      maskMemberId(r.memberIdMasked),
      r.clockLabel,
      zonedCell(r.clockStart, zone),
      zonedCell(r.deadline, zone),
      zonedCell(r.decidedAt, zone),
      Math.round(r.elapsedHours * 10) / 10,
      r.outcome,
      { value: r.verdict.replace(/_/g, ' '), tone, font: 'bold' },
      r.citation,
    ]);
    await s.pace();
  }
  s.commit();
}
