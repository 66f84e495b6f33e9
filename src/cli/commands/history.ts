import type { Command } from 'commander';
import { EXIT, UsageError } from '../../errors.js';
import { createContext, type GlobalFlags } from '../context.js';
import { table } from '../output.js';
import { findingPlan } from '../../report/format.js';

export function registerHistory(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('history')
    .description('list audit runs, newest first')
    .option('--limit <n>', 'how many runs', '20')
    .action(async (flags: GlobalFlags & { limit: string }, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        try {
          const limit = Number(flags.limit);
          if (!Number.isInteger(limit) || limit < 1)
            throw new UsageError('--limit must be a positive whole number');
          const { listRuns } = await import('../../db/runs.js');
          const runs = await listRuns({ db: await ctx.openDb({ readOnly: true }), limit });
          ctx.out.info(
            table(
              ['run', 'scope', 'as of', 'status', 'verdict', 'findings', 'started'],
              runs.map((r) => [
                r.id,
                r.scope,
                r.asOf,
                r.status,
                r.verdict ?? '-',
                (r.counts as { total?: number }).total ?? 0,
                r.startedAt,
              ]),
            ),
          );
          ctx.out.result({
            runs: runs.map((r) => ({ ...r, policy: undefined })),
          });
          return EXIT.OK;
        } finally {
          await ctx.close();
        }
      }, cmd);
    });

  program
    .command('show')
    .description('print one audit run and its findings')
    .argument('<run>', 'run id')
    .action(async (runArg: string, flags: GlobalFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        try {
          const runId = Number(runArg);
          if (!Number.isInteger(runId) || runId < 1)
            throw new UsageError(`run id must be a positive whole number, got "${runArg}"`);
          const db = await ctx.openDb({ readOnly: true });
          const { getRun, listRunFindings } = await import('../../db/runs.js');
          const r = await getRun({ db, runId });
          if (!r) throw new UsageError(`no audit run ${runId}; see 'infusion-audit history'`);
          const findings = await listRunFindings({ db, runId });
          ctx.out.info(
            `run ${r.id}  scope ${r.scope}  as of ${r.asOf}  ${r.status}  ${r.verdict ?? ''}`,
          );
          ctx.out.info(
            `rule set ${r.ruleSetVersion}, tool ${r.toolVersion}, policy ${r.policyHash.slice(0, 12)}, ${r.inputs.length} input file(s)`,
          );
          const missing: unknown = r.counts['missing'];
          if (Array.isArray(missing)) {
            for (const m of missing as { message?: unknown }[]) {
              if (typeof m.message === 'string')
                ctx.out.warn(`cannot judge the scope: ${m.message}`);
            }
          }
          ctx.out.info(
            table(
              [
                'severity',
                'rule',
                'plan',
                'county',
                'class',
                'npi',
                'status',
                'exception',
                'message',
              ],
              findings.map((f) => [
                f.severity,
                f.ruleId,
                findingPlan(f),
                f.countyFips ?? '',
                f.drugClass ?? '',
                f.npi ?? f.requestId ?? '',
                f.status,
                !f.exception
                  ? ''
                  : f.exception.expired
                    ? `expired ${f.exception.expiresOn}`
                    : `EXCEPTED to ${f.exception.expiresOn}`,
                f.message,
              ]),
            ),
          );
          ctx.out.result({ run: { ...r, policy: JSON.parse(r.policy) as unknown }, findings });
          return EXIT.OK;
        } finally {
          await ctx.close();
        }
      }, cmd);
    });
}
