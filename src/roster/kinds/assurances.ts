/**
 * Assurances roster: the agencies that provide nursing, supplies or equipment for a drug-only
 * pharmacy, and for which counties and dates.
 */
import { ANCILLARY_SERVICES, ENTITY_TYPES, type Assurance } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates, list } from '../../db/roster-tables.js';
import type { FieldResult } from '../validate.js';
import {
  canonicalDate,
  canonicalEnumOf,
  canonicalNpi,
  canonicalText,
  cellText,
  fail,
  isBlank,
  ok,
  optional,
  parseDate,
  parseEnum,
  parseList,
  parseNpi,
  parseText,
} from '../validate.js';
import { col, orderCheck, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import { npi, optionalDate, optionalText, fipsItem, orBlank } from './columns.js';

const COLUMNS = {
  npi,
  entity_name: col({
    required: true,
    aliases: ['Entity', 'Agency', 'Agency Name', 'Entity Name'],
    format: 'name of the agency that provides the services',
    parse: (v) => parseText(v, 'entity name', 200),
    canonical: (s) => canonicalText(s, 200),
  }),
  entity_type: col({
    required: true,
    choices: ENTITY_TYPES,
    aliases: ['Agency Type', 'Entity Type'],
    format: ENTITY_TYPES.join(', '),
    canonical: canonicalEnumOf(ENTITY_TYPES),
    parse: (v) =>
      parseEnum(v, ENTITY_TYPES, 'entity type', {
        'home health agency': 'HHA',
        'visiting nurse association': 'VNA',
        'nursing agency': 'NURSING_AGENCY',
        'home infusion agency': 'HI_AGENCY',
      }),
  }),
  entity_npi: col({
    required: false,
    aliases: ['Entity NPI', 'Agency NPI'],
    format: '10-digit NPI; may be blank',
    parse: (v) => optional(v, parseNpi, null),
    canonical: orBlank(canonicalNpi, null),
  }),
  services: col({
    required: true,
    aliases: ['Services Provided', 'Service'],
    format: `${ANCILLARY_SERVICES.join(', ')}, separated by |`,
    parse: (v) => {
      if (isBlank(v)) return fail('services are missing: list nursing, supplies and/or equipment');
      return parseList(v, (s) => parseEnum(s, ANCILLARY_SERVICES, 'service'), 'services');
    },
  }),
  counties: col({
    required: false,
    aliases: ['County FIPS List', 'Counties Covered', 'Counties Served'],
    format: '5-digit county FIPS codes separated by |, or * for every county; blank = *',
    parse: (v): FieldResult<string[]> => {
      if (isBlank(v) || cellText(v).trim() === '*') return ok(['*']);
      if (cellText(v).includes('*'))
        return fail('counties: use either * alone (every county) or a list of FIPS codes');
      return parseList(v, fipsItem, 'counties');
    },
  }),
  effective_date: col({
    required: true,
    aliases: ['Effective', 'Effective Date', 'Start Date', 'Signed Date'],
    format: 'date YYYY-MM-DD or MM/DD/YYYY',
    parse: (v) => parseDate(v),
    canonical: canonicalDate,
  }),
  expiration_date: optionalDate(
    ['Expiration', 'Expires', 'Expiration Date', 'End Date'],
    'date, not before the effective date; blank = no expiry',
  ),
  document_ref: optionalText(
    ['Document', 'Document Ref', 'Document Reference', 'Agreement', 'Agreement Ref'],
    'document reference',
  ),
};

const RULES: RowRules<typeof COLUMNS, Assurance> = {
  check: (out, record) => {
    orderCheck(
      out,
      record,
      { column: 'effective_date', value: out.values.effective_date, label: 'effective date' },
      { column: 'expiration_date', value: out.values.expiration_date, label: 'expiration date' },
    );
  },
  record: (v) => ({
    npi: v.npi,
    entityName: v.entity_name,
    entityType: v.entity_type,
    entityNpi: v.entity_npi,
    services: v.services,
    counties: v.counties,
    effectiveDate: v.effective_date,
    expirationDate: v.expiration_date,
    documentRef: v.document_ref,
  }),
};

export const ASSURANCE_TABLE = checked<Assurance, Rows.AssuranceRow>({
  table: 'assurance',
  columns: [
    'npi',
    'entity_name',
    'entity_type',
    'entity_npi',
    'services',
    'counties',
    'effective_date',
    'expiration_date',
    'document_ref',
  ],
  dateColumns: dates('effective_date', 'expiration_date'),
  instantColumns: dates(),
  row: (a) => [
    a.npi,
    a.entityName,
    a.entityType,
    a.entityNpi,
    list(a.services),
    list(a.counties),
    a.effectiveDate,
    a.expirationDate,
    a.documentRef,
  ],
  key: (a) => `${a.npi}|${a.entityName}|${a.effectiveDate}`,
  keyColumns: ['npi', 'entity_name', 'effective_date'],
  scopeColumns: ['npi'],
  identityColumns: ['npi', 'entity_name'],
});

/** The assurances roster kind (src/roster/kinds/index.ts). */
export const assurances = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: ASSURANCE_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Assurance, Assurance>;
