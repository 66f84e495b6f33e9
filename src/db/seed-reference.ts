/**
 * Reference data every database carries: the drug class catalog (data/drug-classes.csv) and
 * US counties (data/counties.csv). Loaded once after migrating; the catalog can be replaced
 * with `--catalog FILE`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DrugClass } from '../domain/types.js';
import { readCatalog } from '../roster/catalog.js';
import { COUNTIES_PATH } from '../geo/reference-file.js';
import { projectRoot } from '../util/paths.js';
import type { SqlExecutor, SqlDriver } from './sql.js';

export const DEFAULT_CATALOG_PATH = join(projectRoot, 'data', 'drug-classes.csv');

async function count(sql: SqlExecutor, table: 'drug_class' | 'county'): Promise<number> {
  const rows = await sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}

async function insertCatalog(tx: SqlExecutor, classes: readonly DrugClass[]): Promise<void> {
  await tx.bulkInsert(
    'drug_class',
    [
      'code',
      'name',
      'care_type',
      'part_d_required',
      'part_b_note',
      'example_drugs',
      'needs_sterile_compounding',
    ],
    classes.map((c) => [
      c.code,
      c.name,
      c.careType,
      c.partDRequired,
      c.partBNote,
      c.exampleDrugs.join('|'),
      c.needsSterileCompounding,
    ]),
  );
}

export async function replaceCatalog(options: {
  sql: SqlDriver;
  classes: DrugClass[];
}): Promise<void> {
  await options.sql.transaction(async (tx) => {
    await tx.run('DELETE FROM drug_class');
    await insertCatalog(tx, options.classes);
  });
}

export async function seedReferenceData(options: { sql: SqlDriver }): Promise<void> {
  const { sql } = options;
  // Cheap check first; the load itself runs in one transaction that re-checks under a lock, so
  // two processes starting on a new database at once load it once.
  if ((await count(sql, 'drug_class')) > 0 && (await count(sql, 'county')) > 0) return;
  const classes = await readCatalog(DEFAULT_CATALOG_PATH);
  const counties: { fips: string; name: string; state: string }[] = existsSync(COUNTIES_PATH)
    ? parse(readFileSync(COUNTIES_PATH, 'utf8'), { columns: true, skip_empty_lines: true })
    : [];
  await sql.transaction(async (tx) => {
    if (tx.provider === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock(727274003)');
    if ((await count(tx, 'drug_class')) === 0) await insertCatalog(tx, classes);
    if ((await count(tx, 'county')) === 0 && counties.length > 0) {
      await tx.bulkInsert(
        'county',
        ['fips', 'name', 'state'],
        counties.map((r) => [r.fips, r.name, r.state]),
      );
    }
  });
}
