/**
 * Header matching: a file's header row against a roster kind's columns (the kind's file contract,
 * src/roster/kinds/), with an optional user mapping (`--mapping FILE`). See docs/ROSTER-FORMAT.md.
 */
import { readFile } from 'node:fs/promises';
import type { RosterKind } from '../domain/types.js';
import { ROSTER_KINDS } from '../domain/types.js';
import { RosterFormatError } from '../errors.js';
import { COLUMNS, canonicalColumns, columnSpec } from './kinds/index.js';
import type { ColumnSpecs } from './kinds/kind.js';

/**
 * Header normalisation: case-insensitive, ignoring spaces, `_` and `-`, and a trailing `*` (how
 * the roster template marks required columns: `npi*`).
 */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/\s*\*+\s*$/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * A user mapping (`--mapping FILE`): their header -> canonical column name, either for all kinds
 * or per kind. A null target means "ignore this column".
 */
export interface ColumnMapping {
  global: Readonly<Record<string, string | null>>;
  byKind: Readonly<Partial<Record<RosterKind, Readonly<Record<string, string | null>>>>>;
}

export const EMPTY_MAPPING: ColumnMapping = { global: {}, byKind: {} };

/**
 * Validates a mapping object. Accepted shapes: `{"Their header": "npi", ...}` (applies to every
 * kind that has that column) or `{"pharmacies": {"Their header": "npi"}, ...}`, or both mixed.
 */
export function parseMapping(json: unknown, file: string): ColumnMapping {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RosterFormatError(
      file,
      'the column mapping must be a JSON object from your column header to a column name, e.g. {"Provider NPI": "npi"}',
    );
  }
  const allCanonical = new Set(ROSTER_KINDS.flatMap((k) => canonicalColumns(k)));
  const global: Record<string, string | null> = {};
  const byKind: Partial<Record<RosterKind, Record<string, string | null>>> = {};
  const checkTarget = (header: string, target: unknown, kind: RosterKind | null): string | null => {
    if (target === null) return null;
    if (typeof target !== 'string') {
      throw new RosterFormatError(
        file,
        `mapping for "${header}" must be a column name (text) or null, got ${JSON.stringify(target)}`,
      );
    }
    const valid = kind ? canonicalColumns(kind) : [...allCanonical];
    if (!valid.includes(target)) {
      throw new RosterFormatError(
        file,
        `mapping "${header}" -> "${target}": "${target}" is not a column${kind ? ` of ${kind}` : ''}; valid columns: ${valid.join(', ')}`,
      );
    }
    return target;
  };
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (
      (ROSTER_KINDS as readonly string[]).includes(key) &&
      typeof value === 'object' &&
      value !== null
    ) {
      const kind = key as RosterKind;
      const m: Record<string, string | null> = {};
      for (const [h, t] of Object.entries(value as Record<string, unknown>)) {
        m[h] = checkTarget(h, t, kind);
      }
      byKind[kind] = m;
    } else {
      global[key] = checkTarget(key, value, null);
    }
  }
  return { global, byKind };
}

export async function loadMapping(path: string): Promise<ColumnMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RosterFormatError(
      path,
      `cannot read the column mapping file: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RosterFormatError(
      path,
      `the column mapping is not valid JSON: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return parseMapping(json, path);
}

export interface HeaderMatch {
  /** Canonical column name -> original header. */
  columns: Record<string, string>;
  /** Canonical column name -> 0-based position in the header row. */
  positions: Record<string, number>;
  /** Original headers that match no column (ignored). */
  ignored: string[];
  /**
   * Ignored headers that are a near miss of a column or alias (a typo such as "Counties Servd"):
   * the import refuses the file unless the header is mapped or unknown columns are allowed.
   */
  nearMisses: { header: string; column: string }[];
}

/** Levenshtein distance, stopping early above `max` (returns max + 1 then). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The column a header that matches nothing was probably meant to be: within 1 edit of a column
 * name or alias (normalised: case, spaces, `_` and `-` ignored) for 4 to 7 characters, within 2
 * from 8 characters. Shorter headers, and headers ending in a digit ("Phone 2"), never are.
 */
export function nearMissColumn(kind: RosterKind, header: string): string | null {
  const norm = normalizeHeader(header);
  // A second column of the same thing ("Phone 2") is another column, not a typo.
  if (norm.length < 4 || /\d$/.test(norm)) return null;
  const max = norm.length >= 8 ? 2 : 1;
  let best: { column: string; d: number } | null = null;
  for (const [name, spec] of Object.entries(COLUMNS[kind] as ColumnSpecs)) {
    for (const candidate of [name, ...spec.aliases]) {
      const c = normalizeHeader(candidate);
      if (c.length < 4) continue;
      const d = editDistance(norm, c, max);
      if (d <= max && (best === null || d < best.d)) best = { column: name, d };
    }
  }
  return best?.column ?? null;
}

function describeColumn(kind: RosterKind, name: string): string {
  const spec = columnSpec(kind, name)!;
  return spec.aliases.length > 0 ? `${name} (or ${spec.aliases.join(', ')})` : name;
}

/**
 * Matches a header row to a kind's columns. Throws RosterFormatError on duplicate headers, two
 * headers giving the same column, or missing required columns.
 */
export function matchHeaders(
  kind: RosterKind,
  headers: readonly string[],
  file: string,
  mapping: ColumnMapping = EMPTY_MAPPING,
): HeaderMatch {
  const specs: ColumnSpecs = COLUMNS[kind];
  const byNorm = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    byNorm.set(normalizeHeader(name), name);
    for (const a of spec.aliases) byNorm.set(normalizeHeader(a), name);
  }
  const userMap = new Map<string, string | null>();
  for (const [h, t] of Object.entries(mapping.global)) {
    if (t === null || Object.hasOwn(specs, t)) userMap.set(normalizeHeader(h), t);
  }
  for (const [h, t] of Object.entries(mapping.byKind[kind] ?? {})) {
    userMap.set(normalizeHeader(h), t);
  }

  const columns: Record<string, string> = {};
  const positions: Record<string, number> = {};
  const ignored: string[] = [];
  const nearMisses: { header: string; column: string }[] = [];
  const seen = new Map<string, number>();
  headers.forEach((header, i) => {
    const norm = normalizeHeader(header);
    if (norm === '') return;
    const prev = seen.get(norm);
    if (prev !== undefined) {
      throw new RosterFormatError(
        file,
        `the column header "${header.trim()}" appears twice (columns ${prev + 1} and ${i + 1}); remove or rename one`,
      );
    }
    seen.set(norm, i);
    const target = userMap.has(norm) ? userMap.get(norm)! : (byNorm.get(norm) ?? null);
    if (target === null) {
      ignored.push(header);
      const near = userMap.has(norm) ? null : nearMissColumn(kind, header);
      if (near !== null) nearMisses.push({ header, column: near });
      return;
    }
    const other = positions[target];
    if (other !== undefined) {
      throw new RosterFormatError(
        file,
        `columns "${headers[other]!.trim()}" (column ${other + 1}) and "${header.trim()}" (column ${i + 1}) both give ${target}; keep only one`,
      );
    }
    columns[target] = header;
    positions[target] = i;
  });

  const missing = Object.entries(specs)
    .filter(([name, spec]) => spec.required && positions[name] === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new RosterFormatError(
      file,
      `${kind} roster is missing required column${missing.length > 1 ? 's' : ''}: ${missing
        .map((m) => describeColumn(kind, m))
        .join('; ')}. ${nearMisses
        .map((n) => `Column "${n.header.trim()}": did you mean ${n.column}? `)
        .join('')}Headers found: ${headers.filter((h) => h.trim() !== '').join(', ') || '(none)'}`,
    );
  }
  return { columns, positions, ignored, nearMisses };
}
