/**
 * The retail network counted from its plan x role groups (src/db/load-snapshot.ts reads them:
 * one row per plan and role, its memberships as `npi:zip` joined by commas). A national CMS file
 * lists about a million memberships: they are read in place, an NPI of 10 digits looked up by its
 * value in a table of typed arrays, so that no string is made per membership (splitting the
 * groups made three strings a membership: about 70 MB of garbage at the audit's peak). Only the
 * NPIs the pharmacy roster does not know are cut out as strings.
 * test/db/retail-groups.test.ts checks it against the same counts made by splitting the strings.
 */
import type { PlanKey, PlanRetailNetwork, RetailNetwork, ZipPoint } from '../domain/types.js';
import { planKeyString } from '../domain/types.js';

/** One plan x role: its memberships as `npi:zip`, comma-separated (a pharmacy may repeat). */
export interface RetailGroup extends PlanKey {
  role: string;
  npis: string;
}

/** A pharmacy in force on the roster. */
export interface RetailPharmacy {
  npi: string;
  zip: string;
  serviceType: string;
}

/** Pharmacy service types that never count toward the retail standard: HI, LTC, mail order. */
const NOT_RETAIL = new Set(['03', '05', '06']);

/** The value of text[start, end) when it is 10 digits, else -1. */
function tenDigits(text: string, start: number, end: number): number {
  if (end - start !== 10) return -1;
  let v = 0;
  for (let k = start; k < end; k++) {
    const ch = text.charCodeAt(k) - 48;
    if (ch < 0 || ch > 9) return -1;
    v = v * 10 + ch;
  }
  return v;
}

/** NPIs to indexes: 10-digit NPIs by value in an open-addressing table, others in a Map. */
class NpiIndex {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly shift: number;
  private readonly others = new Map<string, number>();

  constructor(expected: number) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.keys = new Float64Array(1 << bits);
    this.values = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  private slot(v: number): number {
    const lo = v | 0;
    const hi = Math.floor(v / 4294967296);
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
  }

  /** Sets npi's index (the first one set wins, as a Map's set would not: callers set once). */
  set(npi: string, index: number): void {
    const v = tenDigits(npi, 0, npi.length);
    if (v < 0) {
      this.others.set(npi, index);
      return;
    }
    const mask = this.keys.length - 1;
    let s = this.slot(v);
    while (this.values[s] !== 0 && this.keys[s] !== v) s = (s + 1) & mask;
    this.keys[s] = v;
    this.values[s] = index + 1;
  }

  /** The index of the NPI text[start, end), or -1. */
  find(text: string, start: number, end: number): number {
    const v = tenDigits(text, start, end);
    if (v < 0) {
      if (this.others.size === 0) return -1;
      return this.others.get(text.slice(start, end)) ?? -1;
    }
    const mask = this.keys.length - 1;
    let s = this.slot(v);
    for (;;) {
      const found = this.values[s]!;
      if (found === 0) return -1;
      if (this.keys[s] === v) return found - 1;
      s = (s + 1) & mask;
    }
  }
}

/**
 * Counts the groups per plan (see readRetailNetwork in src/db/load-snapshot.ts for the rules):
 * each pharmacy once per plan and role, placed at its roster ZIP or, when the roster does not
 * know it, at the greatest CMS ZIP of its memberships in the group; `locate` gives a ZIP's
 * centroid (undefined: unknown), each ZIP asked once.
 */
export function countRetailGroups(
  groups: readonly RetailGroup[],
  pharmacies: readonly RetailPharmacy[],
  planKeys: readonly PlanKey[],
  locate: (zip: string) => { lat: number; lon: number } | undefined,
): RetailNetwork {
  const plans = new Map<string, PlanRetailNetwork>();
  const entry = (k: PlanKey): PlanRetailNetwork => {
    const key = planKeyString(k);
    let p = plans.get(key);
    if (!p) {
      p = {
        contractId: k.contractId,
        pbpId: k.pbpId,
        segmentId: k.segmentId,
        locations: [],
        retailPharmacies: 0,
        unlocatedPharmacies: 0,
        excludedPharmacies: 0,
        ltcPharmacies: 0,
      };
      plans.set(key, p);
    }
    return p;
  };
  for (const k of planKeys) entry(k);
  // One place per ZIP centroid, shared by every plan; its stamp says which plan last placed it.
  interface Place {
    point: ZipPoint;
    plan: number;
  }
  const places = new Map<string, Place | null>();
  const placeOf = (zip: string): Place | null => {
    let place = places.get(zip);
    if (place === undefined) {
      const at = locate(zip);
      place = at ? { point: { zip, lat: at.lat, lon: at.lon }, plan: -1 } : null;
      places.set(zip, place);
    }
    return place;
  };
  // Each pharmacy in force classified once (a national network lists each about 15 times); its
  // stamp says which plan-role group last counted it, so a million NPIs need no set per group.
  const n = pharmacies.length;
  const index = new NpiIndex(n);
  const serviceTypes: string[] = new Array<string>(n);
  const pharmacyPlaces: (Place | null)[] = new Array<Place | null>(n);
  const counted = new Int32Array(n).fill(-1);
  let known = 0;
  for (const r of pharmacies) {
    // A pharmacy with two records in force: the last one, as a Map's set would keep.
    let i = index.find(r.npi, 0, r.npi.length);
    if (i < 0) index.set(r.npi, (i = known++));
    serviceTypes[i] = r.serviceType;
    pharmacyPlaces[i] = placeOf(r.zip);
  }
  const planNumber = new Map<PlanRetailNetwork, number>();
  const count = (
    p: PlanRetailNetwork,
    planNo: number,
    role: string,
    serviceType: string | null,
    place: Place | null,
  ): void => {
    if (role === 'ltc' || serviceType === '05') p.ltcPharmacies += 1;
    if (role !== 'retail') return;
    if (serviceType !== null && NOT_RETAIL.has(serviceType)) {
      p.excludedPharmacies += 1;
      return;
    }
    p.retailPharmacies += 1;
    if (place === null) {
      p.unlocatedPharmacies += 1;
      return;
    }
    if (place.plan !== planNo) {
      place.plan = planNo;
      p.locations.push(place.point);
    }
  };
  for (let g = 0; g < groups.length; g++) {
    const r = groups[g]!;
    const p = entry(r);
    let planNo = planNumber.get(p);
    if (planNo === undefined) planNumber.set(p, (planNo = planNumber.size));
    // Pharmacies with no record in force: placed at the greatest CMS ZIP of their memberships
    // in the group (MAX ignores blanks), counted once, after the known ones.
    let unknown: Map<string, string> | null = null;
    const text = r.npis;
    const end = text.length;
    let pos = 0;
    while (pos <= end) {
      let next = text.indexOf(',', pos);
      if (next < 0) next = end;
      let colon = text.indexOf(':', pos);
      if (colon < 0 || colon > next) colon = next;
      const i = index.find(text, pos, colon);
      if (i >= 0) {
        // Each pharmacy once per plan and role (a membership may be listed by several sources).
        if (counted[i] !== g) {
          counted[i] = g;
          count(p, planNo, r.role, serviceTypes[i]!, pharmacyPlaces[i]!);
        }
      } else {
        const npi = text.slice(pos, colon);
        const cmsZip = colon < next ? text.slice(colon + 1, next) : '';
        unknown ??= new Map<string, string>();
        const seenZip = unknown.get(npi);
        if (seenZip === undefined || cmsZip > seenZip) unknown.set(npi, cmsZip);
      }
      pos = next + 1;
    }
    if (unknown !== null)
      for (const zip of unknown.values())
        count(p, planNo, r.role, null, zip === '' ? null : placeOf(zip));
  }
  for (const p of plans.values())
    p.locations.sort((a, b) => (a.zip < b.zip ? -1 : a.zip > b.zip ? 1 : 0));
  return { plans };
}
