import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export type Provider = 'sqlite' | 'postgresql';

export const DEFAULT_DATABASE_URL = 'file:./data/infusion-audit.db';

export interface DatabaseTarget {
  provider: Provider;
  /** The URL as given. Contains the password, if any: never print it; use `display`. */
  url: string;
  /** Safe to print: password replaced by `***`. */
  display: string;
  /** SQLite: absolute path of the database file. */
  filePath?: string;
  /** PostgreSQL: host[:port] for error messages. */
  host?: string;
  /** PostgreSQL: the schema (search path) from `?schema=`, default public. */
  schema?: string;
}

/** Replaces any password in URLs inside a text (for error messages from drivers). */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)([^@\s/]+)@/gi, '$1***@');
}

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith('file:')) {
    const raw = url.slice('file:'.length).split('?')[0] ?? '';
    if (raw === '') throw new UsageError(`database URL "${url}" names no file`);
    const filePath = isAbsolute(raw) ? raw : resolve(cwd, raw);
    return { provider: 'sqlite', url, display: url, filePath };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`database URL is not a valid PostgreSQL URL: ${redactSecrets(url)}`);
    }
    const display = redactSecrets(url);
    const host = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new UsageError(`database URL: schema "${schema}" must be a plain identifier`);
    }
    return { provider: 'postgresql', url, display, host, schema };
  }
  throw new UsageError(
    `database URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${redactSecrets(url)}"`,
  );
}
