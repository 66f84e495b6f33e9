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

/**
 * Wraps text to `width` columns: the first line starts with `first`, the others with `rest`
 * (spaces of the same length by default), so a bullet is printed once per item.
 */
export function wrap(
  text: string,
  first = '    ',
  rest = ' '.repeat(first.length),
  width = 100,
): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? first.length : rest.length);
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > room()) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => `${i === 0 ? first : rest}${l}`).join('\n');
}

function section(title: string, a: ComponentAnswer): string[] {
  return [
    wrap(`${title}: ${payerText(a.payers)}`, '', '    '),
    wrap(a.explanation),
    ...a.citations.map((c) => wrap(citationText(c), '    - ', '      ')),
    '',
  ];
}

const BENEFIT_LINE: Record<GuideAnswer['drugBenefit'], string> = {
  PART_D: 'Part D drug (not covered under Part B here)',
  PART_B_PUMP: 'Part B external infusion pump drug (LCD L33794), not a Part D drug',
  HOME_HEALTH:
    'Hydration fluid provided by the home health agency (gravity feed), not a Part D drug here',
};

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
  const cls = s.drugClass === null ? 'no class in the catalog' : `class ${s.drugClass}`;
  const drug = `${s.drug ? `${s.drug} (${cls})` : cls}${a.className ? `: ${a.className}` : ''}`;
  const path = a.decisionPath;
  const lines = [
    `Home infusion coordination guide`,
    wrap(`Drug: ${drug}`, '  ', '    '),
    wrap(`Situation: ${flags}`, '  ', '    '),
    `  ${BENEFIT_LINE[a.drugBenefit]}`,
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
    for (const c of a.caveats) lines.push(wrap(c, '  - '));
    lines.push('');
  }
  lines.push(
    wrap(
      'Source: CMS letter to Part D plan sponsors on home infusion therapy (2006), Attachments I and II; DME MAC LCD L33794 (external infusion pumps). Guidance, not a coverage determination.',
      '',
    ),
  );
  return lines.join('\n');
}
