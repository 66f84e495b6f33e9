/**
 * Domain types shared by every feature. Nothing here knows about Prisma or any database:
 * `src/db/` converts between these and the stored rows.
 *
 * Conventions:
 * - A calendar date (effective dates, as-of dates) is an ISO string `YYYY-MM-DD` (type IsoDate).
 * - An instant (coverage request timestamps) is an ISO 8601 string in UTC with `Z` (type IsoInstant).
 * - Codes are upper-case strings: NPI 10 digits, county FIPS 5 digits, contract `S1234`, PBP `001`.
 */

export type IsoDate = string;
export type IsoInstant = string;

export const ROSTER_KINDS = [
  'pharmacies',
  'network',
  'capabilities',
  'assurances',
  'plans',
  'service_areas',
  'coverage_requests',
  'cms_network',
  'exceptions',
  'enrollment',
] as const;
export type RosterKind = (typeof ROSTER_KINDS)[number];

export const SERVICE_TYPES = {
  '01': 'Community/retail pharmacy',
  '02': 'Compounding pharmacy',
  '03': 'Home infusion therapy provider',
  '04': 'Institutional pharmacy',
  '05': 'Long-term care pharmacy',
  '06': 'Mail order pharmacy',
  '07': 'Managed care organization pharmacy',
  '08': 'Specialty care pharmacy',
  '99': 'Other',
} as const;
export type ServiceType = keyof typeof SERVICE_TYPES;

export const NETWORK_ROLES = ['home_infusion', 'retail', 'mail', 'ltc', 'specialty'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

export const ACCREDITORS = ['ACHC', 'TJC', 'CHAP', 'URAC', 'NABP'] as const;
export type Accreditor = (typeof ACCREDITORS)[number];

export const ENTITY_TYPES = ['HHA', 'VNA', 'NURSING_AGENCY', 'HI_AGENCY', 'OTHER'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const ANCILLARY_SERVICES = ['nursing', 'supplies', 'equipment'] as const;
export type AncillaryService = (typeof ANCILLARY_SERVICES)[number];

export const PLAN_TYPES = ['PDP', 'MA-PD'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const REQUEST_TYPES = [
  'coverage_determination',
  'exception',
  'redetermination',
  'payment',
  /** A redetermination of a payment request: 14 calendar days (42 CFR 423.590(b)). */
  'payment_redetermination',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_OUTCOMES = ['approved', 'denied', 'pending'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const CARE_TYPES = ['acute', 'chronic'] as const;
export type CareType = (typeof CARE_TYPES)[number];

export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Lower index = more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** A plan is identified by contract, plan benefit package and segment. */
export interface PlanKey {
  contractId: string;
  pbpId: string;
  segmentId: string;
}
/** Whether two rows name the same plan (contract, PBP, segment); false when `b` is null. */
export function samePlan(a: PlanKey, b: PlanKey | null): boolean {
  return (
    b !== null &&
    a.contractId === b.contractId &&
    a.pbpId === b.pbpId &&
    a.segmentId === b.segmentId
  );
}

export function planKeyString(p: PlanKey): string {
  return `${p.contractId}-${p.pbpId}-${p.segmentId}`;
}

export interface DrugClass {
  code: string;
  name: string;
  careType: CareType;
  partDRequired: boolean;
  partBNote: string;
  exampleDrugs: string[];
  needsSterileCompounding: boolean;
}

export interface County {
  fips: string;
  name: string;
  state: string;
}

export interface Pharmacy {
  npi: string;
  ncpdpId: string | null;
  name: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  countyFips: string;
  phone: string;
  afterHoursPhone: string | null;
  serviceType: ServiceType;
  taxonomyCodes: string[];
  sterileCompounding: boolean;
  usp797Category: 1 | 2 | 3 | null;
  providesNursing: boolean;
  providesSupplies: boolean;
  deliversWithin24h: boolean;
  open24x7: boolean;
  /** FIPS codes; the roster default (its own county) is already applied. */
  countiesServed: string[];
  accreditations: Accreditor[];
  accreditationExpires: IsoDate | null;
  /**
   * An Indian Health Service, Tribe or Tribal organization, or Urban Indian organization (I/T/U)
   * pharmacy (42 CFR 423.120(a)(6)); null when the roster does not say (blank or no column).
   */
  itu: boolean | null;
}

export interface NetworkMembership extends PlanKey {
  npi: string;
  role: NetworkRole;
  effectiveDate: IsoDate;
  terminationDate: IsoDate | null;
  /**
   * The CMS network file's PHARMACY_ZIPCODE (where a pharmacy the pharmacy roster does not list
   * is placed); null when the file masks it (XXXXX) and for the sponsor's network roster.
   */
  zip: string | null;
}

export interface Capability {
  npi: string;
  drugClass: string;
  usableForm: boolean;
  notes: string | null;
}

export interface Assurance {
  npi: string;
  entityName: string;
  entityType: EntityType;
  entityNpi: string | null;
  services: AncillaryService[];
  /** FIPS codes, or ['*'] for every county the pharmacy serves. */
  counties: string[];
  effectiveDate: IsoDate;
  expirationDate: IsoDate | null;
  documentRef: string | null;
}

export interface Plan extends PlanKey {
  planName: string;
  planType: PlanType;
  memberServicesPhone: string;
  providerServicesPhone: string;
  hiAccessDirections: string;
  directionsReviewedOn: IsoDate | null;
}

export interface ServiceArea extends PlanKey {
  countyFips: string;
}

export interface CoverageRequest {
  requestId: string;
  contractId: string;
  pbpId: string;
  drugClass: string | null;
  drugName: string | null;
  requestType: RequestType;
  expedited: boolean;
  receivedAt: IsoInstant;
  supportingStatementAt: IsoInstant | null;
  decidedAt: IsoInstant | null;
  outcome: RequestOutcome | null;
  /** Never the full member id: only its last 4 characters, for display (`****1234`). */
  memberIdMasked: string | null;
}

/**
 * An accepted deviation from the exceptions register: it matches the findings of `ruleId` whose
 * subject has the fields it names (a null field matches any value). Approved on `approvedOn`,
 * valid through `expiresOn` (the last day it applies).
 */
export interface AuditException {
  ruleId: string;
  contractId: string;
  pbpId: string | null;
  countyFips: string | null;
  drugClass: string | null;
  npi: string | null;
  rationale: string;
  approvedBy: string;
  approvedOn: IsoDate;
  expiresOn: IsoDate;
}

/** What a finding records of the exception that matched it (stored with the finding). */
export interface ExceptionMark {
  /** The exception's subject, e.g. 'HI-ACUTE S1234-001 17031 ABX_IV' (see exceptionLabel). */
  label: string;
  rationale: string;
  approvedBy: string;
  approvedOn: IsoDate;
  expiresOn: IsoDate;
  /** True when the exception had expired on the as-of date: the finding counts again. */
  expired: boolean;
}

/** 'HI-ACUTE S1234-001 17031 ABX_IV': the rule and the fields an exception names. */
export function exceptionLabel(e: AuditException): string {
  return [
    e.ruleId,
    e.pbpId ? `${e.contractId}-${e.pbpId}` : e.contractId,
    e.countyFips,
    e.drugClass,
    e.npi ? `NPI ${e.npi}` : null,
  ]
    .filter((x): x is string => x !== null)
    .join(' ');
}

/** A roster import as recorded (data lineage). */
export interface ImportRecord {
  id: number;
  fileName: string;
  sheet: string | null;
  sha256: string;
  kind: RosterKind;
  asOf: IsoDate;
  rowsRead: number;
  accepted: number;
  rejected: number;
  status: 'completed' | 'failed' | 'unchanged';
  startedAt: IsoInstant;
  durationMs: number;
  /** Rows of the import in force on the audit's as-of date (lineage of a run). */
  rowsInForce?: number;
  /** Rows of the import ended (no longer listed, or replaced) by the audit's as-of date. */
  rowsEnded?: number;
}

/**
 * A file that held rows and had every one of them rejected: none of it is in force, so it is a
 * failed file, not a few lost rows (`import` exits 2, audits are INCOMPLETE).
 */
export function loadedNothing(i: { accepted: number; rejected: number }): boolean {
  return i.accepted === 0 && i.rejected > 0;
}

export interface RejectedRow {
  importId: number;
  fileName: string;
  rowNumber: number;
  column: string | null;
  value: string | null;
  reason: string;
  raw: Record<string, string>;
}

/**
 * Members of one plan living in one ZIP or county on the enrollment roster's as-of date (roster
 * kind `enrollment`). A row names a ZIP, a county, or both; the county of a ZIP-only row is the
 * ZIP's main county (src/geo/zips.ts).
 */
export interface Enrollment extends PlanKey {
  /** 5-digit ZIP of residence; null when the row gives a county only. */
  zip: string | null;
  /** 5-digit county FIPS: given, or the ZIP's main county; null when neither is known. */
  countyFips: string | null;
  members: number;
}

/**
 * Everything the rules see: the network as of one date, already filtered to what is active on
 * that date and to the audit scope. Built by `src/audit/` from the database; rules never do I/O.
 */
export interface NetworkSnapshot {
  asOf: IsoDate;
  /** Plans in scope that have a plan record. */
  plans: Plan[];
  /** Plan keys (planKeyString) in scope that have a service area but no plan record are listed too. */
  planKeysWithoutRecord: PlanKey[];
  serviceAreas: ServiceArea[];
  /** Active home infusion memberships on asOf for plans in scope (other roles are not audited). */
  memberships: NetworkMembership[];
  /** Pharmacies referenced by the active home infusion memberships, by NPI. */
  pharmacies: Map<string, Pharmacy>;
  /** Capabilities of those pharmacies. */
  capabilities: Capability[];
  /** Assurances of those pharmacies (all, the rules check the dates). */
  assurances: Assurance[];
  coverageRequests: CoverageRequest[];
  catalog: DrugClass[];
  counties: Map<string, County>;
  /** Per plan (planKeyString), the as-of date of the latest network roster import covering it. */
  latestNetworkRosterAsOf: Map<string, IsoDate>;
  /** The exceptions register in force on asOf for the contracts in scope (expired ones included). */
  exceptions?: AuditException[];
  /**
   * Recruitment candidates: known pharmacies with at least one capability, not referenced by an
   * active HI membership in scope (those are in `pharmacies`), with their capabilities.
   */
  candidatePharmacies?: Map<string, Pharmacy>;
  candidateCapabilities?: Capability[];
  /**
   * Enrollment in force on asOf for the plans in scope; undefined when no enrollment roster was
   * ever imported (members affected and distances are then not computed, and the report says so).
   * Iterate it: an array, or the compact table the snapshot load builds (src/db/enrollment-table.ts;
   * each pass yields fresh records in the same order).
   */
  enrollment?: Iterable<Enrollment>;
  /**
   * The in-network retail pharmacies of the plans in scope, located at ZIP centroids
   * (RETAIL-ACCESS), and their long-term care pharmacies (LTC-ACCESS); undefined when not loaded.
   */
  retailNetwork?: RetailNetwork;
  /** The urban / suburban / rural class of each ZIP (RETAIL-ACCESS); undefined when none given. */
  zipClasses?: ZipClassTable;
  /**
   * The I/T/U pharmacies of the pharmacy roster and the networks they are in (ITU-ACCESS);
   * undefined when not loaded (then, as with no pharmacy marked Y or N, not evaluated).
   */
  ituNetwork?: ItuNetwork;
}

/** An I/T/U pharmacy as ITU-ACCESS names it. */
export interface ItuPharmacy {
  npi: string;
  name: string;
  /** The pharmacy roster's county: where it is, for the plans' service areas. */
  countyFips: string;
}

export interface ItuNetwork {
  /** Pharmacies in force whose roster row says Y or N in the itu column (0: nobody says). */
  pharmaciesWithAttribute: number;
  /** Pharmacies in force whose itu column is blank: an I/T/U pharmacy among them is not seen. */
  pharmaciesWithoutAttribute: number;
  /** The pharmacies in force marked I/T/U (itu = Y), NPI order. */
  pharmacies: ItuPharmacy[];
  /** Per plan (planKeyString), the NPIs of those in its network on the date, any role. */
  inNetwork: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The TRICARE-derived class of a ZIP for the Part D convenient-access standard (423.120(a)(1)). */
export const ZIP_CLASSES = ['urban', 'suburban', 'rural'] as const;
export type ZipClass = (typeof ZIP_CLASSES)[number];

/** A ZIP class file as read: where it came from and the class of each ZIP it lists. */
export interface ZipClassTable {
  /** The file (name) the classes came from, shown in the report. */
  source: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  /** 'YYYY-MM-DD' the file says it is as of (a `# as of:` line), or null. */
  asOf: IsoDate | null;
  classes: ReadonlyMap<string, ZipClass>;
}

/** A point at a ZIP centroid. */
export interface ZipPoint {
  zip: string;
  lat: number;
  lon: number;
}

/** One plan's retail and long-term care pharmacies, as RETAIL-ACCESS and LTC-ACCESS read them. */
export interface PlanRetailNetwork extends PlanKey {
  /** Distinct ZIP centroids of the plan's in-network retail pharmacies, ZIP order. */
  locations: ZipPoint[];
  /** In-network retail pharmacies (distinct NPIs) counted toward the standard. */
  retailPharmacies: number;
  /** Of those, pharmacies with no usable ZIP (masked, or unknown to the ZIP reference): not placed. */
  unlocatedPharmacies: number;
  /** Retail memberships left out: the pharmacy roster says home infusion, LTC or mail order. */
  excludedPharmacies: number;
  /** In-network long-term care pharmacies (role ltc, or service type 05 on the roster). */
  ltcPharmacies: number;
}

export interface RetailNetwork {
  /** By planKeyString; a plan with no retail or LTC membership has an entry of zeros. */
  plans: Map<string, PlanRetailNetwork>;
}

export interface Finding {
  /** Stable identity across runs: rule id plus the subject's fields. */
  key: string;
  ruleId: string;
  severity: Severity;
  messageId: string;
  message: string;
  contractId: string | null;
  pbpId: string | null;
  segmentId: string | null;
  countyFips: string | null;
  drugClass: string | null;
  npi: string | null;
  requestId: string | null;
  /** The facts behind the finding, for the regulator. */
  evidence: Record<string, string | number | boolean | null | string[]>;
  /**
   * The exceptions-register entry that matched the finding, if any. Not expired: the finding is
   * EXCEPTED and does not count toward the verdict. Expired: it counts again.
   */
  exception?: ExceptionMark | null;
}

/** True when the finding is covered by an exception in force (it does not count). */
export function isExcepted(f: Pick<Finding, 'exception'>): boolean {
  return f.exception != null && !f.exception.expired;
}

export type FindingStatus = 'new' | 'persisting';

export interface StoredFinding extends Finding {
  status: FindingStatus;
  firstSeen: IsoDate;
}

/**
 * COMPLIANT and NON_COMPLIANT judge the scope; INCOMPLETE says the audit could not judge it (no
 * plan in scope, no pharmacy roster, a roster file of the batch failed): never a quiet pass.
 */
export type Verdict = 'COMPLIANT' | 'NON_COMPLIANT' | 'INCOMPLETE';

/**
 * Why an audit could not judge its scope (the verdict is INCOMPLETE): no plan in scope, no
 * pharmacy roster in force, a roster file of the batch that failed to load, rejected rows in the
 * rosters in force (more than the policy's acceptRejectedRows), or plan-State rows
 * RETAIL-ACCESS could not judge (members whose ZIP has no urban / suburban / rural class or no
 * usable ZIP; retail pharmacies that could not be placed).
 */
export interface MissingData {
  what:
    | 'plans'
    | 'pharmacy_roster'
    | 'capability_roster'
    | 'coverage_requests'
    | 'roster_file'
    | 'rejected_rows'
    | 'retail_access';
  /** One sentence for the reader, e.g. 'no pharmacy roster is in force on 2026-11-01'. */
  message: string;
}

/** The one label each verdict shows everywhere (workbook, JSON summary line, Markdown, HTML, terminal). */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  COMPLIANT: 'COMPLIANT',
  NON_COMPLIANT: 'NON-COMPLIANT',
  INCOMPLETE: 'INCOMPLETE',
};

/** One row of the CMS quarterly Part D pharmacy network public file, validated. */
export interface CmsNetworkRow extends PlanKey {
  npi: string;
  /** 5 digits, or null when the file masks it as XXXXX. */
  zip: string | null;
  retail: boolean;
  mail: boolean;
  preferredRetail: boolean;
  preferredMail: boolean;
  inArea: boolean;
}

/** HI-TIMELY's reading of one coverage request (also the report's Coverage Requests sheet). */
export interface RequestTimeliness {
  requestId: string;
  contractId: string;
  pbpId: string;
  requestType: RequestType;
  expedited: boolean;
  /** The regulation whose clock applies, e.g. '42 CFR 423.572'. */
  citation: string;
  /** Human label of the clock, e.g. '24 hours (expedited coverage determination)'. */
  clockLabel: string;
  clockStart: IsoInstant;
  deadline: IsoInstant;
  decidedAt: IsoInstant | null;
  /** Hours from clock start to decision, or to the end of the as-of date when undecided. */
  elapsedHours: number;
  verdict: 'on_time' | 'late' | 'overdue' | 'pending';
  memberIdMasked: string | null;
  drugClass: string | null;
  drugName: string | null;
  outcome: RequestOutcome | null;
}

/** Number of in-network HI pharmacies covering one plan x county x required class, in usable form. */
export interface CoverageCell extends PlanKey {
  countyFips: string;
  drugClass: string;
  npis: string[];
  /**
   * Members of the plan living in the county (enrollment roster); null when not computed (no
   * enrollment roster, or none for this plan). Absent in runs stored before enrollment existed.
   */
  members?: number | null;
}
