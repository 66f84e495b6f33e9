import type { Command } from 'commander';
import type { ImpactResult } from '../../audit/impact.js';
import { EXIT, UsageError } from '../../errors.js';
import { createContext, type GlobalFlags } from '../context.js';
import { table } from '../output.js';
import { parseScope } from './audit.js';

interface ImpactFlags extends GlobalFlags {
  asOf?: string;
  contract?: string;
  pbp?: string;
  limit?: string;
}

function printImpact(
  out: { info(line: string): void; bold(s: string): string },
  r: ImpactResult,
  limit: number,
): void {
  for (const p of r.plans) {
    out.info(
      `${out.bold(`Plan ${p.plan}`)} as of ${r.asOf}: ${p.hiPharmacies} HI pharmacies, ${p.cells} county x class cells, ${p.openGaps} open gap(s) (minimum ${r.minPharmaciesPerClass} per cell)`,
    );
    const keys = p.keyPharmacies.slice(0, limit);
    if (keys.length > 0) {
      out.info('Key pharmacies (cells lost if it leaves the network):');
      out.info(
        table(
          ['rank', 'npi', 'pharmacy', 'cells lost', 'critical', 'covers'],
          keys.map(
            (k) =>
              [k.rank, k.npi, k.name ?? '', k.cellsLost, k.cellsCritical, k.cellsCovered] as const,
          ),
        ),
      );
    }
    const recruits = p.recruitment.slice(0, limit);
    if (recruits.length > 0) {
      out.info('Recruitment candidates (open gaps they would close):');
      out.info(
        table(
          ['rank', 'npi', 'pharmacy', 'city', 'gaps closed'],
          recruits.map(
            (c) =>
              [
                c.rank,
                c.npi,
                c.name,
                `${c.city}, ${c.state}`,
                `${c.gapsClosed} of ${c.planGaps}`,
              ] as const,
          ),
        ),
      );
    } else if (p.openGaps > 0) {
      out.info('No known pharmacy outside the network would close an open gap.');
    }
    out.info('');
  }
}

export function registerImpact(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('impact')
    .description(
      "contracting priorities: each plan's key pharmacies (cells lost if one leaves) and recruitment candidates",
    )
    .requiredOption('--contract <id>', 'the contract (e.g. S1234; required)')
    .option('--pbp <id>', 'only this plan benefit package of the contract')
    .option('--as-of <date>', 'date YYYY-MM-DD (default today in the policy time zone)')
    .option('--force-date', 'accept an --as-of before 2006 or more than a year ahead')
    .option('--limit <n>', 'rows shown per plan and list (default 20; --json lists all)', '20')
    .action(async (flags: ImpactFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        try {
          const limit = Number(flags.limit ?? '20');
          if (!Number.isInteger(limit) || limit < 1)
            throw new UsageError(`--limit must be a whole number >= 1; got "${flags.limit}"`);
          const policy = await ctx.loadPolicy();
          const scope = parseScope(flags);
          const asOf = ctx.asOf(flags.asOf, policy);
          const db = await ctx.openDb();
          const { computeImpact } = await import('../../audit/impact.js');
          const result = await computeImpact({ db, asOf, scope, policy });
          if (result.plans.length === 0)
            ctx.out.info(`no plan of contract ${scope.contractId} in the database as of ${asOf}`);
          printImpact(ctx.out, result, limit);
          ctx.out.result(result);
          return EXIT.OK;
        } finally {
          await ctx.close();
        }
      }, cmd);
    });
}
