/**
 * Report file names and the guard that keeps every report inside the output folder.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { ReportModel } from './model.js';

/** `[A-Za-z0-9_-]` only; runs of anything else become one '-'; never empty. */
export function sanitizeScope(scope: string): string {
  const cleaned = scope
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'scope' : cleaned.slice(0, 80);
}

/** `<scope>-<as-of>-run<id>`, e.g. `all-2026-11-01-run12`, `S1234-001-2026-11-01-run3`. */
export function reportBaseName(model: Pick<ReportModel, 'run'>): string {
  const { scopeLabel, asOf, runId } = model.run;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError(`invalid as-of date: ${asOf}`);
  if (!Number.isSafeInteger(runId) || runId < 0) throw new UsageError(`invalid run id: ${runId}`);
  return `${sanitizeScope(scopeLabel)}-${asOf}-run${runId}`;
}

/**
 * The absolute path of `name` inside `outDir`. Refuses (UsageError) a name that is empty, contains
 * a NUL, is absolute, or resolves to outDir itself or anywhere outside it (`..`, other drive).
 * The check is on the resolved path text; the caller creates the file, not a link target.
 */
export function resolveInside(outDir: string, name: string): string {
  if (name === '' || name.includes('\0') || isAbsolute(name)) {
    throw new UsageError(`report file name not allowed: ${JSON.stringify(name)}`);
  }
  const root = resolve(outDir);
  const target = resolve(root, name);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UsageError(`report path escapes the output folder ${root}: ${JSON.stringify(name)}`);
  }
  return target;
}
