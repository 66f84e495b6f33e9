/**
 * Effective configuration: defaults < infusion-audit.config.json (or --config) < environment
 * < flags. `infusion-audit config` prints it with secrets redacted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, redactUrl } from '../db/url.js';
import { ConfigError } from '../errors.js';

const LimitsSchema = z
  .object({
    maxFileBytes: z.number().int().positive(),
    maxRows: z.number().int().positive(),
    /** Longest CSV row / XLSX cell, in characters. */
    maxFieldBytes: z.number().int().positive(),
    /** XLSX: largest total uncompressed size of the workbook (zip-bomb guard). */
    maxXlsxUncompressedBytes: z.number().int().positive(),
    /** XLSX: most characters of text per sheet (shared strings included). */
    maxSheetChars: z.number().int().positive(),
    /** Most rejected rows stored per file or sheet (the others are counted). */
    maxStoredRejections: z.number().int().positive(),
  })
  .partial()
  .strict();

/** The roster reader limits (src/roster/read-csv.ts ReaderLimits) a configuration sets. */
export interface RosterLimitsConfig {
  maxFileBytes?: number;
  maxRows?: number;
  maxFieldBytes?: number;
  maxUncompressedBytes?: number;
  maxSheetChars?: number;
  maxStoredRejections?: number;
}

const ConfigSchema = z
  .object({
    database: z.string().min(1),
    rosterDir: z.string().min(1),
    outDir: z.string().min(1),
    policy: z.string().min(1),
    waitSeconds: z.number().min(0),
    keepDays: z.number().int().min(1),
    logFormat: z.enum(['human', 'json']),
    limits: LimitsSchema,
  })
  .partial()
  .strict();

export type FileConfig = z.infer<typeof ConfigSchema>;

export interface Config {
  database: string;
  rosterDir: string | null;
  outDir: string;
  policy: string | null;
  waitSeconds: number;
  keepDays: number | null;
  logFormat: 'human' | 'json';
  /** As the roster readers name them (`maxXlsxUncompressedBytes` -> `maxUncompressedBytes`). */
  limits: RosterLimitsConfig;
  /** Where each value came from, for `infusion-audit config`. */
  sources: Record<string, 'default' | 'file' | 'env' | 'flag'>;
  configFile: string | null;
}

export const CONFIG_FILE_NAME = 'infusion-audit.config.json';

export interface ConfigFlags {
  config?: string;
  db?: string;
  roster?: string;
  out?: string;
  policy?: string;
  wait?: number;
  keepDays?: number;
  logFormat?: 'human' | 'json';
}

export function loadConfig(options: {
  flags: ConfigFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
}): Config {
  const { flags, env, cwd } = options;
  const explicit = flags.config ?? env.INFUSION_AUDIT_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE_NAME);
  let file: FileConfig = {};
  let configFile: string | null = null;
  if (existsSync(path)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = ConfigSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        `${path}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}; valid keys: ${Object.keys(ConfigSchema.shape).join(', ')}`,
      );
    }
    file = parsed.data;
    configFile = path;
  } else if (explicit) {
    throw new ConfigError(`configuration file not found: ${path}`);
  }

  const sources: Config['sources'] = {};
  function pick<T>(
    key: string,
    flag: T | undefined,
    envValue: T | undefined,
    fileValue: T | undefined,
    dflt: T,
  ): T {
    if (flag !== undefined) {
      sources[key] = 'flag';
      return flag;
    }
    if (envValue !== undefined) {
      sources[key] = 'env';
      return envValue;
    }
    if (fileValue !== undefined) {
      sources[key] = 'file';
      return fileValue;
    }
    sources[key] = 'default';
    return dflt;
  }
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw new ConfigError(`${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const logEnv = env.INFUSION_AUDIT_LOG_FORMAT;
  if (logEnv !== undefined && logEnv !== 'json' && logEnv !== 'human') {
    throw new ConfigError(`INFUSION_AUDIT_LOG_FORMAT must be human or json, got "${logEnv}"`);
  }
  return {
    database: pick(
      'database',
      flags.db,
      env.DATABASE_URL || undefined,
      file.database,
      DEFAULT_DATABASE_URL,
    ),
    rosterDir: pick('rosterDir', flags.roster, env.INFUSION_AUDIT_ROSTER_DIR, file.rosterDir, null),
    outDir: pick('outDir', flags.out, env.INFUSION_AUDIT_OUT_DIR, file.outDir, 'reports'),
    policy: pick('policy', flags.policy, env.INFUSION_AUDIT_POLICY, file.policy, null),
    waitSeconds: pick(
      'waitSeconds',
      flags.wait,
      num(env.INFUSION_AUDIT_WAIT, 'INFUSION_AUDIT_WAIT'),
      file.waitSeconds,
      0,
    ),
    keepDays: pick(
      'keepDays',
      flags.keepDays,
      num(env.INFUSION_AUDIT_KEEP_DAYS, 'INFUSION_AUDIT_KEEP_DAYS'),
      file.keepDays,
      null,
    ),
    logFormat: pick('logFormat', flags.logFormat, logEnv, file.logFormat, 'human'),
    limits: readerLimits(file.limits ?? {}),
    sources,
    configFile,
  };
}

function readerLimits(l: z.infer<typeof LimitsSchema>): RosterLimitsConfig {
  return {
    ...(l.maxFileBytes !== undefined ? { maxFileBytes: l.maxFileBytes } : {}),
    ...(l.maxRows !== undefined ? { maxRows: l.maxRows } : {}),
    ...(l.maxFieldBytes !== undefined ? { maxFieldBytes: l.maxFieldBytes } : {}),
    ...(l.maxXlsxUncompressedBytes !== undefined
      ? { maxUncompressedBytes: l.maxXlsxUncompressedBytes }
      : {}),
    ...(l.maxSheetChars !== undefined ? { maxSheetChars: l.maxSheetChars } : {}),
    ...(l.maxStoredRejections !== undefined ? { maxStoredRejections: l.maxStoredRejections } : {}),
  };
}

/** The configuration as printed: passwords in URLs replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    configFile: config.configFile,
    database: redactUrl(config.database),
    rosterDir: config.rosterDir,
    outDir: config.outDir,
    policy: config.policy,
    waitSeconds: config.waitSeconds,
    keepDays: config.keepDays,
    logFormat: config.logFormat,
    limits: config.limits,
    sources: config.sources,
  };
}
