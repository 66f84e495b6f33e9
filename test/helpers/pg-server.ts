/** The local PostgreSQL server the tests use (TEST_PG_URL). */
export const ADMIN_PG_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The URL of database `name` on the test server. */
export function pgUrl(name: string): string {
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
