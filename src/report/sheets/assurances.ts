import { dateCell } from '../format.js';
import {
  SHEET_NAMES,
  type Tone,
  col,
  lastColumnLetter,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

export async function writeAssurances(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const window = model.run.policy.expiringWindowDays;
  const headers = [
    'Pharmacy NPI',
    'Pharmacy',
    'Entity',
    'Entity type',
    'Services',
    'Counties',
    'Effective',
    'Expiration',
    `Status on ${model.run.asOf}`,
    `Expires within ${window} days`,
    'Days left',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.assurances,
    [
      col(13),
      col(28, 'wrap'),
      col(28, 'wrap'),
      col(15),
      col(22, 'wrap'),
      col(24, 'wrap'),
      col(11, 'date'),
      col(11, 'date'),
      col(18),
      col(14),
      col(10, 'int'),
    ],
    {
      frozenRows: 1,
      autoFilter: `A1:${lastColumnLetter(headers.length)}${Math.max(1, model.assurances.length + 1)}`,
    },
  );
  s.header(headers);
  for (const a of model.assurances) {
    const statusTone: Tone =
      a.status === 'expired' ? 'red' : a.status === 'not_yet_effective' ? 'grey' : 'green';
    s.add([
      a.npi,
      a.pharmacyName,
      a.entityName,
      a.entityType,
      a.services.join(', '),
      a.counties.includes('*') ? 'every county the pharmacy serves' : a.counties.join(', '),
      dateCell(a.effectiveDate),
      a.expirationDate === null ? 'none' : dateCell(a.expirationDate),
      { value: a.status.replace(/_/g, ' '), tone: statusTone },
      { value: a.expiringWithinWindow, tone: a.expiringWithinWindow ? 'amber' : 'none' },
      a.daysLeft,
    ]);
    await s.pace();
  }
  s.commit();
}
