import {
  DECISION_TREE,
  DECISION_TREE_NOTE,
  DECISION_TREE_TITLE,
  LETTER_REQUIREMENTS,
  LETTER_TITLE,
  PAYMENT_MATRIX,
  describeStep,
} from '../letter.js';
import {
  DEFINITIONS,
  NUMERIC_MINIMUMS_NOTE,
  POLICY_SETTINGS,
  policyValueText,
} from '../methodology.js';
import { SEVERITY_LABELS } from '../summary.js';
import {
  SHEET_NAMES,
  type CellInput,
  col,
  severityTone,
  type Ctx,
  addSheet,
} from '../sheet-writer.js';

export function writeMethodology(ctx: Ctx): void {
  const { model } = ctx;
  const { policy } = model.run;
  const s = addSheet(ctx, SHEET_NAMES.methodology, [
    col(26, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
    col(30, 'wrap'),
  ]);
  const FULL: [number, number] = [2, 7];
  const para = (label: CellInput, text: string): void => {
    s.add([label, { value: text, kind: 'wrap' }], {
      merge: FULL,
    });
  };
  s.add([{ value: 'Methodology', font: 'title' }]);
  s.add(
    [
      {
        value: `How this report was produced: the definitions applied, the rules and policy in force for run ${model.run.runId} (as of ${model.run.asOf}), and the CMS letter the audit implements.`,
        kind: 'wrap',
      },
    ],
    { merge: [1, 7] },
  );

  s.blank();
  s.add([{ value: 'Definitions', font: 'section' }]);
  for (const d of DEFINITIONS) para({ value: d.term, font: 'bold' }, d.definition);

  s.blank();
  s.add([{ value: 'Rules in force', font: 'section' }]);
  s.header([
    'Rule',
    'Title',
    'Citation',
    'Severity in force',
    'Enabled',
    'What it checks and what to do',
  ]);
  for (const r of model.rules) {
    const text = `${r.description}\nRemediation: ${r.remediation}`;
    const sev =
      r.severity === r.defaultSeverity
        ? SEVERITY_LABELS[r.severity]
        : `${SEVERITY_LABELS[r.severity]} (default ${r.defaultSeverity})`;
    s.add(
      [
        { value: r.id, font: 'bold' },
        r.title,
        r.citation,
        {
          value: sev,
          tone: severityTone(r.severity),
          font: r.severity === 'critical' ? 'inverse' : 'normal',
        },
        r.enabled,
        { value: text, kind: 'wrap' },
      ],
      { merge: [6, 7] },
    );
  }

  s.blank();
  s.add([{ value: 'Policy in force', font: 'section' }]);
  s.header(['Setting', 'Key', 'Value', 'Meaning']);
  for (const p of POLICY_SETTINGS) {
    const value = policyValueText(policy, p.key);
    s.add([{ value: p.label, font: 'bold' }, p.key, value, { value: p.meaning, kind: 'wrap' }], {
      merge: [4, 7],
    });
  }
  s.add([{ value: 'Policy hash', font: 'bold' }, model.run.policyHash], { merge: [2, 4] });
  para({ value: 'Numeric minimums', font: 'bold' }, NUMERIC_MINIMUMS_NOTE);

  s.blank();
  s.add([{ value: LETTER_TITLE, font: 'section' }], { merge: [1, 7] });
  for (const r of LETTER_REQUIREMENTS) para({ value: r.section, font: 'bold' }, r.summary);

  s.blank();
  s.add([{ value: PAYMENT_MATRIX.title, font: 'section' }], { merge: [1, 7] });
  s.header(['', ...PAYMENT_MATRIX.payers]);
  for (const row of PAYMENT_MATRIX.rows) {
    s.add([{ value: row.aspect, font: 'bold' }, ...row.cells]);
  }

  s.blank();
  s.add([{ value: DECISION_TREE_TITLE, font: 'section' }], { merge: [1, 7] });
  para({ value: 'Note', font: 'bold' }, DECISION_TREE_NOTE);
  for (const step of DECISION_TREE) {
    const label =
      step.kind === 'question' ? 'Decision' : step.kind === 'action' ? 'Action' : 'Outcome';
    para({ value: `Step ${step.step}: ${label}`, font: 'bold' }, describeStep(step));
  }

  s.blank();
  s.add([{ value: 'Drug class catalog', font: 'section' }]);
  s.header([
    'Code',
    'Name',
    'Care type',
    'Part D network requirement',
    'Needs sterile compounding',
    'Part B note',
    'Example drugs',
  ]);
  for (const c of model.catalog) {
    s.add([
      { value: c.code, font: 'bold' },
      c.name,
      c.careType,
      c.partDRequired,
      c.needsSterileCompounding,
      c.partBNote,
      c.exampleDrugs.join(', '),
    ]);
  }
  s.commit();
}
