/**
 * The `guide` command run as a process: a few scenarios of the table end to end, usage errors,
 * and the database catalog (SQLite and PostgreSQL) resolving the same drugs as the built-in list.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrugClass } from '../../src/domain/types.js';
import { EXIT } from '../../src/errors.js';
import { catalogFromDb, resolveDrug, type GuideAnswer } from '../../src/guide/index.js';
import { readCatalog } from '../../src/roster/catalog.js';
import { runCli } from '../helpers/cli.js';
import { PROVIDERS, createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { scenarioRows } from './expected-table.js';

const SHIPPED = join(import.meta.dirname, '..', '..', 'data', 'drug-classes.csv');

function argsOf(r: ReturnType<typeof scenarioRows>[number]): string[] {
  return [
    'guide',
    ...(r.byClass ? ['--drug-class', r.subject] : ['--drug', r.subject]),
    '--plan-type',
    r.planType,
    ...(r.partAHomebound ? ['--homebound'] : []),
    ...(r.pumpNeeded ? ['--pump'] : []),
    ...(r.dualEligible ? ['--dual'] : []),
    ...(r.pharmacyFullService ? ['--full-service'] : []),
  ];
}

describe('guide command (process)', () => {
  const picked = scenarioRows().filter((r) =>
    [
      'acyclovir|PDP|true',
      'vancomycin|PDP|true',
      "lactated Ringer's|PDP|false",
      'deferoxamine|MA-PD|true',
    ].includes(`${r.subject}|${r.planType}|${r.pumpNeeded}`),
  );

  it('gives the table answer for a few scenarios, as JSON', async () => {
    expect(picked.length).toBeGreaterThanOrEqual(4);
    const results = await Promise.all(picked.map((r) => runCli([...argsOf(r), '--json'])));
    for (const [i, res] of results.entries()) {
      const r = picked[i]!;
      expect(res.code, res.stderr).toBe(EXIT.OK);
      const a = JSON.parse(res.stdout) as GuideAnswer;
      expect(a.drug.payers, r.subject).toEqual(r.drug);
      expect(a.equipmentAndSupplies.payers, r.subject).toEqual(r.supplies);
      expect(a.professionalServices.payers, r.subject).toEqual(r.services);
      expect(a.decisionPath.applies ? a.decisionPath.steps : null, r.subject).toEqual(r.path);
    }
  });

  it('prints each citation as one bullet, wrapped lines indented, none twice', async () => {
    const res = await runCli(['guide', '--drug', 'vancomycin', '--pump', '--plan-type', 'PDP']);
    expect(res.code).toBe(EXIT.OK);
    expect(res.stdout).toContain('(a) Drug ingredient and dispensing fee: the Part D plan');
    expect(res.stdout).toContain('vancomycin is not on the LCD L33794 list');
    const sections = res.stdout.split('\n\n');
    for (const sec of sections) {
      const bullets = sec.split('\n').filter((l) => l.startsWith('    - '));
      expect(new Set(bullets).size, sec).toBe(bullets.length);
    }
    // The Part D "Equipment and Supplies" cell wraps over three lines: one bullet, then indents.
    const lines = res.stdout.split('\n');
    const i = lines.findIndex((l) =>
      l.startsWith('    - Attachment I, Part D Prescription Drug Plan, Equipment and Supplies'),
    );
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toMatch(/^ {6}\S/);
    expect(lines[i + 1]).not.toMatch(/^\s*- /);
  });

  it('an unknown drug exits 2 and suggests --drug-class (and a near name)', async () => {
    const res = await runCli(['guide', '--drug', 'vancomicin', '--plan-type', 'PDP']);
    expect(res.code).toBe(EXIT.BAD_INPUT);
    expect(res.stderr).toMatch(/unknown drug "vancomicin" \(did you mean vancomycin\?\)/);
    expect(res.stderr).toMatch(/--drug-class CODE/);
    const mixed = await runCli([
      'guide',
      '--drug-class',
      'ANTIFUNGAL_IV',
      '--pump',
      '--plan-type',
      'PDP',
    ]);
    expect(mixed.code).toBe(EXIT.BAD_INPUT);
    expect(mixed.stderr).toMatch(/give the drug with --drug NAME/);
  });
});

describe.each(PROVIDERS)('guide with the database catalog (%s)', (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('resolves IG brand names to the catalog class, like the built-in list', async () => {
    const res = await runCli([
      'guide',
      '--db',
      t.url,
      '--use-db-catalog',
      '--drug',
      'Hizentra',
      '--pump',
      '--plan-type',
      'PDP',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    const a = JSON.parse(res.stdout) as GuideAnswer;
    expect(a.scenario.drugClass).toBe('IG_SUBQ_PID');
    expect(a.classSource).toBe('catalog');
    expect(a.drug.payers).toEqual(['PART_B']);

    // The seeded catalog (the command above created and seeded the database) is the shipped one,
    // and every drug it lists resolves to the same class with it as with the built-in list alone.
    const db: DrugClass[] = await catalogFromDb({ db: t.url });
    const file = await readCatalog(SHIPPED);
    expect(db.map((c) => [c.code, c.exampleDrugs])).toEqual(
      [...file].sort((x, y) => x.code.localeCompare(y.code)).map((c) => [c.code, c.exampleDrugs]),
    );
    for (const c of db) {
      for (const d of c.exampleDrugs) {
        expect(resolveDrug(d, db)?.drugClass, d).toBe(c.code);
        expect(resolveDrug(d)?.drugClass, d).toBe(c.code);
      }
    }
  });
});
