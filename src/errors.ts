/**
 * Typed errors and the exit codes they map to; the CLI maps them in one place (`main` in src/cli/main.ts).
 * 0 compliant / success, 1 non-compliant, 2 bad input or usage, 3 system failure, 4 incomplete
 * (the audit could not judge its scope: no verdict without data).
 */
export const EXIT = { OK: 0, NON_COMPLIANT: 1, BAD_INPUT: 2, SYSTEM: 3, INCOMPLETE: 4 } as const;

export class AuditError extends Error {
  readonly exitCode: number = EXIT.SYSTEM;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends AuditError {
  override readonly exitCode = EXIT.BAD_INPUT;
}

/** A file that cannot be read as a roster at all (empty, unknown kind, missing columns, binary...). */
export class RosterFormatError extends AuditError {
  override readonly exitCode = EXIT.BAD_INPUT;
  constructor(
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** An invalid policy or configuration file. */
export class ConfigError extends AuditError {
  override readonly exitCode = EXIT.BAD_INPUT;
}

/** Database unreachable, disk full, output not writable: the environment failed, not the input. */
export class SystemError extends AuditError {
  override readonly exitCode = EXIT.SYSTEM;
}

/** Another run holds the lock for this database. */
export class LockTimeoutError extends AuditError {
  override readonly exitCode = EXIT.SYSTEM;
}

/** The batch lock was taken over while this batch ran (it was paused or cut off for too long). */
export class LockLostError extends AuditError {
  override readonly exitCode = EXIT.SYSTEM;
}
