export { loadAtlas, type Atlas, type AreaFeature } from './atlas.js';
export {
  COUNTY_STATUSES,
  countyStatusesByPlan,
  planCountyStatuses,
  type CountyStatus,
  type CountyStatusEntry,
  type PlanStatuses,
} from './status.js';
export {
  MAP_COLORS,
  MAP_HEIGHT,
  MAP_LABELS,
  MAP_WIDTH,
  planMapInputs,
  renderPlanMapPng,
  renderPlanMapSvg,
  svgToPng,
  xmlEscape,
  type MapStatus,
  type PlanMapInput,
  type PngOptions,
} from './render.js';
