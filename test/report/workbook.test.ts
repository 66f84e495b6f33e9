import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbook, FILLS, SHEET_NAMES } from '../../src/report/write-workbook.js';
import { PAYMENT_MATRIX } from '../../src/report/letter.js';
import { evidenceText } from '../../src/report/format.js';
import { buildModel, finding, HOSTILE } from './model-builder.js';
import { cells, fillOf, readBook, rowWithA, sheet, textOf } from './read-back.js';
import { readZipEntries } from './zip.js';

let dir: string;
let path: string;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-wb-'));
  path = join(dir, 'report.xlsx');
  await writeWorkbook({ model: buildModel(), path });
  wb = await readBook(path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workbook structure', () => {
  it('has the seventeen sheets in order', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Findings',
      'Coverage',
      'Distance',
      'Maps',
      'HI Pharmacy Directory',
      'Ancillary Assurances',
      'Coverage Requests',
      'Changes',
      'Data Lineage',
      'Rejected Rows',
      'Methodology',
      'Exceptions',
      'Expiring Evidence',
      'Key Pharmacies',
      'Recruitment',
      'Retail access',
    ]);
    expect(Object.values(SHEET_NAMES)).toEqual(wb.worksheets.map((w) => w.name));
  });

  it('writes atomically: no temp file is left', () => {
    expect(readdirSync(dir)).toEqual(['report.xlsx']);
  });

  it('sets workbook properties from the model', () => {
    expect(wb.creator).toBe('infusion-audit');
    expect(wb.created.toISOString()).toBe('2026-11-02T14:30:00.000Z');
    expect(wb.title).toContain('Acme Health');
    expect(wb.subject).toContain('2026-11-01');
  });

  it('sets up printing on every sheet: one page wide, pages as tall as the rows need', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.fitToWidth, ws.name).toBe(1);
      expect(ws.pageSetup.fitToHeight, ws.name).toBe(0);
      expect(ws.headerFooter.oddFooter, ws.name).toBe(`&L${ws.name}, run 12&RPage &P of &N`);
    }
    expect(sheet(wb, 'Findings').pageSetup.orientation).toBe('landscape');
    expect(sheet(wb, 'Findings').pageSetup.printTitlesRow).toBe('1:1');
    expect(sheet(wb, 'Changes').pageSetup.printTitlesRow).toBe('4:4');
  });

  it('starts each plan of Coverage and HI Pharmacy Directory on a new printed page', () => {
    const entries = readZipEntries(path);
    for (const [n, name] of [
      [3, 'Coverage'],
      [6, 'HI Pharmacy Directory'],
    ] as const) {
      const plans: number[] = [];
      sheet(wb, name).eachRow((row, r) => {
        if (textOf(row.getCell(1)).startsWith('Plan ')) plans.push(r);
      });
      expect(plans.length).toBeGreaterThan(1);
      // A break after the row before each plan's section (a blank row), except the first.
      const xml = entries.get(`xl/worksheets/sheet${n}.xml`)!;
      const breaks = [...xml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
      expect(breaks, name).toEqual(plans.slice(1).map((r) => r - 2));
    }
  });

  it('sets column widths', () => {
    const ws = sheet(wb, 'Findings');
    // The message column: wide, within what keeps the sheet one legible page wide.
    expect(ws.getColumn(10).width).toBeGreaterThanOrEqual(30);
  });
});

describe('Summary', () => {
  it('shows the verdict coloured and the run facts', () => {
    const ws = sheet(wb, 'Summary');
    const verdict = rowWithA(ws, 'Overall verdict')!;
    expect(verdict.number).toBe(2);
    expect(verdict.getCell(2).value).toBe('NON-COMPLIANT');
    expect(fillOf(verdict.getCell(2))).toBe(FILLS.critical);
    expect(textOf(verdict.getCell(3))).toMatch(/open findings? at or above the fail-on severity/);
    const asOf = rowWithA(ws, 'As-of date')!.getCell(2);
    expect(asOf.value).toEqual(new Date(Date.UTC(2026, 10, 1)));
    expect(asOf.numFmt).toBe('yyyy-mm-dd');
    expect(rowWithA(ws, 'Run id')!.getCell(2).value).toBe('12');
    // 14:30 UTC is 09:30 in the policy's time zone (America/New_York, EST on 2026-11-02).
    const generated = rowWithA(ws, 'Generated at (America/New_York)')!.getCell(2);
    expect(generated.value).toEqual(new Date('2026-11-02T09:30:00Z'));
    expect(generated.numFmt).toBe('yyyy-mm-dd hh:mm');
    // The run's metadata comes after the verdict, the plans and the rules.
    expect(rowWithA(ws, 'Policy hash')!.number).toBeGreaterThan(rowWithA(ws, 'Plans')!.number);
    expect(rowWithA(ws, 'Run type')!.getCell(2).value).toBe('Audit of record');
  });

  it('marks a what-if run', async () => {
    const model = buildModel();
    const p = join(dir, 'whatif.xlsx');
    await writeWorkbook({
      model: { ...model, run: { ...model.run, whatIf: true, verdict: 'COMPLIANT' } },
      path: p,
    });
    const ws = sheet(await readBook(p), 'Summary');
    expect(textOf(ws.getCell('A1'))).toMatch(/^WHAT-IF/);
    expect(textOf(rowWithA(ws, 'Run type')!.getCell(2))).toMatch(/WHAT-IF/);
    expect(fillOf(rowWithA(ws, 'Overall verdict')!.getCell(2))).toBe(FILLS.green);
    rmSync(p);
  });

  it('has a row per rule with status, counts and a link to its first finding', () => {
    const ws = sheet(wb, 'Summary');
    let header: ExcelJS.Row | undefined;
    ws.eachRow((row) => {
      if (textOf(row.getCell(1)) === 'Rule' && textOf(row.getCell(2)) === 'Title') header = row;
    });
    const rows = [1, 2, 3, 4, 5].map((i) => ws.getRow(header!.number + i));
    expect(rows.map((r) => textOf(r.getCell(1)))).toEqual([
      'HI-ACUTE',
      'HI-ASSURANCE',
      'HI-DIRECTIONS',
      'DATA-STALE',
      'HI-ACCREDITATION',
    ]);
    expect(rows.map((r) => r.getCell(5).value)).toEqual([
      'FAIL',
      'FAIL',
      'NOTES',
      'NOTES',
      'DISABLED',
    ]);
    // counts by severity: critical, major, minor, info, total, new
    expect([6, 7, 8, 9, 10, 11].map((c) => rows[0]!.getCell(c).value)).toEqual([2, 0, 0, 0, 2, 1]);
    expect(rows[1]!.getCell(1).value).toEqual({
      text: 'HI-ASSURANCE',
      hyperlink: "#'Findings'!A4",
    });
    expect(rows[4]!.getCell(1).value).toEqual({
      text: 'HI-ACCREDITATION',
      hyperlink: "#'Findings'!A1",
    });
  });

  it('shows the key figures with coverage as a percentage', () => {
    const ws = sheet(wb, 'Summary');
    const cov = rowWithA(ws, 'Coverage (covered / required cells)')!.getCell(2);
    expect(cov.value).toBe(0.75);
    expect(cov.numFmt).toBe('0.0%');
    expect(rowWithA(ws, 'In-network HI pharmacies')!.getCell(2).value).toBe(3);
  });
});

describe('Findings', () => {
  it('keeps the model order (severity then rule) with severity fills', () => {
    const ws = sheet(wb, 'Findings');
    expect(ws.rowCount).toBe(6);
    const sev = [2, 3, 4, 5, 6].map((r) => ws.getRow(r).getCell(1));
    expect(sev.map((c) => c.value)).toEqual(['Critical', 'Critical', 'Major', 'Minor', 'Info']);
    expect(sev.map((c) => fillOf(c))).toEqual([
      FILLS.critical,
      FILLS.critical,
      FILLS.major,
      FILLS.minor,
      FILLS.info,
    ]);
    expect(ws.getRow(2).getCell(3).value).toBe('S1234-001-000');
    expect(ws.getRow(2).getCell(11).value).toBe(
      'county: 01001; pharmacies: 0; classes: ABX, A1PI; checked: yes; note: none',
    );
  });

  it('freezes the header and has an autofilter', () => {
    const ws = sheet(wb, 'Findings');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:O6');
  });

  it("carries each finding's citation in the last column", () => {
    const ws = sheet(wb, 'Findings');
    expect(ws.getRow(1).getCell(15).value).toBe('Citation');
    expect(ws.getRow(2).getCell(15).value).toBe('42 CFR 423.120(a)(4)');
  });

  it('an INCOMPLETE run says on the Summary what is missing', async () => {
    const p2 = join(dir, 'incomplete.xlsx');
    const base = buildModel();
    await writeWorkbook({
      model: {
        ...base,
        run: {
          ...base.run,
          verdict: 'INCOMPLETE',
          missing: [
            { what: 'pharmacy_roster', message: 'no pharmacy roster is in force on 2026-11-01' },
          ],
        },
      },
      path: p2,
    });
    const summary = sheet(await readBook(p2), 'Summary');
    const row = rowWithA(summary, 'Cannot judge: missing');
    expect(row?.getCell(2).value).toBe('no pharmacy roster is in force on 2026-11-01');
  });

  it('writes first seen as a date cell', () => {
    const c = sheet(wb, 'Findings').getRow(3).getCell(13);
    expect(c.value).toEqual(new Date(Date.UTC(2026, 8, 1)));
    expect(c.numFmt).toBe('yyyy-mm-dd');
  });
});

describe('Coverage', () => {
  it('counts pharmacies per county and class, 0 red and 1 amber', () => {
    const ws = sheet(wb, 'Coverage');
    const autauga = rowWithA(ws, '01001')!;
    expect(autauga.getCell(2).value).toBe('Autauga');
    // No enrollment roster in this model: members are not computed, never 0.
    expect(autauga.getCell(3).value).toBe('not computed');
    expect(autauga.getCell(4).value).toBe(2);
    expect(fillOf(autauga.getCell(4))).toBeUndefined();
    expect(autauga.getCell(5).value).toBe(1);
    expect(fillOf(autauga.getCell(5))).toBe(FILLS.amber);
    const baldwin = rowWithA(ws, '01003')!;
    expect(baldwin.getCell(5).value).toBe(0);
    expect(typeof baldwin.getCell(5).value).toBe('number');
    expect(fillOf(baldwin.getCell(5))).toBe(FILLS.red);
    const header = ws.getRow(autauga.number - 1);
    expect(textOf(header.getCell(3))).toBe('Members');
    expect(textOf(header.getCell(4))).toContain('ABX');
    expect(textOf(header.getCell(5))).toContain('A1PI');
  });
});

describe('Distance', () => {
  it('states the sponsor policy, members per plan, and per county the share and farthest miles', () => {
    const ws = sheet(wb, 'Distance');
    const all = cells(ws).map(textOf);
    expect(all.some((t) => t.startsWith('Sponsor policy: at least 90 % of'))).toBe(true);
    expect(all.some((t) => t.includes('within 60 miles'))).toBe(true);
    expect(all).toContain(
      "Distance to care: 1 of 2 plan x county x class cells with members are below the policy (1,310 members enrolled); 12 members could not be placed; 10 members live outside their plan's service area; 1 eligible pharmacies have a ZIP the reference does not know.",
    );
    const plan = rowWithA(ws, 'S1234-001-000')!;
    // Plan, members, in area, outside, at county centroid, not placed, cells below.
    expect([2, 3, 4, 5, 6, 7].map((i) => plan.getCell(i).value)).toEqual([
      1310, 1300, 10, 40, 12, 1,
    ]);
    expect(fillOf(plan.getCell(6))).toBe(FILLS.amber);
    // The hostile pharmacy name is text, not a formula.
    const left = rowWithA(ws, '1003000126')!;
    expect(left.getCell(2).value).toBe(HOSTILE.plus);
    expect(left.getCell(3).value).toBe('00000');
    // One row per county and class: members, placed, class, within (percent), farthest (miles).
    const countyRows = (fips: string): ExcelJS.Row[] => {
      const out: ExcelJS.Row[] = [];
      ws.eachRow((r) => {
        if (textOf(r.getCell(1)) === fips) out.push(r);
      });
      return out;
    };
    const autauga = countyRows('01001');
    expect(autauga.map((r) => [4, 5, 3, 6, 7].map((i) => r.getCell(i).value))).toEqual([
      [1000, 1000, 'ABX', 0.95, 71.25],
      [1000, 1000, 'A1PI', 'not computed', null],
    ]);
    expect(autauga[0]!.getCell(6).numFmt).toBe('0.0%');
    expect(autauga[0]!.getCell(7).numFmt).toBe('#,##0.00');
    expect(fillOf(autauga[0]!.getCell(6))).toBeUndefined();
    const baldwin = countyRows('01003');
    expect(fillOf(baldwin[0]!.getCell(5))).toBe(FILLS.amber); // 288 of 300 placed
    const a1pi = baldwin.find((r) => r.getCell(3).value === 'A1PI')!;
    expect(a1pi.getCell(6).value).toBe(0);
    expect(fillOf(a1pi.getCell(6))).toBe(FILLS.red);
    expect(a1pi.getCell(7).value).toBe('no pharmacy');
    const header = ws.getRow(autauga[0]!.number - 1);
    expect([3, 6, 7].map((i) => textOf(header.getCell(i)))).toEqual([
      'Class',
      'Within the distance',
      'Farthest (mi)',
    ]);
  });

  it('says why when distances were not evaluated, and shows no table', async () => {
    const d2 = mkdtempSync(join(tmpdir(), 'ia-distance-'));
    try {
      const p = join(d2, 'r.xlsx');
      await writeWorkbook({
        model: buildModel({
          distance: {
            ...buildModel().distance,
            status: 'no_enrollment',
            notEvaluatedReason: 'no enrollment roster has been imported',
            plans: [],
            cells: [],
            unlocatedPharmacies: [],
          },
        }),
        path: p,
      });
      const ws = sheet(await readBook(p), 'Distance');
      expect(cells(ws).map(textOf)).toContain(
        'Distance to care NOT EVALUATED: no enrollment roster has been imported.',
      );
      expect(rowWithA(ws, 'S1234-001-000')).toBeUndefined();
    } finally {
      rmSync(d2, { recursive: true, force: true });
    }
  });
});

describe('HI Pharmacy Directory', () => {
  it('gives service lines, directions and pharmacies as a service line reads them', () => {
    const ws = sheet(wb, 'HI Pharmacy Directory');
    const all = cells(ws).map(textOf);
    expect(all).toContain('Plan S1234-001-000: Acme Rx Basic (PDP)');
    expect(rowWithA(ws, 'Member services')!.getCell(2).value).toBe('(800) 555-0100');
    expect(rowWithA(ws, 'Provider services')!.getCell(2).value).toBe('(800) 555-0199');
    expect(textOf(rowWithA(ws, 'HI access directions')!.getCell(2))).toMatch(/home infusion desk/);
    const good = cells(ws).find((c) => c.value === 'Good Infusion Rx')!;
    const row = ws.getRow(Number(good.row));
    expect(row.getCell(5).value).toBe('(205) 555-0123');
    expect(row.getCell(6).value).toBe('Open 24x7');
    expect(row.getCell(8).value).toBe('Provides nursing and supplies');
    const drugOnly = ws.getRow(row.number + 1);
    expect(drugOnly.getCell(6).value).toBe('(205) 555-0999');
    expect(drugOnly.getCell(8).value).toBe('Relies on assurance: Valley VNA');
    expect(all).toContain('No in-network home infusion pharmacy serves this county');
    expect(all).toContain('No written directions on file');
  });
});

describe('Ancillary Assurances and Coverage Requests', () => {
  it('lists assurances with status and dates', () => {
    const ws = sheet(wb, 'Ancillary Assurances');
    expect(ws.getRow(3).getCell(9).value).toBe('expired');
    expect(fillOf(ws.getRow(3).getCell(9))).toBe(FILLS.red);
    expect(ws.getRow(2).getCell(8).value).toEqual(new Date(Date.UTC(2026, 11, 1)));
  });

  it('masks member ids to the last 4 characters even when the model did not', () => {
    const ws = sheet(wb, 'Coverage Requests');
    expect(ws.getRow(2).getCell(7).value).toBe('****6789');
    expect(ws.getRow(3).getCell(7).value).toBe('****4321');
    const everything = wb.worksheets.flatMap((w) => cells(w).map(textOf)).join('\n');
    expect(everything).not.toContain('MBR123456789');
    // 13:00 UTC is 09:00 in the policy's time zone (America/New_York, EDT in October).
    expect(ws.getRow(2).getCell(9).value).toEqual(new Date('2026-10-20T09:00:00Z'));
    expect(textOf(ws.getRow(1).getCell(9))).toBe('Clock start (America/New_York)');
    expect(ws.getRow(3).getCell(12).value).toBe(172.3);
  });
});

describe('Changes and Data Lineage', () => {
  it('lists new, resolved and persisting findings', () => {
    const ws = sheet(wb, 'Changes');
    expect(textOf(ws.getCell('A1'))).toBe('Changes against run 11');
    const kinds: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 4) kinds.push(textOf(row.getCell(1)));
    });
    expect(kinds).toEqual(['new', 'new', 'new', 'resolved', 'persisting', 'persisting']);
  });

  it('records imports, and rejected rows on their own sheet under their own header', () => {
    const lineage = cells(sheet(wb, 'Data Lineage')).map(textOf);
    expect(lineage).toContain('a'.repeat(64));
    expect(lineage).not.toContain('NPI must be 10 digits');
    const ws = sheet(wb, 'Rejected Rows');
    const all = cells(ws).map(textOf);
    expect(all).toContain('NPI must be 10 digits');
    expect(all).toContain(HOSTILE.hyperlink);
    // Printed pages repeat the rejected rows' own header, not the imports'.
    expect(ws.pageSetup.printTitlesRow).toBe('2:2');
    expect([1, 2, 3, 4, 5, 6].map((c) => textOf(ws.getRow(2).getCell(c)))).toEqual([
      'Import',
      'File',
      'Row',
      'Column',
      'Value',
      'Reason',
    ]);
  });
});

describe('Methodology', () => {
  it('contains definitions, rules, policy and the payment matrix as a table', () => {
    const ws = sheet(wb, 'Methodology');
    const all = cells(ws).map(textOf);
    expect(all).toContain('Membership active on D');
    expect(all).toContain('Required classes');
    expect(all.some((t) => t.includes("sponsor's own policy"))).toBe(true);
    expect(all).toContain('minPharmaciesPerClass');
    const fees = rowWithA(ws, 'Professional Fees')!;
    expect([2, 3, 4, 5].map((c) => fees.getCell(c).value)).toEqual(['Yes', 'No', 'Yes', 'No']);
    const header = ws.getRow(fees.number - 2);
    expect([2, 3, 4, 5, 6, 7].map((c) => header.getCell(c).value)).toEqual([
      ...PAYMENT_MATRIX.payers,
    ]);
    expect(rowWithA(ws, 'Drug Ingredient and Dispensing Fee')!.getCell(5).value).toBe('Yes');
    expect(all.filter((t) => /^Step \d+:/.test(t))).toHaveLength(8);
  });
});

describe('formula safety', () => {
  it('writes hostile input as exact string cells, never formulas', () => {
    const all = wb.worksheets.flatMap((w) => cells(w));
    for (const c of all) {
      expect(c.type, c.fullAddress.sheetName + c.address).not.toBe(ExcelJS.ValueType.Formula);
      expect(c.formula).toBeUndefined();
    }
    const findings = sheet(wb, 'Findings');
    expect(findings.getRow(2).getCell(10).value).toBe(HOSTILE.hyperlink);
    expect(findings.getRow(2).getCell(10).type).toBe(ExcelJS.ValueType.String);
    expect(findings.getRow(4).getCell(8).value).toBe(HOSTILE.plus);
    expect(findings.getRow(4).getCell(10).value).toBe(HOSTILE.at);
    expect(findings.getRow(4).getCell(11).value).toBe(`entity: ${HOSTILE.minus}`);
    expect(findings.getRow(5).getCell(8).value).toBe(HOSTILE.minus);
    expect(findings.getRow(5).getCell(10).value).toBe(HOSTILE.tab);
    // XML turns CR into LF; the cell still holds the text, as a string.
    expect(findings.getRow(6).getCell(10).value).toBe('\n=1+1');
    const directory = cells(sheet(wb, 'HI Pharmacy Directory')).filter(
      (c) => c.value === HOSTILE.plus,
    );
    expect(directory.length).toBeGreaterThan(0);
  });

  it('has no formula element and only internal hyperlinks in the file', () => {
    const entries = readZipEntries(path);
    const sheets = [...entries].filter(([name]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
    expect(sheets).toHaveLength(17);
    for (const [name, xml] of sheets) {
      expect(xml, name).not.toMatch(/<f[\s>]/);
    }
    const rels = [...entries]
      .filter(([name]) => name.includes('_rels/sheet'))
      .flatMap(([, xml]) => [...xml.matchAll(/<Relationship [^>]*>/g)].map((m) => m[0]));
    // Besides hyperlinks, only the Maps sheet's drawing (its pictures).
    const drawings = rels.filter((r) => r.includes('/relationships/drawing"'));
    for (const r of drawings) expect(r).toMatch(/Target="\.\.\/drawings\/drawing\d+\.xml"/);
    expect(drawings).toHaveLength(1);
    const targets = rels
      .filter((r) => !drawings.includes(r))
      .map((r) => /Target="([^"]*)"/.exec(r)![1]!);
    // Rules, plans and "fix these first" link to Findings; rejected rows to Rejected Rows.
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const t of targets) expect(t).toMatch(/^#&apos;(Findings|Rejected Rows)&apos;!A\d+$/);
    expect(targets).toContain('#&apos;Rejected Rows&apos;!A1');
  });
});

describe('evidence in words', () => {
  it('reads as a sentence, times in the sponsor time zone as claims systems write them', () => {
    expect(evidenceText({ minimum: 1, npis: [], servingPharmacies: 0 }, 'America/Chicago')).toBe(
      '0 pharmacies serve this county; policy minimum 1',
    );
    expect(evidenceText({ servingPharmacies: 1, coveringPharmacies: 1, minimum: 2 })).toBe(
      '1 pharmacy serves this county, 1 of them delivers this class; policy minimum 2',
    );
    expect(
      evidenceText(
        { deadline: '2026-10-30T16:00:00.000Z', decidedAt: null, elapsedHours: 1 },
        'America/Chicago',
      ),
    ).toBe('deadline: 10/30/2026 11:00 AM; not decided; 1 hour elapsed');
  });
});

describe('single points of failure', () => {
  it('are grouped per plan and county and counted apart from the findings to act on', async () => {
    const base = buildModel();
    const point = (drugClass: string, countyFips: string) =>
      finding('HI-SINGLE-POINT', 'info', {
        drugClass,
        countyFips,
        countyName: countyFips === '01001' ? 'Autauga' : 'Baldwin',
        evidence: { careType: 'acute', coveringPharmacies: 1, npis: ['1234567893'] },
      });
    const model = {
      ...base,
      findings: [
        ...base.findings,
        point('ABX', '01001'),
        point('A1PI', '01001'),
        point('ABX', '01003'),
      ],
    };
    const p = join(dir, 'single-point.xlsx');
    await writeWorkbook({ model, path: p });
    const ws = sheet(await readBook(p), 'Summary');
    expect(rowWithA(ws, 'Findings to act on')!.getCell(2).value).toBe(base.findings.length);
    expect(rowWithA(ws, 'Single-point notes (HI-SINGLE-POINT, info)')!.getCell(2).value).toBe(3);
    expect(rowWithA(ws, 'Plan counties with a single point of failure')!.getCell(2).value).toBe(2);
    const header = rowWithA(ws, 'Single points of failure (HI-SINGLE-POINT, not counted above)')!;
    const first = ws.getRow(header.number + 2);
    expect(textOf(first.getCell(1))).toBe('S1234-001-000');
    expect(first.getCell(2).value).toBe('Autauga (01001)');
    expect(first.getCell(3).value).toBe('ABX, A1PI');
    expect(textOf(ws.getRow(header.number + 3).getCell(2))).toBe('Baldwin (01003)');
    rmSync(p);
  });
});

describe('Retail access sheet', () => {
  it('shows per plan and State the share per class against its standard, and the verdict', () => {
    const ws = sheet(wb, 'Retail access');
    const header = rowWithA(ws, 'Plan')!;
    const headers = (header.values as unknown[]).slice(1).map(String);
    expect(headers).toContain('Urban within 2 mi (standard 90 %)');
    expect(headers).toContain('Rural within 15 mi (standard 70 %)');
    const row = rowWithA(ws, 'S1234-001-000')!;
    const at = (h: string): ExcelJS.Cell => row.getCell(headers.indexOf(h) + 1);
    expect(textOf(at('State'))).toBe('AL');
    expect(textOf(at('Urban within 2 mi (standard 90 %)'))).toBe('90.0 %');
    expect(textOf(at('Suburban within 5 mi (standard 90 %)'))).toBe('80.0 %');
    expect(fillOf(at('Suburban within 5 mi (standard 90 %)'))).toBe(FILLS.red);
    expect(textOf(at('Rural within 15 mi (standard 70 %)'))).toBe('-');
    expect(textOf(at('Verdict'))).toBe('BELOW STANDARD');
    const text = cells(ws).map(textOf).join('\n');
    expect(text).toContain('sponsor-supplied file cms-zip-classes.csv (3 ZIPs, as of 2026-01-01');
    expect(text).toContain(
      'Plan S1234-001-000: 2 I/T/U pharmacies in the service area, 1 in network, 1 not in network (NPI 1245319599)',
    );
    expect(text).not.toContain('NOT ASSESSED');
    expect(text).toContain('Long-term care pharmacies (42 CFR 423.120(a)(5))');
  });
  it('without a ZIP class file, rows read NOT EVALUATED (grey), never INCOMPLETE', async () => {
    const base = buildModel();
    const ra = base.retailAccess!;
    const model = {
      ...base,
      retailAccess: {
        ...ra,
        zipClasses: null,
        membersNotJudged: 1234,
        incompleteRows: 0,
        rows: ra.rows.map((r) => ({ ...r, verdict: 'not_evaluated' as const })),
      },
    };
    const p = join(dir, 'retail-none.xlsx');
    await writeWorkbook({ model, path: p });
    const ws = sheet(await readBook(p), 'Retail access');
    const header = rowWithA(ws, 'Plan')!;
    const headers = (header.values as unknown[]).slice(1).map(String);
    const verdict = rowWithA(ws, 'S1234-001-000')!.getCell(headers.indexOf('Verdict') + 1);
    expect(textOf(verdict)).toBe('NOT EVALUATED');
    expect(fillOf(verdict)).toBe(FILLS.grey);
    const text = cells(ws).map(textOf).join('\n');
    expect(text).toContain('ZIP classes: NONE.');
    expect(text).not.toContain('rows are INCOMPLETE');
    rmSync(p);

    // With a class file, members not judged are counted in words and make rows INCOMPLETE.
    const q = join(dir, 'retail-some.xlsx');
    await writeWorkbook({
      model: { ...base, retailAccess: { ...ra, membersNotJudged: 1234 } },
      path: q,
    });
    expect(cells(sheet(await readBook(q), 'Retail access')).map(textOf)).toContain(
      '1,234 members were not judged (their ZIP has no class, or they have no usable ZIP): their plan-State rows are INCOMPLETE.',
    );
    rmSync(q);
  });
});
