/**
 * Capabilities roster: which drug classes a pharmacy delivers, and whether in usable form.
 */
import { type Capability } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import { col, type RosterKindModule, rowBuilder, type RowRules } from './kind.js';
import {
  npi,
  yesNo,
  optionalText,
  drugClassFormat,
  parseDrugClass,
  canonicalDrugClass,
} from './columns.js';

const COLUMNS = {
  npi,
  drug_class: col({
    required: true,
    choices: 'catalog',
    aliases: ['Drug Class', 'Class', 'Therapy Class', 'Drug Class Code'],
    format: drugClassFormat,
    parse: (v, ctx) => parseDrugClass(v, ctx),
    canonical: canonicalDrugClass,
  }),
  usable_form: yesNo(true, ['Usable Form', 'Ready To Administer', 'Delivers Usable Form']),
  notes: optionalText(['Note', 'Comment', 'Comments'], 'notes', 2000),
};

const RULES: RowRules<typeof COLUMNS, Capability> = {
  record: (v) => ({
    npi: v.npi,
    drugClass: v.drug_class,
    usableForm: v.usable_form,
    notes: v.notes,
  }),
};

export const CAPABILITY_TABLE = checked<Capability, Rows.CapabilityRow>({
  table: 'capability',
  columns: ['npi', 'drug_class', 'usable_form', 'notes'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (c) => [c.npi, c.drugClass, c.usableForm, c.notes],
  key: (c) => `${c.npi}|${c.drugClass}`,
  keyColumns: ['npi', 'drug_class'],
  scopeColumns: ['npi'],
  identityColumns: ['npi', 'drug_class'],
});

/** The capabilities roster kind (src/roster/kinds/index.ts). */
export const capabilities = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: CAPABILITY_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Capability, Capability>;
