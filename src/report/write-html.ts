/**
 * The report as one self-contained HTML page: inline CSS, maps as inline SVG, no scripts and no
 * external URLs (a Content-Security-Policy forbids both, as a second line of defence). Every
 * input-derived string is escaped (`markupText`), so roster text cannot add markup.
 *
 * Pure function of the model (`htmlChunks`, `renderHtml`); `writeHtml` streams it to a file
 * atomically (a run of 100,000 findings is a page of about 80 MB: it is never one string).
 */
import { recomputedNote } from './methodology.js';
import {
  DISTANCE_CELL_COLUMNS,
  DISTANCE_PLAN_COLUMNS,
  FINDING_SUBJECT_COLUMNS,
  PLAN_RESULT_COLUMNS,
  RETAIL_ACCESS_COLUMNS,
  RULE_RESULT_COLUMNS,
  columnsFor,
  retailAccessNotes,
} from './columns.js';
import {
  cellsBelowPolicy,
  distancePlanRows,
  distancePolicyText,
  distanceStatusText,
} from './distance.js';
import { writeChunks } from './chunks.js';
import {
  MAP_COLORS,
  MAP_LABELS,
  membersMapInputs,
  planMapInputs,
  renderPlanMapSvg,
} from '../map/render.js';
import type { MapStatus } from '../map/render.js';
import { writeStreamAtomically } from './atomic.js';
import {
  claimsDateTime,
  evidenceText,
  findingPlan,
  counted,
  formatDuration,
  percent,
  markupText,
  safeText,
} from './format.js';
import {
  DECISION_TREE,
  DECISION_TREE_NOTE,
  DECISION_TREE_TITLE,
  LETTER_TITLE,
  PAYMENT_MATRIX,
  describeStep,
} from './letter.js';
import type { ReportModel } from './model.js';
import {
  SEVERITY_LABELS,
  changeCounts,
  headlineText,
  planResults,
  ruleResults,
} from './summary.js';
import { VERDICT_LABELS, planKeyString } from '../domain/types.js';

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 24px; color: #1b1b1b; font-size: 14px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 8px; color: #1f3864; }
h2 { font-size: 18px; margin: 28px 0 8px; color: #1f3864; border-bottom: 2px solid #d9e1f2; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #c8c8c8; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #d9e1f2; }
td.num { text-align: right; }
.verdict { display: inline-block; padding: 4px 12px; font-weight: bold; border-radius: 4px; color: #fff; }
.verdict.ok { background: #1a7f37; }
.verdict.fail { background: #c00000; }
.verdict.incomplete { background: #ffeb9c; color: #000; }
.whatif { background: #ffeb9c; padding: 6px 10px; font-weight: bold; }
.sev-critical { background: #c00000; color: #fff; font-weight: bold; }
.sev-major { background: #f4b084; }
.sev-minor { background: #ffe699; }
.sev-info { background: #ddebf7; }
.st-FAIL { background: #ffc7ce; font-weight: bold; }
.st-PASS { background: #c6efce; font-weight: bold; }
.st-NOTES { background: #ffeb9c; font-weight: bold; }
.st-DISABLED { background: #ededed; }
.st-NOT-EVALUATED { background: #ededed; font-style: italic; }
.excepted { background: #ededed; }
details summary { cursor: pointer; }
details[open] summary { display: none; }
.facts th { background: none; border: none; padding: 2px 16px 2px 0; }
.facts td { border: none; padding: 2px 0; }
figure { margin: 12px 0 24px; }
figure svg { max-width: 100%; height: auto; border: 1px solid #d0d0d0; }
figcaption { font-size: 13px; color: #444; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; border: 1px solid #777; }
.findings td { overflow-wrap: anywhere; white-space: pre-wrap; padding: 3px 5px; }
.findings td.msg { width: 32%; }
.findings td.ev { width: 20%; }
.findings td.code, .plans td.code { white-space: nowrap; overflow-wrap: normal; }
.findings tr.group th { background: #eef2f8; font-weight: bold; padding: 8px 6px 4px; border-top: 2px solid #8ea9db; }
.findings tr.group .cite { font-weight: normal; color: #555; margin-left: 12px; }
.findings tr.group a { font-weight: normal; margin-left: 12px; }
.matrix td, .matrix th { max-width: 220px; }
ol.tree li { margin-bottom: 6px; }
.note { color: #555; font-size: 13px; }
table { max-width: 100%; }
.findings, .rules { width: 100%; }
.rules td { overflow-wrap: anywhere; }
.rules tr:not(.todo) td:first-child { white-space: nowrap; overflow-wrap: normal; }
.rules th { font-size: 90%; }
.rules td.title { width: 22%; }
.rules td.cite { width: 26%; }
.rules tr.todo td { border-top: none; color: #333; padding-left: 24px; }
@media print {
  @page { size: landscape; margin: 12mm; }
  body { margin: 0; font-size: 9pt; }
  figure, tr { page-break-inside: avoid; }
  .rules tr:has(+ tr.todo) { page-break-after: avoid; }
  h2, h3, tr.group { page-break-after: avoid; }
  thead { display: table-header-group; }
  /* Folded text prints whole. */
  details summary { display: none; }
  details::details-content { content-visibility: visible; display: contents; }
  a { color: inherit; text-decoration: none; }
  .findings tr.group a { display: none; }
}
`;

function table(headers: string[], rows: string[][], cls = '', id = ''): string {
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${markupText(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}${id ? ` id="${id}"` : ''}>${head}<tbody>\n${body}\n</tbody></table>`;
}

function td(value: string | number | boolean | null | undefined, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${markupText(value)}</td>`;
}

/** Characters above which a cell's text is folded in a <details> (its first words shown). */
const FOLD_CHARS = 160;

/** A text cell; long text folded: the first words as the summary, the whole text inside. */
function foldTd(value: string | null | undefined, cls = ''): string {
  const text = safeText(value);
  if (text.length <= FOLD_CHARS) return td(text, cls);
  const cut = text.lastIndexOf(' ', FOLD_CHARS - 40);
  const head = text.slice(0, cut > 40 ? cut : FOLD_CHARS - 40);
  return `<td${cls ? ` class="${cls}"` : ''}><details><summary>${markupText(`${head} …`)}</summary>${markupText(text)}</details></td>`;
}

/** The Exception cell of a finding: excepted until a date, or an expired exception. */
function exceptionTd(f: ReportModel['findings'][number]): string {
  const e = f.exception;
  if (!e) return td('');
  return e.expired
    ? td(`Exception EXPIRED on ${e.expiresOn}: counts again. ${e.rationale}`, 'st-FAIL')
    : foldTd(
        `EXCEPTED until ${e.expiresOn}: ${e.rationale} (approved by ${e.approvedBy} on ${e.approvedOn})`,
        'excepted',
      );
}

function num(n: number): string {
  return td(n, 'num');
}

export interface HtmlOptions {
  /** Include the coverage maps (default true). */
  maps?: boolean;
}

const FINDING_SUBJECT = columnsFor(FINDING_SUBJECT_COLUMNS, 'html');

/** Columns of a finding's row; rule, plan, citation and remediation are stated per group. */
const FINDING_HEADERS = [
  '#',
  'Severity',
  ...FINDING_SUBJECT.map((c) => c.header),
  'Message',
  'Evidence',
  'Status',
  'First seen',
  'Exception',
];

/**
 * The findings table, a row at a time: grouped per plan (in the order plans first appear) and,
 * within a plan, per rule, each group one <tbody> under a heading row that names the plan, the
 * rule, its citation and links to the rule's "What to do" (stated once, in the Rules table).
 */
function* findingsTable(model: ReportModel): Generator<string> {
  const head = `<thead><tr>${FINDING_HEADERS.map((h) => `<th scope="col">${markupText(h)}</th>`).join('')}</tr></thead>`;
  yield `<table class="findings" id="findings">${head}\n`;
  const findings = model.findings;
  const groups = new Map<string, Map<string, number[]>>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const plan = findingPlan(f);
    let byRule = groups.get(plan);
    if (!byRule) groups.set(plan, (byRule = new Map<string, number[]>()));
    let list = byRule.get(f.ruleId);
    if (!list) byRule.set(f.ruleId, (list = []));
    list.push(i);
  }
  const rules = new Map(model.rules.map((r) => [r.id, r]));
  const planNames = new Map(model.plans.map((p) => [planKeyString(p), p.planName]));
  const tz = model.run.policy.timeZone;
  let n = 0;
  for (const [plan, byRule] of groups) {
    const planName = planNames.get(plan);
    const planLabel =
      plan === '' ? 'Sponsor-wide' : `Plan ${plan}${planName ? ` ${planName}` : ''}`;
    for (const [ruleId, list] of byRule) {
      const rule = rules.get(ruleId);
      const count = `${list.length} ${list.length === 1 ? 'finding' : 'findings'}`;
      yield `<tbody><tr class="group"><th scope="rowgroup" colspan="${FINDING_HEADERS.length}">${markupText(
        `${planLabel}: ${ruleId}${rule ? ` ${rule.title}` : ''} (${count})`,
      )}<span class="cite">${markupText(rule?.citation ?? '')}</span> <a href="#rule-${markupText(ruleId)}">What to do</a></th></tr>\n`;
      for (const i of list) {
        const f = findings[i]!;
        n += 1;
        const subject = FINDING_SUBJECT.map((c) =>
          td(c.value(f), c.key === 'drugClass' ? 'code' : ''),
        ).join('');
        yield `<tr>${num(n)}${td(SEVERITY_LABELS[f.severity], `sev-${f.severity}`)}${subject}${foldTd(f.message, 'msg')}${foldTd(evidenceText(f.evidence, tz), 'ev')}${td(f.status)}${td(
          f.firstSeen,
        )}${exceptionTd(f)}</tr>\n`;
      }
      yield '</tbody>';
    }
  }
  yield '\n</table>';
}

/** Cells below the distance policy listed on the page (all of them are in the workbook and JSON). */
export const HTML_DISTANCE_CELLS = 200;

/** "Distance to care": the policy, the status, members per plan, the cells farthest from care. */
function distanceSection(model: ReportModel): string {
  const d = model.distance;
  const out = [`<h2 id="distance">Distance to care</h2>`];
  out.push(`<p class="note">${markupText(distancePolicyText(d))}</p>`);
  out.push(
    `<p${d.status === 'evaluated' ? '' : ' class="missing"'}><strong>${markupText(distanceStatusText(d))}</strong></p>`,
  );
  if (d.status !== 'evaluated') return out.join('\n');
  const row = <T>(columns: readonly { numeric?: boolean; value(r: T): string | number }[], r: T) =>
    columns.map((c) => {
      const v = c.value(r);
      return c.numeric ? td(v, 'num') : td(v);
    });
  const planColumns = columnsFor(DISTANCE_PLAN_COLUMNS, 'html');
  out.push(
    table(
      planColumns.map((c) => c.header),
      distancePlanRows(d).map((r) => row(planColumns, r)),
      'distance-plans',
    ),
  );
  const names = new Map<string, string>();
  for (const c of model.coverage.cells) if (c.countyName) names.set(c.countyFips, c.countyName);
  const below = cellsBelowPolicy(d, (f) => names.get(f), HTML_DISTANCE_CELLS);
  if (below.total === 0) {
    out.push(`<p>Every plan x county x class with members meets the policy.</p>`);
    return out.join('\n');
  }
  out.push(
    `<p>${markupText(`Cells below the policy, lowest share first: ${below.total}${below.total > below.rows.length ? ` (the first ${below.rows.length} here; all of them on the workbook's Distance sheet and in the JSON)` : ''}.`)}</p>`,
  );
  const cellColumns = columnsFor(DISTANCE_CELL_COLUMNS, 'html');
  out.push(
    table(
      cellColumns.map((c) => c.header),
      below.rows.map((r) => row(cellColumns, r)),
      'distance-cells',
    ),
  );
  return out.join('\n');
}

/** The whole page as one string (tests, small models). */
export function renderHtml(model: ReportModel, opts: HtmlOptions = {}): string {
  return [...htmlChunks(model, opts)].join('');
}

/** The whole page, in pieces (the findings table a row at a time), for streaming. */
export function* htmlChunks(model: ReportModel, opts: HtmlOptions = {}): Generator<string> {
  const { run } = model;
  const compliant = run.verdict === 'COMPLIANT';
  const title = `${run.whatIf ? 'WHAT-IF: ' : ''}Home infusion network audit: ${run.sponsorName}`;
  const scope =
    run.contractId === null
      ? `${run.scopeLabel} (all contracts)`
      : `${run.scopeLabel} (contract ${run.contractId}${run.pbpId === null ? '' : `, PBP ${run.pbpId}`})`;
  const k = model.keyFigures;
  const pct = percent(k.coveredCells, k.requiredCells);
  const changes = changeCounts(model);
  const parts: (string | Iterable<string>)[] = [];

  parts.push(`<h1>${markupText(title)}</h1>`);
  parts.push(
    `<p>Verdict: <span class="verdict ${compliant ? 'ok' : run.verdict === 'INCOMPLETE' ? 'incomplete' : 'fail'}" id="verdict">${VERDICT_LABELS[run.verdict]}</span> <span class="note">(fails on ${markupText(SEVERITY_LABELS[run.policy.failOn])} or worse)</span></p>`,
  );
  if (run.missing.length > 0) {
    parts.push(
      `<div class="missing" id="missing"><p><strong>The audit cannot judge its scope:</strong></p><ul>${run.missing
        .map((m) => `<li>${markupText(m.message)}</li>`)
        .join('')}</ul></div>`,
    );
  }
  if (run.whatIf) parts.push(`<p class="whatif">WHAT-IF run: not the record of the network.</p>`);
  const facts: [string, string][] = [
    ['Sponsor', run.sponsorName],
    ['Scope', scope],
    ['As-of date', run.asOf],
    ['Run id', String(run.runId)],
    [`Generated at (${run.policy.timeZone})`, claimsDateTime(run.generatedAt, run.policy.timeZone)],
    ['Tool version', run.toolVersion],
    ['Rule-set version', run.ruleSetVersion],
    ['Policy hash', run.policyHash],
    [
      'Compared with run',
      model.previousRunId === null ? 'none (first run of this scope)' : String(model.previousRunId),
    ],
    ['Duration', formatDuration(run.durationMs)],
  ];
  const recomputed = recomputedNote(run);
  if (recomputed !== null) facts.push(['Report recomputed', recomputed]);
  parts.push(
    `<table class="facts">${facts.map(([l, v]) => `<tr><th scope="row">${markupText(l)}</th>${td(v)}</tr>`).join('')}</table>`,
  );

  parts.push(`<h2>Key figures</h2>`);
  parts.push(
    table(
      [
        'Plans',
        'Service-area counties',
        'HI pharmacies',
        'Required cells',
        'Covered cells',
        'Coverage',
        'Findings',
        'New',
        'Resolved',
      ],
      [
        [
          num(k.plans),
          num(k.serviceAreaCounties),
          num(k.hiPharmacies),
          num(k.requiredCells),
          num(k.coveredCells),
          td(pct === null ? 'n/a' : `${pct.toFixed(1)}%`, 'num'),
          td(headlineText(model)),
          num(changes.new),
          num(changes.resolved),
        ],
      ],
    ),
  );

  parts.push(`<h2>Plans</h2>`);
  const planColumns = columnsFor(PLAN_RESULT_COLUMNS, 'html');
  parts.push(
    table(
      planColumns.map((c) => c.header),
      planResults(model).map((p) =>
        planColumns.map((c) => {
          const v = c.value(p);
          if (c.key === 'membersAffected' && typeof v === 'number') {
            return td(v.toLocaleString('en-US'), v > 0 ? 'num members-affected' : 'num');
          }
          if (typeof v === 'number') return td(v.toLocaleString('en-US'), 'num');
          // A plan key and a verdict are read whole: never broken at their hyphens.
          if (c.key === 'plan' || c.key === 'verdict') return td(v, 'code');
          return td(v, c.key.startsWith('members') ? 'not-computed' : undefined);
        }),
      ),
      'plans',
      'plans',
    ),
  );

  parts.push(`<h2>Rules</h2>`);
  parts.push(
    `<p class="note">FAIL: at least one finding at or above the fail-on severity (${markupText(run.policy.failOn)}). NOTES: open findings below it only. PASS: no open finding.</p>`,
  );
  // "What to do" is a row of its own under each rule with findings, the width of the table:
  // as a column it squeezed every other one (and printed as a narrow strip).
  const ruleColumns = columnsFor(RULE_RESULT_COLUMNS, 'html').filter(
    (c) => c.key !== 'remediation',
  );
  const remediation = columnsFor(RULE_RESULT_COLUMNS, 'html').find((c) => c.key === 'remediation');
  parts.push(
    table(
      ruleColumns.map((c) => c.header),
      ruleResults(model).map((r) => {
        const cells = ruleColumns.map((c) => {
          const v = c.value(r);
          if (c.key === 'id')
            return `<td id="rule-${markupText(r.rule.id)}">${markupText(r.rule.id)}</td>`;
          if (c.key === 'severity') return td(v, `sev-${r.rule.severity}`);
          if (c.key === 'status') return td(v, `st-${r.status.replace(' ', '-')}`);
          if (c.key === 'excepted') return td(v, r.excepted > 0 ? 'num excepted' : 'num');
          if (c.key === 'title') return td(v, 'title');
          if (c.key === 'citation') return td(v, 'cite');
          return typeof v === 'number' ? num(v) : td(v);
        });
        const todo = remediation && r.total > 0 ? String(remediation.value(r)) : '';
        return todo
          ? [
              ...cells,
              `</tr><tr class="todo"><td colspan="${ruleColumns.length}"><b>${markupText(remediation?.header ?? '')}:</b> ${markupText(todo)}</td>`,
            ]
          : cells;
      }),
      'rules',
      'rules',
    ),
  );

  if (opts.maps ?? true) {
    parts.push(`<h2>Coverage maps</h2>`);
    const legend = (['uncovered', 'spof', 'covered', 'outside'] as MapStatus[])
      .map(
        (s) =>
          `<span class="sw" style="background:${MAP_COLORS[s]}"></span>${markupText(MAP_LABELS[s])}`,
      )
      .join('');
    parts.push(`<p class="legend">${legend}</p>`);
    const inputs = planMapInputs(model);
    if (inputs.length === 0) parts.push(`<p>No plan has a service-area county to map.</p>`);
    const byMembers = new Map(membersMapInputs(model).map((i) => [planKeyString(i.plan), i]));
    if (inputs.length > 0) {
      parts.push(
        `<p class="note">${markupText(
          model.members?.computed === true
            ? 'Each plan with enrollment has a second map, coloured by members affected: the members living in each county with a gap, darker for more.'
            : 'Members affected: not computed (no enrollment roster), so the maps show coverage only.',
        )}</p>`,
      );
    }
    for (const input of inputs) {
      const id = planKeyString(input.plan);
      parts.push(
        `<figure class="map" data-plan="${markupText(id)}">${renderPlanMapSvg(input)}<figcaption>${markupText(
          `${id}${input.planName ? ` ${input.planName}` : ''}: ${counted(input.counties.length, 'service-area county', 'service-area counties')} as of ${input.asOf}. Hover a county for its status.`,
        )}</figcaption></figure>`,
      );
      const members = byMembers.get(id);
      if (members) {
        parts.push(
          `<figure class="map" data-plan="${markupText(id)}" data-colour="members">${renderPlanMapSvg(members)}<figcaption>${markupText(
            `${id}: members affected by county (members living in counties with a gap). Hover a county for its members.`,
          )}</figcaption></figure>`,
        );
      }
    }
  }

  parts.push(distanceSection(model));
  parts.push(`<h2>Retail access (42 CFR 423.120(a)(1))</h2>`);
  for (const note of retailAccessNotes(model))
    parts.push(`<p class="note">${markupText(note)}</p>`);
  const retailRows = model.retailAccess?.rows ?? [];
  if (retailRows.length > 0) {
    const retailColumns = columnsFor(RETAIL_ACCESS_COLUMNS, 'html');
    parts.push(
      table(
        retailColumns.map((c) => c.header),
        retailRows.map((r) =>
          retailColumns.map((c) => {
            const v = c.value(r);
            if (c.key === 'verdict')
              return td(
                v,
                r.verdict === 'below'
                  ? 'st-FAIL'
                  : r.verdict === 'meets'
                    ? 'st-PASS'
                    : r.verdict === 'incomplete'
                      ? 'st-NOTES'
                      : undefined,
              );
            return c.numeric ? td(v, 'num') : td(v);
          }),
        ),
        'retail',
        'retail-access',
      ),
    );
  }

  parts.push(`<h2>Findings (${model.findings.length})</h2>`);
  if (model.findings.length === 0) parts.push(`<p>No findings.</p>`);
  else parts.push(findingsTable(model));

  parts.push(`<h2>${markupText(LETTER_TITLE)}</h2>`);
  parts.push(`<h3>${markupText(PAYMENT_MATRIX.title)}</h3>`);
  parts.push(
    table(
      ['', ...PAYMENT_MATRIX.payers],
      PAYMENT_MATRIX.rows.map((r) => [
        `<th scope="row">${markupText(r.aspect)}</th>`,
        ...r.cells.map((c) => td(c)),
      ]),
      'matrix',
      'attachment-1',
    ),
  );
  parts.push(`<h3>${markupText(DECISION_TREE_TITLE)}</h3>`);
  parts.push(`<p class="note">${markupText(DECISION_TREE_NOTE)}</p>`);
  parts.push(
    `<ol class="tree" id="attachment-2">${DECISION_TREE.map(
      (s) => `<li value="${s.step}">${markupText(describeStep(s).replace(/^\d+\.\s*/, ''))}</li>`,
    ).join('\n')}</ol>`,
  );
  parts.push(`<h2>Data lineage (${model.lineage.imports.length} roster imports)</h2>`);
  parts.push(
    table(
      ['Import', 'File', 'Kind', 'As-of', 'Rows read', 'Rejected', 'Rows in force', 'Rows ended'],
      model.lineage.imports.map((i) => [
        num(i.id),
        td(i.sheet ? `${i.fileName} [${i.sheet}]` : i.fileName),
        td(i.kind),
        td(i.asOf),
        num(i.rowsRead),
        num(i.rejected),
        i.rowsInForce === undefined ? td('') : num(i.rowsInForce),
        i.rowsEnded === undefined ? td('') : num(i.rowsEnded),
      ]),
      '',
      'lineage',
    ),
  );
  parts.push(
    `<p class="note">${markupText(`Run ${run.runId}, generated ${claimsDateTime(run.generatedAt, run.policy.timeZone)} (${run.policy.timeZone}) by infusion-audit ${run.toolVersion}.`)}</p>`,
  );

  yield [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${markupText(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '',
  ].join('\n');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) yield '\n';
    const part = parts[i]!;
    if (typeof part === 'string') yield part;
    else yield* part;
  }
  yield '\n</body>\n</html>\n';
}

export async function writeHtml({
  model,
  path,
  maps,
}: {
  model: ReportModel;
  path: string;
  maps?: boolean;
}): Promise<void> {
  await writeStreamAtomically(path, async (stream) => {
    await writeChunks(stream, htmlChunks(model, maps === undefined ? {} : { maps }));
  });
}
