/**
 * Draws SVG maps to PNG on a worker thread, one at a time in the order asked: the caller's thread
 * goes on writing the workbook meanwhile, and resvg's native memory is freed after each map (see
 * src/map/png-worker.ts). `close()` ends the worker; a renderer not closed does not keep the
 * process alive.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import type { PngOptions } from './png.js';
import type { PngReply, PngRequest } from './png-worker.js';

interface Pending {
  resolve: (png: Buffer) => void;
  reject: (err: Error) => void;
}

export class PngRenderer {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  /** The PNG of `svg`; rejects when resvg cannot draw it or the worker stops. */
  render(svg: string, opts: PngOptions = {}): Promise<Buffer> {
    const worker = this.start();
    const id = ++this.next;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: PngRequest = { id, svg, opts };
      worker.postMessage(request);
      worker.ref();
    });
  }

  /** Ends the worker; maps still being drawn are rejected. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.fail(new Error('the map renderer was closed'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker(new URL('./png-worker.js', import.meta.url));
    w.on('message', (reply: PngReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) w.unref();
      if ('error' in reply) p.reject(new Error(`the map could not be drawn: ${reply.error}`));
      else p.resolve(Buffer.from(reply.png));
    });
    w.on('error', (err) => {
      if (this.worker === w) this.fail(err);
    });
    // A worker closed on purpose has answered for its maps already (close()).
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.fail(new Error(`the map worker stopped (exit ${code})`));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
