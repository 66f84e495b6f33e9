/**
 * The bin runs the compiled build only when it is at least as new as every source file: a
 * checkout edited after `npm install` runs its sources (through tsx), never stale JavaScript.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEntry as choose, newestMtime as newest } from '../../bin/entry.js';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(): string {
  root = mkdtempSync(join(tmpdir(), 'entry-'));
  mkdirSync(join(root, 'src', 'db', 'generated'), { recursive: true });
  writeFileSync(join(root, 'src', 'main.ts'), '');
  writeFileSync(join(root, 'src', 'db', 'generated', 'client.ts'), '');
  return root;
}

function at(path: string, seconds: number): void {
  utimesSync(path, seconds, seconds);
}

describe('bin entry', () => {
  it('runs the sources when there is no complete build (no stamp)', () => {
    tree();
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), '');
    expect(choose(root)).toBe('src');
  });

  it('runs the build when its stamp is as new as every source file', () => {
    tree();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    at(join(root, 'src', 'main.ts'), 1_000);
    at(join(root, 'src', 'db', 'generated', 'client.ts'), 1_000);
    at(join(root, 'dist', '.build-stamp'), 2_000);
    expect(choose(root)).toBe('dist');
  });

  it('runs the sources when any file under src/, however deep, is newer than the build', () => {
    tree();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    at(join(root, 'src', 'main.ts'), 1_000);
    at(join(root, 'dist', '.build-stamp'), 2_000);
    at(join(root, 'src', 'db', 'generated', 'client.ts'), 3_000);
    expect(newest(join(root, 'src'))).toBe(3_000_000);
    expect(choose(root)).toBe('src');
  });

  it('runs the sources when src/ cannot be read', () => {
    tree();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    rmSync(join(root, 'src'), { recursive: true });
    expect(newest(join(root, 'src'))).toBe(Infinity);
    expect(choose(root)).toBe('src');
  });
});
