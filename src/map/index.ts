export { countyStatusesByPlan, planCountyStatuses } from './status.js';
export { planMapInputs, renderPlanMapPng, renderPlanMapSvg } from './render.js';
