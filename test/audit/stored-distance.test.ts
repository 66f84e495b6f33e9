/**
 * The distances a run evaluated are stored with it (run_report_part) and read back as they were;
 * a run stored before distances were kept (layout 1) says so instead of failing as damaged.
 */
import { describe, expect, it } from 'vitest';
import { reportParts } from '../../src/audit/stored-report.js';
import { readBack } from '../helpers/stored-report.js';
import { buildModel } from '../report/model-builder.js';

describe('stored distances', () => {
  it('round-trip: status, policy, plans, cells and unlocated pharmacies as evaluated', async () => {
    const m = buildModel();
    const parts = reportParts(m);
    expect(parts.map((p) => p.part)).toEqual(
      expect.arrayContaining(['distance', 'distance.cells']),
    );
    expect(parts.find((p) => p.part === 'format')!.body).toBe('2');
    const back = await readBack(m, parts);
    expect(back.distance).toEqual(m.distance);
  });

  it('a run stored in layout 1 (before distances were kept) is read, saying they were not stored', async () => {
    const m = buildModel();
    const parts = reportParts(m)
      .filter((p) => p.part !== 'distance' && p.part !== 'distance.cells')
      .map((p) => (p.part === 'format' ? { ...p, body: '1' } : p));
    const back = await readBack(m, parts);
    expect(back.distance).toMatchObject({ status: 'not_stored', cells: [], plans: [] });
    expect(back.distance.notEvaluatedReason).toContain('stored before runs kept');
    expect(back.findings).toHaveLength(m.findings.length);
  });

  it('layout 2 without its distance parts is damaged, not silently empty', async () => {
    const m = buildModel();
    const parts = reportParts(m).filter((p) => p.part !== 'distance.cells');
    await expect(readBack(m, parts)).rejects.toThrow(
      /stored report of run 12 is damaged \(no part distance.cells\)/,
    );
  });
});
