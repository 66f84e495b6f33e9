/**
 * A one-page Markdown summary of the run, fit for an email: verdict, scope, as-of, counts per
 * rule, the top findings, what changed, and where the workbook is. Input text is escaped so it
 * cannot add links, images, HTML or table columns.
 */
import { recomputedNote } from './methodology.js';
import {
  DISTANCE_PLAN_COLUMNS,
  PLAN_RESULT_COLUMNS,
  RETAIL_ACCESS_COLUMNS,
  RULE_RESULT_COLUMNS,
  columnsFor,
  retailAccessNotes,
} from './columns.js';
import { distancePlanRows, distancePolicyText, distanceStatusText } from './distance.js';
import { writeFile } from 'node:fs/promises';
import { writeAtomically } from './atomic.js';
import { claimsDateTime, findingPlan, formatDuration, percent, safeText } from './format.js';
import type { ReportModel } from './model.js';
import type { Finding } from '../domain/types.js';
import { VERDICT_LABELS, severityRank } from '../domain/types.js';
import {
  SEVERITY_LABELS,
  changeCounts,
  exceptedCount,
  ruleResults,
  headlineText,
  planResults,
} from './summary.js';

export const TOP_FINDINGS = 10;
const MAX_MESSAGE = 240;

/**
 * Text as inert Markdown inside a line, still plain text to read: one line; emphasis, code, link,
 * table and strike punctuation backslash-escaped, and so are a `<` that would open an HTML tag
 * or autolink and an `&` that would start an entity (no HTML entities in the file); at most
 * `max` characters.
 */
export function mdText(value: string | number | null | undefined, max = 500): string {
  let text = safeText(value).replace(/\s+/g, ' ').trim();
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

/** New and resolved findings named in "What changed" (the most severe), then a count. */
export const CHANGES_LISTED = 10;
/** Plan-State rows of the retail access table listed in the one-page summary. */
const RETAIL_ROWS_LISTED = 20;

/**
 * One finding on one line: severity, rule, where, message; an exception in force or expired
 * is said.
 */
function findingLine(
  f: Finding & { citation?: string | null; countyName?: string | null },
): string {
  const where = [
    findingPlan(f),
    f.countyFips === null ? '' : `county ${f.countyFips}${f.countyName ? ` ${f.countyName}` : ''}`,
    f.drugClass === null ? '' : `class ${f.drugClass}`,
    f.npi === null ? '' : `NPI ${f.npi}`,
    f.requestId === null ? '' : `request ${f.requestId}`,
  ]
    .filter((x) => x !== '')
    .join(', ');
  const e = f.exception;
  const exception = !e
    ? ''
    : e.expired
      ? ` *(exception expired on ${mdText(e.expiresOn)}: counts)*`
      : ` *(EXCEPTED until ${mdText(e.expiresOn)}, approved by ${mdText(e.approvedBy)})*`;
  return `**${SEVERITY_LABELS[f.severity]}** ${mdText(f.ruleId)}${where ? ` (${mdText(where)})` : ''}: ${mdText(f.message, MAX_MESSAGE)}${exception}${f.citation ? ` [${mdText(f.citation)}]` : ''}`;
}

export interface MarkdownOptions {
  /** The workbook's file name or path, as the reader should find it. */
  workbook: string;
  /** The JSON file's name or path, if any. */
  json?: string;
}

export function renderMarkdown(model: ReportModel, opts: MarkdownOptions): string {
  const { run } = model;
  const lines: string[] = [];
  const verdict = VERDICT_LABELS[run.verdict];
  lines.push(`# Home infusion network audit: ${mdText(run.sponsorName)}`);
  lines.push('');
  lines.push(`**Verdict: ${verdict}** (fails on ${run.policy.failOn} or worse)`);
  if (run.missing.length > 0) {
    lines.push('');
    lines.push('**The audit cannot judge its scope:**');
    for (const m of run.missing) lines.push(`- ${mdText(m.message)}`);
  }
  if (run.whatIf) {
    lines.push('');
    lines.push('**WHAT-IF run: not the record of the network.**');
  }
  lines.push('');
  const scope =
    run.contractId === null
      ? `${mdText(run.scopeLabel)} (all contracts)`
      : `${mdText(run.scopeLabel)} (contract ${mdText(run.contractId)}${run.pbpId === null ? '' : `, PBP ${mdText(run.pbpId)}`})`;
  lines.push(`- Scope: ${scope}`);
  lines.push(`- As of: ${mdText(run.asOf)}`);
  lines.push(
    `- Run: ${run.runId}, generated ${mdText(`${claimsDateTime(run.generatedAt, run.policy.timeZone)} (${run.policy.timeZone})`)} in ${formatDuration(run.durationMs)}; tool ${mdText(run.toolVersion)}, rule set ${mdText(run.ruleSetVersion)}`,
  );
  const recomputed = recomputedNote(run);
  if (recomputed !== null) lines.push(`- **Report recomputed:** ${mdText(recomputed, 1000)}`);
  const k = model.keyFigures;
  const pct = percent(k.coveredCells, k.requiredCells);
  lines.push(
    `- Network: ${k.plans} plans, ${k.serviceAreaCounties} service-area counties, ${k.hiPharmacies} HI pharmacies; coverage ${k.coveredCells} of ${k.requiredCells} county-class cells${pct === null ? '' : ` (${pct.toFixed(1)}%)`}`,
  );
  lines.push(`- Findings: ${headlineText(model)}`);
  lines.push(`- ${mdText(distanceStatusText(model.distance), 1000)}`);
  const excepted = exceptedCount(model);
  if (excepted > 0) {
    lines.push(
      `- Excepted by the exceptions register: ${excepted} (listed, not counted toward the verdict)`,
    );
  }
  if (model.expiring.length > 0) {
    lines.push(
      `- Expiring within ${model.run.policy.expiringWindowDays} days: ${model.expiring.length} (soonest: ${mdText(model.expiring[0]!.item)}, ${model.expiring[0]!.daysLeft} days left)`,
    );
  }
  lines.push('');
  lines.push('## Plans');
  lines.push('');
  const planColumns = columnsFor(PLAN_RESULT_COLUMNS, 'md');
  lines.push(`| ${planColumns.map((c) => c.header).join(' | ')} |`);
  lines.push(`|${planColumns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`);
  for (const p of planResults(model)) {
    const cells = planColumns.map((c) => {
      const v = c.value(p);
      return typeof v === 'number' ? v.toLocaleString('en-US') : mdText(v);
    });
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push('## Rules');
  lines.push('');
  const ruleColumns = columnsFor(RULE_RESULT_COLUMNS, 'md');
  lines.push(`| ${ruleColumns.map((c) => c.header).join(' | ')} |`);
  lines.push(`|${ruleColumns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`);
  for (const r of ruleResults(model)) {
    const cells = ruleColumns.map((c) => {
      const v = c.value(r);
      return typeof v === 'number' ? String(v) : mdText(v);
    });
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (model.distance.status === 'evaluated' && model.distance.plans.length > 0) {
    lines.push('');
    lines.push('## Distance to care');
    lines.push('');
    lines.push(mdText(distancePolicyText(model.distance), 1000));
    lines.push('');
    const planColumns = columnsFor(DISTANCE_PLAN_COLUMNS, 'md');
    lines.push(`| ${planColumns.map((c) => c.header).join(' | ')} |`);
    lines.push(`|${planColumns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`);
    for (const r of distancePlanRows(model.distance)) {
      lines.push(`| ${planColumns.map((c) => mdText(c.value(r))).join(' | ')} |`);
    }
  }
  lines.push('');
  lines.push('## Retail access (42 CFR 423.120(a)(1))');
  lines.push('');
  for (const note of retailAccessNotes(model)) lines.push(`- ${mdText(note, 1000)}`);
  const retailRows = model.retailAccess?.rows ?? [];
  if (retailRows.length > 0) {
    const retailColumns = columnsFor(RETAIL_ACCESS_COLUMNS, 'md');
    lines.push('');
    lines.push(`| ${retailColumns.map((c) => c.header).join(' | ')} |`);
    lines.push(`|${retailColumns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`);
    for (const r of retailRows.slice(0, RETAIL_ROWS_LISTED)) {
      lines.push(`| ${retailColumns.map((c) => mdText(c.value(r))).join(' | ')} |`);
    }
    if (retailRows.length > RETAIL_ROWS_LISTED) {
      lines.push('');
      lines.push(
        `…and ${retailRows.length - RETAIL_ROWS_LISTED} more plan-State rows in the workbook (Retail access sheet).`,
      );
    }
  }
  lines.push('');
  lines.push(`## Top findings`);
  lines.push('');
  if (model.findings.length === 0) {
    lines.push('No findings.');
  } else {
    model.findings.slice(0, TOP_FINDINGS).forEach((f, i) => {
      lines.push(`${i + 1}. ${findingLine(f)}${f.status === 'new' ? ' *(new)*' : ''}`);
    });
    if (model.findings.length > TOP_FINDINGS) {
      lines.push('');
      lines.push(`…and ${model.findings.length - TOP_FINDINGS} more in the workbook.`);
    }
  }
  lines.push('');
  lines.push('## What changed');
  lines.push('');
  const c = changeCounts(model);
  if (model.previousRunId === null) {
    lines.push(`First run of this scope: all ${c.new} findings are new.`);
  } else {
    lines.push(
      `Against run ${model.previousRunId}: ${c.new} new, ${c.resolved} resolved, ${c.persisting} persisting.`,
    );
    const listed = (title: string, list: readonly Finding[]): void => {
      if (list.length === 0) return;
      lines.push('');
      lines.push(`${title}:`);
      lines.push('');
      const sorted = [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
      for (const f of sorted.slice(0, CHANGES_LISTED)) lines.push(`- ${findingLine(f)}`);
      if (list.length > CHANGES_LISTED) {
        lines.push(`- …and ${list.length - CHANGES_LISTED} more (see the Changes sheet).`);
      }
    };
    listed(
      'New',
      model.findings.filter((f) => f.status === 'new'),
    );
    listed('Resolved', model.resolved);
  }
  lines.push('');
  lines.push('## Full report');
  lines.push('');
  lines.push(`Workbook: \`${opts.workbook.replace(/`/g, '')}\``);
  if (opts.json !== undefined) lines.push(`Data (JSON): \`${opts.json.replace(/`/g, '')}\``);
  lines.push('');
  return lines.join('\n');
}

/** Writes the summary atomically (`<path>.tmp-<pid>`, then rename). */
export async function writeMarkdown({
  model,
  path,
  ...opts
}: MarkdownOptions & { model: ReportModel; path: string }): Promise<void> {
  const text = renderMarkdown(model, opts);
  await writeAtomically(path, (tmp) => writeFile(tmp, text, 'utf8'));
}
