import { describe, expect, it } from 'vitest';
import {
  STATE_FIPS,
  maskMemberId,
  parseContractId,
  parseCountyFips,
  parseDate,
  parseEnum,
  parseInstant,
  parseList,
  parseNcpdpId,
  parseNpi,
  parsePbpId,
  parsePhone,
  parseSegmentId,
  parseServiceType,
  parseState,
  parseTaxonomyCode,
  parseYesNo,
  parseZip,
  type CellValue,
  type FieldResult,
} from '../../src/roster/validate.js';
import { wallTimeToUtcMs } from '../../src/util/time.js';

function value<T>(r: FieldResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.value;
}
function reason<T>(r: FieldResult<T>): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

describe('parseNpi', () => {
  it.each<[CellValue, string]>([
    ['1234567893', '1234567893'],
    [' 1234567893 ', '1234567893'],
    ['1664330127', '1664330127'], // from the CMS sample file
    ['1618101111', '1618101111'],
    [1234567893, '1234567893'], // a number cell from XLSX
    ['1234567893.0', '1234567893'],
    ['1.234567893E+09', '1234567893'], // scientific notation holding every digit
    ['1.234567893e9', '1234567893'],
  ])('accepts %s', (input, expected) => {
    expect(value(parseNpi(input))).toBe(expected);
  });

  it.each<[CellValue, RegExp]>([
    ['1234567890', /check digit/],
    ['1234567894', /check digit/],
    ['123456789', /10 digits, this has 9/],
    ['12345678930', /this has 11/],
    ['3234567893', /starts with 1/],
    ['12345A7893', /10 digits/],
    ['1.23456789E+09', /scientific notation.*lost/],
    ['1.2345679E+09', /scientific notation/],
    [1234567893.5, /no decimals/],
    ['', /missing/],
    [null, /missing/],
  ])('rejects %s', (input, pattern) => {
    expect(reason(parseNpi(input))).toMatch(pattern);
  });

  it('warns when it recovers an NPI from scientific notation', () => {
    const r = parseNpi('1.234567893E+09');
    expect(r.ok && r.warnings?.[0]).toMatch(/scientific notation/);
  });
});

describe('identifiers', () => {
  it('NCPDP ID is 7 digits; 6 digits get their leading zero back with a warning', () => {
    expect(value(parseNcpdpId('1413997'))).toBe('1413997');
    const r = parseNcpdpId(413997);
    expect(value(r)).toBe('0413997');
    expect(r.ok && r.warnings).toHaveLength(1);
    expect(reason(parseNcpdpId('14139'))).toMatch(/7 digits/);
    expect(reason(parseNcpdpId('14139978'))).toMatch(/7 digits/);
  });

  it('contract id is H/S/R/E and 4 digits', () => {
    expect(value(parseContractId('s4802'))).toBe('S4802');
    expect(value(parseContractId('H3312'))).toBe('H3312');
    expect(value(parseContractId('R1234'))).toBe('R1234');
    expect(value(parseContractId('E0001'))).toBe('E0001');
    expect(reason(parseContractId('X1234'))).toMatch(/H, S, R or E/);
    expect(reason(parseContractId('S123'))).toMatch(/4 digits/);
  });

  it('PBP pads 1-2 digits; segment defaults to 000', () => {
    expect(value(parsePbpId('001'))).toBe('001');
    expect(value(parsePbpId('1'))).toBe('001');
    expect(value(parsePbpId(14))).toBe('014');
    expect(value(parsePbpId('801'))).toBe('801');
    expect(reason(parsePbpId('1234'))).toMatch(/3 digits/);
    expect(reason(parsePbpId(''))).toMatch(/missing/);
    expect(value(parseSegmentId(''))).toBe('000');
    expect(value(parseSegmentId(null))).toBe('000');
    expect(value(parseSegmentId('2'))).toBe('002');
    expect(reason(parseSegmentId('A'))).toMatch(/3 digits/);
  });

  it('taxonomy codes are 10 characters ending in X', () => {
    expect(value(parseTaxonomyCode('3336h0001x'))).toBe('3336H0001X');
    expect(value(parseTaxonomyCode('333600000X'))).toBe('333600000X');
    expect(value(parseTaxonomyCode('251E00000X'))).toBe('251E00000X');
    expect(reason(parseTaxonomyCode('3336H0001'))).toMatch(/NUCC/);
  });
});

describe('state, ZIP and county FIPS', () => {
  it('knows the 50 states, DC and the five territories', () => {
    expect(Object.keys(STATE_FIPS)).toHaveLength(56);
    expect(STATE_FIPS['IL']).toBe('17');
    expect(STATE_FIPS['PR']).toBe('72');
    expect(STATE_FIPS['DC']).toBe('11');
    for (const s of ['VI', 'GU', 'AS', 'MP']) expect(value(parseState(s))).toBe(s);
    expect(value(parseState(' ny '))).toBe('NY');
    expect(reason(parseState('XX'))).toMatch(/USPS state code/);
    expect(reason(parseState('Illinois'))).toMatch(/2-letter/);
  });

  it.each<[CellValue, string | null, string]>([
    ['60612', 'IL', '60612'],
    ['60612-1234', 'IL', '60612'],
    ['606121234', 'IL', '60612'],
    [60612, 'IL', '60612'],
    ['06103', 'CT', '06103'],
  ])('ZIP %s (%s) -> %s', (input, state, expected) => {
    const r = parseZip(input, state);
    expect(value(r)).toBe(expected);
    expect(r.ok && r.warnings).toBeFalsy();
  });

  it('restores a ZIP that lost its leading zero, with a warning, only where ZIPs start with 0', () => {
    const ct = parseZip(6103, 'CT');
    expect(value(ct)).toBe('06103');
    expect(ct.ok && ct.warnings?.[0]).toMatch(/leading zero.*06103/);
    expect(value(parseZip('2134', 'MA'))).toBe('02134');
    expect(value(parseZip('61031234', 'CT'))).toBe('06103');
    expect(value(parseZip('601', 'PR'))).toBe('00601');
    expect(reason(parseZip('6061', 'IL'))).toMatch(/4 digits/);
    expect(reason(parseZip('2134', null))).toMatch(/4 digits/);
    expect(reason(parseZip('ABCDE', 'IL'))).toMatch(/not a ZIP/);
  });

  it('county FIPS must be 5 digits in the row state', () => {
    expect(value(parseCountyFips('17031', 'IL'))).toBe('17031');
    expect(value(parseCountyFips(17031, 'IL'))).toBe('17031');
    expect(value(parseCountyFips('17031'))).toBe('17031');
    expect(reason(parseCountyFips('18089', 'IL'))).toMatch(/18089 is in IN .* state is IL/);
    expect(reason(parseCountyFips('99001'))).toMatch(/not a state FIPS/);
    expect(reason(parseCountyFips('01000'))).toMatch(/SSA/);
    expect(reason(parseCountyFips('1703', 'IL'))).toMatch(/4 digits/);
    expect(value(parseCountyFips('1703'))).toBe('01703'); // no state: any valid state prefix
    expect(reason(parseCountyFips('170311'))).toMatch(/5 digits/);
  });

  it('restores a 4-digit county FIPS when the leading zero makes it match the state', () => {
    const r = parseCountyFips(6037, 'CA');
    expect(value(r)).toBe('06037');
    expect(r.ok && r.warnings?.[0]).toMatch(/leading zero/);
    expect(value(parseCountyFips('1001', 'AL'))).toBe('01001');
    expect(reason(parseCountyFips('6037', 'NY'))).toMatch(/does not give a NY county/);
  });
});

describe('parsePhone', () => {
  it.each<[CellValue, string]>([
    ['3125550100', '3125550100'],
    ['(312) 555-0100', '3125550100'],
    ['312.555.0100', '3125550100'],
    ['1-312-555-0100', '3125550100'],
    ['+1 312 555 0100', '3125550100'],
    [3125550100, '3125550100'],
    ['312-555-0100 x12', '3125550100 x12'],
    ['(312) 555-0100 ext. 4501', '3125550100 x4501'],
    ['1-800-555-0100, extension 2', '8005550100 x2'],
  ])('accepts %s', (input, expected) => {
    expect(value(parsePhone(input))).toBe(expected);
  });
  it.each<[CellValue, RegExp]>([
    ['555-0100', /10 digits/],
    ['(012) 555-0100', /area code/],
    ['(112) 555-0100', /area code/],
    ['(312) 055-0100', /exchange/],
    ['(312) 155-0100', /exchange/],
    ['312-555-0100 call first', /letters/],
    ['2-312-555-0100', /10 digits/],
    ['', /missing/],
  ])('rejects %s', (input, pattern) => {
    expect(reason(parsePhone(input))).toMatch(pattern);
  });
});

describe('parseDate', () => {
  it.each<[CellValue, string]>([
    ['2026-01-31', '2026-01-31'],
    ['2026-1-5', '2026-01-05'],
    ['01/31/2026', '2026-01-31'],
    ['1/5/2026', '2026-01-05'],
    ['2024-02-29', '2024-02-29'],
    ['2026-01-31 00:00:00', '2026-01-31'],
    [new Date(Date.UTC(2026, 0, 31)), '2026-01-31'],
    [46053, '2026-01-31'], // Excel serial
    ['46053', '2026-01-31'],
  ])('accepts %s', (input, expected) => {
    expect(value(parseDate(input))).toBe(expected);
  });
  it.each<[CellValue, RegExp]>([
    ['2026-02-29', /real calendar date/],
    ['2026-13-01', /real calendar date/],
    ['02/30/2026', /real calendar date/],
    ['31/01/2026', /real calendar date/],
    ['1/5/26', /2-digit year/],
    ['January 5, 2026', /YYYY-MM-DD/],
    ['', /missing/],
    [12, /not a date/],
    // Years outside 1900-2199, however written.
    ['1899-12-31', /out of range: the year must be 1900 to 2199/],
    ['01/01/2200', /out of range: the year must be 1900 to 2199/],
    [new Date(Date.UTC(2200, 0, 1)), /out of range/],
    [new Date(8.64e15), /out of range/],
    [2958465, /out of range/], // Excel serial of 9999-12-31
  ])('rejects %s', (input, pattern) => {
    expect(reason(parseDate(input))).toMatch(pattern);
  });
});

describe('parseInstant', () => {
  const NY = 'America/New_York';
  it.each<[CellValue, string]>([
    ['2026-03-02T14:05:00Z', '2026-03-02T14:05:00.000Z'],
    ['2026-03-02T14:05Z', '2026-03-02T14:05:00.000Z'],
    ['2026-03-02T14:05:00+02:00', '2026-03-02T12:05:00.000Z'],
    ['2026-03-02T14:05:00-0500', '2026-03-02T19:05:00.000Z'],
    ['2026-03-02T14:05:00.250Z', '2026-03-02T14:05:00.250Z'],
    // No zone: read in New York (EST in March before the switch, EDT in July).
    ['2026-03-02T14:05', '2026-03-02T19:05:00.000Z'],
    ['2026-07-02 14:05:30', '2026-07-02T18:05:30.000Z'],
    // A Date from XLSX is a wall-clock time.
    [new Date(Date.UTC(2026, 6, 2, 14, 5)), '2026-07-02T18:05:00.000Z'],
    // The ends of the accepted years.
    [new Date(Date.UTC(1900, 0, 1)), '1900-01-01T05:00:00.000Z'],
    ['2199-12-31T23:59:59Z', '2199-12-31T23:59:59.000Z'],
    // As claims systems export date-times: US order, 12-hour clock with AM/PM, or 24-hour.
    ['10/25/2026 2:30 PM', '2026-10-25T18:30:00.000Z'],
    ['10/25/2026 12:05 am', '2026-10-25T04:05:00.000Z'],
    ['10/25/2026 12:05 PM', '2026-10-25T16:05:00.000Z'],
    ['1/5/2026 9:00:15 pm', '2026-01-06T02:00:15.000Z'],
    ['10/25/2026 14:30', '2026-10-25T18:30:00.000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(value(parseInstant(input, NY))).toBe(expected);
  });

  it('handles daylight-saving transitions', () => {
    // Spring forward: 02:30 does not exist in New York on 2026-03-08; moved forward to 03:30 EDT.
    expect(value(parseInstant('2026-03-08T02:30', NY))).toBe('2026-03-08T07:30:00.000Z');
    // Fall back: 01:30 happens twice on 2026-11-01; the earlier (EDT) is taken.
    expect(value(parseInstant('2026-11-01T01:30', NY))).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(wallTimeToUtcMs(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toISOString()).toBe(
      '2025-12-31T18:30:00.000Z',
    );
  });

  it.each<[CellValue, RegExp]>([
    ['2026-03-02', /no time/],
    ['2026-02-30T10:00', /real calendar date/],
    ['2026-03-02T25:00', /impossible time/],
    ['10/25/2026 13:30 PM', /impossible time/],
    ['10/25/2026 0:30 AM', /impossible time/],
    ['02/30/2026 1:00 PM', /real calendar date/],
    ['10/25/2026', /no time/],
    ['yesterday', /not a date and time/],
    ['', /missing/],
    // Years outside 1900-2199, however written; never a RangeError at the ends of the Date range.
    ['1899-12-31T23:00', /out of range: the year must be 1900 to 2199/],
    ['2200-01-01T00:00Z', /out of range: the year must be 1900 to 2199/],
    [new Date(8.64e15), /out of range/],
    [new Date(-8.64e15), /out of range/],
    [new Date(Date.UTC(84000, 0, 1)), /out of range/],
    [2958465, /out of range/], // Excel serial of 9999-12-31
  ])('rejects %s', (input, pattern) => {
    expect(reason(parseInstant(input, NY))).toMatch(pattern);
  });

  it('rejects an unknown time zone', () => {
    expect(reason(parseInstant('2026-03-02T14:05', 'Mars/Olympus'))).toMatch(/IANA/);
  });
});

describe('yes/no, lists, enums, service types', () => {
  it.each([
    ['Y', true],
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['n', false],
    ['No', false],
    ['false', false],
    ['0', false],
  ])('yes/no %s', (input, expected) => {
    expect(value(parseYesNo(input))).toBe(expected);
  });
  it('rejects other yes/no values', () => {
    expect(reason(parseYesNo('maybe'))).toMatch(/Y or N/);
  });

  it('splits |-lists and names every bad item', () => {
    const item = (s: string) => parseEnum(s, ['ACHC', 'TJC'] as const, 'accreditor');
    expect(value(parseList('achc| TJC |', item, 'accreditation'))).toEqual(['ACHC', 'TJC']);
    expect(value(parseList('', item, 'accreditation'))).toEqual([]);
    const r = reason(parseList('ACHC|XYZ|QQQ', item, 'accreditation'));
    expect(r).toMatch(/"XYZ".*"QQQ"/);
    expect(r).toMatch(/ACHC, TJC/);
    expect(reason(parseList('ACHC, TJC', item, 'accreditation'))).toMatch(/separate .* with \|/);
  });

  it('enum errors list the valid values', () => {
    expect(reason(parseEnum('bogus', ['PDP', 'MA-PD'] as const, 'plan type'))).toBe(
      '"bogus" is not a valid plan type: use one of PDP, MA-PD',
    );
    expect(value(parseEnum('ma pd', ['PDP', 'MA-PD'] as const, 'plan type'))).toBe('MA-PD');
  });

  it('service type accepts codes, a lost leading zero and names', () => {
    expect(value(parseServiceType('03'))).toBe('03');
    expect(value(parseServiceType(3))).toBe('03');
    expect(value(parseServiceType('Home infusion therapy provider'))).toBe('03');
    expect(value(parseServiceType('home infusion'))).toBe('03');
    expect(value(parseServiceType('99'))).toBe('99');
    expect(reason(parseServiceType('09'))).toMatch(/03 Home infusion therapy provider/);
  });

  it('masks member ids', () => {
    expect(maskMemberId('LHP68196128')).toBe('****6128');
    expect(maskMemberId('123')).toBe('****');
    expect(maskMemberId('')).toBeNull();
  });
});
