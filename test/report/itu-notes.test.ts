/**
 * What the Retail access sheet, the HTML page and the Markdown summary say about I/T/U pharmacy
 * access (the shared sentences of src/report/columns.ts): the figures per plan, the NOT
 * EVALUATED reason, or "not recorded" for a run stored before it was assessed.
 */
import { describe, expect, it } from 'vitest';
import { retailAccessNotes } from '../../src/report/columns.js';
import type { ReportModel } from '../../src/report/model.js';
import { buildModel } from './model-builder.js';

const withItu = (itu: NonNullable<ReportModel['retailAccess']>['itu']): ReportModel => {
  const model = buildModel();
  return { ...model, retailAccess: { ...model.retailAccess!, itu } };
};
const ituNotes = (model: ReportModel): string[] =>
  retailAccessNotes(model).filter((n) => /I\/T\/U|ITU-ACCESS/.test(n));

describe('I/T/U notes of the retail access section', () => {
  it('per plan: in the service area, in network, and the NPIs not in network', () => {
    expect(ituNotes(buildModel())).toEqual([
      'I/T/U pharmacy access (42 CFR 423.120(a)(6)): 2 of the 40 pharmacies marked Y or N on the pharmacy roster are I/T/U; 1 of 1 plans have I/T/U pharmacies in their service area.',
      'Plan S1234-001-000: 2 I/T/U pharmacies in the service area, 1 in network, 1 not in network (NPI 1245319599): sponsor check, confirm a standard contract with the I/T/U addendum was offered.',
    ]);
    expect(retailAccessNotes(buildModel()).join(' ')).not.toContain('NOT ASSESSED');
  });

  it('NOT EVALUATED when no pharmacy says Y or N', () => {
    const notes = ituNotes(
      withItu({ status: 'no_attribute', pharmaciesWithAttribute: 0, ituPharmacies: 0, rows: [] }),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^I\/T\/U pharmacy access \(42 CFR 423\.120\(a\)\(6\)\) is NOT EVALUATED: /,
    );
  });

  it('not recorded for a run stored before it was assessed', () => {
    expect(ituNotes(withItu(null))).toEqual([
      'I/T/U pharmacy access (42 CFR 423.120(a)(6)): not recorded: this run was stored before it was assessed.',
    ]);
  });
});
