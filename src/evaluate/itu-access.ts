/**
 * I/T/U pharmacy access, 42 CFR 423.120(a)(6): a sponsor offers standard contracts to all I/T/U
 * pharmacies (Indian Health Service, Tribe or Tribal organization, Urban Indian organization) in
 * its service area. What the rosters show: the pharmacies the pharmacy roster marks I/T/U, the
 * plans whose service area holds their county, and whether they are in that plan's network.
 * Computed once per evaluation (ITU-ACCESS reports from it, the Retail access sheet shows it).
 */
import {
  planKeyString,
  type ItuPharmacy,
  type NetworkSnapshot,
  type PlanKey,
} from '../domain/types.js';

export interface ItuPlanRow extends PlanKey {
  /** I/T/U pharmacies located in a county of the plan's service area. */
  inArea: number;
  /** Of them, those in the plan's network on the date (any role). */
  inNetwork: number;
  /** The others, NPI order: no contract on the rosters (was one offered? a sponsor check). */
  notInNetwork: ItuPharmacy[];
}

export interface ItuAccessResult {
  /**
   * evaluated: some pharmacy of the roster says Y or N; no_attribute: none does (no itu column,
   * or every value blank), so I/T/U pharmacies cannot be told apart: not evaluated.
   */
  status: 'evaluated' | 'no_attribute';
  /** Pharmacies in force whose itu value is Y or N. */
  pharmaciesWithAttribute: number;
  /**
   * Pharmacies in force whose itu column is blank: an I/T/U pharmacy among them is not seen.
   * Absent in runs stored before it was counted.
   */
  pharmaciesWithoutAttribute?: number;
  /** Pharmacies in force marked I/T/U. */
  ituPharmacies: number;
  /** Per plan with a service area, plan order (empty when not evaluated). */
  rows: ItuPlanRow[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function assessItuAccess(snapshot: NetworkSnapshot): ItuAccessResult {
  const itu = snapshot.ituNetwork;
  if (itu === undefined || itu.pharmaciesWithAttribute === 0) {
    return {
      status: 'no_attribute',
      pharmaciesWithAttribute: 0,
      ituPharmacies: 0,
      rows: [],
    };
  }
  const byCounty = new Map<string, ItuPharmacy[]>();
  for (const p of itu.pharmacies) {
    const list = byCounty.get(p.countyFips);
    if (list) list.push(p);
    else byCounty.set(p.countyFips, [p]);
  }
  const areas = new Map<string, { key: PlanKey; counties: Set<string> }>();
  for (const a of snapshot.serviceAreas) {
    const k = planKeyString(a);
    let e = areas.get(k);
    if (!e) {
      e = {
        key: { contractId: a.contractId, pbpId: a.pbpId, segmentId: a.segmentId },
        counties: new Set(),
      };
      areas.set(k, e);
    }
    e.counties.add(a.countyFips);
  }
  const rows: ItuPlanRow[] = [];
  for (const [k, { key, counties }] of [...areas].sort((a, b) => compare(a[0], b[0]))) {
    const network = itu.inNetwork.get(k);
    const inArea: ItuPharmacy[] = [];
    for (const c of counties) inArea.push(...(byCounty.get(c) ?? []));
    inArea.sort((a, b) => compare(a.npi, b.npi));
    const notInNetwork = inArea.filter((p) => !network?.has(p.npi));
    rows.push({
      ...key,
      inArea: inArea.length,
      inNetwork: inArea.length - notInNetwork.length,
      notInNetwork,
    });
  }
  return {
    status: 'evaluated',
    pharmaciesWithAttribute: itu.pharmaciesWithAttribute,
    pharmaciesWithoutAttribute: itu.pharmaciesWithoutAttribute,
    ituPharmacies: itu.pharmacies.length,
    rows,
  };
}
