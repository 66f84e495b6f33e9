/**
 * Atomic file output: write `<path>.tmp-<pid>`, then rename over the final name, so a reader never
 * sees a half-written report and a failed render leaves no partial file behind.
 */
import { rename, rm } from 'node:fs/promises';
import { SystemError } from '../errors.js';

export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/** Runs `write(tmpPath)`, then renames the temp file to `path`; removes the temp file on failure. */
export async function writeAtomically(
  path: string,
  write: (tmpPath: string) => Promise<void>,
): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
      throw new SystemError(`cannot write ${path}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
