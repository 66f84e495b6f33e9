/**
 * Issue 20, items 2, 5, 6, 7, 8, 11 at the reader level, on real files: a file that changes while
 * read, a file still being uploaded, NUL bytes, invalid character references, symbolic links,
 * pipes and devices, shared strings that point nowhere, PHI in rejected rows, bounded texts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RosterFormatError } from '../../src/errors.js';
import { boundRejection, MAX_RAW_CHARS, RejectionLog } from '../../src/import/rejections.js';
import {
  fingerprintFile,
  listRosterFiles,
  openRoster,
  type RosterRow,
} from '../../src/roster/open-roster.js';
import { readCsvFieldBatches, readCsvHeader } from '../../src/roster/read-csv.js';
import { openXlsx } from '../../src/roster/read-xlsx.js';
import { collect, tempDir, workbook, writeBytes } from './helpers.js';

const dir = tempDir();
const CAPS_HEADER = 'npi,drug_class,usable_form\n';
const CAPS_ROWS = [
  ['npi', 'drug_class', 'usable_form'],
  ['1234567893', 'ABX_IV', 'Y'],
];

async function formatError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a RosterFormatError');
}

describe('item 2: the bytes parsed are the bytes hashed', () => {
  it('a last line without its line end fails the file (still being uploaded)', async () => {
    const p = writeBytes(dir, 'uploading.csv', `${CAPS_HEADER}1234567893,ABX_IV,Y`);
    expect(await formatError(openRoster({ path: p }))).toMatch(
      /uploading\.csv: the last line has no line end: the file looks incomplete/,
    );
  });

  it('a file rewritten in place with the same bytes while read fails the pass', async () => {
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `S4802,${String(i % 1000).padStart(3, '0')},PDP,Plan ${i}`,
    );
    const text = `contract_id,pbp_id,plan_type,plan_name\n${rows.join('\n')}\n`;
    const p = writeBytes(dir, 'rewritten.csv', text);
    const fingerprint = await fingerprintFile(p);
    const header = await readCsvHeader(p);
    for (const csvParse of [false, true]) {
      writeFileSync(p, text); // a sync job copies the same bytes again before the pass
      const again = await formatError(
        (async () => {
          for await (const b of readCsvFieldBatches(p, header, undefined, {
            csvParse,
            expect: fingerprint,
          }))
            expect(b.rowNumbers.length).toBeGreaterThan(0);
        })(),
      );
      expect(again).toMatch(/changed while it was read/);
    }
    // During the pass: after the first batch the file is copied again, same bytes.
    const fresh = await fingerprintFile(p);
    for (const csvParse of [false, true]) {
      let batches = 0;
      const during = await formatError(
        (async () => {
          for await (const b of readCsvFieldBatches(p, header, undefined, {
            csvParse,
            expect: fresh,
          })) {
            if (b.rowNumbers.length > 0 && ++batches === 1) {
              await new Promise((r) => setTimeout(r, 20)); // a new mtime tick
              writeFileSync(p, text);
            }
          }
        })(),
      );
      expect(during).toMatch(/changed while it was read/);
      expect(batches).toBeGreaterThan(0);
      Object.assign(fresh, await fingerprintFile(p));
    }
    // Untouched: the pass reads exactly the hashed bytes.
    const ok = await fingerprintFile(p);
    let n = 0;
    for await (const b of readCsvFieldBatches(p, header, undefined, { expect: ok }))
      n += b.rowNumbers.length;
    expect(n).toBe(40_000);
  });

  it('a workbook touched after it was hashed fails its row pass', async () => {
    const p = writeBytes(
      dir,
      'capabilities-book.xlsx',
      workbook({ sheetName: 'capabilities', shared: [], rows: CAPS_ROWS }),
    );
    const fingerprint = await fingerprintFile(p);
    const [source] = await openRoster({ path: p, fingerprint });
    expect(await collect(source!.rows())).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(p, workbook({ sheetName: 'capabilities', shared: [], rows: CAPS_ROWS }));
    expect(await formatError(collect(source!.rows()))).toMatch(/changed while it was read/);
  });
});

describe('item 5: invalid characters never abort the batch', () => {
  it('a sheet name with &#x110000;, &#0; or a raw NUL refuses the file, naming it', async () => {
    for (const [i, ref] of ['&#x110000;', '&#0;', '&#xD800;', '\0'].entries()) {
      const p = writeBytes(
        dir,
        `bad-name-${i}.xlsx`,
        workbook({ sheetName: `plans${ref}`, shared: [], rows: [['contract_id'], ['S4802']] }),
      );
      expect(await formatError(openRoster({ path: p }))).toMatch(
        new RegExp(`bad-name-${i}\\.xlsx: the workbook's sheet list is damaged`),
      );
    }
  });

  it('a NUL byte in a CSV value rejects the row and is removed (both readers)', async () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `S4802,${String(i).padStart(3, '0')},PDP,Plan ${i}`,
    );
    const p = writeBytes(
      dir,
      'nul-plans.csv',
      `contract_id,pbp_id,plan_type,plan_name\n${filler.join('\n')}\nS4802,999,PDP,Bad\0Name\n`,
    );
    const header = await readCsvHeader(p);
    for (const csvParse of [false, true]) {
      const rows: { fields: string[]; error: string | null }[] = [];
      for await (const b of readCsvFieldBatches(p, header, undefined, { csvParse }))
        for (let i = 0; i < b.fields.length; i++)
          rows.push({ fields: b.fields[i]!, error: b.errors[i]! });
      expect(rows).toHaveLength(401);
      const bad = rows[400]!;
      expect(bad.error).toMatch(/NUL character/);
      expect(bad.fields).toEqual(['S4802', '999', 'PDP', 'BadName']);
      expect(rows.filter((r) => r.error !== null)).toHaveLength(1);
    }
  });

  it('a NUL character in an XLSX cell rejects the row, removed from the value', async () => {
    // XML cannot carry NUL: a workbook holding one (raw or as &#0;) is refused, naming the file.
    const raw = writeBytes(
      dir,
      'nul-raw.xlsx',
      workbook({
        shared: ['contract_id', 'pbp_id', 'S48\u000002'],
        rows: [
          ['s:0', 's:1'],
          ['s:2', '001'],
        ],
      }),
    );
    const ref = writeBytes(
      dir,
      'nul-ref.xlsx',
      workbook({
        shared: ['contract_id', 'pbp_id', 'S48&#0;02'],
        rows: [
          ['s:0', 's:1'],
          ['s:2', '001'],
        ],
      }),
    );
    for (const f of [raw, ref]) {
      let failure: string | null = null;
      let rows: RosterRow[] = [];
      try {
        const [s] = await openRoster({ path: f });
        rows = await collect(s!.rows());
      } catch (e) {
        expect(e).toBeInstanceOf(RosterFormatError);
        failure = (e as Error).message;
      }
      if (failure === null) {
        expect(rows[0]!.error).toMatch(/NUL character/);
        expect(JSON.stringify(rows)).not.toContain('\\u0000');
      } else {
        expect(failure).toMatch(/nul-(raw|ref)\.xlsx/);
      }
    }
  });
});

describe('item 6: links, pipes, devices and loops', () => {
  it('follows links to regular files and lists everything passed over', async () => {
    const folder = join(dir, 'linked');
    mkdirSync(folder);
    const target = writeBytes(dir, 'real-caps.csv', `${CAPS_HEADER}1234567893,ABX_IV,Y\n`);
    symlinkSync(target, join(folder, 'capabilities.csv'));
    symlinkSync(join(folder, 'missing.csv'), join(folder, 'dangling.csv'));
    symlinkSync(join(folder, 'loop-b.csv'), join(folder, 'loop-a.csv'));
    symlinkSync(join(folder, 'loop-a.csv'), join(folder, 'loop-b.csv'));
    symlinkSync(folder, join(folder, 'self'));
    mkdirSync(join(folder, 'archive'));
    execFileSync('mkfifo', [join(folder, 'pipe.csv')]);
    writeBytes(folder, '.hidden.csv', 'x\n');
    const listed = await listRosterFiles(folder);
    expect(listed.files).toEqual([join(folder, 'capabilities.csv')]);
    const reasons = Object.fromEntries(listed.skipped.map((s) => [s.fileName, s.reason]));
    expect(reasons).toEqual({
      '.hidden.csv': 'a hidden file; not read',
      archive: 'a folder; not read (sub-folders are not searched)',
      'dangling.csv': 'a symbolic link that points nowhere (ENOENT); not read',
      'loop-a.csv': 'a symbolic link that loops (it points back to itself); not read',
      'loop-b.csv': 'a symbolic link that loops (it points back to itself); not read',
      'pipe.csv': 'a named pipe (FIFO), not a regular file; not read',
      self: 'a link to a folder; not read',
    });
    const skipped: string[] = [];
    const sources = await openRoster({
      path: folder,
      onSkipped: (s) => skipped.push(...s.map((x) => x.fileName)),
    });
    expect(sources.map((s) => s.fileName)).toEqual(['capabilities.csv']);
    expect(await collect(sources[0]!.rows())).toHaveLength(1);
    expect(skipped).toHaveLength(7);
  });

  it('a FIFO or /dev/zero given as a file is refused without being opened', async () => {
    const fifo = join(dir, 'given.csv');
    execFileSync('mkfifo', [fifo]);
    expect(await formatError(openRoster({ path: fifo }))).toMatch(/FIFO/);
    expect(await formatError(fingerprintFile(fifo))).toMatch(/FIFO/);
    expect(await formatError(openRoster({ path: '/dev/zero' }))).toMatch(/a device/);
    expect(await formatError(fingerprintFile('/dev/zero'))).toMatch(/a device/);
  }, 5000);
});

describe('item 7: shared strings that point nowhere are cell errors', () => {
  it('out of range, -1, abc and 1e3 each reject their row; valid ones read', async () => {
    const p = writeBytes(
      dir,
      'shared.xlsx',
      workbook({
        shared: ['contract_id', 'pbp_id', 'S4802', '001', 'unused'],
        rows: [
          ['s:0', 's:1'],
          ['s:2', 's:3'],
          ['s:2', 's:99'],
          ['s:2', 's:-1'],
          ['s:2', 's:abc'],
          ['s:2', 's:1e3'],
          ['s:2', 's: 3 '],
        ],
      }),
    );
    const rows = await collect((await openXlsx(p)).sheets[0]!.rows());
    expect(rows.map((r) => r.record['pbp_id'])).toEqual(['001', null, null, null, null, '001']);
    expect(rows.map((r) => r.error === null)).toEqual([true, false, false, false, false, true]);
    for (const r of rows.slice(1, 5))
      expect(r.error).toMatch(
        /cell B\d+ \(pbp_id\): the cell points to a shared string that does not exist/,
      );
  });

  it('a header cell pointing nowhere refuses the file (no column dropped)', async () => {
    const p = writeBytes(
      dir,
      'shared-header.xlsx',
      workbook({
        shared: ['contract_id', 'S4802'],
        rows: [
          ['s:0', 's:7'],
          ['s:1', '001'],
        ],
      }),
    );
    expect(await formatError(openXlsx(p))).toMatch(
      /shared-header\.xlsx: sheet "plans", header cell B1: the cell points to a shared string that does not exist/,
    );
  });
});

describe('item 8: PHI in rejected rows', () => {
  const header =
    'request_id,contract_id,pbp_id,request_type,expedited,received_at,Member ID,Patient Name,Patient SSN\n';
  const good = 'R1,S4802,001,exception,N,2026-01-05T10:00,MBR900000001,Jane Roe,123-45-6789\n';
  const extraComma =
    'R2,S4802,001,exception,N,2026-01-05T10:00,MBR9,00000002,John Doe,987-65-4321\n';
  const missing = 'R3,S4802,001,exception,2026-01-05T10:00,MBR900000003,Ann Poe,111-22-3333\n';

  it('no unmasked field that could hold a member id; unknown columns never kept', async () => {
    const p = writeBytes(dir, 'coverage_requests.csv', header + good + extraComma + missing);
    const [s] = await openRoster({ path: p });
    expect(s!.kind).toBe('coverage_requests');
    const rows = await collect(s!.rows());
    const raws = [...rows.map((r) => r.raw), ...(await fieldRaws(s!))];
    const text = JSON.stringify(raws);
    for (const secret of [
      'MBR9',
      '00000002',
      '900000003',
      'Jane',
      'Doe',
      'Poe',
      '6789',
      '4321',
      '3333',
    ])
      expect(text).not.toContain(secret);
    expect(rows[0]!.raw).toEqual({
      request_id: 'R1',
      contract_id: 'S4802',
      pbp_id: '001',
      request_type: 'exception',
      expedited: 'N',
      received_at: '2026-01-05T10:00',
      'Member ID': '****0001',
    });
    expect(rows[1]!.error).toMatch(/10 comma-separated fields but the header has 9/);
    expect(Object.values(rows[1]!.raw).every((v) => v === '****')).toBe(true);
    expect(Object.keys(rows[1]!.raw)).not.toContain('Patient Name');
  });

  it('unknown columns are never kept, in any kind of roster', async () => {
    const p = writeBytes(
      dir,
      'capabilities-phi.csv',
      'npi,Patient Name,drug_class,usable_form,Patient SSN\n1234567893,Jane Roe,NOPE,Y,123-45-6789\n1234567893,Jane Roe,ABX_IV,Y,123-45-6789,extra\n',
    );
    const [s] = await openRoster({ path: p });
    expect(s!.ignoredColumns).toEqual(['Patient Name', 'Patient SSN']);
    const rows = await collect(s!.rows());
    expect(rows.map((r) => r.raw)).toEqual([
      { npi: '1234567893', drug_class: 'NOPE', usable_form: 'Y' },
      // A field too many: the values may sit under the wrong headers, none is kept.
      { npi: '****', drug_class: '****', usable_form: '****' },
    ]);
    expect(JSON.stringify(await fieldRaws(s!))).toBe(JSON.stringify(rows.map((r) => r.raw)));
  });

  async function fieldRaws(s: Awaited<ReturnType<typeof openRoster>>[number]): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const b of s.fields!.batches())
      for (const f of b.fields) out.push(s.fields!.rawOf(f));
    return out;
  }
});

describe('item 11: bounded rejections and sheets', () => {
  it('stored rejections: values cut, a row capped, the rest counted', () => {
    const big = 'x'.repeat(1024 * 1024);
    const raw: Record<string, string> = {};
    for (let i = 0; i < 500; i++) raw[`column ${i}`] = big;
    const r = boundRejection({ rowNumber: 2, column: 'name', value: big, reason: big, raw });
    expect(JSON.stringify(r).length).toBeLessThan(MAX_RAW_CHARS + 3000);
    expect(r.value).toMatch(/… \[1048576 characters\]$/);
    expect(r.raw['(not kept)']).toMatch(/more field\(s\)/);
    const log = new RejectionLog(3);
    for (let i = 0; i < 10; i++)
      log.add({ rowNumber: i, column: null, value: null, reason: 'r', raw: {} });
    expect([log.stored.length, log.total, log.omitted]).toEqual([3, 10, 7]);
    // Given as a function, a rejection is described only when it is stored.
    let described = 0;
    const lazy = new RejectionLog(2);
    for (let i = 0; i < 10; i++) {
      lazy.add(() => {
        described++;
        return { rowNumber: i, column: null, value: null, reason: 'r', raw: {} };
      });
    }
    expect([described, lazy.stored.map((r) => r.rowNumber), lazy.total]).toEqual([2, [0, 1], 10]);
  });

  it('a sheet whose cells share one long string is refused past its character budget', async () => {
    const long = 'y'.repeat(100_000);
    const rows = [['s:0', 's:1'], ...Array.from({ length: 50 }, () => ['S4802', 's:2'])];
    const p = writeBytes(
      dir,
      'shared-bomb.xlsx',
      workbook({ shared: ['contract_id', 'plan_name', long], rows }),
    );
    const within = await openXlsx(p, { maxSheetChars: 6_000_000 });
    expect(await collect(within.sheets[0]!.rows())).toHaveLength(50);
    const over = await openXlsx(p, { maxSheetChars: 1_000_000 });
    expect(await formatError(collect(over.sheets[0]!.rows()))).toMatch(
      /sheet "plans" holds more than 1000000 characters of text \(limit maxSheetChars/,
    );
    expect(await formatError(openXlsx(p, { maxSheetChars: 50_000 }))).toMatch(
      /shared strings hold \d+ characters, more than the limit of 50000/,
    );
  });
});
