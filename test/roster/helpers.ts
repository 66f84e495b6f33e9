import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { crc32 } from 'node:zlib';

/** A temporary folder removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeBytes(dir: string, name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Completes a 9-digit NPI stem with its Luhn check digit (80840 prefix). */
export function npi(stem9: string): string {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = Number(stem9[8 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return stem9 + String((10 - (sum % 10)) % 10);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export const CTX = {
  catalogCodes: new Set(['ABX_IV', 'A1PI', 'PN_TEMPORARY']),
  timeZone: 'America/New_York',
};

/** A ZIP archive of stored (uncompressed) entries, for files that are ZIPs but not workbooks. */
export function storedZip(
  entries: Record<string, string>,
  /** Lie about some entries' uncompressed size in the central directory. */
  declaredSizes: Record<string, number> = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declaredSizes[name] ?? data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet workbook with a shared strings table, built by hand (stored ZIP). */
export function workbook(options: {
  sheetName?: string;
  shared: string[];
  /** Rows of cells: `s:N` a shared-string cell with index text N, other text inline. */
  rows: string[][];
}): Buffer {
  const cell = (v: string, ref: string): string =>
    v.startsWith('s:')
      ? `<c r="${ref}" t="s"><v>${v.slice(2)}</v></c>`
      : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const rows = options.rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r.map((v, c) => cell(v, `${String.fromCharCode(65 + c)}${i + 1}`)).join('')}</row>`,
    )
    .join('');
  return storedZip({
    'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets><sheet name="${options.sheetName ?? 'plans'}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RNS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/sharedStrings.xml': `<sst xmlns="${NS}" count="${options.shared.length}" uniqueCount="${options.shared.length}">${options.shared.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`,
  });
}
