import { counted, dateCell } from '../format.js';
import { SHEET_NAMES, col, type Ctx, addSheet } from '../sheet-writer.js';

export function writeExpiring(ctx: Ctx): void {
  const { model } = ctx;
  const window = model.run.policy.expiringWindowDays;
  const headers = ['Days left', 'Expires on', 'Kind', 'Plan', 'Pharmacy NPI', 'Pharmacy', 'Item'];
  const s = addSheet(
    ctx,
    SHEET_NAMES.expiring,
    [col(9, 'int'), col(11, 'date'), col(14), col(17), col(13), col(28, 'wrap'), col(50, 'wrap')],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([
    {
      value: `Evidence and exceptions expiring within ${window} days of ${model.run.asOf} (EXPIRING-SOON)`,
      font: 'title',
    },
  ]);
  s.add([`${counted(model.expiring.length, 'item')}, soonest first.`], { merge: [1, 7] });
  s.header(headers);
  for (const x of model.expiring) {
    s.add([
      { value: x.daysLeft, tone: x.daysLeft <= 14 ? 'red' : 'amber' },
      dateCell(x.expiresOn),
      x.kind,
      x.plan,
      x.npi,
      x.pharmacyName,
      x.item,
    ]);
  }
  s.commit();
}
