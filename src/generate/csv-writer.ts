/** Streaming writers for roster files: buffered, and waiting for 'drain' (backpressure). */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvText } from '../util/csv-write.js';

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

/** Rows formatted (src/util/csv-write.ts) a batch at a time. */
const BATCH_ROWS = 1000;

/** A CSV file with a fixed header; rows are records keyed by column name. */
export class CsvWriter<C extends string> {
  private readonly out: LineWriter;
  private batch: string[][];
  rows = 0;

  constructor(
    path: string,
    readonly columns: readonly C[],
  ) {
    this.out = new LineWriter(path);
    this.batch = [[...columns]];
  }

  async row(record: Readonly<Record<C, string>>): Promise<void> {
    this.batch.push(this.columns.map((c) => record[c]));
    this.rows++;
    if (this.batch.length >= BATCH_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = csvText(this.batch);
    this.batch = [];
    await this.out.write(text);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.out.close();
  }
}
