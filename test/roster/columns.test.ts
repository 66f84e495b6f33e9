import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROSTER_KINDS } from '../../src/domain/types.js';
import { RosterFormatError } from '../../src/errors.js';
import {
  matchHeaders,
  nearMissColumn,
  normalizeHeader,
  parseMapping,
} from '../../src/roster/headers.js';
import { COLUMNS, type ColumnSpecs, canonicalColumns } from '../../src/roster/kinds/index.js';
import { detectKind, isCmsHeader, kindFromName, parseKind } from '../../src/roster/detect-kind.js';

const PHARMACY_HEADERS = [
  'Pharmacy NPI',
  'Pharmacy Name',
  'Address',
  'City',
  'State',
  'Zip Code',
  'County FIPS',
  'Phone Number',
  'Service Type',
  'Sterile Compounding',
  'Provides Nursing',
  'Provides Supplies',
  'Delivers Within 24 Hours',
];

function formatError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a RosterFormatError');
}

describe('column specs', () => {
  it('has specs for every kind, and no header spelling names two columns of one kind', () => {
    for (const kind of ROSTER_KINDS) {
      const seen = new Map<string, string>();
      for (const [name, spec] of Object.entries(COLUMNS[kind] as ColumnSpecs)) {
        for (const h of [name, ...spec.aliases]) {
          const n = normalizeHeader(h);
          const other = seen.get(n);
          if (other !== undefined && other !== name) {
            throw new Error(`${kind}: "${h}" names both ${other} and ${name}`);
          }
          seen.set(n, name);
        }
      }
    }
  });

  it('docs/ROSTER-FORMAT.md documents every column and alias', () => {
    const doc = readFileSync(
      join(import.meta.dirname, '..', '..', 'docs', 'ROSTER-FORMAT.md'),
      'utf8',
    );
    for (const kind of ROSTER_KINDS) {
      expect(doc).toContain(`### ${kind}`);
      for (const [name, spec] of Object.entries(COLUMNS[kind] as ColumnSpecs)) {
        expect(doc).toContain(`\`${name}\``);
        for (const a of spec.aliases) expect(doc).toContain(`\`${a}\``);
      }
    }
  });

  it('documents the contract columns', () => {
    expect(canonicalColumns('pharmacies')).toEqual([
      'npi',
      'ncpdp_id',
      'name',
      'address',
      'city',
      'state',
      'zip',
      'county_fips',
      'phone',
      'after_hours_phone',
      'service_type',
      'taxonomy',
      'sterile_compounding',
      'usp797_category',
      'provides_nursing',
      'provides_supplies',
      'delivers_within_24h',
      'open_24x7',
      'counties_served',
      'accreditation',
      'accreditation_expires',
      'itu',
    ]);
    const required = (k: keyof typeof COLUMNS) =>
      Object.entries(COLUMNS[k] as ColumnSpecs)
        .filter(([, s]) => s.required)
        .map(([n]) => n);
    expect(required('network')).toEqual(['contract_id', 'pbp_id', 'npi', 'effective_date']);
    expect(required('capabilities')).toEqual(['npi', 'drug_class', 'usable_form']);
    expect(required('coverage_requests')).toEqual([
      'request_id',
      'contract_id',
      'pbp_id',
      'request_type',
      'expedited',
      'received_at',
    ]);
  });
});

describe('nearMissColumn', () => {
  it('finds the column a misspelt header was meant to be', () => {
    expect(nearMissColumn('pharmacies', 'Counties Servd')).toBe('counties_served');
    expect(nearMissColumn('pharmacies', 'Sterile Compunding')).toBe('sterile_compounding');
    expect(nearMissColumn('pharmacies', 'Zip Cod')).toBe('zip');
    expect(nearMissColumn('network', 'Efective Date')).toBe('effective_date');
  });
  it('leaves other headers alone: unrelated, short, or a numbered second column', () => {
    expect(nearMissColumn('pharmacies', 'Fax Number')).toBeNull();
    expect(nearMissColumn('pharmacies', 'Fax')).toBeNull();
    expect(nearMissColumn('pharmacies', 'Phone 2')).toBeNull();
    expect(nearMissColumn('service_areas', 'County Name')).toBeNull();
  });
  it('is reported by matchHeaders unless the mapping names the header', () => {
    const headers = ['contract_id', 'pbp_id', 'segment_id', 'Countyfip'];
    expect(() => matchHeaders('service_areas', headers, 's.csv')).toThrow(
      /did you mean county_fips\?/,
    );
    const m = matchHeaders('service_areas', [...headers, 'county_fips'], 's.csv');
    expect(m.nearMisses).toEqual([{ header: 'Countyfip', column: 'county_fips' }]);
    const mapped = matchHeaders('service_areas', [...headers, 'county_fips'], 's.csv', {
      global: { Countyfip: null },
      byKind: {},
    });
    expect(mapped.nearMisses).toEqual([]);
    expect(mapped.ignored).toEqual(['Countyfip']);
  });
});

describe('matchHeaders', () => {
  it('matches aliases ignoring case, spaces, _ and -', () => {
    const m = matchHeaders(
      'pharmacies',
      [
        ...PHARMACY_HEADERS.slice(0, 6),
        'county-fips',
        'PHONE',
        'service_type',
        ...PHARMACY_HEADERS.slice(9),
        'Fax',
      ],
      'p.csv',
    );
    expect(m.columns['npi']).toBe('Pharmacy NPI');
    expect(m.columns['zip']).toBe('Zip Code');
    expect(m.columns['county_fips']).toBe('county-fips');
    expect(m.positions['county_fips']).toBe(6);
    expect(m.ignored).toEqual(['Fax']);
  });

  it('accepts FIPS and NPI Number aliases', () => {
    const headers = PHARMACY_HEADERS.map((h) =>
      h === 'County FIPS' ? 'FIPS' : h === 'Pharmacy NPI' ? 'NPI Number' : h,
    );
    const m = matchHeaders('pharmacies', headers, 'p.csv');
    expect(m.columns['county_fips']).toBe('FIPS');
    expect(m.columns['npi']).toBe('NPI Number');
  });

  it('reports every missing required column with its accepted names', () => {
    const msg = formatError(() => matchHeaders('network', ['NPI', 'Contract'], 'network.csv'));
    expect(msg).toMatch(
      /^network\.csv: network roster is missing required columns: pbp_id \(or PBP/,
    );
    expect(msg).toMatch(/effective_date/);
    expect(msg).toMatch(/Headers found: NPI, Contract/);
  });

  it('rejects duplicate headers and two headers for one column', () => {
    expect(
      formatError(() => matchHeaders('pharmacies', [...PHARMACY_HEADERS, 'city'], 'p.csv')),
    ).toMatch(/"city" appears twice \(columns 4 and 14\)/);
    expect(
      formatError(() => matchHeaders('pharmacies', [...PHARMACY_HEADERS, 'NPI'], 'p.csv')),
    ).toMatch(/"Pharmacy NPI" \(column 1\) and "NPI" \(column 14\) both give npi/);
  });

  it('applies a user mapping, global or per kind, and null to ignore a column', () => {
    const mapping = parseMapping(
      {
        'Provider Identifier': 'npi',
        Notes: null,
        pharmacies: { 'Where (county)': 'county_fips' },
      },
      'map.json',
    );
    const headers = PHARMACY_HEADERS.map((h) =>
      h === 'Pharmacy NPI' ? 'Provider Identifier' : h === 'County FIPS' ? 'Where (county)' : h,
    );
    const m = matchHeaders('pharmacies', [...headers, 'Notes'], 'p.csv', mapping);
    expect(m.columns['npi']).toBe('Provider Identifier');
    expect(m.columns['county_fips']).toBe('Where (county)');
    expect(m.ignored).toEqual(['Notes']);
    // The global entry also works for other kinds that have the column.
    const c = matchHeaders(
      'capabilities',
      ['provider identifier', 'Drug Class', 'Usable Form'],
      'c.csv',
      mapping,
    );
    expect(c.columns['npi']).toBe('provider identifier');
  });

  it('rejects a mapping to an unknown column', () => {
    expect(formatError(() => parseMapping({ X: 'npi_number' }, 'map.json'))).toMatch(
      /"npi_number" is not a column/,
    );
    expect(formatError(() => parseMapping({ plans: { X: 'npi' } }, 'map.json'))).toMatch(
      /not a column of plans/,
    );
    expect(formatError(() => parseMapping(['npi'], 'map.json'))).toMatch(/JSON object/);
  });
});

describe('kind detection', () => {
  it.each([
    ['pharmacies.csv', 'pharmacies'],
    ['Pharmacies', 'pharmacies'],
    ['network', 'network'],
    ['service-areas', 'service_areas'],
    ['service_areas', 'service_areas'],
    ['Service Areas', 'service_areas'],
    ['coverage requests', 'coverage_requests'],
    ['Coverage_Requests', 'coverage_requests'],
    ['capabilities', 'capabilities'],
    ['assurances', 'assurances'],
    ['plans', 'plans'],
    ['acme-pharmacies-2026-11', 'pharmacies'],
    ['cms_network', 'cms_network'],
  ])('%s -> %s', (name, kind) => {
    expect(kindFromName(name.replace(/\.csv$/, ''))).toBe(kind);
  });

  it('does not guess', () => {
    expect(kindFromName('Sheet1')).toBeNull();
    expect(kindFromName('pharmacy network')).toBeNull(); // two kinds named
  });

  it('recognises the CMS header whatever the file name', () => {
    const headers = ['CONTRACT_ID', 'PLAN_ID', 'SEGMENT_ID', 'PHARMACY_NUMBER', 'PHARMACY_ZIPCODE'];
    expect(isCmsHeader(headers)).toBe(true);
    expect(detectKind({ file: '/x/PartD_network_2026Q3.txt', sheet: null, headers })).toBe(
      'cms_network',
    );
  });

  it('explicit kind wins; unknown kinds list the valid ones', () => {
    expect(detectKind({ file: 'x.csv', sheet: null, headers: ['a'], explicit: 'plans' })).toBe(
      'plans',
    );
    expect(
      formatError(() => detectKind({ file: 'roster.csv', sheet: null, headers: ['a'] })),
    ).toMatch(
      /pharmacies, network, capabilities, assurances, plans, service_areas, coverage_requests, cms_network/,
    );
    expect(
      formatError(() => detectKind({ file: 'book.xlsx', sheet: 'Instructions', headers: ['a'] })),
    ).toMatch(/sheet "Instructions"/);
    expect(
      detectKind({ file: 'plans.xlsx', sheet: 'Sheet1', headers: ['a'], onlySheet: true }),
    ).toBe('plans');
    expect(parseKind('service-areas', 'x')).toBe('service_areas');
    expect(formatError(() => parseKind('members', 'x'))).toMatch(/not a roster kind/);
  });
});
