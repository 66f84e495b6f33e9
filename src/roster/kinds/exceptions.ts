/**
 * The exceptions register: accepted deviations from a rule, for a plan and optionally a county,
 * drug class or pharmacy, approved by whom and valid until when.
 */
import { type AuditException } from '../../domain/types.js';
import { RULE_IDS } from '../../rules/registry.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import type { CellValue, FieldResult } from '../validate.js';
import {
  canonical3Digits,
  canonicalCountyFips,
  canonicalDate,
  canonicalNpi,
  canonicalText,
  cellText,
  fail,
  isBlank,
  ok,
  optional,
  parseCountyFips,
  parseDate,
  parseNpi,
  parsePbpId,
  parseText,
} from '../validate.js';
import { col, orderCheck, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import {
  contractId,
  pbpId,
  npi,
  drugClassFormat,
  parseDrugClass,
  orBlank,
  canonicalDrugClass,
} from './columns.js';

function parseRuleId(v: CellValue): FieldResult<string> {
  if (isBlank(v)) return fail('rule id is missing');
  const id = cellText(v)
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-');
  if (RULE_IDS.includes(id)) return ok(id);
  return fail(`"${cellText(v).trim()}" is not a rule id: use one of ${RULE_IDS.join(', ')}`);
}

const COLUMNS = {
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
    canonical: orBlank(canonical3Digits, null),
  },
  county_fips: col({
    required: false,
    aliases: ['County FIPS', 'FIPS', 'County Code', 'County'],
    format: '5-digit county FIPS code; blank = any county',
    parse: (v) => optional(v, (x) => parseCountyFips(x), null),
    canonical: orBlank((s) => canonicalCountyFips(s), null),
  }),
  drug_class: col({
    required: false,
    choices: 'catalog',
    aliases: ['Drug Class', 'Class', 'Drug Class Code'],
    format: `${drugClassFormat}; blank = any class`,
    parse: (v, ctx) => optional(v, (x) => parseDrugClass(x, ctx), null),
    canonical: (s, ctx) => (s === '' ? null : canonicalDrugClass(s, ctx)),
  }),
  npi: {
    ...npi,
    required: false,
    format: '10-digit NPI of a known pharmacy; blank = any pharmacy',
    parse: (v: CellValue) => optional(v, parseNpi, null),
    canonical: orBlank(canonicalNpi, null),
  },
  rationale: col({
    required: true,
    aliases: ['Reason', 'Justification', 'Rationale For Exception'],
    format: 'text, at most 2000 characters: why the deviation is accepted',
    parse: (v) => parseText(v, 'rationale', 2000),
    canonical: (s) => canonicalText(s, 2000),
  }),
  approved_by: col({
    required: true,
    aliases: ['Approved By', 'Approver'],
    format: 'text: who approved it (name, role)',
    parse: (v) => parseText(v, 'approver', 200),
    canonical: (s) => canonicalText(s, 200),
  }),
  approved_on: col({
    required: true,
    aliases: ['Approved On', 'Approval Date', 'Approved Date'],
    format: 'date YYYY-MM-DD or MM/DD/YYYY',
    parse: (v) => parseDate(v),
    canonical: canonicalDate,
  }),
  expires_on: col({
    required: true,
    aliases: ['Expires On', 'Expiration', 'Expiration Date', 'Expires', 'Valid Through'],
    format: 'date, not before the approval date: the last day the exception applies',
    parse: (v) => parseDate(v),
    canonical: canonicalDate,
  }),
};

const RULES: RowRules<typeof COLUMNS, AuditException> = {
  check: (out, record) => {
    orderCheck(
      out,
      record,
      { column: 'approved_on', value: out.values.approved_on, label: 'approval date' },
      { column: 'expires_on', value: out.values.expires_on, label: 'expiry date' },
    );
  },
  record: (v) => ({
    ruleId: v.rule_id,
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    countyFips: v.county_fips,
    drugClass: v.drug_class,
    npi: v.npi,
    rationale: v.rationale,
    approvedBy: v.approved_by,
    approvedOn: v.approved_on,
    expiresOn: v.expires_on,
  }),
};

/**
 * The exceptions register. A file is the register of the contracts it lists: their exceptions it
 * no longer lists end at its as-of date. Key: the rule and the subject fields it names.
 */
export const EXCEPTION_TABLE = checked<AuditException, Rows.FindingExceptionRow>({
  table: 'finding_exception',
  columns: [
    'rule_id',
    'contract_id',
    'pbp_id',
    'county_fips',
    'drug_class',
    'npi',
    'rationale',
    'approved_by',
    'approved_on',
    'expires_on',
  ],
  dateColumns: dates('approved_on', 'expires_on'),
  instantColumns: dates(),
  row: (e) => [
    e.ruleId,
    e.contractId,
    e.pbpId,
    e.countyFips,
    e.drugClass,
    e.npi,
    e.rationale,
    e.approvedBy,
    e.approvedOn,
    e.expiresOn,
  ],
  // Null fields as the stored key reads them (String(null)).
  key: (e) =>
    [e.ruleId, e.contractId, e.pbpId, e.countyFips, e.drugClass, e.npi].map(String).join('|'),
  keyColumns: ['rule_id', 'contract_id', 'pbp_id', 'county_fips', 'drug_class', 'npi'],
  scopeColumns: ['contract_id'],
  identityColumns: ['rule_id', 'contract_id'],
});

/** The exceptions roster kind (src/roster/kinds/index.ts). */
export const exceptions = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: EXCEPTION_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, AuditException, AuditException>;
