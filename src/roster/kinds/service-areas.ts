/**
 * Service areas roster: the counties each plan serves.
 */
import { type ServiceArea } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import { canonicalCountyFips, parseCountyFips } from '../validate.js';
import { col, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import { contractId, pbpId, segmentId } from './columns.js';

const COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  county_fips: col({
    required: true,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'FIPS County', 'County FIPS Code'],
    format: '5-digit county FIPS code, e.g. 36061',
    parse: (v) => parseCountyFips(v),
    canonical: (s) => canonicalCountyFips(s),
  }),
};

const RULES: RowRules<typeof COLUMNS, ServiceArea> = {
  record: (v) => ({
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    segmentId: v.segment_id,
    countyFips: v.county_fips,
  }),
};

export const SERVICE_AREA_TABLE = checked<ServiceArea, Rows.ServiceAreaRow>({
  table: 'service_area',
  columns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (s) => [s.contractId, s.pbpId, s.segmentId, s.countyFips],
  key: (s) => `${s.contractId}|${s.pbpId}|${s.segmentId}|${s.countyFips}`,
  keyColumns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
  scopeColumns: ['contract_id', 'pbp_id', 'segment_id'],
  identityColumns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
});

/** The service_areas roster kind (src/roster/kinds/index.ts). */
export const serviceAreas = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: SERVICE_AREA_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, ServiceArea, ServiceArea>;
