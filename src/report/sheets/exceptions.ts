import { dateCell } from '../format.js';
import { SHEET_NAMES, col, lastColumnLetter, type Ctx, addSheet } from '../sheet-writer.js';

export function writeExceptions(ctx: Ctx): void {
  const { model } = ctx;
  const headers = [
    'Rule',
    'Contract',
    'PBP',
    'County FIPS',
    'County',
    'Drug class',
    'Pharmacy NPI',
    'Pharmacy',
    'Rationale',
    'Approved by',
    'Approved on',
    'Expires on',
    `Status on ${model.run.asOf}`,
    'Days left',
    'Findings matched',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.exceptions,
    [
      col(16),
      col(10),
      col(8),
      col(11),
      col(18, 'wrap'),
      col(12),
      col(13),
      col(24, 'wrap'),
      col(48, 'wrap'),
      col(22, 'wrap'),
      col(11, 'date'),
      col(11, 'date'),
      col(20),
      col(9, 'int'),
      col(10, 'int'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.exceptions.length + 1)}`,
    },
  );
  s.header(headers);
  for (const e of model.exceptions) {
    const status =
      e.status === 'in_force'
        ? e.unused
          ? { value: 'in force, unused', tone: 'amber' as const }
          : { value: 'in force', tone: 'green' as const }
        : e.status === 'expired'
          ? { value: e.unused ? 'expired, unused' : 'expired', tone: 'red' as const }
          : { value: 'not yet approved', tone: 'grey' as const };
    s.add([
      e.ruleId,
      e.contractId,
      e.pbpId ?? 'any',
      e.countyFips ?? 'any',
      e.countyName,
      e.drugClass ?? 'any',
      e.npi ?? 'any',
      e.pharmacyName,
      e.rationale,
      e.approvedBy,
      dateCell(e.approvedOn),
      dateCell(e.expiresOn),
      status,
      e.daysLeft,
      e.matched,
    ]);
  }
  s.commit();
}
