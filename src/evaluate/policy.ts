/**
 * The policy file: JSON, every field optional, merged over DEFAULT_POLICY. Validation errors are
 * ConfigErrors naming the source, the field and the reason, e.g.
 * `policy.json: rules.HI-FOO: unknown rule id "HI-FOO"; valid ids: HI-ACCESS, ...`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy, type RuleSetting } from '../domain/policy.js';
import { ACCREDITORS, SEVERITIES } from '../domain/types.js';
import { ConfigError } from '../errors.js';
import { RULE_IDS } from '../rules/registry.js';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const quoted = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

const severity = z.enum(SEVERITIES, {
  error: (issue) => `must be one of ${quoted(SEVERITIES)}, got ${JSON.stringify(issue.input)}`,
});

const ruleSetting = z.strictObject({
  severity: severity.optional(),
  enabled: z.boolean().optional(),
});

const count = (min: number) => z.number().int().min(min);

const policySchema = z.strictObject({
  sponsorName: z.string().trim().min(1),
  failOn: severity,
  timeZone: z.string().refine(isTimeZone, {
    error: (issue) => `not a valid IANA time zone: ${JSON.stringify(issue.input)}`,
  }),
  requiredClasses: z
    .array(z.string().trim().min(1))
    .min(1, {
      error:
        'must list at least one drug class code, or be null for the catalog Part D-required classes',
    })
    .nullable(),
  minPharmaciesPerCounty: count(1),
  minPharmaciesPerClass: count(1),
  directionsMaxAgeDays: count(0),
  staleRosterDays: count(0),
  acceptRejectedRows: count(0),
  accreditors: z
    .array(
      z.enum(ACCREDITORS, {
        error: (issue) =>
          `unknown accreditor ${JSON.stringify(issue.input)}; valid: ${ACCREDITORS.join(', ')}`,
      }),
    )
    .min(1),
  expiringWindowDays: count(0),
  distance: z
    .strictObject({
      maxMiles: z
        .number()
        .positive({ error: 'must be a number of miles above 0' })
        .max(5000, { error: 'must be at most 5000 miles' }),
      minShare: z
        .number()
        .gt(0, { error: 'must be a share above 0 and at most 1 (0.9 = 90 %)' })
        .max(1, { error: 'must be a share above 0 and at most 1 (0.9 = 90 %)' }),
    })
    .partial(),
  retailAccess: z.strictObject({
    zipClassesFile: z.string().trim().min(1).nullable().optional(),
  }),
  rules: z.record(z.string(), ruleSetting).superRefine((rules, ctx) => {
    for (const id of Object.keys(rules)) {
      if (!RULE_IDS.includes(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: `unknown rule id ${JSON.stringify(id)}; valid ids: ${RULE_IDS.join(', ')}`,
        });
      }
    }
  }),
});

const policyFileSchema = policySchema.partial();

/** Every field of the policy file, for error messages. */
export const POLICY_FIELDS: readonly string[] = Object.keys(policySchema.shape);

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${pathText(issue.path)}: ` : '';
    const valid =
      issue.path.length === 0
        ? POLICY_FIELDS.join(', ')
        : issue.path[0] === 'distance'
          ? 'maxMiles, minShare'
          : 'severity, enabled';
    return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${quoted(issue.keys)}; valid fields: ${valid}`;
  }
  return `${pathText(issue.path)}: ${issue.message}`;
}

/**
 * Validates a parsed policy file and merges it over DEFAULT_POLICY. `source` names the file (or
 * the run) in error messages.
 */
export function parsePolicy(
  input: unknown,
  source = 'policy',
  /** Folder a relative retailAccess.zipClassesFile is read from (the policy file's). */
  baseDir?: string,
): Policy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`${source}: the policy must be a JSON object`);
  }
  const result = policyFileSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(issueText);
    throw new ConfigError(`${source}: invalid policy: ${lines.join('; ')}`);
  }
  const given = result.data;
  const rules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(given.rules ?? {})) {
    const s: RuleSetting = {};
    if (setting.severity !== undefined) s.severity = setting.severity;
    if (setting.enabled !== undefined) s.enabled = setting.enabled;
    rules[id] = s;
  }
  return {
    sponsorName: given.sponsorName ?? DEFAULT_POLICY.sponsorName,
    failOn: given.failOn ?? DEFAULT_POLICY.failOn,
    timeZone: given.timeZone ?? DEFAULT_POLICY.timeZone,
    requiredClasses:
      given.requiredClasses === undefined
        ? DEFAULT_POLICY.requiredClasses
        : given.requiredClasses === null
          ? null
          : [...given.requiredClasses],
    minPharmaciesPerCounty: given.minPharmaciesPerCounty ?? DEFAULT_POLICY.minPharmaciesPerCounty,
    minPharmaciesPerClass: given.minPharmaciesPerClass ?? DEFAULT_POLICY.minPharmaciesPerClass,
    directionsMaxAgeDays: given.directionsMaxAgeDays ?? DEFAULT_POLICY.directionsMaxAgeDays,
    staleRosterDays: given.staleRosterDays ?? DEFAULT_POLICY.staleRosterDays,
    acceptRejectedRows: given.acceptRejectedRows ?? DEFAULT_POLICY.acceptRejectedRows,
    accreditors: given.accreditors ? [...given.accreditors] : [...DEFAULT_POLICY.accreditors],
    expiringWindowDays: given.expiringWindowDays ?? DEFAULT_POLICY.expiringWindowDays,
    distance: {
      maxMiles: given.distance?.maxMiles ?? DEFAULT_POLICY.distance.maxMiles,
      minShare: given.distance?.minShare ?? DEFAULT_POLICY.distance.minShare,
    },
    retailAccess: { zipClassesFile: zipClassesFile(given.retailAccess?.zipClassesFile, baseDir) },
    rules,
  };
}

function zipClassesFile(given: string | null | undefined, baseDir: string | undefined) {
  if (given === undefined || given === null) return DEFAULT_POLICY.retailAccess.zipClassesFile;
  return baseDir !== undefined && !isAbsolute(given) ? resolve(baseDir, given) : given;
}

/** Reads and validates a policy file; no path = DEFAULT_POLICY. */
export function loadPolicy(path: string | undefined): Policy {
  if (path === undefined) return parsePolicy({}, 'default policy');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new ConfigError(`policy file ${path}: cannot read: ${reason}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new ConfigError(`policy file ${path}: not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parsePolicy(data, `policy file ${path}`, dirname(resolve(path)));
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (hex) of the policy's canonical JSON: equal policies hash equal, whatever the key order. */
export function policyHash(policy: Policy): string {
  return createHash('sha256').update(canonicalJson(policy)).digest('hex');
}
