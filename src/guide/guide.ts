/**
 * The coordination guide: for one patient situation, who pays for (a) the drug ingredient and
 * dispensing fee, (b) equipment and supplies, (c) professional (nursing) services, and which path
 * of the letter's Attachment II decision tree applies. Pure function; every answer carries the
 * letter's citation (Attachment I column and row, Attachment II steps) and a plain explanation.
 *
 * Reading of the letter (and REFERENCE.md sections 3 and 5) the guide applies:
 * - Part B covers a drug of a pump class (PART_B_PUMP_CLASSES, LCD L33794) when an external
 *   infusion pump is medically necessary: drug (no separate dispensing fee), pump and supplies
 *   through the DME benefit; never professional fees. Such a drug is not a Part D drug, so the
 *   Attachment II tree ("if this is not a Part B drug") does not apply.
 * - Otherwise Part D covers the drug's ingredient cost and dispensing fee, and never supplies,
 *   equipment or professional services.
 * - Part A home health (homebound beneficiary) covers professional services and, sometimes,
 *   supplies (hydration fluid and IV supplies for gravity-fed infusion); never drugs.
 * - In an MA-PD plan, Part C covers what Parts A and B would (generally bundled per diem) and the
 *   drug under Part B rules; a non-Part B drug under the plan's Part D. What A/B would not cover
 *   is covered by Part C only as an additional benefit of the plan.
 * - Dual eligibles: Medicaid may cover services, equipment and supplies not covered by A/B/C/D.
 * - What no program covers: other insurance, or the beneficiary out of pocket.
 * - A full-service pharmacy answers decision point 1 YES (steps 1, 2, [3], 7). A drug-only
 *   pharmacy goes to decision point 2 (step 4): YES when someone will cover the services
 *   (homebound: Part A or C; dual: the State) and an HHA/VNA arranges them (steps 4, 5, [6], 7);
 *   otherwise NO (step 8, out of pocket), unless third-party insurance or another arrangement
 *   covers them.
 */
import type { DrugClass, PlanType } from '../domain/types.js';
import { PLAN_TYPES } from '../domain/types.js';
import { UsageError } from '../errors.js';
import { DECISION_TREE, PAYMENT_MATRIX } from '../report/letter.js';
import { isPartBPumpClass, knownDrugNames, resolveDrug } from './drugs.js';

export interface GuideScenario {
  /** Catalog class code, e.g. ABX_IV. Give this or `drug`. */
  drugClass?: string;
  /** Drug name, e.g. 'vancomycin', resolved through the catalog's example drugs. */
  drug?: string;
  /** Homebound and in need of part-time or intermittent skilled nursing (Part A home health). */
  partAHomebound: boolean;
  /** An external infusion pump is medically necessary (Part B DME). */
  pumpNeeded: boolean;
  planType: PlanType;
  /** Medicare and Medicaid. */
  dualEligible: boolean;
  /** The HI pharmacy provides the professional services and supplies itself. */
  pharmacyFullService: boolean;
}

export const PAYERS = [
  'PART_A',
  'PART_B',
  'PART_C',
  'PART_C_SUPPLEMENTAL',
  'PART_D',
  'MEDICAID',
  'OTHER',
  'BENEFICIARY',
] as const;
export type Payer = (typeof PAYERS)[number];

export const PAYER_LABELS: Record<Payer, string> = {
  PART_A: 'Medicare Part A (home health)',
  PART_B: 'Medicare Part B (DME benefit)',
  PART_C: 'the Medicare Advantage plan (Part C)',
  PART_C_SUPPLEMENTAL:
    'the Medicare Advantage plan, only if it offers this as an additional benefit',
  PART_D: 'the Part D plan',
  MEDICAID: 'the State Medicaid program',
  OTHER: 'other insurance (e.g. employer or supplemental coverage), if any',
  BENEFICIARY: 'the beneficiary, out of pocket',
};

export type Aspect =
  | 'Requirement'
  | 'Professional Fees'
  | 'Equipment and Supplies'
  | 'Drug Ingredient and Dispensing Fee';

export type Citation =
  | { source: 'Attachment I'; column: string; row: Aspect; text: string }
  | { source: 'Attachment II'; step: number; text: string };

export interface ComponentAnswer {
  /** Who pays, in order of responsibility; the last entries are the fallbacks. */
  payers: Payer[];
  explanation: string;
  citations: Citation[];
}

export type PathOutcome = 'provided' | 'out_of_pocket' | 'not_applicable';

export interface DecisionPathAnswer {
  /** False for a Part B drug: the tree starts "if this is not a Part B drug". */
  applies: boolean;
  /** Attachment II steps followed, in order (empty when it does not apply). */
  steps: number[];
  outcome: PathOutcome;
  explanation: string;
  citations: Citation[];
}

export interface GuideAnswer {
  scenario: GuideScenario & { drugClass: string };
  /** Where the class came from: given, or resolved from the drug name. */
  classSource: 'given' | 'catalog' | 'builtin';
  className: string | null;
  /** Part B (or, in an MA-PD, Part C under Part B rules) covers the drug as a pump drug. */
  partBDrug: boolean;
  drug: ComponentAnswer;
  equipmentAndSupplies: ComponentAnswer;
  professionalServices: ComponentAnswer;
  decisionPath: DecisionPathAnswer;
  /** Points the user should check. */
  caveats: string[];
}

const COLUMN = {
  A: 0,
  B: 1,
  C: 2,
  D: 3,
  MEDICAID: 4,
  OTHER: 5,
} as const;

/** An Attachment I citation with the letter's own cell text. */
export function matrixCitation(column: keyof typeof COLUMN, row: Aspect): Citation {
  const i = COLUMN[column];
  const r = PAYMENT_MATRIX.rows.find((x) => x.aspect === row);
  return {
    source: 'Attachment I',
    column: PAYMENT_MATRIX.payers[i]!,
    row,
    text: r?.cells[i] ?? '',
  };
}

/** An Attachment II citation with the step's text. */
export function treeCitation(step: number): Citation {
  const s = DECISION_TREE.find((x) => x.step === step);
  return { source: 'Attachment II', step, text: s?.text ?? '' };
}

/** The payers of what no Medicare program covers. */
function residual(dual: boolean): Payer[] {
  return dual ? ['MEDICAID'] : ['OTHER', 'BENEFICIARY'];
}

function residualCitations(dual: boolean, row: Aspect): Citation[] {
  return dual
    ? [matrixCitation('MEDICAID', 'Requirement'), matrixCitation('MEDICAID', row)]
    : [matrixCitation('OTHER', row), matrixCitation('D', 'Equipment and Supplies')];
}

function residualText(dual: boolean): string {
  return dual
    ? 'As a dual eligible, the State Medicaid program may cover what Medicare does not (separately or in a bundled rate).'
    : 'What Medicare does not cover is paid by other insurance if the beneficiary has it, otherwise out of pocket.';
}

function validateScenario(s: GuideScenario): void {
  for (const k of [
    'partAHomebound',
    'pumpNeeded',
    'dualEligible',
    'pharmacyFullService',
  ] as const) {
    if (typeof s[k] !== 'boolean') throw new UsageError(`${k} must be true or false`);
  }
  if (!PLAN_TYPES.includes(s.planType)) {
    throw new UsageError(
      `plan type must be one of ${PLAN_TYPES.join(', ')}, got "${s.planType as string}"`,
    );
  }
}

/** Resolves the scenario's drug class; UsageError when missing, both given, or unknown. */
function resolveClass(
  s: GuideScenario,
  catalog: readonly DrugClass[],
): { code: string; source: GuideAnswer['classSource'] } {
  const hasClass = s.drugClass !== undefined && s.drugClass.trim() !== '';
  const hasDrug = s.drug !== undefined && s.drug.trim() !== '';
  if (hasClass && hasDrug) throw new UsageError('give a drug class or a drug name, not both');
  if (hasClass) {
    const code = s.drugClass!.trim().toUpperCase();
    if (!/^[A-Z0-9_]{1,40}$/.test(code)) {
      throw new UsageError(`drug class must be a catalog code like ABX_IV, got "${s.drugClass!}"`);
    }
    if (catalog.length > 0 && !catalog.some((c) => c.code === code)) {
      throw new UsageError(
        `unknown drug class "${code}"; the catalog has: ${catalog.map((c) => c.code).join(', ')}`,
      );
    }
    return { code, source: 'given' };
  }
  if (hasDrug) {
    const r = resolveDrug(s.drug!, catalog);
    if (!r) {
      const known = knownDrugNames(catalog);
      throw new UsageError(
        `unknown or ambiguous drug "${s.drug!}": give its class with a drug class code instead (known drugs: ${known.join(', ')})`,
      );
    }
    return { code: r.drugClass, source: r.source };
  }
  throw new UsageError('give a drug class (e.g. ABX_IV) or a drug name (e.g. vancomycin)');
}

export interface GuideOptions {
  /** The drug class catalog (names, example drugs); optional. */
  catalog?: readonly DrugClass[];
}

/** Who pays for what, and which Attachment II path applies. */
export function answerGuide(scenario: GuideScenario, opts: GuideOptions = {}): GuideAnswer {
  validateScenario(scenario);
  const catalog = opts.catalog ?? [];
  const { code, source } = resolveClass(scenario, catalog);
  const cls = catalog.find((c) => c.code === code) ?? null;
  const { partAHomebound: homebound, pumpNeeded: pump, dualEligible: dual } = scenario;
  const ma = scenario.planType === 'MA-PD';
  const pumpClass = isPartBPumpClass(code);
  const partBDrug = pumpClass && pump;
  const caveats: string[] = [];

  // (a) Drug ingredient and dispensing fee.
  let drug: ComponentAnswer;
  if (partBDrug && !ma) {
    drug = {
      payers: ['PART_B'],
      explanation:
        'A pump drug given through a medically necessary external infusion pump is covered by Part B as part of the DME benefit, billed by the DME supplier; Part B pays no separate dispensing fee. Part D does not cover it (Part D covers only drugs not covered under Parts A and B).',
      citations: [
        matrixCitation('B', 'Requirement'),
        matrixCitation('B', 'Drug Ingredient and Dispensing Fee'),
        matrixCitation('D', 'Requirement'),
      ],
    };
  } else if (partBDrug && ma) {
    drug = {
      payers: ['PART_C'],
      explanation:
        'A pump drug given through a medically necessary external infusion pump is a Part B drug; in a Medicare Advantage plan, the plan covers it under its Part C (Part B) benefit, not its Part D benefit.',
      citations: [
        matrixCitation('C', 'Drug Ingredient and Dispensing Fee'),
        matrixCitation('B', 'Requirement'),
      ],
    };
  } else {
    drug = {
      payers: ['PART_D'],
      explanation: ma
        ? "The drug is not covered under Part B here, so the MA-PD plan covers its ingredient cost and dispensing fee under the plan's Part D benefit."
        : 'The Part D plan covers the ingredient cost and the dispensing fee of a home infusion drug not covered under Parts A and B. It must be delivered ready to administer (usable form).',
      citations: ma
        ? [
            matrixCitation('C', 'Drug Ingredient and Dispensing Fee'),
            matrixCitation('D', 'Drug Ingredient and Dispensing Fee'),
          ]
        : [
            matrixCitation('D', 'Requirement'),
            matrixCitation('D', 'Drug Ingredient and Dispensing Fee'),
          ],
    };
    if (pumpClass && !pump) {
      caveats.push(
        `${code} is a Part B pump class: if an external infusion pump becomes medically necessary, Part B${ma ? ' (through the MA plan)' : ''} covers the drug instead of Part D.`,
      );
    }
    if (!pumpClass && pump) {
      caveats.push(
        `Part B's external infusion pump benefit (LCD L33794) lists specific drugs; ${code} is not one of the pump classes, so Part B does not cover this drug or its pump. Check the LCD for the exact drug.`,
      );
    }
  }

  // (b) Equipment and supplies.
  let supplies: ComponentAnswer;
  if (partBDrug) {
    supplies = ma
      ? {
          payers: ['PART_C'],
          explanation:
            'The pump and its supplies are Part B DME; the Medicare Advantage plan covers them (generally in a bundled per diem).',
          citations: [
            matrixCitation('C', 'Equipment and Supplies'),
            matrixCitation('B', 'Equipment and Supplies'),
          ],
        }
      : {
          payers: ['PART_B'],
          explanation:
            'The pump and its supplies are covered by Part B DME, billed separately by a DME supplier to the DME regional contractor. Part D never pays for supplies or equipment.',
          citations: [
            matrixCitation('B', 'Equipment and Supplies'),
            matrixCitation('D', 'Equipment and Supplies'),
          ],
        };
  } else if (ma && homebound) {
    supplies = {
      payers: ['PART_C'],
      explanation:
        'The beneficiary qualifies for home health, which the Medicare Advantage plan covers at least as Part A would; supplies are generally included in its per diem payment. Part D never pays for supplies or equipment.',
      citations: [
        matrixCitation('C', 'Requirement'),
        matrixCitation('C', 'Equipment and Supplies'),
        matrixCitation('D', 'Equipment and Supplies'),
      ],
    };
  } else if (ma) {
    supplies = {
      payers: ['PART_C_SUPPLEMENTAL', ...residual(dual)],
      explanation: `Not homebound and no Part B pump: Parts A and B would not cover these supplies, so the Medicare Advantage plan covers them only if it offers additional coverage (ask the plan). Part D never pays for supplies or equipment. ${residualText(dual)}`,
      citations: [
        matrixCitation('C', 'Requirement'),
        matrixCitation('D', 'Equipment and Supplies'),
        ...residualCitations(dual, 'Equipment and Supplies'),
      ],
    };
  } else if (homebound) {
    supplies = {
      payers: ['PART_A', ...residual(dual)],
      explanation: `Part A home health covers some supplies: the home health agency provides hydration fluid and IV supplies when the infusion is by gravity feed. Part D never pays for supplies or equipment. ${residualText(dual)}`,
      citations: [
        matrixCitation('A', 'Equipment and Supplies'),
        matrixCitation('D', 'Equipment and Supplies'),
        ...residualCitations(dual, 'Equipment and Supplies'),
      ],
    };
  } else {
    supplies = {
      payers: residual(dual),
      explanation: `Not homebound and no Part B pump: no Medicare part covers these supplies, and Part D never does. ${residualText(dual)}`,
      citations: [
        matrixCitation('D', 'Equipment and Supplies'),
        ...residualCitations(dual, 'Equipment and Supplies'),
      ],
    };
  }

  // (c) Professional (nursing) services.
  let services: ComponentAnswer;
  if (homebound) {
    services = ma
      ? {
          payers: ['PART_C'],
          explanation:
            'Homebound and in need of skilled nursing: the Medicare Advantage plan covers home health professional services at least as Part A would. Part B and Part D pay no professional fees.',
          citations: [
            matrixCitation('C', 'Professional Fees'),
            matrixCitation('A', 'Requirement'),
            matrixCitation('D', 'Professional Fees'),
          ],
        }
      : {
          payers: ['PART_A'],
          explanation:
            'Homebound and in need of part-time or intermittent skilled nursing: Part A home health covers the professional services. Part B and Part D pay no professional fees.',
          citations: [
            matrixCitation('A', 'Requirement'),
            matrixCitation('A', 'Professional Fees'),
            matrixCitation('D', 'Professional Fees'),
          ],
        };
  } else if (ma) {
    services = {
      payers: ['PART_C_SUPPLEMENTAL', ...residual(dual)],
      explanation: `Not homebound: Part A home health does not apply and Parts B and D pay no professional fees, so the Medicare Advantage plan covers nursing only if it offers additional coverage (ask the plan). ${residualText(dual)}`,
      citations: [
        matrixCitation('C', 'Requirement'),
        matrixCitation('B', 'Professional Fees'),
        matrixCitation('D', 'Professional Fees'),
        ...residualCitations(dual, 'Professional Fees'),
      ],
    };
  } else {
    services = {
      payers: residual(dual),
      explanation: `Not homebound: Part A home health does not apply, and Parts B and D pay no professional fees. ${residualText(dual)}`,
      citations: [
        matrixCitation('A', 'Requirement'),
        matrixCitation('B', 'Professional Fees'),
        matrixCitation('D', 'Professional Fees'),
        ...residualCitations(dual, 'Professional Fees'),
      ],
    };
  }

  // Attachment II.
  let path: DecisionPathAnswer;
  if (partBDrug) {
    path = {
      applies: false,
      steps: [],
      outcome: 'not_applicable',
      explanation: `The decision tree is for drugs that are not Part B drugs. Here the drug, pump and supplies go through ${ma ? 'the Medicare Advantage plan (Part B rules)' : 'Part B DME'}, arranged with a DME supplier; nursing as under (c).`,
      citations: [treeCitation(1)],
    };
  } else if (scenario.pharmacyFullService) {
    const steps = dual ? [1, 2, 3, 7] : [1, 2, 7];
    path = {
      applies: true,
      steps,
      outcome: 'provided',
      explanation: dual
        ? 'Decision point 1 is YES: the in-network pharmacy delivers the drug and provides the professional services and supplies. The beneficiary is dual eligible, so the pharmacy coordinates and arranges coverage of the ancillary services with the State (step 3); drug and services are provided (step 7).'
        : 'Decision point 1 is YES: the in-network pharmacy delivers the drug and provides the professional services and supplies; drug and services are provided (step 7), paid as in (a) to (c).',
      citations: steps.map(treeCitation),
    };
  } else if (homebound || dual) {
    const steps = dual ? [1, 4, 5, 6, 7] : [1, 4, 5, 7];
    const who = dual
      ? homebound
        ? `${ma ? 'the Medicare Advantage plan' : 'Part A home health'} and the State Medicaid program`
        : 'the State Medicaid program'
      : ma
        ? 'the Medicare Advantage plan (home health)'
        : 'Part A home health';
    path = {
      applies: true,
      steps,
      outcome: 'provided',
      explanation: `Decision point 1 is NO: the pharmacy delivers the drug only. Decision point 2 (step 4): before dispensing, the pharmacy must obtain assurances that another entity (a home health agency, VNA or other) arranges the professional services and supplies, covered through ${who}.${dual ? ' As a dual eligible, the pharmacy makes sure that entity works with the State to arrange coverage (step 6).' : ''} Then drug and services are provided (step 7).`,
      citations: steps.map(treeCitation),
    };
  } else {
    path = {
      applies: true,
      steps: [1, 4, 8],
      outcome: 'out_of_pocket',
      explanation:
        'Decision point 1 is NO: the pharmacy delivers the drug only. Decision point 2 (step 4): no Medicare part covers the services for a beneficiary who is neither homebound nor dual eligible, so unless third-party insurance or another arrangement covers them (then steps 5 and 7 follow), the beneficiary has the option of paying for the ancillary services out of pocket (step 8). The pharmacy must still obtain assurances that the services are in place before dispensing.',
      citations: [1, 4, 8].map(treeCitation),
    };
  }
  if (!scenario.pharmacyFullService && !partBDrug) {
    caveats.push(
      'A drug-only pharmacy must obtain assurances that another entity arranges the professional services and supplies before it dispenses (a minimum quality assurance requirement, 42 CFR 423.153(c)).',
    );
  }
  if (source === 'builtin' || source === 'catalog') {
    caveats.push(
      `"${scenario.drug ?? ''}" was read as class ${code}${source === 'builtin' ? " (the guide's built-in list; check the sponsor's catalog)" : ''}.`,
    );
  }

  const normalized: GuideScenario & { drugClass: string } = {
    drugClass: code,
    ...(scenario.drug !== undefined && scenario.drug.trim() !== ''
      ? { drug: scenario.drug.trim() }
      : {}),
    partAHomebound: homebound,
    pumpNeeded: pump,
    planType: scenario.planType,
    dualEligible: dual,
    pharmacyFullService: scenario.pharmacyFullService,
  };
  return {
    scenario: normalized,
    classSource: source,
    className: cls?.name ?? null,
    partBDrug,
    drug,
    equipmentAndSupplies: supplies,
    professionalServices: services,
    decisionPath: path,
    caveats,
  };
}
