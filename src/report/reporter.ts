/**
 * One interface for every report format: a reporter writes one file of the run's report from the
 * model. The registry lists them in the order they are written; renderReport writes each one.
 * Adding a format: a module exporting a Reporter, listed in REPORTERS.
 */
import type { ReportFormat } from './columns.js';
import type { ReportModel } from './model.js';

export interface ReporterOptions {
  model: ReportModel;
  /** Final path of this reporter's file (written atomically). */
  path: string;
  /** File names (no folder) of every format of the same report, for cross references. */
  files: Readonly<Record<ReportFormat, string>>;
}

export interface Reporter {
  format: ReportFormat;
  /** File name extension, without the dot. */
  extension: string;
  write(options: ReporterOptions): Promise<void>;
}
