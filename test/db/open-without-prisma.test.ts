/**
 * openDatabase({ prisma: false }), as the CLI opens the database: plain SQL works, the Prisma
 * client is not loaded, and reaching for it fails with a message saying so.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { createTestDatabase, PROVIDERS } from '../helpers/databases.js';

describe.each(PROVIDERS)('openDatabase without the Prisma client on %s', (provider) => {
  it('queries with SQL; db.prisma throws', async () => {
    const tdb = await createTestDatabase(provider);
    const db = await openDatabase({ url: tdb.url, prisma: false });
    try {
      const rows = await db.sql.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM drug_class',
      );
      expect(Number(rows[0]!.n)).toBe(15);
      expect(() => db.prisma).toThrow(/opened without the Prisma client/);
      const withClient = await openDatabase({ url: tdb.url });
      expect(await withClient.prisma.drugClass.count()).toBe(15);
      await withClient.close();
    } finally {
      await db.close();
      await tdb.dispose();
    }
  });
});
