import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CopyText,
  csvLine,
  dbDate,
  dbInstant,
  fromDbDate,
  fromDbInstant,
  type SqlValue,
} from '../../src/db/sql.js';

/** What PostgreSQL prints for a TIMESTAMP(3): a space, trailing zeros of the fraction dropped. */
function pgText(iso: string): string {
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 23)];
  return `${date} ${time.replace(/\.?0+$/, '')}`;
}

const instants = fc
  .date({
    min: new Date('1900-01-01T00:00:00.000Z'),
    max: new Date('2199-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

describe('dbInstant', () => {
  /** What dbInstant gave through Date alone (before its text fast path). */
  const throughDate = (provider: 'sqlite' | 'postgresql', iso: string): string => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${iso}`);
    const t = d.toISOString();
    return provider === 'sqlite'
      ? `${t.slice(0, 23)}+00:00`
      : `${t.slice(0, 10)} ${t.slice(11, 23)}`;
  };
  const two = (max: number): fc.Arbitrary<string> =>
    fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  // Canonical shapes, real and not: month 00-13, day 00-32, hour 00-25, minute and second 00-61.
  const shaped = fc
    .tuple(
      fc.integer({ min: 1600, max: 2400 }),
      two(13),
      two(32),
      two(25),
      two(61),
      two(61),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(
      ([y, mo, d, h, mi, s, ms]) =>
        `${y}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`,
    );
  it('gives the text Date gives, for every canonical-shaped instant, real or rolled over', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, instants), (iso) => {
        for (const p of ['sqlite', 'postgresql'] as const) {
          let want: string | Error;
          try {
            want = throughDate(p, iso);
          } catch (e) {
            want = e as Error;
          }
          if (want instanceof Error) expect(() => dbInstant(p, iso)).toThrow(want.message);
          else expect(dbInstant(p, iso)).toBe(want);
        }
      }),
      { numRuns: 20_000 },
    );
    // Rolled over by Date, so not canonical: 29 February of a common year, 24:00.
    expect(dbInstant('sqlite', '2026-02-29T00:00:00.000Z')).toBe('2026-03-01T00:00:00.000+00:00');
    expect(dbInstant('postgresql', '2026-01-01T24:00:00.000Z')).toBe('2026-01-02 00:00:00.000');
  });
});

describe('fromDbInstant / fromDbDate', () => {
  it('reads back what dbInstant stores, on both providers, as the same ISO instant', () => {
    fc.assert(
      fc.property(instants, (iso) => {
        expect(fromDbInstant(dbInstant('sqlite', iso))).toBe(iso);
        expect(fromDbInstant(dbInstant('postgresql', iso))).toBe(iso);
        expect(fromDbDate(dbInstant('sqlite', iso))).toBe(iso.slice(0, 10));
        expect(fromDbDate(dbInstant('postgresql', iso))).toBe(iso.slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads PostgreSQL's text with the fraction's trailing zeros dropped", () => {
    fc.assert(
      fc.property(instants, (iso) => {
        expect(fromDbInstant(pgText(iso))).toBe(iso);
      }),
      { numRuns: 2000 },
    );
    expect(fromDbInstant('2026-11-01 00:00:00')).toBe('2026-11-01T00:00:00.000Z');
    expect(fromDbInstant('2026-11-01 13:45:07.5')).toBe('2026-11-01T13:45:07.500Z');
    expect(fromDbInstant('2026-11-01 13:45:07.05')).toBe('2026-11-01T13:45:07.050Z');
    expect(fromDbInstant('2026-11-01 13:45:07.123')).toBe('2026-11-01T13:45:07.123Z');
  });

  it('reads dates, Date objects, epoch numbers and zoned text', () => {
    expect(fromDbDate(dbDate('postgresql', '2026-02-28'))).toBe('2026-02-28');
    expect(fromDbDate('2026-02-28')).toBe('2026-02-28');
    expect(fromDbInstant(new Date('2026-02-28T10:00:00.000Z'))).toBe('2026-02-28T10:00:00.000Z');
    expect(fromDbInstant(Date.UTC(2026, 1, 28, 10))).toBe('2026-02-28T10:00:00.000Z');
    // A zone other than UTC is converted, and the UTC day is the one returned.
    expect(fromDbInstant('2026-02-28T23:30:00-05:00')).toBe('2026-03-01T04:30:00.000Z');
    expect(fromDbDate('2026-02-28T23:30:00-05:00')).toBe('2026-03-01');
  });

  it('refuses what is not a stored date', () => {
    expect(() => fromDbInstant(null)).toThrow(/not a stored date/);
    expect(() => fromDbInstant({})).toThrow(/not a stored date/);
  });
});

describe('CopyText (the CSV COPY writer)', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }), // lone surrogates too: encoded as the connection would
    fc.constantFrom('"', '""', 'a"b', ',', '\n', '\r\n', '\\.', 'é"ü', '漢"字', ''),
    // Longer than a piece (64 KiB), ASCII or not.
    fc.constantFrom('x'.repeat(70_000), `${'é'.repeat(40_000)}"`, `${'"'.repeat(40_000)}é`),
  );
  const value: fc.Arbitrary<SqlValue> = fc.oneof(
    { weight: 5, arbitrary: text },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.boolean() },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.integer(),
        // Whole numbers written digit by digit, at the edges of that path.
        fc.constantFrom(0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, -1, -0, 1e21, 0.5),
        fc.double({ noNaN: true }),
      ),
    },
  );

  it("writes the bytes of csvLine, a line end after each row, in any pieces, with a row's fixed tail", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.array(value, { minLength: 1, maxLength: 6 })), {
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 4 }),
        (rows, takes) => {
          const out = new CopyText();
          const pieces: Buffer[] = [];
          rows.forEach(([withTail, r], k) => {
            // A tail: the last values already encoded (a row writer's fixed columns).
            if (withTail && r.length > 1) {
              out.row(r.slice(0, 1), Buffer.from(`,${csvLine(r.slice(1))}`));
            } else out.row(r);
            if (k % takes === 0) pieces.push(...out.take());
          });
          pieces.push(...out.take());
          const expected = rows.map(([, r]) => `${csvLine(r)}\n`).join('');
          expect(Buffer.concat(pieces).equals(Buffer.from(expected))).toBe(true);
          expect(out.take()).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
