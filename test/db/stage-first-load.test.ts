/**
 * A first load (no version of the kind in force) writes its accepted records straight into the
 * table (src/db/stage-snapshot.ts); every other load stages them. Both must store the same: the
 * same versions (in file order), the same rejected rows, the same import plans and counts, for
 * random CMS batches with duplicates inside a file, across files and between the two memberships
 * of one row, rejected rows naming a membership or not, on both databases; and with hash
 * collisions (a duplicate check that hashes only the contract, so that most candidates are
 * false and their rows accepted after all; those versions come after the others straight into
 * the table, so versions are compared in key order there). A large file with a rejected row in
 * every three makes PostgreSQL switch between its two COPYs many times.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkMembership } from '../../src/domain/types.js';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { type VersionedTable } from '../../src/db/roster-tables.js';
import { CMS_NETWORK_TABLE } from '../../src/roster/kinds/cms-network.js';
import { openSnapshotStage } from '../../src/db/stage-snapshot.js';
import { keyHash } from '../../src/import/key-index.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';

const AS_OF = '2026-12-01';

/** A row of a CMS source: a membership key choice and its flags, or a rejected row. */
type Row =
  | { kind: 'ok'; plan: number; npi: number; retail: boolean; mail: boolean; zip: number }
  | { kind: 'bad'; plan: number | null; npi: number };

const row: fc.Arbitrary<Row> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('ok' as const),
      plan: fc.integer({ min: 0, max: 3 }),
      npi: fc.integer({ min: 0, max: 5 }),
      retail: fc.boolean(),
      mail: fc.boolean(),
      zip: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      plan: fc.option(fc.integer({ min: 0, max: 3 })),
      npi: fc.integer({ min: 0, max: 5 }),
    }),
  },
);

const PLANS = [
  ['S0001', '001', '000'],
  ['S0001', '002', '000'],
  ['S0002', '001', '000'],
  ['H0003', '001', '001'],
] as const;

function memberships(r: Extract<Row, { kind: 'ok' }>): NetworkMembership[] {
  const [contractId, pbpId, segmentId] = PLANS[r.plan]!;
  const base = {
    contractId,
    pbpId,
    segmentId,
    npi: `10000000${String(r.npi).padStart(2, '0')}`,
    effectiveDate: AS_OF,
    terminationDate: null,
    zip: `6060${r.zip}`,
  };
  const roles: NetworkMembership['role'][] = [];
  if (r.retail || !r.mail) roles.push('retail');
  if (r.mail) roles.push('mail');
  return roles.map((role) => ({ ...base, role }));
}

interface Stored {
  status: string;
  perSource: unknown[];
  versions: unknown[];
  rejected: unknown[];
  plans: string[];
}

describe.each(PROVIDERS)(
  'a first load straight into the table equals the staged one on %s',
  (provider) => {
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

    async function load(
      sources: readonly (readonly Row[])[],
      straight: boolean,
      maxPlans?: number,
      collide = false,
      deferIndexes = true,
    ): Promise<Stored> {
      for (const t of ['import_plan', 'rejected_row', 'network_membership', 'roster_import'])
        await db.sql.run(`DELETE FROM ${t}`);
      const table: VersionedTable<NetworkMembership> = CMS_NETWORK_TABLE;
      const result = await db.sql.transaction(async (tx) => {
        const stage = await openSnapshotStage({
          tx,
          table,
          kind: 'cms_network',
          asOf: AS_OF,
          recordsPlans: true,
          straightIntoTable: straight,
          deferIndexes,
          ...(maxPlans === undefined ? {} : { maxPlans }),
          // Collisions: the duplicate check hashes the contract only (the first key column).
          ...(collide ? { keyHash: (v, at) => keyHash(v, at.slice(0, 1)) } : {}),
          sources: sources.map((_, i) => ({
            path: `/in/${i}.txt`,
            fileName: `${i}.txt`,
            sheet: null,
            sha256: `s${i}`,
          })),
        });
        for (const [i, rows] of sources.entries()) {
          await stage.stageSource(i, async (sink) => {
            let n = 1;
            for (const r of rows) {
              n++;
              const raw = (): Record<string, string> => ({ row: String(n) });
              if (r.kind === 'ok') sink.accept(n, memberships(r), raw);
              else {
                sink.reject(
                  n,
                  () => ({ raw: raw(), column: 'zip', value: 'x', reason: 'bad ZIP' }),
                  r.plan === null ? null : [...PLANS[r.plan]!, `10000000${r.npi}`],
                );
              }
              if (n % 1_000 === 0) await sink.flush();
            }
            await sink.flush();
            return { rowsRead: rows.length, warnings: 0 };
          });
        }
        return stage.apply({ append: false, endDespiteRejects: false, seenBefore: [] });
      });
      const ids = result.perSource.map((s) => s.importId);
      // (With collisions, in a total order: two rows that repeat a collided key's row are both
      // accepted, on either path, as they were before the first load went straight in.)
      const inOrder = (v: Record<string, unknown>[]): Record<string, unknown>[] =>
        collide ? v.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : v;
      const source = (id: unknown): number => ids.indexOf(Number(id));
      const versions = await db.sql.query<Record<string, unknown>>(
        `SELECT * FROM network_membership ORDER BY id`,
      );
      const rejected = await db.sql.query<Record<string, unknown>>(
        `SELECT import_id, row_number, "column", value, reason, raw FROM rejected_row ORDER BY id`,
      );
      const plans = await db.sql.query<Record<string, string>>(`SELECT * FROM import_plan`);
      return {
        status: result.status,
        perSource: result.perSource.map((x) => ({ ...x, importId: null })),
        versions: inOrder(
          versions.map((v) => ({ ...v, id: null, import_id: null, source: source(v.import_id) })),
        ),
        rejected: rejected.map((r) => ({ ...r, import_id: source(r.import_id) })),
        plans: plans
          .map((p) => `${source(p.import_id)} ${p.contract_id} ${p.pbp_id} ${p.segment_id}`)
          .sort(),
      };
    }

    it('random batches: same versions, rejected rows, plans and counts', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(row, { maxLength: 14 }), { minLength: 1, maxLength: 3 }),
          fc.constantFrom(undefined, 1),
          fc.boolean(),
          async (sources, maxPlans, collide) => {
            const staged = await load(sources, false, maxPlans, collide);
            const straight = await load(sources, true, maxPlans, collide);
            expect(straight).toEqual(staged);
          },
        ),
        { numRuns: 40 },
      );
    }, 240_000);

    it('a large file with a rejected row in every three', async () => {
      const rows: Row[] = Array.from({ length: 24_000 }, (_, i) =>
        i % 3 === 2
          ? { kind: 'bad', plan: i % 4, npi: i % 6 }
          : { kind: 'ok', plan: i % 4, npi: i, retail: true, mail: i % 5 === 0, zip: i % 3 },
      );
      const staged = await load([rows], false);
      const straight = await load([rows], true);
      expect(straight.versions.length).toBe(staged.versions.length);
      expect(straight).toEqual(staged);
      expect(staged.rejected.length).toBe(8_000);
    });

    // SQLite drops the table's secondary indexes for a first load into an empty table and builds
    // them again from their own SQL once the rows are in (PostgreSQL keeps them).
    const indexes = async (): Promise<unknown[]> =>
      provider === 'sqlite'
        ? db.sql.query(
            `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`,
          )
        : db.sql.query(
            `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
          );

    it('indexes built after the rows: the same rows and the same indexes', async () => {
      const rows: Row[] = Array.from({ length: 3_000 }, (_, i) =>
        i % 7 === 3
          ? { kind: 'bad', plan: i % 4, npi: i % 6 }
          : { kind: 'ok', plan: i % 4, npi: i % 40, retail: true, mail: i % 5 === 0, zip: i % 3 },
      );
      const before = await indexes();
      expect(before.length).toBeGreaterThan(0);
      const kept = await load([rows, rows.slice(0, 500)], true, undefined, false, false);
      expect(await indexes()).toEqual(before);
      const deferred = await load([rows, rows.slice(0, 500)], true, undefined, false, true);
      expect(await indexes()).toEqual(before);
      expect(deferred).toEqual(kept);
      // With hash collisions (candidates are checked against the table after its indexes are
      // built again).
      const keptC = await load([rows], true, undefined, true, false);
      const deferredC = await load([rows], true, undefined, true, true);
      expect(deferredC).toEqual(keptC);
      expect(await indexes()).toEqual(before);
    });

    it('a first load that fails leaves the indexes and no row', async () => {
      for (const t of ['import_plan', 'rejected_row', 'network_membership', 'roster_import'])
        await db.sql.run(`DELETE FROM ${t}`);
      const before = await indexes();
      await expect(
        db.sql.transaction(async (tx) => {
          const stage = await openSnapshotStage({
            tx,
            table: CMS_NETWORK_TABLE,
            kind: 'cms_network',
            asOf: AS_OF,
            recordsPlans: true,
            sources: [{ path: '/in/x.txt', fileName: 'x.txt', sheet: null, sha256: 'x' }],
          });
          await stage.stageSource(0, async (sink) => {
            for (let n = 2; n < 200; n++)
              sink.accept(
                n,
                memberships({
                  kind: 'ok',
                  plan: n % 4,
                  npi: n,
                  retail: true,
                  mail: false,
                  zip: 0,
                }),
                () => ({}),
              );
            await sink.flush();
            throw new Error('the file went away');
          });
        }),
      ).rejects.toThrow('the file went away');
      expect(await indexes()).toEqual(before);
      const left = await db.sql.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM network_membership',
      );
      expect(Number(left[0]!.n)).toBe(0);
    });
  },
);
