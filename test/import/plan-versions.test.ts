import { describe, expect, it } from 'vitest';
import {
  planIsEmpty,
  planVersions,
  type BatchRecordInput,
  type BatchSourceInput,
  type PlanVersionsOptions,
  type StoredVersionInput,
} from '../../src/import/plan-versions.js';

const OPTS: PlanVersionsOptions = {
  asOf: '2026-12-01',
  append: false,
  endDespiteRejects: false,
  scoped: true,
};

/** A stored membership of plan `scope`, NPI `npi`, written by import `importId`. */
function stored(
  id: number,
  scope: string,
  npi: string,
  importId: number,
  extra: Partial<StoredVersionInput> = {},
): StoredVersionInput {
  return {
    id,
    key: `${scope}|${npi}`,
    scope,
    identity: `${scope}|${npi}`,
    validFrom: '2026-11-01',
    content: 'h',
    importId,
    ...extra,
  };
}

function rec(scope: string, npi: string, source: number, content = 'h'): BatchRecordInput<string> {
  return { record: `${scope}|${npi}`, key: `${scope}|${npi}`, scope, content, source };
}

const clean = (): BatchSourceInput => ({ rejectedIdentities: new Set(), unreadableRejections: 0 });

describe('planVersions', () => {
  it('merges the sources of a batch: rows of one plan split over two files end nothing', () => {
    const current = [stored(1, 'P1', 'A', 10), stored(2, 'P1', 'B', 11)];
    const plan = planVersions(
      current,
      [rec('P1', 'A', 0), rec('P1', 'B', 1)],
      [clean(), clean()],
      OPTS,
    );
    expect(planIsEmpty(plan)).toBe(true);
    expect(plan.perSource.map((s) => s.unchanged)).toEqual([1, 1]);
    expect(plan.endedByImport.size).toBe(0);
  });

  it('ends what no source lists, counted against the first source covering the plan and per earlier import', () => {
    const current = [
      stored(1, 'P1', 'A', 10),
      stored(2, 'P1', 'B', 11),
      stored(3, 'P1', 'C', 11),
      stored(4, 'P2', 'D', 12),
    ];
    const plan = planVersions(
      current,
      [rec('P1', 'A', 0), rec('P1', 'E', 1)],
      [clean(), clean()],
      OPTS,
    );
    expect(plan.closes.sort()).toEqual([2, 3]);
    expect(plan.inserts.map((i) => i.key)).toEqual(['P1|E']);
    expect(plan.perSource.map((s) => [s.inserted, s.ended])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    // P2 is not covered by the batch: its row stays
    expect([...plan.endedByImport]).toEqual([[11, 2]]);
  });

  it('replaces a changed record; a version begun on the as-of date is removed, not ended', () => {
    const current = [
      stored(1, 'P1', 'A', 10),
      stored(2, 'P1', 'B', 10, { validFrom: '2026-12-01' }),
    ];
    const plan = planVersions(
      current,
      [rec('P1', 'A', 0, 'h2'), rec('P1', 'B', 0, 'h2')],
      [clean()],
      OPTS,
    );
    expect(plan.closes).toEqual([1]);
    expect(plan.deletes).toEqual([2]);
    expect(plan.perSource[0]).toMatchObject({ inserted: 2, replaced: 2, ended: 0 });
  });

  it('with append ends nothing the batch does not list', () => {
    const current = [stored(1, 'P1', 'A', 10), stored(2, 'P1', 'B', 10)];
    const plan = planVersions(current, [rec('P1', 'C', 0)], [clean()], { ...OPTS, append: true });
    expect(plan.closes).toEqual([]);
    expect(plan.inserts).toHaveLength(1);
  });

  it('keeps a stored version a rejected row names; ends the others', () => {
    const current = [stored(1, 'P1', 'A', 10), stored(2, 'P1', 'B', 10), stored(3, 'P1', 'C', 10)];
    const src: BatchSourceInput = {
      rejectedIdentities: new Set(['P1|B']),
      unreadableRejections: 0,
    };
    const plan = planVersions(current, [rec('P1', 'A', 0)], [src], OPTS);
    expect(plan.closes).toEqual([3]);
    expect(plan.perSource[0]).toMatchObject({ ended: 1, keptForRejections: 1 });
  });

  it('ends nothing in the scope of a source with an unreadable rejected row, unless told to', () => {
    const current = [stored(1, 'P1', 'A', 10), stored(2, 'P1', 'B', 10), stored(3, 'P2', 'C', 10)];
    const records = [rec('P1', 'A', 0), rec('P2', 'D', 1)];
    const sources = [{ rejectedIdentities: new Set<string>(), unreadableRejections: 1 }, clean()];
    const plan = planVersions(current, records, sources, OPTS);
    // P1 (the source with the unreadable row) keeps B; P2 (another source) ends C
    expect(plan.closes).toEqual([3]);
    expect(plan.perSource.map((s) => s.keptForRejections)).toEqual([1, 0]);
    const forced = planVersions(current, records, sources, { ...OPTS, endDespiteRejects: true });
    expect(forced.closes.sort()).toEqual([2, 3]);
  });

  it('unscoped kinds (pharmacies) never end what a file does not list', () => {
    const current = [
      stored(1, 'x', 'A', 10, { scope: null }),
      stored(2, 'x', 'B', 10, { scope: null }),
    ];
    const plan = planVersions(current, [{ ...rec('x', 'A', 0), scope: null }], [clean()], {
      ...OPTS,
      scoped: false,
    });
    expect(planIsEmpty(plan)).toBe(true);
  });

  it('reports a stored version later than the as-of date it would touch', () => {
    const current = [stored(1, 'P1', 'A', 10, { validFrom: '2027-01-01' })];
    expect(planVersions(current, [rec('P1', 'B', 0)], [clean()], OPTS).later).toBe('2027-01-01');
    expect(planVersions(current, [rec('P1', 'A', 0, 'h2')], [clean()], OPTS).later).toBe(
      '2027-01-01',
    );
  });

  it('v1, v2 without a row, v1 again: the third batch restores the row', () => {
    // after v2 the row B is ended: the versions in force are A only
    const afterV2 = [stored(1, 'P1', 'A', 20)];
    const plan = planVersions(afterV2, [rec('P1', 'A', 0), rec('P1', 'B', 0)], [clean()], OPTS);
    expect(plan.inserts.map((i) => i.key)).toEqual(['P1|B']);
    expect(planIsEmpty(plan)).toBe(false);
  });
});
