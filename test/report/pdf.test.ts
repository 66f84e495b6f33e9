/**
 * The demo workbook printed to PDF by LibreOffice, as many reviewers do, and read back with
 * poppler's pdftotext: the verdict, the per-plan table and a long finding message come out whole.
 * Needs soffice and pdftotext (.ci/run installs libreoffice-calc and poppler-utils); skipped only
 * when they are absent outside CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICT_LABELS } from '../../src/domain/types.js';
import type { Verdict } from '../../src/domain/types.js';
import { DEMO_AS_OF, runDemo } from '../helpers/report-files.js';
import { readBook, sheet, textOf } from './read-back.js';

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = has('soffice') && has('pdftotext');
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (!tools && !inCi) {
  console.warn(
    'SKIPPED: the workbook is not printed to PDF because soffice or pdftotext is absent (apt-get install -y libreoffice-calc poppler-utils).',
  );
}

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

/** The words of each page with their boxes (pdftotext -bbox). */
function wordsByPage(pdf: string): Word[][] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text: m[5]!,
      })),
    );
}

/**
 * Pairs of words printed over each other (their boxes, less a quarter of their height at top and
 * bottom and a point at each side, intersect): text that overflows its row or cell.
 */
function overprinted(words: Word[]): string[] {
  const inner = words.map((w) => {
    const h = (w.y1 - w.y0) / 4;
    return { ...w, x0: w.x0 + 1, x1: w.x1 - 1, y0: w.y0 + h, y1: w.y1 - h };
  });
  const out: string[] = [];
  for (let i = 0; i < inner.length; i++) {
    const a = inner[i]!;
    for (let j = i + 1; j < inner.length; j++) {
      const b = inner[j]!;
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
        out.push(`${a.text} / ${b.text}`);
    }
  }
  return out;
}

/** Text as compared: whitespace runs as one space, no space after a hyphen a line broke at. */
function normal(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/- /g, '-').trim();
}

let dir: string;
let xlsx: string;
let pages: string[];
let pdf: string;
let boxes: Word[][];
let report: {
  run: { verdict: Verdict };
  findings: { message: string; severity: string }[];
};

beforeAll(async () => {
  if (!tools && !inCi) return;
  dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
  const out = join(dir, 'reports');
  await runDemo(out, `file:${join(dir, 'demo.db')}`);
  const dated = join(out, DEMO_AS_OF);
  const base = readdirSync(dated)
    .find((f) => f.endsWith('.xlsx'))!
    .replace(/\.xlsx$/, '');
  xlsx = join(dated, `${base}.xlsx`);
  report = JSON.parse(readFileSync(join(dated, `${base}.json`), 'utf8')) as typeof report;
  // A profile of its own, so a LibreOffice already running elsewhere does not take the job.
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      xlsx,
    ],
    { stdio: 'ignore', timeout: 180_000 },
  );
  pdf = join(dir, `${base}.pdf`);
  const text = execFileSync('pdftotext', ['-raw', pdf, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  pages = text.split('\f');
  boxes = wordsByPage(join(dir, `${base}.pdf`));
}, 240_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!tools && !inCi)('demo workbook printed to PDF by LibreOffice', () => {
  it('shows the verdict on the first page', () => {
    const first = normal(pages[0]!);
    expect(first).toContain(`Overall verdict ${VERDICT_LABELS[report.run.verdict]}`);
    expect(first.indexOf('Overall verdict')).toBeLessThan(first.indexOf('Plan Name Type Verdict'));
  });

  it('prints the per-plan table whole: plan, name, type, verdict, counts, coverage', async () => {
    const ws = sheet(await readBook(xlsx), 'Summary');
    let header = 0;
    ws.eachRow((row, n) => {
      if (header === 0 && textOf(row.getCell(1)) === 'Plan' && textOf(row.getCell(4)) === 'Verdict')
        header = n;
    });
    expect(header).toBeGreaterThan(0);
    const summary = normal(pages.filter((p) => p.includes('Summary, run')).join(' '));
    let plans = 0;
    for (let n = header + 1; textOf(ws.getRow(n).getCell(1)) !== ''; n++) {
      const row = ws.getRow(n);
      const line = [1, 2, 3, 4, 5, 6].map((c) => textOf(row.getCell(c))).join(' ');
      expect(summary).toContain(normal(line));
      plans += 1;
    }
    expect(plans).toBeGreaterThan(1);
  });

  it('starts the Rules table on a page of its own: its header is never alone at a page foot', () => {
    const at = pages.findIndex((p) => /^Rules$/m.test(p));
    expect(at).toBeGreaterThan(0);
    const lines = pages[at]!.split('\n').map((l) => l.trim());
    const heading = lines.indexOf('Rules');
    const header = lines.findIndex((l) => l.startsWith('Rule Title Citation Severity Status'));
    // The section heading opens its page (only the running footer, if any, comes before it).
    expect(lines.slice(0, heading).filter((l) => l !== '' && !l.includes('Summary, run'))).toEqual(
      [],
    );
    expect(header).toBeGreaterThan(heading);
    // Rule rows follow the header on the same page.
    const rows = lines.slice(header + 1).filter((l) => / (FAIL|NOTES|PASS) \d/.test(l));
    expect(rows.length).toBeGreaterThan(3);
  });

  it('prints no text over other text on any page (no row too short, no cell overflowing)', () => {
    expect(boxes.length).toBeGreaterThan(10);
    const problems = boxes.flatMap((words, i) =>
      overprinted(words).map((o) => `page ${i + 1}: ${o}`),
    );
    expect(problems).toEqual([]);
  });

  it('prints the coverage maps: one picture per plan on the Maps pages, with its caption', async () => {
    const ws = sheet(await readBook(xlsx), 'Maps');
    const images = ws.getImages();
    expect(images.length).toBeGreaterThan(1);
    const mapPages = pages.flatMap((p, i) => (p.includes('Maps, run') ? [i + 1] : []));
    expect(mapPages).toHaveLength(images.length);
    const list = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
    const imagePages = list
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[2] === 'image')
      .map((f) => Number(f[0]));
    // One map on each Maps page.
    expect(imagePages.filter((n) => mapPages.includes(n))).toEqual(mapPages);
    for (const [i, image] of images.entries()) {
      const plan = textOf(ws.getRow(image.range.tl.nativeRow - 1).getCell(1));
      const caption = textOf(ws.getRow(image.range.tl.nativeRow).getCell(1));
      const page = normal(pages[mapPages[i]! - 1]!);
      expect(page).toContain(normal(plan));
      expect(page).toContain(normal(caption));
    }
  });

  it('prints the longest finding message whole on the Findings pages', () => {
    const findings = normal(pages.filter((p) => p.includes('Findings, run')).join(' '));
    const longest = report.findings
      .map((f) => f.message)
      .reduce((a, b) => (b.length > a.length ? b : a), '');
    expect(longest.length).toBeGreaterThan(100);
    expect(findings).toContain(normal(longest));
  });
});
