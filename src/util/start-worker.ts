/**
 * Starts a worker thread on a module of this project: the compiled module as is (`dist/`), or,
 * when the tool runs from its TypeScript sources (tsx, vitest), the `.ts` module through tsx's
 * loader, registered in the worker first (a loader given in execArgv does not load the worker's
 * own entry on Node 20).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `url`: the worker module beside the caller, e.g. `new URL('./png-worker.js', import.meta.url)`. */
export function startWorker(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(url, options);
  const source = new URL(url.href.replace(/\.js$/, '.ts'));
  // require.resolve names tsx's CommonJS build; the loader registers from its ES module twin.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return new Worker(
    `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`,
    { ...options, eval: true },
  );
}
