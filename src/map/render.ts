/**
 * Coverage maps: one county map per plan, service-area counties coloured by their worst status
 * (red uncovered, amber single point of failure, green covered), the other counties of the same
 * states in light grey for context, state borders, a title with the plan and the as-of date, and a
 * legend with counts.
 *
 * `renderPlanMapSvg` is a pure function of its input (same input, same string): projection fitted
 * to the plan's states (conic equal-area, rotated to their centre), coordinates rounded to 0.1 px,
 * counties in FIPS order. `renderPlanMapPng` rasterises that SVG with resvg (src/map/png.ts; the report draws
 * through `PngRenderer`, on a worker thread).
 */
import { geoBounds, geoConicEqualArea, geoPath } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { IsoDate, PlanKey } from '../domain/types.js';
import { planKeyString } from '../domain/types.js';
import { markupText } from '../report/format.js';
import type { ReportModel } from '../report/model.js';
import { loadAtlas, type AreaFeature, type Atlas } from './atlas.js';
import { MAP_FONT, MAP_WIDTH, svgToPng, type PngOptions } from './png.js';
import {
  countyStatusesByPlan,
  type CountyStatus,
  type CountyStatusEntry,
  type PlanStatuses,
} from './status.js';

export type MapStatus = CountyStatus | 'outside';

/** Fill colours of the map (also used by the HTML page's legend). */
export const MAP_COLORS: Record<MapStatus, string> = {
  uncovered: '#d7301f',
  spof: '#f5a300',
  covered: '#1a9850',
  outside: '#e3e3e3',
};

export const MAP_LABELS: Record<MapStatus, string> = {
  uncovered: 'Uncovered (a required class below the minimum)',
  spof: 'Single point of failure (a class with one pharmacy)',
  covered: 'Covered',
  outside: 'Outside the service area',
};

export { MAP_WIDTH };
export const MAP_HEIGHT = 900;
const TITLE_BAND = 84;
const LEGEND_BAND = 96;
const PAD = 16;

export interface PlanMapInput {
  plan: PlanKey;
  planName: string | null;
  asOf: IsoDate;
  sponsorName?: string;
  counties: CountyStatusEntry[];
  /** Minimum pharmacies per class in force (shown in the legend). */
  minPharmaciesPerClass: number;
  /**
   * 'members': the members-affected map: counties with a gap shaded by the plan's members living
   * there, the others pale (needs an enrollment roster). Default 'coverage'.
   */
  colourBy?: 'coverage' | 'members';
}

/** Shades of the members-affected map, fewest to most members (then: no gap, gap without members). */
export const MEMBER_SHADES = ['#fcbba1', '#fb6a4a', '#de2d26', '#a50f15'] as const;
export const MEMBER_NO_GAP = '#d9f0d3';
export const MEMBER_GAP_NONE = '#fff5eb';

/** Upper bounds of the shades: quarters of the largest gap county's members (at least 1 each). */
export function memberBins(counties: readonly CountyStatusEntry[]): number[] {
  let max = 0;
  for (const c of counties) if (c.status === 'uncovered') max = Math.max(max, c.members ?? 0);
  return [1, 2, 3, 4].map((q) => Math.max(q, Math.ceil((max * q) / 4)));
}

function memberFill(c: CountyStatusEntry, bins: readonly number[]): string {
  if (c.status !== 'uncovered') return MEMBER_NO_GAP;
  const n = c.members ?? 0;
  if (n === 0) return MEMBER_GAP_NONE;
  const i = bins.findIndex((b) => n <= b);
  return MEMBER_SHADES[i === -1 ? MEMBER_SHADES.length - 1 : i]!;
}

function statusWord(s: MapStatus): string {
  switch (s) {
    case 'uncovered':
      return 'uncovered';
    case 'spof':
      return 'single point of failure';
    case 'covered':
      return 'covered';
    case 'outside':
      return 'outside the service area';
  }
}

/** Counties of the plan's states (service-area counties and context), by FIPS. */
function mapCounties(atlas: Atlas, input: PlanMapInput): { states: string[]; drawn: string[] } {
  const states = [...new Set(input.counties.map((c) => c.fips.slice(0, 2)))].sort();
  const wanted = new Set(states);
  const drawn = [...atlas.counties.keys()].filter((f) => wanted.has(f.slice(0, 2))).sort();
  return { states, drawn };
}

/** Longitude centre of a bounds box that may cross the antimeridian (Aleutians). */
function centreLongitude(west: number, east: number): number {
  const span = east >= west ? east - west : east + 360 - west;
  let c = west + span / 2;
  if (c > 180) c -= 360;
  return c;
}

/** The SVG of one plan's coverage map. Pure: the same input gives the same string. */
export function renderPlanMapSvg(input: PlanMapInput, atlas: Atlas = loadAtlas()): string {
  const W = MAP_WIDTH;
  const H = MAP_HEIGHT;
  const byFips = new Map(input.counties.map((c) => [c.fips, c]));
  const { states, drawn } = mapCounties(atlas, input);
  const missing = input.counties.filter((c) => !atlas.counties.has(c.fips)).map((c) => c.fips);
  const planId = planKeyString(input.plan);
  const title = `${planId}${input.planName ? ` ${input.planName}` : ''}: ${input.colourBy === 'members' ? 'members affected by home infusion gaps' : 'home infusion coverage'} as of ${input.asOf}`;
  const counts: Record<CountyStatus, number> = { uncovered: 0, spof: 0, covered: 0 };
  for (const c of input.counties) counts[c.status] += 1;
  const byMembers = input.colourBy === 'members';
  const bins = memberBins(input.counties);
  let affected = 0;
  for (const c of input.counties) if (c.status === 'uncovered') affected += c.members ?? 0;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${markupText(title)}" data-plan="${markupText(planId)}" font-family="${MAP_FONT}, Arial, sans-serif">`,
  );
  out.push(`<title>${markupText(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${PAD}" y="34" font-size="24" font-weight="bold" fill="#1f3864">${markupText(
      `${planId}${input.planName ? `  ${input.planName}` : ''}`,
    )}</text>`,
  );
  const sub = `${byMembers ? 'Members affected (members living in counties with a gap)' : 'Home infusion coverage'} by county, as of ${input.asOf}${
    input.sponsorName ? ` (${input.sponsorName})` : ''
  }: ${input.counties.length} service-area ${input.counties.length === 1 ? 'county' : 'counties'}`;
  out.push(`<text x="${PAD}" y="64" font-size="16" fill="#333333">${markupText(sub)}</text>`);

  const features = drawn.map((f) => atlas.counties.get(f)!);
  if (features.length === 0) {
    out.push(
      `<text x="${W / 2}" y="${H / 2}" font-size="20" text-anchor="middle" fill="#555555">No service-area county can be drawn on the map</text>`,
    );
  } else {
    const collection: FeatureCollection<Polygon | MultiPolygon> = {
      type: 'FeatureCollection',
      features,
    };
    const [[west, south], [east, north]] = geoBounds(collection);
    const span = north - south;
    const projection = geoConicEqualArea()
      .rotate([-centreLongitude(west, east), 0])
      .parallels([south + span / 6, north - span / 6])
      .fitExtent(
        [
          [PAD, TITLE_BAND],
          [W - PAD, H - LEGEND_BAND],
        ],
        collection,
      );
    const path = geoPath(projection).digits(1);
    const group = (status: MapStatus, f: AreaFeature): string => {
      const entry = byFips.get(f.id);
      const name = entry?.name ?? f.properties.name;
      const why = entry && entry.reasons.length > 0 ? `: ${entry.reasons.join('; ')}` : '';
      const d = path(f) ?? '';
      const fill = byMembers && entry ? memberFill(entry, bins) : MAP_COLORS[status];
      const members =
        entry?.members === undefined
          ? ''
          : `; ${entry.members.toLocaleString('en-US')} ${entry.members === 1 ? 'member' : 'members'}`;
      return `<path d="${d}" fill="${fill}" data-fips="${f.id}" data-status="${status}"${
        entry?.members === undefined ? '' : ` data-members="${entry.members}"`
      }><title>${markupText(`${name} (${f.id}): ${statusWord(status)}${members}${why}`)}</title></path>`;
    };
    out.push(`<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">`);
    for (const f of features) {
      const entry = byFips.get(f.id);
      if (!entry) out.push(group('outside', f));
    }
    for (const f of features) {
      const entry = byFips.get(f.id);
      if (entry) out.push(group(entry.status, f));
    }
    out.push(`</g>`);
    out.push(`<g fill="none" stroke="#555555" stroke-width="1.2" stroke-linejoin="round">`);
    for (const s of states) {
      const st = atlas.states.get(s);
      if (st) out.push(`<path d="${path(st) ?? ''}" data-state="${s}"/>`);
    }
    out.push(`</g>`);
  }

  // Legend.
  const ly = H - LEGEND_BAND + 22;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const items: [string, string][] = byMembers
    ? [
        ...bins.map((b, i): [string, string] => [
          MEMBER_SHADES[i]!,
          `${fmt(i === 0 ? 1 : bins[i - 1]! + 1)}-${fmt(b)}`,
        ]),
        [MEMBER_GAP_NONE, 'Gap, no members'],
        [MEMBER_NO_GAP, 'No gap'],
        [MAP_COLORS.outside, 'Outside the service area'],
      ]
    : [
        [MAP_COLORS.uncovered, `Uncovered (${counts.uncovered})`],
        [MAP_COLORS.spof, `Single point of failure (${counts.spof})`],
        [MAP_COLORS.covered, `Covered (${counts.covered})`],
        [MAP_COLORS.outside, 'Outside the service area'],
      ];
  let x = PAD;
  out.push(`<g font-size="15" fill="#222222" data-legend="true">`);
  for (const [colour, label] of items) {
    out.push(
      `<rect x="${x}" y="${ly - 13}" width="18" height="18" fill="${colour}" stroke="#777777" stroke-width="0.5"/>`,
    );
    out.push(`<text x="${x + 26}" y="${ly + 1}">${markupText(label)}</text>`);
    x += 26 + Math.round(label.length * 8.6) + 28;
  }
  out.push(`</g>`);
  const note = byMembers
    ? `${fmt(affected)} members of the plan live in counties with a gap (a required class below ${input.minPharmaciesPerClass} pharmacies, or no HI pharmacy serving the county); darker: more members.`
    : `Uncovered: a required drug class has fewer than ${input.minPharmaciesPerClass} in-network pharmacies in usable form, or no HI pharmacy serves the county. Single point of failure: a class has exactly one.`;
  out.push(
    `<text x="${PAD}" y="${ly + 30}" font-size="13" fill="#444444">${markupText(note)}</text>`,
  );
  if (missing.length > 0) {
    const shown = missing.slice(0, 12).join(', ') + (missing.length > 12 ? ', ...' : '');
    out.push(
      `<text x="${PAD}" y="${ly + 50}" font-size="13" fill="#9c0006" data-missing="${missing.length}">${markupText(
        `Not on the 2017 Census county map (not drawn): ${shown}`,
      )}</text>`,
    );
  }
  out.push(`</svg>`);
  return out.join('\n');
}

/** The PNG of one plan's coverage map (about 1200 px wide). */
export function renderPlanMapPng(
  input: PlanMapInput,
  opts: PngOptions = {},
  atlas: Atlas = loadAtlas(),
): Buffer {
  return svgToPng(renderPlanMapSvg(input, atlas), opts);
}

/**
 * The members-affected maps: one per plan whose members are computed (enrollment roster), the
 * same counties as its coverage map. Empty without an enrollment roster.
 */
export function membersMapInputs(model: ReportModel): PlanMapInput[] {
  if (model.members?.computed !== true) return [];
  const computed = new Set(
    model.members.plans.filter((p) => p.notComputed === null).map((p) => planKeyString(p)),
  );
  return planMapInputs(model)
    .filter((i) => computed.has(planKeyString(i.plan)))
    .map((i) => ({ ...i, colourBy: 'members' as const }));
}

/** The map inputs of every plan of a model that has at least one service-area county. */
export function planMapInputs(model: ReportModel): PlanMapInput[] {
  return countyStatusesByPlan(model)
    .filter((p: PlanStatuses) => p.counties.length > 0)
    .map((p) => ({
      plan: p.plan,
      planName: p.planName,
      asOf: model.run.asOf,
      sponsorName: model.run.sponsorName,
      counties: p.counties,
      minPharmaciesPerClass: model.run.policy.minPharmaciesPerClass,
    }));
}
