/** The text of every entry of an .xlsx, read with the project's ZIP reader (src/roster/zip.ts). */
import { readZipDirectory, readZipEntry } from '../../src/roster/zip.js';

export function readZipEntries(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readZipDirectory(path)) {
    out.set(entry.name, readZipEntry(path, entry, 1024 * 1024 * 1024).toString('utf8'));
  }
  return out;
}

/** The bytes of every entry of a ZIP file. */
export function readZipBuffers(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readZipDirectory(path)) {
    out.set(entry.name, readZipEntry(path, entry, 1024 * 1024 * 1024));
  }
  return out;
}
