/**
 * Column definitions shared by every report format, so a table reads the same in the workbook, the
 * HTML page and the Markdown summary: one list per table, each column naming the formats that show
 * it. A format styles its cells (tones, links) by column key; header and value come from here.
 */
import {
  VERDICT_LABELS,
  ZIP_CLASSES,
  planKeyString,
  type Finding,
  type ZipClass,
} from '../domain/types.js';
import { cellShareText, type DistanceCellRow, type DistancePlanRow } from './distance.js';
import { SEVERITY_LABELS, notComputed, type PlanResult, type RuleResult } from './summary.js';
import {
  RETAIL_STANDARD,
  type RetailAccessRow,
  type RetailRowVerdict,
} from '../evaluate/retail-access.js';
import type { ReportModel } from './model.js';
import { counted, findingPlan } from './format.js';

export type ReportFormat = 'xlsx' | 'json' | 'md' | 'html';

export interface ReportColumn<T, V extends string | number | null = string | number> {
  key: string;
  header: string;
  /** The formats that show this column. */
  formats: readonly ReportFormat[];
  /** A count: right-aligned where the format aligns. */
  numeric?: boolean;
  value(row: T): V;
}

const TABLES: readonly ReportFormat[] = ['xlsx', 'html', 'md'];
const FULL: readonly ReportFormat[] = ['xlsx', 'html'];

/**
 * The rule results table (Summary sheet, HTML "Rules", Markdown "Rules"). What to do is in the
 * HTML table only: the workbook states it once per rule on the Methodology sheet, the one-page
 * Markdown summary leaves it out.
 */
export const RULE_RESULT_COLUMNS: readonly ReportColumn<RuleResult>[] = [
  { key: 'id', header: 'Rule', formats: TABLES, value: (r) => r.rule.id },
  { key: 'title', header: 'Title', formats: TABLES, value: (r) => r.rule.title },
  { key: 'citation', header: 'Citation', formats: FULL, value: (r) => r.rule.citation },
  {
    key: 'severity',
    header: 'Severity',
    formats: TABLES,
    value: (r) => SEVERITY_LABELS[r.rule.severity],
  },
  { key: 'status', header: 'Status', formats: TABLES, value: (r) => r.status },
  {
    key: 'critical',
    header: 'Critical',
    formats: FULL,
    numeric: true,
    value: (r) => r.counts.critical,
  },
  { key: 'major', header: 'Major', formats: FULL, numeric: true, value: (r) => r.counts.major },
  { key: 'minor', header: 'Minor', formats: FULL, numeric: true, value: (r) => r.counts.minor },
  { key: 'info', header: 'Info', formats: FULL, numeric: true, value: (r) => r.counts.info },
  { key: 'total', header: 'Total', formats: TABLES, numeric: true, value: (r) => r.total },
  {
    key: 'new',
    header: 'New since last run',
    formats: TABLES,
    numeric: true,
    value: (r) => r.newCount,
  },
  { key: 'excepted', header: 'Excepted', formats: FULL, numeric: true, value: (r) => r.excepted },
  {
    key: 'remediation',
    header: 'What to do',
    formats: ['html'],
    value: (r) => (r.total > 0 ? r.rule.remediation : ''),
  },
];

const ALL: readonly ReportFormat[] = ['xlsx', 'json', 'md', 'html'];

/**
 * The per-plan table (Summary sheet "Plans", HTML and Markdown "Plans", JSON summary.plans).
 * Members and members affected read "not computed (...)" without an enrollment roster, never 0.
 */
export const PLAN_RESULT_COLUMNS: readonly ReportColumn<PlanResult>[] = [
  { key: 'plan', header: 'Plan', formats: ALL, value: (p) => p.label },
  { key: 'name', header: 'Name', formats: TABLES, value: (p) => p.name ?? 'no plan record' },
  { key: 'type', header: 'Type', formats: TABLES, value: (p) => p.type ?? '' },
  { key: 'verdict', header: 'Verdict', formats: ALL, value: (p) => VERDICT_LABELS[p.verdict] },
  {
    key: 'critical',
    header: 'Critical',
    formats: ALL,
    numeric: true,
    value: (p) => p.open.critical,
  },
  { key: 'major', header: 'Major', formats: ALL, numeric: true, value: (p) => p.open.major },
  {
    key: 'coverage',
    header: 'Coverage',
    formats: TABLES,
    numeric: true,
    value: (p) =>
      p.coverage === null ? '' : `${(Math.floor(p.coverage * 1000) / 10).toFixed(1)}%`,
  },
  {
    key: 'members',
    header: 'Members',
    formats: ALL,
    numeric: true,
    value: (p) => p.members ?? notComputed(p.membersNote),
  },
  {
    key: 'membersAffected',
    header: 'Members affected',
    formats: ALL,
    numeric: true,
    value: (p) => p.membersAffected ?? notComputed(p.membersNote),
  },
];

/** The columns of a table a format shows, in table order. */
export function columnsFor<T, V extends string | number | null>(
  columns: readonly ReportColumn<T, V>[],
  format: ReportFormat,
): ReportColumn<T, V>[] {
  return columns.filter((c) => c.formats.includes(format));
}

/** A finding with the names of its county and pharmacy (null when unknown or not named). */
export type FindingSubject = Finding & { countyName: string | null; pharmacyName: string | null };

/**
 * What a finding is about: its plan, county, drug class, pharmacy and coverage request. The
 * workbook's Findings and Changes sheets give each code and name a column of its own (null: a
 * blank cell); the HTML findings table, grouped by plan, gives the county and the pharmacy as
 * "name (code)". The Markdown summary says them in its sentence per finding.
 */
export const FINDING_SUBJECT_COLUMNS: readonly ReportColumn<FindingSubject, string | null>[] = [
  { key: 'plan', header: 'Plan', formats: ['xlsx'], value: (f) => findingPlan(f) },
  { key: 'countyFips', header: 'County FIPS', formats: ['xlsx'], value: (f) => f.countyFips },
  { key: 'county', header: 'County', formats: ['xlsx'], value: (f) => f.countyName },
  {
    key: 'countyLabel',
    header: 'County',
    formats: ['html'],
    value: (f) => (f.countyFips === null ? '' : `${f.countyName ?? ''} (${f.countyFips})`.trim()),
  },
  { key: 'drugClass', header: 'Drug class', formats: ['xlsx', 'html'], value: (f) => f.drugClass },
  { key: 'npi', header: 'Pharmacy NPI', formats: ['xlsx'], value: (f) => f.npi },
  { key: 'pharmacy', header: 'Pharmacy', formats: ['xlsx'], value: (f) => f.pharmacyName },
  {
    key: 'pharmacyLabel',
    header: 'Pharmacy',
    formats: ['html'],
    value: (f) => (f.npi === null ? '' : `${f.pharmacyName ?? ''} (${f.npi})`.trim()),
  },
  { key: 'request', header: 'Request', formats: ['xlsx', 'html'], value: (f) => f.requestId },
];

/** One plan's enrollment as the distance rule used it (Distance sheet, HTML, Markdown). */
export const DISTANCE_PLAN_COLUMNS: readonly ReportColumn<DistancePlanRow>[] = [
  { key: 'plan', header: 'Plan', formats: TABLES, value: (r) => planKeyString(r) },
  { key: 'members', header: 'Members', formats: TABLES, numeric: true, value: (r) => r.members },
  {
    key: 'inArea',
    header: 'In the service area',
    formats: TABLES,
    numeric: true,
    value: (r) => r.membersInArea,
  },
  {
    key: 'outsideArea',
    header: 'Outside the service area',
    formats: TABLES,
    numeric: true,
    value: (r) => r.membersOutsideArea,
  },
  {
    key: 'countyCentroid',
    header: 'Placed at the county centroid',
    formats: FULL,
    numeric: true,
    value: (r) => r.membersAtCountyCentroid,
  },
  {
    key: 'unplaced',
    header: 'Not placed',
    formats: TABLES,
    numeric: true,
    value: (r) => r.membersUnlocated,
  },
  {
    key: 'below',
    header: 'Cells below the policy',
    formats: TABLES,
    numeric: true,
    value: (r) => r.cellsBelow,
  },
];

/** One plan x county x class (HTML and JSON-like lists: the cells below the policy). */
export const DISTANCE_CELL_COLUMNS: readonly ReportColumn<DistanceCellRow>[] = [
  { key: 'plan', header: 'Plan', formats: TABLES, value: (r) => planKeyString(r) },
  { key: 'county', header: 'County', formats: TABLES, value: (r) => r.countyLabel },
  { key: 'class', header: 'Class', formats: TABLES, value: (r) => r.drugClass },
  { key: 'members', header: 'Members', formats: TABLES, numeric: true, value: (r) => r.members },
  {
    key: 'located',
    header: 'Placed',
    formats: FULL,
    numeric: true,
    value: (r) => r.membersLocated,
  },
  {
    key: 'share',
    header: 'Within the policy distance',
    formats: TABLES,
    numeric: true,
    value: (r) => cellShareText(r),
  },
  {
    key: 'eligible',
    header: 'Eligible pharmacies',
    formats: FULL,
    numeric: true,
    value: (r) =>
      r.locatedPharmacies === r.eligiblePharmacies
        ? r.eligiblePharmacies
        : `${r.eligiblePharmacies} (${r.eligiblePharmacies - r.locatedPharmacies} not placed)`,
  },
  {
    key: 'farthest',
    header: 'Farthest member to nearest (mi)',
    formats: TABLES,
    numeric: true,
    value: (r) =>
      r.farthestMiles !== null
        ? r.farthestMiles
        : r.membersLocated === 0
          ? 'none placed'
          : 'no pharmacy',
  },
  {
    key: 'shareMiles',
    header: 'Policy share lives within (mi)',
    formats: FULL,
    numeric: true,
    value: (r) => (r.shareMiles === null ? '' : r.shareMiles),
  },
];
const pct = (share: number | null): string =>
  share === null ? '-' : `${(Math.floor(share * 1000) / 10).toFixed(1)} %`;

/** The label of a plan-State row's verdict (Retail access sheet, HTML, Markdown). */
export const RETAIL_VERDICT_LABELS: Readonly<Record<RetailRowVerdict, string>> = {
  meets: 'MEETS',
  below: 'BELOW STANDARD',
  incomplete: 'INCOMPLETE',
  not_evaluated: 'NOT EVALUATED',
};

const classColumns = (c: ZipClass): ReportColumn<RetailAccessRow>[] => {
  const { miles, percent } = RETAIL_STANDARD[c];
  const name = c[0]!.toUpperCase() + c.slice(1);
  return [
    {
      key: `${c}Members`,
      header: `${name} members`,
      formats: TABLES,
      numeric: true,
      value: (r) => r[c].members,
    },
    {
      key: `${c}Share`,
      header: `${name} within ${miles} mi (standard ${percent} %)`,
      formats: TABLES,
      numeric: true,
      value: (r) => pct(r[c].share),
    },
  ];
};

/** The retail convenient-access table, one row per plan and State (42 CFR 423.120(a)(1)). */
export const RETAIL_ACCESS_COLUMNS: readonly ReportColumn<RetailAccessRow>[] = [
  { key: 'plan', header: 'Plan', formats: TABLES, value: (r) => planKeyString(r) },
  { key: 'state', header: 'State', formats: TABLES, value: (r) => r.state },
  // The verdict first after the row's key: what the reader looks for, then the figures behind it.
  {
    key: 'verdict',
    header: 'Verdict',
    formats: TABLES,
    value: (r) => RETAIL_VERDICT_LABELS[r.verdict],
  },
  ...ZIP_CLASSES.flatMap(classColumns),
  {
    key: 'notJudged',
    header: 'Members not judged',
    formats: TABLES,
    numeric: true,
    value: (r) => r.unclassifiedMembers + r.unlocatedMembers,
  },
  {
    key: 'retailPharmacies',
    header: 'Retail pharmacies',
    formats: FULL,
    numeric: true,
    value: (r) => r.retailPharmacies,
  },
  {
    key: 'unlocatedPharmacies',
    header: 'Pharmacies without a usable ZIP',
    formats: FULL,
    numeric: true,
    value: (r) => r.unlocatedPharmacies,
  },
];

/**
 * What the reader must know before the retail table: whether and how the standard was evaluated,
 * where the ZIP classes came from, and I/T/U pharmacy access (ituAccessNotes). One sentence each.
 */
export function retailAccessNotes(model: ReportModel): string[] {
  const ra = model.retailAccess;
  const rule = model.rules.find((r) => r.id === 'RETAIL-ACCESS');
  const notes: string[] = [];
  if (ra === null) {
    return [
      'Not recorded: this run was stored before runs evaluated the retail convenient-access standard (42 CFR 423.120(a)(1)).',
    ];
  }
  if (rule !== undefined && !rule.enabled) notes.push('RETAIL-ACCESS is disabled by the policy.');
  if (ra.status === 'no_enrollment') {
    notes.push(
      'NOT EVALUATED: no enrollment roster is in force, so no member could be placed. Import an enrollment roster (members per plan and ZIP) to measure the retail convenient-access standard (42 CFR 423.120(a)(1)) and long-term care access.',
    );
  } else if (ra.status === 'no_network') {
    notes.push('NOT EVALUATED: the retail network was not loaded for this run.');
  }
  notes.push(
    ra.zipClasses === null
      ? "ZIP classes: NONE. No ZIP class file was given (policy retailAccess.zipClassesFile), so no ZIP is urban, suburban or rural and no member is judged: the standard is NOT EVALUATED (the verdict does not cover it). The tool ships no classification; CMS classes ZIPs by population density (TRICARE definitions), the sponsor supplies CMS's."
      : `ZIP classes: sponsor-supplied file ${ra.zipClasses.source} (${ra.zipClasses.zips} ZIPs${ra.zipClasses.asOf ? `, as of ${ra.zipClasses.asOf}` : ', no as-of date given'}, sha256 ${ra.zipClasses.sha256.slice(0, 12)}).`,
  );
  // Without a class file no member is judged: the NONE sentence above says so once.
  if (ra.status === 'evaluated' && ra.zipClasses !== null && ra.membersNotJudged > 0) {
    notes.push(
      `${counted(ra.membersNotJudged, 'member')} ${ra.membersNotJudged === 1 ? 'was' : 'were'} not judged (their ZIP has no class, or they have no usable ZIP): their plan-State rows are INCOMPLETE.`,
    );
  }
  notes.push(
    "Distances are great-circle miles between ZIP centroids (the limit included); retail pharmacies are the network roster's role retail and the CMS network file's retail rows, placed at their pharmacy roster ZIP, else at the CMS file's PHARMACY_ZIPCODE (a pharmacy with neither, or with a ZIP the reference does not know, is not placed: a share below the standard is then INCOMPLETE, not a gap); home infusion, long-term care and mail-order pharmacies do not count.",
  );
  notes.push(...ituAccessNotes(model));
  return notes;
}

/** NPIs a sentence names; the rest are counted (the finding's evidence lists them all). */
const ITU_NAMED = 10;

/**
 * I/T/U pharmacy access (ITU-ACCESS, 42 CFR 423.120(a)(6)) in sentences: whether it was
 * evaluated and why not, then per plan with I/T/U pharmacies in its service area how many are in
 * its network and which are not. One sentence each.
 */
export function ituAccessNotes(model: ReportModel): string[] {
  const itu = model.retailAccess?.itu ?? null;
  const head = 'I/T/U pharmacy access (42 CFR 423.120(a)(6))';
  if (itu === null) {
    return [`${head}: not recorded: this run was stored before it was assessed.`];
  }
  const notes: string[] = [];
  const rule = model.rules.find((r) => r.id === 'ITU-ACCESS');
  if (rule !== undefined && !rule.enabled) notes.push('ITU-ACCESS is disabled by the policy.');
  if (itu.status === 'no_attribute') {
    notes.push(
      `${head} is NOT EVALUATED: no pharmacy of the pharmacy roster says whether it is an Indian Health Service, Tribe or Urban Indian (I/T/U) pharmacy (its itu column is missing or blank), and no service type or taxonomy code tells.`,
    );
    return notes;
  }
  const withArea = itu.rows.filter((r) => r.inArea > 0);
  notes.push(
    `${head}: ${itu.ituPharmacies} of the ${itu.pharmaciesWithAttribute} pharmacies marked Y or N on the pharmacy roster are I/T/U; ${
      withArea.length === 0
        ? 'none is in the service area of a plan.'
        : `${withArea.length} of ${itu.rows.length} plans have I/T/U pharmacies in their service area.`
    }`,
  );
  const blank = itu.pharmaciesWithoutAttribute ?? 0;
  if (blank > 0) {
    notes.push(
      `Partly assessed: ${counted(blank, 'pharmacy', 'pharmacies')} of the pharmacy roster leave the itu column blank; an I/T/U pharmacy among them is not seen. Mark every pharmacy Y or N.`,
    );
  }
  for (const r of withArea) {
    const missing = r.notInNetwork;
    const named = missing.slice(0, ITU_NAMED).map((p) => `NPI ${p.npi}`);
    if (missing.length > ITU_NAMED) named.push(`${missing.length - ITU_NAMED} more`);
    notes.push(
      `Plan ${r.contractId}-${r.pbpId}-${r.segmentId}: ${r.inArea} I/T/U ${r.inArea === 1 ? 'pharmacy' : 'pharmacies'} in the service area, ${r.inNetwork} in network, ${missing.length} not in network${
        missing.length > 0
          ? ` (${named.join(', ')}): sponsor check, confirm a standard contract with the I/T/U addendum was offered.`
          : '.'
      }`,
    );
  }
  return notes;
}
