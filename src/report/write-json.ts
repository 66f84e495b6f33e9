/**
 * The run as data: one JSON document, the same bytes for the same model. Object keys are sorted
 * (top-level sections come in a fixed order), arrays keep the model's order, one array element per
 * line so large runs stream out in bounded memory and diff well.
 */
import { writeStreamAtomically } from './atomic.js';
import { writeChunks } from './chunks.js';
import { distanceSummary } from './distance.js';
import { maskMemberId } from './format.js';
import type { ReportModel } from './model.js';
import { PLAN_RESULT_COLUMNS, columnsFor } from './columns.js';
import {
  changeCounts,
  exceptedCount,
  planResults,
  ruleResults,
  severityTotals,
} from './summary.js';

export const JSON_FORMAT = 'infusion-audit.run';
export const JSON_FORMAT_VERSION = 1;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted (code-unit order) at every level; undefined members are omitted. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((v: unknown) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  }
  if (value instanceof Map) return stableStringify(Object.fromEntries(value));
  if (isRecord(value)) {
    let out = '{';
    for (const k of sortedKeys(value)) {
      const v = value[k];
      if (v === undefined || typeof v === 'function') continue;
      out += `${out.length > 1 ? ',' : ''}${quotedKey(k)}:${stableStringify(v)}`;
    }
    return `${out}}`;
  }
  return 'null';
}

/** Sorted key lists by the object's own key list (objects of one shape share one sort). */
const SORTED_KEYS = new Map<string, string[]>();
const QUOTED_KEYS = new Map<string, string>();

function sortedKeys(value: Record<string, unknown>): string[] {
  const keys = Object.keys(value);
  const shape = keys.join('\u0000');
  let sorted = SORTED_KEYS.get(shape);
  if (sorted === undefined) {
    sorted = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (SORTED_KEYS.size < 10_000) SORTED_KEYS.set(shape, sorted);
  }
  return sorted;
}

function quotedKey(k: string): string {
  let q = QUOTED_KEYS.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED_KEYS.size < 10_000) QUOTED_KEYS.set(k, q);
  }
  return q;
}

/** The top-level sections, in document order. Arrays are written one element per line. */
function sections(model: ReportModel): [string, unknown][] {
  const results = ruleResults(model);
  return [
    ['format', JSON_FORMAT],
    ['formatVersion', JSON_FORMAT_VERSION],
    ['run', model.run],
    ['previousRunId', model.previousRunId],
    [
      'summary',
      {
        verdict: model.run.verdict,
        missing: model.run.missing,
        findings: model.findings.length,
        severityTotals: severityTotals(model),
        changes: changeCounts(model),
        excepted: exceptedCount(model),
        rules: results.map((r) => ({
          id: r.rule.id,
          severity: r.rule.severity,
          enabled: r.rule.enabled,
          status: r.status,
          counts: r.counts,
          total: r.total,
          new: r.newCount,
          excepted: r.excepted,
        })),
        // The per-plan table's columns (src/report/columns.ts), by column key.
        plans: planResults(model).map((p) =>
          Object.fromEntries(
            columnsFor(PLAN_RESULT_COLUMNS, 'json').map((c) => [c.key, c.value(p)]),
          ),
        ),
      },
    ],
    ['keyFigures', model.keyFigures],
    ['rules', model.rules],
    ['findings', model.findings],
    ['resolved', model.resolved],
    ['plans', model.plans],
    ['planKeysWithoutRecord', model.planKeysWithoutRecord],
    ['requiredClasses', model.coverage.requiredClasses.map((c) => c.code)],
    ['coverage', model.coverage.cells],
    ['directory', model.directory],
    ['assurances', model.assurances],
    [
      'requests',
      model.requests.map((r) => ({
        ...r,
        memberIdMasked: r.memberIdMasked === null ? null : maskMemberId(r.memberIdMasked),
      })),
    ],
    ['imports', model.lineage.imports],
    ['rejectedRows', model.lineage.rejectedRows],
    ['catalog', model.catalog],
    ['exceptions', model.exceptions],
    ['expiring', model.expiring],
    ['keyPharmacies', model.keyPharmacies],
    ['recruitment', model.recruitment],
    // Members per plan: counts are null and notComputed says why when there is no enrollment.
    ['members', model.members ?? { computed: false, plans: [] }],
    ['distance', distanceSummary(model.distance)],
    ['distanceCells', model.distance.cells],
    ['retailAccess', model.retailAccess],
  ];
}

/** The document as chunks (one per array element), for streaming. */
export function* jsonChunks(model: ReportModel): Generator<string> {
  const parts = sections(model);
  yield '{\n';
  for (let i = 0; i < parts.length; i++) {
    const [key, value] = parts[i]!;
    const sep = i < parts.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value)) {
      if (value.length === 0) {
        yield `  ${JSON.stringify(key)}: []${sep}`;
        continue;
      }
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j++) {
        yield `    ${stableStringify(value[j])}${j < value.length - 1 ? ',' : ''}\n`;
      }
      yield `  ]${sep}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${stableStringify(value)}${sep}`;
    }
  }
  yield '}\n';
}

/** The whole document as one string (small models, tests). */
export function renderJson(model: ReportModel): string {
  return [...jsonChunks(model)].join('');
}

/** Writes the JSON document atomically (`<path>.tmp-<pid>`, then rename). */
export async function writeJson({
  model,
  path,
}: {
  model: ReportModel;
  path: string;
}): Promise<void> {
  await writeStreamAtomically(path, async (stream) => {
    await writeChunks(stream, jsonChunks(model));
  });
}
