import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_MATRIX } from '../../src/report/letter.js';
import type { ReportModel } from '../../src/report/model.js';
import { renderReport } from '../../src/report/render-report.js';
import { findingPlan } from '../../src/report/format.js';
import { markupText } from '../../src/report/format.js';
import { renderHtml } from '../../src/report/write-html.js';
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
  const bodies = [...m![1]!.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((b) => b[1]!).join('');
  return bodies.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
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
    // Plan keys and verdicts are never broken across lines (`H1234-001-` / `000`).
    const plans = tableRows(html, 'plans');
    expect(plans.length).toBeGreaterThan(0);
    for (const row of plans) {
      expect(row).toMatch(/^<tr><td class="code">[A-Z]\d{4}-\d{3}-\d{3}<\/td>/);
      expect(row).toMatch(/<td class="code">(NON-COMPLIANT|COMPLIANT|INCOMPLETE)<\/td>/);
    }
    expect(html).toContain('.plans td.code { white-space: nowrap;');
    const findings = tableRows(html, 'findings');
    expect(findings).toHaveLength(m.findings.length);
    for (const f of m.findings) {
      expect(findings.filter((r) => r.includes(markupText(f.message))).length).toBeGreaterThan(0);
    }
    expect(html.match(/<figure class="map"/g)).toHaveLength(2);
    expect(html).toContain('data-fips="01003" data-status="uncovered"');
    const matrix = tableRows(html, 'attachment-1');
    expect(matrix).toHaveLength(PAYMENT_MATRIX.rows.length);
    expect(matrix[3]).toContain('Drug Ingredient and Dispensing Fee');
    expect(html.match(/<li value="\d+">/g)).toHaveLength(8);
    // Attachment II reads as the letter's steps, with no word about how the text was obtained.
    expect(html).toContain('start at step 1 and follow YES or NO');
    expect(html).not.toMatch(/extraction|reassembled/i);
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
    // Links only within the page (`#rule-...`).
    expect(html).not.toMatch(
      /<script|<link|<iframe|\bsrc=|\bhref=(?!"#[A-Za-z0-9-]+")|@import|url\(/i,
    );
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
    expect(r.html).toBe(join(out, 'Acme-Health-all-2026-11-01-run12-20261102T143000Z.html'));
    expect(readFileSync(r.html, 'utf8')).toBe(renderHtml(buildModel()));
    expect(r.maps).toEqual([
      join(out, 'Acme-Health-all-2026-11-01-run12-20261102T143000Z-map-S1234-001-000.png'),
      join(out, 'Acme-Health-all-2026-11-01-run12-20261102T143000Z-map-S1234-002-000.png'),
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

describe('HTML distance to care', () => {
  it('states the policy and status, members per plan, and the cells below the policy', () => {
    const html = renderHtml(hostileModel(), { maps: false });
    const section = html.slice(html.indexOf('<h2 id="distance">'), html.indexOf('<h2>Findings'));
    expect(section).toContain('Sponsor policy: at least 90 % of');
    expect(section).toContain('Cells below the policy, lowest share first: 1.');
    // Baldwin's A1PI: 288 placed, none within, no pharmacy to measure to.
    expect(section).toMatch(
      /<td>S1234-001-000<\/td><td>Baldwin \(01003\)<\/td><td>A1PI<\/td><td class="num">300<\/td><td class="num">288<\/td><td class="num">0.0 %<\/td><td class="num">0<\/td><td class="num">no pharmacy<\/td>/,
    );
    expect(section).not.toContain('Autauga (01001)</td><td>ABX');
  });

  it('NOT EVALUATED: says why, and the rule status says so too', () => {
    const m = buildModel({
      distance: {
        ...buildModel().distance,
        status: 'no_enrollment',
        notEvaluatedReason: 'no enrollment roster has been imported',
      },
    });
    m.rules = [...m.rules, { ...m.rules[0]!, id: 'HI-DISTANCE', title: 'Distance' }];
    const html = renderHtml(m, { maps: false });
    expect(html).toContain(
      'Distance to care NOT EVALUATED: no enrollment roster has been imported.',
    );
    expect(html).toContain('<td class="st-NOT-EVALUATED">NOT EVALUATED</td>');
    expect(html).not.toContain('distance-plans');
  });
});

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
    // "What to do" is stated once per rule with findings, as a full-width row under the rule.
    expect(html).toContain('<th scope="col">Excepted</th></tr></thead>');
    expect(html).toMatch(/<tr class="todo"><td colspan="\d+"><b>What to do:<\/b> \S/);
    expect(html).toContain('<details><summary>No in-network pharmacy serves the county.');
    expect(html).toContain('@media print');
    // Printed, folded text comes out whole.
    expect(html).toContain('details::details-content { content-visibility: visible;');
  });

  it('groups findings per plan and rule; each group links to its rule once', () => {
    const m = buildModel();
    const html = renderHtml(m);
    const pairs = new Set(m.findings.map((f) => `${findingPlan(f)}|${f.ruleId}`));
    const groups = [
      ...html.matchAll(/<tr class="group"><th scope="rowgroup" colspan="11">([^<]*)/g),
    ];
    expect(groups).toHaveLength(pairs.size);
    expect(pairs.size).toBeLessThan(m.findings.length);
    for (const [, heading] of groups) expect(heading).toMatch(/: [A-Z0-9-]+ .* \(\d+ findings?\)$/);
    // Numbered in the order shown, every finding once.
    const numbers = tableRows(html, 'findings').map((r) =>
      Number(/<td class="num">(\d+)<\/td>/.exec(r)![1]),
    );
    expect(numbers).toEqual(m.findings.map((_, i) => i + 1));
    for (const ruleId of new Set(m.findings.map((f) => f.ruleId))) {
      expect(html).toContain(`<a href="#rule-${ruleId}">What to do</a>`);
      expect(html).toContain(`<td id="rule-${ruleId}">${ruleId}</td>`);
    }
    // The rule's remediation is not repeated in the findings table.
    const findingsTable = html.slice(
      html.indexOf('<table class="findings"'),
      html.indexOf('</table>', html.indexOf('<table class="findings"')),
    );
    for (const r of m.rules) expect(findingsTable).not.toContain(markupText(r.remediation));
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

      const rows = page.locator('table#findings tbody tr:not(.group)');
      expect(await rows.count()).toBe(model.findings.length);
      await rows.last().scrollIntoViewIfNeeded();
      expect(await rows.last().isVisible()).toBe(true);
      // Column 7 (index 6) is the message; the first group starts with the first finding.
      expect(await rows.first().locator('td').nth(6).innerText()).toBe(model.findings[0]!.message);
      // The injected markup is shown as text and never runs.
      const hostile = rows.filter({ hasText: XSS });
      expect(await hostile.count()).toBe(1);
      expect(await hostile.locator('td').nth(6).innerText()).toBe(XSS);
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      // Fits a 1280 px window: nothing wider than the page.
      await page.setViewportSize({ width: 1280, height: 1000 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
      expect(await page.locator('img, script').count()).toBe(0);
      expect(await page.locator('h1').innerText()).toContain('<script>');
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await browser.close();
    }
  });
});
