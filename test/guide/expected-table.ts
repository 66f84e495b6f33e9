/**
 * Who pays, written by hand from the CMS letter (Attachment I columns and rows, Attachment II
 * steps) and REFERENCE.md sections 3 and 5, for every combination of the boolean flags, a Part D
 * class (ABX_IV) and a Part B pump class (INOTROPE), in a PDP and an MA-PD. Not derived from the
 * guide's code.
 *
 * Payer codes: A Part A home health; B Part B DME; C the MA plan (Part C); C+ the MA plan only as
 * an additional benefit; D Part D; M Medicaid; O other insurance; $ beneficiary out of pocket.
 * Path: Attachment II steps joined by '-', or '-' when the tree does not apply (Part B drug).
 *
 * Reading applied:
 * - drug: Part B pump class with a medically necessary pump -> B (PDP) / C (MA-PD, "if covered
 *   under Part B, yes"); otherwise D ("not covered under Parts A and B").
 * - supplies: pump drug -> B (DME supplier) / C; otherwise PDP: homebound -> A ("sometimes",
 *   gravity feed) then the remainder; not homebound -> the remainder; MA-PD: homebound -> C
 *   ("included in per diem"); not homebound -> C+ then the remainder. Part D: never.
 * - services: PDP homebound -> A; MA-PD homebound -> C; not homebound -> (C+ in an MA-PD) then
 *   the remainder. Parts B and D: never ("Professional Fees: No").
 * - remainder: dual eligible -> M (Medicaid covers what A/B/C/D do not); else O then $.
 * - path: Part B drug -> '-'; full-service pharmacy -> 1-2-7, dual 1-2-3-7 (first decision
 *   point YES); drug-only pharmacy -> second decision point: homebound or dual -> 1-4-5-7, dual
 *   1-4-5-6-7; neither -> 1-4-8 (out of pocket).
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
