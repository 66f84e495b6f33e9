/**
 * No production dependency that never runs, and no development one the tool needs: the packages
 * src/ and bin/ import (statically, dynamically or by require.resolve) are exactly package.json's
 * `dependencies`. Prisma is a development dependency: it owns the model and writes migrations,
 * and its client is the tests' reader (docs/decisions/0001-prisma-role.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p.endsWith(join('db', 'generated')) ? [] : files(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

/** `pkg` or `@scope/pkg` of a module specifier; null for relative paths and node built-ins. */
function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const SPECIFIER =
  /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\.resolve\s*\(\s*|\bimport\s+)'([^']+)'/g;

function runtimeImports(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const f of [...files(join(projectRoot, 'src')), ...files(join(projectRoot, 'bin'))]) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      // Type-only imports vanish at run time.
      const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index + m[0].length);
      if (/^\s*(import|export)\s+type\b/.test(line)) continue;
      const pkg = packageOf(m[1]!);
      if (pkg === null) continue;
      used.set(pkg, [...(used.get(pkg) ?? []), relative(projectRoot, f)]);
    }
  }
  return used;
}

describe('package.json dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const used = runtimeImports();

  it('lists every package src/ and bin/ load, as a production dependency', () => {
    const missing = [...used.keys()].filter((p) => !(p in pkg.dependencies));
    expect(missing.map((p) => `${p} (${used.get(p)!.join(', ')})`)).toEqual([]);
  });

  it('lists no production dependency that src/ and bin/ never load', () => {
    expect(Object.keys(pkg.dependencies).filter((p) => !used.has(p))).toEqual([]);
  });

  it('keeps Prisma (model, migrations, the tests client) out of production', () => {
    for (const p of ['prisma', '@prisma/client', '@prisma/schema-engine-wasm']) {
      expect(pkg.devDependencies).toHaveProperty([p]);
      expect(used.has(p)).toBe(false);
    }
  });
});
