import { planKeyString } from '../../domain/types.js';
import { SHEET_NAMES, col, type Ctx, addSheet, cellList } from '../sheet-writer.js';

export function writeKeyPharmacies(ctx: Ctx): void {
  const { model } = ctx;
  const min = model.run.policy.minPharmaciesPerClass;
  const headers = [
    'Plan',
    'Rank',
    'Pharmacy NPI',
    'Pharmacy',
    'Cells lost if it leaves',
    `Cells where it is one of at most ${min}`,
    'Cells it covers',
    'Cells lost (county class)',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.keyPharmacies,
    [
      col(17),
      col(7, 'int'),
      col(13),
      col(30, 'wrap'),
      col(12, 'int'),
      col(14, 'int'),
      col(11, 'int'),
      col(60, 'wrap'),
    ],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([
    {
      value: 'Key pharmacies: what each plan loses if one HI pharmacy leaves (N-1)',
      font: 'title',
    },
  ]);
  s.add(
    [
      {
        value: `For each in-network home infusion pharmacy of a plan, the county x required class cells that would fall below the policy minimum (${min}) if it left the network, the whole network being re-tested without it. Ranked per plan, most cells lost first.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 8] },
  );
  s.header(headers);
  for (const k of model.keyPharmacies) {
    s.add([
      planKeyString(k),
      k.rank,
      k.npi,
      k.name,
      { value: k.cellsLost, tone: k.cellsLost > 0 ? 'amber' : 'none' },
      k.cellsCritical,
      k.cellsCovered,
      cellList(k.lostCells),
    ]);
  }
  s.commit();
}
