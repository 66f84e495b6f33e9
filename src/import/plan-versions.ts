/**
 * The versioning decision of an import, as a pure function: given the versions in force for a
 * roster kind and the records of every source (file or XLSX sheet) of that kind in one command,
 * what to insert, end and delete. The SQL writer (src/db/write-roster.ts) applies the plan.
 *
 * Rules (docs/ROSTER-FORMAT.md, "Snapshots"):
 * - the sources of one kind in one command are ONE snapshot: their records are merged (a key in
 *   two sources is a rejected row, decided before this function) and diffed against what is in
 *   force;
 * - a stored version whose key the batch lists with the same content stays; with other content it
 *   is replaced (ended, or deleted when it began on the as-of date, and a new version inserted);
 * - a stored version the batch does not list ends when its scope (plan, pharmacy...) is covered
 *   by the batch, unless: the command appends (`append`), a rejected row of the batch names its
 *   identity (it is present but unreadable, not removed), or a rejected row of a source covering
 *   its scope could not be read at all (`endDespiteRejects` overrides this last one);
 * - ended versions are counted against the first source of the batch that covers their scope,
 *   and per earlier import (the import that wrote them), so the summary can name that file.
 */
import type { IsoDate } from '../domain/types.js';

export interface StoredVersionInput {
  id: number;
  /** Natural key (VersionedTable.key form). */
  key: string;
  /** Scope value (VersionedTable.scopeColumns joined by '|'); null for unscoped kinds. */
  scope: string | null;
  /** Identity (VersionedTable.identityColumns joined by '|'): what a rejected row can name. */
  identity: string;
  validFrom: IsoDate;
  /**
   * The version's content: its non-key values as one comparable text (e.g. JSON), without the
   * columns the import fills from the as-of date (VersionedTable.asOfColumns: a CMS
   * membership's effective date), so a record listed again unchanged stays.
   */
  content: string;
  /** The import that wrote this version. */
  importId: number;
}

export interface BatchRecordInput<T> {
  record: T;
  key: string;
  scope: string | null;
  /** The record's content, as StoredVersionInput.content. */
  content: string;
  /** Index of the source (file or sheet) in the batch. */
  source: number;
}

export interface BatchSourceInput {
  /** Identities named by rejected rows whose identity could be read. */
  rejectedIdentities: ReadonlySet<string>;
  /** Rejected rows whose identity could not be read. */
  unreadableRejections: number;
}

export interface PlanVersionsOptions {
  asOf: IsoDate;
  /** Load without ending anything (a supplement listing only additions). */
  append: boolean;
  /** End what the batch does not list even when rejected rows could not be read. */
  endDespiteRejects: boolean;
  /** Whether absence from the batch ends a version at all (false: scope 'none'). */
  scoped: boolean;
}

export interface SourcePlan {
  /** New versions written (new records and changed ones). */
  inserted: number;
  /** Stored versions ended (or removed) because the batch no longer lists them. */
  ended: number;
  /** Stored versions replaced by a changed version from this source. */
  replaced: number;
  /** Records identical to the version in force. */
  unchanged: number;
  /** Stored versions not ended because of rejected rows. */
  keptForRejections: number;
}

export interface VersionPlan<T> {
  inserts: BatchRecordInput<T>[];
  /** Stored version ids to end at the as-of date. */
  closes: number[];
  /** Stored version ids begun on the as-of date and replaced or dropped: removed. */
  deletes: number[];
  perSource: SourcePlan[];
  /** Earlier import id -> its versions ended because the batch no longer lists them. */
  endedByImport: Map<number, number>;
  /** A stored version the batch touches that begins after the as-of date (rosters out of order). */
  later: IsoDate | null;
}

export function planVersions<T>(
  stored: readonly StoredVersionInput[],
  records: readonly BatchRecordInput<T>[],
  sources: readonly BatchSourceInput[],
  options: PlanVersionsOptions,
): VersionPlan<T> {
  const { asOf } = options;
  const perSource: SourcePlan[] = sources.map(() => ({
    inserted: 0,
    ended: 0,
    replaced: 0,
    unchanged: 0,
    keptForRejections: 0,
  }));
  const byKey = new Map<string, StoredVersionInput>();
  for (const s of stored) byKey.set(s.key, s);
  const plan: VersionPlan<T> = {
    inserts: [],
    closes: [],
    deletes: [],
    perSource,
    endedByImport: new Map(),
    later: null,
  };
  const retire = (s: StoredVersionInput): void => {
    if (s.validFrom > asOf) {
      if (plan.later === null || s.validFrom < plan.later) plan.later = s.validFrom;
      return;
    }
    (s.validFrom === asOf ? plan.deletes : plan.closes).push(s.id);
  };

  const listed = new Set<string>();
  // The first source covering each scope, and whether any source covering it had an unreadable
  // rejected row.
  const scopeOwner = new Map<string | null, number>();
  for (const r of records) {
    listed.add(r.key);
    if (!scopeOwner.has(r.scope)) scopeOwner.set(r.scope, r.source);
    const s = byKey.get(r.key);
    if (s && s.content === r.content && s.validFrom <= asOf) {
      perSource[r.source]!.unchanged++;
      continue;
    }
    if (s) {
      retire(s);
      perSource[r.source]!.replaced++;
    }
    plan.inserts.push(r);
    perSource[r.source]!.inserted++;
  }
  if (!options.scoped || options.append) return plan;

  const blockedScopes = new Set<string | null>();
  const rejectedIdentities = new Set<string>();
  sources.forEach((src, i) => {
    for (const id of src.rejectedIdentities) rejectedIdentities.add(id);
    if (src.unreadableRejections > 0 && !options.endDespiteRejects) {
      for (const r of records) if (r.source === i) blockedScopes.add(r.scope);
    }
  });
  for (const s of stored) {
    if (listed.has(s.key)) continue;
    const owner = scopeOwner.get(s.scope);
    if (owner === undefined) continue; // a scope the batch does not speak for
    if (rejectedIdentities.has(s.identity) || blockedScopes.has(s.scope)) {
      perSource[owner]!.keptForRejections++;
      continue;
    }
    retire(s);
    perSource[owner]!.ended++;
    plan.endedByImport.set(s.importId, (plan.endedByImport.get(s.importId) ?? 0) + 1);
  }
  return plan;
}

/** True when the plan changes nothing in the database. */
export function planIsEmpty(plan: VersionPlan<unknown>): boolean {
  return plan.inserts.length === 0 && plan.closes.length === 0 && plan.deletes.length === 0;
}
