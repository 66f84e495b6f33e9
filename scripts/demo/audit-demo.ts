/**
 * Audits the demo rosters the way `npm run demo` does (the real import and audit, on a SQLite file
 * of a temporary folder) so that the figures data/demo/README.md states are computed, not typed:
 * once as the folder is imported, once with the DATA-STALE import sequence the README describes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, type AuditOutcome } from '../../src/audit/run-audit.js';
import { openDatabase } from '../../src/db/connect.js';
import type { Policy } from '../../src/domain/policy.js';
import type { IsoDate } from '../../src/domain/types.js';
import { importRosters } from '../../src/import/import-rosters.js';

export interface DemoAudit {
  /** The folder imported as of the audit date (`npm run demo`). */
  plain: AuditOutcome;
  /** The README's DATA-STALE sequence: the MA-PD workbook imported earlier than the rest. */
  stale: AuditOutcome;
}

/** Roster files imported by one command, and its as-of date. */
export type DemoImport = readonly [paths: readonly string[], asOf: IsoDate];

/** One database: the imports in order, then the audit as of `asOf`. */
async function importAndAudit(
  folder: string,
  name: string,
  imports: readonly DemoImport[],
  asOf: IsoDate,
  policy: Policy,
): Promise<AuditOutcome> {
  const db = await openDatabase({ url: `file:${join(folder, name)}` });
  try {
    for (const [paths, date] of imports) {
      const results = await importRosters({ db, paths, asOf: date, timeZone: policy.timeZone });
      for (const r of results) {
        if (r.status === 'failed' || r.rejected > 0) {
          throw new Error(
            `demo: ${r.path}${r.sheet ? ` (${r.sheet})` : ''} did not import cleanly: ${r.status}, ${r.rejected} rejected${r.message ? `: ${r.message}` : ''}`,
          );
        }
      }
    }
    return await runAudit({ db, asOf, scope: { contractId: null, pbpId: null }, policy });
  } finally {
    await db.close();
  }
}

/**
 * `rosters`: every roster file of the demo folder, imported as of `asOf`; `staleImports`: the
 * README's DATA-STALE sequence of imports.
 */
export async function auditDemo(options: {
  rosters: readonly string[];
  staleImports: readonly DemoImport[];
  asOf: IsoDate;
  policy: Policy;
}): Promise<DemoAudit> {
  const { rosters, staleImports, asOf, policy } = options;
  const folder = mkdtempSync(join(tmpdir(), 'demo-audit-'));
  try {
    const plain = await importAndAudit(folder, 'plain.db', [[rosters, asOf]], asOf, policy);
    const stale = await importAndAudit(folder, 'stale.db', staleImports, asOf, policy);
    return { plain, stale };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
