/**
 * `infusion-audit guide`: who pays for what in one home infusion situation, from the CMS letter's
 * Attachments I and II. No database needed (unless --use-db-catalog).
 *
 *   infusion-audit guide --drug vancomycin --plan-type PDP --homebound --dual
 *   infusion-audit guide --drug-class INOTROPE --pump --plan-type MA-PD --full-service --json
 */
import type { Command } from 'commander';
import type { DrugClass, PlanType } from '../domain/types.js';
import { PLAN_TYPES } from '../domain/types.js';
import { EXIT, UsageError } from '../errors.js';
import type { GlobalFlags } from '../cli/context.js';
import { Output, detectOutput } from '../cli/output.js';
import { answerGuide } from './guide.js';
import { formatGuideAnswer } from './format.js';

export interface GuideFlags {
  drugClass?: string;
  drug?: string;
  homebound?: boolean;
  pump?: boolean;
  planType?: string;
  dual?: boolean;
  fullService?: boolean;
  useDbCatalog?: boolean;
}

/** Flags to a scenario; UsageError on a missing or bad plan type. */
export function scenarioFromFlags(flags: GuideFlags): Parameters<typeof answerGuide>[0] {
  if (flags.planType === undefined) {
    throw new UsageError(`--plan-type is required: ${PLAN_TYPES.join(' or ')}`);
  }
  const planType = flags.planType.trim().toUpperCase();
  if (!(PLAN_TYPES as readonly string[]).includes(planType)) {
    throw new UsageError(`--plan-type must be ${PLAN_TYPES.join(' or ')}, got "${flags.planType}"`);
  }
  return {
    ...(flags.drugClass !== undefined ? { drugClass: flags.drugClass } : {}),
    ...(flags.drug !== undefined ? { drug: flags.drug } : {}),
    partAHomebound: flags.homebound ?? false,
    pumpNeeded: flags.pump ?? false,
    planType: planType as PlanType,
    dualEligible: flags.dual ?? false,
    pharmacyFullService: flags.fullService ?? false,
  };
}

export function registerGuide(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('guide')
    .description(
      'who pays for the drug, supplies and nursing of a home infusion, and which path of the CMS decision tree applies',
    )
    .option('--drug-class <code>', 'drug class code from the catalog, e.g. ABX_IV or INOTROPE')
    .option('--drug <name>', 'drug name, e.g. vancomycin (resolved to its class)')
    .option(
      '--homebound',
      'homebound and in need of part-time skilled nursing (Part A home health)',
    )
    .option('--pump', 'an external infusion pump is medically necessary (Part B DME)')
    .option('--plan-type <type>', 'PDP or MA-PD')
    .option('--dual', 'dual eligible (Medicare and Medicaid)')
    .option('--full-service', 'the pharmacy provides the nursing and supplies itself')
    .option('--use-db-catalog', "resolve --drug with the database's drug class catalog")
    .action(async (flags: GuideFlags, cmd: Command) => {
      await run(async (globals) => {
        const scenario = scenarioFromFlags(flags);
        const out = new Output(
          detectOutput({
            ...(globals.json !== undefined ? { json: globals.json } : {}),
            ...(globals.quiet !== undefined ? { quiet: globals.quiet } : {}),
            ...(globals.logFormat !== undefined ? { logFormat: globals.logFormat } : {}),
          }),
        );
        const catalog = flags.useDbCatalog ? await catalogFromDb(globals) : [];
        const answer = answerGuide(scenario, { catalog });
        out.info(formatGuideAnswer(answer));
        out.result(answer);
        return EXIT.OK;
      }, cmd);
    });
}

/** The database's catalog (the context is loaded only here: the guide needs no database). */
async function catalogFromDb(globals: GlobalFlags): Promise<DrugClass[]> {
  const { createContext } = await import('../cli/context.js');
  const ctx = createContext(globals);
  try {
    const db = await ctx.openDb();
    const rows = await db.prisma.drugClass.findMany({ orderBy: { code: 'asc' } });
    return rows.map((c): DrugClass => ({
      code: c.code,
      name: c.name,
      careType: c.careType === 'chronic' ? 'chronic' : 'acute',
      partDRequired: c.partDRequired,
      partBNote: c.partBNote,
      exampleDrugs: c.exampleDrugs
        .split('|')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
      needsSterileCompounding: c.needsSterileCompounding,
    }));
  } finally {
    await ctx.close();
  }
}
