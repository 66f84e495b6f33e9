import { defineConfig } from 'vitest/config';

/**
 * Three projects; `npm test` (CI, .ci/run) runs all of them, `npm run test:unit` the first:
 * - unit: no database, no CLI process, no browser, no national-scale data: the fast loop;
 * - integration: real SQLite files and PostgreSQL databases, the CLI as a process, a browser,
 *   and the national-scale tests of the rules and the workbook;
 * - faults: killed processes, a stopped server, failing outputs.
 * A new test file lands in `integration` unless listed under UNIT.
 */
const UNIT = [
  'test/bin/**/*.test.ts',
  'test/db/schema-sources.test.ts',
  'test/db/sql.test.ts',
  'test/generate/!(demo).test.ts',
  'test/import/key-index.test.ts',
  'test/map/**/*.test.ts',
  'test/property/parsers.test.ts',
  'test/report/files.test.ts',
  'test/report/workbook.test.ts',
  'test/roster/**/*.test.ts',
  'test/rules/!(scale).test.ts',
  'test/security/sql-parameterised.test.ts',
  'test/util/**/*.test.ts',
];
const FAULTS = ['test/faults/**/*.test.ts'];
// Migrates one template database per provider per run; test databases are copies of it.
const DATABASES = ['test/helpers/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...FAULTS],
          globalSetup: DATABASES,
        },
      },
      { extends: true, test: { name: 'faults', include: FAULTS, globalSetup: DATABASES } },
    ],
  },
});
