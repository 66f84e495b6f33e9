import { type PlanKey, planKeyString } from '../../domain/types.js';
import { dateCell, formatPhone } from '../format.js';
import type { DirectoryEntry, DirectoryPharmacy } from '../model.js';
import {
  SHEET_NAMES,
  type Tone,
  col,
  classLabel,
  planSections,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

function ancillaryText(p: DirectoryPharmacy): { text: string; tone: Tone } {
  if (p.providesNursing && p.providesSupplies)
    return { text: 'Provides nursing and supplies', tone: 'none' };
  const provides: string[] = [];
  if (p.providesNursing) provides.push('nursing');
  if (p.providesSupplies) provides.push('supplies');
  const own = provides.length > 0 ? `Provides ${provides.join(' and ')}; ` : '';
  if (p.reliesOnAssurance.length > 0) {
    return { text: `${own}Relies on assurance: ${p.reliesOnAssurance.join('; ')}`, tone: 'none' };
  }
  return { text: `${own}No current assurance for ancillary services`, tone: 'red' };
}

export async function writeDirectory(ctx: Ctx): Promise<void> {
  const { model } = ctx;
  const s = addSheet(ctx, SHEET_NAMES.directory, [
    col(12),
    col(20, 'wrap'),
    col(30, 'wrap'),
    col(13),
    col(17),
    col(18),
    col(62, 'wrap'),
    col(40, 'wrap'),
  ]);
  s.add([{ value: 'Home infusion pharmacy directory', font: 'title' }]);
  s.add(
    [
      {
        value: `What a member or provider service line reads out on ${model.run.asOf}: per plan and service-area county, the in-network home infusion pharmacies, how to reach them, what they cover, and who arranges nursing and supplies.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 8] },
  );
  const byPlan = new Map<string, DirectoryEntry[]>();
  const entryKeys: PlanKey[] = [];
  for (const e of model.directory) {
    const pk = planKeyString(e);
    const list = byPlan.get(pk);
    if (list) list.push(e);
    else {
      byPlan.set(pk, [e]);
      entryKeys.push(e);
    }
  }
  for (const { pk, plan } of planSections(s, model, entryKeys)) {
    if (plan) {
      s.add([{ value: 'Member services', font: 'bold' }, formatPhone(plan.memberServicesPhone)], {
        merge: [2, 3],
      });
      s.add(
        [{ value: 'Provider services', font: 'bold' }, formatPhone(plan.providerServicesPhone)],
        {
          merge: [2, 3],
        },
      );
      const directions = plan.hiAccessDirections.trim();
      s.add(
        [
          { value: 'HI access directions', font: 'bold' },
          directions === ''
            ? { value: 'No written directions on file', tone: 'red' }
            : { value: directions, kind: 'wrap' },
        ],
        { merge: [2, 8] },
      );
      s.add([
        { value: 'Directions reviewed on', font: 'bold' },
        plan.directionsReviewedOn === null
          ? { value: 'never', tone: 'amber' }
          : { value: dateCell(plan.directionsReviewedOn), kind: 'date' },
      ]);
    } else {
      s.add(
        [{ value: 'No plan record: service-line numbers and directions unknown.', tone: 'red' }],
        {
          merge: [1, 8],
        },
      );
    }
    const entries = byPlan.get(pk) ?? [];
    if (entries.length === 0) {
      s.add(['No service-area counties in scope.']);
      continue;
    }
    s.header([
      'County FIPS',
      'County',
      'Pharmacy',
      'NPI',
      'Phone',
      'After hours',
      'Classes covered',
      'Nursing and supplies',
    ]);
    for (const e of entries) {
      const county = e.countyName ?? ctx.names.counties.get(e.countyFips) ?? '';
      if (e.pharmacies.length === 0) {
        s.add([
          e.countyFips,
          county,
          {
            value: 'No in-network home infusion pharmacy serves this county',
            tone: 'red',
            kind: 'wrap',
          },
        ]);
        await s.pace();
        continue;
      }
      for (const p of e.pharmacies) {
        const anc = ancillaryText(p);
        s.add([
          e.countyFips,
          county,
          p.name,
          p.npi,
          formatPhone(p.phone),
          p.open24x7
            ? 'Open 24x7'
            : p.afterHoursPhone
              ? formatPhone(p.afterHoursPhone)
              : { value: 'None listed', tone: 'amber' },
          p.classes.map((c) => classLabel(c, ctx.catalog)).join('; '),
          { value: anc.text, tone: anc.tone },
        ]);
        await s.pace();
      }
    }
  }
  s.commit();
}
