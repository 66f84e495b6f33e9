/**
 * The report model of a run, stored with it: everything the report shows beyond the run row, its
 * findings and its inputs (lineage), as the run evaluated it (coverage cells, request timeliness,
 * exceptions, key pharmacies, recruitment, the rule texts and policy severities, the catalog, the
 * names shown beside findings). `report RUN` renders from these parts and never re-evaluates, so
 * an archived report is reproduced whatever the rules and catalog say today.
 *
 * Each section is JSON; long lists are cut into parts of PART_ITEMS items, so no single string
 * holds a 100,000-request section.
 */
import type { StoredFinding } from '../domain/types.js';
import type { DistanceResult } from '../evaluate/distance.js';
import type { ReportPart } from '../db/runs.js';
import { SystemError } from '../errors.js';
import type { ReportFinding, ReportMembers, ReportModel, ReportRule } from '../report/model.js';
import { distanceSummary } from '../report/distance.js';

/** What a run stores: the model without what the run row, findings and lineage hold. */
type StoredSections = Omit<
  ReportModel,
  | 'run'
  | 'findings'
  | 'resolved'
  | 'previousRunId'
  | 'lineage'
  | 'coverage'
  | 'distance'
  | 'retailAccess'
> & {
  /** Its rows are a list part of their own (retailAccess.rows); absent in older runs. */
  retailAccess: Omit<NonNullable<ReportModel['retailAccess']>, 'rows'> | null;
  'retailAccess.rows': NonNullable<ReportModel['retailAccess']>['rows'];
  'coverage.requiredClasses': ReportModel['coverage']['requiredClasses'];
  'coverage.cells': ReportModel['coverage']['cells'];
  /** The distance result without its cells (status, thresholds, plans, unlocated pharmacies). */
  distance: Omit<DistanceResult, 'cells'>;
  'distance.cells': DistanceResult['cells'];
  /** County and pharmacy names shown beside the findings, as of the run. */
  findingNames: FindingNames;
};

interface FindingNames {
  counties: Record<string, string>;
  pharmacies: Record<string, string>;
}

/** True when LISTS and VALUES (below) name every stored section. */
type AllListed = [Exclude<keyof StoredSections, Listed>] extends [never] ? 2 : never;
/** Version of the stored layout; a part 'format' holds it. (Typed: a section left unlisted fails.) */
const FORMAT: AllListed = 2;
/**
 * Layout 1 is layout 2 without the distance sections (runs stored before distances were kept):
 * such a run's report says its distances were not stored.
 */
const FORMAT_WITHOUT_DISTANCE = '1';
const DISTANCE_SECTIONS: readonly string[] = ['distance', 'distance.cells'];
/** Items of a list per stored part. */
const PART_ITEMS = 2000;

/** Sections stored as lists (cut into parts); the others are one JSON value each. */
const LISTS = [
  'rules',
  'plans',
  'planKeysWithoutRecord',
  'coverage.requiredClasses',
  'coverage.cells',
  'directory',
  'assurances',
  'requests',
  'catalog',
  'exceptions',
  'expiring',
  'keyPharmacies',
  'recruitment',
  'distance.cells',
] as const satisfies readonly (keyof StoredSections)[];
const VALUES = [
  'keyFigures',
  'findingNames',
  'distance',
  'members',
] as const satisfies readonly (keyof StoredSections)[];
/**
 * Sections added after the layout was first used: a run stored before them has no such part,
 * and its model says so (null) instead of the store being called damaged.
 */
const OPTIONAL_LISTS = ['retailAccess.rows'] as const satisfies readonly (keyof StoredSections)[];
const OPTIONAL_VALUES = ['retailAccess'] as const satisfies readonly (keyof StoredSections)[];

type Listed =
  | (typeof LISTS)[number]
  | (typeof VALUES)[number]
  | (typeof OPTIONAL_LISTS)[number]
  | (typeof OPTIONAL_VALUES)[number];

function findingNames(findings: readonly ReportFinding[]): FindingNames {
  const counties: Record<string, string> = {};
  const pharmacies: Record<string, string> = {};
  for (const f of findings) {
    if (f.countyFips !== null && f.countyName !== null) counties[f.countyFips] = f.countyName;
    if (f.npi !== null && f.pharmacyName !== null) pharmacies[f.npi] = f.pharmacyName;
  }
  return { counties, pharmacies };
}

function withoutRows(r: NonNullable<ReportModel['retailAccess']>): StoredSections['retailAccess'] {
  const { status, zipClasses, ltc, membersNotJudged, incompleteRows, itu } = r;
  return { status, zipClasses, ltc, membersNotJudged, incompleteRows, itu };
}

/** The parts a run stores for its report model (written with its findings). */
export function reportParts(model: ReportModel): ReportPart[] {
  return [...reportPartStream(model)];
}

/**
 * reportParts one part at a time, each JSON text made when it is asked for: the run writes
 * them as they come, so the texts (about 70 MB for 100,000 requests and a national enrollment's
 * distance cells) never exist all at once.
 */
export function* reportPartStream(model: ReportModel): Generator<ReportPart> {
  const sections: StoredSections = {
    rules: model.rules,
    keyFigures: model.keyFigures,
    plans: model.plans,
    planKeysWithoutRecord: model.planKeysWithoutRecord,
    'coverage.requiredClasses': model.coverage.requiredClasses,
    'coverage.cells': model.coverage.cells,
    directory: model.directory,
    assurances: model.assurances,
    requests: model.requests,
    catalog: model.catalog,
    exceptions: model.exceptions,
    expiring: model.expiring,
    keyPharmacies: model.keyPharmacies,
    recruitment: model.recruitment,
    findingNames: findingNames(model.findings),
    members: model.members,
    distance: distanceSummary(model.distance),
    'distance.cells': model.distance.cells,
    retailAccess: model.retailAccess ? withoutRows(model.retailAccess) : null,
    'retailAccess.rows': model.retailAccess?.rows ?? [],
  };
  yield { part: 'format', seq: 0, body: String(FORMAT) };
  for (const name of [...LISTS, ...OPTIONAL_LISTS]) {
    const list: readonly unknown[] = sections[name];
    // An empty list is still one part: a missing part means a damaged store, not "none".
    for (let seq = 0, i = 0; seq === 0 || i < list.length; seq++, i += PART_ITEMS) {
      yield { part: name, seq, body: JSON.stringify(list.slice(i, i + PART_ITEMS)) };
    }
  }
  for (const name of [...VALUES, ...OPTIONAL_VALUES]) {
    const v: unknown = sections[name];
    if (v !== undefined) yield { part: name, seq: 0, body: JSON.stringify(v) };
  }
}

/**
 * A finding as the report shows it: the stored finding, its county's and pharmacy's names and its
 * rule's remediation and citation. The run (buildReportModel) and `report RUN` (modelFromParts)
 * both build it here, so they write the same bytes. Every field written out (not `{ ...f }`): V8
 * keeps such objects compact, where a spread plus more properties became a dictionary-mode object
 * (a 100,000-finding run: ~60 MB). `audit --json` prints a smaller finding of its own
 * (findingJson, src/cli/commands/audit.ts: why there).
 */
export function reportFinding(
  f: StoredFinding,
  countyName: string | null,
  pharmacyName: string | null,
  rule: Pick<ReportRule, 'remediation' | 'citation'> | undefined,
): ReportFinding {
  return {
    key: f.key,
    ruleId: f.ruleId,
    severity: f.severity,
    messageId: f.messageId,
    message: f.message,
    contractId: f.contractId,
    pbpId: f.pbpId,
    segmentId: f.segmentId,
    countyFips: f.countyFips,
    drugClass: f.drugClass,
    npi: f.npi,
    requestId: f.requestId,
    evidence: f.evidence,
    // null, as a stored finding reads back.
    exception: f.exception ?? null,
    status: f.status,
    firstSeen: f.firstSeen,
    countyName,
    pharmacyName,
    remediation: rule?.remediation ?? '',
    citation: rule?.citation ?? '',
  };
}

/** The run-level pieces the stored parts do not hold. */
export interface StoredModelBase {
  runId: number;
  run: ReportModel['run'];
  findings: readonly StoredFinding[];
  resolved: ReportModel['resolved'];
  previousRunId: number | null;
  lineage: ReportModel['lineage'];
}

/** Rebuilds a run's report model from its stored parts (part then seq order), parsing each as read. */
export async function modelFromParts(
  parts: AsyncIterable<ReportPart>,
  base: StoredModelBase,
): Promise<ReportModel> {
  const damaged = (what: string): SystemError =>
    new SystemError(
      `the stored report of run ${base.runId} is damaged (${what}); it cannot be rendered as the run evaluated it`,
    );
  const lists = new Map<string, unknown[]>();
  const values = new Map<string, unknown>();
  let format: string | null = null;
  for await (const p of parts) {
    if (p.part === 'format') {
      format = p.body;
    } else if ([...LISTS, ...OPTIONAL_LISTS].includes(p.part as (typeof LISTS)[number])) {
      let items = lists.get(p.part);
      if (!items) lists.set(p.part, (items = []));
      if (p.seq * PART_ITEMS !== items.length) {
        throw damaged(`part ${p.part} ${p.seq} out of order`);
      }
      for (const item of JSON.parse(p.body) as unknown[]) items.push(item);
    } else if ([...VALUES, ...OPTIONAL_VALUES].includes(p.part as (typeof VALUES)[number])) {
      values.set(p.part, JSON.parse(p.body) as unknown);
    } else {
      throw damaged(`unknown part ${p.part}`);
    }
  }
  const withoutDistance = format === FORMAT_WITHOUT_DISTANCE;
  if (format !== String(FORMAT) && !withoutDistance) {
    throw damaged(`layout ${format ?? 'missing'}, expected ${FORMAT}`);
  }
  const absent = (name: string): boolean => withoutDistance && DISTANCE_SECTIONS.includes(name);
  const list = <T>(name: (typeof LISTS)[number]): T[] => {
    const items = lists.get(name);
    if (!items && absent(name)) return [];
    if (!items) throw damaged(`no part ${name}`);
    return items as T[];
  };
  const value = (name: (typeof VALUES)[number]): unknown => {
    if (!values.has(name) && !absent(name)) throw damaged(`no part ${name}`);
    return values.get(name);
  };
  const retailBase = values.get('retailAccess') as StoredSections['retailAccess'] | undefined;
  const retailAccess: ReportModel['retailAccess'] = retailBase
    ? {
        ...retailBase,
        // (A run stored before I/T/U access was assessed has none: "not recorded".)
        itu: retailBase.itu ?? null,
        rows: (lists.get('retailAccess.rows') ?? []) as StoredSections['retailAccess.rows'],
      }
    : null;
  const rules = list<ReportRule>('rules');
  const names = value('findingNames') as FindingNames;
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const findings = base.findings.map((f) =>
    reportFinding(
      f,
      f.countyFips === null ? null : (names.counties[f.countyFips] ?? null),
      f.npi === null ? null : (names.pharmacies[f.npi] ?? null),
      ruleById.get(f.ruleId),
    ),
  );
  return {
    run: base.run,
    rules,
    findings,
    resolved: base.resolved,
    previousRunId: base.previousRunId,
    keyFigures: value('keyFigures') as ReportModel['keyFigures'],
    plans: list('plans'),
    planKeysWithoutRecord: list('planKeysWithoutRecord'),
    coverage: { requiredClasses: list('coverage.requiredClasses'), cells: list('coverage.cells') },
    directory: list('directory'),
    assurances: list('assurances'),
    requests: list('requests'),
    lineage: base.lineage,
    catalog: list('catalog'),
    exceptions: list('exceptions'),
    expiring: list('expiring'),
    keyPharmacies: list('keyPharmacies'),
    recruitment: list('recruitment'),
    // Runs stored before enrollment existed have no members part: not computed.
    ...(values.has('members') ? { members: values.get('members') as ReportMembers } : {}),
    distance: storedDistance(
      value('distance') as Omit<DistanceResult, 'cells'> | undefined,
      list('distance.cells'),
      base.run.policy,
    ),
    retailAccess,
  };
}

/** The stored distance result, or for a run stored before distances were kept, a note saying so. */
function storedDistance(
  stored: Omit<DistanceResult, 'cells'> | undefined,
  cells: DistanceResult['cells'],
  policy: ReportModel['run']['policy'],
): DistanceResult {
  if (stored !== undefined) return { ...stored, cells };
  // The run's stored policy may predate the distance knobs.
  const knobs = (policy as Partial<typeof policy>).distance;
  return {
    status: 'not_stored',
    notEvaluatedReason:
      "this run was stored before runs kept members' distances to care; run the audit again to see them",
    maxMiles: knobs?.maxMiles ?? 0,
    minShare: knobs?.minShare ?? 0,
    plans: [],
    cells: [],
    unlocatedPharmacies: [],
  };
}
