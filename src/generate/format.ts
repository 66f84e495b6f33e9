/** Column layouts of the roster files the generator writes (the project's canonical headers). */

export const PHARMACY_COLUMNS = [
  'npi',
  'ncpdp_id',
  'name',
  'address',
  'city',
  'state',
  'zip',
  'county_fips',
  'phone',
  'after_hours_phone',
  'service_type',
  'taxonomy',
  'sterile_compounding',
  'usp797_category',
  'provides_nursing',
  'provides_supplies',
  'delivers_within_24h',
  'open_24x7',
  'counties_served',
  'accreditation',
  'accreditation_expires',
  // Left blank (unknown): synthetic data does not invent I/T/U status.
  'itu',
] as const;

export const NETWORK_COLUMNS = [
  'contract_id',
  'pbp_id',
  'segment_id',
  'npi',
  'role',
  'effective_date',
  'termination_date',
] as const;

export const CAPABILITY_COLUMNS = ['npi', 'drug_class', 'usable_form', 'notes'] as const;

export const ASSURANCE_COLUMNS = [
  'npi',
  'entity_name',
  'entity_type',
  'entity_npi',
  'services',
  'counties',
  'effective_date',
  'expiration_date',
  'document_ref',
] as const;

export const PLAN_COLUMNS = [
  'contract_id',
  'pbp_id',
  'segment_id',
  'plan_name',
  'plan_type',
  'member_services_phone',
  'provider_services_phone',
  'hi_access_directions',
  'directions_reviewed_on',
] as const;

export const SERVICE_AREA_COLUMNS = ['contract_id', 'pbp_id', 'segment_id', 'county_fips'] as const;

export const COVERAGE_REQUEST_COLUMNS = [
  'request_id',
  'contract_id',
  'pbp_id',
  'drug_class',
  'drug_name',
  'request_type',
  'expedited',
  'received_at',
  'supporting_statement_at',
  'decided_at',
  'outcome',
  'member_id',
] as const;

/** Header of the CMS quarterly Part D pharmacy network public file (pipe-delimited). */
export const CMS_NETWORK_COLUMNS = [
  'CONTRACT_ID',
  'PLAN_ID',
  'SEGMENT_ID',
  'PHARMACY_NUMBER',
  'PHARMACY_ZIPCODE',
  'PREFERRED_STATUS_RETAIL',
  'PREFERRED_STATUS_MAIL',
  'PHARMACY_RETAIL',
  'PHARMACY_MAIL',
  'IN_AREA_FLAG',
  'FLOOR_PRICE',
  'BRAND_DISPENSING_FEE_30',
  'BRAND_DISPENSING_FEE_60',
  'BRAND_DISPENSING_FEE_90',
  'GENERIC_DISPENSING_FEE_30',
  'GENERIC_DISPENSING_FEE_60',
  'GENERIC_DISPENSING_FEE_90',
] as const;

export const ENROLLMENT_COLUMNS = [
  'contract_id',
  'pbp_id',
  'segment_id',
  'zip',
  'county_fips',
  'members',
] as const;

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
