import { describe, expect, it } from 'vitest';
import type { Enrollment, NetworkSnapshot } from '../../src/domain/types.js';
import { enrollData } from '../../src/rules/enroll-data.js';
import { COOK, DUPAGE, LAKE, PLAN, makeSnapshot, runRule, summary } from './snapshot-builder.js';

const with_ = (enrollment?: Enrollment[]): NetworkSnapshot => ({
  ...makeSnapshot(),
  ...(enrollment ? { enrollment } : {}),
});
const row = (countyFips: string, members: number, plan = PLAN): Enrollment => ({
  ...plan,
  zip: null,
  countyFips,
  members,
});

describe('ENROLL-DATA', () => {
  it('says nothing without an enrollment roster, or when it matches the service area', () => {
    expect(runRule(enrollData, with_())).toEqual([]);
    expect(runRule(enrollData, with_([row(COOK, 10), row(DUPAGE, 0)]))).toEqual([]);
  });

  it('reports members outside the service area, per county', () => {
    const findings = runRule(enrollData, with_([row(COOK, 10), row(LAKE, 1200), row(LAKE, 34)]));
    expect(summary(findings)).toEqual([`outsideArea ENROLL-DATA|S1234|001|000|${LAKE}`]);
    expect(findings[0]!.severity).toBe('minor');
    expect(findings[0]!.message).toBe(
      "Plan S1234-001-000: the enrollment roster counts 1,234 members in Lake, IL (17097), outside the plan's service area; that county's coverage is not checked for the plan.",
    );
    expect(findings[0]!.evidence).toEqual({ membersOutsideArea: 1234, serviceAreaCounties: 2 });
  });

  it('reports enrollment of a plan not in scope, and a plan with no enrollment', () => {
    const other = { contractId: 'S9999', pbpId: '001', segmentId: '000' };
    const findings = runRule(enrollData, with_([row(COOK, 3, other), row(DUPAGE, 1, other)]));
    expect(summary(findings)).toEqual([
      'noEnrollment ENROLL-DATA|S1234|001|000',
      'unknownPlan ENROLL-DATA|S9999|001|000',
    ]);
    expect(findings[1]!.message).toBe(
      'The enrollment roster counts 4 members for plan S9999-001-000, which has no plan record, service area or home infusion network in scope; they are counted nowhere.',
    );
  });
});
