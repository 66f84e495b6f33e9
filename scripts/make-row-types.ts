/**
 * Writes src/db/row-types.ts: one interface per model of prisma/schema.prisma, named after the
 * model (`PharmacyRow`), with the table's column names (`@map`) and the values the raw SQL
 * drivers return for them (better-sqlite3 and pg differ for booleans, dates and 64-bit integers).
 * The data layer's queries and writers use these types, so a column renamed or dropped in the
 * model fails the type check where it is used. test/db/schema-sources.test.ts checks that the
 * committed file is what this script writes.
 *   npx tsx scripts/make-row-types.ts [prisma/schema.prisma] [src/db/row-types.ts]
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Scalar types of the schema -> the TypeScript type of a value read by either driver. */
const SCALARS: Readonly<Record<string, string>> = {
  String: 'string',
  Int: 'DbInt',
  BigInt: 'DbInt',
  Float: 'number',
  Boolean: 'DbBoolean',
  DateTime: 'DbDateTime',
};

interface Field {
  column: string;
  type: string;
  optional: boolean;
  doc: string[];
}

interface Model {
  name: string;
  table: string;
  doc: string[];
  fields: Field[];
}

export function parseModels(schema: string): Model[] {
  const models: Model[] = [];
  const lines = schema.split('\n');
  let doc: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^model (\w+) \{/.exec(lines[i] ?? '');
    if (!head) {
      const d = /^\/\/\/ ?(.*)$/.exec((lines[i] ?? '').trim());
      doc = d ? [...doc, d[1] ?? ''] : [];
      continue;
    }
    const model: Model = { name: head[1] ?? '', table: head[1] ?? '', doc, fields: [] };
    doc = [];
    let fieldDoc: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('}'); i++) {
      const line = (lines[i] ?? '').trim();
      const d = /^\/\/\/ ?(.*)$/.exec(line);
      if (d) {
        fieldDoc.push(d[1] ?? '');
        continue;
      }
      const map = /^@@map\("([^"]+)"\)/.exec(line);
      if (map) model.table = map[1] ?? model.table;
      const f = /^(\w+)\s+(\w+)(\??)(\[\])?(.*)$/.exec(line);
      if (f && !line.startsWith('@@')) {
        const [, name = '', type = '', optional, list, rest = ''] = f;
        const scalar = SCALARS[type];
        // Relation fields (another model, or a list of them) are not columns.
        if (scalar !== undefined && !list) {
          const column = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name;
          model.fields.push({ column, type: scalar, optional: optional === '?', doc: fieldDoc });
        }
      }
      fieldDoc = [];
    }
    models.push(model);
  }
  return models;
}

export function rowTypesSource(schema: string): string {
  const out: string[] = [
    '// Generated from prisma/schema.prisma by scripts/make-row-types.ts: do not edit by hand.',
    '',
    '/** A boolean as the drivers return it: SQLite 0/1, PostgreSQL true/false. */',
    'export type DbBoolean = boolean | number | bigint;',
    '/** An integer: a number, or a bigint/string for 64-bit values some drivers return. */',
    'export type DbInt = number | bigint | string;',
    '/** A date or date-time: SQLite text or epoch milliseconds, PostgreSQL Date. */',
    'export type DbDateTime = string | number | Date;',
  ];
  for (const m of parseModels(schema)) {
    out.push('');
    out.push(`/** A row of \`${m.table}\`${m.doc.length ? `: ${m.doc.join(' ')}` : '.'} */`);
    out.push(`export interface ${m.name}Row {`);
    for (const f of m.fields) {
      if (f.doc.length) out.push(`  /** ${f.doc.join(' ')} */`);
      out.push(`  ${f.column}: ${f.type}${f.optional ? ' | null' : ''};`);
    }
    out.push('}');
  }
  return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = process.argv[2] ?? 'prisma/schema.prisma';
  const target = process.argv[3] ?? 'src/db/row-types.ts';
  writeFileSync(target, rowTypesSource(readFileSync(source, 'utf8')));
  process.stdout.write(`wrote ${target}\n`);
}
