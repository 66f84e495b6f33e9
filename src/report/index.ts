export type * from './model.js';
export { renderReport, type RenderedReport } from './render-report.js';
export { writeWorkbook, SHEET_NAMES, FILLS } from './write-workbook.js';
export { writeJson, renderJson, stableStringify } from './write-json.js';
export { writeMarkdown, renderMarkdown } from './write-markdown.js';
export { reportBaseName, resolveInside, sanitizeScope } from './file-name.js';
export { safeText, maskMemberId, formatPhone } from './format.js';
export * from './letter.js';
