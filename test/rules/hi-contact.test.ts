import { describe, expect, it } from 'vitest';
import { hiContact } from '../../src/rules/hi-contact.js';
import {
  NPI_A,
  PLAN_KEY,
  makePharmacy,
  makeSnapshot,
  runRule,
  summary,
} from './snapshot-builder.js';

const K = `HI-CONTACT|${PLAN_KEY.replaceAll('-', '|')}|${NPI_A}`;

describe('HI-CONTACT', () => {
  it.each<{ name: string; open24x7: boolean; afterHoursPhone: string | null; expected: string[] }>([
    { name: 'after-hours phone', open24x7: false, afterHoursPhone: '3125550199', expected: [] },
    {
      name: 'formatted after-hours phone',
      open24x7: false,
      afterHoursPhone: '(312) 555-0199',
      expected: [],
    },
    {
      name: 'open 24x7 without after-hours phone',
      open24x7: true,
      afterHoursPhone: null,
      expected: [],
    },
    {
      name: 'neither',
      open24x7: false,
      afterHoursPhone: null,
      expected: [`noAfterHoursPhone ${K}`],
    },
    {
      name: 'blank phone',
      open24x7: false,
      afterHoursPhone: '  ',
      expected: [`noAfterHoursPhone ${K}`],
    },
    {
      name: 'invalid phone',
      open24x7: false,
      afterHoursPhone: '555-0199',
      expected: [`invalidAfterHoursPhone ${K}`],
    },
    {
      name: 'area code starting with 1',
      open24x7: false,
      afterHoursPhone: '1125550199',
      expected: [`invalidAfterHoursPhone ${K}`],
    },
  ])('$name', ({ open24x7, afterHoursPhone, expected }) => {
    const snapshot = makeSnapshot({ pharmacies: [makePharmacy({ open24x7, afterHoursPhone })] });
    expect(summary(runRule(hiContact, snapshot))).toEqual(expected);
  });

  it('severity minor, message quotes the bad number', () => {
    const [f] = runRule(
      hiContact,
      makeSnapshot({ pharmacies: [makePharmacy({ afterHoursPhone: 'call us' })] }),
    );
    expect(f?.severity).toBe('minor');
    expect(f?.message).toContain('its after-hours phone "call us" is not a valid US number');
  });
});
