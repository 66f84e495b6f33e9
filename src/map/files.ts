/**
 * Writes one PNG coverage map per plan next to the report files: `<base>-map-<plan>.png`.
 */
import { writeFile } from 'node:fs/promises';
import { planKeyString } from '../domain/types.js';
import { writeAtomically } from '../report/atomic.js';
import { resolveInside, sanitizeScope } from '../report/file-name.js';
import type { ReportModel } from '../report/model.js';
import { PngRenderer } from './png-renderer.js';
import { planMapInputs, renderPlanMapSvg } from './render.js';

/** The file name of a plan's PNG map. */
export function mapFileName(baseName: string, planId: string): string {
  return `${baseName}-map-${sanitizeScope(planId)}.png`;
}

/** Writes the PNG maps of every plan with a service area; returns their absolute paths. */
export async function writeMapPngs({
  model,
  outDir,
  baseName,
}: {
  model: ReportModel;
  outDir: string;
  baseName: string;
}): Promise<string[]> {
  const written: string[] = [];
  const renderer = new PngRenderer();
  try {
    for (const input of planMapInputs(model)) {
      const path = resolveInside(outDir, mapFileName(baseName, planKeyString(input.plan)));
      const png = await renderer.render(renderPlanMapSvg(input));
      await writeAtomically(path, async (tmp) => {
        await writeFile(tmp, png);
      });
      written.push(path);
    }
  } finally {
    await renderer.close();
  }
  return written;
}
