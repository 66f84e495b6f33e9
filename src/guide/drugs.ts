/**
 * Drug classes the guide knows without a catalog: which catalog codes are Part B pump classes, and
 * a small built-in index of drug names to catalog codes (REFERENCE.md section 5; LCD L33794 for
 * the external infusion pump drugs). A catalog passed to the guide takes precedence.
 */
import type { DrugClass } from '../domain/types.js';

/**
 * Catalog codes of the classes Part B covers at home when an external infusion pump is medically
 * necessary (DME benefit, LCD L33794): inotropes, opioids for intractable pain, continuous
 * chemotherapy, prostacyclins for pulmonary arterial hypertension, subcutaneous immune globulin
 * for primary immune deficiency.
 */
export const PART_B_PUMP_CLASSES: readonly string[] = [
  'INOTROPE',
  'PAIN_PUMP',
  'CHEMO_PUMP',
  'PAH_PROSTACYCLIN',
  'IG_SUBQ_PID',
];

export function isPartBPumpClass(code: string): boolean {
  return PART_B_PUMP_CLASSES.includes(code);
}

/** Built-in drug name -> catalog code (lower-case names). */
export const BUILTIN_DRUGS: Readonly<Record<string, string>> = {
  vancomycin: 'ABX_IV',
  ceftriaxone: 'ABX_IV',
  cefazolin: 'ABX_IV',
  ertapenem: 'ABX_IV',
  daptomycin: 'ABX_IV',
  'piperacillin-tazobactam': 'ABX_IV',
  meropenem: 'ABX_IV',
  micafungin: 'ANTIFUNGAL_IV',
  fluconazole: 'ANTIFUNGAL_IV',
  'prolastin-c': 'A1PI',
  zemaira: 'A1PI',
  glassia: 'A1PI',
  'aralast np': 'A1PI',
  dobutamine: 'INOTROPE',
  milrinone: 'INOTROPE',
  dopamine: 'INOTROPE',
  morphine: 'PAIN_PUMP',
  hydromorphone: 'PAIN_PUMP',
  ziconotide: 'PAIN_PUMP',
  fluorouracil: 'CHEMO_PUMP',
  cladribine: 'CHEMO_PUMP',
  cytarabine: 'CHEMO_PUMP',
  bleomycin: 'CHEMO_PUMP',
  floxuridine: 'CHEMO_PUMP',
  doxorubicin: 'CHEMO_PUMP',
  vincristine: 'CHEMO_PUMP',
  vinblastine: 'CHEMO_PUMP',
  epoprostenol: 'PAH_PROSTACYCLIN',
  treprostinil: 'PAH_PROSTACYCLIN',
};

function norm(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

export interface ResolvedDrug {
  drugClass: string;
  /** Where the class came from. */
  source: 'catalog' | 'builtin';
}

/**
 * The class of a drug name: the catalog's example drugs first (exact, case-insensitive), then the
 * built-in index. Null when unknown or when the catalog lists it under more than one class.
 */
export function resolveDrug(name: string, catalog: readonly DrugClass[] = []): ResolvedDrug | null {
  const n = norm(name);
  if (n === '') return null;
  const hits = [
    ...new Set(catalog.filter((c) => c.exampleDrugs.some((d) => norm(d) === n)).map((c) => c.code)),
  ];
  if (hits.length === 1) return { drugClass: hits[0]!, source: 'catalog' };
  if (hits.length > 1) return null;
  const builtin = BUILTIN_DRUGS[n];
  return builtin === undefined ? null : { drugClass: builtin, source: 'builtin' };
}

/** Every drug name the guide can resolve (catalog and built-in), sorted. */
export function knownDrugNames(catalog: readonly DrugClass[] = []): string[] {
  return [
    ...new Set([
      ...catalog.flatMap((c) => c.exampleDrugs.map(norm)),
      ...Object.keys(BUILTIN_DRUGS),
    ]),
  ].sort();
}
