import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCli, parseGenerateArgs } from '../../src/generate/cli.js';

describe('parseGenerateArgs', () => {
  it('parses every option', () => {
    expect(
      parseGenerateArgs([
        '--pharmacies',
        '70000',
        '--plans',
        '50',
        '--states',
        '52',
        '--seed',
        '7',
        '--out',
        'bench/data',
        '--network-rows',
        '1_000_000',
        '--requests=100000',
        '--as-of',
        '2026-11-01',
        '--gaps',
        '0',
      ]),
    ).toEqual({
      pharmacies: 70000,
      plans: 50,
      states: 52,
      seed: 7,
      out: 'bench/data',
      networkRows: 1_000_000,
      coverageRequests: 100000,
      asOf: '2026-11-01',
      gaps: 0,
    });
    expect(
      parseGenerateArgs([
        '--pharmacies',
        '5',
        '--plans',
        '1',
        '--states',
        'il, IN',
        '--seed',
        'abc',
        '--out',
        'x',
      ]).states,
    ).toEqual(['il', 'IN']);
  });

  it('rejects missing and bad options', () => {
    expect(() => parseGenerateArgs(['--plans', '1'])).toThrow(/--pharmacies is required/);
    expect(() =>
      parseGenerateArgs([
        '--pharmacies',
        'x',
        '--plans',
        '1',
        '--states',
        '1',
        '--seed',
        '1',
        '--out',
        'o',
      ]),
    ).toThrow(/integer/);
    expect(() => parseGenerateArgs(['--bogus', '1'])).toThrow(/unknown option/);
  });
});

describe('generateCli', () => {
  it('returns 2 on usage errors and 0 on success', async () => {
    const logs: string[] = [];
    const io = { log: (l: string) => logs.push(l), error: (l: string) => logs.push(l) };
    expect(await generateCli(['--pharmacies', '0'], io)).toBe(2);
    logs.length = 0;
    expect(await generateCli(['--help'], io)).toBe(0);
    expect(logs.join('\n')).toMatch(/^usage: infusion-audit generate --pharmacies N/);
    const out = mkdtempSync(join(tmpdir(), 'gen-cli-'));
    try {
      expect(
        await generateCli(
          [
            '--pharmacies',
            '40',
            '--plans',
            '2',
            '--states',
            'IL',
            '--seed',
            '1',
            '--out',
            out,
            '--network-rows',
            '10',
          ],
          io,
        ),
      ).toBe(0);
      expect(logs.join('\n')).toMatch(/cms-network\.txt\s+10 rows/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
