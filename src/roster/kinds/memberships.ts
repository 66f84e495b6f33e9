/**
 * How network memberships are stored and versioned: the sponsor's network roster and the CMS
 * network file share the table `network_membership`, told apart by its `source`.
 */
import type { NetworkMembership } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates, type VersionedTable } from '../../db/roster-tables.js';

export function membershipTable(source: 'roster' | 'cms'): VersionedTable<NetworkMembership> {
  return checked<NetworkMembership, Rows.NetworkMembershipRow>({
    table: 'network_membership',
    columns: [
      'contract_id',
      'pbp_id',
      'segment_id',
      'npi',
      'role',
      'effective_date',
      'termination_date',
      'source',
      'zip',
    ],
    dateColumns: dates('effective_date', 'termination_date'),
    instantColumns: dates(),
    // The sponsor's network roster has no ZIP column: its rows keep null.
    row: (m) => [
      m.contractId,
      m.pbpId,
      m.segmentId,
      m.npi,
      m.role,
      m.effectiveDate,
      m.terminationDate,
      source,
      source === 'cms' ? m.zip : null,
    ],
    // The CMS file has no dates of its own: a pharmacy/plan/role is one membership.
    key: (m) =>
      source === 'cms'
        ? `${m.contractId}|${m.pbpId}|${m.segmentId}|${m.npi}|${m.role}`
        : `${m.contractId}|${m.pbpId}|${m.segmentId}|${m.npi}|${m.role}|${m.effectiveDate}`,
    keyColumns:
      source === 'cms'
        ? ['contract_id', 'pbp_id', 'segment_id', 'npi', 'role']
        : ['contract_id', 'pbp_id', 'segment_id', 'npi', 'role', 'effective_date'],
    scopeColumns: source === 'cms' ? ['contract_id'] : ['contract_id', 'pbp_id', 'segment_id'],
    identityColumns: ['contract_id', 'pbp_id', 'segment_id', 'npi'],
    // A CMS membership begins on the as-of date of the first file that lists it; the next
    // month's file listing it again continues it.
    ...(source === 'cms' ? { asOfColumns: ['effective_date'] as const } : {}),
    source,
  });
}
