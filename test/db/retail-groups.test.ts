/**
 * The retail groups counted in place (src/db/retail-groups.ts) equal the same counts made the
 * plain way, splitting each group's string into `npi:zip` items and looking NPIs up in a Map,
 * on random groups: repeated memberships, NPIs the roster does not know (placed at their
 * greatest CMS ZIP), NPIs that are not 10 digits, blank and unknown ZIPs, two roster records of
 * one pharmacy, LTC and excluded service types.
 */
import { describe, expect, it } from 'vitest';
import {
  countRetailGroups,
  type RetailGroup,
  type RetailPharmacy,
} from '../../src/db/retail-groups.js';
import {
  planKeyString,
  type PlanKey,
  type PlanRetailNetwork,
  type ZipPoint,
} from '../../src/domain/types.js';
import { lookupZip } from '../../src/geo/zips.js';

const NOT_RETAIL = new Set(['03', '05', '06']);

/** The plain path: split strings, a Map of pharmacies, a Set per group. */
function plainCounts(
  groups: readonly RetailGroup[],
  pharmacies: readonly RetailPharmacy[],
  planKeys: readonly PlanKey[],
): Map<string, PlanRetailNetwork> {
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
  const roster = new Map(pharmacies.map((r) => [r.npi, r]));
  for (const g of groups) {
    const p = entry(g);
    const zips = new Map<string, string | null>(); // npi -> zip (null: roster, none usable)
    const types = new Map<string, string | null>();
    for (const item of g.npis.split(',')) {
      const colon = item.indexOf(':');
      const npi = colon < 0 ? item : item.slice(0, colon);
      const cmsZip = colon < 0 ? '' : item.slice(colon + 1);
      const r = roster.get(npi);
      if (r) {
        zips.set(npi, r.zip);
        types.set(npi, r.serviceType);
      } else {
        const seen = zips.get(npi);
        if (seen === undefined || (seen !== null && cmsZip > seen)) zips.set(npi, cmsZip);
        types.set(npi, null);
      }
    }
    for (const [npi, zip] of zips) {
      const serviceType = types.get(npi)!;
      if (g.role === 'ltc' || serviceType === '05') p.ltcPharmacies += 1;
      if (g.role !== 'retail') continue;
      if (serviceType !== null && NOT_RETAIL.has(serviceType)) {
        p.excludedPharmacies += 1;
        continue;
      }
      p.retailPharmacies += 1;
      const place = zip ? lookupZip(zip) : undefined;
      if (!place) {
        p.unlocatedPharmacies += 1;
        continue;
      }
      if (!p.locations.some((l) => l.zip === zip)) {
        const pt: ZipPoint = { zip: zip!, lat: place.lat, lon: place.lon };
        p.locations.push(pt);
      }
    }
  }
  for (const p of plans.values()) p.locations.sort((a, b) => (a.zip < b.zip ? -1 : 1));
  return plans;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZIPS = ['60601', '60602', '60603', '60605', '53703', '00901', '99999', '', '6060'];
const TYPES = ['01', '01', '01', '03', '05', '06', '07'];

describe('retail groups counted in place = split strings', () => {
  it.each([1, 2, 3, 4, 5, 6])('random network %i', (seed) => {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    // NPIs: 10 digits (leading zeros too), 9 digits, letters.
    const npis: string[] = [];
    for (let i = 0; i < 300; i++) {
      const kind = r();
      if (kind < 0.8) npis.push(String(1_000_000_000 + Math.floor(r() * 2_000_000_000)));
      else if (kind < 0.88) npis.push(String(Math.floor(r() * 1_000_000_000)).padStart(10, '0'));
      else if (kind < 0.95) npis.push(String(Math.floor(r() * 1_000_000_000)));
      else npis.push(`X${i}`);
    }
    const pharmacies: RetailPharmacy[] = [];
    for (const npi of npis) {
      if (r() < 0.25) continue; // not on the roster: placed at its CMS ZIP
      pharmacies.push({ npi, zip: pick(ZIPS), serviceType: pick(TYPES) });
      if (r() < 0.05) pharmacies.push({ npi, zip: pick(ZIPS), serviceType: pick(TYPES) });
    }
    const planKeys: PlanKey[] = [];
    for (let c = 0; c < 4; c++)
      planKeys.push({ contractId: `S${1000 + c}`, pbpId: '001', segmentId: '000' });
    const groups: RetailGroup[] = [];
    for (const k of [...planKeys, { contractId: 'H9999', pbpId: '002', segmentId: '000' }]) {
      for (const role of ['retail', 'ltc']) {
        if (r() < 0.15) continue;
        const items: string[] = [];
        const n = 1 + Math.floor(r() * 200);
        for (let i = 0; i < n; i++) {
          const zip = pick(ZIPS);
          items.push(r() < 0.1 ? pick(npis) : `${pick(npis)}:${zip}`);
        }
        groups.push({ ...k, role, npis: items.join(',') });
      }
    }
    const got = countRetailGroups(groups, pharmacies, planKeys, lookupZip).plans;
    const want = plainCounts(groups, pharmacies, planKeys);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, p] of want) expect(got.get(key), key).toEqual(p);
    const total = [...want.values()].reduce((n, p) => n + p.retailPharmacies, 0);
    expect(total).toBeGreaterThan(0);
  });
});
