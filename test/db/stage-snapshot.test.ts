/**
 * The import's set-based SQL diff (src/db/stage-snapshot.ts) against its specification, the pure
 * planVersions (src/import/plan-versions.ts): random stored versions, random batches of one to
 * three sources with rejected rows that name an identity or none, --append and
 * --end-despite-rejects, on both databases and on a table with nullable key columns (the
 * exceptions register) and one without (capabilities), and CMS memberships (whose effective
 * date, the as-of date of the file that first listed them, is not compared). Every count, every
 * version ended, removed or inserted, and the rosters-out-of-order error must be the same; and
 * the versions counted per import, valid_from and valid_to (import_version_count, the run's
 * lineage) must be the table's, counted in full.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditException, Capability, NetworkMembership } from '../../src/domain/types.js';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { InputConflictError } from '../../src/db/errors.js';
import type { VersionedTable } from '../../src/db/roster-tables.js';
import { CAPABILITY_TABLE } from '../../src/roster/kinds/capabilities.js';
import { EXCEPTION_TABLE } from '../../src/roster/kinds/exceptions.js';
import { CMS_NETWORK_TABLE } from '../../src/roster/kinds/cms-network.js';
import { dbDate, fromDbDate, type SqlValue } from '../../src/db/sql.js';
import { openSnapshotStage } from '../../src/db/stage-snapshot.js';
import { planIsEmpty, planVersions } from '../../src/import/plan-versions.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const AS_OF = '2026-12-01';
/** Imports that wrote the stored versions (ids far above what the sequence reaches). */
const STORED_IMPORTS = [1_000_001, 1_000_002];

interface Case<T> {
  name: string;
  table: VersionedTable<T>;
  /** A record from a small domain: key choice k, content variant v. */
  record: (k: number, v: number) => T;
  keys: number;
  /** The identity a rejected row names, from a small domain. */
  identity: (i: number) => string[];
  identities: number;
  /** A stored version of the record, begun on validFrom (default: the record itself). */
  stored?: (rec: T, validFrom: string) => T;
}

const capabilities: Case<Capability> = {
  name: 'capability (no nullable key column)',
  table: CAPABILITY_TABLE,
  keys: 6,
  record: (k, v) => ({
    npi: `N${k % 3}`,
    drugClass: `C${Math.floor(k / 3)}`,
    usableForm: true,
    notes: v === 0 ? null : `note ${v}`,
  }),
  identity: (i) => [`N${i % 3}`, `C${Math.floor(i / 3) % 2}`],
  identities: 6,
};

const exceptions: Case<AuditException> = {
  name: 'finding_exception (nullable key columns)',
  table: EXCEPTION_TABLE,
  keys: 8,
  record: (k, v) => ({
    ruleId: `R${k % 2}`,
    contractId: `S${Math.floor(k / 2) % 2}`,
    pbpId: k >= 4 ? '001' : null,
    countyFips: null,
    drugClass: null,
    npi: k % 3 === 0 ? null : 'N1',
    rationale: `why ${v}`,
    approvedBy: 'CO',
    approvedOn: '2026-01-01',
    expiresOn: '2027-01-01',
  }),
  identity: (i) => [`R${i % 2}`, `S${Math.floor(i / 2) % 2}`],
  identities: 4,
};

/**
 * CMS memberships as the CMS reader makes them: effective from the as-of date of the file that
 * lists them (stored ones from their version's valid_from), so only the ZIP and the key compare.
 */
const cmsMemberships: Case<NetworkMembership> = {
  name: 'cms network membership (effective date not compared)',
  table: CMS_NETWORK_TABLE,
  keys: 8,
  record: (k, v) => ({
    contractId: `S000${k % 2}`,
    pbpId: '001',
    segmentId: '000',
    npi: `N${Math.floor(k / 2) % 2}`,
    role: k >= 4 ? 'mail' : 'retail',
    effectiveDate: AS_OF,
    terminationDate: null,
    zip: v === 0 ? '60601' : null,
  }),
  identity: (i) => [`S000${i % 2}`, '001', '000', `N${Math.floor(i / 2) % 2}`],
  identities: 4,
  stored: (rec, validFrom) => ({ ...rec, effectiveDate: validFrom }),
};

interface Scenario {
  stored: { k: number; v: number; from: 0 | 1 | 2; imp: number }[];
  sources: {
    records: { k: number; v: number }[];
    rejects: (number | null)[];
    seen: boolean;
  }[];
  append: boolean;
  endDespiteRejects: boolean;
}

const FROM = ['2026-10-01', AS_OF, '2026-12-15'] as const;
/** Stored versions' ids, above the ids the tables' sequences give the inserted ones. */
const storedId = (i: number): number => 1_000_000 + i;

function scenario(keys: number, identities: number): fc.Arbitrary<Scenario> {
  const storedKeys = fc.uniqueArray(fc.integer({ min: 0, max: keys - 1 }), { maxLength: keys });
  return fc
    .record({
      storedKeys,
      storedMeta: fc.array(
        fc.record({
          v: fc.integer({ min: 0, max: 1 }),
          from: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 1, 2),
          imp: fc.integer({ min: 0, max: 1 }),
        }),
        { minLength: keys, maxLength: keys },
      ),
      batchKeys: fc.uniqueArray(fc.integer({ min: 0, max: keys - 1 }), { maxLength: keys }),
      batchMeta: fc.array(
        fc.record({ v: fc.integer({ min: 0, max: 1 }), src: fc.integer({ min: 0, max: 2 }) }),
        { minLength: keys, maxLength: keys },
      ),
      sourceCount: fc.integer({ min: 1, max: 3 }),
      rejects: fc.array(
        fc.record({
          src: fc.integer({ min: 0, max: 2 }),
          id: fc.option(fc.integer({ min: 0, max: identities - 1 }), { freq: 3 }),
        }),
        { maxLength: 3 },
      ),
      seen: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      append: fc.boolean(),
      endDespiteRejects: fc.boolean(),
    })
    .map((r) => {
      const n = r.sourceCount;
      const sources = Array.from({ length: n }, (_, i) => ({
        records: [] as { k: number; v: number }[],
        rejects: [] as (number | null)[],
        seen: r.seen[i]!,
      }));
      r.batchKeys.forEach((k, i) => {
        const m = r.batchMeta[i]!;
        sources[m.src % n]!.records.push({ k, v: m.v });
      });
      for (const rj of r.rejects) sources[rj.src % n]!.rejects.push(rj.id);
      return {
        stored: r.storedKeys.map((k, i) => ({ k, ...r.storedMeta[i]! })),
        sources,
        append: r.append,
        endDespiteRejects: r.endDespiteRejects,
      };
    });
}

function storedRecord<T>(c: Case<T>, st: Scenario['stored'][number]): T {
  const rec = c.record(st.k, st.v);
  return c.stored ? c.stored(rec, FROM[st.from]) : rec;
}

/** Query rows with numbers as numbers (PostgreSQL gives COUNT(*) as text) and dates as text. */
function normalise(rows: unknown): unknown {
  return (rows as Record<string, unknown>[]).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v instanceof Date
          ? v.toISOString()
          : typeof v === 'string' && /^\d+$/.test(v)
            ? Number(v)
            : v,
      ]),
    ),
  );
}

function toDb(db: Db, table: VersionedTable<unknown>, values: readonly SqlValue[]): SqlValue[] {
  return values.map((v, i) =>
    typeof v === 'string' && table.dateColumns.has(table.columns[i]!)
      ? dbDate(db.sql.provider, v)
      : v,
  );
}

describe.each(PROVIDERS)('the staged SQL diff equals planVersions on %s', (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openDatabase({ url: tdb.url });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
  });

  async function check<T>(c: Case<T>, s: Scenario): Promise<void> {
    const table = c.table as VersionedTable<unknown>;
    const p = db.sql.provider;
    await db.sql.run(`DELETE FROM ${table.table}`);
    await db.sql.run('DELETE FROM import_version_count');
    await db.sql.run('DELETE FROM rejected_row');
    await db.sql.run('DELETE FROM roster_import');
    await db.sql.transaction(async (tx) => {
      for (const id of STORED_IMPORTS) {
        await tx.run(
          `INSERT INTO roster_import (id, path, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, warnings, status, started_at, finished_at, duration_ms) VALUES (?, ?, ?, NULL, 'x', 'test', ?, 0, 0, 0, 0, 'completed', ?, ?, 0)`,
          [
            id,
            `/old/${id}.csv`,
            `${id}.csv`,
            dbDate(p, '2026-10-01'),
            dbDate(p, '2026-10-01'),
            dbDate(p, '2026-10-01'),
          ],
        );
      }
      await tx.bulkInsert(
        table.table,
        ['id', ...table.columns, 'valid_from', 'import_id'],
        s.stored.map((st, i) => {
          const rec = storedRecord(c, st);
          return [
            storedId(i),
            ...toDb(db, table, table.row(rec)),
            dbDate(p, FROM[st.from]),
            STORED_IMPORTS[st.imp]!,
          ];
        }),
      );
      // What the migration fills in for versions stored before import_version_count.
      await tx.run(
        `INSERT INTO import_version_count (import_id, table_name, valid_from, valid_to, rows) SELECT import_id, ?, valid_from, valid_to, COUNT(*) FROM ${table.table} GROUP BY import_id, valid_from, valid_to`,
        [table.table],
      );
    });
    const countsNow = async (): Promise<unknown[]> => [
      await db.sql.query(
        `SELECT import_id, valid_from, valid_to, rows FROM import_version_count WHERE table_name = ? ORDER BY import_id, valid_from, valid_to`,
        [table.table],
      ),
      await db.sql.query(
        `SELECT import_id, valid_from, valid_to, COUNT(*) AS rows FROM ${table.table} GROUP BY import_id, valid_from, valid_to ORDER BY import_id, valid_from, valid_to`,
      ),
    ];
    const [before] = await countsNow();

    // The specification: content is the row but the columns filled from the as-of date.
    const content = (rec: unknown): string =>
      JSON.stringify(
        table.row(rec).map((v, i) => (table.asOfColumns?.includes(table.columns[i]!) ? null : v)),
      );
    const join = (cols: readonly string[], rec: unknown): string => {
      const row = table.row(rec);
      return cols.map((col) => String(row[table.columns.indexOf(col)])).join('|');
    };
    const scopeCols = table.scopeColumns === 'none' ? [] : table.scopeColumns;
    const plan = planVersions(
      s.stored.map((st, i) => {
        const rec = storedRecord(c, st);
        return {
          id: storedId(i),
          key: table.key(rec),
          scope: scopeCols.length ? join(scopeCols, rec) : null,
          identity: join(table.identityColumns, rec),
          validFrom: FROM[st.from],
          content: content(rec),
          importId: STORED_IMPORTS[st.imp]!,
        };
      }),
      s.sources.flatMap((src, i) =>
        src.records.map((r) => {
          const rec = c.record(r.k, r.v);
          return {
            record: rec,
            key: table.key(rec),
            scope: scopeCols.length ? join(scopeCols, rec) : null,
            content: content(rec),
            source: i,
          };
        }),
      ),
      s.sources.map((src) => ({
        rejectedIdentities: new Set(
          src.rejects.filter((x): x is number => x !== null).map((x) => c.identity(x).join('|')),
        ),
        unreadableRejections: src.rejects.filter((x) => x === null).length,
      })),
      {
        asOf: AS_OF,
        append: s.append,
        endDespiteRejects: s.endDespiteRejects,
        scoped: table.scopeColumns !== 'none',
      },
    );

    // The SQL.
    const run = db.sql.transaction(async (tx) => {
      const stage = await openSnapshotStage({
        tx,
        table,
        kind: 'capabilities',
        asOf: AS_OF,
        recordsPlans: false,
        sources: s.sources.map((_, i) => ({
          path: `/new/${i}.csv`,
          fileName: `${i}.csv`,
          sheet: null,
          sha256: `s${i}`,
        })),
      });
      for (const [i, src] of s.sources.entries()) {
        await stage.stageSource(i, async (sink) => {
          let row = 1;
          for (const r of src.records) {
            expect(sink.accept(++row, [c.record(r.k, r.v)], () => ({}))).toBe(true);
          }
          for (const id of src.rejects) {
            sink.reject(
              ++row,
              () => ({ raw: {}, column: null, value: null, reason: 'bad' }),
              id === null ? null : c.identity(id),
            );
          }
          await sink.flush();
          return { rowsRead: row - 1, warnings: 0 };
        });
      }
      return stage.apply({
        append: s.append,
        endDespiteRejects: s.endDespiteRejects,
        seenBefore: s.sources.map((x) => x.seen),
      });
    });
    if (plan.later !== null) {
      await expect(run).rejects.toBeInstanceOf(InputConflictError);
      expect((await countsNow())[0]).toEqual(before);
      return;
    }
    const result = await run;
    const [kept, full] = await countsNow();
    expect(normalise(kept)).toEqual(normalise(full));
    const empty = planIsEmpty(plan) && s.sources.every((x) => x.seen);
    expect(result.status).toBe(empty ? 'unchanged' : 'written');
    expect(
      result.perSource.map((x) => [
        x.inserted,
        x.ended,
        x.replaced,
        x.unchanged,
        x.keptForRejections,
      ]),
    ).toEqual(
      plan.perSource.map((x) => [
        x.inserted,
        x.ended,
        x.replaced,
        x.unchanged,
        x.keptForRejections,
      ]),
    );
    if (empty) return;
    expect(new Map(result.endedFrom.map((e) => [e.importId, e.rows]))).toEqual(plan.endedByImport);

    const rows = await db.sql.query<{
      id: number | string;
      valid_to: unknown;
      import_id: number | string;
    }>(`SELECT id, valid_to, import_id FROM ${table.table} ORDER BY id`);
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (let i = 0; i < s.stored.length; i++) {
      const id = storedId(i);
      const r = byId.get(id);
      if (plan.deletes.includes(id)) expect(r, `stored ${id} removed`).toBeUndefined();
      else if (plan.closes.includes(id)) expect(fromDbDate(r!.valid_to)).toBe(AS_OF);
      else expect(r!.valid_to, `stored ${id} still in force`).toBeNull();
    }
    const importIds = result.perSource.map((x) => x.importId!);
    const inserted = rows
      .filter((r) => !STORED_IMPORTS.includes(Number(r.import_id)))
      .map((r) => importIds.indexOf(Number(r.import_id)));
    expect(inserted.sort()).toEqual(plan.inserts.map((x) => x.source).sort());
  }

  for (const c of [capabilities, exceptions, cmsMemberships] as Case<unknown>[]) {
    it(`${c.name}: every random batch`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario(c.keys, c.identities), (s) => check(c, s)),
        { numRuns: 60 },
      );
    });
  }
});
