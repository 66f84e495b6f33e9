// Generated from prisma/schema.prisma by scripts/make-row-types.ts: do not edit by hand.

/** A boolean as the drivers return it: SQLite 0/1, PostgreSQL true/false. */
export type DbBoolean = boolean | number | bigint;
/** An integer: a number, or a bigint/string for 64-bit values some drivers return. */
export type DbInt = number | bigint | string;
/** A date or date-time: SQLite text or epoch milliseconds, PostgreSQL Date. */
export type DbDateTime = string | number | Date;

/** A row of `drug_class`: Drug class catalog (data/drug-classes.csv), loaded on migrate. */
export interface DrugClassRow {
  code: string;
  name: string;
  care_type: string;
  part_d_required: DbBoolean;
  part_b_note: string;
  example_drugs: string;
  needs_sterile_compounding: DbBoolean;
}

/** A row of `county`: US counties (data/counties.csv), loaded on migrate. */
export interface CountyRow {
  fips: string;
  name: string;
  state: string;
}

/** A row of `pharmacy`: One version of a pharmacy's roster record, keyed by NPI and the date it took effect. */
export interface PharmacyRow {
  id: DbInt;
  npi: string;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
  ncpdp_id: string | null;
  name: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  county_fips: string;
  phone: string;
  after_hours_phone: string | null;
  service_type: string;
  taxonomy_codes: string;
  sterile_compounding: DbBoolean;
  usp797_category: DbInt | null;
  provides_nursing: DbBoolean;
  provides_supplies: DbBoolean;
  delivers_within_24h: DbBoolean;
  open_24x7: DbBoolean;
  counties_served: string;
  accreditations: string;
  accreditation_expires: DbDateTime | null;
  /** An Indian Health Service, Tribe / Tribal organization or Urban Indian organization (I/T/U) pharmacy: true / false, null when the roster does not say */
  itu: DbBoolean | null;
}

/** A row of `plan`. */
export interface PlanRow {
  id: DbInt;
  contract_id: string;
  pbp_id: string;
  segment_id: string;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
  plan_name: string;
  plan_type: string;
  member_services_phone: string;
  provider_services_phone: string;
  hi_access_directions: string;
  directions_reviewed_on: DbDateTime | null;
}

/** A row of `service_area`: A county in a plan's service area, effective-dated. */
export interface ServiceAreaRow {
  id: DbInt;
  contract_id: string;
  pbp_id: string;
  segment_id: string;
  county_fips: string;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `enrollment`: Members of a plan by ZIP of residence and county (roster kind enrollment). zip is null for a row that gives a county only; county_fips is the row's, or the ZIP's main county. */
export interface EnrollmentRow {
  id: DbInt;
  contract_id: string;
  pbp_id: string;
  segment_id: string;
  zip: string | null;
  county_fips: string;
  members: DbInt;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `network_membership`: A pharmacy's membership in a plan's network. effective/termination dates are the contract's; valid_from/valid_to record when this row was the roster's view (snapshot history). */
export interface NetworkMembershipRow {
  id: DbInt;
  contract_id: string;
  pbp_id: string;
  segment_id: string;
  npi: string;
  role: string;
  effective_date: DbDateTime;
  termination_date: DbDateTime | null;
  /** 'roster' (sponsor network roster) or 'cms' (CMS pharmacy network file) */
  source: string;
  /** The CMS file's PHARMACY_ZIPCODE (null when masked XXXXX, and for sponsor roster rows) */
  zip: string | null;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `capability`: A pharmacy's capability for a drug class, effective-dated. */
export interface CapabilityRow {
  id: DbInt;
  npi: string;
  drug_class: string;
  usable_form: DbBoolean;
  notes: string | null;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `assurance`: An assurance that another entity arranges nursing / supplies for a drug-only pharmacy. */
export interface AssuranceRow {
  id: DbInt;
  npi: string;
  entity_name: string;
  entity_type: string;
  entity_npi: string | null;
  services: string;
  counties: string;
  effective_date: DbDateTime;
  expiration_date: DbDateTime | null;
  document_ref: string | null;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `coverage_request`: A coverage determination / redetermination request. The member id is never stored: only a masked form (last 4 characters) and a salted-free sha256 for matching. */
export interface CoverageRequestRow {
  id: DbInt;
  request_id: string;
  contract_id: string;
  pbp_id: string;
  drug_class: string | null;
  drug_name: string | null;
  request_type: string;
  expedited: DbBoolean;
  received_at: DbDateTime;
  supporting_statement_at: DbDateTime | null;
  decided_at: DbDateTime | null;
  outcome: string | null;
  member_id_masked: string | null;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `finding_exception`: The exceptions register: an accepted deviation for the findings of one rule whose subject has the fields it names (null = any), approved on approved_on, valid through expires_on. */
export interface FindingExceptionRow {
  id: DbInt;
  rule_id: string;
  contract_id: string;
  pbp_id: string | null;
  county_fips: string | null;
  drug_class: string | null;
  npi: string | null;
  rationale: string;
  approved_by: string;
  approved_on: DbDateTime;
  expires_on: DbDateTime;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  import_id: DbInt;
}

/** A row of `roster_import`: One roster file (or XLSX sheet) imported: data lineage. */
export interface RosterImportRow {
  id: DbInt;
  path: string;
  file_name: string;
  sheet: string | null;
  sha256: string;
  kind: string;
  as_of: DbDateTime;
  rows_read: DbInt;
  accepted: DbInt;
  rejected: DbInt;
  warnings: DbInt;
  /** completed | unchanged | failed */
  status: string;
  message: string | null;
  started_at: DbDateTime;
  finished_at: DbDateTime | null;
  duration_ms: DbInt;
}

/** A row of `import_version_count`: How many versions of an import a versioned table holds, per valid_from and valid_to (NULL: in force): the run's lineage (listImportsInForce) sums these rows instead of scanning every version. Kept by the one writer of imports (src/db/stage-snapshot.ts) in the import's transaction; filled from the tables by the migration that made it. */
export interface ImportVersionCountRow {
  id: DbInt;
  import_id: DbInt;
  /** the versioned table (VERSIONED_TABLES in src/db/runs.ts) */
  table_name: string;
  valid_from: DbDateTime;
  valid_to: DbDateTime | null;
  rows: DbInt;
}

/** A row of `rejected_row`. */
export interface RejectedRowRow {
  id: DbInt;
  import_id: DbInt;
  row_number: DbInt;
  column: string | null;
  value: string | null;
  reason: string;
  /** JSON object of the raw row (original headers) */
  raw: string;
}

/** A row of `import_plan`: Which plans a network roster import covered (for DATA-STALE). */
export interface ImportPlanRow {
  import_id: DbInt;
  contract_id: string;
  pbp_id: string;
  segment_id: string;
}

/** A row of `audit_run`. */
export interface AuditRunRow {
  id: DbInt;
  /** e.g. 'all' or 'S1234' or 'S1234-001' */
  scope: string;
  contract_id: string | null;
  pbp_id: string | null;
  as_of: DbDateTime;
  /** running | completed | failed */
  status: string;
  /** false for what-if evaluations */
  official: DbBoolean;
  verdict: string | null;
  policy: string;
  policy_hash: string;
  rule_set_version: string;
  tool_version: string;
  /** JSON array of {importId, fileName, sha256, kind, asOf} */
  inputs: string;
  /** JSON object of counts by severity and rule */
  counts: string;
  error: string | null;
  started_at: DbDateTime;
  finished_at: DbDateTime | null;
  duration_ms: DbInt | null;
}

/** A row of `run_report_part`: What a run's report shows beyond its findings, as evaluated by the run (coverage cells, request timeliness, exceptions, key pharmacies, recruitment, rule texts, catalog and names): `report RUN` renders from these and never re-evaluates. JSON, one section in parts of at most a few thousand items (seq 0, 1, ...), written with the findings in one transaction. */
export interface RunReportPartRow {
  run_id: DbInt;
  /** section of the stored report model, e.g. 'coverage.cells', 'requests', 'rules' */
  part: string;
  seq: DbInt;
  body: string;
}

/** A row of `finding`. */
export interface FindingRow {
  id: DbInt;
  run_id: DbInt;
  key: string;
  rule_id: string;
  severity: string;
  message_id: string;
  message: string;
  contract_id: string | null;
  pbp_id: string | null;
  segment_id: string | null;
  county_fips: string | null;
  drug_class: string | null;
  npi: string | null;
  request_id: string | null;
  /** JSON object */
  evidence: string;
  /** new | persisting */
  status: string;
  first_seen: DbDateTime;
  /** true when an exception in force on the run's date matched it (it does not count) */
  excepted: DbBoolean;
  /** JSON of the matching exception (label, rationale, approver, dates, expired), or null */
  exception: string | null;
}

/** A row of `run_lock`: One batch at a time per database. */
export interface RunLockRow {
  name: string;
  holder: string;
  acquired_at: DbDateTime;
  expires_at: DbDateTime;
}
