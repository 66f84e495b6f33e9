/**
 * Plans roster: one record per plan (contract, PBP, segment), with the directions it gives.
 */
import { PLAN_TYPES, type Plan } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import {
  canonicalEnumOf,
  canonicalPhone,
  canonicalText,
  parseEnum,
  parsePhone,
  parseText,
} from '../validate.js';
import { col, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import { contractId, pbpId, segmentId, optionalDate } from './columns.js';

const COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  plan_name: col({
    required: true,
    aliases: ['Plan Name', 'Name', 'Marketing Name'],
    format: 'text',
    parse: (v) => parseText(v, 'plan name', 200),
    canonical: (s) => canonicalText(s, 200),
  }),
  plan_type: col({
    required: true,
    choices: PLAN_TYPES,
    aliases: ['Plan Type', 'Type'],
    format: PLAN_TYPES.join(' or '),
    parse: (v) => parseEnum(v, PLAN_TYPES, 'plan type', { mapd: 'MA-PD', 'ma pd': 'MA-PD' }),
    canonical: canonicalEnumOf(PLAN_TYPES),
  }),
  member_services_phone: col({
    required: true,
    aliases: ['Member Services Phone', 'Customer Service Phone', 'Member Phone'],
    format: '10-digit US phone number',
    parse: (v) => parsePhone(v),
    canonical: canonicalPhone,
  }),
  provider_services_phone: col({
    required: true,
    aliases: ['Provider Services Phone', 'Provider Phone', 'Pharmacy Help Desk Phone'],
    format: '10-digit US phone number',
    parse: (v) => parsePhone(v),
    canonical: canonicalPhone,
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
    canonical: (s) => canonicalText(s, 4000),
  }),
  directions_reviewed_on: optionalDate([
    'Directions Reviewed',
    'Directions Reviewed On',
    'Reviewed On',
    'Last Reviewed',
  ]),
};

const RULES: RowRules<typeof COLUMNS, Plan> = {
  check: (out) => {
    const contract = out.values.contract_id;
    const type = out.values.plan_type;
    if (contract && type) {
      const letter = contract[0];
      if (letter === 'S' && type === 'MA-PD') {
        out.warnings.push({
          column: 'plan_type',
          value: type,
          reason: `contract ${contract} is a stand-alone PDP contract (S) but the plan type is MA-PD`,
        });
      } else if ((letter === 'H' || letter === 'R') && type === 'PDP') {
        out.warnings.push({
          column: 'plan_type',
          value: type,
          reason: `contract ${contract} is a Medicare Advantage contract (${letter}) but the plan type is PDP`,
        });
      }
    }
  },
  record: (v) => ({
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    segmentId: v.segment_id,
    planName: v.plan_name,
    planType: v.plan_type,
    memberServicesPhone: v.member_services_phone,
    providerServicesPhone: v.provider_services_phone,
    hiAccessDirections: v.hi_access_directions,
    directionsReviewedOn: v.directions_reviewed_on,
  }),
};

export const PLAN_TABLE = checked<Plan, Rows.PlanRow>({
  table: 'plan',
  columns: [
    'contract_id',
    'pbp_id',
    'segment_id',
    'plan_name',
    'plan_type',
    'member_services_phone',
    'provider_services_phone',
    'hi_access_directions',
    'directions_reviewed_on',
  ],
  dateColumns: dates('directions_reviewed_on'),
  instantColumns: dates(),
  row: (p) => [
    p.contractId,
    p.pbpId,
    p.segmentId,
    p.planName,
    p.planType,
    p.memberServicesPhone,
    p.providerServicesPhone,
    p.hiAccessDirections,
    p.directionsReviewedOn,
  ],
  key: (p) => `${p.contractId}|${p.pbpId}|${p.segmentId}`,
  keyColumns: ['contract_id', 'pbp_id', 'segment_id'],
  scopeColumns: 'none',
  identityColumns: ['contract_id', 'pbp_id', 'segment_id'],
});

/** The plans roster kind (src/roster/kinds/index.ts). */
export const plans = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: PLAN_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Plan, Plan>;
