import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import { parseCatalog, readCatalog } from '../../src/roster/catalog.js';

const CATALOG = join(import.meta.dirname, '..', '..', 'data', 'drug-classes.csv');
const HEADER =
  'code,name,care_type,part_d_required,part_b_note,example_drugs,needs_sterile_compounding\n';

describe('drug class catalog', () => {
  it('ships exactly the documented classes', async () => {
    const classes = await readCatalog(CATALOG);
    const by = (f: (c: (typeof classes)[number]) => boolean) =>
      classes
        .filter(f)
        .map((c) => c.code)
        .sort();
    expect(classes).toHaveLength(15);
    expect(by((c) => c.partDRequired && c.careType === 'acute')).toEqual([
      'ABX_IV',
      'ANTIFUNGAL_IV',
      'ANTIVIRAL_IV',
      'PN_TEMPORARY',
    ]);
    expect(by((c) => c.partDRequired && c.careType === 'chronic')).toEqual(['A1PI', 'IG_NONPID']);
    expect(by((c) => !c.partDRequired)).toEqual([
      'ANTIEMETIC_IV',
      'BIOLOGIC_HOME',
      'CHEMO_PUMP',
      'ENZYME_REPLACEMENT',
      'HYDRATION',
      'IG_SUBQ_PID',
      'INOTROPE',
      'PAH_PROSTACYCLIN',
      'PAIN_PUMP',
    ]);
    for (const code of ['INOTROPE', 'PAIN_PUMP', 'CHEMO_PUMP', 'PAH_PROSTACYCLIN', 'IG_SUBQ_PID']) {
      expect(classes.find((c) => c.code === code)!.partBNote).toMatch(/L33794/);
    }
    const a1pi = classes.find((c) => c.code === 'A1PI')!;
    expect(a1pi.exampleDrugs).toEqual(['Prolastin-C', 'Zemaira', 'Glassia', 'Aralast NP']);
    expect(classes.find((c) => c.code === 'ABX_IV')!.exampleDrugs).toContain('vancomycin');
  });

  it('rejects a bad catalog naming every problem', () => {
    const bad =
      HEADER +
      'ABX_IV,IV antibiotics,acute,Y,,vancomycin,Y\n' +
      'ABX_IV,dup,acute,Y,,,Y\n' +
      'bad code,,sometimes,maybe,,,Y\n';
    let message = '';
    try {
      parseCatalog(bad, 'drug-classes.csv');
    } catch (e) {
      expect(e).toBeInstanceOf(RosterFormatError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/line 3: code ABX_IV appears twice/);
    expect(message).toMatch(/line 4: code "bad code".*name is missing.*care type.*part_d_required/);
  });

  it('rejects a catalog with missing columns or no rows', () => {
    expect(() => parseCatalog('code,name\nX,y\n', 'c.csv')).toThrow(
      /missing column\(s\) care_type/,
    );
    expect(() => parseCatalog(HEADER, 'c.csv')).toThrow(/no classes/);
  });
});

describe('the shipped catalog says why each class needs sterile compounding or not', () => {
  it('has a sterile_compounding_reason for every class, agreeing with its flag', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parse } = await import('csv-parse/sync');
    const rows = parse<Record<string, string>>(await readFile(CATALOG, 'utf8'), {
      columns: true,
    });
    expect(rows).toHaveLength(15);
    for (const r of rows) {
      const reason = r['sterile_compounding_reason'] ?? '';
      expect(reason.length, r['code']).toBeGreaterThan(40);
      if (r['needs_sterile_compounding'] === 'Y') expect(reason, r['code']).toMatch(/compounding/);
      else expect(reason, r['code']).toMatch(/not sterile compounding|no compounding/);
    }
    const flags: Record<string, string | undefined> = Object.fromEntries(
      rows.map((r) => [r['code'] ?? '', r['needs_sterile_compounding']]),
    );
    // Infused from the vial or reconstituted per labeling: not compounding.
    expect(flags).toMatchObject({ A1PI: 'N', IG_NONPID: 'N', IG_SUBQ_PID: 'N', HYDRATION: 'N' });
  });
});
