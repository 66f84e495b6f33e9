/**
 * The coordination guide: for one patient situation, who pays for (a) the drug ingredient and
 * dispensing fee, (b) equipment and supplies, (c) professional (nursing) services, and which path
 * of the letter's Attachment II decision tree applies. Pure function; every answer carries the
 * letter's citation (Attachment I column and row, Attachment II steps) and a plain explanation.
 *
 * Reading of the letter (and REFERENCE.md sections 3 and 5) the guide applies:
 * - Part B covers a drug when an external infusion pump is medically necessary and the DME MAC's
 *   LCD L33794 lists that drug (decided per drug, drugs.ts): drug (no separate dispensing fee),
 *   pump and supplies through the DME benefit; never professional fees. Such a drug is not a Part
 *   D drug, so the Attachment II tree ("if this is not a Part B drug") does not apply. A drug the
 *   LCD does not list (vancomycin) stays a Part D drug even through a pump.
 * - A homebound patient's hydration by gravity feed: the home health agency provides the fluid
 *   and the IV supplies (Attachment I, Part A, "Equipment and Supplies") and the nursing; no Part
 *   D pharmacy dispenses, so the tree does not apply either.
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
import type { BuiltinDrug, PumpCoverage } from './drugs.js';
import {
  builtinClassCodes,
  catalogClassesOf,
  drugsOfClass,
  pumpCoverage,
  resolveDrug,
  similarDrugNames,
} from './drugs.js';

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

/**
 * Which benefit pays for the drug: Part D (the plan's Part D benefit in an MA-PD), Part B as an
 * external infusion pump drug (the MA plan under Part B rules in an MA-PD), or home health
 * (gravity-fed hydration of a homebound patient: the agency provides the fluid).
 */
export type DrugBenefit = 'PART_D' | 'PART_B_PUMP' | 'HOME_HEALTH';

export interface GuideAnswer {
  /** The scenario as read; drugClass is null for a known drug without a class in the catalog. */
  scenario: Omit<GuideScenario, 'drugClass'> & { drugClass: string | null };
  /** Where the class came from: given, or resolved from the drug name. */
  classSource: 'given' | 'catalog' | 'builtin';
  className: string | null;
  drugBenefit: DrugBenefit;
  /** Part B (or, in an MA-PD, Part C under Part B rules) covers the drug as a pump drug. */
  partBDrug: boolean;
  /** The LCD L33794 indication under which Part B covers the drug through a pump, if it does. */
  pumpIndication: string | null;
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

/** The classes a user can name: the catalog's, or without one the built-in list's. */
function classList(catalog: readonly DrugClass[]): string {
  return catalog.length > 0
    ? catalog.map((c) => `${c.code} (${c.name})`).join(', ')
    : builtinClassCodes().join(', ');
}

interface ResolvedScenarioDrug {
  code: string | null;
  source: GuideAnswer['classSource'];
  /** The built-in entry of the named drug (null for a class, or a drug only the catalog knows). */
  builtin: BuiltinDrug | null;
}

/** Resolves the scenario's drug class; UsageError when missing, both given, or unknown. */
function resolveClass(s: GuideScenario, catalog: readonly DrugClass[]): ResolvedScenarioDrug {
  const hasClass = s.drugClass !== undefined && s.drugClass.trim() !== '';
  const hasDrug = s.drug !== undefined && s.drug.trim() !== '';
  if (hasClass && hasDrug) {
    throw new UsageError('give a drug class (--drug-class) or a drug name (--drug), not both');
  }
  if (hasClass) {
    const code = s.drugClass!.trim().toUpperCase();
    if (!/^[A-Z0-9_]{1,40}$/.test(code)) {
      throw new UsageError(`drug class must be a catalog code like ABX_IV, got "${s.drugClass!}"`);
    }
    const known = catalog.length > 0 ? catalog.map((c) => c.code) : builtinClassCodes();
    if (!known.includes(code)) {
      throw new UsageError(`unknown drug class "${code}"; the classes are: ${classList(catalog)}`);
    }
    return { code, source: 'given', builtin: null };
  }
  if (hasDrug) {
    const name = s.drug!.trim();
    const r = resolveDrug(name, catalog);
    if (r) return { code: r.drugClass, source: r.source, builtin: r.builtin };
    const classes = catalogClassesOf(name, catalog);
    if (classes.length > 1) {
      throw new UsageError(
        `drug "${name}" is listed under more than one class of the catalog (${classes.join(', ')}): give its class with --drug-class CODE instead of --drug`,
      );
    }
    const similar = similarDrugNames(name, catalog);
    throw new UsageError(
      `unknown drug "${name}"${similar.length > 0 ? ` (did you mean ${similar.join(', ')}?)` : ''}: give its class with --drug-class CODE instead of --drug; the classes are: ${classList(catalog)}`,
    );
  }
  throw new UsageError(
    'give a drug class with --drug-class (e.g. ABX_IV) or a drug name with --drug (e.g. vancomycin)',
  );
}

interface DrugFacts {
  /** Part B pump coverage when a pump is medically necessary (LCD L33794); null: none. */
  pump: PumpCoverage | null;
  /** A hydration fluid (the home health agency provides it for gravity feed). */
  hydration: boolean;
  /** Notes for the caveats. */
  notes: string[];
}

/**
 * What the guide knows of the drug: per drug for a named drug; for a class, from its drugs (the
 * catalog's example drugs, else the built-in ones). A class whose drugs differ on the pump rule
 * cannot be answered with a pump: UsageError asking for the drug.
 */
function drugFacts(
  r: ResolvedScenarioDrug,
  drugName: string | undefined,
  pumpNeeded: boolean,
  catalog: readonly DrugClass[],
): DrugFacts {
  const notes: string[] = [];
  if (r.source !== 'given') {
    const pump = pumpCoverage(r.builtin, r.code);
    if (!r.builtin) {
      notes.push(
        `"${drugName ?? ''}" is known only from the catalog: the guide's copy of the external infusion pump LCD (L33794) does not list it, so it is read as not a Part B pump drug.`,
      );
    } else if (pumpNeeded && !pump) {
      notes.push(
        r.builtin.notPumpNote
          ? `Part B does not cover it through a pump: ${r.builtin.notPumpNote}. The drug stays a Part D drug.`
          : r.builtin.pump
            ? `${r.builtin.name} through a pump is a Part B drug only for ${r.builtin.pump.indication} (LCD L33794)${r.builtin.pump.classes ? `, i.e. class ${r.builtin.pump.classes.join(' or ')}: ask again with that class` : ''}. As class ${r.code ?? '(none)'} it stays a Part D drug, and Part B does not cover its pump.`
            : `${r.builtin.name} is not on the external infusion pump LCD (L33794) list: Part B covers neither the drug nor its pump; the drug stays a Part D drug.`,
      );
    }
    return { pump, hydration: r.builtin?.hydrationFluid === true, notes };
  }
  const code = r.code!;
  const drugs = drugsOfClass(code, catalog);
  const covered = drugs.filter((d) => pumpCoverage(d.builtin, code) !== null);
  const notCovered = drugs.filter((d) => pumpCoverage(d.builtin, code) === null);
  const hydration = drugs.length > 0 && drugs.every((d) => d.builtin?.hydrationFluid === true);
  if (covered.length > 0 && notCovered.length > 0) {
    if (pumpNeeded) {
      throw new UsageError(
        `class ${code} with a pump: Part B covers ${covered.map((d) => d.name).join(', ')} through an external infusion pump (LCD L33794) but not ${notCovered.map((d) => d.name).join(', ')}; give the drug with --drug NAME instead of --drug-class`,
      );
    }
    notes.push(
      `Through a medically necessary external infusion pump, ${covered.map((d) => d.name).join(', ')} of class ${code} would be Part B drugs (LCD L33794), the class's other drugs not.`,
    );
    return { pump: null, hydration, notes };
  }
  if (covered.length > 0) {
    const indications = [...new Set(covered.map((d) => pumpCoverage(d.builtin, code)!.indication))];
    if (pumpNeeded) {
      notes.push(
        `Part B covers only the drugs LCD L33794 lists: of class ${code}, ${covered.map((d) => d.name).join(', ')}. Ask with --drug NAME for any other drug.`,
      );
    }
    return {
      pump: { indication: indications.join('; or ') },
      hydration,
      notes,
    };
  }
  if (drugs.length === 0 && pumpNeeded) {
    throw new UsageError(
      `class ${code} lists no drugs, so the guide cannot tell whether Part B covers it through a pump: give the drug with --drug NAME`,
    );
  }
  if (pumpNeeded) {
    notes.push(
      `No drug of class ${code} is on the external infusion pump LCD (L33794) list: Part B covers neither the drug nor its pump; the drug stays a Part D drug.`,
    );
  }
  return { pump: null, hydration, notes };
}

export interface GuideOptions {
  /** The drug class catalog (names, example drugs); optional. */
  catalog?: readonly DrugClass[];
}

/** Removes repeated citations (same source, column and row, or same step), keeping the order. */
function uniqueCitations(citations: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const k = c.source === 'Attachment I' ? `I|${c.column}|${c.row}` : `II|${c.step}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Who pays for what, and which Attachment II path applies. */
export function answerGuide(scenario: GuideScenario, opts: GuideOptions = {}): GuideAnswer {
  validateScenario(scenario);
  const catalog = opts.catalog ?? [];
  const resolved = resolveClass(scenario, catalog);
  const code = resolved.code;
  const label = code ?? scenario.drug?.trim() ?? '';
  const cls = code === null ? null : (catalog.find((c) => c.code === code) ?? null);
  const { partAHomebound: homebound, pumpNeeded: pump, dualEligible: dual } = scenario;
  const ma = scenario.planType === 'MA-PD';
  const facts = drugFacts(resolved, scenario.drug?.trim(), pump, catalog);
  const benefit: DrugBenefit =
    pump && facts.pump
      ? 'PART_B_PUMP'
      : homebound && !pump && facts.hydration
        ? 'HOME_HEALTH'
        : 'PART_D';
  const partBDrug = benefit === 'PART_B_PUMP';
  const caveats: string[] = [...facts.notes];

  // (a) Drug ingredient and dispensing fee.
  let drug: ComponentAnswer;
  if (benefit === 'PART_B_PUMP') {
    drug = ma
      ? {
          payers: ['PART_C'],
          explanation: `Given through a medically necessary external infusion pump, this is a Part B drug (LCD L33794: ${facts.pump!.indication}); in a Medicare Advantage plan the plan covers it under its Part C (Part B) benefit, not its Part D benefit.`,
          citations: [
            matrixCitation('C', 'Drug Ingredient and Dispensing Fee'),
            matrixCitation('B', 'Requirement'),
            matrixCitation('B', 'Drug Ingredient and Dispensing Fee'),
          ],
        }
      : {
          payers: ['PART_B'],
          explanation: `Given through a medically necessary external infusion pump, this drug is covered by Part B as part of the DME benefit (LCD L33794: ${facts.pump!.indication}), billed by the DME supplier; Part B pays no separate dispensing fee. Part D does not cover it (Part D covers only drugs not covered under Parts A and B).`,
          citations: [
            matrixCitation('B', 'Requirement'),
            matrixCitation('B', 'Drug Ingredient and Dispensing Fee'),
            matrixCitation('D', 'Requirement'),
          ],
        };
    caveats.push(
      `Part B covers it through the pump only for ${facts.pump!.indication} (LCD L33794); otherwise it is a Part D drug${ma ? ' of the MA-PD plan' : ''}.`,
    );
  } else if (benefit === 'HOME_HEALTH') {
    drug = ma
      ? {
          payers: ['PART_C'],
          explanation:
            'Hydration by gravity feed for a homebound patient: the home health agency provides the hydration fluid with the IV supplies, and the Medicare Advantage plan covers home health at least as Part A would. It is not dispensed as a Part D drug.',
          citations: [
            matrixCitation('C', 'Requirement'),
            matrixCitation('A', 'Equipment and Supplies'),
            matrixCitation('A', 'Drug Ingredient and Dispensing Fee'),
          ],
        }
      : {
          payers: ['PART_A'],
          explanation:
            'Hydration by gravity feed for a homebound patient: the home health agency provides the hydration fluid, as it provides the IV supplies (Part A home health; the fluid counts as a supply, drugs as such are excluded from the home health benefit). It is not a Part D drug here: Part D covers only drugs not covered under Parts A and B.',
          citations: [
            matrixCitation('A', 'Equipment and Supplies'),
            matrixCitation('A', 'Drug Ingredient and Dispensing Fee'),
            matrixCitation('D', 'Requirement'),
          ],
        };
  } else {
    drug = {
      payers: ['PART_D'],
      explanation: ma
        ? "The drug is not covered under Part B here, so the MA-PD plan covers its ingredient cost and dispensing fee under the plan's Part D benefit. It must be delivered ready to administer (usable form)."
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
    if (facts.pump && !pump) {
      caveats.push(
        `If an external infusion pump becomes medically necessary (LCD L33794: ${facts.pump.indication}), Part B${ma ? ' (through the MA plan)' : ''} covers the drug, pump and supplies instead of Part D.`,
      );
    }
    if (facts.hydration && homebound && pump) {
      caveats.push(
        'Infused through a pump rather than by gravity feed: the letter makes the home health agency responsible for hydration fluid only for gravity-fed infusion, so the fluid is a Part D drug here; hydration is not on the pump LCD, so Part B does not cover the pump.',
      );
    }
  }
  if (facts.hydration && !homebound && !pump) {
    caveats.push(
      'If the patient is homebound under home health and the fluid runs by gravity feed, the home health agency provides the fluid and IV supplies (Attachment I, Part A) and Part D does not pay for it.',
    );
  }

  // (b) Equipment and supplies.
  let supplies: ComponentAnswer;
  if (benefit === 'PART_B_PUMP') {
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
  } else if (benefit === 'HOME_HEALTH') {
    supplies = ma
      ? {
          payers: ['PART_C'],
          explanation:
            'The home health agency provides the hydration fluid and the IV supplies for gravity-fed infusion; the Medicare Advantage plan covers home health at least as Part A would (generally in its per diem). Part D never pays for supplies or equipment.',
          citations: [
            matrixCitation('C', 'Equipment and Supplies'),
            matrixCitation('A', 'Equipment and Supplies'),
            matrixCitation('D', 'Equipment and Supplies'),
          ],
        }
      : {
          payers: ['PART_A'],
          explanation:
            'The home health agency provides the hydration fluid and the IV supplies for gravity-fed infusion (Part A home health). Part D never pays for supplies or equipment.',
          citations: [
            matrixCitation('A', 'Equipment and Supplies'),
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
      explanation: `Not homebound and no Part B pump drug: Parts A and B would not cover these supplies, so the Medicare Advantage plan covers them only if it offers additional coverage (ask the plan). Part D never pays for supplies or equipment. ${residualText(dual)}`,
      citations: [
        matrixCitation('C', 'Requirement'),
        matrixCitation('D', 'Equipment and Supplies'),
        ...residualCitations(dual, 'Equipment and Supplies'),
      ],
    };
  } else if (homebound) {
    supplies = {
      payers: ['PART_A', ...residual(dual)],
      explanation: `Part A home health covers supplies only sometimes: the letter makes the home health agency responsible for the IV supplies (and hydration fluid) of an infusion given by gravity feed. Part D never pays for supplies or equipment. ${residualText(dual)}`,
      citations: [
        matrixCitation('A', 'Equipment and Supplies'),
        matrixCitation('D', 'Equipment and Supplies'),
        ...residualCitations(dual, 'Equipment and Supplies'),
      ],
    };
  } else {
    supplies = {
      payers: residual(dual),
      explanation: `Not homebound and no Part B pump drug: no Medicare part covers these supplies, and Part D never does. ${residualText(dual)}`,
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
          explanation: `Homebound and in need of skilled nursing: the Medicare Advantage plan covers home health professional services at least as Part A would${benefit === 'HOME_HEALTH' ? ', through the same home health agency that provides the fluid and supplies' : ''}. Part B and Part D pay no professional fees.`,
          citations: [
            matrixCitation('C', 'Professional Fees'),
            matrixCitation('A', 'Requirement'),
            matrixCitation('D', 'Professional Fees'),
          ],
        }
      : {
          payers: ['PART_A'],
          explanation: `Homebound and in need of part-time or intermittent skilled nursing: Part A home health covers the professional services${benefit === 'HOME_HEALTH' ? ', through the same home health agency that provides the fluid and supplies' : ''}. Part B and Part D pay no professional fees.`,
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
  if (benefit === 'PART_B_PUMP') {
    path = {
      applies: false,
      steps: [],
      outcome: 'not_applicable',
      explanation: `The decision tree is for drugs that are not Part B drugs. Here the drug, pump and supplies go through ${ma ? 'the Medicare Advantage plan (Part B rules)' : 'Part B DME'}, arranged with a DME supplier; nursing as under (c).`,
      citations: [treeCitation(1)],
    };
  } else if (benefit === 'HOME_HEALTH') {
    path = {
      applies: false,
      steps: [],
      outcome: 'not_applicable',
      explanation: `The decision tree is for Part D home infusion drugs. Here the home health agency provides the fluid, the IV supplies and the nursing (${ma ? 'covered by the Medicare Advantage plan' : 'Part A home health'}); no Part D pharmacy dispenses.`,
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
  if (!scenario.pharmacyFullService && benefit === 'PART_D') {
    caveats.push(
      'A drug-only pharmacy must obtain assurances that another entity arranges the professional services and supplies before it dispenses (a minimum quality assurance requirement, 42 CFR 423.153(c)).',
    );
  }
  if (code === 'IG_NONPID' || code === 'IG_SUBQ_PID') {
    caveats.push(
      'Immune globulin: for primary immune deficiency, Part B covers IVIG at home under its IVIG benefit, and subcutaneous immune globulin through a pump as a DME drug (class IG_SUBQ_PID); for other indications it is a Part D drug.',
    );
  }
  if (resolved.source !== 'given') {
    caveats.push(
      code === null
        ? `"${label}" has no class in the drug class catalog (it is not a Part D network class); the guide answers from its built-in drug list.`
        : `"${scenario.drug?.trim() ?? ''}" was read as class ${code}${resolved.source === 'builtin' ? " (the guide's built-in list; check the sponsor's catalog)" : ''}.`,
    );
  }
  if (cls && cls.partBNote.trim() !== '')
    caveats.push(`Catalog note for ${cls.code}: ${cls.partBNote}`);

  const normalized: GuideAnswer['scenario'] = {
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
  const unique = (a: ComponentAnswer): ComponentAnswer => ({
    ...a,
    citations: uniqueCitations(a.citations),
  });
  return {
    scenario: normalized,
    classSource: resolved.source,
    className: cls?.name ?? null,
    drugBenefit: benefit,
    partBDrug,
    pumpIndication: partBDrug ? facts.pump!.indication : null,
    drug: unique(drug),
    equipmentAndSupplies: unique(supplies),
    professionalServices: unique(services),
    decisionPath: { ...path, citations: uniqueCitations(path.citations) },
    caveats: [...new Set(caveats)],
  };
}
