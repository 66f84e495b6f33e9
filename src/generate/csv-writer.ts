/** Streaming writers for roster files: buffered, and waiting for 'drain' (backpressure). */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/** Lines are collected into chunks of about 64 KB and written with backpressure. */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private error: Error | null = null;
  lines = 0;

  constructor(
    readonly path: string,
    private readonly chunkChars = 64 * 1024,
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (err) => {
      this.error = err;
    });
  }

  /** Appends one line (the text must end with a newline). */
  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.lines++;
    if (this.bufferedChars >= this.chunkChars) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.error) throw this.error;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (!this.stream.write(chunk)) {
      // events.once rejects if the stream emits 'error' while we wait
      await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.error) throw this.error;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** A CSV file with a fixed header; rows are records keyed by column name. */
export class CsvWriter<C extends string> {
  private readonly out: LineWriter;
  private started = false;

  constructor(
    path: string,
    readonly columns: readonly C[],
  ) {
    this.out = new LineWriter(path);
  }

  get rows(): number {
    return Math.max(0, this.out.lines - 1);
  }

  async row(record: Readonly<Record<C, string>>): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.out.write(csvLine(this.columns));
    }
    await this.out.write(csvLine(this.columns.map((c) => record[c])));
  }

  async close(): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.out.write(csvLine(this.columns));
    }
    await this.out.close();
  }
}
