/**
 * The drug class catalog (data/drug-classes.csv): which home infusion drug classes exist, their
 * care type, whether the Part D network must cover them, the Part B note, and whether delivering
 * the class in usable form needs sterile compounding. The optional column
 * `sterile_compounding_reason` says why for each class (for the reader of the catalog; not
 * stored): a class infused from the vial, or reconstituted per its labeling (A1PI, immune
 * globulin), is not sterile compounding.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CareType, DrugClass } from '../domain/types.js';
import { CARE_TYPES } from '../domain/types.js';
import { RosterFormatError } from '../errors.js';
import { parseEnum, parseYesNo, splitList } from './validate.js';

export const CATALOG_COLUMNS = [
  'code',
  'name',
  'care_type',
  'part_d_required',
  'part_b_note',
  'example_drugs',
  'needs_sterile_compounding',
] as const;

/** Parses catalog CSV text. Throws RosterFormatError naming every problem. */
export function parseCatalog(text: string, file: string): DrugClass[] {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    throw new RosterFormatError(
      file,
      `the drug class catalog is not valid CSV: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = CATALOG_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new RosterFormatError(
      file,
      `the drug class catalog is missing column(s) ${missing.join(', ')}; expected ${CATALOG_COLUMNS.join(',')}`,
    );
  }
  const idx = Object.fromEntries(CATALOG_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof CATALOG_COLUMNS)[number],
    number
  >;
  const problems: string[] = [];
  const classes: DrugClass[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((f) => f.trim() === '')) return;
    const get = (c: (typeof CATALOG_COLUMNS)[number]): string => (row[idx[c]] ?? '').trim();
    const code = get('code').toUpperCase();
    const rowProblems: string[] = [];
    if (!/^[A-Z][A-Z0-9_]{0,39}$/.test(code)) {
      rowProblems.push(`code "${get('code')}" must be upper-case letters, digits and _`);
    } else if (seen.has(code)) {
      rowProblems.push(`code ${code} appears twice`);
    }
    seen.add(code);
    const name = get('name');
    if (name === '') rowProblems.push('name is missing');
    const care = parseEnum<CareType>(get('care_type'), CARE_TYPES, 'care type');
    if (!care.ok) rowProblems.push(care.reason);
    const required = parseYesNo(get('part_d_required'));
    if (!required.ok) rowProblems.push(`part_d_required: ${required.reason}`);
    const sterile = parseYesNo(get('needs_sterile_compounding'));
    if (!sterile.ok) rowProblems.push(`needs_sterile_compounding: ${sterile.reason}`);
    if (rowProblems.length > 0 || !care.ok || !required.ok || !sterile.ok) {
      problems.push(`line ${line}: ${rowProblems.join('; ')}`);
      return;
    }
    classes.push({
      code,
      name,
      careType: care.value,
      partDRequired: required.value,
      partBNote: get('part_b_note'),
      exampleDrugs: splitList(get('example_drugs')),
      needsSterileCompounding: sterile.value,
    });
  });
  if (problems.length > 0) {
    throw new RosterFormatError(file, `invalid drug class catalog: ${problems.join(' | ')}`);
  }
  if (classes.length === 0) {
    throw new RosterFormatError(file, 'the drug class catalog has no classes');
  }
  return classes;
}

/** Reads and validates the drug class catalog CSV. */
export async function readCatalog(path: string): Promise<DrugClass[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RosterFormatError(
      basename(path),
      `cannot read the drug class catalog: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return parseCatalog(text, basename(path));
}
