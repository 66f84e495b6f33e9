import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isNanpPhone, isValidNpi, npiCheckDigit, npiFrom } from '../../src/generate/identifiers.js';
import { Permutation, Rng } from '../../src/generate/prng.js';

/** Independent Luhn over the 15-digit string 80840 + NPI. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('npiCheckDigit', () => {
  it('matches the CMS example 1234567893', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567894')).toBe(false);
  });

  it('agrees with Luhn over the 80840 prefix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.constantFrom(1 as const, 2 as const),
        (body, lead) => {
          const npi = npiFrom(lead, body);
          expect(npi).toMatch(/^[12]\d{9}$/);
          expect(luhnValid(`80840${npi}`)).toBe(true);
          expect(isValidNpi(npi)).toBe(true);
        },
      ),
    );
  });

  it('rejects bad input', () => {
    expect(() => npiCheckDigit('12345678')).toThrow();
    expect(isValidNpi('3234567893')).toBe(false);
  });
});

describe('phones', () => {
  it('accepts NANP numbers only', () => {
    expect(isNanpPhone('3125550100')).toBe(true);
    expect(isNanpPhone('1125550100')).toBe(false);
    expect(isNanpPhone('3121550100')).toBe(false);
    expect(isNanpPhone('312555010')).toBe(false);
  });
});

describe('Permutation', () => {
  it('is a bijection', () => {
    const p = new Permutation(1000, new Rng(7));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(p.at(i));
    expect(seen.size).toBe(1000);
  });

  it('Rng is deterministic per seed and label', () => {
    const a = Rng.derive(1, 'x');
    const b = Rng.derive(1, 'x');
    const c = Rng.derive(1, 'y');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });
});
