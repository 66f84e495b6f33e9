/**
 * Passwords in database URLs are never printed, whatever form the URL takes: redactUrl works by
 * taking the URL apart, and every message goes through it (the CLI as a process, a server that
 * does not answer: the error names the host, never the password).
 */
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactSecrets, redactUrl } from '../../src/db/url.js';
import { runCli } from '../helpers/cli.js';

/** URL forms that node-postgres or libpq accept, each with the password `Pw-9x7q`. */
const FORMS: [string, string, string][] = [
  [
    'user:password',
    'postgresql://audit:Pw-9x7q@127.0.0.1:1/db',
    'postgresql://audit:***@127.0.0.1:1/db',
  ],
  [
    '?password=',
    'postgresql://audit@127.0.0.1:1/db?password=Pw-9x7q&sslmode=disable',
    'postgresql://audit@127.0.0.1:1/db?password=***&sslmode=disable',
  ],
  ['empty user', 'postgresql://:Pw-9x7q@127.0.0.1:1/db', 'postgresql://:***@127.0.0.1:1/db'],
  ['raw @', 'postgresql://audit:Pw-9x7q@x@127.0.0.1:1/db', 'postgresql://audit:***@127.0.0.1:1/db'],
  ['raw /', 'postgresql://audit:Pw-9x7q/z@127.0.0.1:1/db', 'postgresql://audit:***@127.0.0.1:1/db'],
  ['space', 'postgresql://audit:Pw-9x7q z@127.0.0.1:1/db', 'postgresql://audit:***@127.0.0.1:1/db'],
  ['no //', 'postgresql:audit:Pw-9x7q@127.0.0.1:1/db', 'postgresql:audit:***@127.0.0.1:1/db'],
  ['postgres://', 'postgres://audit:Pw-9x7q@127.0.0.1:1/db', 'postgres://audit:***@127.0.0.1:1/db'],
];

describe('redactUrl', () => {
  for (const [name, url, shown] of FORMS) {
    it(`hides the password: ${name}`, () => {
      expect(redactUrl(url)).toBe(shown);
      expect(redactSecrets(`failed: ${url} (x)`)).not.toMatch(/Pw-9x7q/);
    });
  }

  it('leaves SQLite URLs and URLs without a password as they are', () => {
    expect(redactUrl('file:./data/a.db')).toBe('file:./data/a.db');
    expect(redactUrl('postgresql://audit@db.example/x')).toBe('postgresql://audit@db.example/x');
  });

  it('a password of a parsed URL is removed from any later text, even a driver message', () => {
    try {
      parseDatabaseUrl('postgresql://audit:Qz8 secret@127.0.0.1:1/db');
    } catch {
      // parsing may refuse it; the password is remembered either way
    }
    expect(redactSecrets('auth failed for "Qz8 secret"')).toBe('auth failed for "***"');
  });
});

describe('the CLI never prints a password', () => {
  for (const [name, url] of FORMS) {
    it(`db status (human and JSON log) and config with ${name}`, async () => {
      for (const args of [['db', 'status']]) {
        for (const format of ['human', 'json']) {
          const res = await runCli([...args, '--db', url, '--log-format', format], {
            timeoutMs: 30_000,
          });
          expect([2, 3]).toContain(res.code);
          expect(res.stderr.length).toBeGreaterThan(0);
          expect(res.stdout + res.stderr).not.toMatch(/Pw-9x7q/);
        }
      }
      const cfg = await runCli(['config', '--json'], { env: { DATABASE_URL: url } });
      expect(cfg.stdout + cfg.stderr).not.toMatch(/Pw-9x7q/);
    }, 60_000);
  }
});
