/**
 * `infusion-audit run`: the nightly batch. Import every roster in a folder (unchanged files are
 * skipped), audit, write the report, and say where it went. One batch at a time per database.
 */
import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { renderRun } from './report.js';
import { fsReason } from '../../util/fs-error.js';
import { addDays } from '../../util/time.js';
import { createContext, noteCommitted, type GlobalFlags } from '../context.js';
import { auditJson, exitCodeFor, parseScope, printAuditSummary } from './audit.js';
import {
  importJson,
  printImportSummary,
  SNAPSHOT_FLAG_HELP,
  snapshotOptions,
  type SnapshotFlags,
} from './import.js';

interface RunFlags extends GlobalFlags, SnapshotFlags {
  asOf?: string;
  contract?: string;
  pbp?: string;
  keepDays?: number;
}

/** A file `run`/`report` writes in a dated report folder (or a temporary folder of one). */
const REPORT_FILE =
  /^\.?[A-Za-z0-9_-]+-\d{4}-\d{2}-\d{2}-run\d+(?:-\d{8}T\d{6}Z)?(?:-map-[A-Za-z0-9_-]+\.png|\.xlsx|\.json|\.md|\.html)(?:\.tmp-\d+-[A-Za-z0-9]{6})?$/;

/**
 * Prunes report folders named YYYY-MM-DD older than keepDays before the as-of date: removes the
 * report files in them, then the folder if that left it empty. Anything else in such a folder
 * (a file someone put there, a sub-folder) is kept, and so is the folder. A dated name that is
 * a symbolic link is never followed: its target may lie outside the report folder.
 */
export async function pruneReports(
  outDir: string,
  asOf: string,
  keepDays: number,
): Promise<string[]> {
  const cutoff = addDays(asOf, -keepDays);
  const removed: string[] = [];
  for (const name of await readdir(outDir).catch(() => [] as string[])) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(name) || name >= cutoff) continue;
    const path = join(outDir, name);
    // lstat: a dated name that is a symbolic link (to a folder anywhere) is not followed.
    const info = await lstat(path).catch(() => null);
    if (!info?.isDirectory()) continue;
    const entries = await readdir(path, { withFileTypes: true });
    let kept = 0;
    for (const e of entries) {
      if (!REPORT_FILE.test(e.name) || e.isSymbolicLink()) {
        kept++;
        continue;
      }
      await rm(join(path, e.name), { recursive: e.isDirectory(), force: true });
    }
    if (kept === 0) {
      await rmdir(path).catch(() => undefined);
      removed.push(path);
    }
  }
  return removed;
}

export function registerRun(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('run')
    .description('the batch: import a roster folder, audit, write the report')
    .option(
      '--roster <dir>',
      'folder of roster files (required, unless rosterDir is in the configuration file)',
    )
    .option(
      '--as-of <date>',
      'audit and roster date YYYY-MM-DD (default today in the policy time zone)',
    )
    .option('--force-date', 'accept an --as-of before 2006 or more than a year ahead')
    .option('--out <dir>', 'report folder (default reports/)')
    .option('--contract <id>', 'only this contract')
    .option('--pbp <id>', 'only this plan benefit package')
    .option('--wait <seconds>', 'wait this long for another run to finish (default 0)', Number)
    .option('--keep-days <n>', 'delete report folders older than this many days', Number)
    .option('--append', SNAPSHOT_FLAG_HELP.append)
    .option('--allow-unknown', SNAPSHOT_FLAG_HELP.allowUnknown)
    .option('--end-despite-rejects', SNAPSHOT_FLAG_HELP.endDespiteRejects)
    .action(async (flags: RunFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        const { out, config } = ctx;
        try {
          if (!config.rosterDir)
            throw new UsageError('run needs --roster DIR (or rosterDir in the configuration file)');
          let rosterInfo;
          try {
            rosterInfo = statSync(config.rosterDir);
          } catch (err) {
            throw new UsageError(`roster folder ${config.rosterDir}: ${fsReason(err)}`);
          }
          if (!rosterInfo.isDirectory()) {
            throw new UsageError(`roster folder ${config.rosterDir}: not a folder`);
          }
          const policy = await ctx.loadPolicy();
          const scope = parseScope(flags);
          const asOf = ctx.asOf(flags.asOf, policy);
          const t0 = Date.now();
          out.event('run.start', { asOf, rosterDir: config.rosterDir });
          const opened = await ctx.openDb();
          const [{ runAudit }, { acquireRunLock, markInterruptedRuns }, { importRosters }] =
            await Promise.all([
              import('../../audit/run-audit.js'),
              import('../../db/run-lock.js'),
              import('../../import/import-rosters.js'),
            ]);
          const lock = await acquireRunLock({ db: opened, waitSeconds: config.waitSeconds });
          // Every commit of this batch first checks that the lock is still its own.
          const db = lock.guard(opened);
          try {
            const interrupted = await markInterruptedRuns({ db });
            if (interrupted > 0)
              out.warn(`${interrupted} earlier run(s) had been interrupted; marked failed`);
            const tImport = Date.now();
            const imported = await importRosters({
              db,
              paths: [config.rosterDir],
              onSkipped: (skipped) => {
                for (const s of skipped)
                  out.warn(`skipped ${s.fileName}${s.sheet ? ` [${s.sheet}]` : ''}: ${s.reason}`);
              },
              asOf,
              timeZone: policy.timeZone,
              ...snapshotOptions(flags),
              limits: config.limits,
              onProgress: (p) =>
                out.progress(`importing ${p.path}: ${p.rowsRead.toLocaleString('en-US')} rows`),
            });
            out.progressDone();
            const stored = imported.filter((r) => r.status === 'completed').length;
            if (stored > 0) noteCommitted(`the import of ${stored} roster file(s)`);
            printImportSummary(ctx, imported);
            out.event('import.done', {
              durationMs: Date.now() - tImport,
              files: imported.map(importJson),
            });
            const tAudit = Date.now();
            // A file of the batch that failed leaves the audit unable to judge: INCOMPLETE (exit 4).
            const missing = imported
              .filter((r) => r.status === 'failed')
              .map((r) => ({
                what: 'roster_file' as const,
                message: `roster file ${basename(r.path)}${r.sheet ? ` [${r.sheet}]` : ''} failed to load (${r.message ?? 'see the import summary'}); its rows are not in this audit`,
              }));
            const outcome = await runAudit({ db, asOf, scope, policy, missing });
            noteCommitted(`audit run ${outcome.runId} (${outcome.verdict})`);
            out.event('audit.done', {
              durationMs: Date.now() - tAudit,
              runId: outcome.runId,
              verdict: outcome.verdict,
              counts: outcome.counts,
            });
            printAuditSummary(ctx, outcome);
            const tReport = Date.now();
            // The model the audit stored, rendered as is: nothing is read back or evaluated
            // again. The run just completed is the latest (runs hold the lock): renderRun
            // copies it to latest.xlsx.
            const report = await renderRun({
              db,
              model: outcome.model!,
              reportsDir: config.outDir,
            });
            const { latest } = report;
            out.event('report.done', {
              durationMs: Date.now() - tReport,
              xlsx: report.xlsx,
              latest,
            });
            if (config.keepDays !== null) {
              const removed = await pruneReports(config.outDir, asOf, config.keepDays);
              if (removed.length) out.info(`pruned ${removed.length} old report folder(s)`);
            }
            out.info(`report: ${report.xlsx}`);
            if (latest !== null) out.info(`        ${latest}`);
            const exitCode = exitCodeFor(outcome);
            out.event('run.done', {
              durationMs: Date.now() - t0,
              exitCode,
              verdict: outcome.verdict,
              report: report.xlsx,
            });
            if (out.opts.json)
              out.result({
                ...auditJson(outcome),
                imports: imported.map(importJson),
                report: { ...report, latest },
              });
            return exitCode;
          } finally {
            await lock.release().catch(() => undefined);
          }
        } finally {
          await ctx.close();
        }
      }, cmd);
    });
}
