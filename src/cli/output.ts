/**
 * Console output for people and for log collectors. Human output goes to stdout; diagnostics and
 * progress to stderr; `--log-format json` prints one JSON object per event line instead.
 */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  logFormat: 'human' | 'json';
  color: boolean;
  /** Show progress (only on a terminal). */
  progress: boolean;
}

export function detectOutput(flags: {
  json?: boolean;
  quiet?: boolean;
  logFormat?: 'human' | 'json';
}): OutputOptions {
  const tty = process.stderr.isTTY;
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    logFormat: flags.logFormat ?? 'human',
    color: tty && !noColor && process.env.TERM !== 'dumb',
    progress: tty && !(flags.quiet ?? false) && (flags.logFormat ?? 'human') === 'human',
  };
}

export class Output {
  constructor(readonly opts: OutputOptions) {}

  private paint(code: number, s: string): string {
    return this.opts.color ? `\u001b[${code}m${s}\u001b[0m` : s;
  }
  red = (s: string): string => this.paint(31, s);
  green = (s: string): string => this.paint(32, s);
  yellow = (s: string): string => this.paint(33, s);
  bold = (s: string): string => this.paint(1, s);
  dim = (s: string): string => this.paint(2, s);

  /** A human line on stdout (suppressed by --quiet, --json and --log-format json). */
  info(line: string): void {
    if (this.opts.quiet || this.opts.json || this.opts.logFormat === 'json') return;
    process.stdout.write(`${line}\n`);
  }

  /** A structured event: a JSON line with --log-format json, else nothing (info covers it). */
  event(name: string, data: Record<string, unknown> = {}): void {
    if (this.opts.logFormat !== 'json') return;
    process.stderr.write(
      `${JSON.stringify({ ts: new Date().toISOString(), event: name, ...data })}\n`,
    );
  }

  /** Warnings and errors: stderr, always (JSON line in json log format). */
  error(message: string, data: Record<string, unknown> = {}): void {
    if (this.opts.logFormat === 'json') {
      process.stderr.write(
        `${JSON.stringify({ ts: new Date().toISOString(), event: 'error', message, ...data })}\n`,
      );
    } else {
      process.stderr.write(`${this.red('error:')} ${message}\n`);
    }
  }

  warn(message: string): void {
    if (this.opts.logFormat === 'json') {
      process.stderr.write(
        `${JSON.stringify({ ts: new Date().toISOString(), event: 'warning', message })}\n`,
      );
    } else if (!this.opts.quiet) {
      process.stderr.write(`${this.yellow('warning:')} ${message}\n`);
    }
  }

  /** The one JSON document of --json, on stdout. */
  result(value: unknown): void {
    if (this.opts.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  progress(line: string): void {
    if (this.opts.progress) process.stderr.write(`\r\u001b[K${line}`);
  }

  progressDone(): void {
    if (this.opts.progress) process.stderr.write('\r\u001b[K');
  }
}

/** A plain text table (no box drawing, so it reads well in logs and e-mails). */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) =>
        typeof rows[0]?.[i] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
  ].join('\n');
}
