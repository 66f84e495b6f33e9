/**
 * Which roster kind a file or sheet holds: an explicit `--kind`, the CMS public file's header,
 * or the file stem / sheet name (`pharmacies.csv`, `Pharmacies`, `service-areas`, `coverage requests`).
 */
import { basename, extname } from 'node:path';
import type { RosterKind } from '../domain/types.js';
import { ROSTER_KINDS } from '../domain/types.js';
import { RosterFormatError } from '../errors.js';
import { normalizeHeader } from './headers.js';

/** Normalised names (lower case, no spaces/_/-) that name each kind. */
const KIND_NAMES: Readonly<Record<RosterKind, readonly string[]>> = {
  pharmacies: ['pharmacies', 'pharmacy', 'pharmacyroster', 'pharmacyrosters'],
  network: ['network', 'networks', 'networkmembership', 'networkmemberships', 'memberships'],
  capabilities: ['capabilities', 'capability', 'drugcapabilities', 'classcapabilities'],
  assurances: ['assurances', 'assurance', 'serviceassurances', 'ancillaryassurances'],
  plans: ['plans', 'plan'],
  service_areas: ['serviceareas', 'servicearea', 'serviceareacounties'],
  coverage_requests: ['coveragerequests', 'coveragerequest', 'requests', 'coveragedeterminations'],
  cms_network: ['cmsnetwork', 'cmsnetworks', 'cmspharmacynetwork', 'pharmacynetworks'],
  exceptions: ['exceptions', 'exception', 'exceptionsregister', 'auditexceptions'],
  enrollment: [
    'enrollment',
    'enrollments',
    'enrolment',
    'memberenrollment',
    'membersbyzip',
    'membercounts',
  ],
};

function kindList(): string {
  return ROSTER_KINDS.join(', ');
}

function normName(s: string): string {
  return normalizeHeader(s).replace(/[^a-z0-9]/g, '');
}

/** Validates an explicit kind (e.g. from `--kind`); accepts the same spellings as file names. */
export function parseKind(kind: string, file: string): RosterKind {
  const k = kindFromName(kind);
  if (!k) {
    throw new RosterFormatError(
      file,
      `"${kind}" is not a roster kind; the kinds are ${kindList()}`,
    );
  }
  return k;
}

/** Kind named by a file stem or sheet name, or null. */
export function kindFromName(name: string): RosterKind | null {
  const n = normName(name);
  if (n === '') return null;
  for (const kind of ROSTER_KINDS) if (KIND_NAMES[kind].includes(n)) return kind;
  // A name that contains exactly one kind name (e.g. "2026-11 pharmacies acme").
  const found = new Set<RosterKind>();
  for (const kind of ROSTER_KINDS) {
    for (const alias of KIND_NAMES[kind]) {
      if (alias.length >= 5 && n.includes(alias)) found.add(kind);
    }
  }
  // "cmsnetwork" also contains "network"; "pharmacynetworks" (CMS) contains "pharmacy".
  if (found.has('cms_network')) {
    found.delete('network');
    found.delete('pharmacies');
  }
  if (found.has('service_areas')) found.delete('network');
  return found.size === 1 ? [...found][0]! : null;
}

/** True when a header row is the CMS quarterly pharmacy network public file's. */
export function isCmsHeader(headers: readonly string[]): boolean {
  const set = new Set(headers.map((h) => normalizeHeader(h)));
  return ['contractid', 'planid', 'pharmacynumber', 'pharmacyzipcode'].every((h) => set.has(h));
}

export interface DetectKindInput {
  /** File path or name. */
  file: string;
  /** XLSX sheet name, or null for a CSV file. */
  sheet: string | null;
  headers: readonly string[];
  /** `--kind`, already validated. */
  explicit?: RosterKind | null;
  /** For XLSX: true when the workbook has only this one sheet to read (then the file name counts). */
  onlySheet?: boolean;
}

/**
 * Kind of a roster: explicit kind, then the CMS header, then the sheet name (XLSX), then the
 * file stem (CSV, or a workbook's only sheet). Throws RosterFormatError listing the kinds.
 */
export function detectKind(input: DetectKindInput): RosterKind {
  if (input.explicit) return input.explicit;
  if (isCmsHeader(input.headers)) return 'cms_network';
  const stem = basename(input.file, extname(input.file));
  if (input.sheet !== null) {
    const k = kindFromName(input.sheet);
    if (k) return k;
    if (input.onlySheet) {
      const s = kindFromName(stem);
      if (s) return s;
    }
    throw new RosterFormatError(
      input.file,
      `sheet "${input.sheet}": cannot tell which roster it is; name the sheet after its kind (${kindList()}), hide sheets that are not rosters, or pass --kind`,
    );
  }
  const k = kindFromName(stem);
  if (k) return k;
  throw new RosterFormatError(
    input.file,
    `cannot tell which roster this file is; name it after its kind (${kindList()}, e.g. pharmacies.csv) or pass --kind`,
  );
}

/**
 * A README sheet or file (`README`, `Read me`, `readme.txt`): instructions that travel with the
 * rosters, such as the template's first sheet; passed over, never read as a roster.
 */
export function isReadmeName(name: string): boolean {
  return /^read[ _-]?me(\.[A-Za-z0-9]+)?$/i.test(name.trim());
}
