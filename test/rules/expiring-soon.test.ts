import { describe, expect, it } from 'vitest';
import type { AuditException } from '../../src/domain/types.js';
import { expiringSoon } from '../../src/rules/expiring-soon.js';
import {
  NPI_A,
  NPI_B,
  makeAssurance,
  makePharmacy,
  makePolicy,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const P = 'S1234|001|000';
const exception = (over: Partial<AuditException> = {}): AuditException => ({
  ruleId: 'HI-ACUTE',
  contractId: 'S1234',
  pbpId: '001',
  countyFips: '17031',
  drugClass: 'ABX_IV',
  npi: null,
  rationale: 'single-case agreement',
  approvedBy: 'J. Doe',
  approvedOn: '2026-09-01',
  expiresOn: '2026-12-01',
  ...over,
});

describe('EXPIRING-SOON', () => {
  it('reports nothing for evidence beyond the window', () => {
    expect(runRule(expiringSoon, makeSnapshot())).toEqual([]);
  });

  it('reports an accreditation expiring within the window, with days left', () => {
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A, accreditationExpires: '2026-12-31' }), // 60 days: in
        makePharmacy({ npi: NPI_B, accreditationExpires: '2027-01-01' }), // 61 days: out
      ],
    });
    const findings = runRule(expiringSoon, snapshot);
    expect(summary(findings)).toEqual([`accreditation EXPIRING-SOON|${P}|${NPI_A}|accreditation`]);
    expect(findings[0]?.evidence).toMatchObject({ daysLeft: 60, expiresOn: '2026-12-31' });
    expect(findings[0]?.severity).toBe('info');
    expect(findings[0]?.message).toContain('in 60 days');
  });

  it('follows the policy window, and skips what has already expired or has no accreditor', () => {
    const snapshot = makeSnapshot({
      pharmacies: [
        makePharmacy({ npi: NPI_A, accreditationExpires: '2026-11-11' }),
        makePharmacy({ npi: NPI_B, accreditationExpires: '2026-10-31' }),
        makePharmacy({ npi: '1000000038', accreditations: [], accreditationExpires: '2026-11-05' }),
      ],
    });
    expect(runRule(expiringSoon, snapshot, makePolicy({ expiringWindowDays: 9 }))).toEqual([]);
    expect(
      summary(runRule(expiringSoon, snapshot, makePolicy({ expiringWindowDays: 10 }))),
    ).toEqual([`accreditation EXPIRING-SOON|${P}|${NPI_A}|accreditation`]);
  });

  it('reports each assurance in force expiring within the window, one finding each', () => {
    const snapshot = makeSnapshot({
      assurances: [
        makeAssurance(NPI_A, { expirationDate: '2026-11-01' }), // today: 0 days left
        makeAssurance(NPI_A, { entityName: 'North VNA', expirationDate: '2026-12-15' }),
        makeAssurance(NPI_A, { entityName: 'Old VNA', expirationDate: '2026-10-01' }), // expired
        makeAssurance(NPI_B, { expirationDate: null }),
      ],
    });
    const findings = runRule(expiringSoon, snapshot);
    expect(summary(findings)).toEqual([
      `assurance EXPIRING-SOON|${P}|${NPI_A}|assurance|Lakeside Home Health|2026-01-01`,
      `assurance EXPIRING-SOON|${P}|${NPI_A}|assurance|North VNA|2026-01-01`,
    ]);
    expect(findings.map((f) => f.evidence['daysLeft'])).toEqual([0, 44]);
  });

  it('reports exceptions in force expiring within the window, not expired or later ones', () => {
    const snapshot = {
      ...makeSnapshot(),
      exceptions: [
        exception(),
        exception({ ruleId: 'HI-ACCESS', drugClass: null, expiresOn: '2027-03-01' }),
        exception({ ruleId: 'HI-CHRONIC', drugClass: 'A1PI', expiresOn: '2026-10-01' }),
        exception({ ruleId: 'HI-CONTACT', approvedOn: '2026-11-02' }), // not yet approved
      ],
    };
    const findings = runRule(expiringSoon, snapshot);
    expect(summary(findings)).toEqual([
      'exception EXPIRING-SOON|S1234|001|17031|ABX_IV|exception|HI-ACUTE',
    ]);
    expect(findings[0]?.message).toBe(
      'Exception HI-ACUTE S1234-001 17031 ABX_IV (approved by J. Doe) expires on 2026-12-01, in 30 days; after that its findings count again.',
    );
  });
});
