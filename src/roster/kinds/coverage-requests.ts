/**
 * Coverage requests roster: coverage determinations and redeterminations, for timeliness.
 * Member identifiers are never kept: only their last four characters.
 */
import { REQUEST_OUTCOMES, REQUEST_TYPES, type CoverageRequest } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import {
  canonicalEnumOf,
  canonicalInstant,
  canonicalMaskedMemberId,
  canonicalText,
  maskMemberId,
  ok,
  optional,
  parseEnum,
  parseInstant,
  parseText,
} from '../validate.js';
import { col, orderCheck, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import {
  contractId,
  pbpId,
  yesNo,
  optionalInstant,
  optionalText,
  drugClassFormat,
  parseDrugClass,
  canonicalDrugClass,
  orBlank,
} from './columns.js';

const COLUMNS = {
  request_id: col({
    required: true,
    aliases: ['Request ID', 'Case ID', 'Case Number', 'Request Number'],
    format: 'text, unique per request',
    parse: (v) => parseText(v, 'request ID', 100),
    canonical: (s) => canonicalText(s, 100),
  }),
  contract_id: contractId,
  pbp_id: pbpId,
  drug_class: col({
    required: false,
    choices: 'catalog',
    aliases: ['Drug Class', 'Class', 'Therapy Class'],
    format: `${drugClassFormat}; may be blank`,
    parse: (v, ctx) => optional(v, (x) => parseDrugClass(x, ctx), null),
    canonical: (s, ctx) => (s === '' ? null : canonicalDrugClass(s, ctx)),
  }),
  drug_name: optionalText(['Drug', 'Drug Name', 'Medication'], 'drug name', 200),
  request_type: col({
    required: true,
    choices: REQUEST_TYPES,
    aliases: ['Request Type', 'Case Type', 'Type'],
    format: REQUEST_TYPES.join(', '),
    canonical: canonicalEnumOf(REQUEST_TYPES),
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
    canonical: canonicalInstant,
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
    choices: REQUEST_OUTCOMES,
    aliases: ['Outcome', 'Decision', 'Result'],
    format: `${REQUEST_OUTCOMES.join(', ')}; may be blank`,
    canonical: orBlank(canonicalEnumOf(REQUEST_OUTCOMES), null),
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
    canonical: canonicalMaskedMemberId,
  }),
};

const RULES: RowRules<typeof COLUMNS, CoverageRequest> = {
  check: (out, record) => {
    orderCheck(
      out,
      record,
      { column: 'received_at', value: out.values.received_at, label: 'received at' },
      { column: 'decided_at', value: out.values.decided_at, label: 'decided at' },
    );
  },
  record: (v) => ({
    requestId: v.request_id,
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    drugClass: v.drug_class,
    drugName: v.drug_name,
    requestType: v.request_type,
    expedited: v.expedited,
    receivedAt: v.received_at,
    supportingStatementAt: v.supporting_statement_at,
    decidedAt: v.decided_at,
    outcome: v.outcome,
    memberIdMasked: v.member_id,
  }),
};

export const COVERAGE_REQUEST_TABLE = checked<CoverageRequest, Rows.CoverageRequestRow>({
  table: 'coverage_request',
  columns: [
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
    'member_id_masked',
  ],
  dateColumns: dates(),
  instantColumns: dates('received_at', 'supporting_statement_at', 'decided_at'),
  row: (r) => [
    r.requestId,
    r.contractId,
    r.pbpId,
    r.drugClass,
    r.drugName,
    r.requestType,
    r.expedited,
    r.receivedAt,
    r.supportingStatementAt,
    r.decidedAt,
    r.outcome,
    r.memberIdMasked,
  ],
  key: (r) => r.requestId,
  keyColumns: ['request_id'],
  scopeColumns: 'none',
  identityColumns: ['request_id'],
});

/** The coverage_requests roster kind (src/roster/kinds/index.ts). */
export const coverageRequests = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: COVERAGE_REQUEST_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, CoverageRequest, CoverageRequest>;
