import type { Command } from 'commander';
import type { AuditOutcome } from '../../audit/run-audit.js';
import { VERDICT_LABELS, isExcepted, type Finding } from '../../domain/types.js';
import { expiringItems } from '../../audit/expiring-items.js';
import { isSinglePointNote } from '../../report/summary.js';
import { EXIT, UsageError } from '../../errors.js';
import { parseNpi } from '../../roster/validate.js';
import { getRule } from '../../rules/registry.js';
import { createContext, noteCommitted, type CommandContext, type GlobalFlags } from '../context.js';
import { table } from '../output.js';

export interface AuditFlags extends GlobalFlags {
  asOf?: string;
  contract?: string;
  pbp?: string;
  withoutNpi?: string;
}

export function parseScope(flags: { contract?: string; pbp?: string }): {
  contractId: string | null;
  pbpId: string | null;
} {
  if (flags.pbp && !flags.contract) throw new UsageError('--pbp needs --contract');
  if (flags.contract && !/^[HSRE]\d{4}$/.test(flags.contract.toUpperCase())) {
    throw new UsageError(
      `--contract must look like S1234 (a letter H, S, R or E and 4 digits); got "${flags.contract}"`,
    );
  }
  if (flags.pbp && !/^\d{1,3}$/.test(flags.pbp))
    throw new UsageError(`--pbp must be 3 digits; got "${flags.pbp}"`);
  return {
    contractId: flags.contract ? flags.contract.toUpperCase() : null,
    pbpId: flags.pbp ? flags.pbp.padStart(3, '0') : null,
  };
}

export function parseNpiList(value: string | undefined): Set<string> {
  if (!value) return new Set();
  const npis = value.split(/[,|\s]+/).filter(Boolean);
  for (const n of npis) {
    const v = parseNpi(n);
    if (!v.ok) throw new UsageError(`--without-npi: ${n}: ${v.reason}`);
  }
  return new Set(npis);
}

/**
 * A finding in `audit --json`, the command's answer for scripts and the nightly job. Not the
 * report's finding (reportFinding, src/audit/stored-report.ts, written by the JSON report): this
 * one leaves out what only the report needs (evidence, county and pharmacy names, remediation),
 * which for a national sponsor would make the command's output as large as the report, and says
 * `excepted` outright; a resolved finding of the previous run has no status or first-seen date.
 */
function findingJson(f: Finding): Record<string, unknown> {
  return {
    key: f.key,
    ruleId: f.ruleId,
    messageId: f.messageId,
    severity: f.severity,
    citation: getRule(f.ruleId)?.citation ?? '',
    contractId: f.contractId,
    pbpId: f.pbpId,
    segmentId: f.segmentId,
    countyFips: f.countyFips,
    drugClass: f.drugClass,
    npi: f.npi,
    requestId: f.requestId,
    message: f.message,
    excepted: isExcepted(f),
    exception: f.exception ?? null,
  };
}

export function auditJson(o: AuditOutcome): Record<string, unknown> {
  return {
    runId: o.runId,
    asOf: o.asOf,
    scope: o.scope,
    verdict: o.verdict,
    missing: o.missing,
    whatIf: o.runId === null,
    counts: o.counts,
    previousRunId: o.previousRunId,
    findings: o.findings.map((f) => ({
      ...findingJson(f),
      status: f.status,
      firstSeen: f.firstSeen,
    })),
    resolved: o.resolved.map(findingJson),
    exceptions: o.exceptions.map((e) => ({
      label: e.label,
      ruleId: e.ruleId,
      contractId: e.contractId,
      pbpId: e.pbpId,
      countyFips: e.countyFips,
      drugClass: e.drugClass,
      npi: e.npi,
      approvedBy: e.approvedBy,
      approvedOn: e.approvedOn,
      expiresOn: e.expiresOn,
      status: e.status,
      daysLeft: e.daysLeft,
      matched: e.matched,
      unused: e.unused,
    })),
    expiring: expiringItems(o.findings),
  };
}

export function printAuditSummary(ctx: CommandContext, o: AuditOutcome): void {
  const { out } = ctx;
  const label = VERDICT_LABELS[o.verdict];
  const verdict = o.verdict === 'COMPLIANT' ? out.green(label) : out.red(label);
  out.info(
    `${out.bold('Audit')} ${o.runId === null ? '(what-if, not stored)' : `run ${o.runId}`} scope ${o.scope} as of ${o.asOf}: ${verdict}`,
  );
  for (const m of o.missing) out.warn(`cannot judge the scope: ${m.message}`);
  const rows = Object.entries(o.counts.byRule).map(([rule, n]) => [rule, n] as const);
  if (rows.length > 0) out.info(table(['rule', 'findings'], rows));
  const s = o.counts.bySeverity;
  // The headline counts what a regulator acts on, as the reports do: single-point notes apart.
  const notes = o.findings.filter(isSinglePointNote).length;
  const noteText =
    notes === 0 ? '' : ` plus ${notes} single-point ${notes === 1 ? 'note' : 'notes'}`;
  out.info(
    `findings: ${o.counts.total - notes} (critical ${s.critical ?? 0}, major ${s.major ?? 0}, minor ${s.minor ?? 0}, info ${(s.info ?? 0) - notes})${noteText}; new ${o.counts.new}, persisting ${o.counts.persisting}, resolved since run ${o.previousRunId ?? '-'}: ${o.counts.resolved}`,
  );
  if (o.counts.excepted > 0 || o.exceptions.length > 0) {
    const unused = o.exceptions.filter((e) => e.unused).length;
    const expired = o.exceptions.filter((e) => e.status === 'expired' && !e.unused).length;
    out.info(
      `exceptions register: ${o.counts.excepted} finding(s) excepted; ${expired} exception(s) expired (their findings count again); ${unused} unused`,
    );
  }
}

export function exitCodeFor(o: AuditOutcome): number {
  return { COMPLIANT: EXIT.OK, NON_COMPLIANT: EXIT.NON_COMPLIANT, INCOMPLETE: EXIT.INCOMPLETE }[
    o.verdict
  ];
}

export function registerAudit(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('audit')
    .description('check the network against every rule as of a date and store the run')
    .option('--as-of <date>', 'audit date YYYY-MM-DD (default today in the policy time zone)')
    .option('--force-date', 'accept an --as-of before 2006 or more than a year ahead')
    .option('--contract <id>', 'only this contract (e.g. S1234)')
    .option('--wait <seconds>', 'wait this long for a running batch to finish (default 0)', Number)
    .option('--pbp <id>', 'only this plan benefit package of the contract')
    .option(
      '--without-npi <list>',
      'what-if: evaluate as if these pharmacies left (comma-separated); not stored',
    )
    .action(async (flags: AuditFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        try {
          const policy = await ctx.loadPolicy();
          const scope = parseScope(flags);
          const withoutNpis = parseNpiList(flags.withoutNpi);
          const asOf = ctx.asOf(flags.asOf, policy);
          const db = await ctx.openDb();
          const { runAudit } = await import('../../audit/run-audit.js');
          if (withoutNpis.size > 0) {
            // A what-if stores nothing: no lock needed.
            const outcome = await runAudit({ db, asOf, scope, policy, withoutNpis });
            printAuditSummary(ctx, outcome);
            // (Built only for --json: a national run's findings are tens of thousands.)
            if (ctx.out.opts.json) ctx.out.result(auditJson(outcome));
            return exitCodeFor(outcome);
          }
          const { acquireRunLock, markInterruptedRuns } = await import('../../db/run-lock.js');
          const lock = await acquireRunLock({ db, waitSeconds: ctx.config.waitSeconds });
          try {
            const interrupted = await markInterruptedRuns({ db });
            if (interrupted > 0)
              ctx.out.warn(`${interrupted} earlier run(s) had been interrupted; marked failed`);
            const outcome = await runAudit({ db: lock.guard(db), asOf, scope, policy });
            noteCommitted(`audit run ${outcome.runId} (${outcome.verdict})`);
            printAuditSummary(ctx, outcome);
            if (ctx.out.opts.json) ctx.out.result(auditJson(outcome));
            return exitCodeFor(outcome);
          } finally {
            await lock.release().catch(() => undefined);
          }
        } finally {
          await ctx.close();
        }
      }, cmd);
    });
}
