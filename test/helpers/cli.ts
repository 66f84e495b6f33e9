/** Runs the real CLI as a child process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/paths.js';

export const BIN = join(projectRoot, 'bin', 'infusion-audit.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Peak RSS (KiB) of the CLI as a process (GNU time) importing `file` into the database at `url`;
 * `exit` is the code the import must end with (2: a file none of whose rows loads).
 */
export function importPeakRss(file: string, url: string, exit = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'MAXRSS %M', process.execPath, BIN, 'import', file, '--as-of', '2026-11-01'],
      {
        cwd: projectRoot,
        env: { ...process.env, NO_COLOR: '1', DATABASE_URL: url },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /MAXRSS (\d+)/.exec(stderr);
      if (code !== exit || !m) reject(new Error(`import exited ${code}: ${stderr.slice(-2000)}`));
      else resolve(Number(m[1]));
    });
  });
}
