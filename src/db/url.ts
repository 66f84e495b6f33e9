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

const QUERY_SECRET = /[?&;](?:password|passwd|pwd|pass|sslpassword)=([^&#]*)/gi;

/**
 * Where the passwords of a URL are (start, end offsets): the user information's password, and
 * `password=` (or `sslpassword=`) parameters. Takes the URL apart as libpq and node-postgres read
 * it, not by the shape of a typical URL, so every form that connects is covered: `user:pw@`, an
 * empty user (`:pw@`), a raw `@`, `/`, `?` or space in the password (the authority's last `@`
 * ends the user information), `postgresql:` without `//`.
 */
function secretRanges(url: string): [number, number][] {
  const ranges: [number, number][] = [];
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(url);
  if (scheme && !/^file:/i.test(url)) {
    const from = scheme[0].length;
    const rest = url.slice(from);
    const query = rest.search(/[?#]/);
    let at = (query >= 0 ? rest.slice(0, query) : rest).lastIndexOf('@');
    if (at < 0) at = rest.lastIndexOf('@');
    const colon = at >= 0 ? rest.slice(0, at).indexOf(':') : -1;
    if (colon >= 0) ranges.push([from + colon + 1, from + at]);
  }
  for (const m of url.matchAll(QUERY_SECRET)) {
    const end = m.index + m[0].length;
    ranges.push([end - m[1]!.length, end]);
  }
  return ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
}

/** The one way a database URL is printed: each password in it becomes `***`. */
export function redactUrl(url: string): string {
  let out = '';
  let at = 0;
  for (const [a, b] of secretRanges(url)) {
    if (a < at) continue;
    out += `${url.slice(at, a)}***`;
    at = b;
  }
  return out + url.slice(at);
}

/** Passwords of the URLs parsed by this process, as given and decoded: never printed. */
const knownSecrets = new Set<string>();

function rememberSecrets(url: string): void {
  for (const [a, b] of secretRanges(url)) {
    const secret = url.slice(a, b);
    if (secret.length < 4) continue; // shorter ones would blank out ordinary words
    knownSecrets.add(secret);
    try {
      knownSecrets.add(decodeURIComponent(secret));
    } catch {
      // not percent-encoded
    }
  }
}

/**
 * Removes passwords from a text for printing (driver error messages, URLs inside messages): any
 * password of a URL this process parsed, and any URL in the text, through redactUrl.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const s of knownSecrets) out = out.split(s).join('***');
  // A URL with user information (its password may hold spaces: up to the line's next '@'),
  // then any other token holding a password parameter.
  return out
    .replace(/[a-z][a-z+.-]*:(?:\/\/)?[^\s:/@]*:[^@\n]*?@\S*/gi, (u) => redactUrl(u))
    .replace(/\S*[?&;](?:password|passwd|pwd|pass|sslpassword)=\S*/gi, (u) => redactUrl(u));
}

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  rememberSecrets(url);
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
      try {
        // As node-postgres reads it: spaces (and stray %) encoded first.
        parsed = new URL(encodeURI(url).replace(/%25(\d\d)/g, '%$1'));
      } catch {
        throw new UsageError(`database URL is not a valid PostgreSQL URL: ${redactUrl(url)}`);
      }
    }
    const display = redactUrl(url);
    const host = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new UsageError(`database URL: schema "${schema}" must be a plain identifier`);
    }
    return { provider: 'postgresql', url, display, host, schema };
  }
  throw new UsageError(
    `database URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${redactUrl(url)}"`,
  );
}
