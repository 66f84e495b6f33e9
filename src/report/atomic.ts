/**
 * Atomic file output: each file is written inside a fresh private temporary folder beside its
 * final name (`.<name>.tmp-<pid>-XXXXXX/`, created by mkdtemp with a random suffix), then renamed
 * over the final name. So a reader never sees a half-written report, a failed or killed render
 * leaves no partial file under the final name, and nothing planted in the output folder (say a
 * symbolic link at a predictable temporary name) can make the writer overwrite another file.
 * Temporary folders left by a killed process are removed by the next render in that folder.
 */
import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { faultPoint } from '../config/fault.js';
import { SystemError } from '../errors.js';
import { processAlive } from '../util/process-alive.js';

const STALE_MS = 24 * 60 * 60 * 1000;
const TEMP_DIR = /^\..+\.tmp-(\d+)-[A-Za-z0-9]{6}$/;

function systemError(path: string, err: unknown): unknown {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
    return new SystemError(`cannot write ${path}: ${err.message}`, { cause: err });
  }
  return err;
}

/**
 * Runs `write(tmpPath)` (tmpPath is inside a new private folder), then renames the file to
 * `path`; removes the temporary folder however it ends. File-system errors become SystemError.
 */
export async function writeAtomically(
  path: string,
  write: (tmpPath: string) => Promise<void>,
): Promise<void> {
  const name = basename(path);
  let dir: string | null = null;
  try {
    dir = await mkdtemp(join(dirname(path), `.${name}.tmp-${process.pid}-`));
    const tmp = join(dir, name);
    await write(tmp);
    faultPoint(`rename:${name.slice(name.lastIndexOf('.') + 1)}`);
    await rename(tmp, path);
  } catch (err) {
    throw systemError(path, err);
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * writeAtomically for a writer that writes to a stream (exceljs, the chunk writer): the file's
 * own error (disk full: ENOSPC, EFBIG) ends the write at once. Without this, a writer that waits
 * for the stream to drain or finish waits for ever once the stream has failed (exceljs's commit
 * never settles: the process hung, or exited 13 with nothing printed). The file is created 0600.
 */
export async function writeStreamAtomically(
  path: string,
  write: (stream: Writable) => Promise<void>,
): Promise<void> {
  await writeAtomically(path, (tmp) => writeStreamToFile(tmp, write));
}

/**
 * Creates the file `path` (0600) and runs `write(stream)` on it, ended when the file's own error
 * (ENOSPC, EFBIG) happens, as writeStreamAtomically does; for a file inside writeAtomically's
 * private folder that is written in more than one step.
 */
export async function writeStreamToFile(
  path: string,
  write: (stream: Writable) => Promise<void>,
): Promise<void> {
  const stream = createWriteStream(path, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined); // handled by the races below
  try {
    await Promise.race([write(stream), failed]);
    if (!stream.writableEnded) stream.end();
    await Promise.race([finished(stream), failed]);
  } finally {
    if (!stream.closed) stream.destroy();
  }
}

/** Copies `from` to `path` atomically (e.g. reports/latest.xlsx). */
export async function copyAtomically(from: string, path: string): Promise<void> {
  await writeAtomically(path, (tmp) => copyFile(from, tmp));
}

/**
 * Removes the temporary folders of `writeAtomically` left in `dir` by a process that was killed:
 * those whose process is gone, or older than a day. Never touches anything else.
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const m = TEMP_DIR.exec(e.name);
    if (!m || !e.isDirectory()) continue;
    const path = join(dir, e.name);
    const info = await stat(path).catch(() => null);
    const old = info !== null && Date.now() - info.mtimeMs > STALE_MS;
    if (processAlive(Number(m[1])) && !old) continue;
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}
