/**
 * Who pays, written by hand from the CMS letter (Attachment I columns and rows, Attachment II
 * steps), the DME MACs' external infusion pump LCD (L33794) and REFERENCE.md sections 3 and 5.
 * Not derived from the guide's code.
 *
 * EXPECTED_TABLE: every combination of the boolean flags for a Part D class (ABX_IV) and a class
 * whose drugs are all LCD pump drugs (INOTROPE), in a PDP and an MA-PD.
 * SCENARIO_TABLE: situations by drug name (or class), as a discharge planner would ask them.
 *
 * Payer codes: A Part A home health; B Part B DME; C the MA plan (Part C); C+ the MA plan only as
 * an additional benefit; D Part D; M Medicaid; O other insurance; $ beneficiary out of pocket.
 * Path: Attachment II steps joined by '-', or '-' when the tree does not apply (a Part B drug, or
 * hydration fluid the home health agency provides).
 *
 * Reading applied:
 * - drug: a drug LCD L33794 lists (deferoxamine; morphine and other opioids for cancer pain;
 *   continuous chemotherapy: cladribine, fluorouracil, cytarabine, bleomycin, floxuridine,
 *   doxorubicin, vincristine, vinblastine; acyclovir, foscarnet, amphotericin B, ganciclovir;
 *   dobutamine, milrinone, dopamine; epoprostenol, treprostinil; gallium nitrate; ziconotide;
 *   subcutaneous immune globulin for primary immune deficiency) with a medically necessary pump
 *   -> B (PDP) / C (MA-PD, "if covered under Part B, yes"). Any other drug, with or without a pump
 *   (vancomycin: not covered via pump) -> D ("not covered under Parts A and B").
 *   Hydration fluid by gravity feed (no pump) for a homebound patient -> A (PDP) / C (MA-PD):
 *   "Home Health Therapy responsible for providing hydration fluid and IV supplies if infusion is
 *   provided via gravity feed method".
 * - supplies: Part B pump drug -> B (DME supplier) / C; gravity-fed hydration, homebound -> A / C;
 *   otherwise PDP: homebound -> A ("sometimes", gravity feed) then the remainder; not homebound
 *   -> the remainder; MA-PD: homebound -> C ("included in per diem"); not homebound -> C+ then
 *   the remainder. Part D: never.
 * - services: PDP homebound -> A; MA-PD homebound -> C; not homebound -> (C+ in an MA-PD) then
 *   the remainder. Parts B and D: never ("Professional Fees: No").
 * - remainder: dual eligible -> M (Medicaid covers what A/B/C/D do not); else O then $.
 * - path: Part B drug or home health hydration -> '-'; full-service pharmacy -> 1-2-7, dual
 *   1-2-3-7 (first decision point YES); drug-only pharmacy -> second decision point: homebound or
 *   dual -> 1-4-5-7, dual 1-4-5-6-7; neither -> 1-4-8 (out of pocket).
 */
export const EXPECTED_TABLE = `
# class   plan   hb pump dual full | drug | supplies  | services  | path
ABX_IV    PDP    0  0    0    0    | D    | O,$       | O,$       | 1-4-8
ABX_IV    PDP    0  0    0    1    | D    | O,$       | O,$       | 1-2-7
ABX_IV    PDP    0  0    1    0    | D    | M         | M         | 1-4-5-6-7
ABX_IV    PDP    0  0    1    1    | D    | M         | M         | 1-2-3-7
ABX_IV    PDP    0  1    0    0    | D    | O,$       | O,$       | 1-4-8
ABX_IV    PDP    0  1    0    1    | D    | O,$       | O,$       | 1-2-7
ABX_IV    PDP    0  1    1    0    | D    | M         | M         | 1-4-5-6-7
ABX_IV    PDP    0  1    1    1    | D    | M         | M         | 1-2-3-7
ABX_IV    PDP    1  0    0    0    | D    | A,O,$     | A         | 1-4-5-7
ABX_IV    PDP    1  0    0    1    | D    | A,O,$     | A         | 1-2-7
ABX_IV    PDP    1  0    1    0    | D    | A,M       | A         | 1-4-5-6-7
ABX_IV    PDP    1  0    1    1    | D    | A,M       | A         | 1-2-3-7
ABX_IV    PDP    1  1    0    0    | D    | A,O,$     | A         | 1-4-5-7
ABX_IV    PDP    1  1    0    1    | D    | A,O,$     | A         | 1-2-7
ABX_IV    PDP    1  1    1    0    | D    | A,M       | A         | 1-4-5-6-7
ABX_IV    PDP    1  1    1    1    | D    | A,M       | A         | 1-2-3-7
ABX_IV    MA-PD  0  0    0    0    | D    | C+,O,$    | C+,O,$    | 1-4-8
ABX_IV    MA-PD  0  0    0    1    | D    | C+,O,$    | C+,O,$    | 1-2-7
ABX_IV    MA-PD  0  0    1    0    | D    | C+,M      | C+,M      | 1-4-5-6-7
ABX_IV    MA-PD  0  0    1    1    | D    | C+,M      | C+,M      | 1-2-3-7
ABX_IV    MA-PD  0  1    0    0    | D    | C+,O,$    | C+,O,$    | 1-4-8
ABX_IV    MA-PD  0  1    0    1    | D    | C+,O,$    | C+,O,$    | 1-2-7
ABX_IV    MA-PD  0  1    1    0    | D    | C+,M      | C+,M      | 1-4-5-6-7
ABX_IV    MA-PD  0  1    1    1    | D    | C+,M      | C+,M      | 1-2-3-7
ABX_IV    MA-PD  1  0    0    0    | D    | C         | C         | 1-4-5-7
ABX_IV    MA-PD  1  0    0    1    | D    | C         | C         | 1-2-7
ABX_IV    MA-PD  1  0    1    0    | D    | C         | C         | 1-4-5-6-7
ABX_IV    MA-PD  1  0    1    1    | D    | C         | C         | 1-2-3-7
ABX_IV    MA-PD  1  1    0    0    | D    | C         | C         | 1-4-5-7
ABX_IV    MA-PD  1  1    0    1    | D    | C         | C         | 1-2-7
ABX_IV    MA-PD  1  1    1    0    | D    | C         | C         | 1-4-5-6-7
ABX_IV    MA-PD  1  1    1    1    | D    | C         | C         | 1-2-3-7
INOTROPE  PDP    0  0    0    0    | D    | O,$       | O,$       | 1-4-8
INOTROPE  PDP    0  0    0    1    | D    | O,$       | O,$       | 1-2-7
INOTROPE  PDP    0  0    1    0    | D    | M         | M         | 1-4-5-6-7
INOTROPE  PDP    0  0    1    1    | D    | M         | M         | 1-2-3-7
INOTROPE  PDP    0  1    0    0    | B    | B         | O,$       | -
INOTROPE  PDP    0  1    0    1    | B    | B         | O,$       | -
INOTROPE  PDP    0  1    1    0    | B    | B         | M         | -
INOTROPE  PDP    0  1    1    1    | B    | B         | M         | -
INOTROPE  PDP    1  0    0    0    | D    | A,O,$     | A         | 1-4-5-7
INOTROPE  PDP    1  0    0    1    | D    | A,O,$     | A         | 1-2-7
INOTROPE  PDP    1  0    1    0    | D    | A,M       | A         | 1-4-5-6-7
INOTROPE  PDP    1  0    1    1    | D    | A,M       | A         | 1-2-3-7
INOTROPE  PDP    1  1    0    0    | B    | B         | A         | -
INOTROPE  PDP    1  1    0    1    | B    | B         | A         | -
INOTROPE  PDP    1  1    1    0    | B    | B         | A         | -
INOTROPE  PDP    1  1    1    1    | B    | B         | A         | -
INOTROPE  MA-PD  0  0    0    0    | D    | C+,O,$    | C+,O,$    | 1-4-8
INOTROPE  MA-PD  0  0    0    1    | D    | C+,O,$    | C+,O,$    | 1-2-7
INOTROPE  MA-PD  0  0    1    0    | D    | C+,M      | C+,M      | 1-4-5-6-7
INOTROPE  MA-PD  0  0    1    1    | D    | C+,M      | C+,M      | 1-2-3-7
INOTROPE  MA-PD  0  1    0    0    | C    | C         | C+,O,$    | -
INOTROPE  MA-PD  0  1    0    1    | C    | C         | C+,O,$    | -
INOTROPE  MA-PD  0  1    1    0    | C    | C         | C+,M      | -
INOTROPE  MA-PD  0  1    1    1    | C    | C         | C+,M      | -
INOTROPE  MA-PD  1  0    0    0    | D    | C         | C         | 1-4-5-7
INOTROPE  MA-PD  1  0    0    1    | D    | C         | C         | 1-2-7
INOTROPE  MA-PD  1  0    1    0    | D    | C         | C         | 1-4-5-6-7
INOTROPE  MA-PD  1  0    1    1    | D    | C         | C         | 1-2-3-7
INOTROPE  MA-PD  1  1    0    0    | C    | C         | C         | -
INOTROPE  MA-PD  1  1    0    1    | C    | C         | C         | -
INOTROPE  MA-PD  1  1    1    0    | C    | C         | C         | -
INOTROPE  MA-PD  1  1    1    1    | C    | C         | C         | -
`;

export interface ExpectedRow {
  drugClass: string;
  planType: 'PDP' | 'MA-PD';
  partAHomebound: boolean;
  pumpNeeded: boolean;
  dualEligible: boolean;
  pharmacyFullService: boolean;
  drug: string[];
  supplies: string[];
  services: string[];
  /** Steps, or null when the tree does not apply. */
  path: number[] | null;
}

const PAYER_CODES: Record<string, string> = {
  A: 'PART_A',
  B: 'PART_B',
  C: 'PART_C',
  'C+': 'PART_C_SUPPLEMENTAL',
  D: 'PART_D',
  M: 'MEDICAID',
  O: 'OTHER',
  $: 'BENEFICIARY',
};

function payers(cell: string): string[] {
  return cell.split(',').map((c) => {
    const p = PAYER_CODES[c.trim()];
    if (p === undefined) throw new Error(`unknown payer code ${c}`);
    return p;
  });
}

function flag(v: string | undefined): boolean {
  if (v !== '0' && v !== '1') throw new Error(`bad flag ${String(v)}`);
  return v === '1';
}

export function expectedRows(): ExpectedRow[] {
  return EXPECTED_TABLE.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const [head, drug, supplies, services, path] = line.split('|').map((c) => c.trim());
      const [drugClass, planType, hb, pump, dual, full] = head!.split(/\s+/);
      if (planType !== 'PDP' && planType !== 'MA-PD') throw new Error(`bad plan type in ${line}`);
      return {
        drugClass: drugClass!,
        planType,
        partAHomebound: flag(hb),
        pumpNeeded: flag(pump),
        dualEligible: flag(dual),
        pharmacyFullService: flag(full),
        drug: payers(drug!),
        supplies: payers(supplies!),
        services: payers(services!),
        path: path === '-' ? null : path!.split('-').map(Number),
      };
    });
}

/** By drug name, or `class:CODE` for a class. Flags: homebound, pump, dual, full-service. */
export const SCENARIO_TABLE = `
# drug                  | plan  | hb pump dual full | drug | supplies | services | path
# LCD L33794 drugs through a medically necessary pump: Part B, not Part D
acyclovir               | PDP   | 0  1    0    0    | B    | B        | O,$      | -
ganciclovir             | MA-PD | 0  1    0    0    | C    | C        | C+,O,$   | -
foscarnet               | PDP   | 1  1    1    0    | B    | B        | A        | -
Foscavir                | PDP   | 0  1    1    0    | B    | B        | M        | -
amphotericin B          | PDP   | 0  1    0    1    | B    | B        | O,$      | -
AmBisome                | MA-PD | 1  1    0    0    | C    | C        | C        | -
deferoxamine            | PDP   | 0  1    0    0    | B    | B        | O,$      | -
deferoxamine            | MA-PD | 1  1    1    1    | C    | C        | C        | -
milrinone               | PDP   | 1  1    0    0    | B    | B        | A        | -
dobutamine              | MA-PD | 0  1    1    0    | C    | C        | C+,M     | -
morphine                | PDP   | 0  1    0    0    | B    | B        | O,$      | -
fluorouracil            | PDP   | 0  1    1    1    | B    | B        | M        | -
Remodulin               | PDP   | 0  1    0    0    | B    | B        | O,$      | -
Hizentra                | PDP   | 0  1    0    0    | B    | B        | O,$      | -
ziconotide              | PDP   | 1  1    0    0    | B    | B        | A        | -
gallium nitrate         | PDP   | 0  1    0    0    | B    | B        | O,$      | -
class:ANTIVIRAL_IV      | PDP   | 0  1    0    0    | B    | B        | O,$      | -
# the same drugs without a pump: Part D
acyclovir               | PDP   | 0  0    0    0    | D    | O,$      | O,$      | 1-4-8
ganciclovir             | PDP   | 1  0    0    1    | D    | A,O,$    | A        | 1-2-7
amphotericin B          | MA-PD | 0  0    1    0    | D    | C+,M     | C+,M     | 1-4-5-6-7
epoprostenol            | MA-PD | 0  0    0    1    | D    | C+,O,$   | C+,O,$   | 1-2-7
# drugs the LCD does not list stay Part D even through a pump
vancomycin              | PDP   | 0  1    0    0    | D    | O,$      | O,$      | 1-4-8
vancomycin              | PDP   | 1  1    0    0    | D    | A,O,$    | A        | 1-4-5-7
vancomycin              | MA-PD | 0  1    0    1    | D    | C+,O,$   | C+,O,$   | 1-2-7
micafungin              | PDP   | 0  1    0    0    | D    | O,$      | O,$      | 1-4-8
ondansetron             | PDP   | 0  1    1    0    | D    | M        | M        | 1-4-5-6-7
Gamunex-C               | PDP   | 0  1    0    0    | D    | O,$      | O,$      | 1-4-8
class:ABX_IV            | PDP   | 0  1    0    0    | D    | O,$      | O,$      | 1-4-8
# Part D drugs without a pump
ceftriaxone             | PDP   | 1  0    1    0    | D    | A,M      | A        | 1-4-5-6-7
Prolastin-C             | PDP   | 0  0    0    1    | D    | O,$      | O,$      | 1-2-7
Zemaira                 | MA-PD | 1  0    0    0    | D    | C        | C        | 1-4-5-7
Privigen                | PDP   | 0  0    1    1    | D    | M        | M        | 1-2-3-7
infliximab              | PDP   | 0  0    1    1    | D    | M        | M        | 1-2-3-7
dextrose                | PDP   | 1  0    0    0    | D    | A,O,$    | A        | 1-4-5-7
# hydration: by gravity feed for a homebound patient the home health agency provides the fluid
sodium chloride 0.9%    | PDP   | 1  0    0    0    | A    | A        | A        | -
lactated Ringer's       | PDP   | 1  0    1    1    | A    | A        | A        | -
D5W                     | MA-PD | 1  0    0    0    | C    | C        | C        | -
class:HYDRATION         | PDP   | 1  0    0    1    | A    | A        | A        | -
normal saline           | PDP   | 0  0    0    0    | D    | O,$      | O,$      | 1-4-8
dextrose 5% in water    | PDP   | 0  0    1    0    | D    | M        | M        | 1-4-5-6-7
sodium chloride 0.9%    | PDP   | 1  1    0    0    | D    | A,O,$    | A        | 1-4-5-7
`;

export interface ScenarioRow extends Omit<ExpectedRow, 'drugClass'> {
  /** A drug name, or a class code when `byClass`. */
  subject: string;
  byClass: boolean;
}

export function scenarioRows(): ScenarioRow[] {
  return SCENARIO_TABLE.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const [subject, planType, flags, drug, supplies, services, path] = line
        .split('|')
        .map((c) => c.trim());
      const [hb, pump, dual, full] = flags!.split(/\s+/);
      if (planType !== 'PDP' && planType !== 'MA-PD') throw new Error(`bad plan type in ${line}`);
      const byClass = subject!.startsWith('class:');
      return {
        subject: byClass ? subject!.slice('class:'.length) : subject!,
        byClass,
        planType,
        partAHomebound: flag(hb),
        pumpNeeded: flag(pump),
        dualEligible: flag(dual),
        pharmacyFullService: flag(full),
        drug: payers(drug!),
        supplies: payers(supplies!),
        services: payers(services!),
        path: path === '-' ? null : path!.split('-').map(Number),
      };
    });
}
