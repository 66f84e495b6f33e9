/**
 * The registry of roster kinds: one module per kind (./<kind>.ts) holding its file contract,
 * record builder and versioning (./kind.ts). Everything that depends on a kind's columns reads
 * them from here: header matching and the `--mapping` check (src/roster/headers.ts), the import
 * pipeline and its stage (src/import/, src/db/stage-snapshot.ts), the roster template, the
 * generator's headers (src/generate/format.ts) and the docs test (test/roster/columns.test.ts).
 */
import type {
  Assurance,
  AuditException,
  Capability,
  CmsNetworkRow,
  CoverageRequest,
  Enrollment,
  Pharmacy,
  Plan,
  RosterKind,
  ServiceArea,
} from '../../domain/types.js';
import type { VersionedTable } from '../../db/roster-tables.js';
import { assurances } from './assurances.js';
import { capabilities } from './capabilities.js';
import { cmsNetwork } from './cms-network.js';
import { coverageRequests } from './coverage-requests.js';
import { enrollment } from './enrollment.js';
import { exceptions } from './exceptions.js';
import {
  fieldRowReader,
  type ColumnSpec,
  type ColumnSpecs,
  type ParseContext,
  type ParseRowResult,
  type RowInput,
  type RowRules,
} from './kind.js';
import { network, type NetworkMembershipInput } from './network.js';
import { pharmacies } from './pharmacies.js';
import { plans } from './plans.js';
import { serviceAreas } from './service-areas.js';

export type {
  ColumnSpec,
  ColumnSpecs,
  FieldContext,
  ParseContext,
  ParseRowResult,
  RowIssue,
} from './kind.js';
export { defaultRoleForServiceType } from './network.js';

/** The module of each roster kind. */
export const ROSTER_KIND_MODULES = {
  pharmacies,
  network,
  capabilities,
  assurances,
  plans,
  service_areas: serviceAreas,
  coverage_requests: coverageRequests,
  cms_network: cmsNetwork,
  exceptions,
  enrollment,
} as const;

/** Domain record produced by each roster kind. */
export interface RosterRecordMap {
  pharmacies: Pharmacy;
  network: NetworkMembershipInput;
  capabilities: Capability;
  assurances: Assurance;
  plans: Plan;
  service_areas: ServiceArea;
  coverage_requests: CoverageRequest;
  cms_network: CmsNetworkRow;
  exceptions: AuditException;
  enrollment: Enrollment;
}

type Modules = typeof ROSTER_KIND_MODULES;

type RowBuilder<K extends RosterKind> = (
  record: RowInput,
  ctx: ParseContext,
) => ParseRowResult<RosterRecordMap[K]>;

/** The record builder of each kind, typed by kind (and checked against RosterRecordMap). */
const BUILDERS: {
  [K in RosterKind]: {
    build: RowBuilder<K>;
    columns: ColumnSpecs;
    rules: RowRules<ColumnSpecs, RosterRecordMap[K]>;
  };
} = ROSTER_KIND_MODULES;

/** The file contract of each kind: canonical column name -> spec, in documented order. */
export const COLUMNS: { [K in RosterKind]: Modules[K]['columns'] } = {
  pharmacies: pharmacies.columns,
  network: network.columns,
  capabilities: capabilities.columns,
  assurances: assurances.columns,
  plans: plans.columns,
  service_areas: serviceAreas.columns,
  coverage_requests: coverageRequests.columns,
  cms_network: cmsNetwork.columns,
  exceptions: exceptions.columns,
  enrollment: enrollment.columns,
};

/** The table of each kind. */
export const TABLES: Record<RosterKind, VersionedTable<never>> = {
  pharmacies: pharmacies.table,
  network: network.table,
  capabilities: capabilities.table,
  assurances: assurances.table,
  plans: plans.table,
  service_areas: serviceAreas.table,
  coverage_requests: coverageRequests.table,
  cms_network: cmsNetwork.table,
  exceptions: exceptions.table,
  enrollment: enrollment.table,
};

/** Canonical column names of a kind, in documented order. */
export function canonicalColumns(kind: RosterKind): string[] {
  return Object.keys(COLUMNS[kind]);
}

export function columnSpec(kind: RosterKind, name: string): ColumnSpec | undefined {
  const specs: ColumnSpecs = COLUMNS[kind];
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}

/**
 * Validates one row. `record` is keyed by canonical column name (absent columns = blank).
 * Every column is checked; all problems are returned together.
 */
export function parseRow<K extends RosterKind>(
  kind: K,
  record: RowInput,
  ctx: ParseContext,
): ParseRowResult<RosterRecordMap[K]> {
  const builder: { build: RowBuilder<K> } = BUILDERS[kind];
  return builder.build(record, ctx);
}

/**
 * parseRow for the rows of a CSV file read as field arrays (RosterSource.fields): each row's
 * cells read at `positions`, no record object per row; the same results as parseRow on the
 * row's record. A row without problems comes back in one result object reused for every row.
 */
export function fieldRowParser<K extends RosterKind>(
  kind: K,
  positions: Readonly<Record<string, number>>,
  ctx: ParseContext,
): (fields: readonly string[]) => ParseRowResult<RosterRecordMap[K]> {
  return fieldRowReader(BUILDERS[kind], positions, ctx);
}
