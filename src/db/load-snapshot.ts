/**
 * Reads the network as it stood on one date into a NetworkSnapshot (domain types only).
 * A stored version is in force on D when valid_from <= D and (valid_to is null or D < valid_to).
 */
import type {
  Accreditor,
  AncillaryService,
  Assurance,
  AuditException,
  Capability,
  CareType,
  County,
  CoverageRequest,
  DrugClass,
  EntityType,
  IsoDate,
  ItuNetwork,
  ItuPharmacy,
  NetworkMembership,
  NetworkRole,
  NetworkSnapshot,
  Pharmacy,
  Plan,
  PlanKey,
  PlanType,
  RequestOutcome,
  RetailNetwork,
  RequestType,
  ServiceArea,
  ServiceType,
} from '../domain/types.js';
import { planKeyString } from '../domain/types.js';
import { lookupZip } from '../geo/zips.js';
import type { Db } from './connect.js';
import { dbDate, dbInstant, fromDbDate, fromDbInstant } from './sql.js';
import { EnrollmentTable } from './enrollment-table.js';
import { countRetailGroups } from './retail-groups.js';
import { refreshStatistics } from './refresh-statistics.js';
import type * as Rows from './row-types.js';

export interface AuditScope {
  contractId: string | null;
  pbpId: string | null;
}

const split = (s: string): string[] => (s === '' ? [] : s.split('|'));

/** A boolean column as the driver returns it (SQLite 0/1, PostgreSQL true/false). */
const bool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === 't';
const dbDayOrNull = (v: unknown): IsoDate | null => (v === null ? null : fromDbDate(v));
const dbInstantOrNull = (v: unknown): string | null => (v === null ? null : fromDbInstant(v));

// Rows as the queries below select them: the columns come from prisma/schema.prisma
// (src/db/row-types.ts), so a renamed or dropped column fails the type check here.

type PlanRow = Pick<
  Rows.PlanRow,
  | 'contract_id'
  | 'pbp_id'
  | 'segment_id'
  | 'plan_name'
  | 'plan_type'
  | 'member_services_phone'
  | 'provider_services_phone'
  | 'hi_access_directions'
  | 'directions_reviewed_on'
>;

type MembershipRow = Pick<
  Rows.NetworkMembershipRow,
  | 'contract_id'
  | 'pbp_id'
  | 'segment_id'
  | 'npi'
  | 'role'
  | 'effective_date'
  | 'termination_date'
  | 'zip'
>;

type CatalogRow = Pick<
  Rows.DrugClassRow,
  | 'code'
  | 'name'
  | 'care_type'
  | 'part_d_required'
  | 'part_b_note'
  | 'example_drugs'
  | 'needs_sterile_compounding'
>;

type ExceptionRow = Pick<
  Rows.FindingExceptionRow,
  | 'rule_id'
  | 'contract_id'
  | 'pbp_id'
  | 'county_fips'
  | 'drug_class'
  | 'npi'
  | 'rationale'
  | 'approved_by'
  | 'approved_on'
  | 'expires_on'
>;

type PharmacyRow = Pick<
  Rows.PharmacyRow,
  | 'npi'
  | 'ncpdp_id'
  | 'name'
  | 'address'
  | 'city'
  | 'state'
  | 'zip'
  | 'county_fips'
  | 'phone'
  | 'after_hours_phone'
  | 'service_type'
  | 'taxonomy_codes'
  | 'sterile_compounding'
  | 'usp797_category'
  | 'provides_nursing'
  | 'provides_supplies'
  | 'delivers_within_24h'
  | 'open_24x7'
  | 'counties_served'
  | 'accreditations'
  | 'accreditation_expires'
  | 'itu'
>;

type CapabilityRow = Pick<Rows.CapabilityRow, 'npi' | 'drug_class' | 'usable_form' | 'notes'>;

type AssuranceRow = Pick<
  Rows.AssuranceRow,
  | 'npi'
  | 'entity_name'
  | 'entity_type'
  | 'entity_npi'
  | 'services'
  | 'counties'
  | 'effective_date'
  | 'expiration_date'
  | 'document_ref'
>;

type RequestRow = Pick<
  Rows.CoverageRequestRow,
  | 'id'
  | 'request_id'
  | 'contract_id'
  | 'pbp_id'
  | 'drug_class'
  | 'drug_name'
  | 'request_type'
  | 'expedited'
  | 'received_at'
  | 'supporting_statement_at'
  | 'decided_at'
  | 'outcome'
  | 'member_id_masked'
>;

/** A stored version in force on the date (two placeholders: the date twice). */
const IN_FORCE = 'valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)';

/** Rows per page when reading coverage requests (100,000 at national scale). */
const REQUEST_PAGE = 2_000;

/**
 * The coverage requests in force and in scope, received before the instant, in id order (HI-TIMELY
 * sorts them; among rows of one contract the order is the id's, as before). Read a page at a
 * time so the driver's raw rows never all exist at once; repeated codes share one string.
 */
async function readCoverageRequests(
  db: Db,
  d: string,
  scope: { planSql: string; params: string[] },
  receivedBefore: string,
): Promise<CoverageRequest[]> {
  const { planSql } = scope;
  const out: CoverageRequest[] = [];
  const strings = new Map<string, string>();
  const shared = <T extends string | null>(v: T): T => {
    if (v === null) return v;
    const known = strings.get(v);
    if (known !== undefined) return known as T;
    strings.set(v, v);
    return v;
  };
  // One page read and converted in its own call: its rows are let go when it returns, not kept
  // (as the loop's last value) while the next page is awaited, which outlived young-generation
  // collections and left each page's rows as old-generation garbage.
  const readPage = async (after: number): Promise<{ n: number; last: number }> => {
    const rows = await db.sql.query<RequestRow>(
      `SELECT id, request_id, contract_id, pbp_id, drug_class, drug_name, request_type, expedited,
              received_at, supporting_statement_at, decided_at, outcome, member_id_masked
         FROM coverage_request
        WHERE ${IN_FORCE}${planSql} AND received_at < ? AND id > ?
        ORDER BY id
        LIMIT ?`,
      [d, d, ...scope.params, receivedBefore, after, REQUEST_PAGE],
    );
    for (const r of rows) {
      out.push({
        requestId: r.request_id,
        contractId: shared(r.contract_id),
        pbpId: shared(r.pbp_id),
        drugClass: shared(r.drug_class),
        drugName: shared(r.drug_name),
        requestType: shared(r.request_type) as RequestType,
        expedited: bool(r.expedited),
        receivedAt: fromDbInstant(r.received_at),
        supportingStatementAt: dbInstantOrNull(r.supporting_statement_at),
        decidedAt: dbInstantOrNull(r.decided_at),
        outcome: shared(r.outcome) as RequestOutcome | null,
        memberIdMasked: r.member_id_masked,
      });
    }
    return { n: rows.length, last: rows.length > 0 ? Number(rows[rows.length - 1]!.id) : after };
  };
  let after = 0;
  for (;;) {
    const { n, last } = await readPage(after);
    if (n < REQUEST_PAGE) return out;
    after = last;
  }
}

/** Rows per page when reading enrollment (tens of thousands of ZIP rows per plan nationally). */
const ENROLLMENT_PAGE = 10_000;

/**
 * The enrollment in force and in scope, or undefined when no enrollment roster was ever imported
 * by the as-of date (members affected are then "not computed", never 0). Read a page at a time
 * in id order into a compact table (src/db/enrollment-table.ts: 20 bytes a row, not an object).
 */
async function readEnrollment(
  db: Db,
  d: string,
  scope: { planSql: string; params: string[] },
): Promise<EnrollmentTable | undefined> {
  const { planSql } = scope;
  const imported = await db.sql.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM roster_import WHERE kind = 'enrollment' AND status = 'completed' AND as_of <= ?`,
    [d],
  );
  if (Number(imported[0]?.n ?? 0) === 0) return undefined;
  const out = new EnrollmentTable();
  // A page of rows comes back as one string (fields joined by |, rows by ;): the driver builds
  // one value per page instead of an object and five strings per row (2,000,000 rows: about
  // half the audit's time went into those objects). concat_ws builds each row's text at once
  // (|| five times over cost SQLite about a fifth more CPU); it skips NULLs, hence the COALESCEs
  // that keep every field's place. The aggregate takes the rows as the subquery's scan gives
  // them, in id order, unsorted (an ORDER BY in it sorted every page again: 0.7 of 1.7 s of
  // SQLite CPU for 2,000,000 rows); each row carries its id and addEncoded checks the order.
  const aggregate =
    db.sql.provider === 'postgresql' ? "string_agg(r, ';')" : "group_concat(r, ';')";
  // One page in its own call, its text let go when it returns (see readCoverageRequests).
  const readPage = async (after: number): Promise<{ n: number; last: number }> => {
    const [page] = await db.sql.query<{
      last_id: Rows.DbInt | null;
      n: Rows.DbInt;
      r: string | null;
    }>(
      `SELECT MAX(id) AS last_id, COUNT(*) AS n, ${aggregate} AS r
         FROM (SELECT id, concat_ws('|', id, contract_id, pbp_id, segment_id, COALESCE(zip, ''),
                                    COALESCE(county_fips, ''), members) AS r
                 FROM enrollment
                WHERE ${IN_FORCE}${planSql} AND id > ?
                ORDER BY id
                LIMIT ?) page`,
      [d, d, ...scope.params, after, ENROLLMENT_PAGE],
    );
    const n = Number(page?.n ?? 0);
    if (n === 0) return { n, last: after };
    const before = out.size;
    const last = out.addEncoded(page!.r ?? '', after);
    if (out.size - before !== n || last !== Number(page!.last_id))
      throw new Error(`enrollment page: ${out.size - before} rows read of ${n}, up to id ${last}`);
    return { n, last };
  };
  let after = 0;
  for (;;) {
    const { n, last } = await readPage(after);
    if (n < ENROLLMENT_PAGE) return out;
    after = last;
  }
}

/**
 * One plan x role: its memberships as `npi:zip` (the CMS file's PHARMACY_ZIPCODE, empty when
 * none), comma-separated (a pharmacy listed by several sources repeats).
 */
type RetailGroupRow = Pick<
  Rows.NetworkMembershipRow,
  'contract_id' | 'pbp_id' | 'segment_id' | 'role'
> & { npis: string };

/**
 * The retail and long-term care pharmacies of the plans in scope, in force and effective on the
 * date, counted per plan and placed at their distinct pharmacy ZIPs. A pharmacy is placed at its
 * pharmacy roster ZIP (the sponsor's own data) or, when the roster does not list it, at the
 * PHARMACY_ZIPCODE of its CMS network file row (the greatest, as MAX would), once per plan, role
 * and pharmacy (a pharmacy listed by two sources is one pharmacy). A retail membership of a
 * pharmacy the roster types as home infusion (03), long-term care (05) or mail order (06) does
 * not count (05 counts as long-term care).
 *
 * A national CMS file has a million memberships: the database returns one row per plan and role
 * with its memberships aggregated into one string (group_concat / string_agg: one sort by plan),
 * and the pharmacies in force (npi, ZIP, service type) once; the NPIs are classified in place
 * (src/db/retail-groups.ts).
 * Grouping by plan x ZIP x service type with COUNT(DISTINCT npi) in SQL (about 950,000 groups)
 * took 5-6 s of database CPU and the groups' row objects a few hundred MB.
 * test/db/retail-network.test.ts checks this against the grouping query on random networks on
 * both databases.
 */
async function readRetailNetwork(
  db: Db,
  d: string,
  scope: { params: string[]; contractId: string | null; pbpId: string | null },
  without: ReadonlySet<string>,
  planKeys: readonly PlanKey[],
): Promise<RetailNetwork> {
  const withoutList = [...without];
  // The plan scope on the membership alias (placeholders; their values are scope.params).
  const planSql =
    (scope.contractId ? ' AND m.contract_id = ?' : '') + (scope.pbpId ? ' AND m.pbp_id = ?' : '');
  const aggregate =
    db.sql.provider === 'postgresql'
      ? "string_agg(m.npi || ':' || COALESCE(m.zip, ''), ',')"
      : "group_concat(m.npi || ':' || COALESCE(m.zip, ''), ',')";
  const [rows, pharmacyRows] = await Promise.all([
    db.sql.query<RetailGroupRow>(
      `SELECT m.contract_id, m.pbp_id, m.segment_id, m.role, ${aggregate} AS npis
         FROM network_membership m
        WHERE m.role IN ('retail', 'ltc')
          AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)
          AND m.effective_date <= ? AND (m.termination_date IS NULL OR m.termination_date >= ?)${planSql}${
            withoutList.length > 0
              ? ` AND m.npi NOT IN (${withoutList.map(() => '?').join(', ')})`
              : ''
          }
        GROUP BY m.contract_id, m.pbp_id, m.segment_id, m.role`,
      [d, d, d, d, ...scope.params, ...withoutList],
    ),
    db.sql.query<Pick<Rows.PharmacyRow, 'npi' | 'zip' | 'service_type'>>(
      `SELECT npi, zip, service_type FROM pharmacy WHERE ${IN_FORCE}`,
      [d, d],
    ),
  ]);
  return countRetailGroups(
    rows.map((r) => ({
      contractId: r.contract_id,
      pbpId: r.pbp_id,
      segmentId: r.segment_id,
      role: r.role,
      npis: r.npis,
    })),
    pharmacyRows.map((r) => ({ npi: r.npi, zip: r.zip, serviceType: r.service_type })),
    planKeys,
    lookupZip,
  );
}

/**
 * The I/T/U pharmacies of the pharmacy roster in force (itu = Y), how many pharmacies say Y or N
 * at all, and per plan in scope the I/T/U pharmacies in its network on the date (any role,
 * sponsor roster or CMS file). The membership scan runs only when some pharmacy is I/T/U.
 */
async function readItuNetwork(
  db: Db,
  d: string,
  scope: { params: string[]; contractId: string | null; pbpId: string | null },
  without: ReadonlySet<string>,
): Promise<ItuNetwork> {
  const [counted, ituRows] = await Promise.all([
    db.sql.query<{ n: number | string; total: number | string }>(
      `SELECT COUNT(itu) AS n, COUNT(*) AS total FROM pharmacy WHERE ${IN_FORCE}`,
      [d, d],
    ),
    db.sql.query<Pick<Rows.PharmacyRow, 'npi' | 'name' | 'county_fips'>>(
      `SELECT npi, name, county_fips FROM pharmacy WHERE ${IN_FORCE} AND itu = ? ORDER BY npi, id`,
      [d, d, true],
    ),
  ]);
  const pharmacies: ItuPharmacy[] = ituRows.map((r) => ({
    npi: r.npi,
    name: r.name,
    countyFips: r.county_fips,
  }));
  const inNetwork = new Map<string, Set<string>>();
  if (pharmacies.length > 0) {
    const planSql =
      (scope.contractId ? ' AND m.contract_id = ?' : '') + (scope.pbpId ? ' AND m.pbp_id = ?' : '');
    const rows = await db.sql.query<
      Pick<Rows.NetworkMembershipRow, 'contract_id' | 'pbp_id' | 'segment_id' | 'npi'>
    >(
      `SELECT DISTINCT m.contract_id, m.pbp_id, m.segment_id, m.npi
         FROM network_membership m
        WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)
          AND m.effective_date <= ? AND (m.termination_date IS NULL OR m.termination_date >= ?)
          AND m.npi IN (SELECT npi FROM pharmacy WHERE ${IN_FORCE} AND itu = ?)${planSql}`,
      [d, d, d, d, d, d, true, ...scope.params],
    );
    for (const r of rows) {
      if (without.has(r.npi)) continue;
      const k = planKeyString({
        contractId: r.contract_id,
        pbpId: r.pbp_id,
        segmentId: r.segment_id,
      });
      let set = inNetwork.get(k);
      if (!set) inNetwork.set(k, (set = new Set()));
      set.add(r.npi);
    }
  }
  const withAttribute = Number(counted[0]?.n ?? 0);
  return {
    pharmaciesWithAttribute: withAttribute,
    pharmaciesWithoutAttribute: Number(counted[0]?.total ?? 0) - withAttribute,
    pharmacies,
    inNetwork,
  };
}

export async function loadSnapshot(options: {
  db: Db;
  asOf: IsoDate;
  scope: AuditScope;
  /** Coverage requests received at or after this instant (end of the as-of day) are left out. */
  receivedBefore: string;
  /** What-if: evaluate as if these pharmacies had left every network. */
  withoutNpis?: ReadonlySet<string>;
}): Promise<NetworkSnapshot> {
  const { db, asOf, scope } = options;
  // Good plans on PostgreSQL straight after a bulk import (statistics not yet gathered).
  await refreshStatistics({ db });
  // Plain SQL throughout: Prisma's row objects (and its query engine's memory, which grows with
  // the size of a result and is not given back) were most of the audit's peak RSS.
  const p = db.sql.provider;
  const d = dbDate(p, asOf);
  // SQL fragments built from constants only (test/security/sql-parameterised.test.ts); values
  // always go through placeholders.
  const contractSql = scope.contractId ? ' AND contract_id = ?' : '';
  const planSql = contractSql + (scope.pbpId ? ' AND pbp_id = ?' : '');
  const planScope = {
    planSql,
    params: [
      ...(scope.contractId ? [scope.contractId] : []),
      ...(scope.pbpId ? [scope.pbpId] : []),
    ],
  };

  const [planRows, areaRows, memberRows, catalogRows, countyRows] = await Promise.all([
    db.sql.query<PlanRow>(
      `SELECT contract_id, pbp_id, segment_id, plan_name, plan_type, member_services_phone,
              provider_services_phone, hi_access_directions, directions_reviewed_on
         FROM plan WHERE ${IN_FORCE}${planSql}
        ORDER BY id`,
      [d, d, ...planScope.params],
    ),
    db.sql.query<
      Pick<Rows.ServiceAreaRow, 'contract_id' | 'pbp_id' | 'segment_id' | 'county_fips'>
    >(
      `SELECT contract_id, pbp_id, segment_id, county_fips
         FROM service_area WHERE ${IN_FORCE}${planSql}
        ORDER BY contract_id, id`,
      [d, d, ...planScope.params],
    ),
    db.sql.query<MembershipRow>(
      `SELECT contract_id, pbp_id, segment_id, npi, role, effective_date, termination_date, zip
         FROM network_membership
        WHERE role = 'home_infusion' AND ${IN_FORCE}${planSql}
          AND effective_date <= ? AND (termination_date IS NULL OR termination_date >= ?)
        ORDER BY contract_id, pbp_id, segment_id, npi, id`,
      [d, d, ...planScope.params, d, d],
    ),
    db.sql.query<CatalogRow>(
      `SELECT code, name, care_type, part_d_required, part_b_note, example_drugs,
              needs_sterile_compounding
         FROM drug_class ORDER BY code`,
    ),
    db.sql.query<Pick<Rows.CountyRow, 'fips' | 'name' | 'state'>>(
      'SELECT fips, name, state FROM county ORDER BY fips',
    ),
  ]);

  const plans: Plan[] = planRows.map((x) => ({
    contractId: x.contract_id,
    pbpId: x.pbp_id,
    segmentId: x.segment_id,
    planName: x.plan_name,
    planType: x.plan_type as PlanType,
    memberServicesPhone: x.member_services_phone,
    providerServicesPhone: x.provider_services_phone,
    hiAccessDirections: x.hi_access_directions,
    directionsReviewedOn: dbDayOrNull(x.directions_reviewed_on),
  }));
  const serviceAreas: ServiceArea[] = areaRows.map((a) => ({
    contractId: a.contract_id,
    pbpId: a.pbp_id,
    segmentId: a.segment_id,
    countyFips: a.county_fips,
  }));
  const withPlan = new Set(plans.map(planKeyString));
  const missing = new Map<string, PlanKey>();
  for (const a of serviceAreas) {
    const k = planKeyString(a);
    if (!withPlan.has(k))
      missing.set(k, { contractId: a.contractId, pbpId: a.pbpId, segmentId: a.segmentId });
  }

  const without = options.withoutNpis ?? new Set<string>();
  const memberships: NetworkMembership[] = memberRows
    .filter((m) => !without.has(m.npi))
    .map((m) => ({
      contractId: m.contract_id,
      pbpId: m.pbp_id,
      segmentId: m.segment_id,
      npi: m.npi,
      role: m.role as NetworkRole,
      effectiveDate: fromDbDate(m.effective_date),
      terminationDate: dbDayOrNull(m.termination_date),
      zip: m.zip,
    }));
  const npis = new Set(memberships.map((m) => m.npi));

  // The large tables are read with plain SQL, only the rows the rules use and only the columns
  // they read (Prisma's row objects for every pharmacy and request cost hundreds of MB):
  // pharmacies referenced by a home infusion membership or claiming a usable capability (the
  // recruitment candidates), every capability in force (small), assurances of pharmacies with a
  // home infusion membership, coverage requests in scope.
  const [
    pharmacyRows,
    capabilityRows,
    assuranceRows,
    coverageRequests,
    rosterRows,
    exceptionRows,
    enrollment,
  ] = await Promise.all([
    // (Unqualified columns in a subquery are the subquery's table's.)
    db.sql.query<PharmacyRow>(
      `SELECT npi, ncpdp_id, name, address, city, state, zip, county_fips, phone,
                after_hours_phone, service_type, taxonomy_codes, sterile_compounding,
                usp797_category, provides_nursing, provides_supplies, delivers_within_24h,
                open_24x7, counties_served, accreditations, accreditation_expires, itu
           FROM pharmacy
          WHERE ${IN_FORCE}
            AND (npi IN (SELECT npi FROM network_membership
                          WHERE role = 'home_infusion' AND ${IN_FORCE})
                 OR npi IN (SELECT npi FROM capability WHERE usable_form = ? AND ${IN_FORCE}))
          ORDER BY npi, id`,
      [d, d, d, d, true, d, d],
    ),
    db.sql.query<CapabilityRow>(
      `SELECT npi, drug_class, usable_form, notes FROM capability WHERE ${IN_FORCE} ORDER BY id`,
      [d, d],
    ),
    db.sql.query<AssuranceRow>(
      `SELECT npi, entity_name, entity_type, entity_npi, services, counties, effective_date,
                expiration_date, document_ref
           FROM assurance
          WHERE ${IN_FORCE}
            AND npi IN (SELECT npi FROM network_membership
                         WHERE role = 'home_infusion' AND ${IN_FORCE})
          ORDER BY id`,
      [d, d, d, d],
    ),
    readCoverageRequests(db, d, planScope, dbInstant(p, options.receivedBefore)),
    db.sql.query<{ contract_id: string; pbp_id: string; segment_id: string; as_of: unknown }>(
      `SELECT ip.contract_id, ip.pbp_id, ip.segment_id, MAX(ri.as_of) AS as_of
         FROM import_plan ip JOIN roster_import ri ON ri.id = ip.import_id
        WHERE ri.status = 'completed' AND ri.as_of <= ?
        GROUP BY ip.contract_id, ip.pbp_id, ip.segment_id`,
      [d],
    ),
    db.sql.query<ExceptionRow>(
      `SELECT rule_id, contract_id, pbp_id, county_fips, drug_class, npi, rationale,
                approved_by, approved_on, expires_on
           FROM finding_exception
          WHERE ${IN_FORCE}${contractSql}
          ORDER BY id`,
      [d, d, ...(scope.contractId ? [scope.contractId] : [])],
    ),
    readEnrollment(db, d, planScope),
  ]);

  // Recruitment candidates: known pharmacies outside the scope's HI networks that claim at least
  // one class in usable form (bounded: pharmacies without such a capability are left out).
  const withUsableCapability = new Set<string>();
  for (const c of capabilityRows)
    if (bool(c.usable_form) && !npis.has(c.npi)) withUsableCapability.add(c.npi);
  const pharmacies = new Map<string, Pharmacy>();
  const candidatePharmacies = new Map<string, Pharmacy>();
  for (const r of pharmacyRows) {
    const target = npis.has(r.npi)
      ? pharmacies
      : withUsableCapability.has(r.npi) && !without.has(r.npi)
        ? candidatePharmacies
        : null;
    if (target === null) continue;
    target.set(r.npi, {
      npi: r.npi,
      ncpdpId: r.ncpdp_id,
      name: r.name,
      address: r.address,
      city: r.city,
      state: r.state,
      zip: r.zip,
      countyFips: r.county_fips,
      phone: r.phone,
      afterHoursPhone: r.after_hours_phone,
      serviceType: r.service_type as ServiceType,
      taxonomyCodes: split(r.taxonomy_codes),
      sterileCompounding: bool(r.sterile_compounding),
      usp797Category: r.usp797_category === null ? null : (Number(r.usp797_category) as 1 | 2 | 3),
      providesNursing: bool(r.provides_nursing),
      providesSupplies: bool(r.provides_supplies),
      deliversWithin24h: bool(r.delivers_within_24h),
      open24x7: bool(r.open_24x7),
      countiesServed: split(r.counties_served),
      accreditations: split(r.accreditations) as Accreditor[],
      accreditationExpires: dbDayOrNull(r.accreditation_expires),
      itu: r.itu === null ? null : bool(r.itu),
    });
  }
  const capabilities: Capability[] = [];
  const candidateCapabilities: Capability[] = [];
  for (const c of capabilityRows) {
    const target = npis.has(c.npi)
      ? capabilities
      : candidatePharmacies.has(c.npi)
        ? candidateCapabilities
        : null;
    target?.push({
      npi: c.npi,
      drugClass: c.drug_class,
      usableForm: bool(c.usable_form),
      notes: c.notes,
    });
  }
  const exceptions: AuditException[] = exceptionRows
    .filter((e) => !scope.pbpId || e.pbp_id === null || e.pbp_id === scope.pbpId)
    .map((e) => ({
      ruleId: e.rule_id,
      contractId: e.contract_id,
      pbpId: e.pbp_id,
      countyFips: e.county_fips,
      drugClass: e.drug_class,
      npi: e.npi,
      rationale: e.rationale,
      approvedBy: e.approved_by,
      approvedOn: fromDbDate(e.approved_on),
      expiresOn: fromDbDate(e.expires_on),
    }));
  const assurances: Assurance[] = [];
  for (const a of assuranceRows) {
    if (!npis.has(a.npi)) continue;
    assurances.push({
      npi: a.npi,
      entityName: a.entity_name,
      entityType: a.entity_type as EntityType,
      entityNpi: a.entity_npi,
      services: split(a.services) as AncillaryService[],
      counties: split(a.counties),
      effectiveDate: fromDbDate(a.effective_date),
      expirationDate: dbDayOrNull(a.expiration_date),
      documentRef: a.document_ref,
    });
  }
  const catalog: DrugClass[] = catalogRows.map((c) => ({
    code: c.code,
    name: c.name,
    careType: c.care_type as CareType,
    partDRequired: bool(c.part_d_required),
    partBNote: c.part_b_note,
    exampleDrugs: split(c.example_drugs),
    needsSterileCompounding: bool(c.needs_sterile_compounding),
  }));
  const counties = new Map<string, County>(
    countyRows.map((c) => [c.fips, { fips: c.fips, name: c.name, state: c.state }]),
  );
  const latestNetworkRosterAsOf = new Map<string, IsoDate>();
  for (const r of rosterRows) {
    latestNetworkRosterAsOf.set(
      planKeyString({ contractId: r.contract_id, pbpId: r.pbp_id, segmentId: r.segment_id }),
      fromDbDate(r.as_of),
    );
  }

  const membershipScope = {
    params: planScope.params,
    contractId: scope.contractId,
    pbpId: scope.pbpId,
  };
  const retailNetwork = await readRetailNetwork(db, d, membershipScope, without, [
    ...plans,
    ...missing.values(),
  ]);
  const ituNetwork = await readItuNetwork(db, d, membershipScope, without);

  return {
    asOf,
    plans,
    planKeysWithoutRecord: [...missing.values()],
    retailNetwork,
    ituNetwork,
    serviceAreas,
    memberships,
    pharmacies,
    capabilities,
    assurances,
    coverageRequests,
    catalog,
    counties,
    latestNetworkRosterAsOf,
    exceptions,
    candidatePharmacies,
    candidateCapabilities,
    ...(enrollment ? { enrollment } : {}),
  };
}
