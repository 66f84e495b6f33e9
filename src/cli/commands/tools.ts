import type { Command } from 'commander';
import { EXIT, UsageError } from '../../errors.js';
import { GENERATE_USAGE } from '../../generate/usage.js';
import { createContext, type GlobalFlags } from '../context.js';

export function registerTools(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  program
    .command('template')
    .description('write an empty roster workbook (one sheet per kind, drop-down lists) to fill in')
    .requiredOption('--out <file>', 'the .xlsx file to write (required)')
    .action(async (flags: GlobalFlags & { out: string }, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals });
        if (!flags.out.toLowerCase().endsWith('.xlsx'))
          throw new UsageError('--out must name an .xlsx file');
        const [{ readCatalog }, { DEFAULT_CATALOG_PATH }, { writeRosterTemplate }] =
          await Promise.all([
            import('../../roster/catalog.js'),
            import('../../db/seed-reference.js'),
            import('../../roster/template.js'),
          ]);
        const catalog = await readCatalog(DEFAULT_CATALOG_PATH);
        await writeRosterTemplate({ path: flags.out, catalogCodes: catalog.map((c) => c.code) });
        ctx.out.info(`roster template written: ${flags.out}`);
        ctx.out.result({ template: flags.out });
        return EXIT.OK;
      }, cmd);
    });

  program
    .command('generate')
    .description('write a deterministic synthetic roster set (benchmarks, tests, training)')
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[args...]')
    .addHelpText('after', `\n${GENERATE_USAGE}`)
    .action(async (args: string[], _flags: unknown, cmd: Command) => {
      await run(async () => {
        const { generateCli } = await import('../../generate/cli.js');
        return generateCli(args);
      }, cmd);
    });
}
