/**
 * The report model: everything a report shows, built by the caller (from the database) and
 * rendered by `render-report.ts` without any further I/O or clock reads. Only domain types here.
 *
 * Ordering contract: the renderer keeps the order of every array as given. `findings` must already
 * be sorted by severity then rule (then whatever tie-break the caller uses); the other arrays
 * should be in the order the caller wants them shown.
 */
import type { Policy } from '../domain/policy.js';
import type {
  AncillaryService,
  CoverageCell,
  DrugClass,
  EntityType,
  Finding,
  ImportRecord,
  IsoDate,
  MissingData,
  IsoInstant,
  Plan,
  PlanKey,
  RejectedRow,
  RequestTimeliness,
  Severity,
  StoredFinding,
  Verdict,
} from '../domain/types.js';
import type { KeyPharmacy, RecruitmentCandidate } from '../evaluate/contracting.js';
import type { DistanceResult } from '../evaluate/distance.js';
import type { ExceptionUse } from '../evaluate/exceptions.js';
import type { PlanMembers } from '../evaluate/members.js';
import type { RetailAccessResult } from '../evaluate/retail-access.js';
import type { RuleMeta } from '../evaluate/rule.js';

/** Metadata of the audit run the report describes. */
export interface ReportRun {
  runId: number;
  sponsorName: string;
  /** Human label of the scope, e.g. 'all' or 'S1234-001'. Also the first part of the file names. */
  scopeLabel: string;
  /** Scope filter; null = every contract / every PBP. */
  contractId: string | null;
  pbpId: string | null;
  asOf: IsoDate;
  /** The instant the run was recorded; the report never reads the clock. */
  generatedAt: IsoInstant;
  toolVersion: string;
  ruleSetVersion: string;
  policy: Policy;
  policyHash: string;
  verdict: Verdict;
  /** Why the audit could not judge its scope (verdict INCOMPLETE); empty otherwise. */
  missing: MissingData[];
  durationMs: number;
  /** A what-if run (policy or data overridden, not the record of the network). */
  whatIf: boolean;
  /**
   * Set when the run was stored before runs kept their report model: its coverage, request
   * timeliness, exceptions, key pharmacies, recruitment and rule texts were evaluated again when
   * the report was written, with this rule set and tool, not the run's own. Its findings,
   * verdict and counts are the run's own.
   */
  recomputedWith?: { ruleSetVersion: string; toolVersion: string };
}

/** A rule as in force for the run: the policy's severity and enabled flag applied. */
export type ReportRule = RuleMeta & { severity: Severity; enabled: boolean };

/** A finding with the names and remediation the report shows beside it. */
export type ReportFinding = StoredFinding & {
  countyName: string | null;
  pharmacyName: string | null;
  remediation: string;
  /** The citation of the finding's rule (regulation, letter section, or sponsor policy). */
  citation: string;
};

export interface KeyFigures {
  plans: number;
  serviceAreaCounties: number;
  hiPharmacies: number;
  /** Plan x service-area county x required class cells. */
  requiredCells: number;
  /** Of those, cells covered by at least the policy's minimum number of pharmacies. */
  coveredCells: number;
}

export type ReportCoverageCell = CoverageCell & { countyName: string | null };

export interface ReportCoverage {
  /** The required classes, in the order of the sheet's columns. */
  requiredClasses: DrugClass[];
  /** One per plan x county x required class; a missing combination is shown as 0. */
  cells: ReportCoverageCell[];
}

export interface DirectoryPharmacy {
  npi: string;
  name: string;
  phone: string;
  afterHoursPhone: string | null;
  open24x7: boolean;
  /** Drug class codes the pharmacy covers in usable form. */
  classes: string[];
  providesNursing: boolean;
  providesSupplies: boolean;
  /** Entity names of the current assurances it relies on for the services it does not provide. */
  reliesOnAssurance: string[];
}

/** The HI pharmacies a member in one plan and county can be directed to. */
export interface DirectoryEntry extends PlanKey {
  countyFips: string;
  countyName: string | null;
  pharmacies: DirectoryPharmacy[];
}

export type AssuranceStatus = 'active' | 'expired' | 'not_yet_effective';

/** An ancillary-services assurance held by a drug-only pharmacy, read on the as-of date. */
export interface ReportAssurance {
  npi: string;
  pharmacyName: string;
  entityName: string;
  entityType: EntityType;
  services: AncillaryService[];
  /** FIPS codes, or ['*'] for every county the pharmacy serves. */
  counties: string[];
  effectiveDate: IsoDate;
  expirationDate: IsoDate | null;
  status: AssuranceStatus;
  /** Expires within the policy's expiringWindowDays of the as-of date. */
  expiringWithinWindow: boolean;
  /** Days from the as-of date to the expiration date; null when it has none. */
  daysLeft: number | null;
}

/** An exception of the register as applied on the as-of date (the Exceptions sheet). */
export type ReportException = ExceptionUse & {
  countyName: string | null;
  pharmacyName: string | null;
};

/** One item of EXPIRING-SOON: evidence or an exception expiring within the policy window. */
export interface ReportExpiring {
  kind: 'accreditation' | 'assurance' | 'exception';
  /** Plan key ('S1234-001-000'), or the exception's contract / contract-PBP. */
  plan: string;
  npi: string | null;
  pharmacyName: string | null;
  /** Accreditor(s), assurance entity, or the exception's label. */
  item: string;
  expiresOn: IsoDate;
  daysLeft: number;
}

/** A key pharmacy of a plan, with its display names. */
export type ReportKeyPharmacy = KeyPharmacy;

/** A recruitment candidate of a plan. */
export type ReportRecruitmentCandidate = RecruitmentCandidate;

/** Members affected, from the enrollment roster (src/evaluate/members.ts). */
export interface ReportMembers {
  /** False when no enrollment roster was imported: every count reads "not computed". */
  computed: boolean;
  /** One per plan in scope, plan order. */
  plans: PlanMembers[];
}

export interface ReportLineage {
  imports: ImportRecord[];
  rejectedRows: RejectedRow[];
}

export interface ReportModel {
  run: ReportRun;
  /** Every rule of the rule set, enabled or not, in rule-set order. */
  rules: ReportRule[];
  /** Current findings, sorted by severity then rule. */
  findings: ReportFinding[];
  /** Findings of the previous run that are gone in this one. */
  resolved: Finding[];
  /** The run compared against; null when this is the first run for the scope. */
  previousRunId: number | null;
  keyFigures: KeyFigures;
  plans: Plan[];
  /** Plan keys in scope with a service area but no plan record. */
  planKeysWithoutRecord: PlanKey[];
  coverage: ReportCoverage;
  directory: DirectoryEntry[];
  assurances: ReportAssurance[];
  requests: RequestTimeliness[];
  lineage: ReportLineage;
  catalog: DrugClass[];
  /** The exceptions register: in force, expired and unused exceptions (rule, contract order). */
  exceptions: ReportException[];
  /** EXPIRING-SOON items, soonest first. */
  expiring: ReportExpiring[];
  /** Per plan, its HI pharmacies ranked by the cells lost if each left (N-1). */
  keyPharmacies: ReportKeyPharmacy[];
  /** Per plan, pharmacies outside its HI network ranked by the open gaps they would close. */
  recruitment: ReportRecruitmentCandidate[];
  /**
   * Members and members affected per plan. Absent in runs stored before enrollment existed:
   * read as not computed (no enrollment roster), never as 0.
   */
  members?: ReportMembers;
  /** Members' distance to care (HI-DISTANCE), or why it was not evaluated. */
  distance: DistanceResult;
  /**
   * The retail convenient-access standard per plan and State and LTC pharmacies per plan
   * (RETAIL-ACCESS, LTC-ACCESS); null for a run stored before runs kept it.
   */
  retailAccess: RetailAccessResult | null;
}
