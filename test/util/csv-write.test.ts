import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../src/util/csv-write.js';

/** RFC 4180 as the tool wrote it by hand before csv-stringify: the bytes must not change. */
function reference(rows: readonly (readonly string[])[], delimiter: string): string {
  const field = (v: string): string =>
    v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return rows.map((r) => r.map(field).join(delimiter) + '\n').join('');
}

const text = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ',', '|', '"', '\r', '\n', 'é', '＝', '0'),
});
const rows = fc.array(fc.array(text, { minLength: 2, maxLength: 5 }), { maxLength: 8 });

describe('csvText (csv-stringify)', () => {
  it('quotes a field only when it holds the delimiter, a quote, CR or LF', () => {
    expect(
      csvText([
        ['npi', 'name'],
        ['1', 'Acme, Inc'],
        ['2', 'say "hi"'],
        ['3', 'a\rb'],
        ['', ''],
      ]),
    ).toBe('npi,name\n1,"Acme, Inc"\n2,"say ""hi"""\n3,"a\rb"\n,\n');
    expect(csvText([['a|b', 'c,d']], '|')).toBe('"a|b"|c,d\n');
    expect(csvText([])).toBe('');
  });

  it('writes the bytes the hand-written quoting wrote, and csv-parse reads the rows back', () => {
    fc.assert(
      fc.property(rows, fc.constantFrom(',', '|'), (rs, delimiter) => {
        const out = csvText(rs, delimiter);
        expect(out).toBe(reference(rs, delimiter));
        if (rs.length > 0) {
          expect(parse(out, { delimiter, relax_column_count: true })).toEqual(rs);
        }
      }),
      { numRuns: 500 },
    );
  });
});
