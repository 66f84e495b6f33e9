#!/usr/bin/env node
// Compiles src/ to dist/ (plain JavaScript, same layout, so paths relative to the project root
// stay valid) and, only when the compiler succeeded, writes dist/.build-stamp. Runs on
// `npm install` after the Prisma clients are generated (postinstall, with --if-possible) and as
// `npm run build`. bin/infusion-audit.js runs dist/ when the stamp is newer than every file under
// src/, and the TypeScript sources through tsx otherwise, so an edited checkout never runs stale
// code. With --if-possible a build that cannot be made (TypeScript absent, as after
// `npm ci --omit=dev`, or a compile error) is reported and skipped: the tool then runs from src/.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ifPossible = process.argv.includes('--if-possible');

function skip(reason) {
  if (!ifPossible) throw new Error(`build failed: ${reason}`);
  process.stderr.write(
    `infusion-audit: no compiled build (${reason}); running from src/ via tsx\n`,
  );
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  skip('TypeScript is not installed');
}
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  rmSync(dist, { recursive: true, force: true });
  skip('the TypeScript compiler reported errors');
}
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
