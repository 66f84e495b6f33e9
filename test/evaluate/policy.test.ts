import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { ConfigError } from '../../src/errors.js';
import { canonicalJson, loadPolicy, parsePolicy, policyHash } from '../../src/evaluate/policy.js';
import { RULE_IDS } from '../../src/rules/registry.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePolicy', () => {
  it('an empty object is the default policy', () => {
    expect(parsePolicy({}, 'p.json')).toEqual(DEFAULT_POLICY);
  });

  it('merges given fields over the defaults', () => {
    const p = parsePolicy(
      {
        sponsorName: 'Acme Health',
        failOn: 'critical',
        timeZone: 'America/Chicago',
        requiredClasses: ['ABX_IV'],
        minPharmaciesPerCounty: 2,
        rules: { 'HI-SINGLE-POINT': { enabled: false }, 'HI-CONTACT': { severity: 'major' } },
      },
      'p.json',
    );
    expect(p).toEqual({
      ...DEFAULT_POLICY,
      sponsorName: 'Acme Health',
      failOn: 'critical',
      timeZone: 'America/Chicago',
      requiredClasses: ['ABX_IV'],
      minPharmaciesPerCounty: 2,
      rules: { 'HI-SINGLE-POINT': { enabled: false }, 'HI-CONTACT': { severity: 'major' } },
    });
  });

  it('distance: a field left out keeps its default (60 miles, 90 %)', () => {
    expect(DEFAULT_POLICY.distance).toEqual({ maxMiles: 60, minShare: 0.9 });
    expect(parsePolicy({ distance: { maxMiles: 30 } }).distance).toEqual({
      maxMiles: 30,
      minShare: 0.9,
    });
    expect(parsePolicy({ distance: { minShare: 1 } }).distance).toEqual({
      maxMiles: 60,
      minShare: 1,
    });
  });

  it('requiredClasses null means the catalog Part D-required classes', () => {
    expect(parsePolicy({ requiredClasses: null }).requiredClasses).toBeNull();
  });

  it.each<{ name: string; input: unknown; message: string }>([
    {
      name: 'unknown rule id, listing the valid ids',
      input: { rules: { 'HI-FOO': { enabled: false } } },
      message: `p.json: invalid policy: rules.HI-FOO: unknown rule id "HI-FOO"; valid ids: ${RULE_IDS.join(', ')}`,
    },
    {
      name: 'bad severity in a rule setting',
      input: { rules: { 'HI-ACCESS': { severity: 'high' } } },
      message:
        'rules.HI-ACCESS.severity: must be one of "critical", "major", "minor", "info", got "high"',
    },
    {
      name: 'unknown field in a rule setting',
      input: { rules: { 'HI-ACCESS': { level: 'major' } } },
      message: 'rules.HI-ACCESS: unknown field "level"; valid fields: severity, enabled',
    },
    {
      name: 'bad failOn',
      input: { failOn: 'warning' },
      message: 'failOn: must be one of "critical", "major", "minor", "info", got "warning"',
    },
    {
      name: 'bad time zone',
      input: { timeZone: 'Mars/Olympus' },
      message: 'timeZone: not a valid IANA time zone: "Mars/Olympus"',
    },
    {
      name: 'minimum below 1',
      input: { minPharmaciesPerCounty: 0 },
      message: 'minPharmaciesPerCounty:',
    },
    {
      name: 'fractional minimum',
      input: { minPharmaciesPerClass: 1.5 },
      message: 'minPharmaciesPerClass:',
    },
    { name: 'negative days', input: { staleRosterDays: -1 }, message: 'staleRosterDays:' },
    {
      name: 'fractional rejected rows',
      input: { acceptRejectedRows: 0.5 },
      message: 'acceptRejectedRows:',
    },
    {
      name: 'string number',
      input: { directionsMaxAgeDays: '365' },
      message: 'directionsMaxAgeDays:',
    },
    {
      name: 'unknown top-level field (typo)',
      input: { minPharmacyPerCounty: 2 },
      message: 'unknown field "minPharmacyPerCounty"; valid fields: sponsorName, failOn',
    },
    {
      name: 'unknown accreditor',
      input: { accreditors: ['ACHC', 'XYZ'] },
      message: 'accreditors[1]: unknown accreditor "XYZ"; valid: ACHC, TJC, CHAP, URAC, NABP',
    },
    {
      name: 'empty requiredClasses',
      input: { requiredClasses: [] },
      message: 'requiredClasses: must list at least one drug class code, or be null',
    },
    {
      name: 'distance of 0 miles',
      input: { distance: { maxMiles: 0 } },
      message: 'distance.maxMiles: must be a number of miles above 0',
    },
    {
      name: 'distance share given as a percentage',
      input: { distance: { minShare: 90 } },
      message: 'distance.minShare: must be a share above 0 and at most 1 (0.9 = 90 %)',
    },
    {
      name: 'unknown field in distance',
      input: { distance: { miles: 30 } },
      message: 'distance: unknown field "miles"; valid fields: maxMiles, minShare',
    },
    { name: 'not an object', input: [1, 2], message: 'p.json: the policy must be a JSON object' },
  ])('rejects $name', ({ input, message }) => {
    expect(errorOf(() => parsePolicy(input, 'p.json')).message).toContain(message);
  });

  it('lists every problem at once', () => {
    const msg = errorOf(() =>
      parsePolicy({ failOn: 'x', timeZone: 'Nowhere/Else' }, 'p.json'),
    ).message;
    expect(msg).toContain('failOn:');
    expect(msg).toContain('timeZone:');
  });
});

describe('loadPolicy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('no path: the default policy', () => {
    expect(loadPolicy(undefined)).toEqual(DEFAULT_POLICY);
  });

  it('retailAccess.zipClassesFile: relative to the policy file, absolute as given', () => {
    const rel = write('rel.json', '{"retailAccess": {"zipClassesFile": "classes/cms.csv"}}');
    expect(loadPolicy(rel).retailAccess.zipClassesFile).toBe(join(dir, 'classes', 'cms.csv'));
    const abs = write('abs.json', '{"retailAccess": {"zipClassesFile": "/srv/cms.csv"}}');
    expect(loadPolicy(abs).retailAccess.zipClassesFile).toBe('/srv/cms.csv');
    expect(loadPolicy(write('none.json', '{}')).retailAccess.zipClassesFile).toBeNull();
    const bad = write('bad.json', '{"retailAccess": {"zipClasses": "x.csv"}}');
    expect(errorOf(() => loadPolicy(bad)).message).toContain('unknown field "zipClasses"');
  });

  it('reads and validates a file (BOM tolerated)', () => {
    const path = write('ok.json', '\uFEFF{"minPharmaciesPerClass": 2}');
    expect(loadPolicy(path).minPharmaciesPerClass).toBe(2);
  });

  it('names the file in validation errors', () => {
    const path = write('bad.json', '{"rules": {"HI-NOPE": {}}}');
    expect(errorOf(() => loadPolicy(path)).message).toContain(
      `policy file ${path}: invalid policy: rules.HI-NOPE: unknown rule id`,
    );
  });

  it('invalid JSON', () => {
    const path = write('broken.json', '{"failOn": ');
    expect(errorOf(() => loadPolicy(path)).message).toContain(
      `policy file ${path}: not valid JSON:`,
    );
  });

  it('missing file', () => {
    const path = join(dir, 'missing.json');
    expect(errorOf(() => loadPolicy(path)).message).toBe(
      `policy file ${path}: cannot read: file not found`,
    );
  });

  it('a directory', () => {
    expect(errorOf(() => loadPolicy(dir)).message).toContain('is a directory');
  });

  it('ConfigError exits with code 2', () => {
    expect(errorOf(() => loadPolicy(join(dir, 'missing.json'))).exitCode).toBe(2);
  });
});

describe('policyHash', () => {
  it('is sha256 hex and ignores key order', () => {
    const a = parsePolicy({
      sponsorName: 'A',
      rules: { 'HI-ACCESS': { severity: 'major', enabled: true } },
    });
    const b = { ...a, rules: { 'HI-ACCESS': { enabled: true, severity: 'major' as const } } };
    const reordered = Object.fromEntries(Object.entries(b).reverse()) as unknown as typeof a;
    expect(policyHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(policyHash(reordered)).toBe(policyHash(a));
  });

  it('changes when any setting changes', () => {
    const base = policyHash(DEFAULT_POLICY);
    expect(policyHash({ ...DEFAULT_POLICY, minPharmaciesPerClass: 2 })).not.toBe(base);
    expect(policyHash({ ...DEFAULT_POLICY, accreditors: ['TJC', 'ACHC', 'CHAP'] })).not.toBe(base);
  });

  it('canonicalJson sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
  });
});
