import { join } from 'node:path';
import type { Command } from 'commander';
import type { Db } from '../../db/connect.js';
import { EXIT, UsageError } from '../../errors.js';
import type { RenderedReport } from '../../report/render-report.js';
import type { ReportModel } from '../../report/model.js';
import { createContext, type GlobalFlags } from '../context.js';

export interface RenderedRun extends RenderedReport {
  /** `<reports>/latest.xlsx` when this run is the latest completed run, else null. */
  latest: string | null;
  runId: number;
  latestRunId: number | null;
}

/**
 * Renders a run's report files into `<reportsDir>/<as-of>/` (the layout `run` and `report`
 * share) and, when it is the database's latest completed run, copies its workbook to
 * `<reportsDir>/latest.xlsx`; a report of an older run leaves latest.xlsx as it is.
 */
export async function renderRun(options: {
  db: Db;
  runId?: number;
  model?: ReportModel;
  reportsDir: string;
}): Promise<RenderedRun> {
  const [{ loadReportModel }, { renderReport }, { getLatestCompletedRun }, atomic] =
    await Promise.all([
      import('../../audit/load-report-model.js'),
      import('../../report/render-report.js'),
      import('../../db/runs.js'),
      import('../../report/atomic.js'),
    ]);
  // `run` hands over the model its audit stored; `report` reads it back from storage.
  const model =
    options.model ??
    (await loadReportModel({
      db: options.db,
      ...(options.runId ? { runId: options.runId } : {}),
    }));
  const outDir = join(options.reportsDir, model.run.asOf);
  const files = await renderReport({ model, outDir });
  const newest = await getLatestCompletedRun({ db: options.db });
  const latestRunId = newest?.id ?? null;
  let latest: string | null = null;
  if (latestRunId === model.run.runId) {
    latest = join(options.reportsDir, 'latest.xlsx');
    await atomic.removeStaleTemps(options.reportsDir);
    await atomic.copyAtomically(files.xlsx, latest);
  }
  return { ...files, latest, runId: model.run.runId, latestRunId };
}

export function registerReport(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('report')
    .description('write the Excel workbook (+ .json and .md) of an audit run (default: the latest)')
    .argument('[run]', 'run id (see history)')
    .option(
      '--out <dir>',
      'report folder (default reports/): files go to <dir>/<as-of>/, latest.xlsx to <dir>/',
    )
    .action(
      async (runArg: string | undefined, flags: GlobalFlags & { out?: string }, cmd: Command) => {
        await run(async (globals) => {
          const ctx = createContext({ ...globals, ...flags });
          try {
            let runId: number | undefined;
            if (runArg !== undefined) {
              runId = Number(runArg);
              if (!Number.isInteger(runId) || runId < 1)
                throw new UsageError(`run id must be a positive whole number, got "${runArg}"`);
            }
            const files = await renderRun({
              db: await ctx.openDb({ readOnly: true }),
              reportsDir: ctx.config.outDir,
              ...(runId ? { runId } : {}),
            });
            ctx.out.info(`report written: ${files.xlsx}`);
            ctx.out.info(`             ${files.md}`);
            ctx.out.info(`             ${files.json}`);
            ctx.out.info(`             ${files.html}`);
            if (files.latest !== null) ctx.out.info(`             ${files.latest}`);
            else
              ctx.out.info(
                `latest.xlsx left as it is: run ${files.runId} is not the latest completed run (${files.latestRunId ?? 'none'})`,
              );
            ctx.out.result(files);
            return EXIT.OK;
          } finally {
            await ctx.close();
          }
        }, cmd);
      },
    );
}
