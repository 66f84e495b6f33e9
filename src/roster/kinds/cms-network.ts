/**
 * The CMS quarterly Part D pharmacy network public file (pipe-delimited): every pharmacy of every
 * plan, retail and mail included. Read by its own fast reader (src/import/import-cms-network.ts),
 * proven equal to this kind's record builder.
 */
import type { CmsNetworkRow, NetworkMembership } from '../../domain/types.js';
import type { FieldResult } from '../validate.js';
import { canonicalYesNo, cellText, ok, parseYesNo, parseZip } from '../validate.js';
import { col, type ColumnSpec, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import { membershipTable } from './memberships.js';
import { contractId, pbpId, segmentId, npi } from './columns.js';

function cmsFlag(alias: string): ColumnSpec<boolean> {
  return col({
    required: true,
    aliases: [alias],
    format: 'Y/N or 1/0',
    parse: (v) => parseYesNo(v),
    canonical: canonicalYesNo,
  });
}

const COLUMNS = {
  contract_id: { ...contractId, aliases: ['CONTRACT_ID'] },
  pbp_id: { ...pbpId, aliases: ['PLAN_ID'] },
  segment_id: { ...segmentId, aliases: ['SEGMENT_ID'] },
  npi: { ...npi, aliases: ['PHARMACY_NUMBER'] },
  zip: col({
    required: true,
    aliases: ['PHARMACY_ZIPCODE'],
    format: '5 digits, or XXXXX when CMS masks it',
    parse: (v): FieldResult<string | null> => {
      if (cellText(v).trim().toUpperCase() === 'XXXXX') return ok(null);
      return parseZip(v);
    },
  }),
  preferred_retail: cmsFlag('PREFERRED_STATUS_RETAIL'),
  preferred_mail: cmsFlag('PREFERRED_STATUS_MAIL'),
  retail: cmsFlag('PHARMACY_RETAIL'),
  mail: cmsFlag('PHARMACY_MAIL'),
  in_area: cmsFlag('IN_AREA_FLAG'),
};

const RULES: RowRules<typeof COLUMNS, CmsNetworkRow> = {
  record: (v) => ({
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    segmentId: v.segment_id,
    npi: v.npi,
    zip: v.zip,
    retail: v.retail,
    mail: v.mail,
    preferredRetail: v.preferred_retail,
    preferredMail: v.preferred_mail,
    inArea: v.in_area,
  }),
};

/** The CMS file's memberships (read by its fast reader too, src/import/import-cms-network.ts). */
export const CMS_NETWORK_TABLE = membershipTable('cms');

/** The cms_network roster kind (src/roster/kinds/index.ts). */
export const cmsNetwork = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: CMS_NETWORK_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, CmsNetworkRow, NetworkMembership>;

/**
 * The header of the CMS public file as published (the generator writes it): the columns above
 * under their CMS names, and the pricing columns the audit does not read.
 */
export const CMS_FILE_HEADER = [
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
