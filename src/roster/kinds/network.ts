/**
 * Network roster: the sponsor's memberships, a pharmacy in a plan from an effective date.
 */
import {
  NETWORK_ROLES,
  type NetworkMembership,
  type NetworkRole,
  type ServiceType,
} from '../../domain/types.js';
import { canonicalDate, canonicalEnumOf, optional, parseDate, parseEnum } from '../validate.js';
import { col, orderCheck, rowBuilder, type RosterKindModule, type RowRules } from './kind.js';
import { membershipTable } from './memberships.js';
import { contractId, pbpId, segmentId, npi, optionalDate, orBlank } from './columns.js';

/** A network membership as read from a roster: a blank role is null, to be derived by the importer. */
export interface NetworkMembershipInput extends Omit<NetworkMembership, 'role'> {
  role: NetworkRole | null;
}

const COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  npi,
  role: col({
    required: false,
    choices: NETWORK_ROLES,
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
    canonical: orBlank(canonicalEnumOf(NETWORK_ROLES), null),
  }),
  effective_date: col({
    required: true,
    aliases: ['Effective', 'Effective Date', 'Start Date', 'Begin Date', 'Network Effective Date'],
    format: 'date YYYY-MM-DD or MM/DD/YYYY',
    parse: (v) => parseDate(v),
    canonical: canonicalDate,
  }),
  termination_date: optionalDate(
    ['Termination', 'Term Date', 'End Date', 'Termination Date'],
    'date, not before the effective date; blank = still in the network',
  ),
};

const RULES: RowRules<typeof COLUMNS, NetworkMembershipInput> = {
  check: (out, record) =>
    orderCheck(
      out,
      record,
      { column: 'effective_date', value: out.values.effective_date, label: 'effective date' },
      { column: 'termination_date', value: out.values.termination_date, label: 'termination date' },
    ),
  record: (v) => ({
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    segmentId: v.segment_id,
    npi: v.npi,
    role: v.role,
    effectiveDate: v.effective_date,
    terminationDate: v.termination_date,
    zip: null,
  }),
};

export const NETWORK_TABLE = membershipTable('roster');

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

/** The network roster kind (src/roster/kinds/index.ts). */
export const network = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: NETWORK_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, NetworkMembershipInput, NetworkMembership>;
