import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GlobalFlags } from '../../src/cli/context.js';
import type { DrugClass } from '../../src/domain/types.js';
import { UsageError } from '../../src/errors.js';
import {
  answerGuide,
  formatGuideAnswer,
  registerGuide,
  resolveDrug,
  scenarioFromFlags,
  type Citation,
  type GuideAnswer,
  type Payer,
} from '../../src/guide/index.js';
import { DECISION_TREE, PAYMENT_MATRIX } from '../../src/report/letter.js';
import { expectedRows } from './expected-table.js';

const rows = expectedRows();

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
    const label = `${r.drugClass} ${r.planType} homebound=${r.partAHomebound} pump=${r.pumpNeeded} dual=${r.dualEligible} fullService=${r.pharmacyFullService}`;
    it(label, () => {
      const a = answerGuide({
        drugClass: r.drugClass,
        planType: r.planType,
        partAHomebound: r.partAHomebound,
        pumpNeeded: r.pumpNeeded,
        dualEligible: r.dualEligible,
        pharmacyFullService: r.pharmacyFullService,
      });
      expect(a.drug.payers).toEqual(r.drug);
      expect(a.equipmentAndSupplies.payers).toEqual(r.supplies);
      expect(a.professionalServices.payers).toEqual(r.services);
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
      expect(a.partBDrug).toBe(r.drug[0] !== 'PART_D');
    });
  }
});

describe('citations', () => {
  const answers = rows.map((r) =>
    answerGuide({
      drugClass: r.drugClass,
      planType: r.planType,
      partAHomebound: r.partAHomebound,
      pumpNeeded: r.pumpNeeded,
      dualEligible: r.dualEligible,
      pharmacyFullService: r.pharmacyFullService,
    }),
  );

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
    expect(resolveDrug('  VANCOMYCIN ', catalog)).toEqual({
      drugClass: 'ABX_IV',
      source: 'catalog',
    });
    expect(resolveDrug('vanco-special', catalog)).toEqual({
      drugClass: 'INOTROPE',
      source: 'catalog',
    });
    expect(resolveDrug('vancomycin')).toEqual({ drugClass: 'ABX_IV', source: 'builtin' });
    expect(resolveDrug('milrinone')).toEqual({ drugClass: 'INOTROPE', source: 'builtin' });
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
      /unknown or ambiguous drug/,
    );
    expect(() =>
      answerGuide({ ...base, drugClass: 'ABX_IV', planType: 'PPO' as unknown as 'PDP' }),
    ).toThrow(UsageError);
  });

  it('warns when a pump is needed for a drug outside the Part B pump classes', () => {
    const a = answerGuide({ ...base, drugClass: 'ABX_IV', pumpNeeded: true });
    expect(a.caveats.join(' ')).toMatch(/L33794/);
    const b = answerGuide({ ...base, drugClass: 'INOTROPE', pumpNeeded: false });
    expect(b.caveats.join(' ')).toMatch(/Part B pump class/);
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
