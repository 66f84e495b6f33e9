/**
 * The canonical-value fast paths (src/roster/validate.ts, the column specs' `canonical`), the
 * field row parser (fieldRowParser: cells read by index, no record per row) and the generic
 * reader's field-batch path (readRows in src/import/import-rosters.ts) are shortcuts: for every
 * roster kind, on random rows mixing canonical values with odd but valid ones, bad ones and
 * random text, they give the same records, warnings and rejections as the general parsers
 * reading row objects.
 *
 * Nothing here names a kind's columns: each column's "good" values are the ones of a shared
 * pool that its own parser accepts, so a kind added tomorrow is covered as it is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCREDITORS,
  ANCILLARY_SERVICES,
  ENTITY_TYPES,
  NETWORK_ROLES,
  PLAN_TYPES,
  REQUEST_OUTCOMES,
  REQUEST_TYPES,
  ROSTER_KINDS,
  SERVICE_TYPES,
  type RosterKind,
} from '../../src/domain/types.js';
import type { StageSink } from '../../src/db/stage-snapshot.js';
import type { SqlValue } from '../../src/db/sql.js';
import { readRows } from '../../src/import/import-rosters.js';
import { openRoster } from '../../src/roster/open-roster.js';
import {
  TABLES,
  canonicalColumns,
  columnSpec,
  fieldRowParser,
  parseRow,
} from '../../src/roster/kinds/index.js';
import { setFastPaths, type CellValue } from '../../src/roster/validate.js';
import { RULE_IDS } from '../../src/rules/registry.js';
import { CTX, npi, tempDir, writeBytes } from './helpers.js';

/** Runs `f` with the fast paths off, restoring them after. */
function general<T>(f: () => T): T {
  setFastPaths(false);
  try {
    return f();
  } finally {
    setFastPaths(true);
  }
}

const NPIS = ['123456789', '100000001', '200000000', '176610410'].map(npi);

/** Values of every shape the parsers know, canonical or not (no comma, quote or line end). */
const POOL: string[] = [
  ...NPIS,
  '1234567890',
  ' 1234567893',
  '1234-567-893',
  '1.234567893E+09',
  '1234567893.0',
  '3234567893',
  'S1234',
  'H0001',
  'R9999',
  'E1111',
  's1234',
  'X1234',
  ' S1234',
  '001',
  '000',
  '1',
  '01',
  '0001',
  ' 001',
  '60602',
  '60602-1234',
  '0602',
  '606',
  '123456789',
  'XXXXX',
  '17031',
  '36061',
  '09001',
  '9001',
  '17000',
  '99001',
  '72001',
  '2125550147',
  '(212) 555-0147',
  '1-212-555-0147',
  '2125550147 x12',
  '0125550147',
  '2120550147',
  '2121550147',
  '2026-01-31',
  '2026-02-29',
  '2024-02-29',
  '1900-02-29',
  '2000-02-29',
  '1899-12-31',
  '2199-12-31',
  '2200-01-01',
  '01/31/2026',
  '2026-1-5',
  '2026-01-31T00:00',
  '46000',
  '2026-13-01',
  '2026-04-31',
  '2026-03-02T14:05:00Z',
  '2026-03-02T23:59:59Z',
  '2026-03-02T24:05:00Z',
  '2026-03-02T14:60:00Z',
  '2026-03-02T14:05:60Z',
  '2026-03-02T14:05',
  '2026-03-02 14:05:00Z',
  '2026-03-02T14:05:00z',
  '2026-03-02T14:05:00+02:00',
  '2026-02-30T01:00:00Z',
  '1899-03-02T14:05:00Z',
  '2024-02-29T10:00:00Z',
  '10/25/2026 2:30 PM',
  'Y',
  'N',
  'y',
  'n',
  'Yes',
  'No',
  '0',
  'true',
  'maybe',
  ...NETWORK_ROLES,
  ...PLAN_TYPES,
  ...REQUEST_TYPES,
  ...REQUEST_OUTCOMES,
  ...ENTITY_TYPES,
  ...ANCILLARY_SERVICES,
  ...ACCREDITORS,
  'Home Infusion',
  'MAPD',
  'mail order',
  'Retail',
  'NY',
  'IL',
  'CT',
  'PR',
  'ny',
  'ZZ',
  'constructor',
  ...Object.keys(SERVICE_TYPES),
  '3',
  '09',
  'Home infusion therapy provider',
  'Main Street Pharmacy #12',
  'x',
  ' padded ',
  'Café',
  'a\u00a0b',
  '\u00a0lead',
  'tab\tinside',
  'a'.repeat(100),
  'b'.repeat(201),
  'c'.repeat(2001),
  '3336H0001X',
  '3336H0001X|333600000X',
  '3336h0001x',
  'ABX_IV',
  'abx iv',
  'A1PI',
  'NOPE',
  ...RULE_IDS.slice(0, 2),
  '2',
  'Category 2',
  '17031|17043',
  '17031|17031',
  '*',
  '17031|*',
  'TJC|ACHC',
  'Joint Commission',
  'nursing|supplies',
  'nursing||supplies',
  '1234567',
  '123456',
  'MBR123456',
  '',
  ' ',
  '\u00a0',
];

/** A record of blanks for a kind (what a parser of one column sees of the others). */
function blankRecord(kind: RosterKind): Record<string, CellValue> {
  return Object.fromEntries(canonicalColumns(kind).map((c) => [c, null]));
}

/** Per kind and column: the pool values its own parser accepts (the general path). */
function goodValues(kind: RosterKind): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of canonicalColumns(kind)) {
    const spec = columnSpec(kind, c)!;
    const ok = general(() =>
      POOL.filter((v) => {
        const record = { ...blankRecord(kind), [c]: v, state: 'IL' };
        return spec.parse(v, { ...CTX, record }).ok;
      }),
    );
    out[c] = ok.length > 0 ? ok : [''];
  }
  return out;
}

/** A random cell text without a comma, quote or line end (the CSV stays simple). */
const noise = fc.string({ maxLength: 12 }).map((s) => s.replace(/[,"\r\n]/g, ''));

function rowOf(kind: RosterKind): fc.Arbitrary<string[]> {
  const good = goodValues(kind);
  return fc.tuple(
    ...canonicalColumns(kind).map((c) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...good[c]!) },
        { weight: 3, arbitrary: fc.constantFrom(...POOL) },
        { weight: 1, arbitrary: noise },
      ),
    ),
  );
}

describe('canonical fast paths give what the general parsers give', () => {
  for (const kind of ROSTER_KINDS) {
    it(`parseRow: ${kind}`, () => {
      const columns = canonicalColumns(kind);
      fc.assert(
        fc.property(rowOf(kind), (cells) => {
          const record = Object.fromEntries(columns.map((c, i) => [c, cells[i]!]));
          const fast = parseRow(kind, record, CTX);
          const slow = general(() => parseRow(kind, record, CTX));
          expect(fast).toEqual(slow);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('field rows read by index give what parseRow gives on their records', () => {
  for (const kind of ROSTER_KINDS) {
    it(`fieldRowParser: ${kind}`, () => {
      const columns = canonicalColumns(kind);
      // A file's layout: some of the kind's columns (required or not), in any order, among
      // columns that are not the kind's.
      const layout = fc
        .shuffledSubarray([...columns, 'other 1', 'other 2'], { minLength: 1 })
        .filter((names) => names.some((n) => columns.includes(n)));
      fc.assert(
        fc.property(
          layout,
          fc.array(fc.tuple(rowOf(kind), fc.constantFrom(0, 0, 0, 0, -1)), {
            minLength: 1,
            maxLength: 20,
          }),
          (names, rows) => {
            const positions: Record<string, number> = {};
            names.forEach((n, i) => {
              if (columns.includes(n)) positions[n] = i;
            });
            // One parser for every row of the file, as readRows has it.
            const parse = fieldRowParser(kind, positions, CTX);
            for (const [cells, shape] of rows) {
              const byColumn = Object.fromEntries(columns.map((c, i) => [c, cells[i]!]));
              // The row's fields in the layout's order (now and then one short).
              const all = names.map((n) => byColumn[n] ?? 'x');
              const fields = shape < 0 ? all.slice(0, -1) : all;
              // The record readRows and openRoster's rows build for the row.
              const record: Record<string, CellValue> = {};
              for (const [name, i] of Object.entries(positions))
                record[name] = i < fields.length ? fields[i]! : null;
              // (Copied at once: the result of a clean row is reused by the next call.)
              const read = structuredClone(parse(fields));
              expect(read).toEqual(general(() => parseRow(kind, record, CTX)));
              expect(read).toEqual(parseRow(kind, record, CTX));
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});

describe('the generic reader stages the same with both paths', () => {
  const dir = tempDir();
  let seq = 0;

  /** What a reader put into the stage, in order (duplicates by the table's key). */
  function recorder(kind: RosterKind): { sink: StageSink<unknown>; log: unknown[] } {
    const log: unknown[] = [];
    const seen = new Set<string>();
    const table = TABLES[kind];
    return {
      log,
      sink: {
        accept(rowNumber, records, raw) {
          const keys = records.map((r) => table.key(r as never));
          if (keys.some((k) => seen.has(k))) {
            log.push(['duplicate', rowNumber, raw()]);
            return false;
          }
          for (const k of keys) seen.add(k);
          log.push(['accept', rowNumber, records]);
          return true;
        },
        reject(rowNumber, describe, identity: readonly SqlValue[] | null) {
          log.push(['reject', { rowNumber, ...describe() }, identity]);
        },
        flush: async () => undefined,
      },
    };
  }

  // Pharmacies known to the references: one home infusion, one retail; the others are unknown.
  const known = new Map([
    [NPIS[0]!, '03'],
    [NPIS[1]!, '01'],
  ]);

  for (const kind of ROSTER_KINDS) {
    it(`readRows: ${kind}`, async () => {
      const columns = canonicalColumns(kind);
      // Now and then a field too many or too few (a row the reader rejects as misshapen).
      const line = fc
        .tuple(rowOf(kind), fc.constantFrom(0, 0, 0, 0, 0, 0, -1, 1))
        .map(([cells, shape]) =>
          (shape < 0 ? cells.slice(1) : shape > 0 ? [...cells, 'extra'] : cells).join(','),
        );
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), async (lines) => {
          const path = writeBytes(
            dir,
            `${kind}-${++seq}.csv`,
            [columns.join(','), ...lines].join('\n') + '\n',
          );
          const read = async (fast: boolean): Promise<unknown[]> => {
            const [source] = await openRoster({ path, kind });
            const { sink, log } = recorder(kind);
            expect(source!.fields, 'a CSV source offers field batches').toBeDefined();
            const rowsOnly = { ...source! };
            delete rowsOnly.fields;
            setFastPaths(fast);
            try {
              const result = await readRows({
                asOf: '2026-11-01',
                kind,
                countyCodes: new Set(['17031', '36061', '09001', '72001']),
                source: fast ? source! : rowsOnly,
                table: TABLES[kind],
                ctx: CTX,
                known: kind === 'pharmacies' || kind === 'cms_network' ? null : new Map(known),
                sink,
                progress: () => undefined,
              });
              log.push(['result', result]);
            } finally {
              setFastPaths(true);
            }
            return log;
          };
          expect(await read(true)).toEqual(await read(false));
        }),
        { numRuns: 25 },
      );
    });
  }
});
