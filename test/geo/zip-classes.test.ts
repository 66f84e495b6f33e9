import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadZipClasses, parseZipClasses } from '../../src/geo/zip-classes.js';

describe('ZIP class file', () => {
  it('reads zip,class with comments, an as-of date, short classes and 4-digit ZIPs', () => {
    const t = parseZipClasses(
      '\uFEFF# CMS classification via our PBM\n# as of: 2026-01-01\nzip,class\n60602,Urban\n60101,S\n1001,rural\n',
      'classes.csv',
    );
    expect(t.asOf).toBe('2026-01-01');
    expect([...t.classes]).toEqual([
      ['60602', 'urban'],
      ['60101', 'suburban'],
      ['01001', 'rural'],
    ]);
  });

  it.each([
    ['zip,density\n60602,4000\n', 'the header must be "zip,class"'],
    ['zip,class\n6060X,urban\n', 'line 2: "6060X" is not a 5-digit ZIP'],
    ['zip,class\n60602,metro\n', 'line 2: "metro" is not a class'],
    [
      'zip,class\n60602,urban\n60602,rural\n',
      'line 3: ZIP 60602 is listed as both urban and rural',
    ],
    ['# nothing\n', 'the file is empty'],
  ])('refuses a wrong file, naming the problem: %j', (text, reason) => {
    expect(() => parseZipClasses(text, 'c.csv')).toThrow(reason);
  });

  it('loads a file with its name and sha256; a missing file is a configuration error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zipcls-'));
    const path = join(dir, 'cms.csv');
    writeFileSync(path, 'zip,class\n60602,urban\n');
    const t = loadZipClasses(path);
    expect(t.source).toBe('cms.csv');
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => loadZipClasses(join(dir, 'none.csv'))).toThrow(/file not found/);
  });
});
