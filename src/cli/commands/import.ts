import type { Command } from 'commander';
import { ROSTER_KINDS, type RosterKind } from '../../domain/types.js';
import { UsageError } from '../../errors.js';
import type { ImportFileResult } from '../../import/import-rosters.js';
import { createContext, readJsonFile, type CommandContext, type GlobalFlags } from '../context.js';
import { table } from '../output.js';
import { EXIT } from '../../errors.js';

interface ImportFlags extends GlobalFlags {
  asOf?: string;
  kind?: string;
  mapping?: string;
  rejects?: string;
  catalog?: string;
}

/** One imported file as reported in --json output and JSON log events. */
export function importJson(r: ImportFileResult): Record<string, unknown> {
  return {
    path: r.path,
    sheet: r.sheet,
    sha256: r.sha256,
    kind: r.kind,
    rowsRead: r.rowsRead,
    accepted: r.accepted,
    rejected: r.rejected,
    rejectionsNotStored: r.rejectionsOmitted ?? 0,
    warnings: r.warnings,
    status: r.status,
    message: r.message,
  };
}

export async function runImport(
  ctx: CommandContext,
  paths: string[],
  flags: ImportFlags,
): Promise<{ results: ImportFileResult[]; exitCode: number }> {
  if (flags.kind !== undefined && !(ROSTER_KINDS as readonly string[]).includes(flags.kind)) {
    throw new UsageError(`--kind must be one of ${ROSTER_KINDS.join(', ')}; got "${flags.kind}"`);
  }
  const policy = await ctx.loadPolicy();
  const asOf = ctx.asOf(flags.asOf, policy);
  const db = await ctx.openDb();
  if (flags.catalog) {
    const [{ replaceCatalog }, { readCatalog }] = await Promise.all([
      import('../../db/seed-reference.js'),
      import('../../roster/catalog.js'),
    ]);
    await replaceCatalog({ sql: db.sql, classes: await readCatalog(flags.catalog) });
    ctx.out.info(`drug class catalog replaced from ${flags.catalog}`);
  }
  const mapping = flags.mapping
    ? (readJsonFile(flags.mapping, 'mapping file') as Record<string, string>)
    : undefined;
  ctx.out.event('import.start', { paths, asOf });
  const t0 = Date.now();
  const { importRosters } = await import('../../import/import-rosters.js');
  const results = await importRosters({
    db,
    paths,
    onSkipped: (skipped) => {
      for (const s of skipped)
        ctx.out.warn(`skipped ${s.fileName}${s.sheet ? ` [${s.sheet}]` : ''}: ${s.reason}`);
    },
    asOf,
    timeZone: policy.timeZone,
    ...(flags.kind ? { kind: flags.kind as RosterKind } : {}),
    ...(mapping ? { mapping } : {}),
    limits: ctx.config.limits,
    onProgress: (p) =>
      ctx.out.progress(
        `${p.path}${p.sheet ? ` [${p.sheet}]` : ''}: ${p.rowsRead.toLocaleString('en-US')} rows`,
      ),
  });
  ctx.out.progressDone();
  for (const r of results) {
    ctx.out.event('import.file', importJson(r));
  }
  ctx.out.event('import.done', { durationMs: Date.now() - t0 });
  if (flags.rejects) {
    const { writeRejectsFile } = await import('../../import/write-rejects.js');
    const n = await writeRejectsFile({ path: flags.rejects, results });
    ctx.out.info(`${n} rejected row(s) written to ${flags.rejects}`);
  }
  printImportSummary(ctx, results);
  const exitCode = results.some((r) => r.status === 'failed') ? EXIT.BAD_INPUT : EXIT.OK;
  return { results, exitCode };
}

export function printImportSummary(
  ctx: CommandContext,
  results: readonly ImportFileResult[],
): void {
  const { out } = ctx;
  out.info(
    table(
      ['file', 'kind', 'rows', 'accepted', 'rejected', 'status'],
      results.map((r) => [
        r.sheet ? `${r.path} [${r.sheet}]` : r.path,
        r.kind ?? '?',
        r.rowsRead,
        r.accepted,
        r.rejected,
        r.status,
      ]),
    ),
  );
  for (const r of results) {
    if (r.status === 'failed') out.error(r.message ?? 'failed', { path: r.path });
    const shown = r.rejections.slice(0, 20);
    for (const rej of shown) {
      out.warn(
        `${r.path}${r.sheet ? ` [${r.sheet}]` : ''} row ${rej.rowNumber}${rej.column ? `, column ${rej.column}` : ''}: ${rej.reason}`,
      );
    }
    if (r.rejectionsOmitted) {
      out.warn(
        `${r.path}${r.sheet ? ` [${r.sheet}]` : ''}: ${r.rejected} rejected row(s); only the first ${r.rejections.length} are stored and listed (limits.maxStoredRejections), ${r.rejectionsOmitted} more were counted but not kept`,
      );
    }
    if (r.rejections.length > shown.length) {
      out.warn(
        `${r.path}: ${r.rejections.length - shown.length} more rejected row(s); use --rejects FILE to list them all`,
      );
    }
  }
}

export function registerImport(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('import')
    .description('load roster files (CSV, XLSX, CMS pharmacy network file) into the database')
    .argument('<paths...>', 'roster files or folders')
    .option('--as-of <date>', 'the date the rosters describe (YYYY-MM-DD; default today)')
    .option(
      '--kind <kind>',
      `roster kind when the file name does not tell (${ROSTER_KINDS.join(', ')})`,
    )
    .option('--mapping <file>', 'JSON file mapping your column headers to ours')
    .option('--rejects <file>', 'write rejected rows to this CSV with an error column')
    .option('--catalog <file>', 'replace the drug class catalog before importing')
    .action(async (paths: string[], flags: ImportFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        try {
          const { results, exitCode } = await runImport(ctx, paths, flags);
          ctx.out.result({
            files: results.map(importJson),
          });
          return exitCode;
        } finally {
          await ctx.close();
        }
      }, cmd);
    });
}
