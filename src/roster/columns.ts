/**
 * The documented roster contract: for every roster kind, its columns (canonical name, required,
 * accepted header aliases, value format, parser), and header matching against a file's header
 * row (with an optional user mapping). See docs/ROSTER-FORMAT.md.
 */
import { readFile } from 'node:fs/promises';
import type { NetworkRole, RosterKind, ServiceType } from '../domain/types.js';
import {
  ACCREDITORS,
  ANCILLARY_SERVICES,
  ENTITY_TYPES,
  NETWORK_ROLES,
  PLAN_TYPES,
  REQUEST_OUTCOMES,
  REQUEST_TYPES,
  ROSTER_KINDS,
} from '../domain/types.js';
import { RosterFormatError } from '../errors.js';
import { RULE_IDS } from '../rules/registry.js';
import type { CellValue, FieldResult } from './validate.js';
import {
  fail,
  isBlank,
  ok,
  optional,
  parseContractId,
  parseCountyFips,
  parseDate,
  parseEnum,
  parseInstant,
  parseList,
  parseMemberCount,
  parseNcpdpId,
  parseNpi,
  parsePbpId,
  parsePhone,
  parseSegmentId,
  parseServiceType,
  parseState,
  parseTaxonomyCode,
  parseText,
  parseUsp797Category,
  parseYesNo,
  parseZip,
  maskMemberId,
  cellText,
  FIPS_STATE,
} from './validate.js';

export interface ParseContext {
  /** Drug class codes of the catalog (upper case). */
  catalogCodes: ReadonlySet<string>;
  /** IANA zone in which date-times without a zone are read (policy.timeZone). */
  timeZone: string;
}

export interface FieldContext extends ParseContext {
  /** The whole row (canonical keys), for parsers that depend on another column (ZIP, FIPS vs state). */
  record: Readonly<Record<string, CellValue>>;
}

export interface ColumnSpec<T = unknown> {
  required: boolean;
  /** Other header spellings accepted (matching ignores case, spaces, `_` and `-`). */
  aliases: readonly string[];
  /** Value format, for the documentation and error messages. */
  format: string;
  /** Parses a cell (blank included: optional columns return their default). */
  parse: (v: CellValue, ctx: FieldContext) => FieldResult<T>;
}

export type ColumnSpecs = Readonly<Record<string, ColumnSpec>>;

function col<T>(spec: ColumnSpec<T>): ColumnSpec<T> {
  return spec;
}

/** The row's state when it is valid, for ZIP/FIPS checks; null otherwise. */
function stateOf(ctx: FieldContext): string | null {
  const r = parseState(ctx.record['state']);
  return r.ok ? r.value : null;
}

const NPI_ALIASES = [
  'NPI Number',
  'Pharmacy NPI',
  'NPI #',
  'NPI No',
  'Provider NPI',
  'National Provider Identifier',
];
const CONTRACT_ALIASES = ['Contract', 'Contract ID', 'Contract Number', 'Contract No', 'H Number'];
const PBP_ALIASES = ['PBP', 'PBP ID', 'PBP Number', 'Plan ID', 'Plan Benefit Package'];
const SEGMENT_ALIASES = ['Segment', 'Segment ID', 'Segment Number'];

const contractId = col({
  required: true,
  aliases: CONTRACT_ALIASES,
  format: 'letter H, S, R or E and 4 digits, e.g. S1234',
  parse: (v) => parseContractId(v),
});
const pbpId = col({
  required: true,
  aliases: PBP_ALIASES,
  format: '3 digits, e.g. 001 (1 or 2 digits are padded: 1 -> 001)',
  parse: (v) => parsePbpId(v),
});
const segmentId = col({
  required: false,
  aliases: SEGMENT_ALIASES,
  format: '3 digits; blank = 000',
  parse: (v) => parseSegmentId(v),
});
const npi = col({
  required: true,
  aliases: NPI_ALIASES,
  format: '10-digit NPI with a valid check digit, e.g. 1234567893',
  parse: (v) => parseNpi(v),
});

function yesNo(required: boolean, aliases: string[], fallback?: boolean): ColumnSpec<boolean> {
  return col({
    required,
    aliases,
    format: fallback === undefined ? 'Y or N' : `Y or N; blank = ${fallback ? 'Y' : 'N'}`,
    parse: (v) => (fallback === undefined || !isBlank(v) ? parseYesNo(v) : ok<boolean>(fallback)),
  });
}

function optionalDate(aliases: string[], format = 'date YYYY-MM-DD or MM/DD/YYYY; may be blank') {
  return col({ required: false, aliases, format, parse: (v) => optional(v, parseDate, null) });
}

function optionalInstant(aliases: string[]) {
  return col({
    required: false,
    aliases,
    format: 'date and time, e.g. 2026-03-02T14:05 (local time) or 2026-03-02T19:05Z; may be blank',
    parse: (v, ctx) => optional(v, (x) => parseInstant(x, ctx.timeZone), null),
  });
}

function optionalText(aliases: string[], label: string, maxLength = 500) {
  return col({
    required: false,
    aliases,
    format: `text, at most ${maxLength} characters; may be blank`,
    parse: (v) => optional(v, (x) => parseText(x, label, maxLength), null),
  });
}

/** FIPS list items: 5 digits (a 4-digit code that lost its leading zero is restored). */
function fipsItem(s: string): FieldResult<string> {
  return parseCountyFips(s);
}

const drugClassFormat = 'a drug class code of the catalog (data/drug-classes.csv), e.g. ABX_IV';
function parseDrugClass(v: CellValue, ctx: ParseContext): FieldResult<string> {
  if (isBlank(v)) return fail('drug class is missing');
  const code = cellText(v)
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (ctx.catalogCodes.has(code)) return ok(code);
  return fail(
    `"${cellText(v).trim()}" is not a drug class of the catalog: use one of ${[...ctx.catalogCodes].sort().join(', ')}`,
  );
}

export const PHARMACY_COLUMNS = {
  npi,
  ncpdp_id: col({
    required: false,
    aliases: ['NCPDP', 'NCPDP ID', 'NCPDP Provider ID', 'NCPDP Number', 'NABP', 'NABP Number'],
    format: '7 digits; may be blank',
    parse: (v) => optional(v, parseNcpdpId, null),
  }),
  name: col({
    required: true,
    aliases: ['Pharmacy Name', 'Pharmacy', 'Legal Name', 'DBA Name', 'Store Name'],
    format: 'text',
    parse: (v) => parseText(v, 'pharmacy name', 200),
  }),
  address: col({
    required: true,
    aliases: ['Street', 'Street Address', 'Address 1', 'Address Line 1', 'Address1'],
    format: 'street address',
    parse: (v) => parseText(v, 'address', 200),
  }),
  city: col({
    required: true,
    aliases: ['Town'],
    format: 'text',
    parse: (v) => parseText(v, 'city', 100),
  }),
  state: col({
    required: true,
    aliases: ['ST', 'State Code'],
    format: 'USPS code: 50 states, DC, PR, VI, GU, AS, MP',
    parse: (v) => parseState(v),
  }),
  zip: col({
    required: true,
    aliases: ['Zip Code', 'Zipcode', 'ZIP5', 'Postal Code'],
    format: '5 digits or ZIP+4 (12345-6789), stored as 5 digits',
    parse: (v, ctx) => parseZip(v, stateOf(ctx)),
  }),
  county_fips: col({
    required: true,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'FIPS County', 'County FIPS Code'],
    format: '5-digit county FIPS code of the pharmacy, in its state, e.g. 36061',
    parse: (v, ctx) => parseCountyFips(v, stateOf(ctx)),
  }),
  phone: col({
    required: true,
    aliases: ['Phone Number', 'Main Phone', 'Telephone', 'Pharmacy Phone'],
    format: '10-digit US phone number, any punctuation, e.g. (212) 555-0147',
    parse: (v) => parsePhone(v),
  }),
  after_hours_phone: col({
    required: false,
    aliases: ['After Hours Phone', 'After-Hours Phone', 'Emergency Phone', '24 Hour Phone'],
    format: '10-digit US phone number; may be blank',
    parse: (v) => optional(v, parsePhone, null),
  }),
  service_type: col({
    required: true,
    aliases: ['Pharmacy Service Type', 'Service Type Code', 'Pharmacy Type'],
    format:
      'code 01-08 or 99 or its name (03 = Home infusion therapy provider); see the service type table',
    parse: (v) => parseServiceType(v),
  }),
  taxonomy: col({
    required: false,
    aliases: ['Taxonomy Code', 'Taxonomy Codes', 'NUCC Taxonomy', 'Taxonomies'],
    format: 'NUCC taxonomy codes separated by |, e.g. 3336H0001X|333600000X; may be blank',
    parse: (v) => parseList(v, parseTaxonomyCode, 'taxonomy'),
  }),
  sterile_compounding: yesNo(true, ['Sterile Compounding', 'Compounds Sterile Products']),
  usp797_category: col({
    required: false,
    aliases: ['USP 797 Category', 'USP797', 'USP <797> Category', '797 Category'],
    format: '1, 2 or 3; may be blank',
    parse: (v) => optional(v, parseUsp797Category, null),
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
  }),
  accreditation: col({
    required: false,
    aliases: ['Accreditations', 'Accreditor', 'Accrediting Body', 'Accrediting Bodies'],
    format: `${ACCREDITORS.join(', ')}, separated by |; may be blank`,
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
  }),
};

export const NETWORK_COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  npi,
  role: col({
    required: false,
    aliases: ['Network Role', 'Pharmacy Role', 'Network Type'],
    format: `${NETWORK_ROLES.join(', ')}; blank = from the pharmacy service type`,
    parse: (v) =>
      optional(
        v,
        (x) =>
          parseEnum(x, NETWORK_ROLES, 'network role', {
            'home infusion': 'home_infusion',
            hi: 'home_infusion',
            'long term care': 'ltc',
            'mail order': 'mail',
          }),
        null,
      ),
  }),
  effective_date: col({
    required: true,
    aliases: ['Effective', 'Effective Date', 'Start Date', 'Begin Date', 'Network Effective Date'],
    format: 'date YYYY-MM-DD or MM/DD/YYYY',
    parse: (v) => parseDate(v),
  }),
  termination_date: optionalDate(
    ['Termination', 'Term Date', 'End Date', 'Termination Date'],
    'date, not before the effective date; blank = still in the network',
  ),
};

export const CAPABILITY_COLUMNS = {
  npi,
  drug_class: col({
    required: true,
    aliases: ['Drug Class', 'Class', 'Therapy Class', 'Drug Class Code'],
    format: drugClassFormat,
    parse: (v, ctx) => parseDrugClass(v, ctx),
  }),
  usable_form: yesNo(true, ['Usable Form', 'Ready To Administer', 'Delivers Usable Form']),
  notes: optionalText(['Note', 'Comment', 'Comments'], 'notes', 2000),
};

export const ASSURANCE_COLUMNS = {
  npi,
  entity_name: col({
    required: true,
    aliases: ['Entity', 'Agency', 'Agency Name', 'Entity Name'],
    format: 'name of the agency that provides the services',
    parse: (v) => parseText(v, 'entity name', 200),
  }),
  entity_type: col({
    required: true,
    aliases: ['Agency Type', 'Entity Type'],
    format: ENTITY_TYPES.join(', '),
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

export const PLAN_COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  plan_name: col({
    required: true,
    aliases: ['Plan Name', 'Name', 'Marketing Name'],
    format: 'text',
    parse: (v) => parseText(v, 'plan name', 200),
  }),
  plan_type: col({
    required: true,
    aliases: ['Plan Type', 'Type'],
    format: PLAN_TYPES.join(' or '),
    parse: (v) => parseEnum(v, PLAN_TYPES, 'plan type', { mapd: 'MA-PD', 'ma pd': 'MA-PD' }),
  }),
  member_services_phone: col({
    required: true,
    aliases: ['Member Services Phone', 'Customer Service Phone', 'Member Phone'],
    format: '10-digit US phone number',
    parse: (v) => parsePhone(v),
  }),
  provider_services_phone: col({
    required: true,
    aliases: ['Provider Services Phone', 'Provider Phone', 'Pharmacy Help Desk Phone'],
    format: '10-digit US phone number',
    parse: (v) => parsePhone(v),
  }),
  hi_access_directions: col({
    required: true,
    aliases: [
      'HI Access Directions',
      'Home Infusion Directions',
      'Home Infusion Access Directions',
      'Directions',
    ],
    format: 'text given to members and providers on how to reach a home infusion pharmacy',
    parse: (v) => parseText(v, 'home infusion access directions', 4000),
  }),
  directions_reviewed_on: optionalDate([
    'Directions Reviewed',
    'Directions Reviewed On',
    'Reviewed On',
    'Last Reviewed',
  ]),
};

export const SERVICE_AREA_COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  county_fips: col({
    required: true,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'FIPS County', 'County FIPS Code'],
    format: '5-digit county FIPS code, e.g. 36061',
    parse: (v) => parseCountyFips(v),
  }),
};

export const COVERAGE_REQUEST_COLUMNS = {
  request_id: col({
    required: true,
    aliases: ['Request ID', 'Case ID', 'Case Number', 'Request Number'],
    format: 'text, unique per request',
    parse: (v) => parseText(v, 'request ID', 100),
  }),
  contract_id: contractId,
  pbp_id: pbpId,
  drug_class: col({
    required: false,
    aliases: ['Drug Class', 'Class', 'Therapy Class'],
    format: `${drugClassFormat}; may be blank`,
    parse: (v, ctx) => optional(v, (x) => parseDrugClass(x, ctx), null),
  }),
  drug_name: optionalText(['Drug', 'Drug Name', 'Medication'], 'drug name', 200),
  request_type: col({
    required: true,
    aliases: ['Request Type', 'Case Type', 'Type'],
    format: REQUEST_TYPES.join(', '),
    parse: (v) =>
      parseEnum(v, REQUEST_TYPES, 'request type', {
        cd: 'coverage_determination',
        redet: 'redetermination',
        'payment request': 'payment',
        'payment redetermination': 'payment_redetermination',
        'payment redet': 'payment_redetermination',
      }),
  }),
  expedited: yesNo(true, ['Expedited', 'Expedited (Y/N)', 'Is Expedited']),
  received_at: col({
    required: true,
    aliases: ['Received', 'Received At', 'Received Date Time', 'Date Received', 'Receipt Time'],
    format: 'date and time, e.g. 2026-03-02T14:05 (local time) or 2026-03-02T19:05Z',
    parse: (v, ctx) => parseInstant(v, ctx.timeZone),
  }),
  supporting_statement_at: optionalInstant([
    'Supporting Statement At',
    'Supporting Statement Received',
    'Prescriber Statement At',
  ]),
  decided_at: optionalInstant([
    'Decided',
    'Decided At',
    'Decision Date Time',
    'Decision At',
    'Decision Time',
  ]),
  outcome: col({
    required: false,
    aliases: ['Outcome', 'Decision', 'Result'],
    format: `${REQUEST_OUTCOMES.join(', ')}; may be blank`,
    parse: (v) =>
      optional(
        v,
        (x) =>
          parseEnum(x, REQUEST_OUTCOMES, 'outcome', {
            approve: 'approved',
            deny: 'denied',
            favorable: 'approved',
            unfavorable: 'denied',
            open: 'pending',
          }),
        null,
      ),
  }),
  member_id: col({
    required: false,
    aliases: ['Member ID', 'Member Number', 'MBI', 'Beneficiary ID'],
    format: 'any text; only ****+last 4 characters are kept',
    parse: (v) => ok(maskMemberId(v)),
  }),
};

function parseRuleId(v: CellValue): FieldResult<string> {
  if (isBlank(v)) return fail('rule id is missing');
  const id = cellText(v)
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-');
  if (RULE_IDS.includes(id)) return ok(id);
  return fail(`"${cellText(v).trim()}" is not a rule id: use one of ${RULE_IDS.join(', ')}`);
}

export const EXCEPTION_COLUMNS = {
  rule_id: col({
    required: true,
    aliases: ['Rule', 'Rule ID', 'Rule Id'],
    format: 'a rule id of the audit, e.g. HI-ACUTE (see docs/RULES.md)',
    parse: (v) => parseRuleId(v),
  }),
  contract_id: contractId,
  pbp_id: {
    ...pbpId,
    required: false,
    format: '3 digits; blank = every PBP of the contract',
    parse: (v: CellValue) => optional(v, parsePbpId, null),
  },
  county_fips: col({
    required: false,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'County'],
    format: '5-digit county FIPS code; blank = any county',
    parse: (v) => optional(v, (x) => parseCountyFips(x), null),
  }),
  drug_class: col({
    required: false,
    aliases: ['Drug Class', 'Class', 'Drug Class Code'],
    format: `${drugClassFormat}; blank = any class`,
    parse: (v, ctx) => optional(v, (x) => parseDrugClass(x, ctx), null),
  }),
  npi: {
    ...npi,
    required: false,
    format: '10-digit NPI of a known pharmacy; blank = any pharmacy',
    parse: (v: CellValue) => optional(v, parseNpi, null),
  },
  rationale: col({
    required: true,
    aliases: ['Reason', 'Justification', 'Rationale For Exception'],
    format: 'text, at most 2000 characters: why the deviation is accepted',
    parse: (v) => parseText(v, 'rationale', 2000),
  }),
  approved_by: col({
    required: true,
    aliases: ['Approved By', 'Approver'],
    format: 'text: who approved it (name, role)',
    parse: (v) => parseText(v, 'approver', 200),
  }),
  approved_on: col({
    required: true,
    aliases: ['Approved On', 'Approval Date', 'Approved Date'],
    format: 'date YYYY-MM-DD or MM/DD/YYYY',
    parse: (v) => parseDate(v),
  }),
  expires_on: col({
    required: true,
    aliases: ['Expires On', 'Expiration', 'Expiration Date', 'Expires', 'Valid Through'],
    format: 'date, not before the approval date: the last day the exception applies',
    parse: (v) => parseDate(v),
  }),
};

/** The state of the row's county_fips (its first 2 digits), for restoring a ZIP's lost zeros. */
function stateOfCounty(ctx: FieldContext): string | null {
  const r = parseCountyFips(ctx.record['county_fips']);
  return r.ok ? (FIPS_STATE[r.value.slice(0, 2)] ?? null) : null;
}

/**
 * Enrollment: members of a plan by ZIP of residence and/or county. The ZIP and county are checked
 * against each other and the ZIP reference by the row parser (src/roster/parse-row.ts).
 */
export const ENROLLMENT_COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  zip: col({
    required: false,
    aliases: [
      'Member ZIP',
      'Member ZIP Code',
      'Member Zipcode',
      'Residence ZIP',
      'Zip Code',
      'Zipcode',
      'ZIP5',
      'Postal Code',
    ],
    format:
      '5 digits or ZIP+4 (12345-6789), stored as 5 digits; blank when county_fips is given (one of the two is required)',
    parse: (v, ctx) => optional(v, (x) => parseZip(x, stateOfCounty(ctx)), null),
  }),
  county_fips: col({
    required: false,
    aliases: [
      'County FIPS',
      'FIPS',
      'County Code',
      'FIPS County',
      'County FIPS Code',
      'Member County FIPS',
    ],
    format:
      "5-digit county FIPS code, one of the ZIP's counties; blank = the ZIP's main county (required when the ZIP is blank or not in the ZIP reference)",
    parse: (v) => optional(v, (x) => parseCountyFips(x), null),
  }),
  members: col({
    required: true,
    aliases: [
      'Enrollees',
      'Member Count',
      'Members Count',
      'Enrolled Members',
      'Enrollment',
      'Membership',
      'Enrollee Count',
    ],
    format: 'whole number of members, 0 or more; thousands separators allowed (1,240)',
    parse: (v) => parseMemberCount(v),
  }),
};

function cmsFlag(alias: string): ColumnSpec<boolean> {
  return col({
    required: true,
    aliases: [alias],
    format: 'Y/N or 1/0',
    parse: (v) => parseYesNo(v),
  });
}

export const CMS_NETWORK_COLUMNS = {
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

/** The network role a pharmacy gets when the network roster leaves it blank. */
export function defaultRoleForServiceType(st: ServiceType): NetworkRole {
  switch (st) {
    case '03':
      return 'home_infusion';
    case '05':
      return 'ltc';
    case '06':
      return 'mail';
    case '08':
      return 'specialty';
    default:
      return 'retail';
  }
}

export const COLUMNS = {
  pharmacies: PHARMACY_COLUMNS,
  network: NETWORK_COLUMNS,
  capabilities: CAPABILITY_COLUMNS,
  assurances: ASSURANCE_COLUMNS,
  plans: PLAN_COLUMNS,
  service_areas: SERVICE_AREA_COLUMNS,
  coverage_requests: COVERAGE_REQUEST_COLUMNS,
  cms_network: CMS_NETWORK_COLUMNS,
  exceptions: EXCEPTION_COLUMNS,
  enrollment: ENROLLMENT_COLUMNS,
} as const satisfies Record<RosterKind, ColumnSpecs>;

/** Canonical column names of a kind, in documented order. */
export function canonicalColumns(kind: RosterKind): string[] {
  return Object.keys(COLUMNS[kind]);
}

export function columnSpec(kind: RosterKind, name: string): ColumnSpec | undefined {
  const specs: ColumnSpecs = COLUMNS[kind];
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Header matching

/**
 * Header normalisation: case-insensitive, ignoring spaces, `_` and `-`, and a trailing `*` (how
 * the roster template marks required columns: `npi*`).
 */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/\s*\*+\s*$/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * A user mapping (`--mapping FILE`): their header -> canonical column name, either for all kinds
 * or per kind. A null target means "ignore this column".
 */
export interface ColumnMapping {
  global: Readonly<Record<string, string | null>>;
  byKind: Readonly<Partial<Record<RosterKind, Readonly<Record<string, string | null>>>>>;
}

export const EMPTY_MAPPING: ColumnMapping = { global: {}, byKind: {} };

/**
 * Validates a mapping object. Accepted shapes: `{"Their header": "npi", ...}` (applies to every
 * kind that has that column) or `{"pharmacies": {"Their header": "npi"}, ...}`, or both mixed.
 */
export function parseMapping(json: unknown, file: string): ColumnMapping {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RosterFormatError(
      file,
      'the column mapping must be a JSON object from your column header to a column name, e.g. {"Provider NPI": "npi"}',
    );
  }
  const allCanonical = new Set(ROSTER_KINDS.flatMap((k) => canonicalColumns(k)));
  const global: Record<string, string | null> = {};
  const byKind: Partial<Record<RosterKind, Record<string, string | null>>> = {};
  const checkTarget = (header: string, target: unknown, kind: RosterKind | null): string | null => {
    if (target === null) return null;
    if (typeof target !== 'string') {
      throw new RosterFormatError(
        file,
        `mapping for "${header}" must be a column name (text) or null, got ${JSON.stringify(target)}`,
      );
    }
    const valid = kind ? canonicalColumns(kind) : [...allCanonical];
    if (!valid.includes(target)) {
      throw new RosterFormatError(
        file,
        `mapping "${header}" -> "${target}": "${target}" is not a column${kind ? ` of ${kind}` : ''}; valid columns: ${valid.join(', ')}`,
      );
    }
    return target;
  };
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (
      (ROSTER_KINDS as readonly string[]).includes(key) &&
      typeof value === 'object' &&
      value !== null
    ) {
      const kind = key as RosterKind;
      const m: Record<string, string | null> = {};
      for (const [h, t] of Object.entries(value as Record<string, unknown>)) {
        m[h] = checkTarget(h, t, kind);
      }
      byKind[kind] = m;
    } else {
      global[key] = checkTarget(key, value, null);
    }
  }
  return { global, byKind };
}

export async function loadMapping(path: string): Promise<ColumnMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RosterFormatError(
      path,
      `cannot read the column mapping file: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RosterFormatError(
      path,
      `the column mapping is not valid JSON: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return parseMapping(json, path);
}

export interface HeaderMatch {
  /** Canonical column name -> original header. */
  columns: Record<string, string>;
  /** Canonical column name -> 0-based position in the header row. */
  positions: Record<string, number>;
  /** Original headers that match no column (ignored). */
  ignored: string[];
  /**
   * Ignored headers that are a near miss of a column or alias (a typo such as "Counties Servd"):
   * the import refuses the file unless the header is mapped or unknown columns are allowed.
   */
  nearMisses: { header: string; column: string }[];
}

/** Levenshtein distance, stopping early above `max` (returns max + 1 then). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The column a header that matches nothing was probably meant to be: within 1 edit of a column
 * name or alias (normalised: case, spaces, `_` and `-` ignored) for 4 to 7 characters, within 2
 * from 8 characters. Shorter headers, and headers ending in a digit ("Phone 2"), never are.
 */
export function nearMissColumn(kind: RosterKind, header: string): string | null {
  const norm = normalizeHeader(header);
  // A second column of the same thing ("Phone 2") is another column, not a typo.
  if (norm.length < 4 || /\d$/.test(norm)) return null;
  const max = norm.length >= 8 ? 2 : 1;
  let best: { column: string; d: number } | null = null;
  for (const [name, spec] of Object.entries(COLUMNS[kind] as ColumnSpecs)) {
    for (const candidate of [name, ...spec.aliases]) {
      const c = normalizeHeader(candidate);
      if (c.length < 4) continue;
      const d = editDistance(norm, c, max);
      if (d <= max && (best === null || d < best.d)) best = { column: name, d };
    }
  }
  return best?.column ?? null;
}

function describeColumn(kind: RosterKind, name: string): string {
  const spec = columnSpec(kind, name)!;
  return spec.aliases.length > 0 ? `${name} (or ${spec.aliases.join(', ')})` : name;
}

/**
 * Matches a header row to a kind's columns. Throws RosterFormatError on duplicate headers, two
 * headers giving the same column, or missing required columns.
 */
export function matchHeaders(
  kind: RosterKind,
  headers: readonly string[],
  file: string,
  mapping: ColumnMapping = EMPTY_MAPPING,
): HeaderMatch {
  const specs: ColumnSpecs = COLUMNS[kind];
  const byNorm = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    byNorm.set(normalizeHeader(name), name);
    for (const a of spec.aliases) byNorm.set(normalizeHeader(a), name);
  }
  const userMap = new Map<string, string | null>();
  for (const [h, t] of Object.entries(mapping.global)) {
    if (t === null || Object.hasOwn(specs, t)) userMap.set(normalizeHeader(h), t);
  }
  for (const [h, t] of Object.entries(mapping.byKind[kind] ?? {})) {
    userMap.set(normalizeHeader(h), t);
  }

  const columns: Record<string, string> = {};
  const positions: Record<string, number> = {};
  const ignored: string[] = [];
  const nearMisses: { header: string; column: string }[] = [];
  const seen = new Map<string, number>();
  headers.forEach((header, i) => {
    const norm = normalizeHeader(header);
    if (norm === '') return;
    const prev = seen.get(norm);
    if (prev !== undefined) {
      throw new RosterFormatError(
        file,
        `the column header "${header.trim()}" appears twice (columns ${prev + 1} and ${i + 1}); remove or rename one`,
      );
    }
    seen.set(norm, i);
    const target = userMap.has(norm) ? userMap.get(norm)! : (byNorm.get(norm) ?? null);
    if (target === null) {
      ignored.push(header);
      const near = userMap.has(norm) ? null : nearMissColumn(kind, header);
      if (near !== null) nearMisses.push({ header, column: near });
      return;
    }
    const other = positions[target];
    if (other !== undefined) {
      throw new RosterFormatError(
        file,
        `columns "${headers[other]!.trim()}" (column ${other + 1}) and "${header.trim()}" (column ${i + 1}) both give ${target}; keep only one`,
      );
    }
    columns[target] = header;
    positions[target] = i;
  });

  const missing = Object.entries(specs)
    .filter(([name, spec]) => spec.required && positions[name] === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new RosterFormatError(
      file,
      `${kind} roster is missing required column${missing.length > 1 ? 's' : ''}: ${missing
        .map((m) => describeColumn(kind, m))
        .join('; ')}. ${nearMisses
        .map((n) => `Column "${n.header.trim()}": did you mean ${n.column}? `)
        .join('')}Headers found: ${headers.filter((h) => h.trim() !== '').join(', ') || '(none)'}`,
    );
  }
  return { columns, positions, ignored, nearMisses };
}
