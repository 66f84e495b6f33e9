import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceLoader, referenceRows } from '../../src/geo/reference-file.js';

describe('shipped reference files', () => {
  it('rows: the header and empty lines left out, fields kept as text (leading zeros)', () => {
    expect(referenceRows('fips,lat,lon\n01001,32.5,-86.6\n\n02013,55.2,-161.9\n')).toEqual([
      ['01001', '32.5', '-86.6'],
      ['02013', '55.2', '-161.9'],
    ]);
    expect(referenceRows('fips,lat,lon\n')).toEqual([]);
  });

  it('a loader reads its file once, on first use, and returns that value after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-'));
    try {
      const path = join(dir, 'ref.csv');
      let parses = 0;
      const load = referenceLoader(path, (text) => {
        parses++;
        return referenceRows(text).length;
      });
      writeFileSync(path, 'a\n1\n2\n');
      expect(load()).toBe(2);
      writeFileSync(path, 'a\n1\n2\n3\n');
      expect(load()).toBe(2);
      expect(parses).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
