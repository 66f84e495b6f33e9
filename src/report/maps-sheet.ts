/**
 * The Maps sheet: one county coverage map per plan with a service area, each under a caption that
 * says in words what the map shows, one plan per printed page. The sheet's rows are streamed like
 * every other sheet; the pictures are placed after streaming (`xlsx-pictures.ts`), each in an
 * empty row made tall enough to hold it.
 */
import { planKeyString } from '../domain/types.js';
import {
  MAP_HEIGHT,
  MAP_WIDTH,
  membersMapInputs,
  planMapInputs,
  renderPlanMapSvg,
  type PlanMapInput,
} from '../map/render.js';
import { PngRenderer } from '../map/png-renderer.js';
import type { SheetPicture } from './xlsx-pictures.js';
import type { ReportModel } from './model.js';

/** Width a map is shown at, in pixels (96 dpi): 6.7 in, on a landscape page with its caption. */
export const MAP_SHOWN_WIDTH_PX = 640;
const SHOWN_HEIGHT_PX = Math.round((MAP_SHOWN_WIDTH_PX * MAP_HEIGHT) / MAP_WIDTH);
/** Pixels the PNG is rendered at: 144 dpi on paper at the shown width (about 0.1 s a map). */
const RENDER_WIDTH_PX = 960;
/** Height of the row that holds a map, in points (Excel allows at most 409). */
export const MAP_ROW_HEIGHT_PT = Math.ceil((SHOWN_HEIGHT_PX * 72) / 96) + 4;

/** Width of the sheet's one column, in characters: a little wider than the map. */
export const MAPS_COLUMN_WIDTH = Math.ceil((MAP_SHOWN_WIDTH_PX + 30) / 7);

/** What the Maps sheet needs of the streaming sheet writer. */
export interface MapsSheetWriter {
  add(cells: string[], opts?: { font?: 'normal' | 'bold' | 'title' | 'section' }): number;
  blank(): number;
  spacer(heightPt: number): number;
  pageBreak(): void;
}

function counties(n: number): string {
  return `${n} ${n === 1 ? 'county' : 'counties'}`;
}

/**
 * Writes the Maps sheet's rows into `sheet`; returns the pictures to place. Their PNGs are drawn
 * one after another on the map worker (src/map/png-renderer.ts) from now on, while the other
 * sheets are streamed.
 */
export function writeMapRows(sheet: MapsSheetWriter, model: ReportModel): SheetPicture[] {
  const inputs = planMapInputs(model);
  sheet.add([`County coverage maps, as of ${model.run.asOf}`], { font: 'title' });
  if (inputs.length === 0) {
    sheet.add(['No plan has a service-area county to map.']);
    return [];
  }
  sheet.add([
    `One map per plan. Red: uncovered (a required drug class has fewer than ${model.run.policy.minPharmaciesPerClass} in-network pharmacies in usable form, or no home infusion pharmacy serves the county). Amber: single point of failure (a class has exactly one). Green: covered. Grey: outside the service area.`,
  ]);
  sheet.add([
    model.members?.computed === true
      ? 'Each plan with enrollment has a second map, coloured by members affected: the members living in each county with a gap, darker for more.'
      : 'Members affected: not computed (no enrollment roster), so the maps show coverage only.',
  ]);
  const pictures: SheetPicture[] = [];
  const renderer = new PngRenderer();
  let previous: Promise<unknown> = Promise.resolve();
  const byMembers = new Map(membersMapInputs(model).map((i) => [planKeyString(i.plan), i]));
  const maps: { input: PlanMapInput; first: boolean }[] = [];
  for (const input of inputs) {
    maps.push({ input, first: true });
    const m = byMembers.get(planKeyString(input.plan));
    if (m) maps.push({ input: m, first: false });
  }
  for (const [i, { input, first }] of maps.entries()) {
    const id = planKeyString(input.plan);
    if (i > 0) sheet.pageBreak();
    sheet.blank();
    sheet.add([`${id}${input.planName ? ` ${input.planName}` : ''}`], { font: 'section' });
    const count = { uncovered: 0, spof: 0, covered: 0 };
    let affected = 0;
    for (const c of input.counties) {
      count[c.status] += 1;
      if (c.status === 'uncovered') affected += c.members ?? 0;
    }
    const caption = first
      ? `${counties(input.counties.length)} in the service area: ${count.uncovered} uncovered, ${count.spof} with a single point of failure, ${count.covered} covered.`
      : `Members affected: ${affected.toLocaleString('en-US')} members of the plan live in the ${counties(count.uncovered)} with a gap (darker: more members).`;
    sheet.add([caption]);
    const row = sheet.spacer(MAP_ROW_HEIGHT_PT);
    // One map at a time, its SVG made only when the one before is drawn: never 100 SVGs queued.
    const png = previous.then(() =>
      renderer.render(renderPlanMapSvg(input), { width: RENDER_WIDTH_PX }),
    );
    // Handled here so a failure while the sheets are still streaming is not "unhandled"; the
    // writer awaits `png` and gets the error then.
    previous = png.catch(() => undefined);
    pictures.push({
      row: row - 1,
      col: 0,
      widthPx: MAP_SHOWN_WIDTH_PX,
      heightPx: SHOWN_HEIGHT_PX,
      name: first ? `Map ${id}` : `Members map ${id}`,
      description: `${first ? 'County coverage map' : 'Members-affected map'} of plan ${id}, as of ${input.asOf}: ${caption}`,
      png,
    });
  }
  // The worker ends when the last map is drawn (or one failed: the writer reports that one).
  void previous.then(() => renderer.close()).catch(() => undefined);
  return pictures;
}
