/**
 * The Prisma client as the tests' independent reader: the tool queries with its own SQL
 * (src/db/sql.ts) and never loads Prisma (docs/decisions/0001-prisma-role.md), so reading what
 * it stored through the generated client checks its SQL against the model in schema.prisma.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { PrismaClient as PgClient } from '../../src/db/generated/postgres/client.js';
import { PrismaClient as SqliteClient } from '../../src/db/generated/sqlite/client.js';

/**
 * The SQLite client's type is the common subset of both generated clients (PostgreSQL only adds
 * options such as `mode: 'insensitive'`), so the PostgreSQL client is typed as it.
 */
export type Prisma = SqliteClient;

export type DbWithPrisma = Db & { prisma: Prisma };

/** openDatabase, plus a Prisma client on the same database (closed with it). */
export async function openWithPrisma(
  options: Parameters<typeof openDatabase>[0],
): Promise<DbWithPrisma> {
  const db = await openDatabase(options);
  const { target } = db;
  const prisma =
    target.provider === 'sqlite'
      ? new SqliteClient({
          adapter: new PrismaBetterSqlite3({ url: `file:${target.filePath!}`, timeout: 15_000 }),
        })
      : (new PgClient({
          adapter: new PrismaPg(db.pool!, { schema: target.schema ?? 'public' }),
        }) as unknown as Prisma);
  return {
    ...db,
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
