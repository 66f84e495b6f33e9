/**
 * PostgreSQL: planner statistics for the tables an audit reads, brought up to date when they are
 * missing or stale. Right after a bulk import autovacuum has not analysed the new rows yet, and
 * the planner, expecting a handful of rows, picks nested loops: the national audit took 3.5-4.1 s
 * instead of 2.0 s straight after its imports (docs/PERFORMANCE.md). SQLite keeps no statistics
 * unless asked, and its plans do not depend on them here.
 */
import type { Db } from './connect.js';
import { VERSIONED_TABLES } from './runs.js';
import { ident } from './sql.js';

/** The tables the snapshot, the run history and the lineage read. */
export const AUDITED_TABLES = [
  ...VERSIONED_TABLES,
  'roster_import',
  'import_plan',
  'finding',
] as const;

/**
 * ANALYZEs those of `tables` that were never analysed or have had more rows changed since than
 * autovacuum's default threshold (50 + 10 % of their rows), and returns their names. Cheap when
 * nothing is stale (one catalog query); about 0.25 s per large stale table. A table the user
 * may not analyse is skipped by the server with a warning.
 */
export async function refreshStatistics(options: {
  db: Db;
  tables?: readonly string[];
}): Promise<string[]> {
  const { db } = options;
  if (db.sql.provider !== 'postgresql') return [];
  const tables = options.tables ?? AUDITED_TABLES;
  const marks = tables.map(() => '?').join(', ');
  const stale = await db.sql.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables
      WHERE schemaname = current_schema() AND relname IN (${marks})
        AND n_mod_since_analyze > 50 + 0.1 * n_live_tup
      ORDER BY relname`,
    tables,
  );
  for (const r of stale) await db.sql.run(`ANALYZE ${ident(r.relname)}`);
  return stale.map((r) => r.relname);
}
