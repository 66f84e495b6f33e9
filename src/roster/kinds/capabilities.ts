/**
 * Capabilities roster: which drug classes a pharmacy delivers, and whether in usable form.
 */
import { type Capability } from '../../domain/types.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import {
  col,
  finish,
  parseFields,
  type ParseContext,
  type ParseRowResult,
  type RosterKindModule,
  type RowInput,
} from './kind.js';
import { npi, yesNo, optionalText, drugClassFormat, parseDrugClass } from './columns.js';

const COLUMNS = {
  npi,
  drug_class: col({
    required: true,
    choices: 'catalog',
    aliases: ['Drug Class', 'Class', 'Therapy Class', 'Drug Class Code'],
    format: drugClassFormat,
    parse: (v, ctx) => parseDrugClass(v, ctx),
  }),
  usable_form: yesNo(true, ['Usable Form', 'Ready To Administer', 'Delivers Usable Form']),
  notes: optionalText(['Note', 'Comment', 'Comments'], 'notes', 2000),
};

function build(record: RowInput, ctx: ParseContext): ParseRowResult<Capability> {
  const out = parseFields(COLUMNS, record, ctx);
  return finish(out, (v) => ({
    npi: v.npi,
    drugClass: v.drug_class,
    usableForm: v.usable_form,
    notes: v.notes,
  }));
}

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
  build,
  table: CAPABILITY_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Capability, Capability>;
