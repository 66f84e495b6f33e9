import { AuditError, EXIT } from '../errors.js';

/** The input contradicts what the database holds (e.g. an older roster after a newer one). */
export class InputConflictError extends AuditError {
  override readonly exitCode = EXIT.BAD_INPUT;
}
