import type { Command } from 'commander';
import { ROSTER_KINDS, loadedNothing, type RosterKind } from '../../domain/types.js';
import { SystemError, UsageError } from '../../errors.js';
import type { ImportFileResult } from '../../import/import-rosters.js';
import { createContext, noteCommitted, type CommandContext, type GlobalFlags } from '../context.js';
import { table } from '../output.js';
import { EXIT } from '../../errors.js';

interface ImportFlags extends GlobalFlags {
  asOf?: string;
  kind?: string;
  mapping?: string;
  rejects?: string;
  catalog?: string;
  append?: boolean;
  allowUnknown?: boolean;
  endDespiteRejects?: boolean;
}

/** The snapshot flags `import` and `run` share. */
export interface SnapshotFlags {
  append?: boolean;
  allowUnknown?: boolean;
  endDespiteRejects?: boolean;
}

export function snapshotOptions(flags: SnapshotFlags): {
  append?: boolean;
  allowUnknown?: boolean;
  endDespiteRejects?: boolean;
} {
  return {
    ...(flags.append ? { append: true } : {}),
    ...(flags.allowUnknown ? { allowUnknown: true } : {}),
    ...(flags.endDespiteRejects ? { endDespiteRejects: true } : {}),
  };
}

/** The fee columns of the CMS network file, which the import does not load. */
const CMS_FEE_COLUMN = /^(FLOOR_PRICE|(BRAND|GENERIC)_DISPENSING_FEE_\d+)$/i;

/** Help of --append, --allow-unknown and --end-despite-rejects (import and run). */
export const SNAPSHOT_FLAG_HELP = {
  append: 'end nothing: the files only add or change rows (a supplement listing only additions)',
  allowUnknown: 'load files whose headers look like misspelt columns, ignoring those columns',
  endDespiteRejects: 'end rows the files no longer list even when a rejected row could not be read',
} as const;

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
    inserted: r.inserted,
    ended: r.ended,
    keptForRejections: r.keptForRejections,
    ignoredColumns: r.ignoredColumns,
    notices: r.notices,
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
    ? await (await import('../../roster/headers.js')).loadMapping(flags.mapping)
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
    ...snapshotOptions(flags),
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
    let n: number;
    try {
      n = await writeRejectsFile({ path: flags.rejects, results });
    } catch (err) {
      printImportSummary(ctx, results);
      throw new SystemError(
        `the import committed and is kept (${keptSummary(results)}), but the rejects file was not written (no partial file is left): ${(err as Error).message}`,
        { cause: err },
      );
    }
    ctx.out.info(`${n} rejected row(s) written to ${flags.rejects}`);
  }
  const stored = results.filter((r) => r.status === 'completed').length;
  if (stored > 0) noteCommitted(`the import of ${stored} roster file(s)`);
  printImportSummary(ctx, results);
  // A file with rows none of which loaded is bad input too: the roster in force is still the
  // earlier one, and a scheduler must not read the night as a success.
  const exitCode = results.some((r) => r.status === 'failed' || loadedNothing(r))
    ? EXIT.BAD_INPUT
    : EXIT.OK;
  return { results, exitCode };
}

/** What an import kept, per file, for a message that follows it (e.g. the rejects file failed). */
export function keptSummary(results: readonly ImportFileResult[]): string {
  return results
    .map(
      (r) =>
        `${r.path}${r.sheet ? ` [${r.sheet}]` : ''}: ${r.status}, ${r.accepted} row(s) stored, ${r.rejected} rejected and recorded`,
    )
    .join('; ');
}

/** "npi 300, effective_date 20": where a long list of rejections lies, most first. */
function byColumn(rejections: ImportFileResult['rejections']): string {
  const counts = new Map<string, number>();
  for (const r of rejections) {
    const key = r.column ?? 'whole row';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([column, n]) => `${column} ${n.toLocaleString('en-US')}`)
    .join(', ');
}

export function printImportSummary(
  ctx: CommandContext,
  results: readonly ImportFileResult[],
): void {
  const { out } = ctx;
  out.info(
    table(
      ['file', 'kind', 'rows', 'accepted', 'rejected', 'inserted', 'ended', 'status'],
      results.map((r) => [
        r.sheet ? `${r.path} [${r.sheet}]` : r.path,
        r.kind ?? '?',
        r.rowsRead,
        r.accepted,
        r.rejected,
        r.inserted,
        r.ended,
        r.status,
      ]),
    ),
  );
  for (const r of results) {
    const where = `${r.path}${r.sheet ? ` [${r.sheet}]` : ''}`;
    if (r.status === 'failed') out.error(r.message ?? 'failed', { path: r.path });
    if (r.status !== 'failed' && loadedNothing(r)) {
      out.error(
        `${where}: none of its ${r.rowsRead.toLocaleString('en-US')} row(s) loaded (every row was rejected): the ${r.kind ?? 'roster'} rows in force, if any, are earlier imports'; audits are INCOMPLETE until the file is fixed and imported again`,
        { path: r.path },
      );
    }
    // (The CMS file's fee columns are documented as not loaded: no warning every night.)
    const unknown = r.ignoredColumns.filter(
      (c) => r.kind !== 'cms_network' || !CMS_FEE_COLUMN.test(c.trim()),
    );
    if (unknown.length > 0) {
      out.warn(
        `${where}: column(s) not loaded (not ${r.kind ?? 'roster'} columns): ${unknown.map((c) => `"${c.trim()}"`).join(', ')}`,
      );
    }
    for (const n of r.notices) out.warn(`${where}: ${n}`);
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
        `${r.path}: ${r.rejections.length - shown.length} more rejected row(s); all ${r.rejections.length.toLocaleString('en-US')} by column: ${byColumn(r.rejections)}; use --rejects FILE to list them all`,
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
    .option('--force-date', 'accept an --as-of before 2006 or more than a year ahead')
    .option(
      '--kind <kind>',
      `roster kind when the file name does not tell (${ROSTER_KINDS.join(', ')})`,
    )
    .option('--mapping <file>', 'JSON file mapping your column headers to ours')
    .option('--rejects <file>', 'write rejected rows to this CSV with an error column')
    .option('--catalog <file>', 'replace the drug class catalog before importing')
    .option('--append', SNAPSHOT_FLAG_HELP.append)
    .option('--allow-unknown', SNAPSHOT_FLAG_HELP.allowUnknown)
    .option('--end-despite-rejects', SNAPSHOT_FLAG_HELP.endDespiteRejects)
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
