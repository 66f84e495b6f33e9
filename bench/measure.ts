/**
 * Runs one phase as a child process under GNU time (`/usr/bin/time -f '%e %M'`): wall seconds and
 * peak RSS of the process, plus its stdout / stderr for the figures the CLI logs itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallS: number;
  peakRssMb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** 1-minute load average when the phase started (the machine is shared). */
  load1: number;
}

export const GNU_TIME = '/usr/bin/time';

export async function measure(
  cmd: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; okCodes?: number[] } = {},
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const load1 = loadavg()[0] ?? 0;
  try {
    const child = spawn(GNU_TIME, ['-f', '%e %M', '-o', timeFile, cmd, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.end(options.input ?? '');
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? -1));
    });
    const stdout = Buffer.concat(out).toString('utf8');
    const stderr = Buffer.concat(err).toString('utf8');
    const ok = options.okCodes ?? [0];
    if (!ok.includes(exitCode)) {
      throw new Error(
        `${cmd} ${args.join(' ')} exited ${exitCode}\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`,
      );
    }
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    const [wall, rssKb] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    return {
      wallS: wall ?? NaN,
      peakRssMb: Math.round(((rssKb ?? NaN) / 1024) * 10) / 10,
      exitCode,
      stdout,
      stderr,
      load1: Math.round(load1 * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** JSON log events (`--log-format json`) from a CLI run's stderr. */
export function events(stderr: string): { event: string; [k: string]: unknown }[] {
  const out: { event: string; [k: string]: unknown }[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as { event?: unknown };
      if (typeof e.event === 'string') out.push(e as { event: string });
    } catch {
      // not a log line
    }
  }
  return out;
}
