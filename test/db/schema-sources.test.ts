/**
 * prisma/schema.prisma is the one source of the model: the derived PostgreSQL schema and the
 * schema each provider's newest migration was made from (its schema.snapshot.prisma, which the
 * next `npm run db:migration` diffs from) must be it. A model edited without a migration, or a
 * derived schema edited by hand, fails here. Comments may differ: they change no table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';
// @ts-expect-error plain JS module without types
import { derivePostgresSchema } from '../../scripts/generate-clients.js';

const derive = derivePostgresSchema as (text: string) => string;
const prisma = join(projectRoot, 'prisma');
const read = (...p: string[]): string => readFileSync(join(prisma, ...p), 'utf8');

/** The schema without comments, blank lines and trailing spaces. */
function model(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}

function newestSnapshot(migrations: string): { name: string; text: string } {
  const name = readdirSync(join(prisma, migrations), { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
    .map((e) => e.name)
    .sort()
    .at(-1)!;
  return { name, text: read(migrations, name, 'schema.snapshot.prisma') };
}

describe('one source for the model (prisma/schema.prisma)', () => {
  const source = read('schema.prisma');

  it('the PostgreSQL schema is derived from it, byte for byte', () => {
    expect(read('postgres', 'schema.prisma')).toBe(derive(source));
  });

  it('the newest SQLite migration was made from it', () => {
    const snap = newestSnapshot('migrations');
    expect(model(snap.text), `${snap.name}: run npm run db:migration -- <name>`).toBe(
      model(source),
    );
  });

  it('the newest PostgreSQL migration was made from the derived schema', () => {
    const snap = newestSnapshot(join('postgres', 'migrations'));
    expect(model(snap.text), `${snap.name}: run npm run db:migration -- <name>`).toBe(
      model(derive(source)),
    );
  });

  it('both providers have the same migrations', () => {
    const names = (dir: string): string[] =>
      readdirSync(join(prisma, dir))
        .filter((n) => /^\d{14}_/.test(n))
        .sort();
    expect(names(join('postgres', 'migrations'))).toEqual(names('migrations'));
  });
});

describe('row types (src/db/row-types.ts)', () => {
  it('are what scripts/make-row-types.ts writes from prisma/schema.prisma', async () => {
    const { rowTypesSource } = await import('../../scripts/make-row-types.js');
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(join(projectRoot, 'src/db/row-types.ts'))) ?? {};
    const expected = await prettier.format(rowTypesSource(read('schema.prisma')), {
      ...options,
      parser: 'typescript',
    });
    expect(readFileSync(join(projectRoot, 'src/db/row-types.ts'), 'utf8')).toBe(expected);
  });

  it('name every column of every model, relation fields excluded', async () => {
    const { parseModels } = await import('../../scripts/make-row-types.js');
    const models = parseModels(read('schema.prisma'));
    const pharmacy = models.find((m) => m.name === 'Pharmacy');
    expect(pharmacy?.table).toBe('pharmacy');
    expect(pharmacy?.fields.map((f) => f.column)).toContain('accreditation_expires');
    const run = models.find((m) => m.name === 'AuditRun');
    expect(run?.fields.map((f) => f.column)).not.toContain('findings');
    expect(run?.fields.find((f) => f.column === 'finished_at')).toMatchObject({
      type: 'DbDateTime',
      optional: true,
    });
  });
});
