/**
 * The typed tables of an import (src/import/key-index.ts) answer as a Map would: RowTable's
 * set replaces, firstRow keeps the first row; KnownPharmacies (the references an import
 * resolves, NPI -> service type) gives what a Map of the same entries gives, for 10-digit NPIs
 * (looked up by value) and any other text (a Map behind), including NPIs that differ only by
 * leading zeros, white space or length. keyHash gives equal keys one hash and keeps values
 * apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KnownPharmacies, RowTable, keyHash } from '../../src/import/key-index.js';

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const npiLike: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: digits(10) },
  // Few distinct values, so that sets and gets meet.
  { weight: 4, arbitrary: fc.constantFrom('1234567893', '0000000000', '9999999999', '0000000001') },
  { weight: 1, arbitrary: digits(9) },
  { weight: 1, arbitrary: digits(11) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(' 123456789', '12345678x9', '123456789 ', '', '１234567893'),
  },
);
const serviceType = fc.constantFrom('01', '03', '05', '06', '99');

describe('KnownPharmacies', () => {
  it('answers as a Map of the same entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(npiLike, serviceType), { maxLength: 60 }),
        fc.array(npiLike, { maxLength: 60 }),
        (entries, probes) => {
          const map = new Map(entries);
          const known = new KnownPharmacies(entries);
          for (const npi of [...probes, ...entries.map(([n]) => n)])
            expect(known.get(npi)).toBe(map.get(npi));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds 100,000 pharmacies (the table grows) and finds each', () => {
    const entries: [string, string][] = Array.from({ length: 100_000 }, (_, i) => [
      String(1_000_000_000 + i * 7919),
      i % 3 === 0 ? '03' : '01',
    ]);
    const known = new KnownPharmacies(entries);
    for (const [npi, st] of entries) expect(known.get(npi)).toBe(st);
    expect(known.get('1000000001')).toBeUndefined();
  });
});

describe('RowTable', () => {
  it('firstRow keeps the first row of a key, set replaces it, as a Map', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 9 })),
          { maxLength: 200 },
        ),
        (ops) => {
          const table = new RowTable();
          const map = new Map<number, number>();
          for (const [replace, key, row] of ops) {
            if (replace) {
              table.set(key, row);
              map.set(key, row);
            } else {
              const before = map.get(key);
              expect(table.firstRow(key, row)).toBe(before);
              if (before === undefined) map.set(key, row);
            }
          }
          for (let k = 1; k <= 50; k++) expect(table.peek(k)).toBe(map.get(k));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every key and row as it grows past its first slots (several times)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), {
          minLength: 2_000,
          maxLength: 5_000,
        }),
        (keys) => {
          const table = new RowTable();
          const map = new Map<number, number>();
          keys.forEach((key, row) => {
            expect(table.firstRow(key, row)).toBe(map.get(key));
            if (!map.has(key)) map.set(key, row);
          });
          for (const [key, row] of map) expect(table.peek(key)).toBe(row);
          // Keys never stored: not found (the table is not asked for 0).
          for (const key of keys.slice(0, 100)) {
            const absent = key === Number.MAX_SAFE_INTEGER ? 1 : key + 1;
            if (!map.has(absent)) expect(table.peek(absent)).toBeUndefined();
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('keyHash', () => {
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '\u0000', '\uffff', 'é', '1') },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) },
  );
  const key = fc.array(value, { minLength: 1, maxLength: 4 });

  it('hashes the values at the places given: equal keys equal, others apart', () => {
    fc.assert(
      fc.property(key, key, fc.array(value, { maxLength: 3 }), (k1, k2, other) => {
        // k1's values placed among others, in another array: the same hash as k1 alone.
        const row = [...other, ...k1];
        const at = k1.map((_, i) => other.length + i);
        expect(keyHash(row, at)).toBe(
          keyHash(
            k1,
            k1.map((_, i) => i),
          ),
        );
        const h1 = keyHash(
          k1,
          k1.map((_, i) => i),
        );
        const h2 = keyHash(
          k2,
          k2.map((_, i) => i),
        );
        const same =
          k1.length === k2.length &&
          k1.every((v, i) => String(v) === String(k2[i]) && (v === null) === (k2[i] === null));
        // (53 bits: a collision of two random keys here is about 1 in 10^15.)
        expect(h1 === h2).toBe(same);
        expect(h1).toBeGreaterThan(0);
        expect(Number.isSafeInteger(h1)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the values apart: moved boundaries, NULL and empty text differ', () => {
    const h = (...v: (string | null)[]): number =>
      keyHash(
        v,
        v.map((_, i) => i),
      );
    expect(h('ab', 'c')).not.toBe(h('a', 'bc'));
    expect(h('a', '')).not.toBe(h('a'));
    expect(h(null)).not.toBe(h(''));
    expect(h(null)).not.toBe(h('null'));
    expect(h(null, 'a')).not.toBe(h('a', null));
    expect(h('x', 'y')).toBe(keyHash(['y', 'x'], [1, 0]));
  });
});
