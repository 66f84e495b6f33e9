/**
 * Property tests (fast-check): the field parsers, row validators and file readers never throw
 * anything but typed errors, whatever they are given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROSTER_KINDS } from '../../src/domain/types.js';
import { AuditError } from '../../src/errors.js';
import { openRoster } from '../../src/roster/open-roster.js';
import { canonicalColumns, parseRow } from '../../src/roster/kinds/index.js';
import * as v from '../../src/roster/validate.js';
import { tempDir } from '../faults/helpers.js';

/** Any cell a reader can produce, and then some: odd numbers, invalid dates, odd text. */
const cell: fc.Arbitrary<v.CellValue> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '\u00a0',
    'N/A',
    '1.234567893E+09',
    '6103',
    '00000',
    '2026-02-30',
    'XXXXX',
    '=1+1',
  ),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e21, 46023, 1234567893),
  // Dates a reader can produce, up to the ends of the Date range.
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(new Date(8.64e15), new Date(-8.64e15), new Date(8.64e15 - 1)),
  fc.constant(new Date(Number.NaN)),
  fc.constant(null),
  fc.constant(undefined),
);
const state = fc.oneof(
  fc.constantFrom('CT', 'NY', 'PR', 'VI', 'ZZ', ''),
  fc.string(),
  fc.constant(null),
);
const CTX = { catalogCodes: new Set(['ABX_IV', 'A1PI']), timeZone: 'America/New_York' };

function isResult(r: unknown): boolean {
  return typeof r === 'object' && r !== null && typeof (r as { ok: unknown }).ok === 'boolean';
}

describe('field parsers', () => {
  it('return a result (never throw) for any cell', () => {
    const unary = [
      v.parseState,
      v.parseNpi,
      v.parseNcpdpId,
      v.parseContractId,
      v.parsePbpId,
      v.parseSegmentId,
      v.parsePhone,
      v.parseDate,
      v.parseYesNo,
      v.parseServiceType,
      v.parseTaxonomyCode,
      v.parseUsp797Category,
    ];
    fc.assert(
      fc.property(cell, state, (c, st) => {
        for (const p of unary) expect(isResult(p(c))).toBe(true);
        expect(isResult(v.parseZip(c, st))).toBe(true);
        expect(isResult(v.parseCountyFips(c, st))).toBe(true);
        expect(isResult(v.parseInstant(c, 'America/New_York'))).toBe(true);
        expect(isResult(v.parseText(c, 'name', 20))).toBe(true);
        const masked = v.maskMemberId(c);
        if (masked !== null && masked !== '') expect(masked).toMatch(/^\*\*\*\*/);
        expect(typeof v.cellText(c)).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('a restored ZIP or FIPS code is 5 digits and comes with a warning', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), state, (n, st) => {
        for (const r of [v.parseZip(n, st), v.parseCountyFips(n, st)]) {
          if (!r.ok) continue;
          expect(r.value).toMatch(/^\d{5}$/);
          if (String(n).length < 5) expect(r.warnings?.length ?? 0).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// Fixed (src/roster/validate.ts): a Date cell within a day of the JS Date range limit made
// parseInstant throw RangeError "Invalid time value" (zoneOffsetMs -> formatToParts) instead of
// returning a rejection, and absurd years (+084000) were accepted as instants. An XLSX date cell
// is a Date, so a hostile workbook reaches this. Dates and instants now accept the years
// 1900-2199 only, whatever the cell (Date, Excel serial or text).
describe('parseInstant and parseDate on extreme Date cells', () => {
  const extremes = [
    new Date(8.64e15),
    new Date(-8.64e15),
    new Date(8.64e15 - 1),
    new Date(Date.UTC(84000, 0, 1)),
    new Date(Date.UTC(1899, 11, 31, 23, 59)),
    new Date(Date.UTC(2200, 0, 1)),
  ];
  it('never throws', () => {
    expect(isResult(v.parseInstant(new Date(8.64e15), 'America/New_York'))).toBe(true);
    for (const d of extremes) {
      expect(isResult(v.parseInstant(d, 'America/New_York'))).toBe(true);
      expect(isResult(v.parseInstant(d, 'Pacific/Kiritimati'))).toBe(true);
      expect(isResult(v.parseDate(d))).toBe(true);
    }
  });
  it('rejects absurd years', () => {
    expect(v.parseInstant(new Date(Date.UTC(84000, 0, 1)), 'America/New_York').ok).toBe(false);
    for (const d of extremes) {
      const r = v.parseInstant(d, 'America/New_York');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/out of range: the year must be 1900 to 2199/);
      expect(v.parseDate(d).ok).toBe(false);
    }
  });
  it('reach a row as a rejection naming the column', () => {
    const r = parseRow('coverage_requests', { received_at: new Date(8.64e15) }, CTX);
    expect(r.ok).toBe(false);
    const issue = r.ok ? undefined : r.errors.find((e) => e.column === 'received_at');
    expect(issue?.reason).toMatch(/out of range: the year must be 1900 to 2199/);
  });
  it('accepts any year from 1900 to 2199, and nothing outside', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (d) => {
        const y = d.getUTCFullYear();
        const inRange = y >= 1900 && y <= 2199;
        expect(v.parseDate(d).ok).toBe(inRange);
        expect(v.parseInstant(d, 'America/New_York').ok).toBe(inRange);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('row validators', () => {
  it('parseRow returns ok or a list of issues for any record of any kind', () => {
    for (const kind of ROSTER_KINDS) {
      const columns = canonicalColumns(kind);
      const record = fc.dictionary(fc.constantFrom(...columns), cell);
      fc.assert(
        fc.property(record, (rec) => {
          const r = parseRow(kind, rec, CTX);
          if (r.ok) expect(r.value).toBeTypeOf('object');
          else {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const e of r.errors) expect(e.reason).toBeTypeOf('string');
          }
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('file readers', () => {
  const dir = tempDir('ia-prop-');
  let n = 0;
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc
      .array(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom('"', '""', ',', ';', '\t', '|', '\r\n', '\n', 'npi', '\uFEFF'),
          ),
          {
            maxLength: 8,
          },
        ),
        { maxLength: 12 },
      )
      .map((rows) => new TextEncoder().encode(rows.map((r) => r.join(',')).join('\n'))),
    fc.constantFrom(
      new Uint8Array([0xef, 0xbb, 0xbf]),
      new Uint8Array([0xff, 0xfe, 0x41]),
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]),
    ),
  );

  it.each(['csv', 'xlsx'])(
    'opening and reading any bytes named .%s throws only typed errors',
    async (ext) => {
      await fc.assert(
        fc.asyncProperty(
          bytes,
          fc.constantFrom(null, 'network', 'pharmacies'),
          async (data, kind) => {
            const path = join(dir, `network-${++n}.${ext}`);
            writeFileSync(path, data);
            try {
              const sources = await openRoster({ path, kind });
              for (const s of sources) {
                for await (const row of s.rows()) {
                  expect(row.rowNumber).toBeGreaterThan(0);
                  parseRow(s.kind, row.record, CTX);
                }
              }
            } catch (err) {
              if (!(err instanceof AuditError)) throw err;
            }
          },
        ),
        { numRuns: ext === 'csv' ? 300 : 100 },
      );
    },
  );
});
