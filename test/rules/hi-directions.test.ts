import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/types.js';
import { MIN_DIRECTIONS_LENGTH, hiDirections } from '../../src/rules/hi-directions.js';
import {
  COOK,
  PLAN,
  PLAN_KEY,
  makePlan,
  makePolicy,
  makeServiceAreas,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `HI-DIRECTIONS|${PLAN_KEY.replaceAll('-', '|')}`;

describe('HI-DIRECTIONS', () => {
  it.each<{
    name: string;
    plan: Partial<Plan>;
    maxAge?: number;
    expected: string[];
    problem?: string;
  }>([
    { name: 'baseline: complete and reviewed 153 days ago', plan: {}, expected: [] },
    {
      name: 'member services phone invalid',
      plan: { memberServicesPhone: '555-0100' },
      expected: [`deficient ${K}`],
      problem: 'member services phone "555-0100" is not a valid US number',
    },
    {
      name: 'provider services phone blank',
      plan: { providerServicesPhone: '' },
      expected: [`deficient ${K}`],
      problem: 'provider services phone "" is not a valid US number',
    },
    {
      name: '1-800 number with punctuation is valid',
      plan: { memberServicesPhone: '1-800-555-0100' },
      expected: [],
    },
    {
      name: 'no written directions',
      plan: { hiAccessDirections: '   ' },
      expected: [`deficient ${K}`],
      problem: 'no written home infusion access directions',
    },
    ...['N/A', 'n/a.', 'TBD', 'None', '-', '—', 'See website', 'see our website.'].map((text) => ({
      name: `placeholder directions "${text}" are not directions`,
      plan: { hiAccessDirections: text },
      expected: [`deficient ${K}`],
      problem: `the written directions "${text}" are a placeholder, not directions`,
    })),
    {
      name: 'directions under the minimum length are not directions',
      plan: { hiAccessDirections: 'Call us.' },
      expected: [`deficient ${K}`],
      problem: `the written directions "Call us." are too short to tell anyone how to reach a home infusion pharmacy (under ${MIN_DIRECTIONS_LENGTH} characters)`,
    },
    {
      name: 'short but real directions at the minimum length pass',
      plan: { hiAccessDirections: 'Call 1-800-555-0100.' },
      expected: [],
    },
    {
      name: 'a service phone with an extension is valid',
      plan: {
        memberServicesPhone: '8005550100 x12',
        providerServicesPhone: '(800) 555-0199 ext. 4',
      },
      expected: [],
    },
    {
      name: 'never reviewed',
      plan: { directionsReviewedOn: null },
      expected: [`deficient ${K}`],
      problem: 'the directions have never been reviewed',
    },
    {
      name: 'reviewed exactly max age ago',
      plan: { directionsReviewedOn: '2025-11-01' },
      expected: [],
    },
    {
      name: 'reviewed one day too long ago',
      plan: { directionsReviewedOn: '2025-10-31' },
      expected: [`deficient ${K}`],
      problem: 'last reviewed on 2025-10-31, 366 days before the as-of date (policy maximum 365)',
    },
    {
      name: 'policy max age 90',
      plan: {},
      maxAge: 90,
      expected: [`deficient ${K}`],
      problem: 'last reviewed on 2026-06-01, 153 days before the as-of date (policy maximum 90)',
    },
    {
      name: 'review date after the as-of date',
      plan: { directionsReviewedOn: '2026-12-01' },
      expected: [`deficient ${K}`],
      problem: 'the review date 2026-12-01 is after the as-of date 2026-11-01',
    },
  ])('$name', ({ plan, maxAge, expected, problem }) => {
    const findings = runRule(
      hiDirections,
      makeSnapshot({ plans: [makePlan(plan)] }),
      makePolicy({ directionsMaxAgeDays: maxAge ?? 365 }),
    );
    expect(summary(findings)).toEqual(expected);
    if (problem) expect(findings[0]?.message).toContain(problem);
  });

  it('lists every problem of a plan in one finding', () => {
    const findings = runRule(
      hiDirections,
      makeSnapshot({
        plans: [
          makePlan({
            memberServicesPhone: 'x',
            hiAccessDirections: '',
            directionsReviewedOn: null,
          }),
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe(
      'Plan S1234-001-000 (Prairie PDP): home infusion access directions are deficient: member services phone "x" is not a valid US number; no written home infusion access directions; the directions have never been reviewed.',
    );
  });

  it('a plan with a service area but no plan record fails', () => {
    const findings = runRule(
      hiDirections,
      makeSnapshot({
        plans: [],
        planKeysWithoutRecord: [PLAN],
        serviceAreas: makeServiceAreas([COOK]),
      }),
    );
    expect(summary(findings)).toEqual([`noPlanRecord ${K}`]);
    expect(findings[0]?.severity).toBe('major');
  });
});
