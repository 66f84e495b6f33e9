/**
 * The Part D retail convenient-access standard, 42 CFR 423.120(a)(1): per plan and State, the
 * share of members (enrollment, at ZIP centroids) living within 2 miles (urban ZIPs), 5 miles
 * (suburban) or 15 miles (rural) of an in-network retail pharmacy, against 90 / 90 / 70 %.
 * Computed once per evaluation (RETAIL-ACCESS reports from it, the "Retail access" sheet shows
 * it); long-term care pharmacy counts per plan ride along for LTC-ACCESS.
 *
 * Members are placed at their ZIP's centroid (src/geo/zips.ts), pharmacies at theirs; a spatial
 * grid (src/geo/grid.ts) per distinct network answers "any pharmacy within r miles?". Members
 * that cannot be judged (their ZIP has no class, or they have no usable ZIP) are counted apart
 * and make the plan-State row INCOMPLETE: never a quiet pass.
 */
import {
  ZIP_CLASSES,
  planKeyString,
  samePlan,
  type IsoDate,
  type NetworkSnapshot,
  type PlanKey,
  type ZipClass,
  type ZipPoint,
} from '../domain/types.js';
import { PointGrid } from '../geo/grid.js';
import { assessItuAccess, type ItuAccessResult } from './itu-access.js';
import { lookupZip } from '../geo/zips.js';
import { forEachEnrollment } from './enrollment-rows.js';

/** The standard per ZIP class: distance (miles) and the minimum share (percent). */
export const RETAIL_STANDARD: Readonly<Record<ZipClass, { miles: number; percent: number }>> = {
  urban: { miles: 2, percent: 90 },
  suburban: { miles: 5, percent: 90 },
  rural: { miles: 15, percent: 70 },
};

export interface RetailClassFigures {
  /** Members at ZIPs of this class (placed and classified). */
  members: number;
  /** Of them, members within the class's distance of an in-network retail pharmacy. */
  within: number;
  /** within / members, 0-1; null when the class has no members. */
  share: number | null;
  miles: number;
  /** Minimum share, percent. */
  standardPercent: number;
  /**
   * null when the class has no members (nothing to judge), or when the share is below the
   * standard but some of the plan's retail pharmacies could not be placed (it is a lower bound:
   * the standard may be met, the verdict is not known).
   */
  meets: boolean | null;
}

export type RetailRowVerdict = 'meets' | 'below' | 'incomplete' | 'not_evaluated';

export interface RetailAccessRow extends PlanKey {
  /** USPS state code of the members' ZIPs (or their county), '??' when unknown. */
  state: string;
  urban: RetailClassFigures;
  suburban: RetailClassFigures;
  rural: RetailClassFigures;
  /** Members at a known ZIP that has no class in the ZIP class file: not judged. */
  unclassifiedMembers: number;
  /** Members with no usable ZIP (a county-only row, or a ZIP the reference does not know). */
  unlocatedMembers: number;
  /** The plan's in-network retail pharmacies counted, and of them those with no usable ZIP. */
  retailPharmacies: number;
  unlocatedPharmacies: number;
  /**
   * not_evaluated: no ZIP class file was given, so no member can be judged; below: some class
   * under its standard; else incomplete when members were not judged or a share below the
   * standard is only a lower bound (pharmacies not placed); else meets.
   */
  verdict: RetailRowVerdict;
}

export interface LtcAccessRow extends PlanKey {
  ltcPharmacies: number;
  members: number | null;
}

export interface RetailAccessResult {
  /**
   * evaluated: rows computed; no_enrollment: no enrollment roster, nothing judged;
   * no_network: the retail network was not loaded (an evaluation without it).
   */
  status: 'evaluated' | 'no_enrollment' | 'no_network';
  /** The ZIP class file the classes came from; null when none was given. */
  zipClasses: { source: string; sha256: string; asOf: IsoDate | null; zips: number } | null;
  /** Plan then State order. */
  rows: RetailAccessRow[];
  /** Per plan with enrollment or a network (plan order): its long-term care pharmacies. */
  ltc: LtcAccessRow[];
  /** Members not judged (unclassified + unlocated), over every row. */
  membersNotJudged: number;
  /** Rows whose verdict is incomplete (members not judged, or a lower-bound share). */
  incompleteRows: number;
  /**
   * I/T/U pharmacy access per plan (42 CFR 423.120(a)(6), ITU-ACCESS); null in a run stored
   * before it was assessed.
   */
  itu: ItuAccessResult | null;
}

/** Answer slots a grid starts with (grows to the ZIPs met). */
const INITIAL_ZIPS = 1024;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function figures(
  c: ZipClass,
  members: number,
  within: number,
  unplacedPharmacies: number,
): RetailClassFigures {
  const { miles, percent } = RETAIL_STANDARD[c];
  // Integers: exactly 90 % meets a 90 % standard, with no rounding in the way.
  const meets = within * 100 >= percent * members;
  return {
    members,
    within,
    share: members === 0 ? null : within / members,
    miles,
    standardPercent: percent,
    meets: members === 0 || (!meets && unplacedPharmacies > 0) ? null : meets,
  };
}

interface Grid {
  grid: PointGrid<ZipPoint>;
  /**
   * Per member ZIP (ZipInfo.index): 0 not asked yet, 1 no pharmacy within its class's distance,
   * 2 some. A byte per ZIP, not a Map entry: 50 plans with their own networks and 40,000 ZIPs
   * each are 2,000,000 answers.
   */
  answers: Uint8Array;
}

interface Tally {
  plan: PlanKey;
  state: string;
  members: Record<ZipClass, number>;
  within: Record<ZipClass, number>;
  unclassified: number;
  unlocated: number;
}

/** Reads the snapshot's enrollment against its retail network and ZIP classes. */
export function assessRetailAccess(snapshot: NetworkSnapshot): RetailAccessResult {
  const zc = snapshot.zipClasses;
  const zipClasses = zc
    ? { source: zc.source, sha256: zc.sha256, asOf: zc.asOf, zips: zc.classes.size }
    : null;
  const network = snapshot.retailNetwork;
  const ltcRows = (members: Map<string, number> | null): LtcAccessRow[] =>
    [...(network?.plans.values() ?? [])]
      .map((p) => ({
        contractId: p.contractId,
        pbpId: p.pbpId,
        segmentId: p.segmentId,
        ltcPharmacies: p.ltcPharmacies,
        members: members ? (members.get(planKeyString(p)) ?? 0) : null,
      }))
      .sort((a, b) => compare(planKeyString(a), planKeyString(b)));
  if (snapshot.enrollment === undefined) {
    return {
      status: 'no_enrollment',
      zipClasses,
      rows: [],
      ltc: ltcRows(null),
      membersNotJudged: 0,
      incompleteRows: 0,
      itu: assessItuAccess(snapshot),
    };
  }
  if (network === undefined) {
    return {
      status: 'no_network',
      zipClasses,
      rows: [],
      ltc: [],
      membersNotJudged: 0,
      incompleteRows: 0,
      itu: assessItuAccess(snapshot),
    };
  }

  // One grid (and one answer per member ZIP) per distinct set of pharmacy locations: the plans
  // of a contract usually share a network.
  const grids = new Map<string, Grid>();
  const byPlan = new Map<string, Grid>();
  const gridOf = (key: string): Grid => {
    let g = byPlan.get(key);
    if (g) return g;
    const locations = network.plans.get(key)?.locations ?? [];
    const signature = locations.map((l) => l.zip).join(',');
    g = grids.get(signature);
    if (!g) {
      g = { grid: new PointGrid(locations), answers: new Uint8Array(INITIAL_ZIPS) };
      grids.set(signature, g);
    }
    byPlan.set(key, g);
    return g;
  };

  // Per plan, its tallies by State; rows of one plan usually come together, so the plan's
  // key, tallies and grid are looked up once per run of rows, and each ZIP's place and class
  // once for all plans.
  const tallies = new Map<string, Map<string, Tally>>();
  const planMembers = new Map<string, number>();
  interface ZipInfo {
    /** 0, 1, ...: the ZIP's slot in each grid's answers. */
    index: number;
    lat: number;
    lon: number;
    state: string;
    cls: ZipClass | undefined;
  }
  const zipInfo = new Map<string, ZipInfo | null>();
  let located = 0;
  const infoOf = (zip: string): ZipInfo | null => {
    let info = zipInfo.get(zip);
    if (info === undefined) {
      const place = lookupZip(zip);
      info = place
        ? {
            index: located++,
            lat: place.lat,
            lon: place.lon,
            state: place.state,
            cls: zc?.classes.get(zip),
          }
        : null;
      zipInfo.set(zip, info);
    }
    return info;
  };
  let last: PlanKey | null = null;
  let key = '';
  let byState = new Map<string, Tally>();
  let grid: Grid | null = null;
  let members = 0;
  const flushMembers = (): void => {
    if (last !== null) planMembers.set(key, (planMembers.get(key) ?? 0) + members);
    members = 0;
  };
  forEachEnrollment(snapshot.enrollment, (plan, zip, countyFips, rowMembers) => {
    if (plan !== last && !samePlan(plan, last)) {
      flushMembers();
      last = plan;
      key = planKeyString(plan);
      let m = tallies.get(key);
      if (!m) tallies.set(key, (m = new Map<string, Tally>()));
      byState = m;
      grid = null;
    }
    members += rowMembers;
    const info = zip !== null ? infoOf(zip) : null;
    const state =
      info?.state ??
      (countyFips !== null ? snapshot.counties.get(countyFips)?.state : undefined) ??
      '??';
    let t = byState.get(state);
    if (!t) {
      t = {
        plan: { contractId: plan.contractId, pbpId: plan.pbpId, segmentId: plan.segmentId },
        state,
        members: { urban: 0, suburban: 0, rural: 0 },
        within: { urban: 0, suburban: 0, rural: 0 },
        unclassified: 0,
        unlocated: 0,
      };
      byState.set(state, t);
    }
    if (info === null || zip === null) {
      t.unlocated += rowMembers;
      return;
    }
    const cls = info.cls;
    if (cls === undefined) {
      t.unclassified += rowMembers;
      return;
    }
    t.members[cls] += rowMembers;
    grid ??= gridOf(key);
    if (info.index >= grid.answers.length) {
      const more = new Uint8Array(Math.max(grid.answers.length * 2, info.index + 1));
      more.set(grid.answers);
      grid.answers = more;
    }
    let near = grid.answers[info.index]!;
    if (near === 0) {
      near = grid.grid.anyWithin(info.lat, info.lon, RETAIL_STANDARD[cls].miles) ? 2 : 1;
      grid.answers[info.index] = near;
    }
    if (near === 2) t.within[cls] += rowMembers;
  });
  flushMembers();

  const rows: RetailAccessRow[] = [];
  let membersNotJudged = 0;
  for (const t of [...tallies.values()].flatMap((m) => [...m.values()])) {
    const p = network.plans.get(planKeyString(t.plan));
    const [urban, suburban, rural] = ZIP_CLASSES.map((c) =>
      figures(c, t.members[c], t.within[c], p?.unlocatedPharmacies ?? 0),
    ) as [RetailClassFigures, RetailClassFigures, RetailClassFigures];
    const notJudged = t.unclassified + t.unlocated;
    membersNotJudged += notJudged;
    rows.push({
      ...t.plan,
      state: t.state,
      urban,
      suburban,
      rural,
      unclassifiedMembers: t.unclassified,
      unlocatedMembers: t.unlocated,
      retailPharmacies: p?.retailPharmacies ?? 0,
      unlocatedPharmacies: p?.unlocatedPharmacies ?? 0,
      verdict: !zc
        ? 'not_evaluated'
        : [urban, suburban, rural].some((f) => f.meets === false)
          ? 'below'
          : notJudged > 0 || [urban, suburban, rural].some((f) => f.members > 0 && f.meets === null)
            ? 'incomplete'
            : 'meets',
    });
  }
  rows.sort((a, b) => compare(planKeyString(a), planKeyString(b)) || compare(a.state, b.state));
  // LTC: every plan with enrollment, plus plans with an LTC or retail network.
  const ltc = ltcRows(planMembers);
  const listed = new Set(ltc.map(planKeyString));
  for (const r of rows) {
    const k = planKeyString(r);
    if (listed.has(k)) continue;
    listed.add(k);
    ltc.push({
      contractId: r.contractId,
      pbpId: r.pbpId,
      segmentId: r.segmentId,
      ltcPharmacies: 0,
      members: planMembers.get(k) ?? 0,
    });
  }
  ltc.sort((a, b) => compare(planKeyString(a), planKeyString(b)));
  const incompleteRows = rows.filter((r) => r.verdict === 'incomplete').length;
  return {
    status: 'evaluated',
    zipClasses,
    rows,
    ltc,
    membersNotJudged,
    incompleteRows,
    itu: assessItuAccess(snapshot),
  };
}
