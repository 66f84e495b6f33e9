#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm install` or `npm run build`) when it is up to date
// with src/, else the TypeScript sources through tsx's loader (see bin/entry.js and
// docs/ARCHITECTURE.md).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let main;
if (process.env.INFUSION_AUDIT_SOURCES !== '1' && chooseEntry(root) === 'dist') {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
