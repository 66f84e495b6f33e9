/**
 * SqlExecutor.rowWriter on PostgreSQL, CSV and binary COPY alike: any text (quotes, delimiters,
 * line ends, non-ASCII, empty), integers, timestamps and NULL arrive as written, also as fixed
 * columns (given once); a broken row fails the COPY and abort() leaves the connection usable. Large values (a run's report parts) on both databases:
 * bulkInsert's COPY pieces keep them whole, and SQLite's flush() writes the rows it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { dbDate, dbInstant, type CopyType, type SqlValue } from '../../src/db/sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

const TYPES: CopyType[] = ['text', 'int4', 'timestamp', 'text'];
const ROWS: SqlValue[][] = [
  ['plain', 1, dbDate('postgresql', '2026-11-01'), 'x'],
  ['a "quoted", comma\nand line', -7, dbInstant('postgresql', '1999-12-31T23:59:59.123Z'), null],
  ['', 2_147_483_647, dbInstant('postgresql', '2026-02-28T10:11:12.001Z'), 'é ü 漢字 \\N'],
  [null, 0, null, ''],
];

describe('rowWriter on PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgresql');
    db = await openDatabase({ url: tdb.url });
    await db.sql.run(
      'CREATE TABLE rw (id SERIAL PRIMARY KEY, t TEXT, i INTEGER, ts TIMESTAMP(3), u TEXT)',
    );
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
  });

  const read = async (): Promise<unknown[]> => {
    const rows = await db.sql.query('SELECT t, i, ts, u FROM rw ORDER BY id');
    await db.sql.run('DELETE FROM rw');
    return rows;
  };
  const expected = [
    { t: 'plain', i: 1, ts: '2026-11-01 00:00:00', u: 'x' },
    { t: 'a "quoted", comma\nand line', i: -7, ts: '1999-12-31 23:59:59.123', u: null },
    { t: '', i: 2_147_483_647, ts: '2026-02-28 10:11:12.001', u: 'é ü 漢字 \\N' },
    { t: null, i: 0, ts: null, u: '' },
  ];

  it.each([
    ['CSV', undefined],
    ['binary', TYPES],
  ])('%s: add() stores every value as given', async (_name, binary) => {
    const n = await db.sql.transaction(async (tx) => {
      const w = await tx.rowWriter('rw', ['t', 'i', 'ts', 'u'], binary ? { binary } : {});
      for (const r of ROWS) w.add(r);
      await w.flush();
      return w.end();
    });
    expect(n).toBe(ROWS.length);
    expect(await read()).toEqual(expected);
  });

  it.each([
    ['CSV', undefined],
    ['binary', TYPES],
  ])('%s: fixed columns are written in every row as given once', async (_name, binary) => {
    // The last two columns fixed: each row gives the first two only.
    await db.sql.transaction(async (tx) => {
      const w = await tx.rowWriter('rw', ['t', 'i'], {
        fixed: { ts: ROWS[1]![2]!, u: 'it\'s "fixed", é\n' },
        ...(binary ? { binary } : {}),
      });
      for (const r of ROWS) w.add(r.slice(0, 2));
      expect(await w.end()).toBe(ROWS.length);
    });
    expect(await read()).toEqual(
      expected.map((e) => ({ ...e, ts: expected[1]!.ts, u: 'it\'s "fixed", é\n' })),
    );
  });

  it.each([
    ['CSV', undefined],
    ['binary', TYPES],
  ])(
    '%s: setFixed() changes the fixed columns of the rows added after it only',
    async (_n, binary) => {
      await db.sql.transaction(async (tx) => {
        const w = await tx.rowWriter('rw', ['t', 'i'], {
          fixed: { ts: ROWS[0]![2]!, u: 'first' },
          ...(binary ? { binary } : {}),
        });
        w.add(ROWS[0]!.slice(0, 2));
        w.add(ROWS[1]!.slice(0, 2));
        // Given in another order than at open: matched by name.
        w.setFixed({ u: null, ts: ROWS[2]![2]! });
        w.add(ROWS[2]!.slice(0, 2));
        await w.flush();
        w.setFixed({ ts: null, u: 'last' });
        w.add(ROWS[3]!.slice(0, 2));
        expect(() => w.setFixed({ ts: null })).toThrow(/no value for fixed column u/);
        expect(await w.end()).toBe(ROWS.length);
      });
      expect(await read()).toEqual([
        { ...expected[0], u: 'first' },
        { ...expected[1], ts: expected[0]!.ts, u: 'first' },
        { ...expected[2], u: null },
        { ...expected[3], ts: null, u: 'last' },
      ]);
    },
  );

  it('a value that does not fit its type fails the import; abort() leaves the connection usable', async () => {
    const err = await db.sql
      .transaction(async (tx) => {
        const w = await tx.rowWriter('rw', ['t', 'i', 'ts', 'u'], { binary: TYPES });
        expect(() => w.add(['x', 1.5, null, null])).toThrow(/not an integer/);
        await w.abort();
        throw new Error('given up');
      })
      .catch((e: unknown) => e);
    expect(String(err)).toMatch(/given up/);
    expect(await db.sql.query('SELECT COUNT(*)::int AS n FROM rw')).toEqual([{ n: 0 }]);
  });
});

describe('large values, written in pieces', () => {
  // Each a third of a MiB, quotes and line ends doubled or kept: several COPY pieces.
  const big = Array.from(
    { length: 7 },
    (_, k) => `${k}: ${'"quoted", and\nline '.repeat(18_000)}${'é'.repeat(k)}`,
  );

  it.each(['postgresql', 'sqlite'] as const)(
    '%s: bulkInsert stores every row whole, in order',
    async (provider) => {
      const tdb = await createTestDatabase(provider);
      const db = await openDatabase({ url: tdb.url });
      try {
        await db.sql.run('CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT)');
        const n = await db.sql.transaction((tx) =>
          tx.bulkInsert(
            'big',
            ['id', 't'],
            big.map((t, k) => [k + 1, t]),
          ),
        );
        expect(n).toBe(big.length);
        const rows = await db.sql.query<{ t: string }>('SELECT t FROM big ORDER BY id');
        expect(rows.map((r) => r.t)).toEqual(big);
      } finally {
        await db.close();
        await tdb.dispose();
      }
    },
  );

  it('sqlite: fixed columns are literals holding the values given once', async () => {
    const tdb = await createTestDatabase('sqlite');
    const db = await openDatabase({ url: tdb.url });
    try {
      await db.sql.run('CREATE TABLE f (id INTEGER PRIMARY KEY, t TEXT, a, b, c, d, e)');
      const fixed = { a: "it's 'quoted'", b: null, c: 7, d: 0.1, e: true };
      await db.sql.transaction(async (tx) => {
        const w = await tx.rowWriter('f', ['id', 't'], { fixed });
        // More rows than one multi-row INSERT holds, and a last short one.
        for (let k = 1; k <= 130; k++) w.add([k, `row ${k}`]);
        expect(await w.end()).toBe(130);
      });
      const rows = await db.sql.query(
        'SELECT id, t, a, b, c, typeof(c) AS tc, d, e FROM f ORDER BY id',
      );
      expect(rows).toHaveLength(130);
      rows.forEach((r, k) =>
        expect(r).toEqual({
          id: k + 1,
          t: `row ${k + 1}`,
          a: "it's 'quoted'",
          b: null,
          c: 7,
          tc: 'integer',
          d: 0.1,
          e: 1,
        }),
      );
    } finally {
      await db.close();
      await tdb.dispose();
    }
  });

  it('sqlite: setFixed() changes the literals of the rows added after it only', async () => {
    const tdb = await createTestDatabase('sqlite');
    const db = await openDatabase({ url: tdb.url });
    try {
      await db.sql.run('CREATE TABLE f (id INTEGER PRIMARY KEY, a, b)');
      await db.sql.transaction(async (tx) => {
        const w = await tx.rowWriter('f', ['id'], { fixed: { a: 1, b: 'x' } });
        // 70 rows (one multi-row INSERT and 6 held), then 3 more under other values.
        for (let k = 1; k <= 70; k++) w.add([k]);
        w.setFixed({ b: null, a: 2 });
        for (let k = 71; k <= 73; k++) w.add([k]);
        expect(() => w.setFixed({ a: 3 })).toThrow(/no value for fixed column b/);
        expect(await w.end()).toBe(73);
      });
      const rows = await db.sql.query<{ a: number; b: string | null; n: number }>(
        'SELECT a, b, COUNT(*) AS n FROM f GROUP BY a, b ORDER BY a',
      );
      expect(rows).toEqual([
        { a: 1, b: 'x', n: 70 },
        { a: 2, b: null, n: 3 },
      ]);
    } finally {
      await db.close();
      await tdb.dispose();
    }
  });

  it('sqlite: flush() hands the rows held over (a caller of large values flushes each)', async () => {
    const tdb = await createTestDatabase('sqlite');
    const db = await openDatabase({ url: tdb.url });
    try {
      await db.sql.run('CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT)');
      await db.sql.transaction(async (tx) => {
        const w = await tx.rowWriter('big', ['id', 't']);
        w.add([1, big[0]!]);
        expect(await tx.query('SELECT id FROM big')).toEqual([]);
        await w.flush();
        expect(await tx.query('SELECT id FROM big')).toEqual([{ id: 1 }]);
        w.add([2, big[1]!]);
        expect(await w.end()).toBe(2);
      });
      expect(await db.sql.query('SELECT id FROM big ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await db.close();
      await tdb.dispose();
    }
  });
});
