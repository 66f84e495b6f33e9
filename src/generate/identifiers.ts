/**
 * Identifier helpers for synthetic rosters: NPIs with a correct check digit, NCPDP ids, NANP
 * phone numbers and ZIP codes that are plausible for a state.
 */
import type { Rng } from './prng.js';

/**
 * Check digit of an NPI whose first 9 digits are given: Luhn mod 10 computed as if the number
 * were prefixed by 80840 (the ISO card issuer prefix), i.e. 24 is added to the Luhn sum.
 */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new Error(`NPI base must be 9 digits, got "${first9}"`);
  let sum = 24;
  // The check digit will sit at the right, so the rightmost base digit is doubled.
  for (let i = 0; i < 9; i++) {
    let d = first9.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the string is a 10-digit NPI starting with 1 or 2 whose check digit is right. */
export function isValidNpi(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** An NPI from a leading digit (1 individual, 2 organisation) and an 8-digit body number. */
export function npiFrom(lead: 1 | 2, body: number): string {
  const first9 = `${lead}${String(body).padStart(8, '0')}`;
  return first9 + String(npiCheckDigit(first9));
}

/** USPS code -> a few real area codes of the state. */
export const AREA_CODES: Record<string, readonly string[]> = {
  AL: ['205', '251', '256', '334'],
  AK: ['907'],
  AZ: ['480', '520', '602', '928'],
  AR: ['479', '501', '870'],
  CA: ['213', '415', '559', '619', '714', '916'],
  CO: ['303', '719', '970'],
  CT: ['203', '860'],
  DE: ['302'],
  DC: ['202'],
  FL: ['305', '407', '813', '904'],
  GA: ['404', '706', '912'],
  HI: ['808'],
  ID: ['208'],
  IL: ['217', '309', '312', '618', '630', '815', '847'],
  IN: ['219', '260', '317', '574', '765', '812'],
  IA: ['319', '515', '712'],
  KS: ['316', '785', '913'],
  KY: ['502', '606', '859'],
  LA: ['225', '318', '504'],
  ME: ['207'],
  MD: ['301', '410'],
  MA: ['413', '508', '617'],
  MI: ['231', '248', '313', '517', '586', '616', '734', '810', '989'],
  MN: ['218', '507', '612', '651'],
  MS: ['601', '662'],
  MO: ['314', '417', '573', '816'],
  MT: ['406'],
  NE: ['308', '402'],
  NV: ['702', '775'],
  NH: ['603'],
  NJ: ['201', '609', '732', '973'],
  NM: ['505', '575'],
  NY: ['212', '315', '518', '585', '716'],
  NC: ['336', '704', '910', '919'],
  ND: ['701'],
  OH: ['216', '330', '513', '614', '937'],
  OK: ['405', '918'],
  OR: ['503', '541'],
  PA: ['215', '412', '570', '717', '814'],
  RI: ['401'],
  SC: ['803', '843', '864'],
  SD: ['605'],
  TN: ['423', '615', '865', '901'],
  TX: ['210', '214', '512', '713', '806', '915'],
  UT: ['435', '801'],
  VT: ['802'],
  VA: ['540', '703', '757', '804'],
  WA: ['206', '360', '509'],
  WV: ['304'],
  WI: ['414', '608', '715', '920'],
  WY: ['307'],
  AS: ['684'],
  GU: ['671'],
  MP: ['670'],
  PR: ['787', '939'],
  VI: ['340'],
};

/** USPS code -> inclusive ranges of 3-digit ZIP prefixes assigned to the state. */
export const ZIP_PREFIXES: Record<string, readonly (readonly [number, number])[]> = {
  AL: [[350, 369]],
  AK: [[995, 999]],
  AZ: [[850, 865]],
  AR: [[716, 729]],
  CA: [[900, 961]],
  CO: [[800, 816]],
  CT: [[60, 69]],
  DE: [[197, 199]],
  DC: [[200, 200]],
  FL: [[320, 349]],
  GA: [
    [300, 319],
    [398, 399],
  ],
  HI: [[967, 968]],
  ID: [[832, 838]],
  IL: [[600, 629]],
  IN: [[460, 479]],
  IA: [[500, 528]],
  KS: [[660, 679]],
  KY: [[400, 427]],
  LA: [[700, 714]],
  ME: [[39, 49]],
  MD: [[206, 219]],
  MA: [[10, 27]],
  MI: [[480, 499]],
  MN: [[550, 567]],
  MS: [[386, 397]],
  MO: [[630, 658]],
  MT: [[590, 599]],
  NE: [[680, 693]],
  NV: [[889, 898]],
  NH: [[30, 38]],
  NJ: [[70, 89]],
  NM: [[870, 884]],
  NY: [[100, 149]],
  NC: [[270, 289]],
  ND: [[580, 588]],
  OH: [[430, 459]],
  OK: [[730, 749]],
  OR: [[970, 979]],
  PA: [[150, 196]],
  RI: [[28, 29]],
  SC: [[290, 299]],
  SD: [[570, 577]],
  TN: [[370, 385]],
  TX: [[750, 799]],
  UT: [[840, 847]],
  VT: [[50, 59]],
  VA: [[220, 246]],
  WA: [[980, 994]],
  WV: [[247, 268]],
  WI: [[530, 549]],
  WY: [[820, 831]],
  AS: [[967, 967]],
  GU: [[969, 969]],
  MP: [[969, 969]],
  PR: [
    [6, 7],
    [9, 9],
  ],
  VI: [[8, 8]],
};

/**
 * NCPDP's two-digit state codes as used in the first two digits of an NCPDP Provider ID.
 * Approximation for synthetic data (alphabetical by state name, DC after Delaware); the real
 * table is NCPDP's and is not needed here.
 */
const NCPDP_STATE_ORDER = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'PR',
  'VI',
  'GU',
  'AS',
  'MP',
] as const;

export function ncpdpStateCode(state: string): string {
  const i = (NCPDP_STATE_ORDER as readonly string[]).indexOf(state);
  if (i < 0) throw new Error(`no NCPDP state code for ${state}`);
  return String(i + 1).padStart(2, '0');
}

/** A 7-digit NCPDP Provider ID: state code + a 5-digit serial. */
export function ncpdpId(state: string, serial: number): string {
  if (serial < 0 || serial > 99_999) throw new RangeError(`NCPDP serial out of range: ${serial}`);
  return ncpdpStateCode(state) + String(serial).padStart(5, '0');
}

/** A ZIP code whose 3-digit prefix belongs to the state. */
export function zipFor(rng: Rng, state: string): string {
  const ranges = ZIP_PREFIXES[state];
  if (!ranges) throw new Error(`no ZIP prefixes for ${state}`);
  const [lo, hi] = rng.pick(ranges);
  return String(rng.int(lo, hi)).padStart(3, '0') + rng.digits(2);
}

/** N digit 2-9 followed by two digits, never N11 (service codes) and never 555 (directory). */
function exchange(rng: Rng): string {
  for (;;) {
    const e = `${rng.int(2, 9)}${rng.digits(2)}`;
    if (e.slice(1) !== '11' && e !== '555') return e;
  }
}

/** A 10-digit NANP number with one of the state's area codes. */
export function phoneFor(rng: Rng, state: string): string {
  const codes = AREA_CODES[state];
  if (!codes) throw new Error(`no area codes for ${state}`);
  return rng.pick(codes) + exchange(rng) + rng.digits(4);
}

/** A toll-free number (800/888/877/866/855). */
export function tollFreePhone(rng: Rng): string {
  return rng.pick(['800', '888', '877', '866', '855']) + exchange(rng) + rng.digits(4);
}

/** True for a 10-digit NANP number whose area code and exchange do not start with 0 or 1. */
export function isNanpPhone(phone: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(phone);
}
