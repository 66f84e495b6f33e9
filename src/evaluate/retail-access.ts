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
  type RetailNetwork,
  type ZipClass,
  type ZipPoint,
} from '../domain/types.js';
import { PointGrid } from '../geo/grid.js';
import { assessItuAccess, type ItuAccessResult } from './itu-access.js';
import { lookupZip } from '../geo/zips.js';
import { forEachEnrollment } from './enrollment-rows.js';
import { grown } from '../util/typed-arrays.js';

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

/** A distinct network: its places (a byte per place number) and its answer per member ZIP. */
interface Reach {
  places: Int32Array;
  members: Uint8Array;
  /** Per ZIP slot: 0 not asked yet, 1 no place within the class's distance, 2 some. */
  answers: Uint8Array;
}

/**
 * The answers to "is there an in-network retail pharmacy within the class's distance of this
 * member ZIP?" for each distinct network (the plans of a contract usually share one), with
 * every network's pharmacy places in one grid:
 *
 * - each location (a ZipPoint of a plan's network; plans share them) gets a number, and a
 *   network is the set of its locations' numbers (a byte per number);
 * - each member ZIP lists, once, the locations within its class's distance (PointGrid.within);
 * - a network's answer for a ZIP is whether one of them is in it, kept as a byte per ZIP.
 *
 * PointGrid.within lists a point by its own position only, so this is the answer a grid of the
 * network's own locations gives (test/rules/retail-access.test.ts checks it against a search of
 * each network), with one grid search per ZIP instead of one per ZIP and network: 40,000 ZIPs x
 * 51 networks searched through 51 grids took about 2 s and 200 MB of garbage.
 */
class NetworkReach {
  private readonly numbers = new Map<ZipPoint, number>();
  private readonly grid: PointGrid<{ lat: number; lon: number; id: number }>;
  /** Per ZIP slot: its places within reach, neighbours[start[s], end[s]); start -1: not listed. */
  private start = new Int32Array(1024).fill(-1);
  private end = new Int32Array(1024);
  private neighbours = new Int32Array(16_384);
  private used = 0;
  /** Distinct networks by a hash of their place numbers. */
  private readonly networks = new Map<number, Reach[]>();
  private readonly byPlan = new Map<string, Reach>();

  constructor(private readonly network: RetailNetwork) {
    const points: { lat: number; lon: number; id: number }[] = [];
    for (const p of network.plans.values())
      for (const l of p.locations)
        if (!this.numbers.has(l)) {
          this.numbers.set(l, points.length);
          points.push({ lat: l.lat, lon: l.lon, id: points.length });
        }
    this.grid = new PointGrid(points);
  }

  /** The plan's network (no retail network: none within reach of anyone). */
  of(planKey: string): Reach {
    const known = this.byPlan.get(planKey);
    if (known) return known;
    const locations = this.network.plans.get(planKey)?.locations ?? [];
    const places = new Int32Array(locations.length);
    let hash = locations.length;
    for (let i = 0; i < locations.length; i++) {
      places[i] = this.numbers.get(locations[i]!)!;
      hash = (Math.imul(hash, 31) + places[i]!) | 0;
    }
    let bucket = this.networks.get(hash);
    if (!bucket) this.networks.set(hash, (bucket = []));
    let net = bucket.find(
      (n) => n.places.length === places.length && n.places.every((v, i) => v === places[i]),
    );
    if (!net) {
      const members = new Uint8Array(this.numbers.size);
      for (const id of places) members[id] = 1;
      net = { places, members, answers: new Uint8Array(1024) };
      bucket.push(net);
    }
    this.byPlan.set(planKey, net);
    return net;
  }

  /** Whether the network has a place within `miles` of the ZIP in `slot` (at lat, lon). */
  near(net: Reach, slot: number, lat: number, lon: number, miles: number): boolean {
    if (slot >= net.answers.length) net.answers = grown(net.answers, slot + 1);
    let answer = net.answers[slot]!;
    if (answer === 0) {
      if (slot >= this.start.length) {
        this.start = grown(this.start, slot + 1, -1);
        this.end = grown(this.end, slot + 1);
      }
      if (this.start[slot] === -1) {
        const found = this.grid.within(lat, lon, miles);
        if (this.used + found.length > this.neighbours.length)
          this.neighbours = grown(this.neighbours, this.used + found.length);
        this.start[slot] = this.used;
        for (const p of found) this.neighbours[this.used++] = p.id;
        this.end[slot] = this.used;
      }
      answer = 1;
      const { members } = net;
      for (let k = this.start[slot]!; k < this.end[slot]!; k++)
        if (members[this.neighbours[k]!] === 1) {
          answer = 2;
          break;
        }
      net.answers[slot] = answer;
    }
    return answer === 2;
  }
}

interface Tally {
  plan: PlanKey;
  state: string;
  /** Members and members within reach, by class (ZIP_CLASSES order). */
  members: [number, number, number];
  within: [number, number, number];
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

  // Per plan, its tallies by State; rows of one plan usually come together, so the plan's key
  // and tallies are looked up once per run of rows. What a ZIP or county code tells (place,
  // State, class) is learnt once for all plans and kept by the code's number (zipId, countyId):
  // typed arrays, no Map lookup by text per row.
  const tallies = new Map<string, (Tally | undefined)[]>();
  const planMembers = new Map<string, number>();
  const states: string[] = [];
  const stateIds = new Map<string, number>();
  const stateId = (state: string): number => {
    let id = stateIds.get(state);
    if (id === undefined) {
      id = states.push(state) - 1;
      stateIds.set(state, id);
    }
    return id;
  };
  const unknownState = stateId('??');
  /** Per ZIP id: 0 not asked yet, -1 not placed by the reference, else its slot + 1. */
  let zipSlot = new Int32Array(1024);
  /** Per county id: 0 not asked yet, else its State's id + 1 (unknown county: '??'). */
  let countyState = new Int32Array(1024);
  /** Per slot (a placed ZIP): centroid, State id, class (ZIP_CLASSES index, -1: none). */
  let lat = new Float64Array(1024);
  let lon = new Float64Array(1024);
  let zipState = new Int32Array(1024);
  let zipClass = new Int32Array(1024);
  let slots = 0;
  const slotOf = (zip: string, id: number): number => {
    if (id >= zipSlot.length) zipSlot = grown(zipSlot, id + 1);
    const known = zipSlot[id]!;
    if (known !== 0) return known - 1;
    const place = lookupZip(zip);
    if (place === undefined) {
      zipSlot[id] = -1;
      return -1;
    }
    const slot = slots++;
    if (slot >= lat.length) {
      lat = grown(lat, slot + 1);
      lon = grown(lon, slot + 1);
      zipState = grown(zipState, slot + 1);
      zipClass = grown(zipClass, slot + 1);
    }
    lat[slot] = place.lat;
    lon[slot] = place.lon;
    zipState[slot] = stateId(place.state);
    const cls = zc?.classes.get(zip);
    zipClass[slot] = cls === undefined ? -1 : ZIP_CLASSES.indexOf(cls);
    zipSlot[id] = slot + 1;
    return slot;
  };
  const stateOfCounty = (countyFips: string, id: number): number => {
    if (id >= countyState.length) countyState = grown(countyState, id + 1);
    let s = countyState[id]!;
    if (s === 0)
      countyState[id] = s = stateId(snapshot.counties.get(countyFips)?.state ?? '??') + 1;
    return s - 1;
  };
  const miles = ZIP_CLASSES.map((c) => RETAIL_STANDARD[c].miles);
  let reach: NetworkReach | null = null;
  let net: Reach | null = null;
  let last: PlanKey | null = null;
  let key = '';
  let byState: (Tally | undefined)[] = [];
  let members = 0;
  const flushMembers = (): void => {
    if (last !== null) planMembers.set(key, (planMembers.get(key) ?? 0) + members);
    members = 0;
  };
  forEachEnrollment(snapshot.enrollment, (plan, zip, countyFips, rowMembers, zipId, countyId) => {
    if (plan !== last && !samePlan(plan, last)) {
      flushMembers();
      last = plan;
      key = planKeyString(plan);
      let m = tallies.get(key);
      if (!m) tallies.set(key, (m = []));
      byState = m;
      net = null;
    }
    members += rowMembers;
    const slot = zip !== null ? slotOf(zip, zipId) : -1;
    const state =
      slot >= 0
        ? zipState[slot]!
        : countyFips !== null
          ? stateOfCounty(countyFips, countyId)
          : unknownState;
    let t = byState[state];
    if (!t) {
      t = {
        plan: { contractId: plan.contractId, pbpId: plan.pbpId, segmentId: plan.segmentId },
        state: states[state]!,
        members: [0, 0, 0],
        within: [0, 0, 0],
        unclassified: 0,
        unlocated: 0,
      };
      byState[state] = t;
    }
    if (slot < 0) {
      t.unlocated += rowMembers;
      return;
    }
    const cls = zipClass[slot]!;
    if (cls < 0) {
      t.unclassified += rowMembers;
      return;
    }
    t.members[cls]! += rowMembers;
    reach ??= new NetworkReach(network);
    net ??= reach.of(key);
    if (reach.near(net, slot, lat[slot]!, lon[slot]!, miles[cls]!)) t.within[cls]! += rowMembers;
  });
  flushMembers();

  const rows: RetailAccessRow[] = [];
  let membersNotJudged = 0;
  for (const t of [...tallies.values()].flat()) {
    if (t === undefined) continue;
    const p = network.plans.get(planKeyString(t.plan));
    const [urban, suburban, rural] = ZIP_CLASSES.map((c, i) =>
      figures(c, t.members[i]!, t.within[i]!, p?.unlocatedPharmacies ?? 0),
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
