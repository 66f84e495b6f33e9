import { describe, expect, it } from 'vitest';
import { rejectedRowsInForce } from '../../src/audit/run-audit.js';
import type { ImportRecord } from '../../src/domain/types.js';

type Input = Pick<ImportRecord, 'fileName' | 'sheet' | 'kind' | 'rejected'>;
const file = (fileName: string, rejected: number, sheet: string | null = null): Input => ({
  fileName,
  sheet,
  kind: 'network',
  rejected,
});

describe('rejected rows in the rosters in force make the scope unjudgeable', () => {
  it('no rejected row: nothing is missing', () => {
    expect(rejectedRowsInForce([file('a.csv', 0), file('b.csv', 0)], 0)).toBeNull();
    expect(rejectedRowsInForce([], 0)).toBeNull();
  });

  it('one rejected row: INCOMPLETE, naming the file and its kind', () => {
    const m = rejectedRowsInForce([file('a.csv', 0), file('net.xlsx', 1, 'network')], 0);
    expect(m?.what).toBe('rejected_rows');
    expect(m?.message).toMatch(
      /^the latest roster files hold 1 rejected row \(net\.xlsx \[network\], network: 1\); what it describes is not in the audit/,
    );
  });

  it('the policy may accept a number of rows: at the number judged, above it not', () => {
    const files = [file('a.csv', 2), file('b.csv', 1)];
    expect(rejectedRowsInForce(files, 3)).toBeNull();
    expect(rejectedRowsInForce(files, 2)?.message).toMatch(
      /^the latest roster files hold 3 rejected rows, more than the 2 the policy accepts \(a\.csv, network: 2; b\.csv, network: 1\); what they describe is/,
    );
  });

  it('names five files, then counts the rest', () => {
    const files = Array.from({ length: 7 }, (_, i) => file(`f${i}.csv`, 1000));
    const m = rejectedRowsInForce(files, 0)?.message ?? '';
    expect(m).toMatch(
      /^the latest roster files hold 7,000 rejected rows \(f0\.csv, network: 1,000;/,
    );
    expect(m).toMatch(/f4\.csv, network: 1,000; and 2 more files\)/);
    expect(m).not.toMatch(/f5\.csv/);
  });
});
