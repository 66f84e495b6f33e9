import { describe, expect, it } from 'vitest';
import type { County, Enrollment, NetworkSnapshot } from '../../src/domain/types.js';
import { enrollData } from '../../src/rules/enroll-data.js';
import {
  COOK,
  COUNTIES,
  DUPAGE,
  LAKE,
  PLAN,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

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

  it('reports members outside the service area once per plan and State, largest counties first', () => {
    const il = (fips: string, name: string): County => ({ fips, name, state: 'IL' });
    const snapshot: NetworkSnapshot = {
      ...makeSnapshot({
        counties: [
          ...COUNTIES,
          il('17197', 'Will'),
          il('17089', 'Kane'),
          il('17111', 'McHenry'),
          il('17093', 'Kendall'),
          il('17201', 'Winnebago'),
          il('17007', 'Boone'),
          il('17113', 'McLean'),
          { fips: '18089', name: 'Lake', state: 'IN' },
        ],
      }),
      enrollment: [
        row(COOK, 10), // in the service area
        row(DUPAGE, 0),
        row(LAKE, 1200),
        row(LAKE, 34), // Lake, IL: 1,234
        row('17197', 500), // Will and Kane tie: FIPS order
        row('17089', 500),
        row('17111', 80),
        row('17093', 7),
        row('17201', 3),
        row('17007', 1),
        row('17113', 0), // no members: not counted
        row('18089', 40),
        row('18091', 2), // not in the county reference: its State from the FIPS prefix (18: IN)
        row('99001', 5), // no State at all
      ],
    };
    const findings = runRule(enrollData, snapshot);
    expect(summary(findings)).toEqual([
      'outsideArea ENROLL-DATA|S1234|001|000|??',
      'outsideArea ENROLL-DATA|S1234|001|000|IL',
      'outsideArea ENROLL-DATA|S1234|001|000|IN',
    ]);
    const [unknown, illinois, indiana] = findings;
    expect(illinois!.severity).toBe('minor');
    expect(illinois!.countyFips).toBeNull();
    // 1,234 + 500 + 500 + 80 + 7 + 3 + 1 = 2,325 members in 7 counties; the 5 largest named.
    expect(illinois!.message).toBe(
      "Plan S1234-001-000, IL: the enrollment roster counts 2,325 members in 7 counties outside the plan's service area (Lake (17097): 1,234; Kane (17089): 500; Will (17197): 500; McHenry (17111): 80; Kendall (17093): 7; and 2 more); their coverage is not checked for the plan.",
    );
    expect(illinois!.evidence).toEqual({
      state: 'IL',
      membersOutsideArea: 2325,
      countiesOutsideArea: 7,
      largestCounties: [
        'Lake, IL (17097): 1,234',
        'Kane, IL (17089): 500',
        'Will, IL (17197): 500',
        'McHenry, IL (17111): 80',
        'Kendall, IL (17093): 7',
      ],
      serviceAreaCounties: 2,
    });
    expect(indiana!.message).toBe(
      "Plan S1234-001-000, IN: the enrollment roster counts 42 members in 2 counties outside the plan's service area (Lake (18089): 40; 18091: 2); their coverage is not checked for the plan.",
    );
    expect(unknown!.message).toBe(
      "Plan S1234-001-000, ??: the enrollment roster counts 5 members in 1 county outside the plan's service area (99001: 5); their coverage is not checked for the plan.",
    );
    expect(unknown!.evidence).toMatchObject({ membersOutsideArea: 5, countiesOutsideArea: 1 });
  });

  it('one member in one county', () => {
    const findings = runRule(enrollData, with_([row(COOK, 10), row(LAKE, 1)]));
    expect(findings.map((f) => f.message)).toEqual([
      "Plan S1234-001-000, IL: the enrollment roster counts 1 member in 1 county outside the plan's service area (Lake (17097): 1); their coverage is not checked for the plan.",
    ]);
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
