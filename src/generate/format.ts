/**
 * Column layouts of the roster files the generator writes: each kind's canonical headers, in
 * documented order, as its module declares them (src/roster/kinds/). The pharmacies' `itu` column
 * is left blank (unknown): synthetic data does not invent I/T/U status.
 */
import { assurances } from '../roster/kinds/assurances.js';
import { capabilities } from '../roster/kinds/capabilities.js';
import { coverageRequests } from '../roster/kinds/coverage-requests.js';
import { enrollment } from '../roster/kinds/enrollment.js';
import { exceptions } from '../roster/kinds/exceptions.js';
import { columnNames } from '../roster/kinds/kind.js';
import { network } from '../roster/kinds/network.js';
import { pharmacies } from '../roster/kinds/pharmacies.js';
import { plans } from '../roster/kinds/plans.js';
import { serviceAreas } from '../roster/kinds/service-areas.js';

export const PHARMACY_COLUMNS = columnNames(pharmacies);
export const NETWORK_COLUMNS = columnNames(network);
export const CAPABILITY_COLUMNS = columnNames(capabilities);
export const ASSURANCE_COLUMNS = columnNames(assurances);
export const PLAN_COLUMNS = columnNames(plans);
export const SERVICE_AREA_COLUMNS = columnNames(serviceAreas);
export const COVERAGE_REQUEST_COLUMNS = columnNames(coverageRequests);
/** Header of the CMS quarterly Part D pharmacy network public file (pipe-delimited). */
export { CMS_FILE_HEADER as CMS_NETWORK_COLUMNS } from '../roster/kinds/cms-network.js';
export const ENROLLMENT_COLUMNS = columnNames(enrollment);
export const EXCEPTION_COLUMNS = columnNames(exceptions);

export type PharmacyRow = Record<(typeof PHARMACY_COLUMNS)[number], string>;
export type NetworkRow = Record<(typeof NETWORK_COLUMNS)[number], string>;
export type CapabilityRow = Record<(typeof CAPABILITY_COLUMNS)[number], string>;
export type AssuranceRow = Record<(typeof ASSURANCE_COLUMNS)[number], string>;
export type PlanRow = Record<(typeof PLAN_COLUMNS)[number], string>;
export type ServiceAreaRow = Record<(typeof SERVICE_AREA_COLUMNS)[number], string>;
export type CoverageRequestRow = Record<(typeof COVERAGE_REQUEST_COLUMNS)[number], string>;

/** File names of a generated roster set, by kind. */
export const ROSTER_FILES = {
  pharmacies: 'pharmacies.csv',
  network: 'network.csv',
  capabilities: 'capabilities.csv',
  assurances: 'assurances.csv',
  plans: 'plans.csv',
  service_areas: 'service_areas.csv',
  coverage_requests: 'coverage_requests.csv',
  cms_network: 'cms-network.txt',
  enrollment: 'enrollment.csv',
} as const;

export const yn = (b: boolean): string => (b ? 'Y' : 'N');

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: "${iso}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  if (back !== iso) throw new Error(`not a real date: "${iso}"`);
  return ms / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, n: number): string {
  return isoDate(dayNumber(iso) + n);
}

/** ISO instant with Z and no milliseconds. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
