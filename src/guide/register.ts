/**
 * `infusion-audit guide`: who pays for what in one home infusion situation, from the CMS letter's
 * Attachments I and II and the external infusion pump LCD (L33794). No database needed: drug names
 * and classes come from the shipped catalog (data/drug-classes.csv) and the built-in drug list,
 * or with --use-db-catalog from the database's catalog.
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
    .option(
      '--drug <name>',
      'drug name, e.g. vancomycin or Hizentra (resolved to its class; decides the Part B pump rule)',
    )
    .option(
      '--homebound',
      'homebound and in need of part-time skilled nursing (Part A home health)',
    )
    .option(
      '--pump',
      'the drug is given through a medically necessary external infusion pump (Part B DME when LCD L33794 lists the drug); without it, gravity feed or no pump',
    )
    .option('--plan-type <type>', 'PDP or MA-PD (required)')
    .option('--dual', 'dual eligible (Medicare and Medicaid)')
    .option('--full-service', 'the pharmacy provides the nursing and supplies itself')
    .option(
      '--use-db-catalog',
      "resolve --drug and --drug-class with the database's drug class catalog instead of the shipped one",
    )
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
        const catalog = flags.useDbCatalog ? await catalogFromDb(globals) : await shippedCatalog();
        const answer = answerGuide(scenario, { catalog });
        out.info(formatGuideAnswer(answer));
        out.result(answer);
        return EXIT.OK;
      }, cmd);
    });
}

/** The catalog shipped with the tool (data/drug-classes.csv), the one new databases are seeded with. */
export async function shippedCatalog(): Promise<DrugClass[]> {
  const [{ readCatalog }, { DEFAULT_CATALOG_PATH }] = await Promise.all([
    import('../roster/catalog.js'),
    import('../db/seed-reference.js'),
  ]);
  return readCatalog(DEFAULT_CATALOG_PATH);
}

/** The database's catalog (the context is loaded only here: the guide needs no database). */
export async function catalogFromDb(globals: GlobalFlags): Promise<DrugClass[]> {
  const { createContext } = await import('../cli/context.js');
  const ctx = createContext(globals);
  try {
    const db = await ctx.openDb();
    const rows = await db.sql.query<{
      code: string;
      name: string;
      care_type: string;
      part_d_required: boolean | number;
      part_b_note: string;
      example_drugs: string;
      needs_sterile_compounding: boolean | number;
    }>(
      `SELECT code, name, care_type, part_d_required, part_b_note, example_drugs, needs_sterile_compounding
         FROM drug_class ORDER BY code`,
    );
    return rows.map((c): DrugClass => ({
      code: c.code,
      name: c.name,
      careType: c.care_type === 'chronic' ? 'chronic' : 'acute',
      // (SQLite stores booleans as 0/1.)
      partDRequired: Boolean(c.part_d_required),
      partBNote: c.part_b_note,
      exampleDrugs: c.example_drugs
        .split('|')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
      needsSterileCompounding: Boolean(c.needs_sterile_compounding),
    }));
  } finally {
    await ctx.close();
  }
}
