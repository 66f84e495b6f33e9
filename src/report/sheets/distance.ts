import { planKeyString, type PlanKey } from '../../domain/types.js';
import type { DistanceCell } from '../../evaluate/distance.js';
import { DISTANCE_PLAN_COLUMNS, columnsFor } from '../columns.js';
import {
  distancePlanRows,
  distancePolicyText,
  distanceStatusText,
  isBelowPolicy,
} from '../distance.js';
import {
  SHEET_NAMES,
  addSheet,
  col,
  orderedPlanKeys,
  wordWidth,
  type CellInput,
  type CellSpec,
  type Ctx,
} from '../sheet-writer.js';

/**
 * Distance to care: per plan its members as placed, then per plan one row per service-area county
 * with members and, per required class, the share within the policy distance and the distance
 * from the farthest member location to its nearest eligible pharmacy.
 */
export async function writeDistance(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const d = model.distance;
  const classes = model.coverage.requiredClasses;
  const planColumns = columnsFor(DISTANCE_PLAN_COLUMNS, 'xlsx');
  // One row per county and class (long, not one column pair per class): a catalog of a dozen
  // required classes stays one legible landscape page wide, and the rows filter in Excel.
  const specs = [
    col(17),
    col(26, 'wrap'),
    col(Math.max(12, ...classes.map((c) => wordWidth(c.code, 8)))),
    col(11, 'int'),
    col(11, 'int'),
    col(12, 'percent'),
    col(12, 'miles'),
  ];
  const width = Math.max(planColumns.length, specs.length);
  while (specs.length < width) specs.push(col(12, 'int'));
  const s = addSheet(ctx, SHEET_NAMES.distance, specs);
  s.add([
    {
      value: 'Distance to care: members within the policy distance of an eligible HI pharmacy',
      font: 'title',
    },
  ]);
  s.add([{ value: distancePolicyText(d), kind: 'wrap' }], { merge: [1, width] });
  s.add([{ value: distanceStatusText(d), kind: 'wrap', font: 'bold' }], { merge: [1, width] });
  if (d.status !== 'evaluated') {
    s.commit();
    return;
  }

  s.blank();
  s.add([{ value: 'Members per plan', font: 'section' }]);
  s.header(planColumns.map((c) => c.header));
  for (const r of distancePlanRows(d)) {
    s.add(
      planColumns.map((c): CellSpec => {
        const v = c.value(r);
        const warn =
          (c.key === 'unplaced' || c.key === 'outsideArea' || c.key === 'below') && v !== 0;
        return { value: v, kind: c.numeric ? 'int' : 'text', tone: warn ? 'amber' : 'none' };
      }),
    );
  }
  if (d.unlocatedPharmacies.length > 0) {
    s.blank();
    s.add([{ value: 'Eligible pharmacies left out (ZIP not in the reference)', font: 'section' }]);
    s.header(['Pharmacy NPI', 'Pharmacy', 'ZIP', 'Cells']);
    for (const u of d.unlocatedPharmacies) {
      s.add([u.npi, u.name, u.zip, { value: u.cells, kind: 'int' }], { tone: 'amber' });
    }
  }

  const byPlan = new Map<string, Map<string, DistanceCell[]>>();
  const keys: PlanKey[] = [];
  for (const c of d.cells) {
    const pk = planKeyString(c);
    let counties = byPlan.get(pk);
    if (!counties) {
      byPlan.set(pk, (counties = new Map<string, DistanceCell[]>()));
      keys.push(c);
    }
    const list = counties.get(c.countyFips);
    if (list) list.push(c);
    else counties.set(c.countyFips, [c]);
  }
  for (const key of orderedPlanKeys(model, keys)) {
    const counties = byPlan.get(planKeyString(key));
    if (!counties) continue;
    s.pageBreak();
    s.blank();
    s.add([{ value: `Plan ${planKeyString(key)}: members' distance by county`, font: 'section' }]);
    s.header([
      'County FIPS',
      'County',
      'Class',
      'Members',
      'Placed',
      'Within the distance',
      'Farthest (mi)',
    ]);
    for (const [fips, cells] of counties) {
      const byClass = new Map(cells.map((c) => [c.drugClass, c]));
      const first = cells[0]!;
      // County, class, then the numbers: the class (text) never sits against a right-aligned count.
      const county = (code: string): CellInput[] => [
        fips,
        ctx.names.counties.get(fips) ?? '',
        code,
        { value: first.members, kind: 'int' },
        {
          value: first.membersLocated,
          kind: 'int',
          tone: first.membersLocated < first.members ? 'amber' : 'none',
        },
      ];
      for (const cls of classes) {
        const c = byClass.get(cls.code);
        if (!c) {
          // The evaluation gives every required class a cell; a report without one says so.
          s.add([...county(cls.code), { value: 'not computed', tone: 'amber' }, { value: '' }]);
          continue;
        }
        if (c.membersLocated === 0) {
          s.add([...county(cls.code), { value: 'none placed' }, { value: '' }]);
          continue;
        }
        const tone = isBelowPolicy(c, d) ? 'red' : 'none';
        s.add([
          ...county(cls.code),
          {
            // Rounded down to 0.1 %, as the findings say it (89.96 % is never shown as 90.0 %).
            value: Math.floor((c.membersWithin * 1000) / c.membersLocated) / 1000,
            kind: 'percent',
            tone,
          },
          c.farthestMiles === null
            ? { value: 'no pharmacy', tone: 'red' }
            : { value: c.farthestMiles, kind: 'miles', tone },
        ]);
      }
      await s.pace();
    }
  }
  s.commit();
}
