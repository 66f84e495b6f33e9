/**
 * The drug classes the generator draws capabilities from (codes of the project's catalog) with
 * example drug names for coverage requests.
 */
import type { CareType } from '../domain/types.js';

export interface GenDrugClass {
  code: string;
  careType: CareType;
  partDRequired: boolean;
  needsSterileCompounding: boolean;
  drugs: readonly string[];
  /** Share of home infusion pharmacies that offer the class. */
  prevalence: number;
}

export const GEN_CATALOG: readonly GenDrugClass[] = [
  {
    code: 'ABX_IV',
    careType: 'acute',
    partDRequired: true,
    needsSterileCompounding: true,
    prevalence: 0.97,
    drugs: [
      'vancomycin',
      'ceftriaxone',
      'cefazolin',
      'ertapenem',
      'daptomycin',
      'piperacillin-tazobactam',
      'meropenem',
    ],
  },
  {
    code: 'ANTIFUNGAL_IV',
    careType: 'acute',
    partDRequired: true,
    needsSterileCompounding: true,
    prevalence: 0.85,
    drugs: ['micafungin', 'fluconazole IV', 'caspofungin'],
  },
  {
    code: 'ANTIVIRAL_IV',
    careType: 'acute',
    partDRequired: true,
    needsSterileCompounding: true,
    prevalence: 0.8,
    drugs: ['acyclovir IV', 'ganciclovir IV'],
  },
  {
    code: 'PN_TEMPORARY',
    careType: 'acute',
    partDRequired: true,
    needsSterileCompounding: true,
    prevalence: 0.75,
    drugs: ['parenteral nutrition (temporary)', 'Clinimix E', 'Kabiven'],
  },
  {
    code: 'A1PI',
    careType: 'chronic',
    partDRequired: true,
    needsSterileCompounding: false, // infused from the vial (data/drug-classes.csv)
    prevalence: 0.6,
    drugs: ['Prolastin-C', 'Zemaira', 'Glassia', 'Aralast NP'],
  },
  {
    code: 'IG_NONPID',
    careType: 'chronic',
    partDRequired: true,
    needsSterileCompounding: false, // infused from the vial (data/drug-classes.csv)
    prevalence: 0.7,
    drugs: ['Gamunex-C', 'Privigen', 'Octagam', 'Gammagard Liquid'],
  },
  {
    code: 'HYDRATION',
    careType: 'acute',
    partDRequired: false,
    needsSterileCompounding: false,
    prevalence: 0.9,
    drugs: ['sodium chloride 0.9%', "lactated Ringer's"],
  },
  {
    code: 'ANTIEMETIC_IV',
    careType: 'acute',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.7,
    drugs: ['ondansetron IV', 'granisetron IV'],
  },
  {
    code: 'ENZYME_REPLACEMENT',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.3,
    drugs: ['Cerezyme', 'Fabrazyme', 'Lumizyme'],
  },
  {
    code: 'BIOLOGIC_HOME',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.4,
    drugs: ['infliximab', 'ocrelizumab', 'natalizumab'],
  },
  {
    code: 'INOTROPE',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.45,
    drugs: ['milrinone', 'dobutamine'],
  },
  {
    code: 'PAIN_PUMP',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.4,
    drugs: ['morphine (pump)', 'hydromorphone (pump)'],
  },
  {
    code: 'CHEMO_PUMP',
    careType: 'acute',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.3,
    drugs: ['fluorouracil (pump)', 'cytarabine (pump)'],
  },
  {
    code: 'PAH_PROSTACYCLIN',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.2,
    drugs: ['epoprostenol', 'treprostinil'],
  },
  {
    code: 'IG_SUBQ_PID',
    careType: 'chronic',
    partDRequired: false,
    needsSterileCompounding: true,
    prevalence: 0.5,
    drugs: ['Hizentra', 'Cuvitru', 'Xembify'],
  },
];

export const REQUIRED_CLASS_CODES: readonly string[] = GEN_CATALOG.filter(
  (c) => c.partDRequired,
).map((c) => c.code);
