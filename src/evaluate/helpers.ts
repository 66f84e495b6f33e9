/** Small helpers shared by the rule files: subjects, display labels, phone numbers. */
import type { DrugClass, NetworkSnapshot, Pharmacy } from '../domain/types.js';
import type { PlanIndex } from './network-index.js';
import type { Subject } from './rule.js';

/** The plan part of a finding's subject. */
export function planSubject(plan: PlanIndex): Subject {
  return { contractId: plan.contractId, pbpId: plan.pbpId, segmentId: plan.segmentId };
}

/** 'Cook, IL (17031)', or the bare FIPS code when the county is unknown. */
export function countyLabel(snapshot: NetworkSnapshot, fips: string): string {
  const c = snapshot.counties.get(fips);
  return c ? `${c.name}, ${c.state} (${fips})` : fips;
}

/** 'IV antibiotics (ABX_IV)', or the bare code. */
export function classLabel(c: DrugClass | undefined, code: string): string {
  return c ? `${c.name} (${code})` : code;
}

/** 'Alpha Home Infusion (NPI 1000000012)'. */
export function pharmacyLabel(p: Pharmacy): string {
  return `${p.name} (NPI ${p.npi})`;
}

/**
 * A dialable US (NANP) number: 10 digits once punctuation is removed (an optional leading 1 is
 * allowed), area code and exchange not starting with 0 or 1. Extensions ('x123') are ignored.
 */
export function isValidPhone(phone: string | null | undefined): boolean {
  if (phone === null || phone === undefined) return false;
  const main = phone.split(/\s*(?:x|ext\.?)\s*\d+\s*$/i)[0] ?? '';
  if (/[^\d\s().+-]/.test(main)) return false;
  let digits = main.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(digits);
}

/** 'a, b and c'. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'pllc',
  'ltd',
  'lp',
  'llp',
  'corp',
  'corporation',
  'co',
  'company',
  'pc',
]);

/**
 * A name as compared for identity: case, punctuation, '&'/'and', spacing and legal suffixes
 * (Inc., LLC, Corp., ...) do not count. 'Alpha Home Infusion, Inc.' = 'ALPHA HOME INFUSION'.
 */
export function normalizedName(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}
