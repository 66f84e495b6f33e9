/**
 * Pictures placed on one sheet of a finished .xlsx package. exceljs's streaming WorkbookWriter
 * cannot place pictures, so the workbook is streamed first and then copied once into a new
 * package with the picture parts added:
 *
 * - `xl/media/<name>.png` for each picture (stored: PNG is compressed already),
 * - `xl/drawings/drawingN.xml` anchoring them (one-cell anchors with their size in EMU) and its
 *   relationships `xl/drawings/_rels/drawingN.xml.rels`,
 * - the sheet's `<drawing r:id>` element and its relationship in
 *   `xl/worksheets/_rels/sheetK.xml.rels`,
 * - `[Content_Types].xml`: the `png` default and the drawing's override.
 *
 * Every other entry is copied as it is, compressed bytes and all, in chunks: the workbook is never
 * held in memory, and each picture is rendered only when it is written. Only the few small parts
 * that change ([Content_Types].xml, the sheet, its relationships) are read whole, and each is
 * refused above MAX_PART_BYTES.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { SystemError } from '../errors.js';
import { readZipDirectory, readZipEntry } from '../roster/zip.js';
import type { ZipEntry } from '../roster/zip.js';

/** One picture on the sheet. */
export interface SheetPicture {
  /** Top-left cell, 0-based row and column. */
  row: number;
  col: number;
  /** Size shown, in pixels at 96 dpi. */
  widthPx: number;
  heightPx: number;
  /** Shape name and alternative text (what a screen reader says). */
  name: string;
  description: string;
  /** The PNG's bytes (awaited when the picture is written). */
  png: Promise<Buffer>;
}

/** Largest part read whole: [Content_Types].xml, the workbook, the sheet and its relationships. */
const MAX_PART_BYTES = 32 * 1024 * 1024;
const COPY_CHUNK = 1024 * 1024;
const EMU_PER_PX = 9525;
const LIMIT32 = 0xffffffff;

const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_DRAWING = `${NS_REL}/drawing`;
const REL_IMAGE = `${NS_REL}/image`;
const CT_DRAWING = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

// ------------------------------------------------------------------------------------------------
// XML of the parts

function xmlAttr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function attrOf(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function drawingXml(pictures: readonly SheetPicture[]): string {
  const anchors = pictures.map((p, i) => {
    const cx = Math.round(p.widthPx * EMU_PER_PX);
    const cy = Math.round(p.heightPx * EMU_PER_PX);
    return (
      `<xdr:oneCellAnchor><xdr:from><xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff>` +
      `<xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
      `<xdr:ext cx="${cx}" cy="${cy}"/>` +
      `<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${i + 2}" name="${xmlAttr(p.name)}" descr="${xmlAttr(p.description)}"/>` +
      `<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>` +
      `<xdr:blipFill><a:blip r:embed="rId${i + 1}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>` +
      `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>` +
      `<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>` +
      `<xdr:clientData/></xdr:oneCellAnchor>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ` +
    `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${NS_REL}">` +
    anchors.join('') +
    `</xdr:wsDr>`
  );
}

function relationshipsXml(rels: readonly { id: string; type: string; target: string }[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    rels
      .map(
        (r) =>
          `<Relationship Id="${xmlAttr(r.id)}" Type="${r.type}" Target="${xmlAttr(r.target)}"/>`,
      )
      .join('') +
    `</Relationships>`
  );
}

/** Adds one Relationship to a .rels part (or makes the part), with an Id not yet used. */
function addRelationship(
  relsXml: string | undefined,
  type: string,
  target: string,
): { xml: string; id: string } {
  if (relsXml === undefined) {
    return { xml: relationshipsXml([{ id: 'rId1', type, target }]), id: 'rId1' };
  }
  const used = new Set<string>();
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attrOf(m[0], 'Id');
    if (id !== undefined) used.add(id);
  }
  let n = used.size + 1;
  while (used.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const end = relsXml.lastIndexOf('</Relationships>');
  if (end < 0) throw new SystemError('workbook relationships part has no </Relationships>');
  const rel = `<Relationship Id="${id}" Type="${type}" Target="${xmlAttr(target)}"/>`;
  return { xml: relsXml.slice(0, end) + rel + relsXml.slice(end), id };
}

/** Elements a worksheet may hold after <drawing>, in schema order (CT_Worksheet). */
const AFTER_DRAWING = [
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

/** The sheet's XML with `<drawing r:id>` at its place in the schema's order. */
function withDrawingElement(sheetXml: string, rId: string): string {
  if (/<drawing\b/.test(sheetXml)) throw new SystemError('the sheet has a drawing already');
  let at = sheetXml.lastIndexOf('</worksheet>');
  if (at < 0) throw new SystemError('the sheet has no </worksheet>');
  for (const name of AFTER_DRAWING) {
    const m = new RegExp(`<${name}[\\s/>]`).exec(sheetXml);
    if (m && m.index < at) at = m.index;
  }
  let xml = sheetXml.slice(0, at) + `<drawing r:id="${rId}"/>` + sheetXml.slice(at);
  const root = /<worksheet\b[^>]*>/.exec(xml);
  if (!root) throw new SystemError('the sheet has no <worksheet> element');
  if (!/\sxmlns:r\s*=/.test(root[0])) {
    const tag = root[0].replace(/<worksheet\b/, `<worksheet xmlns:r="${NS_REL}"`);
    xml = xml.slice(0, root.index) + tag + xml.slice(root.index + root[0].length);
  }
  return xml;
}

function withContentTypes(xml: string, drawingPart: string): string {
  const end = xml.lastIndexOf('</Types>');
  if (end < 0) throw new SystemError('[Content_Types].xml has no </Types>');
  let add = '';
  const pngDefault = [...xml.matchAll(/<Default\b[^>]*>/g)].some(
    (m) => attrOf(m[0], 'Extension')?.toLowerCase() === 'png',
  );
  if (!pngDefault) add += `<Default Extension="png" ContentType="image/png"/>`;
  add += `<Override PartName="/${drawingPart}" ContentType="${CT_DRAWING}"/>`;
  return xml.slice(0, end) + add + xml.slice(end);
}

/** The package path of a relationship target, relative to the folder of `fromPart`. */
function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = fromPart.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

// ------------------------------------------------------------------------------------------------
// ZIP writing

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Written {
  name: Buffer;
  flags: number;
  method: number;
  dosDateTime: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

class ZipOut {
  private position = 0;
  readonly written: Written[] = [];

  constructor(private readonly fh: FileHandle) {}

  private async write(buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }

  private async header(e: Omit<Written, 'offset'>): Promise<void> {
    if (this.position >= LIMIT32 || e.compressedSize >= LIMIT32 || e.uncompressedSize >= LIMIT32) {
      throw new SystemError('the workbook is too large (4 GB) to add its pictures');
    }
    this.written.push({ ...e, offset: this.position });
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt32LE(e.dosDateTime >>> 0, 10);
    h.writeUInt32LE(e.crc32 >>> 0, 14);
    h.writeUInt32LE(e.compressedSize, 18);
    h.writeUInt32LE(e.uncompressedSize, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([h, e.name]));
  }

  /** A new entry from bytes: deflated, or stored when `store`. */
  async add(name: string, data: Buffer, dosDateTime: number, store = false): Promise<void> {
    const body = store ? data : deflateRawSync(data);
    await this.header({
      name: Buffer.from(name, 'utf8'),
      flags: 0x0800,
      method: store ? 0 : 8,
      dosDateTime,
      crc32: crc32(data),
      compressedSize: body.length,
      uncompressedSize: data.length,
    });
    await this.write(body);
  }

  /** An entry of `src` copied as it is (compressed bytes), without its data descriptor. */
  async copy(src: FileHandle, e: ZipEntry): Promise<void> {
    const local = Buffer.alloc(30);
    await src.read(local, 0, 30, e.localHeaderOffset);
    if (local.readUInt32LE(0) !== 0x04034b50) {
      throw new SystemError(`corrupt workbook entry ${e.name}`);
    }
    let from = e.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    await this.header({
      name: Buffer.from(e.name, 'utf8'),
      flags: (e.flags & ~0x0008) | 0x0800,
      method: e.method,
      dosDateTime: e.dosDateTime,
      crc32: e.crc32,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
    });
    const buf = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(1, e.compressedSize)));
    let left = e.compressedSize;
    while (left > 0) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, left), from);
      if (bytesRead === 0) throw new SystemError(`workbook entry ${e.name} is cut short`);
      await this.write(buf.subarray(0, bytesRead));
      from += bytesRead;
      left -= bytesRead;
    }
  }

  /** The central directory and its end record. */
  async finish(): Promise<void> {
    const start = this.position;
    const records: Buffer[] = [];
    for (const e of this.written) {
      const r = Buffer.alloc(46);
      r.writeUInt32LE(0x02014b50, 0);
      r.writeUInt16LE(20, 4);
      r.writeUInt16LE(20, 6);
      r.writeUInt16LE(e.flags, 8);
      r.writeUInt16LE(e.method, 10);
      r.writeUInt32LE(e.dosDateTime >>> 0, 12);
      r.writeUInt32LE(e.crc32 >>> 0, 16);
      r.writeUInt32LE(e.compressedSize, 20);
      r.writeUInt32LE(e.uncompressedSize, 24);
      r.writeUInt16LE(e.name.length, 28);
      r.writeUInt32LE(e.offset, 42);
      records.push(r, e.name);
    }
    await this.write(Buffer.concat(records));
    const size = this.position - start;
    if (this.written.length > 0xffff || this.position >= LIMIT32) {
      throw new SystemError('the workbook has too many parts (or bytes) to add its pictures');
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.written.length, 8);
    end.writeUInt16LE(this.written.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
  }
}

// ------------------------------------------------------------------------------------------------

/**
 * Copies the package `from` to `to` (a new file, created 0600) with `pictures` placed on the sheet
 * named `sheetName`. With no pictures, `to` is a plain copy of the entries.
 */
export async function addSheetPictures({
  from,
  to,
  sheetName,
  pictures,
}: {
  from: string;
  to: string;
  sheetName: string;
  pictures: readonly SheetPicture[];
}): Promise<void> {
  const entries = readZipDirectory(from);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
  const text = async (name: string): Promise<string | undefined> => {
    const e = byName.get(name);
    return e ? readZipEntry(from, e, MAX_PART_BYTES).toString('utf8') : undefined;
  };
  const need = async (name: string): Promise<string> => {
    const t = await text(name);
    if (t === undefined) throw new SystemError(`the workbook has no ${name}`);
    return t;
  };

  // The sheet's part, through the workbook and its relationships.
  const workbook = await need('xl/workbook.xml');
  const sheetTag = [...workbook.matchAll(/<sheet\b[^>]*>/g)]
    .map((m) => m[0])
    .find((tag) => unescapeXml(attrOf(tag, 'name') ?? '') === sheetName);
  const sheetRel = sheetTag === undefined ? undefined : attrOf(sheetTag, 'r:id');
  if (sheetRel === undefined) throw new SystemError(`the workbook has no sheet ${sheetName}`);
  const wbRels = await need('xl/_rels/workbook.xml.rels');
  const relTag = [...wbRels.matchAll(/<Relationship\b[^>]*>/g)]
    .map((m) => m[0])
    .find((tag) => attrOf(tag, 'Id') === sheetRel);
  const target = relTag === undefined ? undefined : attrOf(relTag, 'Target');
  if (target === undefined) throw new SystemError(`the sheet ${sheetName} has no part`);
  const sheetPart = resolveTarget('xl/workbook.xml', unescapeXml(target));
  const sheetRelsPart = relsPathOf(sheetPart);

  let n = 1;
  while (byName.has(`xl/drawings/drawing${n}.xml`)) n++;
  const drawingPart = `xl/drawings/drawing${n}.xml`;
  // Letters and digits only: exceljs's reader skips media with other characters in the name.
  let k = 1;
  const media = pictures.map(() => {
    while (byName.has(`xl/media/map${k}.png`)) k++;
    return `xl/media/map${k++}.png`;
  });

  const sheetRels = addRelationship(
    await text(sheetRelsPart),
    REL_DRAWING,
    `../drawings/drawing${n}.xml`,
  );
  const replaced = new Map<string, string>();
  if (pictures.length > 0) {
    replaced.set(sheetPart, withDrawingElement(await need(sheetPart), sheetRels.id));
    replaced.set(sheetRelsPart, sheetRels.xml);
    replaced.set(
      '[Content_Types].xml',
      withContentTypes(await need('[Content_Types].xml'), drawingPart),
    );
  }

  const src = await open(from, 'r');
  let out: FileHandle | null = null;
  try {
    out = await open(to, 'wx', 0o600);
    const zip = new ZipOut(out);
    const time = entries[0]?.dosDateTime ?? 0x00210000;
    for (const e of [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)) {
      const name = e.name.replace(/^\//, '');
      const changed = replaced.get(name);
      if (changed === undefined) {
        await zip.copy(src, e);
      } else {
        await zip.add(name, Buffer.from(changed, 'utf8'), e.dosDateTime);
        replaced.delete(name);
      }
    }
    // Parts that are new (the sheet's relationships when it had none).
    for (const [name, xml] of replaced) await zip.add(name, Buffer.from(xml, 'utf8'), time);
    if (pictures.length > 0) {
      await zip.add(drawingPart, Buffer.from(drawingXml(pictures), 'utf8'), time);
      const rels = media.map((m, i) => ({
        id: `rId${i + 1}`,
        type: REL_IMAGE,
        target: `../media/${m.slice('xl/media/'.length)}`,
      }));
      await zip.add(relsPathOf(drawingPart), Buffer.from(relationshipsXml(rels), 'utf8'), time);
      for (let i = 0; i < pictures.length; i++) {
        await zip.add(media[i]!, await pictures[i]!.png, time, true);
      }
    }
    await zip.finish();
  } finally {
    await src.close();
    if (out !== null) await out.close();
  }
}
