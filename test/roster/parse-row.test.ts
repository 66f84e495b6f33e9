import { describe, expect, it } from 'vitest';
import {
  defaultRoleForServiceType,
  parseRow,
  type ParseRowResult,
  type RowIssue,
} from '../../src/roster/kinds/index.js';
import type { CellValue } from '../../src/roster/validate.js';
import { CTX, npi } from './helpers.js';

const NPI = '1234567893';

function ok<T>(r: ParseRowResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.value;
}
function errors<T>(r: ParseRowResult<T>): RowIssue[] {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.value)}`);
  return r.errors;
}
function columnsOf(issues: RowIssue[]): string[] {
  return issues.map((i) => i.column ?? '').sort();
}

const pharmacy: Record<string, CellValue> = {
  npi: NPI,
  ncpdp_id: '1413997',
  name: 'Lakefront Home Infusion',
  address: '1800 W Harrison St',
  city: 'Chicago',
  state: 'IL',
  zip: '60612-3001',
  county_fips: '17031',
  phone: '(312) 555-0100',
  after_hours_phone: '',
  service_type: '03',
  taxonomy: '3336H0001X|3336C0004X',
  sterile_compounding: 'Y',
  usp797_category: '2',
  provides_nursing: 'yes',
  provides_supplies: 'N',
  delivers_within_24h: 'Y',
  open_24x7: '',
  counties_served: '',
  accreditation: 'ACHC|Joint Commission',
  accreditation_expires: '03/31/2028',
};

describe('parseRow pharmacies', () => {
  it('builds a Pharmacy with defaults applied', () => {
    expect(ok(parseRow('pharmacies', pharmacy, CTX))).toEqual({
      npi: NPI,
      ncpdpId: '1413997',
      name: 'Lakefront Home Infusion',
      address: '1800 W Harrison St',
      city: 'Chicago',
      state: 'IL',
      zip: '60612',
      countyFips: '17031',
      phone: '3125550100',
      afterHoursPhone: null,
      serviceType: '03',
      taxonomyCodes: ['3336H0001X', '3336C0004X'],
      sterileCompounding: true,
      usp797Category: 2,
      providesNursing: true,
      providesSupplies: false,
      deliversWithin24h: true,
      open24x7: false,
      countiesServed: ['17031'],
      accreditations: ['ACHC', 'TJC'],
      accreditationExpires: '2028-03-31',
      itu: null, // no itu column: not known
    });
  });

  it('lists every error of the row, not just the first', () => {
    const r = parseRow(
      'pharmacies',
      {
        ...pharmacy,
        npi: '1234567890',
        state: 'IL',
        county_fips: '18089', // Lake County, IN
        phone: '555-0100',
        service_type: '42',
        sterile_compounding: 'maybe',
        accreditation: 'ACHC|BOGUS',
        accreditation_expires: '2028-02-30',
      },
      CTX,
    );
    const errs = errors(r);
    expect(columnsOf(errs)).toEqual([
      'accreditation',
      'accreditation_expires',
      'county_fips',
      'npi',
      'phone',
      'service_type',
      'sterile_compounding',
    ]);
    const fips = errs.find((e) => e.column === 'county_fips')!;
    expect(fips.value).toBe('18089');
    expect(fips.reason).toMatch(/18089 is in IN .* state is IL/);
    expect(errs.find((e) => e.column === 'accreditation')!.reason).toMatch(/ACHC, TJC, CHAP/);
  });

  it('reports missing required values and keeps optional blanks', () => {
    const r = parseRow('pharmacies', { npi: NPI, state: 'IL' }, CTX);
    expect(columnsOf(errors(r))).toEqual([
      'address',
      'city',
      'county_fips',
      'delivers_within_24h',
      'name',
      'phone',
      'provides_nursing',
      'provides_supplies',
      'service_type',
      'sterile_compounding',
      'zip',
    ]);
  });

  it('restores Excel-mangled leading zeros with warnings', () => {
    const r = parseRow(
      'pharmacies',
      { ...pharmacy, state: 'CT', zip: 6103, county_fips: 9003, counties_served: '9003|09009' },
      CTX,
    );
    const v = ok(r);
    expect(v.zip).toBe('06103');
    expect(v.countyFips).toBe('09003');
    expect(v.countiesServed).toEqual(['09003', '09009']);
    expect(r.warnings.map((w) => w.column)).toEqual(['zip', 'county_fips', 'counties_served']);
  });
});

describe('parseRow network', () => {
  const row = {
    contract_id: 'S4802',
    pbp_id: '1',
    segment_id: '',
    npi: NPI,
    role: '',
    effective_date: '2026-01-01',
    termination_date: '',
  };
  it('leaves a blank role null for the importer to derive', () => {
    expect(ok(parseRow('network', row, CTX))).toEqual({
      contractId: 'S4802',
      pbpId: '001',
      segmentId: '000',
      npi: NPI,
      role: null,
      effectiveDate: '2026-01-01',
      terminationDate: null,
      // (The sponsor's network roster has no ZIP column; the CMS file's memberships carry one.)
      zip: null,
    });
    expect(ok(parseRow('network', { ...row, role: 'Home Infusion' }, CTX)).role).toBe(
      'home_infusion',
    );
  });
  it('rejects a termination before the effective date', () => {
    const errs = errors(parseRow('network', { ...row, termination_date: '12/31/2025' }, CTX));
    expect(errs).toEqual([
      {
        column: 'termination_date',
        value: '12/31/2025',
        reason: 'termination date 2025-12-31 is before effective date 2026-01-01',
      },
    ]);
  });
  it('lists all errors together', () => {
    const errs = errors(
      parseRow(
        'network',
        { ...row, contract_id: 'Z1', pbp_id: 'ABC', role: 'pharmacy', effective_date: '' },
        CTX,
      ),
    );
    expect(columnsOf(errs)).toEqual(['contract_id', 'effective_date', 'pbp_id', 'role']);
    expect(errs.find((e) => e.column === 'role')!.reason).toMatch(
      /home_infusion, retail, mail, ltc, specialty/,
    );
  });
  it('derives the default role from the service type', () => {
    expect(defaultRoleForServiceType('03')).toBe('home_infusion');
    expect(defaultRoleForServiceType('05')).toBe('ltc');
    expect(defaultRoleForServiceType('06')).toBe('mail');
    expect(defaultRoleForServiceType('08')).toBe('specialty');
    expect(defaultRoleForServiceType('01')).toBe('retail');
    expect(defaultRoleForServiceType('99')).toBe('retail');
  });
});

describe('parseRow capabilities and assurances', () => {
  it('checks the drug class against the catalog and lists the valid codes', () => {
    expect(
      ok(parseRow('capabilities', { npi: NPI, drug_class: 'abx_iv', usable_form: 'Y' }, CTX)),
    ).toEqual({ npi: NPI, drugClass: 'ABX_IV', usableForm: true, notes: null });
    const errs = errors(
      parseRow('capabilities', { npi: NPI, drug_class: 'IVIG', usable_form: 'Q' }, CTX),
    );
    expect(columnsOf(errs)).toEqual(['drug_class', 'usable_form']);
    expect(errs[0]!.reason).toBe(
      '"IVIG" is not a drug class of the catalog: use one of A1PI, ABX_IV, PN_TEMPORARY',
    );
  });

  const assurance = {
    npi: NPI,
    entity_name: 'Visiting Nurse Association of Northern Illinois',
    entity_type: 'vna',
    entity_npi: npi('226409028'),
    services: 'nursing|Supplies',
    counties: '',
    effective_date: '2024-01-01',
    expiration_date: '2027-12-31',
    document_ref: 'LHP-ASR-2024-001',
  };
  it('builds an Assurance; blank counties means every county', () => {
    expect(ok(parseRow('assurances', assurance, CTX))).toEqual({
      npi: NPI,
      entityName: 'Visiting Nurse Association of Northern Illinois',
      entityType: 'VNA',
      entityNpi: npi('226409028'),
      services: ['nursing', 'supplies'],
      counties: ['*'],
      effectiveDate: '2024-01-01',
      expirationDate: '2027-12-31',
      documentRef: 'LHP-ASR-2024-001',
    });
    expect(
      ok(parseRow('assurances', { ...assurance, counties: '17031|17043' }, CTX)).counties,
    ).toEqual(['17031', '17043']);
  });
  it('rejects bad services, a mixed * list and an expiry before the start', () => {
    const errs = errors(
      parseRow(
        'assurances',
        {
          ...assurance,
          entity_type: 'hospital',
          services: 'nursing|meals',
          counties: '*|17031',
          expiration_date: '2023-12-31',
        },
        CTX,
      ),
    );
    expect(columnsOf(errs)).toEqual(['counties', 'entity_type', 'expiration_date', 'services']);
    expect(errs.find((e) => e.column === 'entity_type')!.reason).toMatch(
      /HHA, VNA, NURSING_AGENCY, HI_AGENCY, OTHER/,
    );
  });
});

describe('parseRow plans, service areas, coverage requests, CMS rows', () => {
  it('builds a Plan and warns on a contract/plan type mismatch', () => {
    const row = {
      contract_id: 'S4802',
      pbp_id: '001',
      plan_name: 'Lakeshore Rx Value (PDP)',
      plan_type: 'MA-PD',
      member_services_phone: '800-555-0142',
      provider_services_phone: '8005550143',
      hi_access_directions: 'Call Member Services and say "home infusion".',
      directions_reviewed_on: '2026-03-12',
    };
    const r = parseRow('plans', row, CTX);
    expect(ok(r)).toMatchObject({
      segmentId: '000',
      planType: 'MA-PD',
      memberServicesPhone: '8005550142',
    });
    expect(r.warnings[0]!.reason).toMatch(/stand-alone PDP contract/);
    expect(
      columnsOf(
        errors(parseRow('plans', { ...row, plan_type: 'HMO', hi_access_directions: ' ' }, CTX)),
      ),
    ).toEqual(['hi_access_directions', 'plan_type']);
  });

  it('builds a ServiceArea', () => {
    expect(
      ok(
        parseRow(
          'service_areas',
          { contract_id: 'H3312', pbp_id: '14', county_fips: '17031' },
          CTX,
        ),
      ),
    ).toEqual({ contractId: 'H3312', pbpId: '014', segmentId: '000', countyFips: '17031' });
    expect(
      errors(
        parseRow('service_areas', { contract_id: 'H3312', pbp_id: '14', county_fips: 'Cook' }, CTX),
      )[0]!.column,
    ).toBe('county_fips');
  });

  const request = {
    request_id: 'LHP-CD-26-0101',
    contract_id: 'S4802',
    pbp_id: '001',
    drug_class: 'ABX_IV',
    drug_name: 'vancomycin',
    request_type: 'coverage determination',
    expedited: 'Y',
    received_at: '2026-10-05T10:10',
    supporting_statement_at: '',
    decided_at: '2026-10-06T18:40:00Z',
    outcome: 'approved',
    member_id: 'LHP68196128',
  };
  it('builds a CoverageRequest with instants in UTC and the member id masked', () => {
    expect(ok(parseRow('coverage_requests', request, CTX))).toEqual({
      requestId: 'LHP-CD-26-0101',
      contractId: 'S4802',
      pbpId: '001',
      drugClass: 'ABX_IV',
      drugName: 'vancomycin',
      requestType: 'coverage_determination',
      expedited: true,
      receivedAt: '2026-10-05T14:10:00.000Z',
      supportingStatementAt: null,
      decidedAt: '2026-10-06T18:40:00.000Z',
      outcome: 'approved',
      memberIdMasked: '****6128',
    });
  });
  it.each(['payment_redetermination', 'Payment Redetermination', 'payment redet'])(
    'reads request type %s as a payment redetermination (14 days, 423.590(b))',
    (value) => {
      const r = ok(parseRow('coverage_requests', { ...request, request_type: value }, CTX));
      expect((r as { requestType: string }).requestType).toBe('payment_redetermination');
    },
  );
  it('rejects a decision before receipt and never echoes the member id', () => {
    const errs = errors(
      parseRow(
        'coverage_requests',
        { ...request, decided_at: '2026-10-05T09:00', request_type: 'appeal' },
        CTX,
      ),
    );
    expect(columnsOf(errs)).toEqual(['decided_at', 'request_type']);
    expect(errs.find((e) => e.column === 'decided_at')!.reason).toMatch(/before received at/);
    expect(JSON.stringify(errs)).not.toContain('LHP68196128');
  });

  it('builds a CmsNetworkRow; a masked ZIP is null', () => {
    const row = {
      contract_id: 'H3312',
      pbp_id: '014',
      segment_id: '000',
      npi: '1658588375',
      zip: 'XXXXX',
      preferred_retail: 'N',
      preferred_mail: 'N',
      retail: 'Y',
      mail: 'N',
      in_area: '1',
    };
    expect(ok(parseRow('cms_network', row, CTX))).toEqual({
      contractId: 'H3312',
      pbpId: '014',
      segmentId: '000',
      npi: '1658588375',
      zip: null,
      retail: true,
      mail: false,
      preferredRetail: false,
      preferredMail: false,
      inArea: true,
    });
  });
});

describe('enrollment rows', () => {
  const row = (o: Record<string, CellValue>) =>
    parseRow('enrollment', { contract_id: 'S4802', pbp_id: '1', ...o }, CTX);

  it('gives a ZIP-only row the main county of its ZIP, and reads thousands separators', () => {
    expect(ok(row({ zip: '60010-1234', members: '1,240' }))).toEqual({
      contractId: 'S4802',
      pbpId: '001',
      segmentId: '000',
      zip: '60010',
      countyFips: '17089',
      members: 1240,
    });
    expect(ok(row({ zip: '60612', members: 12 })).countyFips).toBe('17031');
  });

  it('accepts a county of a ZIP that straddles a county line, and a county alone', () => {
    expect(ok(row({ zip: '60010', county_fips: '17097', members: '1 005' }))).toMatchObject({
      zip: '60010',
      countyFips: '17097',
      members: 1005,
    });
    expect(ok(row({ county_fips: '18089', members: '0' }))).toMatchObject({
      zip: null,
      countyFips: '18089',
      members: 0,
    });
  });

  it("rejects a county that is not among the ZIP's counties, naming them", () => {
    const e = errors(row({ zip: '60010', county_fips: '17201', members: '5' }));
    expect(e).toEqual([
      {
        column: 'county_fips',
        value: '17201',
        reason:
          'county FIPS 17201 is not a county of ZIP 60010 (the ZIP reference gives 17089, 17031, 17097, 17111)',
      },
    ]);
  });

  it('accepts a ZIP the reference does not know only with a county', () => {
    const e = errors(row({ zip: '99999', members: '5' }));
    expect(e[0]).toMatchObject({ column: 'zip', value: '99999' });
    expect(e[0]!.reason).toContain('ZIP 99999 is not in the US ZIP reference');
    expect(e[0]!.reason).toContain('county_fips');
    const r = row({ zip: '99999', county_fips: '17031', members: '5' });
    expect(ok(r)).toMatchObject({ zip: '99999', countyFips: '17031' });
    expect(r.warnings.map((w) => w.column)).toEqual(['zip']);
  });

  it('rejects a row with neither ZIP nor county, and bad member counts', () => {
    expect(errors(row({ members: '3' }))[0]!.reason).toContain('neither a ZIP');
    for (const bad of ['-3', '2.5', 'many', '12,34', '']) {
      const e = errors(row({ zip: '60612', members: bad }));
      expect(columnsOf(e)).toEqual(['members']);
    }
  });

  it('restores a ZIP that lost its leading zero from the state of the county', () => {
    const r = row({ zip: '6103', county_fips: '09003', members: '7' });
    expect(ok(r)).toMatchObject({ zip: '06103', countyFips: '09003' });
    expect(r.warnings[0]!.reason).toContain('lost its leading zero');
  });
});
