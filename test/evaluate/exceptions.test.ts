import { describe, expect, it } from 'vitest';
import type { AuditException, NetworkSnapshot } from '../../src/domain/types.js';
import { evaluate } from '../rules/snapshot-builder.js';
import { applyExceptions, exceptionMatches } from '../../src/evaluate/exceptions.js';
import {
  COOK,
  DUPAGE,
  NPI_A,
  makeCapabilities,
  makePharmacy,
  makePolicy,
  makeSnapshot,
} from '../rules/snapshot-builder.js';

const exception = (over: Partial<AuditException> = {}): AuditException => ({
  ruleId: 'HI-ACUTE',
  contractId: 'S1234',
  pbpId: null,
  countyFips: null,
  drugClass: null,
  npi: null,
  rationale: 'Single-case agreement with an out-of-network pharmacy',
  approvedBy: 'J. Doe, CCO',
  approvedOn: '2026-09-01',
  expiresOn: '2026-12-31',
  ...over,
});

/** One pharmacy without ABX_IV: HI-ACUTE fails in Cook and DuPage (major+ -> NON_COMPLIANT). */
function gapSnapshot(exceptions: AuditException[]): NetworkSnapshot {
  return {
    ...makeSnapshot({
      pharmacies: [makePharmacy({ npi: NPI_A })],
      capabilities: makeCapabilities(NPI_A, ['HYDRATION', 'A1PI', 'IG']),
    }),
    exceptions,
  };
}

describe('exceptions register', () => {
  it('matches by the fields it names; blank matches any', () => {
    const f = {
      ruleId: 'HI-ACUTE',
      contractId: 'S1234',
      pbpId: '001',
      countyFips: COOK,
      drugClass: 'ABX_IV',
      npi: null,
    };
    expect(exceptionMatches(exception(), f)).toBe(true);
    expect(exceptionMatches(exception({ countyFips: COOK, drugClass: 'ABX_IV' }), f)).toBe(true);
    expect(exceptionMatches(exception({ countyFips: DUPAGE }), f)).toBe(false);
    expect(exceptionMatches(exception({ pbpId: '002' }), f)).toBe(false);
    expect(exceptionMatches(exception({ contractId: 'S9999' }), f)).toBe(false);
    expect(exceptionMatches(exception({ ruleId: 'HI-CHRONIC' }), f)).toBe(false);
    expect(exceptionMatches(exception({ npi: NPI_A }), f)).toBe(false);
  });

  it('without exceptions the gap fails the run', () => {
    const r = evaluate({ snapshot: gapSnapshot([]), policy: makePolicy() });
    expect(r.counts.byRule['HI-ACUTE']).toBe(2);
    expect(r.verdict).toBe('NON_COMPLIANT');
    expect(r.counts.excepted).toBe(0);
  });

  it('an exception in force excepts the findings: listed, not counted toward the verdict', () => {
    const r = evaluate({ snapshot: gapSnapshot([exception()]), policy: makePolicy() });
    const acute = r.findings.filter((f) => f.ruleId === 'HI-ACUTE');
    expect(acute).toHaveLength(2);
    for (const f of acute) {
      expect(f.exception).toMatchObject({
        rationale: 'Single-case agreement with an out-of-network pharmacy',
        approvedBy: 'J. Doe, CCO',
        expiresOn: '2026-12-31',
        expired: false,
        label: 'HI-ACUTE S1234',
      });
    }
    expect(r.counts).toMatchObject({ excepted: 2, exceptedByRule: { 'HI-ACUTE': 2 } });
    expect(r.verdict).toBe('COMPLIANT');
    expect(r.exceptions).toMatchObject([{ status: 'in_force', matched: 2, unused: false }]);
  });

  it('a narrower exception excepts only its county; the rest still fails', () => {
    const r = evaluate({
      snapshot: gapSnapshot([exception({ countyFips: COOK, drugClass: 'ABX_IV', pbpId: '001' })]),
      policy: makePolicy(),
    });
    const acute = r.findings.filter((f) => f.ruleId === 'HI-ACUTE');
    expect(acute.map((f) => [f.countyFips, f.exception?.expired ?? null])).toEqual([
      [COOK, false],
      [DUPAGE, null],
    ]);
    expect(r.verdict).toBe('NON_COMPLIANT');
  });

  it('an expired exception: the finding counts again and says its exception expired', () => {
    const r = evaluate({
      snapshot: gapSnapshot([exception({ expiresOn: '2026-10-31' })]),
      policy: makePolicy(),
    });
    const f = r.findings.find((x) => x.ruleId === 'HI-ACUTE')!;
    expect(f.exception?.expired).toBe(true);
    expect(f.message).toMatch(
      /Its exception \(approved by J\. Doe, CCO on 2026-09-01\) expired on 2026-10-31\.$/,
    );
    expect(r.verdict).toBe('NON_COMPLIANT');
    expect(r.counts.excepted).toBe(0);
    expect(r.exceptions[0]).toMatchObject({ status: 'expired', matched: 2, daysLeft: -1 });
  });

  it('expiring on the as-of date still applies; approved after it does not', () => {
    expect(
      evaluate({
        snapshot: gapSnapshot([exception({ expiresOn: '2026-11-01' })]),
        policy: makePolicy(),
      }).verdict,
    ).toBe('COMPLIANT');
    const later = evaluate({
      snapshot: gapSnapshot([exception({ approvedOn: '2026-11-02' })]),
      policy: makePolicy(),
    });
    expect(later.verdict).toBe('NON_COMPLIANT');
    expect(later.exceptions[0]).toMatchObject({ status: 'not_yet_approved', unused: true });
  });

  it('prefers an exception in force over an expired one for the same finding', () => {
    const r = evaluate({
      snapshot: gapSnapshot([
        exception({ expiresOn: '2026-10-01', approvedBy: 'old' }),
        exception({ approvedBy: 'new' }),
      ]),
      policy: makePolicy(),
    });
    expect(r.findings.find((f) => f.ruleId === 'HI-ACUTE')?.exception?.approvedBy).toBe('new');
    expect(r.verdict).toBe('COMPLIANT');
  });

  it('lists an exception matching no finding as unused', () => {
    const r = evaluate({
      snapshot: { ...makeSnapshot(), exceptions: [exception({ ruleId: 'HI-CONTACT' })] },
      policy: makePolicy(),
    });
    expect(r.exceptions).toMatchObject([{ ruleId: 'HI-CONTACT', unused: true, matched: 0 }]);
  });

  it('does not change the input findings', () => {
    const r = evaluate({ snapshot: gapSnapshot([]), policy: makePolicy() });
    const { findings } = applyExceptions(r.findings, [exception()], '2026-11-01');
    expect(r.findings.every((f) => f.exception === undefined)).toBe(true);
    expect(findings.filter((f) => f.exception).length).toBe(2);
  });
});
