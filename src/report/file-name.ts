/**
 * Report file names and the guard that keeps every report inside the output folder.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { ReportRun } from './model.js';

/** `[A-Za-z0-9_-]` only; runs of anything else become one '-'; never empty. */
export function sanitizeScope(scope: string): string {
  const cleaned = scope
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'scope' : cleaned.slice(0, 80);
}

/** `20261102T143000Z`: an ISO instant to the second, in UTC, for a file name. */
function fileStamp(instant: string): string {
  const d = new Date(instant);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(instant) || Number.isNaN(d.getTime())) {
    throw new UsageError(`invalid run time: ${instant}`);
  }
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * `<sponsor>-<scope>-<as-of>-run<id>-<run time, UTC>`, e.g.
 * `Acme-Health-all-2026-11-01-run12-20261102T143000Z`: the sponsor and the instant the run was
 * recorded keep the files of two databases (or of two runs with the same id) apart in one report
 * folder, and the same run always gets the same name.
 */
export function reportBaseName(model: {
  run: Pick<ReportRun, 'sponsorName' | 'scopeLabel' | 'asOf' | 'runId' | 'generatedAt'>;
}): string {
  const { sponsorName, scopeLabel, asOf, runId, generatedAt } = model.run;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError(`invalid as-of date: ${asOf}`);
  if (!Number.isSafeInteger(runId) || runId < 0) throw new UsageError(`invalid run id: ${runId}`);
  const sponsor = sanitizeScope(sponsorName).slice(0, 40).replace(/-+$/, '');
  return `${sponsor}-${sanitizeScope(scopeLabel)}-${asOf}-run${runId}-${fileStamp(generatedAt)}`;
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
