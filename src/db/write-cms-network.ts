/**
 * Streaming write of the CMS pharmacy network files of one command (up to millions of rows) as
 * ONE snapshot in ONE transaction, with the same results as writeRosterBatch on CMS_NETWORK_TABLE
 * but bounded memory:
 *
 * 1. the caller streams each file's validated memberships in batches into one temporary staging
 *    table (prepared INSERTs on SQLite, COPY on PostgreSQL), tagged with the file's import;
 * 2. the snapshot is applied set-based: stored current memberships of the files' contracts that
 *    the files list unchanged (same key, same content hash) stay; the others end at the as-of
 *    date (or are deleted when they began that same day), except those rejected rows keep
 *    (docs/ROSTER-FORMAT.md section 9); staged memberships not already stored are inserted as
 *    new versions.
 *
 * Content hashes are computed exactly as writeRosterBatch computes them, so either writer can
 * follow the other on the same database.
 */
import type { NetworkRole, PlanKey } from '../domain/types.js';
import type { Db } from './connect.js';
import { InputConflictError } from './errors.js';
import { CMS_NETWORK_TABLE, cmsHashed } from './roster-tables.js';
import {
  dbDate,
  csvLine,
  dbInstant,
  encodeCopyFields,
  type CopyType,
  fromDbDate,
  type RowWriter,
  type SqlExecutor,
  type SqlValue,
} from './sql.js';
import {
  contentHash,
  describeImports,
  type EndedFrom,
  type ImportMeta,
  type RejectedRowInput,
  type WriteResult,
} from './write-roster.js';

const STAGING = 'cms_network_staging';
/** Plan and NPI of rejected rows: their stored memberships stay. */
const KEEP = 'cms_network_keep';
/** Binary COPY types of network_membership's columns as the first load writes them. */
const CONSTANT_TYPES: readonly CopyType[] = [
  'timestamp',
  'timestamp',
  'text',
  'timestamp',
  'int4',
  'text',
];
const COPY_TYPES: readonly CopyType[] = ['text', 'text', 'text', 'text', 'text', ...CONSTANT_TYPES];
const KEY = ['contract_id', 'pbp_id', 'segment_id', 'npi', 'role'] as const;
/** Values COPY's CSV takes unquoted (with a non-empty check: empty unquoted means NULL). */
const PLAIN = /^[A-Za-z0-9_-]+$/;

/** What the streaming producer reports once every row has been read. */
export interface CmsStreamSummary {
  rowsRead: number;
  warnings: number;
  /** Rows of the file accepted (a row may store two memberships). */
  acceptedRows: number;
  rejected: readonly RejectedRowInput[];
  /** Rejected rows in all, when more were counted than `rejected` keeps. */
  rejectedTotal?: number;
  plansCovered: readonly PlanKey[];
  /** Plan and NPI named by rejected rows that could be read (contract|pbp|segment|npi). */
  rejectedIdentities: ReadonlySet<string>;
  /** Rejected rows whose plan and NPI could not be read. */
  unreadableRejections: number;
}

export interface CmsWriteResult extends WriteResult {
  /** Stored memberships not ended because rejected rows name them or could not be read. */
  keptForRejections: number;
}

/** Where the producer puts validated memberships (in file order). */
export interface CmsStager {
  /** Stages one membership (buffered; call flush() every few thousand). */
  add(contractId: string, pbpId: string, segmentId: string, npi: string, role: NetworkRole): void;
  /** Hands the staged memberships to the database. */
  flush(): Promise<void>;
}

const keyMatch = (a: string, b: string): string =>
  KEY.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');

/** One CMS network file of a command: what it is and how to read it. */
export interface CmsFile {
  meta: Omit<ImportMeta, 'rowsRead' | 'warnings' | 'kind'>;
  /** Reads the file, staging accepted memberships; returns the counts. */
  produce: (stage: CmsStager) => Promise<CmsStreamSummary>;
}

export interface CmsBatchResult {
  perFile: CmsWriteResult[];
  /** Earlier imports whose memberships the batch ended. */
  endedFrom: EndedFrom[];
}

/**
 * Writes the CMS network files of one command as ONE snapshot in ONE transaction, streaming
 * (each file is read once, straight into the table or into one staging table): the memberships
 * the files list together are diffed against those in force for the contracts they cover. A
 * membership the files no longer list ends, counted against the first file listing its contract.
 */
export async function writeCmsNetworkBatch(options: {
  db: Db;
  files: readonly CmsFile[];
  /** End nothing the files do not list (a supplement). */
  append?: boolean;
  /** End unlisted memberships even when rejected rows could not be read. */
  endDespiteRejects?: boolean;
}): Promise<CmsBatchResult> {
  const { db, files } = options;
  const p = db.sql.provider;
  const asOf = files[0]!.meta.asOf;
  const asOfDb = dbDate(p, asOf);
  // A bound date in a SELECT list needs its type on PostgreSQL (no column to infer it from).
  const dateParam = p === 'postgresql' ? 'CAST(? AS TIMESTAMP(3))' : '?';
  const noDate = p === 'postgresql' ? 'CAST(NULL AS TIMESTAMP(3))' : 'NULL';
  // The same for every membership of the files: a CMS membership's hash covers what its key
  // does not (CMS_NETWORK_TABLE.hashed), as writeRosterBatch computes it.
  const hash = contentHash(cmsHashed({ effectiveDate: asOf, terminationDate: null }));
  const cols = [...CMS_NETWORK_TABLE.columns, 'valid_from', 'import_id', 'content_hash'];

  return db.sql.transaction(async (tx) => {
    /** The file's import record, 'running' until its rows are read. */
    const startImport = async (meta: CmsFile['meta']): Promise<number> => {
      const created = await tx.query<{ id: number | string }>(
        `INSERT INTO roster_import (path, file_name, sheet, sha256, kind, as_of, rows_read, accepted, rejected, warnings, status, started_at, finished_at, duration_ms)
         VALUES (?, ?, ?, ?, 'cms_network', ?, 0, 0, 0, 0, 'running', ?, ?, 0) RETURNING id`,
        [
          meta.path,
          meta.fileName,
          meta.sheet,
          meta.sha256,
          asOfDb,
          dbInstant(p, meta.startedAt),
          dbInstant(p, new Date().toISOString()),
        ],
      );
      return Number(created[0]!.id);
    };
    const finishImport = async (
      meta: CmsFile['meta'],
      importId: number,
      summary: CmsStreamSummary,
    ): Promise<void> => {
      await tx.run(
        `UPDATE roster_import SET rows_read = ?, accepted = ?, rejected = ?, warnings = ?, status = 'completed', finished_at = ?, duration_ms = ? WHERE id = ?`,
        [
          summary.rowsRead,
          summary.acceptedRows,
          summary.rejectedTotal ?? summary.rejected.length,
          summary.warnings,
          dbInstant(p, new Date().toISOString()),
          Math.max(0, Date.now() - Date.parse(meta.startedAt)),
          importId,
        ],
      );
      await writeRejectedAndPlans(tx, importId, summary);
    };
    const none = { ended: 0, unchanged: 0, keptForRejections: 0 };

    // No current CMS membership at all (a first load): nothing can be unchanged, replaced or
    // later, so memberships go straight to network_membership, in file order, with no staging.
    const anyCurrent = await tx.query(
      `SELECT 1 AS x FROM network_membership WHERE source = 'cms' AND valid_to IS NULL LIMIT 1`,
    );
    if (anyCurrent.length === 0) {
      const perFile: CmsBatchResult['perFile'] = [];
      for (const file of files) {
        const importId = await startImport(file.meta);
        // ONE stream per file (one COPY on PostgreSQL). CMS memberships (retail and mail) enter
        // no secondary index: the one index of network_membership is partial, over home
        // infusion memberships (prisma/schema.prisma), so the load costs the table and its key.
        const writer = await tx.rowWriter('network_membership', cols, { binary: COPY_TYPES });
        const summary = await produceInto(
          writer,
          file.produce,
          membershipStager(
            writer,
            false,
            [asOfDb, null, 'cms', asOfDb, importId, hash],
            CONSTANT_TYPES,
          ),
        );
        const inserted = await writer.end();
        await finishImport(file.meta, importId, summary);
        perFile.push({ importId, inserted, ...none });
      }
      return { perFile, endedFrom: [] };
    }

    await createStaging(tx);
    const importIds: number[] = [];
    const summaries: CmsStreamSummary[] = [];
    let staged = 0;
    for (const file of files) {
      const importId = await startImport(file.meta);
      // ONE stream per file (one COPY on PostgreSQL).
      const writer = await tx.rowWriter(STAGING, ['seq', ...KEY, 'import_id', 'content_hash']);
      const summary = await produceInto(
        writer,
        file.produce,
        membershipStager(writer, true, [importId, hash], ['int4', 'text']),
      );
      staged += await writer.end();
      await finishImport(file.meta, importId, summary);
      importIds.push(importId);
      summaries.push(summary);
    }
    if (p === 'sqlite') {
      await tx.run(
        `CREATE INDEX temp.${STAGING}_key ON ${STAGING} (${KEY.join(', ')}, content_hash)`,
      );
      await tx.run(`CREATE INDEX temp.${STAGING}_contract ON ${STAGING} (contract_id)`);
    } else {
      await tx.run(`CREATE INDEX ON ${STAGING} (${KEY.join(', ')}, content_hash)`);
      await tx.run(`ANALYZE ${STAGING}`);
      // Fresh statistics for the stored side too: right after a first load (a million rows
      // COPYed in) autovacuum has not analysed it yet, and the planner, expecting a handful of
      // current rows, picks nested loops (EXPLAIN ANALYZE at scale 0.25: the UPDATE's row
      // selection 2.1 s -> 0.7 s, the ended count 1 s -> 0.3 s). A sample: about 0.2 s.
      await tx.run('ANALYZE network_membership');
    }

    // Current CMS memberships of the contracts the files speak for.
    const inScope = `m.source = 'cms' AND m.valid_to IS NULL AND m.contract_id IN (SELECT DISTINCT contract_id FROM ${STAGING})`;
    const later = await tx.query<{ v: unknown }>(
      `SELECT MIN(m.valid_from) AS v FROM network_membership m WHERE ${inScope} AND m.valid_from > ?`,
      [asOfDb],
    );
    if (later[0]?.v !== null && later[0]?.v !== undefined) {
      throw new InputConflictError(
        `${files.map((f) => f.meta.fileName).join(', ')}: the database already holds a cms_network roster as of ${fromDbDate(later[0].v)}, later than the as-of date ${asOf}; import rosters in date order`,
      );
    }
    const sameVersion = `${keyMatch('m', 's')} AND m.content_hash = s.content_hash`;
    const unlisted = `${inScope} AND NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE ${keyMatch('m', 's')})`;
    // Memberships the files do not list but must not end: the command appends; rejected rows
    // name them; or a rejected row of a file listing their contract could not be read at all.
    const kept: string[] = [];
    const identities = new Set<string>();
    for (const sm of summaries) for (const id of sm.rejectedIdentities) identities.add(id);
    if (identities.size > 0) {
      await tx.run(`DROP TABLE IF EXISTS ${KEEP}`);
      await tx.run(
        `CREATE TEMP TABLE ${KEEP} (contract_id TEXT NOT NULL, pbp_id TEXT NOT NULL, segment_id TEXT NOT NULL, npi TEXT NOT NULL)${p === 'postgresql' ? ' ON COMMIT DROP' : ''}`,
      );
      await tx.bulkInsert(
        KEEP,
        ['contract_id', 'pbp_id', 'segment_id', 'npi'],
        [...identities].map((id) => id.split('|')),
      );
      kept.push(
        `EXISTS (SELECT 1 FROM ${KEEP} k WHERE k.contract_id = m.contract_id AND k.pbp_id = m.pbp_id AND k.segment_id = m.segment_id AND k.npi = m.npi)`,
      );
    }
    const blockedIds = importIds.filter((_, i) => summaries[i]!.unreadableRejections > 0);
    if (blockedIds.length > 0 && options.endDespiteRejects !== true) {
      kept.push(
        `m.contract_id IN (SELECT contract_id FROM ${STAGING} WHERE import_id IN (${blockedIds.join(', ')}))`,
      );
    }
    const keptCond =
      options.append === true ? '1 = 1' : kept.length > 0 ? `(${kept.join(' OR ')})` : '1 = 0';
    // The first file of the command listing each contract: ended memberships count against it.
    const owner = `(SELECT contract_id, MIN(import_id) AS owner FROM ${STAGING} GROUP BY contract_id) o`;
    const keptByOwner =
      options.append === true || keptCond === '1 = 0'
        ? []
        : await tx.query<{ owner: number | string; n: number | string }>(
            `SELECT o.owner, COUNT(*) AS n FROM network_membership m JOIN ${owner} ON o.contract_id = m.contract_id WHERE ${unlisted} AND ${keptCond} GROUP BY o.owner`,
          );
    const endedRows =
      options.append === true
        ? []
        : await tx.query<{
            owner: number | string;
            import_id: number | string;
            n: number | string;
          }>(
            `SELECT o.owner, m.import_id, COUNT(*) AS n FROM network_membership m JOIN ${owner} ON o.contract_id = m.contract_id WHERE ${unlisted} AND NOT (${keptCond}) GROUP BY o.owner, m.import_id`,
          );
    const endedCounts = new Map<number, number>();
    const endedByOwner = new Map<number, number>();
    for (const r of endedRows) {
      const id = Number(r.import_id);
      endedCounts.set(id, (endedCounts.get(id) ?? 0) + Number(r.n));
      endedByOwner.set(Number(r.owner), (endedByOwner.get(Number(r.owner)) ?? 0) + Number(r.n));
    }
    // Replaced or no longer listed: a version begun on the as-of date is deleted, others end.
    const replaced =
      keptCond === '1 = 0'
        ? `${inScope} AND NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE ${sameVersion})`
        : `${inScope} AND NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE ${sameVersion}) AND NOT (NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE ${keyMatch('m', 's')}) AND ${keptCond})`;
    await tx.run(
      `DELETE FROM network_membership WHERE id IN (SELECT m.id FROM network_membership m WHERE ${replaced} AND m.valid_from = ?)`,
      [asOfDb],
    );
    await tx.run(
      `UPDATE network_membership SET valid_to = ? WHERE id IN (SELECT m.id FROM network_membership m WHERE ${replaced})`,
      [asOfDb],
    );
    // What is still current now is what the files list unchanged; the rest is new. CMS
    // memberships have no index on their key (network_membership's one index is over home
    // infusion only), so the stored side is read once: PostgreSQL plans NOT EXISTS as a hash
    // anti-join; SQLite would run it as a scan per staged row, but builds NOT IN's list once.
    const storedVersions = `SELECT ${KEY.join(', ')}, content_hash FROM network_membership WHERE source = 'cms' AND valid_to IS NULL`;
    const isNew =
      p === 'sqlite'
        ? `(${KEY.join(', ')}, content_hash) NOT IN (${storedVersions})`
        : `NOT EXISTS (SELECT 1 FROM network_membership m WHERE m.source = 'cms' AND m.valid_to IS NULL AND ${sameVersion})`;
    const insertedRows = await tx.run(
      `INSERT INTO network_membership (${cols.join(', ')})
       SELECT contract_id, pbp_id, segment_id, npi, role, ${dateParam}, ${noDate}, 'cms', ${dateParam}, import_id, content_hash
         FROM ${STAGING} s
        WHERE ${isNew}
        ORDER BY import_id, seq`,
      [asOfDb, asOfDb],
    );
    // New memberships per file (one file: the INSERT's own count). Counted from what was just
    // inserted (the import ids are this command's), not by a second anti-join.
    const newByFile =
      files.length === 1
        ? null
        : new Map(
            (
              await tx.query<{ import_id: number | string; n: number | string }>(
                `SELECT import_id, COUNT(*) AS n FROM network_membership WHERE import_id IN (${importIds.join(', ')}) GROUP BY import_id`,
              )
            ).map((r) => [Number(r.import_id), Number(r.n)]),
          );
    const stagedByFile = new Map(
      files.length === 1
        ? [[importIds[0]!, staged]]
        : (
            await tx.query<{ import_id: number | string; n: number | string }>(
              `SELECT import_id, COUNT(*) AS n FROM ${STAGING} GROUP BY import_id`,
            )
          ).map((r) => [Number(r.import_id), Number(r.n)]),
    );
    await tx.run(`DROP TABLE ${STAGING}`);
    if (identities.size > 0) await tx.run(`DROP TABLE ${KEEP}`);
    const keptMap = new Map(keptByOwner.map((r) => [Number(r.owner), Number(r.n)]));
    return {
      perFile: importIds.map((importId) => {
        const inserted = newByFile ? (newByFile.get(importId) ?? 0) : insertedRows;
        return {
          importId,
          inserted,
          ended: endedByOwner.get(importId) ?? 0,
          unchanged: (stagedByFile.get(importId) ?? 0) - inserted,
          keptForRejections: keptMap.get(importId) ?? 0,
        };
      }),
      endedFrom: await describeImports(tx, endedCounts),
    };
  });
}

/**
 * Stages each membership as one row of `writer`: [seq,] the key, then `constants` (the same for
 * every membership of the file, the content hash included). Runs once per membership (a
 * million times for a national file): on PostgreSQL a membership whose key values are plain
 * (letters and digits once validated, never empty) goes to the COPY as one template-built CSV
 * line, a quarter of the cost of the generic row path (1M rows: about 0.4 s against 1.1-1.5 s);
 * other values take the generic path, quoted.
 */
function membershipStager(
  writer: RowWriter,
  withSeq: boolean,
  constants: readonly SqlValue[],
  constantTypes: readonly CopyType[],
): CmsStager {
  const addLine = writer.addCsvLine?.bind(writer);
  const addBinary = withSeq ? undefined : writer.addBinaryRow?.bind(writer);
  if (addBinary) return binaryStager(addBinary, constants, constantTypes, writer);
  const tail = `,${csvLine(constants)}`;
  const row: SqlValue[] = [...(withSeq ? [0] : []), '', '', '', '', '', ...constants];
  const at = withSeq ? 1 : 0;
  let seq = 0;
  // Whether the plan's values are plain, checked when the plan changes.
  const newPlan = planWatcher();
  let planPlain = false;
  return {
    add(contractId, pbpId, segmentId, npi, role) {
      if (newPlan(contractId, pbpId, segmentId)) {
        planPlain = PLAIN.test(contractId) && PLAIN.test(pbpId) && PLAIN.test(segmentId);
      }
      seq++;
      // (A role is one of NetworkRole's plain words.)
      if (addLine && planPlain && PLAIN.test(npi)) {
        const key = `${contractId},${pbpId},${segmentId},${npi},${role}`;
        addLine(withSeq ? `${seq},${key}${tail}` : `${key}${tail}`);
        return;
      }
      if (withSeq) row[0] = seq;
      row[at] = contractId;
      row[at + 1] = pbpId;
      row[at + 2] = segmentId;
      row[at + 3] = npi;
      row[at + 4] = role;
      writer.add(row);
    },
    flush: () => writer.flush(),
  };
}

/** Tells when a membership's plan differs from the last one's (files come grouped by plan). */
function planWatcher(): (contractId: string, pbpId: string, segmentId: string) => boolean {
  let c = '';
  let p = '';
  let s = '';
  return (contractId, pbpId, segmentId) => {
    if (contractId === c && pbpId === p && segmentId === s) return false;
    c = contractId;
    p = pbpId;
    s = segmentId;
    return true;
  };
}

/**
 * The binary COPY form of membershipStager (PostgreSQL, first load): each row is the plan's
 * fields (encoded when the plan changes; files come by plan), the NPI, then the role's and the
 * constants' fields (encoded once per role). Any text is valid here: nothing is quoted.
 */
function binaryStager(
  addBinary: NonNullable<RowWriter['addBinaryRow']>,
  constants: readonly SqlValue[],
  constantTypes: readonly CopyType[],
  writer: RowWriter,
): CmsStager {
  const fieldCount = KEY.length + constants.length;
  const texts = (n: number): CopyType[] => Array.from({ length: n }, () => 'text' as const);
  const tails = new Map<NetworkRole, Uint8Array>();
  const newPlan = planWatcher();
  let head: Uint8Array = new Uint8Array(0);
  return {
    add(contractId, pbpId, segmentId, npi, role) {
      if (newPlan(contractId, pbpId, segmentId)) {
        head = encodeCopyFields([contractId, pbpId, segmentId], texts(3), fieldCount);
      }
      let tail = tails.get(role);
      if (tail === undefined) {
        tail = encodeCopyFields([role, ...constants], [...texts(1), ...constantTypes]);
        tails.set(role, tail);
      }
      addBinary(head, npi, tail);
    },
    flush: () => writer.flush(),
  };
}

/** Runs the producer; if it fails, the writer is aborted (an open COPY would hang the rollback). */
async function produceInto(
  writer: RowWriter,
  produce: (stage: CmsStager) => Promise<CmsStreamSummary>,
  stage: CmsStager,
): Promise<CmsStreamSummary> {
  try {
    return await produce(stage);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

async function writeRejectedAndPlans(
  tx: SqlExecutor,
  importId: number,
  summary: CmsStreamSummary,
): Promise<void> {
  await tx.bulkInsert(
    'rejected_row',
    ['import_id', 'row_number', 'column', 'value', 'reason', 'raw'],
    summary.rejected.map((r) => [
      importId,
      r.rowNumber,
      r.column,
      r.value,
      r.reason,
      JSON.stringify(r.raw),
    ]),
  );
  if (summary.plansCovered.length > 0) {
    await tx.bulkInsert(
      'import_plan',
      ['import_id', 'contract_id', 'pbp_id', 'segment_id'],
      summary.plansCovered.map((k) => [importId, k.contractId, k.pbpId, k.segmentId]),
    );
  }
}

async function createStaging(tx: SqlExecutor): Promise<void> {
  await tx.run(`DROP TABLE IF EXISTS ${STAGING}`);
  await tx.run(
    `CREATE TEMP TABLE ${STAGING} (seq INTEGER NOT NULL, contract_id TEXT NOT NULL, pbp_id TEXT NOT NULL, segment_id TEXT NOT NULL, npi TEXT NOT NULL, role TEXT NOT NULL, import_id INTEGER NOT NULL, content_hash TEXT NOT NULL)${tx.provider === 'postgresql' ? ' ON COMMIT DROP' : ''}`,
  );
}
