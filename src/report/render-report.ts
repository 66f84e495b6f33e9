/**
 * Renders a run's report files into an output folder: the Excel workbook, the run as JSON, a
 * one-page Markdown summary and a self-contained HTML page (with the coverage maps), all named
 * `<scope>-<as-of>-run<id>`. The workbook holds the coverage maps (its Maps sheet); optionally
 * they are also written as PNG files, one per plan (`<base>-map-<plan>.png`).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { SystemError } from '../errors.js';
import { removeStaleTemps } from './atomic.js';
import { writeMapPngs } from '../map/files.js';
import { reportBaseName, resolveInside } from './file-name.js';
import type { ReportFormat } from './columns.js';
import type { ReportModel } from './model.js';
import { REPORTERS } from './reporters.js';

export interface RenderedReport extends Record<ReportFormat, string> {
  /** Absolute paths of the files written, by format (xlsx, json, md, html). */
  /** PNG coverage maps, one per plan with a service area (empty unless `mapPngs`). */
  maps: string[];
}

/**
 * Names carry the run's recorded time to the second; should a report of another run (another
 * database, the same sponsor, run id and second) have the same name, it is not replaced: its
 * JSON says whose it is.
 */
async function refuseAnotherRunsFiles({
  model,
  json,
}: {
  model: ReportModel;
  json: string;
}): Promise<void> {
  let text: string;
  try {
    text = await readFile(json, 'utf8');
  } catch {
    return; // no report of that name yet
  }
  let run: { runId?: unknown; generatedAt?: unknown; sponsorName?: unknown } = {};
  try {
    run = (JSON.parse(text) as { run?: typeof run }).run ?? {};
  } catch {
    // not a report's JSON: refused below
  }
  const same =
    run.runId === model.run.runId &&
    run.generatedAt === model.run.generatedAt &&
    run.sponsorName === model.run.sponsorName;
  if (!same) {
    throw new SystemError(
      `${json} is the report of another run (another database?); not replaced. Render into another folder (--out).`,
    );
  }
}

export async function renderReport({
  model,
  outDir,
  mapPngs = false,
}: {
  model: ReportModel;
  outDir: string;
  /** Also write one PNG coverage map per plan (about 0.2 s each). */
  mapPngs?: boolean;
}): Promise<RenderedReport> {
  const base = reportBaseName(model);
  const files = Object.fromEntries(
    REPORTERS.map((r) => [r.format, `${base}.${r.extension}`]),
  ) as Record<ReportFormat, string>;
  const paths = Object.fromEntries(
    REPORTERS.map((r) => [r.format, resolveInside(outDir, files[r.format])]),
  ) as Record<ReportFormat, string>;
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new SystemError(`cannot create the output folder ${outDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await removeStaleTemps(outDir);
  await refuseAnotherRunsFiles({ model, json: paths.json });
  for (const reporter of REPORTERS) {
    await reporter.write({ model, path: paths[reporter.format], files });
  }
  const maps = mapPngs ? await writeMapPngs({ model, outDir, baseName: base }) : [];
  return { ...paths, maps };
}
