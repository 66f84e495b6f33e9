import { describe, expect, it } from 'vitest';
import { ltcAccess } from '../../src/rules/ltc-access.js';
import {
  PLAN_KEY,
  makeEnrollment,
  makeRetailNetwork,
  makeRetailPlan,
  makeSnapshot,
  makeZipClasses,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `LTC-ACCESS|${PLAN_KEY.replaceAll('-', '|')}`;

describe('LTC-ACCESS', () => {
  const snapshot = (ltcPharmacies: number, enrolled: boolean) =>
    makeSnapshot({
      ...(enrolled ? { enrollment: [makeEnrollment('60602', 25)] } : {}),
      retailNetwork: makeRetailNetwork([makeRetailPlan([], { ltcPharmacies })]),
      zipClasses: makeZipClasses({ '60602': 'urban' }),
    });

  it('a plan with members and no LTC pharmacy on the rosters is reported', () => {
    const findings = runRule(ltcAccess, snapshot(0, true));
    expect(summary(findings)).toEqual([`noLtcPharmacy ${K}`]);
    expect(findings[0]!.message).toBe(
      `Plan ${PLAN_KEY}: 25 enrolled members and no in-network long-term care pharmacy on the rosters.`,
    );
    expect(findings[0]!.severity).toBe('minor');
  });

  it('one LTC pharmacy is enough (CMS sets no count)', () => {
    expect(runRule(ltcAccess, snapshot(1, true))).toEqual([]);
  });

  it('without an enrollment roster it is not evaluated', () => {
    expect(runRule(ltcAccess, snapshot(0, false))).toEqual([]);
  });
});
