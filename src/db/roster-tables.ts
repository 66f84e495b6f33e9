/**
 * How each roster kind is stored: its versioned table, columns, natural key and what a
 * snapshot replaces. Values here are provider-neutral (dates as ISO strings; the writer converts).
 */
import type {
  Assurance,
  AuditException,
  Capability,
  CoverageRequest,
  Enrollment,
  NetworkMembership,
  Pharmacy,
  Plan,
  ServiceArea,
} from '../domain/types.js';
import type * as Rows from './row-types.js';
import type { SqlValue } from './sql.js';

export interface VersionedTable<T> {
  table: string;
  /** Data columns, in the order row() returns them. */
  columns: readonly string[];
  /** Columns holding calendar dates / instants (converted per provider on write). */
  dateColumns: ReadonlySet<string>;
  instantColumns: ReadonlySet<string>;
  row(rec: T): SqlValue[];
  /** Natural key of a record. */
  key(rec: T): string;
  /** The same key computed from stored columns (dates already as IsoDate). */
  keyColumns: readonly string[];
  /**
   * Records of the stored snapshot that the new file does not mention end at the import date,
   * within the scope the file covers (e.g. the plans it lists). 'none': absence ends nothing.
   */
  scopeColumns: readonly string[] | 'none';
  /**
   * The key columns a rejected row can still name (its roster column names are the same): a
   * stored version whose identity a rejected row of the batch names is kept, not ended.
   */
  identityColumns: readonly string[];
  /** Extra fixed filter on stored rows this kind owns (network: source). */
  source?: string;
  /**
   * The values the content hash covers, when not the whole row: versions are compared by key
   * first, so a table whose key is all but a few columns hashes just those few.
   */
  hashed?(rec: T): SqlValue[];
  /**
   * The hashed values repeat across many records (a CMS file: one list per pharmacy ZIP), so
   * the writer remembers each list's hash. Unset for kinds whose hashed values are all but
   * unique: remembering them only costs memory.
   */
  hashesRepeat?: boolean;
}

/** A column of the table's row as prisma/schema.prisma declares it (src/db/row-types.ts). */
type ColumnOf<R> = keyof R & string;

/** A table's spec with its column names checked against the model: a typo fails the build. */
interface CheckedTable<T, R> extends VersionedTable<T> {
  columns: readonly ColumnOf<R>[];
  dateColumns: ReadonlySet<ColumnOf<R>>;
  instantColumns: ReadonlySet<ColumnOf<R>>;
  keyColumns: readonly ColumnOf<R>[];
  scopeColumns: readonly ColumnOf<R>[] | 'none';
  identityColumns: readonly ColumnOf<R>[];
}

/** `checked<Pharmacy, Rows.PharmacyRow>({...})`: the spec, its columns checked against the model. */
const checked = <T, R>(spec: CheckedTable<T, R>): VersionedTable<T> => spec;

const list = (xs: readonly string[]): string => xs.join('|');
const dates = <C extends string>(...c: C[]): ReadonlySet<C> => new Set(c);

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
  // A pharmacy the roster does not mark I/T/U hashes as it did before the column, so a roster
  // without it re-imported over versions stored then is unchanged.
  hashed: (p) => (p.itu === null ? pharmacyValues(p) : [...pharmacyValues(p), p.itu]),
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

export const SERVICE_AREA_TABLE = checked<ServiceArea, Rows.ServiceAreaRow>({
  table: 'service_area',
  columns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (s) => [s.contractId, s.pbpId, s.segmentId, s.countyFips],
  key: (s) => `${s.contractId}|${s.pbpId}|${s.segmentId}|${s.countyFips}`,
  keyColumns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
  scopeColumns: ['contract_id', 'pbp_id', 'segment_id'],
  identityColumns: ['contract_id', 'pbp_id', 'segment_id', 'county_fips'],
});

/**
 * What a CMS membership's content hash covers: all but its key (contract, plan, segment, NPI,
 * role): the dates and source (the same for every membership of a file) and the pharmacy's ZIP,
 * so a file that moves a pharmacy is a new version. A national file has some 40,000 distinct
 * value lists (one per ZIP), so the streaming writer hashes each once, not a million times.
 */
export const cmsHashed = (
  m: Pick<NetworkMembership, 'effectiveDate' | 'terminationDate' | 'zip'>,
): SqlValue[] => [m.effectiveDate, m.terminationDate, 'cms', m.zip];

function membershipTable(source: 'roster' | 'cms'): VersionedTable<NetworkMembership> {
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
    row: (m) => [...withoutZip(m), source === 'cms' ? m.zip : null],
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
export const NETWORK_TABLE = membershipTable('roster');
export const CMS_NETWORK_TABLE = membershipTable('cms');

export const CAPABILITY_TABLE = checked<Capability, Rows.CapabilityRow>({
  table: 'capability',
  columns: ['npi', 'drug_class', 'usable_form', 'notes'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (c) => [c.npi, c.drugClass, c.usableForm, c.notes],
  key: (c) => `${c.npi}|${c.drugClass}`,
  keyColumns: ['npi', 'drug_class'],
  scopeColumns: ['npi'],
  identityColumns: ['npi', 'drug_class'],
});

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

/**
 * Enrollment: members of a plan by ZIP and county. A file is the enrollment of the plans it lists:
 * their rows it no longer lists end at its as-of date. Key: plan, ZIP (null for a county-only
 * row), county. A rejected row keeps the stored rows of its plan and ZIP.
 */
export const ENROLLMENT_TABLE = checked<Enrollment, Rows.EnrollmentRow>({
  table: 'enrollment',
  columns: ['contract_id', 'pbp_id', 'segment_id', 'zip', 'county_fips', 'members'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (e) => [e.contractId, e.pbpId, e.segmentId, e.zip, e.countyFips, e.members],
  key: (e) => `${e.contractId}|${e.pbpId}|${e.segmentId}|${e.zip}|${e.countyFips}`,
  keyColumns: ['contract_id', 'pbp_id', 'segment_id', 'zip', 'county_fips'],
  scopeColumns: ['contract_id', 'pbp_id', 'segment_id'],
  identityColumns: ['contract_id', 'pbp_id', 'segment_id', 'zip'],
});
