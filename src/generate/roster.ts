/**
 * Deterministic synthetic roster sets (benchmarks, tests, demos): a seeded PRNG, no clock, and
 * streamed writes so the national set (70,000 pharmacies, 1,000,000 CMS network rows) stays in
 * bounded memory. Every section draws from its own PRNG stream derived from the seed, so changing
 * one count (e.g. coverage requests) leaves the other files unchanged.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { County, IsoDate, NetworkRole, RequestType, ServiceType } from '../domain/types.js';
import { GEN_CATALOG, type GenDrugClass } from './catalog.js';
import { CsvWriter, LineWriter } from './csv-writer.js';
import {
  ASSURANCE_COLUMNS,
  CAPABILITY_COLUMNS,
  CMS_NETWORK_COLUMNS,
  COVERAGE_REQUEST_COLUMNS,
  ENROLLMENT_COLUMNS,
  NETWORK_COLUMNS,
  PHARMACY_COLUMNS,
  PLAN_COLUMNS,
  ROSTER_FILES,
  SERVICE_AREA_COLUMNS,
  addDays,
  dayNumber,
  isoInstant,
  yn,
} from './format.js';
import { countiesByState, readCounties, resolveStates } from './geo.js';
import { COUNTIES_PATH } from '../geo/reference-file.js';
import { ncpdpId, npiFrom, phoneFor, tollFreePhone, zipFor } from './identifiers.js';
import {
  AGENCY_NAMES,
  CITIES,
  HI_PREFIXES,
  HI_SUFFIXES,
  LTC_NAMES,
  MAIL_NAMES,
  PLAN_WORDS,
  RETAIL_CHAINS,
  SPECIALTY_NAMES,
  SPONSOR_WORDS,
  STREETS,
  STREET_TYPES,
} from './names.js';
import { Permutation, Rng } from './prng.js';
import { loadZipReference } from '../geo/zips.js';

/** 2,000 home infusion pharmacies among 70,000, as in the national benchmark. */
export const DEFAULT_HI_SHARE = 2_000 / 70_000;
export const DEFAULT_AS_OF: IsoDate = '2026-11-01';
/** Default probability of each deliberate defect (expired accreditation, late decision, ...). */
export const DEFAULT_GAP_RATE = 0.03;

export interface GenerateOptions {
  /** Number of pharmacies (all service types). */
  pharmacies: number;
  /** Number of plans (contract x PBP x segment). */
  plans: number;
  /** USPS codes, or a count: the first N states of STATE_ORDER (50 states and DC first). */
  states: readonly string[] | number;
  seed: number | string;
  /** Output folder (created if missing). */
  out: string;
  /** Roster date; nothing is drawn from the clock. Default 2026-11-01. */
  asOf?: IsoDate;
  /** Rows of the CMS-layout network file cms-network.txt; 0 or absent: no file. */
  networkRows?: number;
  /** Coverage requests; default 20 per plan. */
  coverageRequests?: number;
  /** Share of pharmacies that are home infusion providers (service type 03). */
  hiShare?: number;
  /** Deliberate defects: true = DEFAULT_GAP_RATE, false = none, or a probability in [0, 1]. */
  gaps?: boolean | number;
  /** counties.csv to draw from (default: the package's data/counties.csv). */
  countiesPath?: string;
  /** Write enrollment.csv (members by ZIP of each plan's service-area counties); default true. */
  enrollment?: boolean;
}

export interface GenerateResult {
  out: string;
  asOf: IsoDate;
  states: string[];
  counties: number;
  hiPharmacies: number;
  /** Data rows written, by file name. */
  rows: Record<string, number>;
}

interface GenPlan {
  contractId: string;
  pbpId: string;
  segmentId: string;
  planType: 'PDP' | 'MA-PD';
  /** Indices into the scope county list. */
  counties: number[];
  /** Membership flags by scope county index. */
  inArea: Uint8Array;
  hasRecord: boolean;
  fees: readonly string[];
}

const SEGMENT = '000';

function gapRate(gaps: boolean | number | undefined): number {
  if (gaps === undefined || gaps === true) return DEFAULT_GAP_RATE;
  if (gaps === false) return 0;
  if (!(gaps >= 0 && gaps <= 1)) throw new Error(`gaps must be in [0, 1], got ${gaps}`);
  return gaps;
}

function checkCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer >= ${min}, got ${n}`);
}

export async function generateRosterSet(options: GenerateOptions): Promise<GenerateResult> {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfDay = dayNumber(asOf);
  const seed = options.seed;
  const nPharmacies = options.pharmacies;
  const nPlans = options.plans;
  const networkRows = options.networkRows ?? 0;
  const nRequests = options.coverageRequests ?? nPlans * 20;
  const hiShare = options.hiShare ?? DEFAULT_HI_SHARE;
  const gap = gapRate(options.gaps);
  checkCount('pharmacies', nPharmacies, 1);
  checkCount('plans', nPlans, 1);
  checkCount('networkRows', networkRows, 0);
  checkCount('coverageRequests', nRequests, 0);
  if (!(hiShare >= 0 && hiShare <= 1)) throw new Error(`hiShare must be in [0, 1], got ${hiShare}`);
  if (networkRows > nPlans * nPharmacies) {
    throw new Error(
      `networkRows (${networkRows}) exceeds plans x pharmacies (${nPlans * nPharmacies}): rows would repeat`,
    );
  }

  // ---- geography -------------------------------------------------------------------------
  const byState = countiesByState(readCounties(options.countiesPath ?? COUNTIES_PATH));
  const states = resolveStates(options.states, byState);
  const scope: County[] = states.flatMap((s) => byState.get(s) ?? []);
  /** [first, last+1) scope indices per state. */
  const stateRange = new Map<string, [number, number]>();
  {
    let i = 0;
    for (const s of states) {
      const n = byState.get(s)?.length ?? 0;
      stateRange.set(s, [i, i + n]);
      i += n;
    }
  }
  const rangeOf = (state: string): [number, number] => stateRange.get(state)!;

  mkdirSync(options.out, { recursive: true });
  const path = (f: string): string => join(options.out, f);
  const rows: Record<string, number> = {};

  // ---- plans and service areas -----------------------------------------------------------
  const plans = buildPlans(Rng.derive(seed, 'plans'), nPlans, states, rangeOf, scope.length, gap);
  {
    const rng = Rng.derive(seed, 'plan-records');
    const w = new CsvWriter(path(ROSTER_FILES.plans), PLAN_COLUMNS);
    for (const p of plans) {
      if (!p.hasRecord) continue;
      const stale = rng.chance(gap);
      const reviewed = stale
        ? addDays(asOf, -rng.int(380, 900))
        : rng.chance(0.02)
          ? ''
          : addDays(asOf, -rng.int(10, 330));
      const sponsor = rng.pick(SPONSOR_WORDS);
      await w.row({
        contract_id: p.contractId,
        pbp_id: p.pbpId,
        segment_id: p.segmentId,
        plan_name: `${sponsor} ${p.planType === 'PDP' ? 'Rx' : 'Advantage'} ${rng.pick(PLAN_WORDS)} (${p.planType === 'PDP' ? 'PDP' : 'HMO'})`,
        plan_type: p.planType,
        member_services_phone: tollFreePhone(rng),
        provider_services_phone: tollFreePhone(rng),
        hi_access_directions:
          'Call Provider Services, option 4 (home infusion), for the nearest network home infusion pharmacy; hospital discharge planners can use the same line 24 hours a day.',
        directions_reviewed_on: reviewed,
      });
    }
    await w.close();
    rows[ROSTER_FILES.plans] = w.rows;

    const sa = new CsvWriter(path(ROSTER_FILES.service_areas), SERVICE_AREA_COLUMNS);
    for (const p of plans) {
      for (const ci of p.counties) {
        await sa.row({
          contract_id: p.contractId,
          pbp_id: p.pbpId,
          segment_id: p.segmentId,
          county_fips: scope[ci]!.fips,
        });
      }
    }
    await sa.close();
    rows[ROSTER_FILES.service_areas] = sa.rows;
  }
  if (options.enrollment ?? true) {
    rows[ROSTER_FILES.enrollment] = await writeEnrollment(
      path(ROSTER_FILES.enrollment),
      plans,
      scope,
      Rng.derive(seed, 'enrollment'),
      gap,
    );
  }
  const recordPlans = plans.filter((p) => p.hasRecord);
  /** Plans with a record, by scope county index. */
  const plansByCounty: number[][] = Array.from({ length: scope.length }, () => []);
  recordPlans.forEach((p, pi) => {
    for (const ci of p.counties) plansByCounty[ci]!.push(pi);
  });

  // ---- pharmacies ------------------------------------------------------------------------
  const npiPerm = new Permutation(100_000_000, Rng.derive(seed, 'npi'));
  const npiLead = (i: number): 1 | 2 => (hash1(seed, i) ? 1 : 2);
  const npiOf = (i: number): string => npiFrom(npiLead(i), npiPerm.at(i));
  const ncpdpSerials = new Map<string, { perm: Permutation; next: number }>();
  const pharmacyZip: string[] = new Array<string>(nPharmacies);
  const pharmacyCounty = new Int32Array(nPharmacies);
  const pharmacyType: ServiceType[] = new Array<ServiceType>(nPharmacies);
  let hiCount = 0;

  const pw = new CsvWriter(path(ROSTER_FILES.pharmacies), PHARMACY_COLUMNS);
  const nw = new CsvWriter(path(ROSTER_FILES.network), NETWORK_COLUMNS);
  const cw = new CsvWriter(path(ROSTER_FILES.capabilities), CAPABILITY_COLUMNS);
  const aw = new CsvWriter(path(ROSTER_FILES.assurances), ASSURANCE_COLUMNS);
  const rng = Rng.derive(seed, 'pharmacies');
  const netRng = Rng.derive(seed, 'network');
  const capRng = Rng.derive(seed, 'capabilities');
  const asrRng = Rng.derive(seed, 'assurances');
  let assuranceSeq = 0;

  for (let i = 0; i < nPharmacies; i++) {
    const isHi = Math.floor((i + 1) * hiShare) > Math.floor(i * hiShare);
    const ci = rng.int(0, scope.length - 1);
    const county = scope[ci]!;
    const state = county.state;
    const type: ServiceType = isHi ? '03' : pickServiceType(rng);
    const npi = npiOf(i);
    let serial = ncpdpSerials.get(state);
    if (!serial) {
      serial = { perm: new Permutation(100_000, Rng.derive(seed, `ncpdp-${state}`)), next: 0 };
      ncpdpSerials.set(state, serial);
    }
    if (serial.next >= 100_000)
      throw new Error(`more than 100,000 pharmacies in ${state}: NCPDP ids run out`);
    const ncpdp = ncpdpId(state, serial.perm.at(serial.next++));
    const zip = zipFor(rng, state);
    pharmacyZip[i] = zip;
    pharmacyCounty[i] = ci;
    pharmacyType[i] = type;
    const phone = phoneFor(rng, state);
    const address = `${rng.int(100, 9899)} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}${rng.chance(0.25) ? `, Suite ${rng.int(100, 450)}` : ''}`;
    const city = rng.pick(CITIES);

    if (!isHi) {
      const open24 = rng.chance(type === '01' ? 0.04 : type === '05' ? 0.6 : 0.1);
      const accredited = type === '08' || type === '06';
      await pw.row({
        npi,
        ncpdp_id: ncpdp,
        name: nonHiName(rng, type, county.name),
        address,
        city,
        state,
        zip,
        county_fips: county.fips,
        phone,
        after_hours_phone: type === '05' && !open24 ? phoneFor(rng, state) : '',
        service_type: type,
        taxonomy: TAXONOMY[type],
        sterile_compounding: yn(type === '02' || type === '04'),
        usp797_category: type === '02' || type === '04' ? String(rng.int(1, 2)) : '',
        provides_nursing: 'N',
        provides_supplies: 'N',
        delivers_within_24h: yn(type === '05' || type === '08'),
        open_24x7: yn(open24),
        counties_served: '',
        accreditation: accredited ? (type === '08' ? 'URAC' : 'NABP') : '',
        accreditation_expires: accredited ? addDays(asOf, rng.int(60, 1000)) : '',
        itu: '',
      });
      // network: the plans whose service area holds the pharmacy; mail pharmacies serve all
      const role = ROLE_OF[type];
      const candidates = type === '06' ? recordPlans.map((_, k) => k) : plansByCounty[ci]!;
      for (const pi of candidates) {
        if (!netRng.chance(type === '06' ? 0.3 : 0.8)) continue;
        await nw.row(membership(netRng, recordPlans[pi]!, npi, role, asOf, gap));
      }
      if (type === '08' && capRng.chance(0.3)) {
        for (const code of capRng.sample(
          ['A1PI', 'IG_NONPID', 'BIOLOGIC_HOME'],
          capRng.int(1, 2),
        )) {
          await cw.row({
            npi,
            drug_class: code,
            usable_form: 'N',
            notes: 'dispensed for office or home-health administration',
          });
        }
      }
      continue;
    }

    // ---- a home infusion pharmacy ----
    hiCount++;
    const [lo, hi] = rangeOf(state);
    const reach = rng.int(2, 12);
    const servedIdx: number[] = [ci];
    for (let k = 1; servedIdx.length <= reach && k < hi - lo; k++) {
      for (const j of [ci - k, ci + k]) {
        if (j >= lo && j < hi && servedIdx.length <= reach) servedIdx.push(j);
      }
    }
    servedIdx.sort((a, b) => a - b);
    const served = servedIdx.map((j) => scope[j]!.fips);
    const noSterile = rng.chance(gap / 2);
    const nursing = rng.chance(0.55);
    const supplies = nursing || rng.chance(0.6);
    const open24 = rng.chance(0.3);
    const noAfterHours = !open24 && rng.chance(gap);
    const accreditation = rng.chance(gap / 2)
      ? ['URAC']
      : rng.sample(['ACHC', 'TJC', 'CHAP'] as const, rng.chance(0.2) ? 2 : 1).sort();
    const accreditationExpires = rng.chance(gap / 2)
      ? addDays(asOf, -rng.int(1, 200))
      : addDays(asOf, rng.int(30, 1000));
    await pw.row({
      npi,
      ncpdp_id: ncpdp,
      name: `${rng.pick(HI_PREFIXES)} ${rng.pick(HI_SUFFIXES)}${rng.chance(0.3) ? ` of ${county.name}` : ''}`,
      address,
      city,
      state,
      zip,
      county_fips: county.fips,
      phone,
      after_hours_phone: open24 || noAfterHours ? '' : phoneFor(rng, state),
      service_type: '03',
      taxonomy: rng.chance(0.4) ? '3336H0001X|3336C0004X' : '3336H0001X',
      sterile_compounding: yn(!noSterile),
      usp797_category: noSterile ? '' : String(rng.chance(0.8) ? 2 : 3),
      provides_nursing: yn(nursing),
      provides_supplies: yn(supplies),
      delivers_within_24h: yn(!rng.chance(gap)),
      open_24x7: yn(open24),
      counties_served: served.join('|'),
      accreditation: accreditation.join('|'),
      accreditation_expires: accreditationExpires,
      itu: '',
    });

    // network: each plan whose service area meets the counties served, most of the time
    const planSet = new Set<number>();
    for (const j of servedIdx) for (const pi of plansByCounty[j]!) planSet.add(pi);
    for (const pi of [...planSet].sort((a, b) => a - b)) {
      if (!netRng.chance(0.85)) continue;
      await nw.row(membership(netRng, recordPlans[pi]!, npi, 'home_infusion', asOf, gap));
    }

    // capabilities
    for (const c of GEN_CATALOG) {
      if (!capRng.chance(c.prevalence)) continue;
      const unusable = capRng.chance(gap / 3);
      await cw.row({
        npi,
        drug_class: c.code,
        usable_form: yn(!unusable),
        notes: unusable
          ? 'dispensed as vials for nurse reconstitution in the home'
          : capabilityNote(capRng, c),
      });
    }

    // assurance for a drug-only pharmacy
    if (nursing && supplies) continue;
    if (asrRng.chance(gap)) continue; // deliberate: no assurance on file
    const services: string[] = [];
    if (!nursing) services.push('nursing');
    if (!supplies) services.push('supplies');
    if (asrRng.chance(0.5)) services.push('equipment');
    const explicit = asrRng.chance(0.4);
    let counties = explicit ? served.slice() : ['*'];
    if (explicit && served.length > 1 && asrRng.chance(gap * 2)) {
      counties = served.filter((_, k) => k !== asrRng.int(0, served.length - 1));
    }
    const effective = addDays(asOf, -asrRng.int(90, 1500));
    const expired = asrRng.chance(gap);
    const expiration = expired
      ? addDays(asOf, -asrRng.int(1, 80))
      : asrRng.chance(0.15)
        ? ''
        : addDays(asOf, asrRng.int(30, 900));
    const entityType = asrRng.pick(['HHA', 'VNA', 'NURSING_AGENCY', 'HI_AGENCY', 'HHA'] as const);
    assuranceSeq++;
    await aw.row({
      npi,
      entity_name: asrRng.pick(AGENCY_NAMES),
      entity_type: entityType,
      entity_npi: asrRng.chance(0.9)
        ? npiFrom(asrRng.chance(0.5) ? 1 : 2, npiPerm.at(nPharmacies + assuranceSeq))
        : '',
      services: services.join('|'),
      counties: counties.join('|'),
      effective_date: effective,
      expiration_date: expiration,
      document_ref: `ASR-${effective.slice(0, 4)}-${String(assuranceSeq).padStart(5, '0')}`,
    });
  }
  for (const [w, f] of [
    [pw, ROSTER_FILES.pharmacies],
    [nw, ROSTER_FILES.network],
    [cw, ROSTER_FILES.capabilities],
    [aw, ROSTER_FILES.assurances],
  ] as const) {
    await w.close();
    rows[f] = w.rows;
  }

  // ---- coverage requests -----------------------------------------------------------------
  rows[ROSTER_FILES.coverage_requests] = await writeRequests(
    path(ROSTER_FILES.coverage_requests),
    Rng.derive(seed, 'requests'),
    recordPlans,
    nRequests,
    asOfDay,
    gap,
  );

  // ---- CMS network file ------------------------------------------------------------------
  if (networkRows > 0) {
    const out = new LineWriter(path(ROSTER_FILES.cms_network));
    await out.write(CMS_NETWORK_COLUMNS.join('|') + '\n');
    const cmsRng = Rng.derive(seed, 'cms-network');
    const base = Math.floor(networkRows / plans.length);
    const extra = networkRows % plans.length;
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p]!;
      const n = base + (p < extra ? 1 : 0);
      const perm = new Permutation(nPharmacies, Rng.derive(seed, `cms-plan-${p}`));
      const prefix = `${plan.contractId}|${plan.pbpId}|${plan.segmentId}|`;
      const fees = plan.fees.join('|');
      for (let k = 0; k < n; k++) {
        const i = perm.at(k);
        const type = pharmacyType[i]!;
        const mail = type === '06';
        const retail = !mail || cmsRng.chance(0.05);
        const zip = cmsRng.chance(0.003) ? 'XXXXX' : pharmacyZip[i]!;
        const prefRetail = retail && cmsRng.chance(0.35);
        const prefMail = mail && cmsRng.chance(0.6);
        await out.write(
          `${prefix}${npiOf(i)}|${zip}|${yn(prefRetail)}|${yn(prefMail)}|${yn(retail)}|${yn(mail)}|${plan.inArea[pharmacyCounty[i]!] ? 1 : 0}|0|${fees}\n`,
        );
      }
    }
    await out.close();
    rows[ROSTER_FILES.cms_network] = out.lines - 1;
  }

  return { out: options.out, asOf, states, counties: scope.length, hiPharmacies: hiCount, rows };
}

// -------------------------------------------------------------------------------------------

const TAXONOMY: Record<ServiceType, string> = {
  '01': '3336C0003X',
  '02': '3336C0004X',
  '03': '3336H0001X',
  '04': '333600000X',
  '05': '333600000X',
  '06': '333600000X',
  '07': '333600000X',
  '08': '3336S0011X',
  '99': '333600000X',
};

const ROLE_OF: Record<ServiceType, NetworkRole> = {
  '01': 'retail',
  '02': 'retail',
  '03': 'home_infusion',
  '04': 'ltc',
  '05': 'ltc',
  '06': 'mail',
  '07': 'retail',
  '08': 'specialty',
  '99': 'retail',
};

const NON_HI_TYPES: readonly ServiceType[] = ['01', '02', '04', '05', '06', '07', '08', '99'];
const NON_HI_WEIGHTS: readonly number[] = [76, 3, 2, 7, 1, 1, 9, 1];

function pickServiceType(rng: Rng): ServiceType {
  return NON_HI_TYPES[rng.weighted(NON_HI_WEIGHTS)]!;
}

function nonHiName(rng: Rng, type: ServiceType, countyName: string): string {
  switch (type) {
    case '05':
    case '04':
      return `${rng.pick(HI_PREFIXES)} ${rng.pick(LTC_NAMES)}`;
    case '06':
      return `${rng.pick(HI_PREFIXES)} ${rng.pick(MAIL_NAMES)}`;
    case '08':
      return `${rng.pick(HI_PREFIXES)} ${rng.pick(SPECIALTY_NAMES)}`;
    case '02':
      return `${countyName} Compounding Pharmacy`;
    default:
      return rng.chance(0.6)
        ? `${rng.pick(RETAIL_CHAINS)} #${rng.int(100, 9999)}`
        : `${countyName} ${rng.pick(['Pharmacy', 'Drug', 'Apothecary', 'Family Pharmacy'])}`;
  }
}

function capabilityNote(rng: Rng, c: GenDrugClass): string {
  if (!rng.chance(0.15)) return '';
  return c.needsSterileCompounding
    ? 'compounded in ISO 5 cleanroom; ready to administer'
    : 'ready to administer as supplied';
}

function membership(
  rng: Rng,
  plan: GenPlan,
  npi: string,
  role: NetworkRole,
  asOf: IsoDate,
  gap: number,
): Record<(typeof NETWORK_COLUMNS)[number], string> {
  const r = rng.next();
  let effective: string;
  let termination = '';
  if (r < gap) {
    // terminated before the as-of date (not active)
    effective = addDays(asOf, -rng.int(400, 2000));
    termination = addDays(asOf, -rng.int(1, 300));
  } else if (r < gap * 1.5) {
    // signed but not yet effective
    effective = addDays(asOf, rng.int(1, 60));
  } else {
    effective = addDays(asOf, -rng.int(30, 2500));
    if (rng.chance(0.05)) termination = addDays(asOf, rng.int(30, 400));
  }
  return {
    contract_id: plan.contractId,
    pbp_id: plan.pbpId,
    segment_id: plan.segmentId,
    npi,
    role,
    effective_date: effective,
    termination_date: termination,
  };
}

/** A stable coin per (seed, index), used for an NPI's leading digit. */
function hash1(seed: number | string, i: number): boolean {
  let h = (i ^ 0x9e3779b9) >>> 0;
  const s = String(seed);
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h & 0xff) < 154; // about 60% start with 1
}

function buildPlans(
  rng: Rng,
  nPlans: number,
  states: readonly string[],
  rangeOf: (s: string) => [number, number],
  scopeSize: number,
  gap: number,
): GenPlan[] {
  const plans: GenPlan[] = [];
  const contractNumbers = new Permutation(9000, rng);
  let contractSeq = 0;
  const feeSets = [
    ['1.75', '3.50', '5.25', '1.75', '3.50', '5.25'],
    ['0.50', '1.00', '1.50', '0.50', '1.00', '1.50'],
    ['1.00', '1.00', '1.00', '1.00', '1.00', '1.00'],
    ['2.00', '2.50', '3.00', '2.00', '2.50', '3.00'],
  ] as const;
  while (plans.length < nPlans) {
    const isPdp = rng.chance(0.7);
    const contractId = `${isPdp ? 'S' : 'H'}${1000 + contractNumbers.at(contractSeq++ % 9000)}`;
    const pbps = Math.min(rng.int(1, 3), nPlans - plans.length);
    // service area of the contract
    let counties: number[];
    if (isPdp) {
      const picked = rng.sample(states, rng.int(1, Math.min(3, states.length)));
      counties = picked.flatMap((s) => {
        const [lo, hi] = rangeOf(s);
        return Array.from({ length: hi - lo }, (_, k) => lo + k);
      });
    } else {
      const [lo, hi] = rangeOf(rng.pick(states));
      const len = Math.min(hi - lo, rng.int(5, 40));
      const start = lo + rng.int(0, hi - lo - len);
      counties = Array.from({ length: len }, (_, k) => start + k);
    }
    counties.sort((a, b) => a - b);
    const fees = rng.pick(feeSets);
    let pbpNumber = isPdp ? 1 : rng.int(1, 20);
    for (let k = 0; k < pbps; k++) {
      const inArea = new Uint8Array(scopeSize);
      for (const ci of counties) inArea[ci] = 1;
      plans.push({
        contractId,
        pbpId: String(pbpNumber).padStart(3, '0'),
        segmentId: SEGMENT,
        planType: isPdp ? 'PDP' : 'MA-PD',
        counties,
        inArea,
        hasRecord: true,
        fees,
      });
      pbpNumber += rng.int(1, 3);
    }
  }
  // deliberate: a service area filed for a plan with no plan record
  if (gap > 0 && plans.length > 0) {
    const first = plans[0]!;
    const inArea = new Uint8Array(scopeSize);
    const counties = first.counties.slice(0, 3);
    for (const ci of counties) inArea[ci] = 1;
    plans.push({ ...first, pbpId: '099', counties, inArea, hasRecord: false });
  }
  return plans;
}

/**
 * enrollment.csv: for each plan, every ZIP of the ZIP reference (data/zips.csv) whose main county
 * is in its service area, with 0 to 600 members (a county no ZIP names gets one county-only row).
 * With defects on, some plans also have members in a county outside their service area
 * (ENROLL-DATA). Returns the rows written.
 */
async function writeEnrollment(
  file: string,
  plans: readonly GenPlan[],
  scope: readonly County[],
  rng: Rng,
  gap: number,
): Promise<number> {
  const zipsByCounty = new Map<string, string[]>();
  for (const place of loadZipReference().values()) {
    if (place.countyFips === null) continue;
    const list = zipsByCounty.get(place.countyFips);
    if (list) list.push(place.zip);
    else zipsByCounty.set(place.countyFips, [place.zip]);
  }
  for (const list of zipsByCounty.values()) list.sort();
  const w = new CsvWriter(file, ENROLLMENT_COLUMNS);
  const members = (): string => String(rng.chance(0.05) ? 0 : rng.int(1, 600));
  for (const p of plans) {
    const base = { contract_id: p.contractId, pbp_id: p.pbpId, segment_id: p.segmentId };
    for (const ci of p.counties) {
      const fips = scope[ci]!.fips;
      const zips = zipsByCounty.get(fips);
      if (!zips) {
        await w.row({ ...base, zip: '', county_fips: fips, members: members() });
        continue;
      }
      for (const zip of zips) await w.row({ ...base, zip, county_fips: '', members: members() });
    }
    // deliberate: members living in a county outside the plan's service area
    if (rng.chance(gap) && scope.length > 0) {
      const ci = rng.int(0, scope.length - 1);
      if (!p.inArea[ci]) {
        await w.row({ ...base, zip: '', county_fips: scope[ci]!.fips, members: members() });
      }
    }
  }
  await w.close();
  return w.rows;
}

/** Regulatory clock in hours for a request (REFERENCE.md section 4). */
export function clockHours(type: RequestType, expedited: boolean): number {
  switch (type) {
    case 'coverage_determination':
    case 'exception':
      return expedited ? 24 : 72;
    case 'payment':
    case 'payment_redetermination':
      return 14 * 24;
    case 'redetermination':
      return expedited ? 72 : 7 * 24;
  }
}

const REQUEST_TYPES: readonly RequestType[] = [
  'coverage_determination',
  'exception',
  'redetermination',
  'payment',
];
const HOUR = 3_600_000;

async function writeRequests(
  file: string,
  rng: Rng,
  plans: readonly GenPlan[],
  n: number,
  asOfDay: number,
  gap: number,
): Promise<number> {
  const w = new CsvWriter(file, COVERAGE_REQUEST_COLUMNS);
  const classWeights = GEN_CATALOG.map((c) => (c.code === 'ABX_IV' ? 8 : c.partDRequired ? 2 : 1));
  const endOfAsOf = (asOfDay + 1) * 86_400_000;
  for (let i = 0; i < n && plans.length > 0; i++) {
    const plan = rng.pick(plans);
    const cls = GEN_CATALOG[rng.weighted(classWeights)]!;
    const type = REQUEST_TYPES[rng.weighted([55, 15, 20, 10])]!;
    const expedited = type !== 'payment' && rng.chance(0.35);
    const received = (asOfDay - rng.int(1, 120)) * 86_400_000 + rng.int(0, 86_399) * 1000;
    const statement = type === 'exception' ? received + rng.int(0, 96 * 3600) * 1000 : null;
    const start = statement ?? received;
    const deadline = start + clockHours(type, expedited) * HOUR;
    const r = rng.next();
    let decided: number | null;
    if (r < gap)
      decided = deadline + rng.int(1, 72 * 3600) * 1000; // late
    else if (r < gap * 1.5)
      decided = null; // never decided
    else decided = start + Math.floor((deadline - start) * (0.05 + 0.9 * rng.next()));
    if (decided !== null && decided >= endOfAsOf) decided = null; // still open on the as-of date
    const outcome = decided === null ? 'pending' : rng.chance(0.72) ? 'approved' : 'denied';
    await w.row({
      request_id: `CR${String(i + 1).padStart(8, '0')}`,
      contract_id: plan.contractId,
      pbp_id: plan.pbpId,
      drug_class: cls.code,
      drug_name: rng.pick(cls.drugs),
      request_type: type,
      expedited: yn(expedited),
      received_at: isoInstant(received),
      supporting_statement_at: statement === null ? '' : isoInstant(statement),
      decided_at: decided === null ? '' : isoInstant(decided),
      outcome,
      member_id: `MBR${rng.digits(9)}`,
    });
  }
  await w.close();
  return w.rows;
}
