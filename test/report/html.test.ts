import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_MATRIX } from '../../src/report/letter.js';
import type { ReportModel } from '../../src/report/model.js';
import { renderReport } from '../../src/report/render-report.js';
import { htmlText, renderHtml } from '../../src/report/write-html.js';
import { buildModel, finding } from './model-builder.js';

const CHROMIUM = '/usr/bin/chromium';
const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-html-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture with hostile markup in every kind of input text the page shows. */
function hostileModel(): ReportModel {
  const m = buildModel();
  return {
    ...m,
    run: { ...m.run, sponsorName: `Acme ${XSS}`, scopeLabel: 'all' },
    plans: m.plans.map((p, i) => (i === 0 ? { ...p, planName: `Basic ${XSS}` } : p)),
    findings: [
      ...m.findings,
      finding('HI-ASSURANCE', 'major', {
        message: XSS,
        pharmacyName: XSS,
        countyName: XSS,
        remediation: XSS,
        evidence: { note: XSS },
      }),
    ],
  };
}

/** Rows of the table with this id. */
function tableRows(html: string, id: string): string[] {
  const m = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  expect(m, `table ${id}`).not.toBeNull();
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m![1]!)![1]!;
  return body.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
}

describe('renderHtml', () => {
  it('shows verdict, scope, as-of, run id, rules, maps, all findings and the letter attachments', () => {
    const m = buildModel();
    const html = renderHtml(m);
    expect(html).toMatch(/<span class="verdict fail" id="verdict">NON-COMPLIANT<\/span>/);
    expect(html).toContain('all (all contracts)');
    expect(html).toContain('2026-11-01');
    expect(html).toMatch(/<th scope="row">Run id<\/th><td>12<\/td>/);
    expect(tableRows(html, 'rules')).toHaveLength(m.rules.length);
    const findings = tableRows(html, 'findings');
    expect(findings).toHaveLength(m.findings.length);
    m.findings.forEach((f, i) => expect(findings[i]).toContain(htmlText(f.message)));
    expect(html.match(/<figure class="map"/g)).toHaveLength(2);
    expect(html).toContain('data-fips="01003" data-status="uncovered"');
    const matrix = tableRows(html, 'attachment-1');
    expect(matrix).toHaveLength(PAYMENT_MATRIX.rows.length);
    expect(matrix[3]).toContain('Drug Ingredient and Dispensing Fee');
    expect(html.match(/<li value="\d+">/g)).toHaveLength(8);
  });

  it('escapes every input string: no markup from the roster reaches the page', () => {
    const html = renderHtml(hostileModel());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // No tag has an event-handler attribute (quoted attribute values removed first).
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    for (const t of tags) expect(t.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+=/i);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    // Spreadsheet-formula text is kept as typed (escaped, not altered).
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
  });

  it('is self-contained: no scripts, no external resources', () => {
    const html = renderHtml(buildModel());
    expect(html).not.toMatch(/<script|<link|<iframe|\bsrc=|\bhref=|@import|url\(/i);
    // The only URL in an attribute is the SVG namespace (input text such as the fixture's
    // =HYPERLINK("http://x") is escaped element content, never an attribute).
    const attrs = html.match(/\s[\w:-]+="[^"]*https?:\/\/[^"]*"/g) ?? [];
    expect(new Set(attrs)).toEqual(new Set([' xmlns="http://www.w3.org/2000/svg"']));
    expect(html).toContain(`default-src 'none'`);
  });

  it('is deterministic', () => {
    expect(renderHtml(buildModel())).toBe(renderHtml(buildModel()));
  });
});

describe('renderReport', () => {
  it('also writes the HTML page and, when asked, one PNG map per plan', async () => {
    const out = join(dir, 'r');
    const r = await renderReport({ model: buildModel(), outDir: out, mapPngs: true });
    expect(r.html).toBe(join(out, 'all-2026-11-01-run12.html'));
    expect(readFileSync(r.html, 'utf8')).toBe(renderHtml(buildModel()));
    expect(r.maps).toEqual([
      join(out, 'all-2026-11-01-run12-map-S1234-001-000.png'),
      join(out, 'all-2026-11-01-run12-map-S1234-002-000.png'),
    ]);
    for (const p of r.maps) expect(readFileSync(p).readUInt32BE(16)).toBe(1200);
    for (const p of [r.xlsx, r.json, r.md]) expect(existsSync(p)).toBe(true);
    const plain = await renderReport({ model: buildModel(), outDir: join(dir, 'plain') });
    expect(plain.maps).toEqual([]);
  });
});

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `SKIPPED: the HTML page is not checked in a browser because ${CHROMIUM} is absent (apt-get install -y chromium).`,
  );
}

describe('HTML findings and rules', () => {
  it('marks exceptions, states remediation once per rule and folds long text', () => {
    const m = buildModel();
    const exception = {
      label: 'HI-ACUTE S1234-001',
      rationale: 'single-case agreement',
      approvedBy: 'M. Alvarez',
      approvedOn: '2026-09-15',
      expiresOn: '2026-12-31',
      expired: false,
    };
    const long = 'No in-network pharmacy serves the county. '.repeat(8);
    const html = renderHtml({
      ...m,
      findings: [finding('HI-ACUTE', 'critical', { exception, message: long }), ...m.findings],
    });
    const head = html.slice(html.indexOf('<table class="findings"'));
    expect(head).toContain('<th scope="col">Exception</th>');
    expect(head.slice(0, head.indexOf('</thead>'))).not.toContain('Remediation');
    expect(html).toContain('<td class="excepted">EXCEPTED until 2026-12-31: single-case agreement');
    expect(html).toContain('<th scope="col">Excepted</th><th scope="col">What to do</th>');
    expect(html).toContain('<details><summary>No in-network pharmacy serves the county.');
    expect(html).toContain('@media print');
  });
});

describe.skipIf(!hasChromium)('HTML page in headless Chromium', () => {
  it('displays the maps and the findings table, and runs no injected script', async () => {
    const { chromium } = await import('playwright-core');
    const model = hostileModel();
    const file = join(dir, 'page.html');
    writeFileSync(file, renderHtml(model));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(file).href);

      const maps = page.locator('figure.map > svg');
      expect(await maps.count()).toBe(2);
      for (let i = 0; i < 2; i++) {
        await maps.nth(i).scrollIntoViewIfNeeded();
        expect(await maps.nth(i).isVisible()).toBe(true);
        const box = await maps.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(600);
        expect(box!.height).toBeGreaterThan(400);
      }
      const red = page.locator('figure.map[data-plan="S1234-001-000"] path[data-fips="01003"]');
      expect(await red.isVisible()).toBe(true);
      // Browser-side code as a string expression: the project's type-check has no DOM library.
      const fill = await page.evaluate(
        `getComputedStyle(document.querySelector('figure.map[data-plan="S1234-001-000"] path[data-fips="01003"]')).fill`,
      );
      expect(fill).toBe('rgb(215, 48, 31)');

      const rows = page.locator('table#findings tbody tr');
      expect(await rows.count()).toBe(model.findings.length);
      await rows.last().scrollIntoViewIfNeeded();
      expect(await rows.last().isVisible()).toBe(true);
      expect(await rows.first().locator('td').nth(8).innerText()).toBe(model.findings[0]!.message);
      // The injected markup is shown as text and never runs.
      expect(await rows.last().locator('td').nth(8).innerText()).toBe(XSS);
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(await page.locator('img, script').count()).toBe(0);
      expect(await page.locator('h1').innerText()).toContain('<script>');
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await browser.close();
    }
  });
});
