import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCREDITORS,
  ANCILLARY_SERVICES,
  ENTITY_TYPES,
  NETWORK_ROLES,
  REQUEST_OUTCOMES,
  REQUEST_TYPES,
  SERVICE_TYPES,
} from '../../src/domain/types.js';
import { GEN_CATALOG } from '../../src/generate/catalog.js';
import { CMS_NETWORK_COLUMNS } from '../../src/generate/format.js';
import { readCounties } from '../../src/generate/geo.js';
import { isNanpPhone, isValidNpi, ZIP_PREFIXES } from '../../src/generate/identifiers.js';
import { generateRosterSet, type GenerateOptions } from '../../src/generate/roster.js';
import { lookupZip } from '../../src/geo/zips.js';
import { isInstant, isRealDate, readCsv, readPipe } from './helpers.js';

const counties = new Map(readCounties().map((c) => [c.fips, c]));
const classCodes = new Set(GEN_CATALOG.map((c) => c.code));
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gen-test-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}

const small = (out: string, seed: number | string = 11): GenerateOptions => ({
  pharmacies: 1500,
  plans: 8,
  states: ['IL', 'IN', 'MI'],
  seed,
  out,
  networkRows: 4000,
  coverageRequests: 300,
  hiShare: 0.05,
});

describe('generateRosterSet', () => {
  it('is deterministic: same seed gives byte-identical files, another seed different ones', async () => {
    await generateRosterSet(small(join(root, 'a')));
    await generateRosterSet(small(join(root, 'b')));
    await generateRosterSet(small(join(root, 'c'), 12));
    const a = filesOf(join(root, 'a'));
    const b = filesOf(join(root, 'b'));
    const c = filesOf(join(root, 'c'));
    expect([...a.keys()]).toEqual([
      'assurances.csv',
      'capabilities.csv',
      'cms-network.txt',
      'coverage_requests.csv',
      'enrollment.csv',
      'network.csv',
      'pharmacies.csv',
      'plans.csv',
      'service_areas.csv',
    ]);
    for (const [f, bytes] of a) {
      expect(b.get(f)!.equals(bytes), f).toBe(true);
      expect(c.get(f)!.equals(bytes), f).toBe(false);
    }
  });

  it('changing one count leaves the other files unchanged', async () => {
    await generateRosterSet({ ...small(join(root, 'd')), coverageRequests: 50 });
    const a = filesOf(join(root, 'a'));
    const d = filesOf(join(root, 'd'));
    for (const f of [
      'pharmacies.csv',
      'network.csv',
      'capabilities.csv',
      'plans.csv',
      'cms-network.txt',
    ]) {
      expect(d.get(f)!.equals(a.get(f)!), f).toBe(true);
    }
    expect(readCsv(join(root, 'd', 'coverage_requests.csv'))).toHaveLength(50);
  });

  it('writes valid pharmacies with real counties, ZIPs in the state, NANP phones', () => {
    const rows = readCsv(join(root, 'a', 'pharmacies.csv'));
    expect(rows).toHaveLength(1500);
    const npis = new Set<string>();
    const ncpdps = new Set<string>();
    let hi = 0;
    for (const r of rows) {
      expect(isValidNpi(r.npi!), r.npi).toBe(true);
      npis.add(r.npi!);
      expect(r.ncpdp_id).toMatch(/^\d{7}$/);
      ncpdps.add(r.ncpdp_id!);
      const c = counties.get(r.county_fips!);
      expect(c, r.county_fips).toBeDefined();
      expect(r.state).toBe(c!.state);
      expect(['IL', 'IN', 'MI']).toContain(r.state);
      const prefix = Number(r.zip!.slice(0, 3));
      expect(r.zip).toMatch(/^\d{5}$/);
      expect(ZIP_PREFIXES[r.state!]!.some(([lo, hi]) => prefix >= lo && prefix <= hi)).toBe(true);
      expect(isNanpPhone(r.phone!)).toBe(true);
      if (r.after_hours_phone) expect(isNanpPhone(r.after_hours_phone)).toBe(true);
      expect(Object.keys(SERVICE_TYPES)).toContain(r.service_type);
      for (const f of [
        'sterile_compounding',
        'provides_nursing',
        'provides_supplies',
        'delivers_within_24h',
        'open_24x7',
      ]) {
        expect(['Y', 'N']).toContain(r[f]);
      }
      expect(['', '1', '2', '3']).toContain(r.usp797_category);
      if (r.counties_served) {
        for (const f of r.counties_served.split('|')) expect(counties.has(f), f).toBe(true);
      }
      if (r.accreditation) {
        for (const a of r.accreditation.split('|')) expect(ACCREDITORS).toContain(a);
        expect(isRealDate(r.accreditation_expires!)).toBe(true);
      }
      if (r.service_type === '03') {
        hi++;
        expect(r.taxonomy!.split('|')).toContain('3336H0001X');
      }
    }
    expect(npis.size).toBe(1500);
    expect(ncpdps.size).toBe(1500);
    expect(hi).toBe(75);
  });

  it('writes consistent network, capabilities, assurances, plans, service areas, requests', () => {
    const dir = join(root, 'a');
    const pharmacyNpis = new Set(readCsv(join(dir, 'pharmacies.csv')).map((r) => r.npi!));
    const plans = readCsv(join(dir, 'plans.csv'));
    expect(plans).toHaveLength(8);
    const planKeys = new Set(plans.map((p) => `${p.contract_id}-${p.pbp_id}-${p.segment_id}`));
    for (const p of plans) {
      expect(p.contract_id).toMatch(/^[SH]\d{4}$/);
      expect(p.pbp_id).toMatch(/^\d{3}$/);
      expect(isNanpPhone(p.member_services_phone!)).toBe(true);
      if (p.directions_reviewed_on) expect(isRealDate(p.directions_reviewed_on)).toBe(true);
    }
    for (const s of readCsv(join(dir, 'service_areas.csv')))
      expect(counties.has(s.county_fips!)).toBe(true);

    const network = readCsv(join(dir, 'network.csv'));
    expect(network.length).toBeGreaterThan(0);
    for (const n of network) {
      expect(pharmacyNpis.has(n.npi!)).toBe(true);
      expect(planKeys.has(`${n.contract_id}-${n.pbp_id}-${n.segment_id}`)).toBe(true);
      expect(NETWORK_ROLES).toContain(n.role);
      expect(isRealDate(n.effective_date!)).toBe(true);
      if (n.termination_date) expect(isRealDate(n.termination_date)).toBe(true);
    }
    expect(network.some((n) => n.role === 'home_infusion')).toBe(true);

    for (const c of readCsv(join(dir, 'capabilities.csv'))) {
      expect(pharmacyNpis.has(c.npi!)).toBe(true);
      expect(classCodes.has(c.drug_class!)).toBe(true);
      expect(['Y', 'N']).toContain(c.usable_form);
    }
    const assurances = readCsv(join(dir, 'assurances.csv'));
    expect(assurances.length).toBeGreaterThan(0);
    for (const a of assurances) {
      expect(pharmacyNpis.has(a.npi!)).toBe(true);
      expect(ENTITY_TYPES).toContain(a.entity_type);
      if (a.entity_npi) expect(isValidNpi(a.entity_npi)).toBe(true);
      for (const s of a.services!.split('|')) expect(ANCILLARY_SERVICES).toContain(s);
      if (a.counties !== '*')
        for (const f of a.counties!.split('|')) expect(counties.has(f)).toBe(true);
      expect(isRealDate(a.effective_date!)).toBe(true);
    }
    const requests = readCsv(join(dir, 'coverage_requests.csv'));
    expect(requests).toHaveLength(300);
    expect(new Set(requests.map((r) => r.request_id)).size).toBe(300);
    for (const r of requests) {
      expect(REQUEST_TYPES).toContain(r.request_type);
      expect(REQUEST_OUTCOMES).toContain(r.outcome);
      expect(isInstant(r.received_at!)).toBe(true);
      if (r.decided_at) {
        expect(isInstant(r.decided_at)).toBe(true);
        expect(Date.parse(r.decided_at)).toBeGreaterThan(Date.parse(r.received_at!));
      } else expect(r.outcome).toBe('pending');
      if (r.supporting_statement_at) expect(r.request_type).toBe('exception');
      if (r.request_type === 'payment') expect(r.expedited).toBe('N');
    }
  });

  it('writes enrollment: ZIPs of the service-area counties of each plan, whole counts', () => {
    const dir = join(root, 'a');
    const areas = new Map<string, Set<string>>();
    for (const s of readCsv(join(dir, 'service_areas.csv'))) {
      const k = `${s.contract_id}-${s.pbp_id}-${s.segment_id}`;
      if (!areas.has(k)) areas.set(k, new Set());
      areas.get(k)!.add(s.county_fips!);
    }
    const rows = readCsv(join(dir, 'enrollment.csv'));
    expect(rows.length).toBeGreaterThan(1000);
    let outside = 0;
    for (const r of rows) {
      const area = areas.get(`${r.contract_id}-${r.pbp_id}-${r.segment_id}`);
      expect(area).toBeDefined();
      expect(r.members).toMatch(/^\d+$/);
      if (r.zip) {
        expect(r.county_fips).toBe('');
        expect(area!.has(lookupZip(r.zip)!.countyFips!)).toBe(true);
      } else if (!area!.has(r.county_fips!)) {
        outside += 1; // the deliberate defect (ENROLL-DATA)
      }
    }
    expect(outside).toBeLessThanOrEqual(areas.size);
  });

  it('writes the CMS network file with the requested row count and valid NPIs', () => {
    const rows = readPipe(join(root, 'a', 'cms-network.txt'));
    expect(rows[0]).toEqual([...CMS_NETWORK_COLUMNS]);
    expect(rows).toHaveLength(4001);
    const pharmacyNpis = new Set(readCsv(join(root, 'a', 'pharmacies.csv')).map((r) => r.npi!));
    const pairs = new Set<string>();
    for (const r of rows.slice(1)) {
      expect(r).toHaveLength(17);
      expect(isValidNpi(r[3]!)).toBe(true);
      expect(pharmacyNpis.has(r[3]!)).toBe(true);
      expect(r[4]).toMatch(/^(\d{5}|XXXXX)$/);
      expect(['0', '1']).toContain(r[9]);
      pairs.add(`${r[0]}|${r[1]}|${r[2]}|${r[3]}`);
    }
    expect(pairs.size).toBe(4000);
  });

  it('accepts a state count and rejects bad options', async () => {
    const r = await generateRosterSet({
      pharmacies: 50,
      plans: 2,
      states: 3,
      seed: 'x',
      out: join(root, 'e'),
    });
    expect(r.states).toEqual(['AK', 'AL', 'AR']);
    expect(r.rows['cms-network.txt']).toBeUndefined();
    await expect(
      generateRosterSet({
        pharmacies: 50,
        plans: 2,
        states: ['ZZ'],
        seed: 1,
        out: join(root, 'f'),
      }),
    ).rejects.toThrow(/unknown state/);
    await expect(
      generateRosterSet({
        pharmacies: 5,
        plans: 2,
        states: 1,
        seed: 1,
        out: join(root, 'g'),
        networkRows: 11,
      }),
    ).rejects.toThrow(/exceeds/);
  });

  it('scale smoke: 5,000 pharmacies and 50,000 CMS rows', async () => {
    const out = join(root, 'scale');
    const r = await generateRosterSet({
      pharmacies: 5000,
      plans: 20,
      states: 10,
      seed: 2026,
      out,
      networkRows: 50_000,
      coverageRequests: 5000,
    });
    expect(r.rows['pharmacies.csv']).toBe(5000);
    expect(r.rows['cms-network.txt']).toBe(50_000);
    expect(r.rows['coverage_requests.csv']).toBe(5000);
    expect(r.rows['plans.csv']).toBe(20);
    expect(r.hiPharmacies).toBe(Math.floor((5000 * 2) / 70));
    expect(readPipe(join(out, 'cms-network.txt'))).toHaveLength(50_001);
    expect(readCsv(join(out, 'pharmacies.csv')).every((p) => isValidNpi(p.npi!))).toBe(true);
  });
});
