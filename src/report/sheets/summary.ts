import { recomputedNote } from '../methodology.js';
import { PLAN_RESULT_COLUMNS, RULE_RESULT_COLUMNS, columnsFor } from '../columns.js';
import { type Severity, type Verdict, VERDICT_LABELS, isExcepted } from '../../domain/types.js';
import { counted, dateCell, formatDuration, zoneLabel, zonedCell } from '../format.js';
import type { ReportModel } from '../model.js';
import {
  SEVERITY_LABELS,
  changeCounts,
  exceptedCount,
  SINGLE_POINT_RULE,
  fixFirst,
  headline,
  isFailing,
  planResults,
  ruleResults,
  singlePointGroups,
  notComputed,
} from '../summary.js';
import {
  SHEET_NAMES,
  type Tone,
  internalLink,
  type CellSpec,
  type CellInput,
  col,
  severityTone,
  severityCell,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

/** Tone and font of a verdict label. */
function verdictCell(verdict: Verdict): CellSpec {
  const tone: Tone =
    verdict === 'COMPLIANT' ? 'green' : verdict === 'INCOMPLETE' ? 'amber' : 'critical';
  return {
    value: VERDICT_LABELS[verdict],
    tone,
    font: verdict === 'NON_COMPLIANT' ? 'inverse' : 'bold',
    kind: 'text',
  };
}

/** The sentence beside the verdict: why it is what it is. */
function verdictReason(model: ReportModel): string {
  const { run } = model;
  const open: Record<Severity, number> = { critical: 0, major: 0, minor: 0, info: 0 };
  for (const f of model.findings) if (!isExcepted(f)) open[f.severity] += 1;
  const failing = (['critical', 'major', 'minor', 'info'] as const).filter(
    (sev) => isFailing(sev, run.policy) && open[sev] > 0,
  );
  const failOn = `the fail-on severity (${SEVERITY_LABELS[run.policy.failOn]})`;
  if (run.verdict === 'NON_COMPLIANT') {
    const parts = failing.map((sev) => `${open[sev]} ${SEVERITY_LABELS[sev].toLowerCase()}`);
    const n = failing.reduce((t, sev) => t + open[sev], 0);
    return `${parts.join(' and ')} open ${n === 1 ? 'finding' : 'findings'} at or above ${failOn}. Fix these first: see below.`;
  }
  if (run.verdict === 'INCOMPLETE') {
    return `Data the verdict needs is missing or was rejected: the network cannot be shown compliant. See the findings and Data Lineage.`;
  }
  const below = open.minor + open.info;
  return `No open finding at or above ${failOn}.${below > 0 ? ` ${counted(below, 'finding')} below it remain (see Rules, NOTES).` : ''}`;
}

export function writeSummary(ctx: Ctx): void {
  const { model } = ctx;
  const { run } = model;
  const s = addSheet(ctx, SHEET_NAMES.summary, [
    col(30),
    col(36, 'wrap'),
    col(26, 'wrap'),
    col(17),
    // Also the Rules table's Status: "EVALUATED" (of NOT EVALUATED) whole on its line.
    col(12, 'int'),
    col(9, 'int'),
    col(10, 'int'),
    col(10, 'int'),
    col(9, 'int'),
    col(9, 'int'),
    col(11, 'int'),
    col(10, 'int'),
  ]);
  const ALL: [number, number] = [2, 12];
  const title = `${run.whatIf ? 'WHAT-IF: ' : ''}Home infusion network audit: ${run.sponsorName}`;
  s.add([{ value: title, font: 'title' }]);
  s.add(
    [
      { value: 'Overall verdict', font: 'bold' },
      verdictCell(run.verdict),
      { value: verdictReason(model), kind: 'wrap' },
    ],
    {
      merge: [3, 12],
    },
  );
  // INCOMPLETE: what the audit could not judge, right under the verdict.
  run.missing.forEach((m, i) => {
    s.add(
      [
        { value: i === 0 ? 'Cannot judge: missing' : '', font: 'bold' },
        { value: m.message, tone: 'critical', font: 'bold', kind: 'wrap' },
      ],
      { merge: ALL },
    );
  });
  const scope =
    run.contractId === null
      ? `${run.scopeLabel} (all contracts)`
      : `${run.scopeLabel} (contract ${run.contractId}${run.pbpId === null ? '' : `, PBP ${run.pbpId}`})`;
  s.add([{ value: 'Sponsor', font: 'bold' }, run.sponsorName], { merge: ALL });
  s.add([{ value: 'Scope', font: 'bold' }, scope], { merge: ALL });
  s.add([
    { value: 'As-of date', font: 'bold' },
    { value: dateCell(run.asOf), kind: 'date' },
  ]);
  s.add(
    [
      { value: 'Run type', font: 'bold' },
      run.whatIf
        ? { value: 'WHAT-IF: not the record of the network', tone: 'amber', font: 'bold' }
        : 'Audit of record',
    ],
    { merge: ALL },
  );

  // Per-plan table.
  s.blank();
  s.add([{ value: 'Plans', font: 'section' }]);
  const planColumns = columnsFor(PLAN_RESULT_COLUMNS, 'xlsx');
  s.header([...planColumns.map((c) => c.header), 'Findings']);
  const plans = planResults(model);
  for (const p of plans) {
    const target = p.firstIndex === null ? null : `A${p.firstIndex + 2}`;
    const cells = planColumns.map((c): CellInput => {
      switch (c.key) {
        case 'plan':
          return { value: p.label, font: 'bold' };
        case 'name':
          return p.name ?? { value: 'no plan record', tone: 'amber' };
        case 'type':
          return p.type;
        case 'verdict':
          return verdictCell(p.verdict);
        case 'critical':
          return {
            value: p.open.critical,
            kind: 'int',
            tone: p.open.critical > 0 ? 'red' : 'none',
          };
        case 'major':
          return { value: p.open.major, kind: 'int', tone: p.open.major > 0 ? 'amber' : 'none' };
        case 'coverage':
          return {
            value: p.coverage,
            kind: 'percent',
            tone: p.coverage === null || p.coverage >= 1 ? 'none' : 'amber',
          };
        case 'members':
          return p.members === null
            ? { value: 'not computed', tone: 'amber' }
            : { value: p.members, kind: 'int' };
        case 'membersAffected':
          return p.membersAffected === null
            ? { value: 'not computed', tone: 'amber' }
            : {
                value: p.membersAffected,
                kind: 'int',
                tone: p.membersAffected > 0 ? 'red' : 'none',
              };
        default: {
          const v = c.value(p);
          return typeof v === 'number' ? { value: v, kind: 'int' } : { value: v, kind: 'wrap' };
        }
      }
    });
    s.add([
      ...cells,
      target === null
        ? { value: 'none', kind: 'text' }
        : { value: 'Findings', kind: 'text', goTo: internalLink(SHEET_NAMES.findings, target) },
    ]);
  }

  // Why members are not computed, said once under the table rather than in every narrow cell.
  const notComputedFor = new Map<string, string[]>();
  for (const p of plans) {
    if (p.membersAffected !== null) continue;
    const why = notComputed(p.membersNote);
    notComputedFor.set(why, [...(notComputedFor.get(why) ?? []), p.label]);
  }
  if (notComputedFor.size > 0) s.blank();
  for (const [why, labels] of notComputedFor) {
    const more = labels.length > 10 ? ` and ${labels.length - 10} more` : '';
    const whose =
      labels.length === plans.length ? '' : ` for ${labels.slice(0, 10).join(', ')}${more}`;
    s.add([{ value: `Members${whose}: ${why}.`, kind: 'wrap', tone: 'amber' }], {
      merge: [1, 12],
    });
  }

  // Fix these first.
  const groups = fixFirst(model);
  s.blank();
  s.add([{ value: 'Fix these first', font: 'section' }]);
  if (groups.length === 0) {
    s.add([{ value: 'No open finding at or above the fail-on severity.', kind: 'text' }], {
      merge: [1, 12],
    });
  } else {
    s.header(['Rule', 'First finding', 'Plans', 'Severity', 'Findings']);
    for (const g of groups) {
      const shown = g.plans.slice(0, 6).join(', ');
      s.add([
        { value: g.ruleId, goTo: internalLink(SHEET_NAMES.findings, `A${g.firstIndex + 2}`) },
        { value: g.first.message, kind: 'wrap' },
        {
          value: g.plans.length > 6 ? `${shown} and ${g.plans.length - 6} more` : shown,
          kind: 'wrap',
        },
        severityCell(g.severity),
        { value: g.count, kind: 'int' },
      ]);
    }
  }

  // What the audit could not read.
  const { imports, rejectedRows } = model.lineage;
  const failed = imports.filter((i) => i.status === 'failed');
  const rejectedFiles = new Set(rejectedRows.map((r) => r.fileName));
  s.blank();
  s.add([{ value: 'Rejected roster rows and failed files', font: 'section' }]);
  if (failed.length === 0 && rejectedRows.length === 0) {
    s.add([{ value: 'None: every row read was stored and every file imported.', kind: 'text' }], {
      merge: [1, 12],
    });
  } else {
    s.add(
      [
        {
          value: `${counted(rejectedRows.length, 'row')} rejected in ${counted(rejectedFiles.size, 'file')}; ${counted(failed.length, 'file')} failed to import. Rejected rows are not in the audit: see ${rejectedRows.length > 0 ? 'Rejected Rows (the files: Data Lineage)' : 'Data Lineage'}.`,
          kind: 'wrap',
          goTo: internalLink(
            rejectedRows.length > 0 ? SHEET_NAMES.rejectedRows : SHEET_NAMES.lineage,
            'A1',
          ),
        },
      ],
      { merge: [1, 12], tone: 'amber' },
    );
    for (const f of failed) {
      s.add(
        [
          { value: 'Failed', font: 'bold', tone: 'red' },
          { value: f.fileName, kind: 'wrap' },
        ],
        {
          merge: ALL,
        },
      );
    }
  }

  const points = singlePointGroups(model);
  if (points.length > 0) {
    s.blank();
    s.add([
      {
        value: `Single points of failure (${SINGLE_POINT_RULE}, not counted above)`,
        font: 'section',
      },
    ]);
    s.header(['Plan', 'County', 'Classes one pharmacy alone covers', 'Pharmacy']);
    for (const g of points) {
      s.add([
        { value: g.plan, goTo: internalLink(SHEET_NAMES.findings, `A${g.firstIndex + 2}`) },
        g.countyName === null ? g.countyFips : `${g.countyName} (${g.countyFips ?? ''})`,
        { value: g.classes.join(', '), kind: 'wrap' },
        g.npis.map((n) => ctx.names.pharmacies.get(n) ?? n).join(', '),
      ]);
    }
  }

  s.blank();
  s.add([{ value: 'Key figures', font: 'section' }]);
  const k = model.keyFigures;
  const head = headline(model);
  const changes = changeCounts(model);
  const coverage = k.requiredCells > 0 ? k.coveredCells / k.requiredCells : null;
  const figures: [string, CellInput][] = [
    ['Plans', { value: k.plans, kind: 'int' }],
    ['Service-area counties', { value: k.serviceAreaCounties, kind: 'int' }],
    ['In-network HI pharmacies', { value: k.hiPharmacies, kind: 'int' }],
    ['Required county x class cells', { value: k.requiredCells, kind: 'int' }],
    ['Covered cells', { value: k.coveredCells, kind: 'int' }],
    [
      'Coverage (covered / required cells)',
      {
        value: coverage,
        kind: 'percent',
        tone: coverage === null || coverage >= 1 ? 'none' : 'amber',
      },
    ],
    ['Findings to act on', { value: head.total, kind: 'int' }],
    ...(['critical', 'major', 'minor', 'info'] as const).map((sev): [string, CellInput] => [
      `  ${SEVERITY_LABELS[sev]}`,
      { value: head.bySeverity[sev], kind: 'int' },
    ]),
    [
      `Single-point notes (${SINGLE_POINT_RULE}, info)`,
      { value: head.singlePointNotes, kind: 'int' },
    ],
    [
      'Plan counties with a single point of failure',
      { value: head.singlePointGroups, kind: 'int' },
    ],
    ['New since last run', { value: changes.new, kind: 'int' }],
    ['Resolved since last run', { value: changes.resolved, kind: 'int' }],
    ['Excepted (exceptions register)', { value: exceptedCount(model), kind: 'int' }],
  ];
  for (const [label, value] of figures) s.add([{ value: label, font: 'bold' }, value]);

  // The rule table starts a printed page: its header never sits alone at a page's foot.
  s.pageBreak();
  s.add([{ value: 'Rules', font: 'section' }]);
  s.add(
    [
      {
        value: `FAIL: at least one finding at or above the fail-on severity (${SEVERITY_LABELS[run.policy.failOn]}) that no exception in force covers. NOTES: open findings below it only. PASS: no open finding. Excepted: findings covered by an exception of the register (see Exceptions). The rule id links to its first finding.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 12] },
  );
  const ruleColumns = columnsFor(RULE_RESULT_COLUMNS, 'xlsx');
  s.header(ruleColumns.map((c) => c.header));
  for (const r of ruleResults(model)) {
    const target = r.firstIndex === null ? 'A1' : `A${r.firstIndex + 2}`;
    const statusTone: Tone =
      r.status === 'FAIL'
        ? 'red'
        : r.status === 'NOTES'
          ? 'amber'
          : r.status === 'PASS'
            ? 'green'
            : 'grey';
    const styled: Partial<Record<string, CellInput>> = {
      id: { value: r.rule.id, goTo: internalLink(SHEET_NAMES.findings, target) },
      severity: {
        value: SEVERITY_LABELS[r.rule.severity],
        tone: severityTone(r.rule.severity),
        font: r.rule.severity === 'critical' ? 'inverse' : 'normal',
      },
      status: { value: r.status, tone: statusTone, font: 'bold', kind: 'text' },
      excepted: { value: r.excepted, tone: r.excepted > 0 ? 'grey' : 'none' },
    };
    s.add(ruleColumns.map((c) => styled[c.key] ?? c.value(r)));
  }

  s.blank();
  s.add([{ value: 'About this run', font: 'section' }]);
  const zone = run.policy.timeZone;
  const about: [string, CellInput][] = [
    ['Run id', String(run.runId)],
    [
      `Generated at ${zoneLabel(zone)}`,
      { value: zonedCell(run.generatedAt, zone), kind: 'datetime' },
    ],
    ['Fails on severity', `${SEVERITY_LABELS[run.policy.failOn]} or worse`],
    [
      'Compared with run',
      model.previousRunId === null ? 'none (first run of this scope)' : String(model.previousRunId),
    ],
    ['Tool version', run.toolVersion],
    ['Rule-set version', run.ruleSetVersion],
    ['Policy hash', run.policyHash],
    ['Duration', formatDuration(run.durationMs)],
  ];
  const recomputed = recomputedNote(run);
  if (recomputed !== null) about.push(['Report recomputed', recomputed]);
  for (const [label, value] of about) {
    s.add([{ value: label, font: 'bold' }, value], typeof value === 'string' ? { merge: ALL } : {});
  }
  s.commit();
}
