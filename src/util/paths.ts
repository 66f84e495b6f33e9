import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json, prisma/ and data/ live). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
