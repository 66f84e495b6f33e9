/**
 * Minimal ZIP central-directory reader (no dependencies): lists entries with their sizes before
 * any decompression (zip-bomb guard) and extracts small entries (the workbook's sheet list).
 */
import { open, stat } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
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

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function u64(buf: Buffer, offset: number): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('ZIP size field too large');
  return Number(v);
}

/** Lists the entries of a ZIP file from its central directory. Throws ZipFormatError. */
export async function readZipDirectory(path: string): Promise<ZipEntry[]> {
  const size = (await stat(path)).size;
  const tailLen = Math.min(size, 22 + 65535);
  const tailStart = size - tailLen;
  const tail = await readAt(path, tailStart, tailLen);
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
    const z64 = await readAt(path, z64Offset, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) {
      throw new ZipFormatError('ZIP64 end-of-central-directory record missing');
    }
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdSize > MAX_CD_BYTES) throw new ZipFormatError('ZIP central directory too large');
  if (cdOffset + cdSize > size) throw new ZipFormatError('ZIP central directory out of bounds');
  const cd = await readAt(path, cdOffset, cdSize);
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
      flags,
      crc32,
      dosDateTime: dosDateTime >>> 0,
    });
    p = end + commentLen;
  }
  return entries;
}

/** Reads and decompresses one (small) entry, refusing more than `maxBytes` of output. */
export async function readZipEntry(
  path: string,
  entry: ZipEntry,
  maxBytes: number,
): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw new ZipFormatError(`${entry.name} is too large`);
  const header = await readAt(path, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIG) {
    throw new ZipFormatError(`corrupt ZIP entry ${entry.name}`);
  }
  const dataStart =
    entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = await readAt(path, dataStart, entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  throw new ZipFormatError(`unsupported compression method ${entry.method} for ${entry.name}`);
}
