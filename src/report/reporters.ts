/** The report formats, in the order they are written (the workbook first: it is the record). */
import type { Reporter } from './reporter.js';
import { writeHtml } from './write-html.js';
import { writeJson } from './write-json.js';
import { writeMarkdown } from './write-markdown.js';
import { writeWorkbook } from './write-workbook.js';

export const REPORTERS: readonly Reporter[] = [
  { format: 'xlsx', extension: 'xlsx', write: ({ model, path }) => writeWorkbook({ model, path }) },
  { format: 'json', extension: 'json', write: ({ model, path }) => writeJson({ model, path }) },
  {
    format: 'md',
    extension: 'md',
    write: ({ model, path, files }) =>
      writeMarkdown({ model, path, workbook: files.xlsx, json: files.json }),
  },
  { format: 'html', extension: 'html', write: ({ model, path }) => writeHtml({ model, path }) },
];
