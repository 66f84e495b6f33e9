import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeBytes(dir: string, name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Completes a 9-digit NPI stem with its Luhn check digit (80840 prefix). */
export function npi(stem9: string): string {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = Number(stem9[8 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return stem9 + String((10 - (sum % 10)) % 10);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export const CTX = {
  catalogCodes: new Set(['ABX_IV', 'A1PI', 'PN_TEMPORARY']),
  timeZone: 'America/New_York',
};
