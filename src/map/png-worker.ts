/**
 * The PNG worker (src/map/png-renderer.ts starts it): draws each SVG it is sent with `svgToPng`
 * and sends the PNG back. resvg's images and trees live in native memory that is freed only when
 * their JS wrappers are collected, and V8 does not count it: on the main thread (a heap of 150 MB,
 * collected rarely) 100 national maps held about 250 MB. Here the heap is a few megabytes, so a
 * full collection after each map costs about a millisecond and frees it at once.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { svgToPng, type PngOptions } from './png.js';

export interface PngRequest {
  id: number;
  svg: string;
  opts: PngOptions;
}
export type PngReply = { id: number; png: ArrayBuffer } | { id: number; error: string };

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const port = parentPort;
if (port === null) throw new Error('png-worker.ts runs as a worker thread');
port.on('message', (m: PngRequest) => {
  let reply: PngReply;
  try {
    const png = svgToPng(m.svg, m.opts);
    const bytes = new Uint8Array(png.byteLength);
    bytes.set(png);
    reply = { id: m.id, png: bytes.buffer };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  collect();
  port.postMessage(reply, 'png' in reply ? [reply.png] : []);
});
