#!/usr/bin/env node
// Derives the PostgreSQL schema from the one source (prisma/schema.prisma) and generates both
// Prisma clients into src/db/generated/{sqlite,postgres}, which only the tests load. Runs on
// `npm install` (postinstall).
//
// Offline: `prisma generate` never needs the schema engine, but the CLI looks for one at start;
// PRISMA_SCHEMA_ENGINE_BINARY pointing at any executable keeps it from downloading
// (see shared/domain/TOOLCHAIN.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'prisma', 'schema.prisma');
const pgDir = join(root, 'prisma', 'postgres');
const pgSchema = join(pgDir, 'schema.prisma');

export function derivePostgresSchema(text) {
  const header =
    '// GENERATED from prisma/schema.prisma by scripts/generate-clients.js. Do not edit.\n';
  let out = text.replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  out = out.replace(
    'output              = "../src/db/generated/sqlite"',
    'output              = "../../src/db/generated/postgres"',
  );
  if (out === text || !out.includes('generated/postgres')) {
    throw new Error(
      'prisma/schema.prisma: cannot derive the PostgreSQL schema (provider/output lines changed?)',
    );
  }
  return header + out;
}

function main() {
  mkdirSync(pgDir, { recursive: true });
  const derived = derivePostgresSchema(readFileSync(source, 'utf8'));
  if (!existsSync(pgSchema) || readFileSync(pgSchema, 'utf8') !== derived)
    writeFileSync(pgSchema, derived);
  const prismaBin = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  if (!existsSync(prismaBin)) {
    // `npm ci --omit=dev`: Prisma is a development dependency (the tests' reader, migration
    // authoring; docs/decisions/0001-prisma-role.md); the tool runs without its clients.
    console.log('infusion-audit: Prisma not installed (production install); no clients generated');
    return;
  }
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  };
  for (const schema of [source, pgSchema]) {
    execFileSync(process.execPath, [prismaBin, 'generate', '--schema', schema], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: root,
    });
  }
  console.log('infusion-audit: generated Prisma clients for SQLite and PostgreSQL');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
