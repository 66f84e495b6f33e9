/**
 * How network memberships are stored and versioned: the sponsor's network roster and the CMS
 * network file share the table `network_membership`, told apart by its `source`.
 */
import type { NetworkMembership } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates, type VersionedTable } from '../../db/roster-tables.js';
import type { SqlValue } from '../../db/sql.js';

/**
 * What a CMS membership's content hash covers: all but its key (contract, plan, segment, NPI,
 * role): the dates and source (the same for every membership of a file) and the pharmacy's ZIP,
 * so a file that moves a pharmacy is a new version. A national file has some 40,000 distinct
 * value lists (one per ZIP), so the streaming writer hashes each once, not a million times.
 */
const cmsHashed = (
  m: Pick<NetworkMembership, 'effectiveDate' | 'terminationDate' | 'zip'>,
): SqlValue[] => [m.effectiveDate, m.terminationDate, 'cms', m.zip];

export function membershipTable(source: 'roster' | 'cms'): VersionedTable<NetworkMembership> {
  const withoutZip = (m: NetworkMembership): SqlValue[] => [
    m.contractId,
    m.pbpId,
    m.segmentId,
    m.npi,
    m.role,
    m.effectiveDate,
    m.terminationDate,
    source,
  ];
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
    row: (m) => {
      const row = withoutZip(m);
      row.push(source === 'cms' ? m.zip : null);
      return row;
    },
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
    source,
    // A roster membership hashes its row as it did before the CMS ZIP column (always null for
    // it), so the versions stored then stay unchanged on re-import.
    hashed: source === 'cms' ? cmsHashed : withoutZip,
    hashesRepeat: source === 'cms',
  });
}
