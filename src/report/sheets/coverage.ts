import { type PlanKey, planKeyString } from '../../domain/types.js';
import type { ReportCoverageCell } from '../model.js';
import {
  SHEET_NAMES,
  type Tone,
  type CellSpec,
  classHeader,
  wordWidth,
  col,
  planSections,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

export async function writeCoverage(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const classes = model.coverage.requiredClasses;
  const min = model.run.policy.minPharmaciesPerClass;
  const s = addSheet(ctx, SHEET_NAMES.coverage, [
    col(12),
    col(26, 'wrap'),
    col(12, 'int'),
    ...classes.map((c) => col(wordWidth(classHeader(c), 15), 'int')),
  ]);
  const width = Math.max(3 + classes.length, 3);
  const computed = model.members?.computed === true;
  s.add([
    {
      value: 'Coverage: in-network HI pharmacies covering each county x required class',
      font: 'title',
    },
  ]);
  s.add(
    [
      {
        value: `Each number counts the plan's in-network home infusion pharmacies that serve the county and can dispense the class in usable form on ${model.run.asOf}. Red: 0${min > 1 ? ` or fewer than the policy minimum of ${min}` : ''} (no access). Amber: exactly 1 (a single point of failure). Members: the plan's members living in the county (enrollment roster)${computed ? '; red when a class of the county is short' : ': not computed (no enrollment roster)'}.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, width] },
  );

  const byPlan = new Map<string, Map<string, ReportCoverageCell[]>>();
  const cellPlanKeys: PlanKey[] = [];
  for (const c of model.coverage.cells) {
    const pk = planKeyString(c);
    let counties = byPlan.get(pk);
    if (!counties) {
      counties = new Map();
      byPlan.set(pk, counties);
      cellPlanKeys.push(c);
    }
    const list = counties.get(c.countyFips);
    if (list) list.push(c);
    else counties.set(c.countyFips, [c]);
  }
  for (const { pk } of planSections(s, model, cellPlanKeys)) {
    const counties = byPlan.get(pk);
    if (!counties || counties.size === 0) {
      s.add(['No service-area counties in scope.']);
      continue;
    }
    s.header(['County FIPS', 'County', 'Members', ...classes.map(classHeader)]);
    const fipsList = [...counties.keys()].sort();
    for (const fips of fipsList) {
      const cells = counties.get(fips) ?? [];
      const byClass = new Map(cells.map((c) => [c.drugClass, c]));
      const name =
        cells.find((c) => c.countyName)?.countyName ?? ctx.names.counties.get(fips) ?? '';
      const members = cells[0]?.members ?? null;
      const short = cells.some((c) => c.npis.length < min);
      s.add([
        fips,
        name,
        members === null
          ? { value: 'not computed', kind: 'text', tone: 'grey' }
          : { value: members, kind: 'int', tone: short && members > 0 ? 'red' : 'none' },
        ...classes.map((cls): CellSpec => {
          const n = byClass.get(cls.code)?.npis.length ?? 0;
          const tone: Tone = n === 0 || n < min ? 'red' : n === 1 ? 'amber' : 'none';
          return { value: n, kind: 'int', tone };
        }),
      ]);
      await s.pace();
    }
  }
  s.commit();
}
