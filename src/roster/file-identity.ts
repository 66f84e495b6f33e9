/**
 * What a roster file is while it is read: its size, modification time and inode before and after
 * each pass, and the SHA-256 of exactly the bytes a pass read. A file rewritten, appended to or
 * cut while it is read is refused (it would be stored as a snapshot it never was), and the hash
 * an import records is the hash of the bytes it parsed.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RosterFormatError } from '../errors.js';

export interface FileIdentity {
  size: bigint;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

/** A file's identity and the SHA-256 (hex) of its bytes, read in one pass under that identity. */
export interface FileFingerprint extends FileIdentity {
  sha256: string;
}

/** Why a path is not a file that can be read as a roster (a FIFO, a device, a socket), or null. */
export function notRegularReason(s: {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string | null {
  if (s.isFile()) return null;
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO), not a regular file';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device, not a regular file';
  if (s.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

/** The identity of a regular file (links followed); RosterFormatError for anything else. */
export async function identityOf(path: string): Promise<FileIdentity> {
  let s;
  try {
    s = await stat(path, { bigint: true });
  } catch (e) {
    throw new RosterFormatError(basename(path), `cannot read the file: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const reason = notRegularReason(s);
  if (reason !== null) throw new RosterFormatError(basename(path), `${reason}; not read`);
  return { size: s.size, mtimeNs: s.mtimeNs, ino: s.ino, dev: s.dev };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
}

export function changedWhileRead(path: string): RosterFormatError {
  return new RosterFormatError(
    basename(path),
    'the file changed while it was read (its size, modification time or bytes differ before and after): it is being written, uploaded or copied; import it again once the copy is complete',
  );
}

/**
 * The SHA-256 of a regular file, with its identity checked before and after the read. FIFOs,
 * devices and sockets are refused before anything is opened (a FIFO would block, /dev/zero would
 * never end).
 */
export async function fingerprintFile(path: string): Promise<FileFingerprint> {
  const before = await identityOf(path);
  const hash = createHash('sha256');
  let bytes = 0n;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += BigInt(chunk.length);
    if (bytes > before.size) throw changedWhileRead(path);
  }
  const after = await identityOf(path);
  if (!sameIdentity(before, after) || bytes !== before.size) throw changedWhileRead(path);
  return { ...before, sha256: hash.digest('hex') };
}

/**
 * Watches one full pass over a file: call `start()` before opening it, `update()` with every
 * chunk read from offset 0, `finish()` once the last chunk was read. `finish()` throws when the
 * file changed during the pass, or differs from `expected` (the fingerprint the import decided
 * on): then the bytes parsed are not the bytes hashed.
 */
export class ReadWatch {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0n;
  private before: FileIdentity | null = null;

  constructor(
    private readonly path: string,
    private readonly expected: FileFingerprint | null = null,
    /** Whether the pass reads every byte (the hash is then compared); false for random access. */
    private readonly hashes = true,
  ) {}

  async start(): Promise<void> {
    this.before = await identityOf(this.path);
    if (this.expected && !sameIdentity(this.before, this.expected))
      throw changedWhileRead(this.path);
  }

  update(chunk: Buffer): void {
    if (!this.hashes) return;
    this.hash.update(chunk);
    this.bytes += BigInt(chunk.length);
  }

  /** Whether the file is no longer what it was when the pass started. */
  async changed(): Promise<boolean> {
    if (!this.before) return false;
    try {
      return !sameIdentity(this.before, await identityOf(this.path));
    } catch {
      return true;
    }
  }

  /** The SHA-256 of the bytes read; throws if the file changed during the pass. */
  async finish(): Promise<string | null> {
    if (await this.changed()) throw changedWhileRead(this.path);
    if (!this.hashes) return null;
    const digest = this.hash.digest('hex');
    if (this.before && this.bytes !== this.before.size) throw changedWhileRead(this.path);
    if (this.expected && digest !== this.expected.sha256) throw changedWhileRead(this.path);
    return digest;
  }
}
