import { RETAIL_ACCESS_COLUMNS, columnsFor, retailAccessNotes } from '../columns.js';
import { SHEET_NAMES, col, type Ctx, type Tone, addSheet } from '../sheet-writer.js';

const VERDICT_TONE: Readonly<Record<string, Tone>> = {
  meets: 'green',
  below: 'red',
  incomplete: 'amber',
  not_evaluated: 'grey',
};

/** Retail access: the 42 CFR 423.120(a)(1) standard per plan and State, and LTC pharmacies. */
export function writeRetailAccess(ctx: Ctx): void {
  const { model } = ctx;
  const columns = columnsFor(RETAIL_ACCESS_COLUMNS, 'xlsx');
  const s = addSheet(
    ctx,
    SHEET_NAMES.retailAccess,
    columns.map((c) =>
      c.key === 'plan'
        ? col(17)
        : c.key === 'state'
          ? col(10)
          : c.numeric
            ? col(13, 'int')
            : col(16),
    ),
    { frozenRows: 0 },
  );
  const width = columns.length;
  s.add([
    {
      value:
        'Retail access: members within 2 / 5 / 15 miles of an in-network retail pharmacy (42 CFR 423.120(a)(1))',
      font: 'title',
    },
  ]);
  for (const note of retailAccessNotes(model)) {
    const loud = /NOT EVALUATED|NONE|INCOMPLETE|not recorded|Not recorded|sponsor check/.test(note);
    s.add([{ value: note, kind: 'wrap', tone: loud ? 'amber' : 'none' }], { merge: [1, width] });
  }
  s.add([]);
  s.header(columns.map((c) => c.header));
  const rows = model.retailAccess?.rows ?? [];
  if (rows.length === 0) {
    s.add([{ value: 'No plan-State row: nothing was measured.', kind: 'wrap' }], {
      merge: [1, width],
    });
  }
  for (const r of rows) {
    s.add(
      columns.map((c) => {
        const value = c.value(r);
        if (c.key === 'verdict') return { value, tone: VERDICT_TONE[r.verdict] ?? 'none' };
        if (c.key.endsWith('Share')) {
          const cls = c.key.slice(0, -'Share'.length) as 'urban' | 'suburban' | 'rural';
          const meets = r[cls].meets;
          return { value, tone: meets === false ? 'red' : 'none' };
        }
        if (c.key === 'notJudged' && typeof value === 'number' && value > 0) {
          return { value, tone: 'amber' };
        }
        return value;
      }),
    );
  }
  const ltc = model.retailAccess?.ltc ?? [];
  if (ltc.length > 0) {
    s.add([]);
    s.add([{ value: 'Long-term care pharmacies (42 CFR 423.120(a)(5))', font: 'section' }], {
      merge: [1, width],
    });
    s.header(['Plan', 'Members', 'LTC pharmacies']);
    for (const p of ltc) {
      s.add([
        `${p.contractId}-${p.pbpId}-${p.segmentId}`,
        p.members === null ? 'not known' : { value: p.members, kind: 'int' },
        {
          value: p.ltcPharmacies,
          kind: 'int',
          tone: p.ltcPharmacies === 0 && (p.members ?? 0) > 0 ? 'amber' : 'none',
        },
      ]);
    }
  }
  s.commit();
}
