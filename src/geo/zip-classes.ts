/**
 * The urban / suburban / rural class of each ZIP, for the Part D retail convenient-access
 * standard (42 CFR 423.120(a)(1), RETAIL-ACCESS). CMS applies the TRICARE definitions by ZIP
 * population density (urban > 3,000 persons per square mile, suburban 1,000-3,000, rural
 * < 1,000; see docs/RULES.md). The tool ships no classification: the sponsor supplies CMS's (its
 * PBM has it) as a CSV file named by the policy's `retailAccess.zipClassesFile`:
 *
 *   # as of: 2026-01-01          (optional: the date of the classification, shown in the report)
 *   zip,class
 *   60602,urban
 *   60101,suburban
 *
 * Classes are urban, suburban or rural (any case; U, S and R too). Lines starting with # are
 * comments. Any other problem (bad ZIP, unknown class, a ZIP listed twice with two classes) fails
 * the audit with the file's name, line and reason: a wrong classification is never used quietly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ZIP_CLASSES, type ZipClass, type ZipClassTable } from '../domain/types.js';
import { ConfigError } from '../errors.js';

const SHORT: Readonly<Record<string, ZipClass>> = { u: 'urban', s: 'suburban', r: 'rural' };

function classOf(v: string): ZipClass | null {
  const x = v.trim().toLowerCase();
  if ((ZIP_CLASSES as readonly string[]).includes(x)) return x as ZipClass;
  return SHORT[x] ?? null;
}

/** Parses a ZIP class file's text; `source` names it in errors and in the report. */
export function parseZipClasses(text: string, source: string, sha256 = ''): ZipClassTable {
  const classes = new Map<string, ZipClass>();
  const problems: string[] = [];
  let asOf: string | null = null;
  let header = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*as of:\s*(\d{4}-\d{2}-\d{2})\s*$/i.exec(line);
      if (m) asOf = m[1]!;
      continue;
    }
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (!header) {
      header = true;
      if (cells[0]?.toLowerCase() === 'zip' && cells[1]?.toLowerCase() === 'class') continue;
      problems.push(`line ${i + 1}: the header must be "zip,class", got "${line}"`);
      break;
    }
    const [zip = '', cls = ''] = cells;
    const zip5 = /^\d{5}$/.test(zip) ? zip : /^\d{3,4}$/.test(zip) ? zip.padStart(5, '0') : null;
    const c = classOf(cls);
    if (zip5 === null) problems.push(`line ${i + 1}: "${zip}" is not a 5-digit ZIP`);
    else if (c === null)
      problems.push(`line ${i + 1}: "${cls}" is not a class (urban, suburban or rural)`);
    else {
      const known = classes.get(zip5);
      if (known !== undefined && known !== c)
        problems.push(`line ${i + 1}: ZIP ${zip5} is listed as both ${known} and ${c}`);
      classes.set(zip5, c);
    }
    if (problems.length >= 5) break;
  }
  if (!header && problems.length === 0) problems.push('the file is empty (no "zip,class" header)');
  if (problems.length > 0) {
    throw new ConfigError(`ZIP class file ${source}: ${problems.join('; ')}`);
  }
  return { source, sha256, asOf, classes };
}

/** Reads the ZIP class file the policy names. */
export function loadZipClasses(path: string): ZipClassTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(`ZIP class file ${path}: cannot read: ${reason}`, { cause: err });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return parseZipClasses(bytes.toString('utf8'), basename(path), sha256);
}
