import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { createContext, type GlobalFlags } from '../context.js';
import { redactConfig } from '../../config/config.js';

export function registerDb(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  const db = program.command('db').description('database status and migrations');
  db.command('status')
    .description('which migrations are applied and pending; whether any applied one was edited')
    .action(async (flags: GlobalFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        const [{ openDatabase }, { checkFailedMigrations, readMigrationStatus }] =
          await Promise.all([import('../../db/connect.js'), import('../../db/migrate.js')]);
        const handle = await openDatabase({
          url: ctx.config.database,
          migrate: false,
          readOnlyOk: true,
        });
        try {
          const status = await readMigrationStatus(handle.sql);
          const failed = await checkFailedMigrations(handle.sql);
          ctx.out.info(`database: ${handle.target.display} (${handle.target.provider})`);
          if (handle.readOnly)
            ctx.out.warn(
              'the database file is read-only: opened as it is (pending migrations cannot be applied)',
            );
          ctx.out.info(`applied: ${status.applied.length ? status.applied.join(', ') : 'none'}`);
          ctx.out.info(`pending: ${status.pending.length ? status.pending.join(', ') : 'none'}`);
          if (status.edited.length)
            ctx.out.warn(
              `edited after being applied (checksum differs): ${status.edited.join(', ')}; put the files back as they were applied`,
            );
          for (const f of failed) {
            ctx.out.warn(
              f.nothingApplied
                ? `failed: ${f.name} (it applied nothing; the next command or \`db migrate\` applies it again)`
                : `failed: ${f.name}${f.detail ? ` (${f.detail})` : ''}; restore the database from a backup or fix it by hand`,
            );
          }
          if (status.unknown.length)
            ctx.out.warn(`applied by a newer version of this tool: ${status.unknown.join(', ')}`);
          ctx.out.result({
            database: handle.target.display,
            provider: handle.target.provider,
            ...status,
            retryable: failed.filter((f) => f.nothingApplied).map((f) => f.name),
          });
          // A failed migration that applied nothing is as good as pending.
          const healthy = failed.every((f) => f.nothingApplied) && status.edited.length === 0;
          return healthy ? EXIT.OK : EXIT.SYSTEM;
        } finally {
          await handle.close();
        }
      }, cmd);
    });
  db.command('migrate')
    .description('apply pending migrations (every command also does this itself)')
    .action(async (flags: GlobalFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        const [{ openDatabase }, { readMigrationStatus }] = await Promise.all([
          import('../../db/connect.js'),
          import('../../db/migrate.js'),
        ]);
        const before = await openDatabase({
          url: ctx.config.database,
          migrate: false,
        });
        const pending = (await readMigrationStatus(before.sql)).pending;
        await before.close();
        const handle = await openDatabase({ url: ctx.config.database });
        await handle.close();
        ctx.out.info(pending.length ? `applied: ${pending.join(', ')}` : 'database is up to date');
        ctx.out.result({ database: handle.target.display, applied: pending });
        return EXIT.OK;
      }, cmd);
    });

  program
    .command('config')
    .description('print the effective configuration (passwords redacted)')
    .action(async (flags: GlobalFlags, cmd: Command) => {
      await run(async (globals) => {
        const ctx = createContext({ ...globals, ...flags });
        const redacted = redactConfig(ctx.config);
        if (ctx.out.opts.json) ctx.out.result(redacted);
        else process.stdout.write(`${JSON.stringify(redacted, null, 2)}\n`);
        return EXIT.OK;
      }, cmd);
    });
}
