/**
 * The drugs the guide knows without a catalog, and the Part B external infusion pump rule, decided
 * per drug (REFERENCE.md section 5; DME MAC LCD L33794 "External Infusion Pumps").
 *
 * Every example drug of the shipped catalog (data/drug-classes.csv) is listed here under the same
 * class (a test holds the two together), with common brand and short names as aliases. A few LCD
 * drugs have no class in the catalog (deferoxamine, gallium nitrate: not Part D network classes);
 * they are listed with a null class so the guide can still answer for them.
 *
 * Part B covers a drug at home through a medically necessary external infusion pump only when the
 * LCD lists it; any other drug given through a pump (vancomycin is the usual case) stays a Part D
 * drug and Part B covers neither the drug nor the pump.
 */
import type { DrugClass } from '../domain/types.js';

/** When Part B covers a drug given through an external infusion pump (LCD L33794). */
export interface PumpCoverage {
  /** The LCD's indication or condition, in plain words. */
  indication: string;
  /**
   * The catalog classes in which the drug's use meets the LCD (e.g. subcutaneous immune globulin
   * only for primary immune deficiency); every class when absent.
   */
  classes?: readonly string[];
}

export interface BuiltinDrug {
  /** The name as in the catalog. */
  name: string;
  /** Catalog class code; null when the shipped catalog has no class for it. */
  classCode: string | null;
  aliases?: readonly string[];
  /** Part B pump coverage under the LCD; absent: not an LCD pump drug. */
  pump?: PumpCoverage;
  /** Why a pump does not make it a Part B drug, when that is a common question. */
  notPumpNote?: string;
  /** A hydration fluid (Attachment I: the home health agency provides it for gravity feed). */
  hydrationFluid?: boolean;
}

const ANTI_INFECTIVE_PUMP: PumpCoverage = {
  indication:
    'antifungal or antiviral therapy (acyclovir, foscarnet, amphotericin B, ganciclovir) given through the pump at home',
};
const CHEMO_PUMP: PumpCoverage = {
  indication:
    'continuous infusion over at least 8 hours, when that regimen is proven or generally accepted to have significant advantages over intermittent administration',
};
const CHEMO_PUMP_LIVER: PumpCoverage = {
  indication:
    'continuous infusion over at least 8 hours (as for the other listed chemotherapy drugs), or chemotherapy for primary hepatocellular carcinoma or colorectal cancer that is unresectable or whose excision the patient refuses',
};
const INOTROPE_PUMP: PumpCoverage = {
  indication:
    'parenteral inotropic therapy for congestive heart failure with depressed cardiac function (LCD criteria)',
};
const OPIOID_PUMP: PumpCoverage = {
  indication:
    'intractable pain caused by cancer; an opioid other than morphine (never meperidine) only when oral or transdermal opioids have failed or are not tolerated',
};
const PAH_PUMP: PumpCoverage = {
  indication: 'pulmonary arterial hypertension meeting the LCD criteria',
};
const SCIG_PUMP: PumpCoverage = {
  indication: 'subcutaneous immune globulin for primary immune deficiency',
  classes: ['IG_SUBQ_PID'],
};

/** The built-in drug list. */
export const BUILTIN_DRUGS: readonly BuiltinDrug[] = [
  // IV anti-infectives: Part D; vancomycin is not covered through a pump.
  {
    name: 'vancomycin',
    classCode: 'ABX_IV',
    aliases: ['Vancocin'],
    notPumpNote:
      'vancomycin is not on the LCD L33794 list: the DME contractors deny vancomycin, its pump and supplies through an external infusion pump',
  },
  { name: 'ceftriaxone', classCode: 'ABX_IV', aliases: ['Rocephin'] },
  { name: 'cefazolin', classCode: 'ABX_IV', aliases: ['Ancef'] },
  { name: 'ertapenem', classCode: 'ABX_IV', aliases: ['Invanz'] },
  { name: 'daptomycin', classCode: 'ABX_IV', aliases: ['Cubicin'] },
  {
    name: 'piperacillin-tazobactam',
    classCode: 'ABX_IV',
    aliases: ['piperacillin/tazobactam', 'piperacillin tazobactam', 'Zosyn'],
  },
  { name: 'meropenem', classCode: 'ABX_IV', aliases: ['Merrem'] },
  { name: 'cefepime', classCode: 'ABX_IV', aliases: ['Maxipime'] },
  { name: 'nafcillin', classCode: 'ABX_IV' },
  { name: 'oxacillin', classCode: 'ABX_IV' },
  { name: 'ampicillin', classCode: 'ABX_IV' },
  { name: 'gentamicin', classCode: 'ABX_IV' },
  { name: 'tobramycin', classCode: 'ABX_IV' },
  // IV antifungals: Part D, except amphotericin B through a pump.
  { name: 'micafungin', classCode: 'ANTIFUNGAL_IV', aliases: ['Mycamine'] },
  { name: 'fluconazole IV', classCode: 'ANTIFUNGAL_IV', aliases: ['fluconazole', 'Diflucan'] },
  { name: 'caspofungin', classCode: 'ANTIFUNGAL_IV', aliases: ['Cancidas'] },
  {
    name: 'amphotericin B',
    classCode: 'ANTIFUNGAL_IV',
    aliases: [
      'amphotericin',
      'liposomal amphotericin B',
      'amphotericin B liposomal',
      'amphotericin B lipid complex',
      'AmBisome',
      'Abelcet',
    ],
    pump: ANTI_INFECTIVE_PUMP,
  },
  // IV antivirals: Part D, except through a pump.
  {
    name: 'acyclovir',
    classCode: 'ANTIVIRAL_IV',
    aliases: ['aciclovir', 'Zovirax'],
    pump: ANTI_INFECTIVE_PUMP,
  },
  {
    name: 'ganciclovir',
    classCode: 'ANTIVIRAL_IV',
    aliases: ['Cytovene'],
    pump: ANTI_INFECTIVE_PUMP,
  },
  {
    name: 'foscarnet',
    classCode: 'ANTIVIRAL_IV',
    aliases: ['Foscavir'],
    pump: ANTI_INFECTIVE_PUMP,
  },
  // Parenteral nutrition (temporary impairment): Part D.
  { name: 'amino acids', classCode: 'PN_TEMPORARY' },
  { name: 'dextrose', classCode: 'PN_TEMPORARY' },
  {
    name: 'lipid injectable emulsion',
    classCode: 'PN_TEMPORARY',
    aliases: ['lipid emulsion', 'Intralipid', 'SMOFlipid'],
  },
  {
    name: 'parenteral nutrition admixture',
    classCode: 'PN_TEMPORARY',
    aliases: ['parenteral nutrition', 'TPN', 'total parenteral nutrition'],
  },
  // Alpha-1 proteinase inhibitor: Part D, no Part B home benefit.
  { name: 'Prolastin-C', classCode: 'A1PI', aliases: ['Prolastin-C Liquid', 'Prolastin'] },
  { name: 'Zemaira', classCode: 'A1PI' },
  { name: 'Glassia', classCode: 'A1PI' },
  { name: 'Aralast NP', classCode: 'A1PI', aliases: ['Aralast'] },
  // Immune globulin other than for primary immune deficiency: Part D. Gamunex-C and Gammagard
  // Liquid may also be given subcutaneously: for primary immune deficiency through a pump that
  // is class IG_SUBQ_PID (Part B).
  { name: 'Gamunex-C', classCode: 'IG_NONPID', aliases: ['Gamunex'], pump: SCIG_PUMP },
  { name: 'Privigen', classCode: 'IG_NONPID' },
  { name: 'Octagam', classCode: 'IG_NONPID' },
  { name: 'Gammagard Liquid', classCode: 'IG_NONPID', aliases: ['Gammagard'], pump: SCIG_PUMP },
  // Hydration: Part D, but the home health agency provides the fluid for gravity feed.
  {
    name: 'sodium chloride 0.9%',
    classCode: 'HYDRATION',
    aliases: ['normal saline', 'sodium chloride', '0.9% sodium chloride', 'NS'],
    hydrationFluid: true,
  },
  {
    name: 'dextrose 5% in water',
    classCode: 'HYDRATION',
    aliases: ['D5W', 'dextrose 5%'],
    hydrationFluid: true,
  },
  {
    name: "lactated Ringer's",
    classCode: 'HYDRATION',
    aliases: ['lactated Ringers', 'lactated Ringer', 'Ringer lactate', 'LR'],
    hydrationFluid: true,
  },
  // IV antiemetics: Part D; not LCD pump drugs.
  { name: 'ondansetron', classCode: 'ANTIEMETIC_IV', aliases: ['Zofran'] },
  { name: 'granisetron', classCode: 'ANTIEMETIC_IV' },
  { name: 'metoclopramide', classCode: 'ANTIEMETIC_IV', aliases: ['Reglan'] },
  // Enzyme replacement and biologics infused at home: Part D.
  { name: 'imiglucerase', classCode: 'ENZYME_REPLACEMENT', aliases: ['Cerezyme'] },
  { name: 'agalsidase beta', classCode: 'ENZYME_REPLACEMENT', aliases: ['Fabrazyme'] },
  { name: 'alglucosidase alfa', classCode: 'ENZYME_REPLACEMENT', aliases: ['Lumizyme'] },
  { name: 'infliximab', classCode: 'BIOLOGIC_HOME', aliases: ['Remicade'] },
  { name: 'tocilizumab', classCode: 'BIOLOGIC_HOME', aliases: ['Actemra'] },
  { name: 'natalizumab', classCode: 'BIOLOGIC_HOME', aliases: ['Tysabri'] },
  // LCD L33794 pump drugs.
  { name: 'dobutamine', classCode: 'INOTROPE', pump: INOTROPE_PUMP },
  { name: 'milrinone', classCode: 'INOTROPE', aliases: ['Primacor'], pump: INOTROPE_PUMP },
  { name: 'dopamine', classCode: 'INOTROPE', pump: INOTROPE_PUMP },
  {
    name: 'morphine',
    classCode: 'PAIN_PUMP',
    aliases: ['Duramorph', 'Infumorph'],
    pump: OPIOID_PUMP,
  },
  { name: 'hydromorphone', classCode: 'PAIN_PUMP', aliases: ['Dilaudid'], pump: OPIOID_PUMP },
  { name: 'fentanyl', classCode: 'PAIN_PUMP', pump: OPIOID_PUMP },
  {
    name: 'ziconotide',
    classCode: 'PAIN_PUMP',
    aliases: ['Prialt'],
    pump: {
      indication:
        'severe chronic pain when intrathecal therapy is warranted and other treatment (systemic analgesics, adjunctive therapies, intrathecal morphine) failed or is not tolerated',
    },
  },
  {
    name: 'fluorouracil',
    classCode: 'CHEMO_PUMP',
    aliases: ['5-FU', '5-fluorouracil'],
    pump: CHEMO_PUMP_LIVER,
  },
  { name: 'floxuridine', classCode: 'CHEMO_PUMP', aliases: ['FUDR'], pump: CHEMO_PUMP_LIVER },
  { name: 'cladribine', classCode: 'CHEMO_PUMP', pump: CHEMO_PUMP },
  { name: 'cytarabine', classCode: 'CHEMO_PUMP', aliases: ['Ara-C'], pump: CHEMO_PUMP },
  { name: 'bleomycin', classCode: 'CHEMO_PUMP', pump: CHEMO_PUMP },
  {
    name: 'doxorubicin',
    classCode: 'CHEMO_PUMP',
    pump: { indication: `${CHEMO_PUMP.indication}; non-liposomal doxorubicin only` },
  },
  {
    name: 'vincristine',
    classCode: 'CHEMO_PUMP',
    pump: { indication: `${CHEMO_PUMP.indication}; non-liposomal vincristine only` },
  },
  { name: 'vinblastine', classCode: 'CHEMO_PUMP', pump: CHEMO_PUMP },
  {
    name: 'epoprostenol',
    classCode: 'PAH_PROSTACYCLIN',
    aliases: ['Flolan', 'Veletri'],
    pump: PAH_PUMP,
  },
  { name: 'treprostinil', classCode: 'PAH_PROSTACYCLIN', aliases: ['Remodulin'], pump: PAH_PUMP },
  { name: 'Hizentra', classCode: 'IG_SUBQ_PID', pump: SCIG_PUMP },
  { name: 'Cuvitru', classCode: 'IG_SUBQ_PID', pump: SCIG_PUMP },
  { name: 'Xembify', classCode: 'IG_SUBQ_PID', pump: SCIG_PUMP },
  { name: 'HyQvia', classCode: 'IG_SUBQ_PID', pump: SCIG_PUMP },
  { name: 'Cutaquig', classCode: 'IG_SUBQ_PID', pump: SCIG_PUMP },
  // LCD pump drugs without a class in the shipped catalog.
  {
    name: 'deferoxamine',
    classCode: null,
    aliases: ['desferrioxamine', 'Desferal'],
    pump: { indication: 'chronic iron overload' },
  },
  {
    name: 'gallium nitrate',
    classCode: null,
    aliases: ['Ganite'],
    pump: { indication: 'symptomatic cancer-related hypercalcemia (at most 5 days)' },
  },
];

/** Lower case, single spaces: how drug names are compared. */
export function normDrugName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

const BY_NAME: ReadonlyMap<string, BuiltinDrug> = (() => {
  const m = new Map<string, BuiltinDrug>();
  for (const d of BUILTIN_DRUGS) {
    for (const n of [d.name, ...(d.aliases ?? [])]) {
      const k = normDrugName(n);
      if (m.has(k)) throw new Error(`built-in drug name "${n}" listed twice`);
      m.set(k, d);
    }
  }
  return m;
})();

/** The built-in drug a name or alias stands for. */
export function builtinDrug(name: string): BuiltinDrug | null {
  return BY_NAME.get(normDrugName(name)) ?? null;
}

/** Every name (and alias) of a built-in drug, normalised. */
function namesOf(d: BuiltinDrug): string[] {
  return [d.name, ...(d.aliases ?? [])].map(normDrugName);
}

export interface ResolvedDrug {
  /** Catalog class code; null for a known drug without a class in the catalog. */
  drugClass: string | null;
  /** Where the class came from. */
  source: 'catalog' | 'builtin';
  /** The built-in entry of the drug (its pump rule), when the guide knows the drug. */
  builtin: BuiltinDrug | null;
}

/**
 * The class of a drug name: the catalog first (its example drugs, matched by the name or by any
 * name of the same built-in drug, case-insensitive), then the built-in list. Null when unknown or
 * when the catalog lists it under more than one class.
 */
export function resolveDrug(name: string, catalog: readonly DrugClass[] = []): ResolvedDrug | null {
  const n = normDrugName(name);
  if (n === '') return null;
  const builtin = builtinDrug(n);
  const hits = catalogClassesOf(n, catalog);
  if (hits.length === 1) return { drugClass: hits[0]!, source: 'catalog', builtin };
  if (hits.length > 1) return null;
  return builtin ? { drugClass: builtin.classCode, source: 'builtin', builtin } : null;
}

/**
 * The catalog classes that list a drug among their example drugs, by its name or by any name of
 * the same built-in drug.
 */
export function catalogClassesOf(name: string, catalog: readonly DrugClass[]): string[] {
  const n = normDrugName(name);
  const builtin = builtinDrug(n);
  const names = builtin ? namesOf(builtin) : [n];
  return [
    ...new Set(
      catalog
        .filter((c) => c.exampleDrugs.some((d) => names.includes(normDrugName(d))))
        .map((c) => c.code),
    ),
  ];
}

/** Part B pump coverage of a drug used in a class; null when the LCD does not list it there. */
export function pumpCoverage(
  drug: BuiltinDrug | null,
  classCode: string | null,
): PumpCoverage | null {
  const p = drug?.pump;
  if (!p) return null;
  if (p.classes && (classCode === null || !p.classes.includes(classCode))) return null;
  return p;
}

/**
 * The drugs of a class: the catalog's example drugs when the catalog has the class, else the
 * built-in drugs of that class. Each with its built-in entry (null when the guide does not know it).
 */
export function drugsOfClass(
  code: string,
  catalog: readonly DrugClass[] = [],
): { name: string; builtin: BuiltinDrug | null }[] {
  const cls = catalog.find((c) => c.code === code);
  if (cls) return cls.exampleDrugs.map((d) => ({ name: d, builtin: builtinDrug(d) }));
  return BUILTIN_DRUGS.filter((d) => d.classCode === code).map((d) => ({
    name: d.name,
    builtin: d,
  }));
}

/** The class codes the built-in list knows. */
export function builtinClassCodes(): string[] {
  return [...new Set(BUILTIN_DRUGS.flatMap((d) => (d.classCode ? [d.classCode] : [])))].sort();
}

/** Known drug names close to a misspelt one (same start, or a small edit distance), at most 5. */
export function similarDrugNames(name: string, catalog: readonly DrugClass[] = []): string[] {
  const n = normDrugName(name);
  const all = [
    ...new Set([
      ...catalog.flatMap((c) => c.exampleDrugs.map(normDrugName)),
      ...[...BY_NAME.keys()],
    ]),
  ];
  const scored = all
    .map((k) => ({ k, d: editDistance(n, k) }))
    .filter(
      ({ k, d }) =>
        d <= Math.max(2, Math.floor(n.length / 4)) || (n.length >= 4 && k.startsWith(n)),
    )
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  return [...new Set(scored.map((s) => BY_NAME.get(s.k)?.name ?? s.k))].slice(0, 5);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * True when every drug of the class (drugsOfClass) is one Part B covers through an external
 * infusion pump (LCD L33794): with a medically necessary pump the whole class is Part B. Derived
 * from the per-drug rule; a class such as ANTIVIRAL_IV qualifies too, though without a pump it is
 * Part D (combine with the catalog's part_d_required for "a Part B class, not a Part D one").
 */
export function isPartBPumpClass(code: string, catalog: readonly DrugClass[] = []): boolean {
  const drugs = drugsOfClass(code, catalog);
  return drugs.length > 0 && drugs.every((d) => pumpCoverage(d.builtin, code) !== null);
}
