/**
 * The command line. Typed errors map to exit codes here and nowhere else:
 * 0 compliant/success, 1 non-compliant, 2 bad input or usage, 3 system failure,
 * 4 incomplete (the audit could not judge its scope).
 */
import { Command, CommanderError } from 'commander';
import { AuditError, EXIT } from '../errors.js';
import { redactSecrets } from '../db/url.js';
import { TOOL_VERSION } from '../version.js';
import { commandOutput, committedSoFar, databaseTargetInUse, type GlobalFlags } from './context.js';
import { registerAudit } from './commands/audit.js';
import { registerDb } from './commands/db.js';
import { registerHistory } from './commands/history.js';
import { registerImport } from './commands/import.js';
import { registerMore } from './commands/index.js';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('infusion-audit')
    .description(
      "Audits a Medicare Part D sponsor's home infusion pharmacy network (CMS home infusion letter; 42 CFR 423.120(a)(4))",
    )
    .version(TOOL_VERSION)
    .option(
      '--db <url>',
      'database: file:path.db (SQLite, default file:./data/infusion-audit.db) or postgresql://...',
    )
    .option('--config <file>', 'configuration file (default ./infusion-audit.config.json)')
    .option(
      '--policy <file>',
      'audit policy (JSON): thresholds, severities, failOn; see docs/RULES.md',
    )
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'print only errors')
    .option('--log-format <format>', 'human or json (one JSON line per event on stderr)')
    .showHelpAfterError()
    .exitOverride();

  const run = async (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command): Promise<void> => {
    const globals = cmd.optsWithGlobals<GlobalFlags>();
    if (
      globals.logFormat !== undefined &&
      globals.logFormat !== 'human' &&
      globals.logFormat !== 'json'
    ) {
      process.stderr.write(`error: --log-format must be human or json\n`);
      setExit(EXIT.BAD_INPUT);
      return;
    }
    setExit(await fn(globals));
  };
  registerImport(program, run);
  registerAudit(program, run);
  registerHistory(program, run);
  registerDb(program, run);
  registerMore(program, run);
  return program;
}

/**
 * Files this tool creates hold PHI (the database, reports, rejected rows): owner only, 0600
 * for files and 0700 for folders, whatever the umask it was started with (docs/OPERATIONS.md).
 */
export const FILE_CREATION_MASK = 0o077;

/** The SQLITE_* code of a driver error in the error or its causes, or null. */
function sqliteErrorCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; e !== null && e !== undefined && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * SIGTERM (systemd stop, a timeout) or SIGINT: one log line saying what was stored and that the
 * transaction under way is rolled back, then the default action (the process ends by that signal; the
 * database rolls back the open transaction, the next batch takes the lock and cleans up).
 */
function logOnSignal(argv: readonly string[]): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const done = committedSoFar();
    commandOutput(argv).error(
      `stopped by ${signal}: what was committed before now is kept${done.length > 0 ? ` (${done.join('; ')})` : ''}; the transaction under way is rolled back (rerun the command)`,
      { signal },
    );
    process.kill(process.pid, signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

export async function main(argv: string[]): Promise<number> {
  process.umask(FILE_CREATION_MASK);
  logOnSignal(argv);
  let exitCode: number = EXIT.OK;
  const program = buildProgram((c) => {
    exitCode = c;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (caught) {
    if (caught instanceof CommanderError) {
      // help and version exit 0; usage errors 2 (commander already printed the message)
      return caught.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    let err = caught;
    const target = databaseTargetInUse();
    const done = committedSoFar();
    if (target?.provider === 'postgresql') {
      // Loaded here, not at start-up: only commands that opened a database get this far with one.
      const { describeConnectionLoss, isConnectionLoss } = await import('../db/connect.js');
      if (
        isConnectionLoss(err) &&
        !(err instanceof AuditError && err.message.includes(target.host ?? '\0'))
      ) {
        err = describeConnectionLoss(target, err, done);
      }
    }
    let message = redactSecrets(err instanceof Error ? err.message : String(err));
    const sqliteCode = target?.provider === 'sqlite' ? sqliteErrorCode(err) : null;
    if (sqliteCode && target?.filePath && !message.includes(target.filePath)) {
      // The driver's messages name no file: say which database.
      message += ` (SQLite database ${target.filePath}, ${sqliteCode})`;
    }
    if (done.length > 0 && !message.includes('already stored')) {
      message += ` (already stored and kept: ${done.join('; ')})`;
    }
    const code = err instanceof AuditError ? err.exitCode : EXIT.SYSTEM;
    const out = commandOutput(argv);
    out.error(message, { exitCode: code });
    if (!(err instanceof AuditError) && err instanceof Error && process.env.INFUSION_AUDIT_DEBUG) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
    return code;
  }
}
