/**
 * Only parameterised SQL. ESLint forbids Prisma's `$queryRawUnsafe` / `$executeRawUnsafe`
 * (eslint.config.js); this test forbids building SQL text from anything but identifiers fixed in
 * code: every `${...}` inside a SQL template literal in src/ must be one of the expressions below,
 * each reviewed as a table/column name or a fragment built from constants. Values always go
 * through `?` placeholders. A new interpolation fails here until someone reviews and lists it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';

/** Reviewed interpolations: identifiers from code, or SQL fragments built only from constants. */
const REVIEWED = new Set([
  't', // runs.ts: VERSIONED_TABLES, constant table names
  'table', // seed-reference.ts: typed 'drug_class' | 'county'
  'ident(table)', // sql.ts: checked against /^[a-z_][a-z0-9_]*$/
  'ident(r.relname)', // refresh-statistics.ts: a table name from the catalog, checked by ident
  "columns.map(ident).join(', ')",
  "all.map(ident).join(', ')", // sql.ts rowWriter: the columns and the fixed columns, by ident
  "columns.map(() => '?').join(', ')",
  'format', // sql.ts: 'binary' or 'csv'
  "cols.join(', ')",
  'dateParam', // a placeholder, typed for PostgreSQL
  'noDate',
  "tx.provider === 'postgresql' ? ' ON COMMIT DROP' : ''",
  'sheetSql', // write-roster.ts: 'sheet IS NULL' or 'sheet = ?'
  'select', // write-roster.ts: key/scope column names of a VersionedTable (code)
  'table.table',
  "table.source ? ' AND source = ?' : ''",
  'IN_FORCE', // load-snapshot.ts: a constant (version in force on a date, two placeholders)
  'planSql', // load-snapshot.ts: ' AND contract_id = ?' / ' AND pbp_id = ?' or ''
  'contractSql',
  'aggregate', // load-snapshot.ts, write-roster.ts: group_concat / string_agg of constant columns, by provider
  'RUN_COLUMNS', // runs.ts: a constant column list
  // runs.ts, imports.ts: '?, ?, ...', one placeholder per id; sql.ts rowWriter: placeholders
  // and a row writer's fixed values as literals (sqliteLiteral: quotes doubled, NUL refused)
  'marks',
  "ids.map(() => '?').join(', ')", // write-roster.ts: one placeholder per id
  // stage-snapshot.ts: constant temp table names; fragments built only from the column names
  // of a VersionedTable (code) and constants; integer ids from RETURNING id (Number())
  'STAGE',
  'GONE',
  'match', // stage-snapshot.ts countRetired: a constant condition
  'SAME',
  'PAIRS',
  'UNLISTED',
  "covering.join(', ')", // stage-snapshot.ts: a VersionedTable's column names and constants
  'RETIRE',
  'SCOPE',
  'KEEP',
  'onCommit',
  'int',
  "cols.map(typed).join(', ')",
  "current('t')",
  "eq('f', 's', table.keyColumns)",
  "eq('k', 't', ident)",
  "eq('s', 't', table.keyColumns)",
  "same('s', 't', contentColumns)", // the table's non-key column names (code)
  'notSame', // a constant anti-join on SAME
  "eq('sc', 't', scopeCols)",
  "ident.join(', ')",
  "scopeCols.join(', ')",
  "table.keyColumns.join(', ')",
  "ids.join(', ')",
  "[0, ...blocked].join(', ')",
  'kept',
  'unlisted',
  'ordered', // 'rowid' or 'ord'
  "planCols.filter((c) => cols.includes(c)).join(', ') || '1 AS x'", // stage: constant plan columns
  'none', // stage: ' AND 1 = 0' (a first load: nothing in force) or ''
  'ident(ix.name)', // stage: an index name from sqlite_master, checked by ident
  'ident(name)', // stage: a VersionedTable's table name (code), checked by ident
]);

const SQL =
  /\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?(?:TABLE|INDEX)|DROP\s+(?:TABLE|INDEX)|COPY|ALTER\s+TABLE|ANALYZE|PRAGMA)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'generated' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('SQL is parameterised', () => {
  const files = sources(join(projectRoot, 'src'));

  it('SQL template literals interpolate only reviewed identifiers', () => {
    const unreviewed: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/`(?:[^`\\]|\\.)*`/g)) {
        if (!SQL.test(m[0])) continue;
        for (const x of m[0].matchAll(/\$\{([^}]*)\}/g)) {
          if (!REVIEWED.has(x[1]!.trim())) {
            unreviewed.push(`${relative(projectRoot, f)}: \${${x[1]!}} in ${m[0].slice(0, 80)}`);
          }
        }
      }
    }
    expect(unreviewed).toEqual([]);
  });

  it('no SQL is concatenated with + and no unsafe raw Prisma call exists', () => {
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\+/g)) {
        if (SQL.test(m[2]!) && /\b(FROM|INTO|SET|WHERE|VALUES)\b/.test(m[2]!)) {
          found.push(`${relative(projectRoot, f)}: ${m[0].slice(0, 80)}`);
        }
      }
      if (/\$(queryRawUnsafe|executeRawUnsafe)\b/.test(text)) found.push(relative(projectRoot, f));
    }
    expect(found).toEqual([]);
  });

  it('the sql layer binds values: a hostile value is stored verbatim, not executed', async () => {
    const { SqliteDriver } = await import('../../src/db/sql.js');
    const sql = SqliteDriver.open(':memory:');
    try {
      await sql.run('CREATE TABLE t (v TEXT)');
      const evil = "x'); DROP TABLE t; --";
      await sql.run('INSERT INTO t (v) VALUES (?)', [evil]);
      await sql.bulkInsert('t', ['v'], [[evil], ['"; DELETE FROM t; --']]);
      const rows = await sql.query<{ v: string }>('SELECT v FROM t WHERE v = ?', [evil]);
      expect(rows).toHaveLength(2);
      await expect(sql.bulkInsert('t; DROP TABLE t', ['v'], [['x']])).rejects.toThrow(
        /not a plain SQL identifier/,
      );
    } finally {
      await sql.close();
    }
  });
});
