/**
 * Pharmacies roster: one record per pharmacy (NPI), the reference the other kinds name.
 */
import { ACCREDITORS, SERVICE_TYPES, type Pharmacy } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates, list } from '../../db/roster-tables.js';
import type { SqlValue } from '../../db/sql.js';
import {
  canonicalCountyFips,
  canonicalEnumOf,
  canonicalTaxonomyCode,
  canonicalNcpdpId,
  canonicalPhone,
  canonicalServiceType,
  canonicalState,
  canonicalText,
  canonicalUsp797Category,
  canonicalYesNo,
  canonicalZip,
  optional,
  parseCountyFips,
  parseEnum,
  parseList,
  parseNcpdpId,
  parsePhone,
  parseServiceType,
  parseState,
  parseTaxonomyCode,
  parseText,
  parseUsp797Category,
  parseYesNo,
  parseZip,
} from '../validate.js';
import {
  col,
  type FieldContext,
  type RosterKindModule,
  rowBuilder,
  type RowRules,
} from './kind.js';
import { YES_NO, npi, yesNo, optionalDate, fipsItem, orBlank, canonicalList } from './columns.js';

/** The row's state when it is valid, for ZIP/FIPS checks; null otherwise. */
function stateOf(ctx: FieldContext): string | null {
  const r = parseState(ctx.record['state']);
  return r.ok ? r.value : null;
}

const COLUMNS = {
  npi,
  ncpdp_id: col({
    required: false,
    aliases: ['NCPDP', 'NCPDP ID', 'NCPDP Provider ID', 'NCPDP Number', 'NABP', 'NABP Number'],
    format: '7 digits; may be blank',
    parse: (v) => optional(v, parseNcpdpId, null),
    canonical: orBlank(canonicalNcpdpId, null),
  }),
  name: col({
    required: true,
    aliases: ['Pharmacy Name', 'Pharmacy', 'Legal Name', 'DBA Name', 'Store Name'],
    format: 'text',
    parse: (v) => parseText(v, 'pharmacy name', 200),
    canonical: (s) => canonicalText(s, 200),
  }),
  address: col({
    required: true,
    aliases: ['Street', 'Street Address', 'Address 1', 'Address Line 1', 'Address1'],
    format: 'street address',
    parse: (v) => parseText(v, 'address', 200),
    canonical: (s) => canonicalText(s, 200),
  }),
  city: col({
    required: true,
    aliases: ['Town'],
    format: 'text',
    parse: (v) => parseText(v, 'city', 100),
    canonical: (s) => canonicalText(s, 100),
  }),
  state: col({
    required: true,
    aliases: ['ST', 'State Code'],
    format: 'USPS code: 50 states, DC, PR, VI, GU, AS, MP',
    parse: (v) => parseState(v),
    canonical: canonicalState,
  }),
  zip: col({
    required: true,
    aliases: ['Zip Code', 'Zipcode', 'ZIP5', 'Postal Code'],
    format: '5 digits or ZIP+4 (12345-6789), stored as 5 digits',
    parse: (v, ctx) => parseZip(v, stateOf(ctx)),
    canonical: canonicalZip,
  }),
  county_fips: col({
    required: true,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'FIPS County', 'County FIPS Code'],
    format: '5-digit county FIPS code of the pharmacy, in its state, e.g. 36061',
    parse: (v, ctx) => parseCountyFips(v, stateOf(ctx)),
    canonical: (s, ctx) => canonicalCountyFips(s, stateOf(ctx)),
  }),
  phone: col({
    required: true,
    aliases: ['Phone Number', 'Main Phone', 'Telephone', 'Pharmacy Phone'],
    format: '10-digit US phone number, any punctuation, e.g. (212) 555-0147',
    parse: (v) => parsePhone(v),
    canonical: canonicalPhone,
  }),
  after_hours_phone: col({
    required: false,
    aliases: ['After Hours Phone', 'After-Hours Phone', 'Emergency Phone', '24 Hour Phone'],
    format: '10-digit US phone number; may be blank',
    parse: (v) => optional(v, parsePhone, null),
    canonical: orBlank(canonicalPhone, null),
  }),
  service_type: col({
    required: true,
    choices: Object.keys(SERVICE_TYPES),
    aliases: ['Pharmacy Service Type', 'Service Type Code', 'Pharmacy Type'],
    format:
      'code 01-08 or 99 or its name (03 = Home infusion therapy provider); see the service type table',
    parse: (v) => parseServiceType(v),
    canonical: canonicalServiceType,
  }),
  taxonomy: col({
    required: false,
    aliases: ['Taxonomy Code', 'Taxonomy Codes', 'NUCC Taxonomy', 'Taxonomies'],
    format: 'NUCC taxonomy codes separated by |, e.g. 3336H0001X|333600000X; may be blank',
    parse: (v) => parseList(v, parseTaxonomyCode, 'taxonomy'),
    canonical: canonicalList(canonicalTaxonomyCode),
  }),
  sterile_compounding: yesNo(true, ['Sterile Compounding', 'Compounds Sterile Products']),
  usp797_category: col({
    required: false,
    choices: ['1', '2', '3'],
    aliases: ['USP 797 Category', 'USP797', 'USP <797> Category', '797 Category'],
    format: '1, 2 or 3; may be blank',
    parse: (v) => optional(v, parseUsp797Category, null),
    canonical: orBlank(canonicalUsp797Category, null),
  }),
  provides_nursing: yesNo(true, ['Provides Nursing', 'Nursing', 'Nursing Services']),
  provides_supplies: yesNo(true, ['Provides Supplies', 'Supplies', 'Supplies Equipment']),
  delivers_within_24h: yesNo(true, [
    'Delivers Within 24 Hours',
    '24 Hour Delivery',
    '24h Delivery',
    'Delivery Within 24h',
  ]),
  open_24x7: yesNo(false, ['Open 24/7', 'Open 24x7', '24x7', 'Open 24 Hours'], false),
  counties_served: col({
    required: false,
    aliases: ['Counties Served', 'Service Counties', 'Counties Served FIPS', 'Counties'],
    format: '5-digit county FIPS codes separated by |; blank = the pharmacy county',
    parse: (v) => optional(v, (x) => parseList(x, fipsItem, 'counties served'), null),
    canonical: orBlank(
      canonicalList((x) => canonicalCountyFips(x)),
      null,
    ),
  }),
  accreditation: col({
    required: false,
    aliases: ['Accreditations', 'Accreditor', 'Accrediting Body', 'Accrediting Bodies'],
    format: `${ACCREDITORS.join(', ')}, separated by |; may be blank`,
    canonical: canonicalList(canonicalEnumOf(ACCREDITORS)),
    parse: (v) =>
      parseList(
        v,
        (s) =>
          parseEnum(s, ACCREDITORS, 'accreditor', {
            'Joint Commission': 'TJC',
            'The Joint Commission': 'TJC',
            JCAHO: 'TJC',
          }),
        'accreditation',
      ),
  }),
  accreditation_expires: optionalDate([
    'Accreditation Expires',
    'Accreditation Expiration',
    'Accreditation Expiration Date',
    'Accreditation Expiry',
  ]),
  // No PDE service type or NUCC taxonomy marks an I/T/U pharmacy: the sponsor says so here.
  itu: col({
    required: false,
    choices: YES_NO,
    aliases: [
      'I/T/U',
      'I/T/U Pharmacy',
      'ITU Pharmacy',
      'IHS',
      'Indian Health',
      'Indian Health Service',
      'Indian Health Pharmacy',
      'Tribal',
      'Tribal Pharmacy',
      'Urban Indian',
      'IHS Tribal Urban',
    ],
    format:
      'Y or N: an Indian Health Service, Tribe or Tribal organization, or Urban Indian organization pharmacy (42 CFR 423.120(a)(6)); blank = unknown',
    parse: (v) => optional(v, parseYesNo, null),
    canonical: orBlank(canonicalYesNo, null),
  }),
};

const RULES: RowRules<typeof COLUMNS, Pharmacy> = {
  record: (v) => ({
    npi: v.npi,
    ncpdpId: v.ncpdp_id,
    name: v.name,
    address: v.address,
    city: v.city,
    state: v.state,
    zip: v.zip,
    countyFips: v.county_fips,
    phone: v.phone,
    afterHoursPhone: v.after_hours_phone,
    serviceType: v.service_type,
    taxonomyCodes: v.taxonomy,
    sterileCompounding: v.sterile_compounding,
    usp797Category: v.usp797_category,
    providesNursing: v.provides_nursing,
    providesSupplies: v.provides_supplies,
    deliversWithin24h: v.delivers_within_24h,
    open24x7: v.open_24x7,
    countiesServed: v.counties_served ?? [v.county_fips],
    accreditations: v.accreditation,
    accreditationExpires: v.accreditation_expires,
    itu: v.itu,
  }),
};

export const PHARMACY_TABLE = checked<Pharmacy, Rows.PharmacyRow>({
  table: 'pharmacy',
  columns: [
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
    'taxonomy_codes',
    'sterile_compounding',
    'usp797_category',
    'provides_nursing',
    'provides_supplies',
    'delivers_within_24h',
    'open_24x7',
    'counties_served',
    'accreditations',
    'accreditation_expires',
    'itu',
  ],
  dateColumns: dates('accreditation_expires'),
  instantColumns: dates(),
  row: (p) => [...pharmacyValues(p), p.itu],
  key: (p) => p.npi,
  keyColumns: ['npi'],
  scopeColumns: 'none',
  identityColumns: ['npi'],
});

/** A pharmacy's values up to accreditation_expires (the columns before itu). */
function pharmacyValues(p: Pharmacy): SqlValue[] {
  return [
    p.npi,
    p.ncpdpId,
    p.name,
    p.address,
    p.city,
    p.state,
    p.zip,
    p.countyFips,
    p.phone,
    p.afterHoursPhone,
    p.serviceType,
    list(p.taxonomyCodes),
    p.sterileCompounding,
    p.usp797Category,
    p.providesNursing,
    p.providesSupplies,
    p.deliversWithin24h,
    p.open24x7,
    list(p.countiesServed),
    list(p.accreditations),
    p.accreditationExpires,
  ];
}

/** The pharmacies roster kind (src/roster/kinds/index.ts). */
export const pharmacies = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: PHARMACY_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Pharmacy, Pharmacy>;
