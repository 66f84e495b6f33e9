/**
 * The one ZIP reader of the project (no dependencies): lists entries with their sizes from the
 * central directory before any decompression (zip-bomb guard), extracts small entries, and
 * streams one entry with a guard on its declared size. Workbooks are read by random access, an
 * entry at a time and several passes over a file (src/roster/read-xlsx.ts); the demo builder and
 * the tests use it too. yauzl 3.4.0 would do the same job at the same speed (measured
 * 2026-12-06: the 78 MB sheet of a 9.6 MB workbook listed and inflated in 0.27-0.94 s here,
 * 0.28-1.42 s with yauzl, 4 alternating runs on a shared machine), so this one is kept: no
 * dependency added, the hostile-input tests (test/security/hostile-corpus.test.ts) were built
 * against it, and it also reads a ZIP held in memory (the demo workbook, src/generate/demo.ts).
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Transform, pipeline } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the entry's central directory record starts. */
  centralHeaderOffset: number;
  /** General-purpose flags, CRC-32 and DOS date-time (date << 16 | time) of the entry. */
  flags: number;
  crc32: number;
  dosDateTime: number;
}

export class ZipFormatError extends Error {}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_CD_BYTES = 64 * 1024 * 1024;

/** Bytes of a ZIP file or of a ZIP in memory. */
interface ByteSource {
  size: number;
  read(position: number, length: number): Buffer;
}

function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: (position, length) => buf.subarray(position, position + length),
  };
}

function withFile<T>(path: string, fn: (src: ByteSource) => T): T {
  const fd = openSync(path, 'r');
  try {
    return fn({
      size: fstatSync(fd).size,
      read(position, length) {
        const buf = Buffer.alloc(length);
        const n = readSync(fd, buf, 0, length, position);
        return buf.subarray(0, n);
      },
    });
  } finally {
    closeSync(fd);
  }
}

function u64(buf: Buffer, offset: number): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('ZIP size field too large');
  return Number(v);
}

/** Lists the entries of a ZIP file (a path) or a ZIP in memory. Throws ZipFormatError. */
export function readZipDirectory(zip: string | Buffer): ZipEntry[] {
  return typeof zip === 'string' ? withFile(zip, listEntries) : listEntries(bufferSource(zip));
}

function listEntries(src: ByteSource): ZipEntry[] {
  const size = src.size;
  const tailLen = Math.min(size, 22 + 65535);
  const tailStart = size - tailLen;
  const tail = src.read(tailStart, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no ZIP end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR_SIG) {
      throw new ZipFormatError('ZIP64 locator missing');
    }
    const z64Offset = u64(tail, loc + 8);
    const z64 = src.read(z64Offset, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) {
      throw new ZipFormatError('ZIP64 end-of-central-directory record missing');
    }
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdSize > MAX_CD_BYTES) throw new ZipFormatError('ZIP central directory too large');
  if (cdOffset + cdSize > size) throw new ZipFormatError('ZIP central directory out of bounds');
  const cd = src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CD_SIG) {
      throw new ZipFormatError('corrupt ZIP central directory');
    }
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const dosDateTime = cd.readUInt16LE(p + 12) | (cd.readUInt16LE(p + 14) << 16);
    const crc32 = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information extra field.
    let e = p + 46 + nameLen;
    const end = e + extraLen;
    while (e + 4 <= end) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = u64(cd, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(cd, q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(cd, q);
      }
      e += 4 + len;
    }
    entries.push({
      name,
      method,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      centralHeaderOffset: cdOffset + p,
      flags,
      crc32,
      dosDateTime: dosDateTime >>> 0,
    });
    p = end + commentLen;
  }
  return entries;
}

/** Where an entry's data starts (after its local header). */
function dataStart(src: ByteSource, entry: ZipEntry): number {
  const header = src.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIG) {
    throw new ZipFormatError(`corrupt ZIP entry ${entry.name}`);
  }
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** Reads and decompresses one (small) entry, refusing more than `maxBytes` of output. */
export function readZipEntry(zip: string | Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  if (entry.uncompressedSize > maxBytes) throw new ZipFormatError(`${entry.name} is too large`);
  const read = (src: ByteSource): Buffer => {
    const data = src.read(dataStart(src, entry), entry.compressedSize);
    if (entry.method === 0) return Buffer.from(data);
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    throw new ZipFormatError(`unsupported compression method ${entry.method} for ${entry.name}`);
  };
  return typeof zip === 'string' ? withFile(zip, read) : read(bufferSource(zip));
}

/**
 * Streams one entry of a ZIP file, refusing more bytes than its directory declares or than
 * `maxBytes` (zip-bomb guard): the error ends the stream.
 */
export function openZipEntry(path: string, entry: ZipEntry, maxBytes: number): Readable {
  const start = withFile(path, (src) => dataStart(src, entry));
  const max = Math.min(entry.uncompressedSize, maxBytes);
  if (entry.compressedSize === 0) return Readable.from([]);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipFormatError(`unsupported compression method ${entry.method} for ${entry.name}`);
  }
  const file = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) {
        cb(
          new ZipFormatError(
            `${entry.name} expands to more than its declared ${max} bytes (damaged or malicious file)`,
          ),
        );
      } else cb(null, chunk);
    },
  });
  return entry.method === 8
    ? pipeline(file, createInflateRaw(), guard, () => undefined)
    : pipeline(file, guard, () => undefined);
}
