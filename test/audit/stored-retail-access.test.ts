/**
 * The retail access section is stored with the run and read back as evaluated; a run stored
 * before it existed reads back as "not recorded" (null), not as a damaged store.
 */
import { describe, expect, it } from 'vitest';
import { reportParts } from '../../src/audit/stored-report.js';
import { readBack } from '../helpers/stored-report.js';
import { buildModel } from '../report/model-builder.js';

describe('stored retail access', () => {
  it('round-trips the rows, the LTC counts and the ZIP class file it used', async () => {
    const model = buildModel();
    const back = await readBack(model);
    expect(back.retailAccess).toEqual(model.retailAccess);
    expect(back.retailAccess?.rows[0]?.suburban.meets).toBe(false);
  });

  it('a run stored without it reads back as null', async () => {
    const model = buildModel();
    const parts = reportParts(model).filter((p) => !p.part.startsWith('retailAccess'));
    const back = await readBack(model, parts);
    expect(back.retailAccess).toBeNull();
    expect(back.keyFigures).toEqual(model.keyFigures);
  });

  it('a model with no retail access stores null, not an empty evaluation', async () => {
    const model = buildModel({ retailAccess: null });
    const back = await readBack(model);
    expect(back.retailAccess).toBeNull();
  });
});
