import type { Command } from 'commander';
import type { Db } from '../../db/connect.js';
import { EXIT, UsageError } from '../../errors.js';
import type { RenderedReport } from '../../report/render-report.js';
import { createContext, type GlobalFlags } from '../context.js';

export async function renderRun(options: {
  db: Db;
  runId?: number;
  outDir: string;
}): Promise<RenderedReport> {
  const [{ loadReportModel }, { renderReport }] = await Promise.all([
    import('../../audit/load-report-model.js'),
    import('../../report/render-report.js'),
  ]);
  const model = await loadReportModel({
    db: options.db,
    ...(options.runId ? { runId: options.runId } : {}),
  });
  return renderReport({ model, outDir: options.outDir });
}

export function registerReport(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('report')
    .description('write the Excel workbook (+ .json and .md) of an audit run (default: the latest)')
    .argument('[run]', 'run id (see history)')
    .option('--out <dir>', 'output folder (default reports/)')
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
              outDir: ctx.config.outDir,
              ...(runId ? { runId } : {}),
            });
            ctx.out.info(`report written: ${files.xlsx}`);
            ctx.out.info(`             ${files.md}`);
            ctx.out.info(`             ${files.json}`);
            ctx.out.info(`             ${files.html}`);
            ctx.out.result(files);
            return EXIT.OK;
          } finally {
            await ctx.close();
          }
        }, cmd);
      },
    );
}
