/**
 * The hostile and broken input corpus (test/fixtures/hostile/, made by make-corpus.py; the big
 * and binary inputs are made here at run time): every file gives a clear message naming it, or
 * the right rejections; for every file read, rows read = accepted + rejected. Imports go through
 * importRosters into a real SQLite database, as `import` does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.js';
import type { RosterKind } from '../../src/domain/types.js';
import { importRosters, type ImportFileResult } from '../../src/import/import-rosters.js';
import type { RosterLimits, SkippedPart } from '../../src/roster/open-roster.js';
import { projectRoot } from '../../src/util/paths.js';
import { runCli } from '../helpers/cli.js';
import { writeCmsNetworkFile } from '../faults/helpers.js';

const CORPUS = join(projectRoot, 'test', 'fixtures', 'hostile');
const AS_OF = '2026-11-01';
const A = '1234567893';

type Outcome =
  | { fails: RegExp }
  | {
      read: number;
      accepted: number;
      rejected: number;
      warnings?: number;
      /** Each must match some rejection reason. */
      reasons?: RegExp[];
    };

interface Case {
  file: string;
  kind?: RosterKind;
  limits?: Partial<RosterLimits>;
  expected: Outcome;
  why: string;
}

/** The committed corpus: file, kind given as with --kind, expected outcome. */
const CORPUS_CASES: Case[] = [
  {
    file: 'empty.csv',
    expected: { fails: /empty\.csv: the file is empty \(0 bytes\)/ },
    why: 'empty',
  },
  {
    file: 'blank-lines-only.csv',
    kind: 'network',
    expected: { fails: /no header row/ },
    why: 'blank lines only',
  },
  {
    file: 'header-only.csv',
    kind: 'network',
    expected: { read: 0, accepted: 0, rejected: 0 },
    why: 'header only: nothing to load, not an error',
  },
  {
    file: 'utf8-bom.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'UTF-8 with BOM',
  },
  {
    file: 'utf16le-bom.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'UTF-16LE with BOM',
  },
  {
    file: 'utf16be-bom.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'UTF-16BE with BOM',
  },
  {
    file: 'utf16le-no-bom.csv',
    kind: 'network',
    expected: { fails: /NUL bytes.*UTF-16 with a byte order mark/ },
    why: 'UTF-16 without BOM cannot be told from binary',
  },
  {
    file: 'windows-1252-plans.csv',
    kind: 'plans',
    expected: { read: 1, accepted: 1, rejected: 0 },
    why: 'Windows-1252 (CMS plan files)',
  },
  {
    file: 'semicolon.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'semicolon-delimited',
  },
  {
    file: 'tab-delimited.tsv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'tab-delimited',
  },
  {
    file: 'pipe-delimited.txt',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'pipe-delimited',
  },
  {
    file: 'unbalanced-quotes.csv',
    kind: 'network',
    expected: { fails: /unbalanced quotes: .*line 3/ },
    why: 'unbalanced quotes',
  },
  {
    file: 'ragged-rows.csv',
    kind: 'network',
    expected: {
      read: 5,
      accepted: 3,
      rejected: 2,
      reasons: [/5 comma-separated fields but the header has 7/, /9 comma-separated fields/],
    },
    why: 'ragged rows',
  },
  {
    file: 'duplicate-headers.csv',
    kind: 'network',
    expected: { fails: /column header "npi" appears twice/ },
    why: 'duplicate headers',
  },
  {
    file: 'missing-required-column.csv',
    kind: 'network',
    expected: { fails: /missing required column: npi/ },
    why: 'required column missing',
  },
  {
    file: 'unknown-kind.csv',
    expected: { fails: /cannot tell which roster this file is/ },
    why: 'unknown kind',
  },
  {
    file: 'binary-named.csv',
    expected: { fails: /binary file, not CSV text/ },
    why: 'binary file named .csv',
  },
  { file: 'pdf-named.csv', expected: { fails: /PDF document/ }, why: 'PDF named .csv' },
  {
    file: 'old-excel.xls',
    expected: { fails: /old Excel \.xls workbooks are not read/ },
    why: '.xls',
  },
  {
    file: 'old-excel-named.xlsx',
    expected: { fails: /old Excel \.xls workbook, not \.xlsx/ },
    why: '.xls named .xlsx',
  },
  {
    file: 'text-named.xlsx',
    expected: { fails: /not an Excel \.xlsx workbook.*rename it to \.csv/ },
    why: 'CSV named .xlsx',
  },
  {
    file: 'zip-named.xlsx',
    expected: { fails: /ZIP file is not an Excel workbook/ },
    why: 'a zip named .xlsx',
  },
  {
    file: 'truncated.xlsx',
    expected: { fails: /damaged or truncated/ },
    why: 'truncated workbook',
  },
  {
    file: 'npi-scientific-notation.csv',
    kind: 'network',
    expected: {
      read: 3,
      accepted: 2,
      rejected: 1,
      warnings: 1,
      reasons: [/scientific notation and its last digits are lost/],
    },
    why: 'NPI mangled by Excel: restored when exact (warning), else rejected',
  },
  {
    file: 'pharmacies-lost-leading-zeros.csv',
    kind: 'pharmacies',
    expected: {
      read: 4,
      accepted: 2,
      rejected: 2,
      warnings: 3,
      reasons: [
        /"1220" is not a ZIP code: it has 4 digits/,
        /"6029" is not a county FIPS code.*does not give a NY county/,
      ],
    },
    why: 'ZIP/FIPS that lost a leading zero: restored when unambiguous (CT, PR), else rejected',
  },
  {
    file: 'pharmacies-duplicate-npis.csv',
    kind: 'pharmacies',
    expected: { read: 3, accepted: 2, rejected: 1, reasons: [/duplicate of row 2 \(same npi\)/] },
    why: 'duplicate NPIs',
  },
  {
    file: 'network-unknown-npis.csv',
    kind: 'network',
    expected: {
      read: 3,
      accepted: 1,
      rejected: 2,
      reasons: [
        /NPI 1000000079 is not a known pharmacy/,
        /not a valid NPI|check digit|not a known pharmacy/,
      ],
    },
    why: 'rows referencing unknown pharmacies',
  },
  {
    file: 'network-bad-values.csv',
    kind: 'network',
    expected: {
      read: 7,
      accepted: 1,
      rejected: 6,
      reasons: [
        /not a CMS contract ID/,
        /not a plan benefit package/,
        /not a valid network role/,
        /not a real calendar date/,
        /termination/i,
        /check digit/,
      ],
    },
    why: 'bad values, one per column',
  },
  {
    file: 'formula-injection-plans.csv',
    kind: 'plans',
    expected: { read: 2, accepted: 2, rejected: 0 },
    why: 'formula-looking text is data (see report-safety.test.ts)',
  },
  {
    file: 'control-characters.csv',
    kind: 'plans',
    expected: { read: 1, accepted: 1, rejected: 0 },
    why: 'C0 controls and ESC in text',
  },
  {
    file: 'cr-only-newlines.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'old Mac CR line ends',
  },
  {
    file: 'quoted-multiline-notes.csv',
    kind: 'capabilities',
    expected: { read: 2, accepted: 2, rejected: 0 },
    why: 'quoted values with newlines, commas, doubled quotes',
  },
  {
    file: 'trailing-delimiters.csv',
    kind: 'network',
    expected: { read: 3, accepted: 3, rejected: 0 },
    why: 'trailing empty fields',
  },
  {
    file: 'cms-masked-zip.txt',
    kind: 'cms_network',
    expected: { read: 3, accepted: 2, rejected: 1, reasons: [/"606" is not a ZIP code/] },
    why: 'CMS masked ZIP XXXXX kept; 3-digit ZIP without a state rejected',
  },
  {
    file: 'coverage-requests-member-ids.csv',
    kind: 'coverage_requests',
    expected: {
      read: 3,
      accepted: 1,
      rejected: 2,
      reasons: [/"maybe" is not a yes\/no value/, /"NOPE" is not a drug class/],
    },
    why: 'member ids (masked), bad values',
  },
  {
    file: 'nbsp-and-spaces.csv',
    kind: 'network',
    expected: { read: 1, accepted: 1, rejected: 0 },
    why: 'spaces and non-breaking spaces around values',
  },
  {
    file: 'invalid-utf8-late.csv',
    kind: 'network',
    expected: { read: 4, accepted: 3, rejected: 1 },
    why: 'bytes not valid UTF-8 (read as Windows-1252, the bad value rejected)',
  },
];

const PHARMACY_HEADER =
  'npi,ncpdp_id,name,address,city,state,zip,county_fips,phone,after_hours_phone,service_type,taxonomy,sterile_compounding,usp797_category,provides_nursing,provides_supplies,delivers_within_24h,open_24x7,counties_served,accreditation,accreditation_expires';

function checkOutcome(c: Case, results: ImportFileResult[]): void {
  const label = `${c.file} (${c.why})`;
  expect(results, label).toHaveLength(1);
  const r = results[0]!;
  if ('fails' in c.expected) {
    expect(r.status, label).toBe('failed');
    expect(r.message, label).toMatch(c.expected.fails);
    expect(r.message, `${label}: the message names the file`).toContain(
      c.file.replace(/^.*\//, ''),
    );
    return;
  }
  expect(r.status, `${label}: ${r.message ?? ''}`).toBe('completed');
  expect(r.rowsRead, label).toBe(r.accepted + r.rejected);
  expect(r.rejections, label).toHaveLength(r.rejected);
  const { read, accepted, rejected, warnings, reasons } = c.expected;
  expect({ read: r.rowsRead, accepted: r.accepted, rejected: r.rejected }, label).toEqual({
    read,
    accepted,
    rejected,
  });
  if (warnings !== undefined) expect(r.warnings, label).toBe(warnings);
  for (const re of reasons ?? []) {
    expect(
      r.rejections.some((x) => re.test(x.reason)),
      `${label}: no rejection matches ${String(re)}: ${r.rejections.map((x) => x.reason).join(' | ')}`,
    ).toBe(true);
  }
  for (const x of r.rejections) {
    expect(x.rowNumber, label).toBeGreaterThan(1);
    expect(x.reason.length, label).toBeGreaterThan(5);
  }
}

describe('hostile and broken roster input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ia-hostile-'));
  let db: Db;
  const imp = (path: string, kind?: RosterKind, limits?: Partial<RosterLimits>) =>
    importRosters({
      db,
      paths: [path],
      asOf: AS_OF,
      timeZone: 'America/Chicago',
      ...(kind ? { kind } : {}),
      ...(limits ? { limits } : {}),
    });

  beforeAll(async () => {
    db = await openDatabase({ url: `file:${join(dir, 'corpus.db')}` });
    const base = join(dir, 'pharmacies.csv');
    writeFileSync(
      base,
      [
        PHARMACY_HEADER,
        `${A},,Lakefront Home Infusion,1 Main St,Chicago,IL,60612,17031,3125550100,,03,,Y,2,Y,Y,Y,N,,ACHC,2028-03-31`,
        '1000000012,,Retail One,2 Main St,Chicago,IL,60612,17031,3125550101,,01,,N,,N,N,N,N,,,',
        '1000000020,,Retail Two,3 Main St,Chicago,IL,60612,17031,3125550102,,01,,N,,N,N,N,N,,,',
      ].join('\n') + '\n',
    );
    const r = await imp(base);
    expect(r[0]!.accepted).toBe(3);
  });
  afterAll(async () => {
    await db.close();
  });

  it('has at least 30 committed files, each with its expected outcome', () => {
    expect(CORPUS_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS_CASES.map((c) => c.file)).size).toBe(CORPUS_CASES.length);
  });

  it.each(CORPUS_CASES.map((c) => [c.file, c] as const))('%s', async (_f, c) => {
    checkOutcome(c, await imp(join(CORPUS, c.file), c.kind, c.limits));
  });

  it('stores what it accepted as normalised text: encodings, restored zeros, trimmed values', async () => {
    const plans = await db.sql.query<{ plan_name: string; hi_access_directions: string }>(
      "SELECT plan_name, hi_access_directions FROM plan WHERE pbp_id = '003'",
    );
    expect(plans[0]).toEqual({
      plan_name: 'Lakeshore Caf\u00e9 Rx \u2013 Value',
      hi_access_directions: 'Call \u201cMember Services\u201d and say home infusion.',
    });
    const ct = await db.sql.query<{ zip: string; county_fips: string }>(
      "SELECT zip, county_fips FROM pharmacy WHERE npi = '1000000038' AND valid_to IS NULL",
    );
    expect(ct[0]).toEqual({ zip: '06103', county_fips: '09003' });
    const notes = await db.sql.query<{ notes: string | null }>(
      "SELECT notes FROM capability WHERE drug_class = 'ABX_IV'",
    );
    expect(notes[0]!.notes).toBe('line one\nline two, with comma\nline "three"');
  });

  it('never stores a full member id, in accepted or rejected rows', async () => {
    const everything = JSON.stringify([
      await db.sql.query('SELECT * FROM coverage_request'),
      await db.sql.query('SELECT * FROM rejected_row'),
    ]);
    for (const id of ['1EG4TE5MK73', '9ZZ9ZZ9ZZ91', 'MEMBERSECRET77']) {
      expect(everything).not.toContain(id);
      expect(everything).toContain(`****${id.slice(-4)}`);
    }
  });

  it('a 10 MB field: the file is refused with the limit named', async () => {
    const path = join(dir, 'capabilities-10mb-field.csv');
    writeFileSync(
      path,
      `npi,drug_class,usable_form,notes\n${A},ABX_IV,Y,"${'x'.repeat(10 * 1024 * 1024)}"\n`,
    );
    checkOutcome(
      {
        file: path,
        expected: { fails: /line 2 is longer than the limit of 1048576 characters/ },
        why: '10 MB field',
      },
      await imp(path),
    );
  });

  it('100,000 rows of which every tenth is bad', async () => {
    const path = join(dir, 'cms-100k.txt');
    const counts = writeCmsNetworkFile(path, 100_000, { badEvery: 10 });
    const r = await imp(path, 'cms_network');
    checkOutcome(
      {
        file: path,
        expected: {
          read: 100_000,
          accepted: counts.accepted,
          rejected: counts.rejected,
          reasons: [/check digit/],
        },
        why: '100k rows',
      },
      r,
    );
    expect(counts.rejected).toBe(10_000);
    expect(r[0]!.rejections.every((x) => (x.rowNumber - 1) % 10 === 0)).toBe(true);
  }, 120_000);

  it('an XLSX with formulas, merged cells, a hidden sheet, Excel dates and numbers', async () => {
    const path = join(dir, 'network-excel.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('network');
    ws.addRow([
      'contract_id',
      'pbp_id',
      'segment_id',
      'npi',
      'role',
      'effective_date',
      'termination_date',
    ]);
    // 2: formula with a saved result, NPI as a number, a real date cell
    ws.addRow([
      'S4802',
      { formula: '"00"&"1"', result: '001' },
      '000',
      Number(A),
      'home_infusion',
      new Date(Date.UTC(2026, 0, 1)),
      null,
    ]);
    // 3: an Excel serial date (46023 = 2026-01-01) shown with a date format
    const r3 = ws.addRow(['S4802', '002', '000', 1000000012, 'retail', 46023, null]);
    r3.getCell(6).numFmt = 'yyyy-mm-dd';
    // 4: a formula without a saved result
    ws.addRow(['S4802', { formula: 'B2' }, '000', 1000000020, 'retail', '2026-01-01', null]);
    // 5-6: contract merged over two rows (the second row's cell is empty in the file)
    ws.addRow(['S4802', '003', '000', 1000000020, 'retail', '2026-01-01', null]);
    ws.addRow([null, '003', '000', Number(A), 'retail', '2026-01-01', null]);
    ws.mergeCells('A5:A6');
    // 7: an Excel error value
    ws.addRow(['S4802', '004', '000', { error: '#N/A' }, 'retail', '2026-01-01', null]);
    // 8: an NPI that lost its last digits (1.23457E+09 as a number)
    ws.addRow(['S4802', '005', '000', 1234570000, 'retail', '2026-01-01', null]);
    const hidden = wb.addWorksheet('pharmacies', { state: 'hidden' });
    hidden.addRow(['npi', 'name']);
    hidden.addRow([A, 'should not be read']);
    await wb.xlsx.writeFile(path);
    const r = await imp(path);
    checkOutcome(
      {
        file: path,
        expected: {
          read: 7,
          accepted: 3,
          rejected: 4,
          reasons: [
            /formula without a saved result/,
            /contract.*missing|missing.*contract/i,
            /Excel error #N\/A/,
            /check digit/,
          ],
        },
        why: 'xlsx features',
      },
      r,
    );
    // The hidden sheet was not read: no pharmacy named "should not be read".
    const hiddenRows = await db.sql.query(
      "SELECT npi FROM pharmacy WHERE name = 'should not be read'",
    );
    expect(hiddenRows).toEqual([]);
  });

  // Fixed (src/import/import-rosters.ts, src/roster/open-roster.ts): the sheets openRoster passes
  // over (hidden, very hidden, empty, chart sheets) are given to onSkipped, as the files a folder
  // listing passes over are, so `import` and `run` say a hidden sheet was not read; also when the
  // workbook is then refused for its visible sheet.
  it('says that a hidden sheet was not read', async () => {
    const path = join(dir, 'plans-hidden.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('plans').addRow(['contract_id', 'pbp_id', 'plan_name']);
    wb.addWorksheet('secret', { state: 'hidden' }).addRow(['x']);
    await wb.xlsx.writeFile(path);
    const skipped: string[] = [];
    const refused = await importRosters({
      db,
      paths: [path],
      asOf: AS_OF,
      timeZone: 'America/Chicago',
      onSkipped: (s) => skipped.push(...s.map((x) => `${x.sheet}: ${x.reason}`)),
    });
    expect(refused.map((r) => r.status)).toEqual(['failed']); // plans columns are missing
    expect(skipped).toEqual(['secret: sheet is hidden; not read']);

    // A workbook that is read: its hidden and empty sheets are reported, once each.
    const ok = join(dir, 'plans-hidden-ok.xlsx');
    const wb2 = new ExcelJS.Workbook();
    const header = readFileSync(join(projectRoot, 'data', 'demo', 'plans.csv'), 'utf8').split(
      /\r?\n/,
    )[0]!;
    const plans = wb2.addWorksheet('plans');
    plans.addRow(header.split(','));
    plans.addRow(['S4802', '009', '000', 'Hidden-sheet test plan', 'PDP', '8005550142']);
    wb2.addWorksheet('secret', { state: 'veryHidden' }).addRow(['x']);
    wb2.addWorksheet('blank');
    await wb2.xlsx.writeFile(ok);
    const parts: SkippedPart[] = [];
    const read = await importRosters({
      db,
      paths: [ok],
      asOf: AS_OF,
      timeZone: 'America/Chicago',
      onSkipped: (s) => parts.push(...s),
    });
    expect(read.map((r) => r.status)).toEqual(['completed']);
    expect(parts).toEqual([
      {
        fileName: 'plans-hidden-ok.xlsx',
        sheet: 'secret',
        reason: 'sheet is very hidden; not read',
      },
      { fileName: 'plans-hidden-ok.xlsx', sheet: 'blank', reason: 'sheet is empty; not read' },
    ]);
  });

  describe('limits', () => {
    it('file size, row count and XLSX uncompressed size (zip bomb) are enforced with a clear error', async () => {
      const bomb = join(dir, 'network-bomb.xlsx');
      writeFileSync(bomb, zipBomb(64 * 1024 * 1024));
      const rows = join(dir, 'network-rows.csv');
      writeFileSync(
        rows,
        readFileSync(join(CORPUS, 'utf8-bom.csv'), 'utf8').replace(/\r\n$/, '\n'),
      );
      const cases: Case[] = [
        {
          file: rows,
          kind: 'network',
          limits: { maxFileBytes: 100 },
          expected: {
            fails: /network-rows\.csv: the file is \d+ bytes, more than the limit of 100 bytes/,
          },
          why: 'maxFileBytes',
        },
        {
          file: rows,
          kind: 'network',
          limits: { maxRows: 2 },
          expected: { fails: /more than 2 data rows \(limit\)/ },
          why: 'maxRows',
        },
        {
          file: bomb,
          kind: 'network',
          limits: { maxUncompressedBytes: 10 * 1024 * 1024 },
          expected: {
            fails: /expands to \d+ bytes when unzipped, more than the limit of 10485760 bytes/,
          },
          why: 'zip bomb',
        },
      ];
      for (const c of cases) checkOutcome(c, await imp(c.file, c.kind, c.limits));
      // The default limit (1 GiB) lets the 64 MB workbook through to its (bad) content.
      const r = await imp(bomb, 'network');
      expect(r[0]!.status).toBe('failed');
    }, 60_000);

    it('are configurable in infusion-audit.config.json', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'ia-limits-'));
      writeFileSync(
        join(cwd, 'infusion-audit.config.json'),
        JSON.stringify({
          limits: { maxFileBytes: 100_000, maxRows: 2, maxXlsxUncompressedBytes: 1_000_000 },
        }),
      );
      writeFileSync(join(cwd, 'network-bomb.xlsx'), zipBomb(8 * 1024 * 1024));
      writeFileSync(join(cwd, 'network-big.csv'), 'x'.repeat(150_000));
      const res = await runCli(
        [
          'import',
          join(cwd, 'network-bomb.xlsx'),
          join(CORPUS, 'utf8-bom.csv'),
          join(cwd, 'network-big.csv'),
          '--kind',
          'network',
          '--db',
          `file:${join(cwd, 'a.db')}`,
          '--as-of',
          AS_OF,
        ],
        { cwd },
      );
      expect(res.code).toBe(2);
      expect(res.stdout + res.stderr).toMatch(/more than the limit of 1000000 bytes/);
      expect(res.stdout + res.stderr).toMatch(/more than 2 data rows/);
      expect(res.stdout + res.stderr).toMatch(/150000 bytes, more than the limit of 100000 bytes/);
      const config = await runCli(['config', '--json'], { cwd });
      expect(config.stdout).toMatch(/"maxUncompressedBytes": 1000000/);
    }, 60_000);
  });
});

/** A ZIP named .xlsx whose one sheet inflates to `bytes` (deflate of repeated text). */
function zipBomb(bytes: number): Buffer {
  const row = '<row><c t="inlineStr"><is><t>S4802</t></is></c></row>';
  const sheet = Buffer.from(
    `<worksheet><sheetData>${row.repeat(Math.floor(bytes / row.length))}</sheetData></worksheet>`,
  );
  const entries: [string, Buffer][] = [
    ['[Content_Types].xml', Buffer.from('<Types/>')],
    [
      'xl/workbook.xml',
      Buffer.from(
        '<workbook><sheets><sheet name="network" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    ],
    [
      'xl/_rels/workbook.xml.rels',
      Buffer.from(
        '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    ],
    ['xl/worksheets/sheet1.xml', sheet],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const packed = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
