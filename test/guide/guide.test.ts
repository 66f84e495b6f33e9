import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GlobalFlags } from '../../src/cli/context.js';
import type { DrugClass } from '../../src/domain/types.js';
import { UsageError } from '../../src/errors.js';
import {
  BUILTIN_DRUGS,
  answerGuide,
  builtinDrug,
  formatGuideAnswer,
  isPartBPumpClass,
  pumpCoverage,
  registerGuide,
  resolveDrug,
  scenarioFromFlags,
  wrap,
  type Citation,
  type GuideAnswer,
  type GuideScenario,
  type Payer,
} from '../../src/guide/index.js';
import { readCatalog } from '../../src/roster/catalog.js';
import { DECISION_TREE, PAYMENT_MATRIX } from '../../src/report/letter.js';
import { expectedRows, scenarioRows, type ScenarioRow } from './expected-table.js';

const rows = expectedRows();
const scenarios = scenarioRows();
const SHIPPED = join(import.meta.dirname, '..', '..', 'data', 'drug-classes.csv');
let shipped: DrugClass[] = [];
beforeAll(async () => {
  shipped = await readCatalog(SHIPPED);
});

function scenarioOf(r: ScenarioRow): GuideScenario {
  return {
    ...(r.byClass ? { drugClass: r.subject } : { drug: r.subject }),
    planType: r.planType,
    partAHomebound: r.partAHomebound,
    pumpNeeded: r.pumpNeeded,
    dualEligible: r.dualEligible,
    pharmacyFullService: r.pharmacyFullService,
  };
}

function flagsLabel(r: Omit<ScenarioRow, 'subject' | 'byClass'>): string {
  return `${r.planType} homebound=${r.partAHomebound} pump=${r.pumpNeeded} dual=${r.dualEligible} fullService=${r.pharmacyFullService}`;
}

function expectRow(a: GuideAnswer, r: Omit<ScenarioRow, 'subject' | 'byClass'>): void {
  expect(a.drug.payers, 'drug').toEqual(r.drug);
  expect(a.equipmentAndSupplies.payers, 'supplies').toEqual(r.supplies);
  expect(a.professionalServices.payers, 'services').toEqual(r.services);
  if (r.path === null) {
    expect(a.decisionPath.applies).toBe(false);
    expect(a.decisionPath.steps).toEqual([]);
    expect(a.decisionPath.outcome).toBe('not_applicable');
  } else {
    expect(a.decisionPath.applies).toBe(true);
    expect(a.decisionPath.steps).toEqual(r.path);
    expect(a.decisionPath.outcome).toBe(r.path.at(-1) === 8 ? 'out_of_pocket' : 'provided');
    expect(
      a.decisionPath.citations.map((c) => (c.source === 'Attachment II' ? c.step : 0)),
    ).toEqual(r.path);
  }
  // The drug's payer says which benefit covers it: D Part D; A home health (gravity-fed
  // hydration); B Part B pump drug; C the MA plan, as a pump drug or as home health.
  const benefit =
    r.drug[0] === 'PART_D'
      ? 'PART_D'
      : r.drug[0] === 'PART_B' || (r.drug[0] === 'PART_C' && r.pumpNeeded)
        ? 'PART_B_PUMP'
        : 'HOME_HEALTH';
  expect(a.drugBenefit).toBe(benefit);
  expect(a.partBDrug).toBe(benefit === 'PART_B_PUMP');
}

/** The Attachment I column that states each payer's coverage. */
const PAYER_COLUMN: Record<Payer, string | null> = {
  PART_A: 'Part A Home Health',
  PART_B: 'Part B DME Benefit',
  PART_C: 'Part C Medicare Advantage',
  PART_C_SUPPLEMENTAL: 'Part C Medicare Advantage',
  PART_D: 'Part D Prescription Drug Plan',
  MEDICAID: 'State Medicaid Program',
  OTHER: 'Other Payer Coverage',
  BENEFICIARY: null,
};

function matrixCells(citations: Citation[]): Citation[] {
  return citations.filter((c) => c.source === 'Attachment I');
}

describe('answerGuide against the table written from the letter', () => {
  it('covers every combination: 16 flag sets x 2 classes x 2 plan types', () => {
    expect(rows).toHaveLength(64);
    const keys = new Set(
      rows.map((r) =>
        [
          r.drugClass,
          r.planType,
          r.partAHomebound,
          r.pumpNeeded,
          r.dualEligible,
          r.pharmacyFullService,
        ].join(),
      ),
    );
    expect(keys.size).toBe(64);
  });

  for (const r of rows) {
    it(`${r.drugClass} ${flagsLabel(r)}`, () => {
      expectRow(
        answerGuide({
          drugClass: r.drugClass,
          planType: r.planType,
          partAHomebound: r.partAHomebound,
          pumpNeeded: r.pumpNeeded,
          dualEligible: r.dualEligible,
          pharmacyFullService: r.pharmacyFullService,
        }),
        r,
      );
    });
  }
});

describe('answerGuide against the scenarios written from the letter and LCD L33794', () => {
  it('has at least 30 scenarios, none twice', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    const keys = scenarios.map((r) => `${r.subject} ${flagsLabel(r)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const r of scenarios) {
    it(`${r.byClass ? 'class ' : ''}${r.subject} ${flagsLabel(r)}`, () => {
      // With the shipped catalog (what the command uses) and with the built-in list alone: the
      // answer must not depend on which one resolved the drug.
      expectRow(answerGuide(scenarioOf(r), { catalog: shipped }), r);
      expectRow(answerGuide(scenarioOf(r)), r);
    });
  }

  it('names the LCD indication of a Part B pump drug, and says why vancomycin stays Part D', () => {
    const a = answerGuide({ ...scenarioOf(scenarios[0]!), drug: 'deferoxamine' });
    expect(a.pumpIndication).toBe('chronic iron overload');
    expect(a.scenario.drugClass).toBeNull();
    expect(formatGuideAnswer(a)).toContain('deferoxamine (no class in the catalog)');
    const v = answerGuide(
      { ...scenarioOf(scenarios[0]!), drug: 'vancomycin' },
      { catalog: shipped },
    );
    expect(v.pumpIndication).toBeNull();
    expect(v.caveats.join(' ')).toMatch(/vancomycin is not on the LCD L33794 list/);
  });

  it('homebound gravity-fed hydration: one payer, the home health agency, for fluid, supplies and nursing', () => {
    for (const planType of ['PDP', 'MA-PD'] as const) {
      const a = answerGuide(
        {
          drug: "lactated Ringer's",
          planType,
          partAHomebound: true,
          pumpNeeded: false,
          dualEligible: false,
          pharmacyFullService: false,
        },
        { catalog: shipped },
      );
      const payer = planType === 'PDP' ? 'PART_A' : 'PART_C';
      expect(a.drugBenefit).toBe('HOME_HEALTH');
      for (const part of [a.drug, a.equipmentAndSupplies, a.professionalServices]) {
        expect(part.payers).toEqual([payer]);
        expect(part.explanation).toMatch(/home health/);
      }
      expect(a.drug.explanation).toMatch(/home health agency provides the hydration fluid/);
      expect(
        a.drug.citations.some(
          (c) =>
            c.source === 'Attachment I' &&
            c.column === 'Part A Home Health' &&
            c.row === 'Equipment and Supplies',
        ),
      ).toBe(true);
      // No Part D pharmacy dispenses, so no assurance caveat either.
      expect(a.caveats.join(' ')).not.toMatch(/drug-only pharmacy must obtain assurances/);
    }
  });

  it('refuses a class whose drugs differ on the pump rule, asking for the drug', () => {
    const s = { ...scenarioOf(scenarios[0]!), drug: undefined, drugClass: 'ANTIFUNGAL_IV' };
    expect(() => answerGuide(s, { catalog: shipped })).toThrow(
      /Part B covers amphotericin B .* but not micafungin, fluconazole IV; give the drug with --drug/,
    );
    // Without a pump the class answers (Part D), naming the pump drug.
    const a = answerGuide({ ...s, pumpNeeded: false }, { catalog: shipped });
    expect(a.drug.payers).toEqual(['PART_D']);
    expect(a.caveats.join(' ')).toMatch(/amphotericin B of class ANTIFUNGAL_IV would be Part B/);
  });
});

describe('the built-in drug list and the catalog agree', () => {
  it('every drug of the shipped catalog resolves, by the built-in list alone, to its catalog class', () => {
    for (const c of shipped) {
      expect(c.exampleDrugs.length, c.code).toBeGreaterThan(0);
      for (const d of c.exampleDrugs) {
        expect(builtinDrug(d)?.classCode, d).toBe(c.code);
        expect(resolveDrug(d)).toMatchObject({ drugClass: c.code, source: 'builtin' });
        expect(resolveDrug(d, shipped)).toMatchObject({ drugClass: c.code, source: 'catalog' });
      }
    }
  });

  it('every class of the built-in list is a class of the shipped catalog', () => {
    const codes = new Set(shipped.map((c) => c.code));
    for (const d of BUILTIN_DRUGS) {
      if (d.classCode !== null) expect(codes.has(d.classCode), d.name).toBe(true);
    }
  });

  it('IG brand names resolve to their catalog class, aliases through the catalog too', () => {
    for (const brand of ['Gamunex-C', 'Privigen', 'Octagam', 'Gammagard Liquid']) {
      expect(resolveDrug(brand, shipped)?.drugClass).toBe('IG_NONPID');
    }
    for (const brand of ['Hizentra', 'Cuvitru', 'Xembify', 'HyQvia']) {
      expect(resolveDrug(brand, shipped)?.drugClass).toBe('IG_SUBQ_PID');
    }
    expect(resolveDrug('fluconazole', shipped)).toMatchObject({
      drugClass: 'ANTIFUNGAL_IV',
      source: 'catalog',
    });
    expect(resolveDrug('Zosyn', shipped)?.drugClass).toBe('ABX_IV');
  });

  it('every drug REFERENCE.md section 5 names for LCD L33794 is a pump drug; vancomycin is not', () => {
    const lcd = [
      'deferoxamine',
      'morphine',
      'hydromorphone',
      'cladribine',
      'fluorouracil',
      'cytarabine',
      'bleomycin',
      'floxuridine',
      'doxorubicin',
      'vincristine',
      'vinblastine',
      'acyclovir',
      'foscarnet',
      'amphotericin B',
      'ganciclovir',
      'dobutamine',
      'milrinone',
      'dopamine',
      'epoprostenol',
      'treprostinil',
      'gallium nitrate',
      'ziconotide',
      'Hizentra',
    ];
    for (const name of lcd) {
      const r = resolveDrug(name, shipped);
      expect(r, name).not.toBeNull();
      expect(pumpCoverage(r!.builtin, r!.drugClass), name).not.toBeNull();
    }
    for (const name of ['vancomycin', 'ceftriaxone', 'micafungin', 'Prolastin-C', 'ondansetron']) {
      const r = resolveDrug(name, shipped);
      expect(pumpCoverage(r!.builtin, r!.drugClass), name).toBeNull();
    }
    // Classes all of whose drugs are pump drugs, derived per drug.
    expect(
      shipped
        .filter((c) => isPartBPumpClass(c.code, shipped))
        .map((c) => c.code)
        .sort(),
    ).toEqual([
      'ANTIVIRAL_IV',
      'CHEMO_PUMP',
      'IG_SUBQ_PID',
      'INOTROPE',
      'PAH_PROSTACYCLIN',
      'PAIN_PUMP',
    ]);
    // Subcutaneous immune globulin counts only for primary immune deficiency.
    const g = resolveDrug('Gamunex-C', shipped)!;
    expect(pumpCoverage(g.builtin, g.drugClass)).toBeNull();
    expect(pumpCoverage(g.builtin, 'IG_SUBQ_PID')).not.toBeNull();
  });
});

describe('citations', () => {
  const answers = [
    ...rows.map((r) =>
      answerGuide({
        drugClass: r.drugClass,
        planType: r.planType,
        partAHomebound: r.partAHomebound,
        pumpNeeded: r.pumpNeeded,
        dualEligible: r.dualEligible,
        pharmacyFullService: r.pharmacyFullService,
      }),
    ),
    ...scenarios.map((r) => answerGuide(scenarioOf(r))),
  ];

  it('never repeat within a part of the answer', () => {
    const key = (c: Citation) =>
      c.source === 'Attachment I' ? `${c.column}|${c.row}` : `step ${c.step}`;
    for (const a of answers) {
      for (const part of [a.drug, a.equipmentAndSupplies, a.professionalServices, a.decisionPath]) {
        const keys = part.citations.map(key);
        expect(new Set(keys).size, keys.join(', ')).toBe(keys.length);
      }
      expect(new Set(a.caveats).size).toBe(a.caveats.length);
    }
  });

  it('print as one bullet each, wrapped lines indented under it, none twice', () => {
    for (const a of answers) {
      const lines = formatGuideAnswer(a).split('\n');
      const bullets = lines.filter((l) => l.startsWith('    - '));
      const citationCount = [a.drug, a.equipmentAndSupplies, a.professionalServices].reduce(
        (n, p) => n + p.citations.length,
        0,
      );
      expect(bullets).toHaveLength(citationCount);
      for (const [i, l] of lines.entries()) {
        expect(l.length, l).toBeLessThanOrEqual(100);
        // A line inside a section is a bullet, a continuation (6 spaces) or the explanation (4).
        if (l.startsWith('    ') && !l.startsWith('    - ') && /^ {6}\S/.test(l)) {
          expect(lines[i - 1]!.startsWith('    - ') || /^ {6}\S/.test(lines[i - 1]!)).toBe(true);
        }
      }
      const caveatBullets = lines.filter((l) => l.startsWith('  - '));
      expect(caveatBullets).toHaveLength(a.caveats.length);
    }
    expect(wrap('a b c d e f', '  - ', '    ', 9)).toBe('  - a b c\n    d e f');
  });

  it('quote the letter: each Attachment I citation is a real cell of the matrix', () => {
    for (const a of answers) {
      for (const part of [a.drug, a.equipmentAndSupplies, a.professionalServices]) {
        expect(part.citations.length).toBeGreaterThan(0);
        expect(part.explanation.length).toBeGreaterThan(40);
        for (const c of matrixCells(part.citations)) {
          if (c.source !== 'Attachment I') continue;
          const col = PAYMENT_MATRIX.payers.indexOf(c.column);
          const row = PAYMENT_MATRIX.rows.find((x) => x.aspect === c.row);
          expect(col, c.column).toBeGreaterThanOrEqual(0);
          expect(row?.cells[col]).toBe(c.text);
        }
      }
    }
  });

  it('cite the column of every payer they name', () => {
    for (const a of answers) {
      for (const part of [a.drug, a.equipmentAndSupplies, a.professionalServices]) {
        const cols = new Set(
          matrixCells(part.citations).map((c) => (c.source === 'Attachment I' ? c.column : '')),
        );
        for (const p of part.payers) {
          const col = PAYER_COLUMN[p];
          if (col !== null)
            expect(cols.has(col), `${p} in ${JSON.stringify(a.scenario)}`).toBe(true);
          else
            expect(
              matrixCells(part.citations).some((c) => c.text.includes('out-of-pocket')),
              'out of pocket cited',
            ).toBe(true);
        }
      }
    }
  });

  it('drug answers cite the "Drug Ingredient and Dispensing Fee" row; services the "Professional Fees" row', () => {
    for (const a of answers) {
      expect(
        matrixCells(a.drug.citations).some(
          (c) => c.source === 'Attachment I' && c.row === 'Drug Ingredient and Dispensing Fee',
        ),
      ).toBe(true);
      expect(
        matrixCells(a.professionalServices.citations).some(
          (c) => c.source === 'Attachment I' && c.row === 'Professional Fees',
        ),
      ).toBe(true);
    }
  });

  it('decision paths follow the arrows of Attachment II', () => {
    for (const a of answers) {
      const steps = a.decisionPath.steps;
      for (let i = 0; i + 1 < steps.length; i++) {
        const s = DECISION_TREE.find((x) => x.step === steps[i])!;
        const allowed = [s.yes, s.no, s.next].filter((x) => x !== undefined);
        expect(allowed, steps.join('-')).toContain(steps[i + 1]);
      }
      if (steps.length > 0) {
        expect(steps[0]).toBe(1);
        expect(DECISION_TREE.find((x) => x.step === steps.at(-1))?.kind).toBe('outcome');
      }
    }
  });
});

describe('scenario input', () => {
  const base = {
    partAHomebound: false,
    pumpNeeded: false,
    planType: 'PDP' as const,
    dualEligible: false,
    pharmacyFullService: true,
  };
  const catalog: DrugClass[] = [
    {
      code: 'ABX_IV',
      name: 'IV antibiotics',
      careType: 'acute',
      partDRequired: true,
      partBNote: '',
      exampleDrugs: ['Vancomycin', 'Cefazolin'],
      needsSterileCompounding: true,
    },
    {
      code: 'INOTROPE',
      name: 'Inotropes',
      careType: 'chronic',
      partDRequired: false,
      partBNote: 'Part B with a pump',
      exampleDrugs: ['Milrinone', 'Vanco-special'],
      needsSterileCompounding: true,
    },
  ];

  it('resolves a drug name through the catalog first, then the built-in list', () => {
    expect(resolveDrug('  VANCOMYCIN ', catalog)).toMatchObject({
      drugClass: 'ABX_IV',
      source: 'catalog',
    });
    expect(resolveDrug('vanco-special', catalog)).toEqual({
      drugClass: 'INOTROPE',
      source: 'catalog',
      builtin: null,
    });
    expect(resolveDrug('vancomycin')).toMatchObject({ drugClass: 'ABX_IV', source: 'builtin' });
    expect(resolveDrug('milrinone')).toMatchObject({ drugClass: 'INOTROPE', source: 'builtin' });
    // An alias finds the catalog's spelling of the same drug.
    expect(resolveDrug('Primacor', catalog)).toMatchObject({
      drugClass: 'INOTROPE',
      source: 'catalog',
    });
    expect(resolveDrug('unobtainium', catalog)).toBeNull();
  });

  it('answers by drug name like by its class, with the class name from the catalog', () => {
    const byDrug = answerGuide({ ...base, drug: 'milrinone', pumpNeeded: true }, { catalog });
    const byClass = answerGuide({ ...base, drugClass: 'INOTROPE', pumpNeeded: true });
    expect(byDrug.scenario.drugClass).toBe('INOTROPE');
    expect(byDrug.className).toBe('Inotropes');
    expect(byDrug.classSource).toBe('catalog');
    expect(byDrug.drug).toEqual(byClass.drug);
    expect(byDrug.decisionPath).toEqual(byClass.decisionPath);
  });

  it('refuses missing, doubled, malformed or unknown classes and drugs', () => {
    expect(() => answerGuide(base)).toThrow(UsageError);
    expect(() => answerGuide({ ...base, drugClass: 'ABX_IV', drug: 'vancomycin' })).toThrow(
      /not both/,
    );
    expect(() => answerGuide({ ...base, drugClass: 'abx iv; drop' })).toThrow(UsageError);
    expect(() => answerGuide({ ...base, drugClass: 'NOPE' }, { catalog })).toThrow(
      /unknown drug class/,
    );
    expect(() => answerGuide({ ...base, drug: 'unobtainium' })).toThrow(
      /unknown drug "unobtainium": give its class with --drug-class CODE/,
    );
    expect(() => answerGuide({ ...base, drug: 'vancomicin' }, { catalog })).toThrow(
      /did you mean vancomycin\?.*--drug-class CODE.*ABX_IV \(IV antibiotics\)/,
    );
    const twice = [...catalog, { ...catalog[0]!, code: 'ABX_OTHER', exampleDrugs: ['cefazolin'] }];
    expect(() => answerGuide({ ...base, drug: 'Cefazolin' }, { catalog: twice })).toThrow(
      /more than one class of the catalog \(ABX_IV, ABX_OTHER\).*--drug-class/,
    );
    expect(() =>
      answerGuide({ ...base, drugClass: 'ABX_IV', planType: 'PPO' as unknown as 'PDP' }),
    ).toThrow(UsageError);
  });

  it('decides the pump rule per drug and says so', () => {
    const a = answerGuide({ ...base, drugClass: 'ABX_IV', pumpNeeded: true });
    expect(a.caveats.join(' ')).toMatch(
      /No drug of class ABX_IV is on the external infusion pump LCD/,
    );
    const b = answerGuide({ ...base, drugClass: 'INOTROPE', pumpNeeded: false });
    expect(b.drug.payers).toEqual(['PART_D']);
    expect(b.caveats.join(' ')).toMatch(/If an external infusion pump becomes medically necessary/);
    // A drug only the catalog knows is not an LCD drug, even in a class of LCD drugs.
    const c = answerGuide({ ...base, drug: 'vanco-special', pumpNeeded: true }, { catalog });
    expect(c.drug.payers).toEqual(['PART_D']);
    expect(c.caveats.join(' ')).toMatch(/known only from the catalog/);
    // ... and that class, mixing an LCD drug with another, needs the drug when a pump is used.
    expect(() =>
      answerGuide({ ...base, drugClass: 'INOTROPE', pumpNeeded: true }, { catalog }),
    ).toThrow(/Part B covers Milrinone .* but not Vanco-special; give the drug with --drug NAME/);
  });

  it('formats an answer as readable text with payers, citations and the path', () => {
    const text = formatGuideAnswer(
      answerGuide({
        ...base,
        drug: 'vancomycin',
        partAHomebound: true,
        pharmacyFullService: false,
      }),
    );
    expect(text).toContain('vancomycin (class ABX_IV)');
    expect(text).toContain('(a) Drug ingredient and dispensing fee: the Part D plan');
    expect(text).toContain('(c) Professional (nursing) services: Medicare Part A (home health)');
    expect(text).toContain('steps 1 -> 4 -> 5 -> 7 (provided)');
    expect(text).toContain(
      'Attachment I, Part D Prescription Drug Plan, Drug Ingredient and Dispensing Fee: "Yes"',
    );
  });
});

describe('guide command', () => {
  afterEach(() => vi.restoreAllMocks());

  async function runCli(args: string[]): Promise<{ code: number | undefined; stdout: string }> {
    const program = new Command().exitOverride().option('--json').option('--quiet');
    program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    let code: number | undefined;
    registerGuide(program, async (fn, cmd) => {
      code = await fn(cmd.optsWithGlobals<GlobalFlags>());
    });
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    await program.parseAsync(['node', 'x', 'guide', ...args]);
    return { code, stdout };
  }

  it('prints the answer as text', async () => {
    const r = await runCli(['--drug', 'vancomycin', '--plan-type', 'PDP', '--homebound', '--dual']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(a) Drug ingredient and dispensing fee: the Part D plan');
    expect(r.stdout).toContain('steps 1 -> 4 -> 5 -> 6 -> 7');
  });

  it('prints JSON with --json', async () => {
    const r = await runCli([
      '--drug-class',
      'INOTROPE',
      '--pump',
      '--plan-type',
      'ma-pd',
      '--full-service',
      '--json',
    ]);
    const a = JSON.parse(r.stdout) as GuideAnswer;
    expect(a.scenario.planType).toBe('MA-PD');
    expect(a.drug.payers).toEqual(['PART_C']);
    expect(a.decisionPath.applies).toBe(false);
  });

  it('refuses bad flags with a UsageError', async () => {
    await expect(runCli(['--drug-class', 'ABX_IV'])).rejects.toThrow(/--plan-type is required/);
    await expect(runCli(['--drug-class', 'ABX_IV', '--plan-type', 'HMO'])).rejects.toThrow(
      UsageError,
    );
    await expect(runCli(['--plan-type', 'PDP'])).rejects.toThrow(UsageError);
    expect(() => scenarioFromFlags({ planType: 'PDP', drug: 'x' })).not.toThrow();
  });
});
