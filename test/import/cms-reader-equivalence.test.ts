/**
 * The CMS network file's fast reader (src/import/import-cms-network.ts) is a measured shortcut of
 * the generic reader (readRows: parseRow on every row): on random CMS files, mixing canonical
 * values with odd but valid ones and bad ones, both put the same records (the pharmacy's ZIP
 * included), the same rejected rows and the same named identities into the stage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CMS_NETWORK_TABLE } from '../../src/roster/kinds/cms-network.js';
import type { StageSink } from '../../src/db/stage-snapshot.js';
import type { SqlValue } from '../../src/db/sql.js';
import { readCmsNetwork } from '../../src/import/import-cms-network.js';
import { readRows } from '../../src/import/import-rosters.js';
import { openRoster } from '../../src/roster/open-roster.js';

const dir = mkdtempSync(join(tmpdir(), 'cms-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER =
  'CONTRACT_ID|PLAN_ID|SEGMENT_ID|PHARMACY_NUMBER|PHARMACY_ZIPCODE|PREFERRED_STATUS_RETAIL|PREFERRED_STATUS_MAIL|PHARMACY_RETAIL|PHARMACY_MAIL|IN_AREA_FLAG|FLOOR_PRICE';
const CTX = { catalogCodes: new Set<string>(), timeZone: 'America/Chicago' };

/** What a reader put into the stage, in order. */
function recorder(): { sink: StageSink<unknown>; log: unknown[] } {
  const log: unknown[] = [];
  const seen = new Set<string>();
  return {
    log,
    sink: {
      accept(rowNumber, records, raw) {
        const keys = records.map((r) => CMS_NETWORK_TABLE.key(r as never));
        if (keys.some((k) => seen.has(k))) {
          log.push(['duplicate', rowNumber, raw()]);
          return false;
        }
        for (const k of keys) seen.add(k);
        log.push(['accept', rowNumber, records]);
        return true;
      },
      reject(rowNumber, describe, identity: readonly SqlValue[] | null) {
        log.push(['reject', { rowNumber, ...describe() }, identity]);
      },
      flush: async () => undefined,
    },
  };
}

const field = (good: string[], odd: string[], bad: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...good) },
    { weight: 2, arbitrary: fc.constantFrom(...odd) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );

const row = fc
  .tuple(
    field(['S1234', 'H0001'], [' S1234', 's1234'], ['X1', '']),
    field(['001', '002'], ['1', ' 001'], ['abc', '']),
    field(['000'], ['0', '000 '], ['-1']),
    field(['1000000012', '1000000020', '1000000038'], [' 1000000012'], ['1000000013', '12345']),
    // (The ZIP is stored: each reader's records carry it, masked XXXXX as null.)
    field(['60602', '46204', 'XXXXX'], ['60602-1234', '606', 'xxxxx', ' XXXXX'], ['ZIP']),
    field(['Y', 'N'], ['y', 'Yes', '1', '0'], ['maybe']),
    field(['Y', 'N'], ['n', 'No'], ['?']),
    field(['Y', 'N'], ['1', 'y'], ['x']),
    field(['N', 'Y'], ['0', 'n'], ['2']),
    field(['1', '0'], ['Y', 'N'], ['z']),
    fc.constantFrom('0', '1', ''),
  )
  .map((f) => f.join('|'));

describe('the CMS fast reader equals the generic reader', () => {
  it('same records, rejections and identities on random files', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const path = join(dir, `cms-network-${++n}.txt`);
        writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
        const read = async (fast: boolean): Promise<unknown[]> => {
          const [source] = await openRoster({ path, kind: 'cms_network' });
          const { sink, log } = recorder();
          if (fast) {
            expect(source!.fields, 'a CSV source offers field batches').toBeDefined();
            await readCmsNetwork({ source: source!, ctx: CTX, asOf: '2026-11-01', sink });
          } else {
            await readRows({
              asOf: '2026-11-01',
              kind: 'cms_network',
              countyCodes: new Set(),
              source: source!,
              table: CMS_NETWORK_TABLE,
              ctx: CTX,
              known: null,
              sink,
              progress: () => undefined,
            });
          }
          return log;
        };
        expect(await read(true)).toEqual(await read(false));
      }),
      { numRuns: 60 },
    );
  });
});
