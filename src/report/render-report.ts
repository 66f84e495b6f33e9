/**
 * Renders a run's three report files into an output folder: the Excel workbook, the run as JSON
 * and a one-page Markdown summary, all named `<scope>-<as-of>-run<id>`.
 */
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { SystemError } from '../errors.js';
import { reportBaseName, resolveInside } from './file-name.js';
import type { ReportModel } from './model.js';
import { writeJson } from './write-json.js';
import { writeMarkdown } from './write-markdown.js';
import { writeWorkbook } from './write-workbook.js';

export interface RenderedReport {
  /** Absolute paths of the files written. */
  xlsx: string;
  json: string;
  md: string;
}

export async function renderReport({
  model,
  outDir,
}: {
  model: ReportModel;
  outDir: string;
}): Promise<RenderedReport> {
  const base = reportBaseName(model);
  const xlsx = resolveInside(outDir, `${base}.xlsx`);
  const json = resolveInside(outDir, `${base}.json`);
  const md = resolveInside(outDir, `${base}.md`);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new SystemError(`cannot create output folder ${outDir}`, { cause: err });
  }
  await writeWorkbook({ model, path: xlsx });
  await writeJson({ model, path: json });
  await writeMarkdown({ model, path: md, workbook: basename(xlsx), json: basename(json) });
  return { xlsx, json, md };
}
