import { planKeyString } from '../../domain/types.js';
import { SHEET_NAMES, col, type Ctx, addSheet, cellList } from '../sheet-writer.js';

export function writeRecruitment(ctx: Ctx): void {
  const { model } = ctx;
  const headers = [
    'Plan',
    'Rank',
    'Pharmacy NPI',
    'Pharmacy',
    'City',
    'State',
    'Service type',
    'Members reached',
    'Gaps it would close',
    'Open gaps of the plan',
    'HI pharmacy of other plans',
    'Gaps closed (county class)',
  ];
  const s = addSheet(
    ctx,
    SHEET_NAMES.recruitment,
    [
      col(17),
      col(7, 'int'),
      col(13),
      col(30, 'wrap'),
      col(16),
      col(7),
      col(9),
      col(11, 'int'),
      col(11, 'int'),
      col(11, 'int'),
      col(24, 'wrap'),
      col(60, 'wrap'),
    ],
    { frozenRows: 3, titleRows: '3:3' },
  );
  s.add([{ value: 'Recruitment candidates: who would close the open gaps', font: 'title' }]);
  s.add(
    [
      {
        value:
          "Pharmacies known from any roster that are not in the plan's home infusion network, ranked by the plan's members living in the counties where they would close a gap (when an enrollment roster is loaded; \"not computed\" otherwise), then by how many of the plan's open county x required class gaps they would close (they serve the county and deliver the class in usable form). At most 100 per plan.",
        kind: 'wrap',
      },
    ],
    { merge: [1, 12] },
  );
  s.header(headers);
  for (const r of model.recruitment) {
    s.add([
      planKeyString(r),
      r.rank,
      r.npi,
      r.name,
      r.city,
      r.state,
      r.serviceType,
      r.membersReached ?? 'not computed',
      r.gapsClosed,
      r.planGaps,
      r.hiInPlans.join(', '),
      cellList(r.cells),
    ]);
  }
  s.commit();
}
