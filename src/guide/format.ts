/**
 * The guide's answer as readable text for the terminal.
 */
import type { Citation, ComponentAnswer, GuideAnswer, Payer } from './guide.js';
import { PAYER_LABELS } from './guide.js';

export function payerText(payers: readonly Payer[]): string {
  if (payers.length === 0) return 'nobody';
  const [first, ...rest] = payers.map((p) => PAYER_LABELS[p]);
  return rest.length === 0 ? first! : `${first!}; otherwise ${rest.join('; otherwise ')}`;
}

export function citationText(c: Citation): string {
  return c.source === 'Attachment I'
    ? `Attachment I, ${c.column}, ${c.row}: "${c.text}"`
    : `Attachment II, step ${c.step}`;
}

function wrap(text: string, width = 96, indent = '    '): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${indent}${l}`).join('\n');
}

function section(title: string, a: ComponentAnswer): string[] {
  return [
    `${title}: ${payerText(a.payers)}`,
    wrap(a.explanation),
    ...a.citations.map((c) => wrap(citationText(c), 96, '    - ').replace(/\n {6}/g, '\n      ')),
    '',
  ];
}

/** The answer as plain text (no colours). */
export function formatGuideAnswer(a: GuideAnswer): string {
  const s = a.scenario;
  const flags = [
    s.planType,
    s.partAHomebound ? 'homebound' : 'not homebound',
    s.pumpNeeded ? 'pump medically necessary' : 'no pump',
    s.dualEligible ? 'dual eligible' : 'not dual eligible',
    s.pharmacyFullService ? 'full-service pharmacy' : 'drug-only pharmacy',
  ].join(', ');
  const drug = `${s.drug ? `${s.drug} (class ${s.drugClass})` : `class ${s.drugClass}`}${
    a.className ? `: ${a.className}` : ''
  }`;
  const path = a.decisionPath;
  const lines = [
    `Home infusion coordination guide`,
    `  Drug: ${drug}`,
    `  Situation: ${flags}`,
    `  ${a.partBDrug ? 'Part B pump drug' : 'Part D drug (not covered under Part B here)'}`,
    '',
    ...section('(a) Drug ingredient and dispensing fee', a.drug),
    ...section('(b) Equipment and supplies', a.equipmentAndSupplies),
    ...section('(c) Professional (nursing) services', a.professionalServices),
    `Attachment II decision tree: ${
      path.applies
        ? `steps ${path.steps.join(' -> ')} (${path.outcome.replace(/_/g, ' ')})`
        : 'does not apply'
    }`,
    wrap(path.explanation),
    '',
  ];
  if (a.caveats.length > 0) {
    lines.push('Check:');
    for (const c of a.caveats) lines.push(wrap(c, 96, '  - ').replace(/\n {4}/g, '\n    '));
    lines.push('');
  }
  lines.push(
    'Source: CMS letter to Part D plan sponsors on home infusion therapy (2006), Attachments I and II. Guidance, not a coverage determination.',
  );
  return lines.join('\n');
}
