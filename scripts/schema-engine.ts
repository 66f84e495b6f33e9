/**
 * Loads Prisma's schema engine compiled to WebAssembly, so migrations run with the JS driver
 * adapters: no engine binary, no network (shared/domain/TOOLCHAIN.md).
 * The package root imports the .wasm as an ES module, which Node 20 cannot do without a flag,
 * so we compile the wasm ourselves and wire it to the bindings module.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

// The WebAssembly global is not in the ES lib; the few parts used here, typed.
type WasmExports = Record<string, unknown>;
interface WasmApi {
  Module: (new (bytes: Uint8Array) => object) & {
    imports(module: object): { module: string; name: string }[];
  };
  Instance: new (module: object, imports: Record<string, object>) => { exports: WasmExports };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WasmBindings {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: typeof SchemaEngine;
}

let bindingsPromise: Promise<WasmBindings> | undefined;

async function loadBindings(): Promise<WasmBindings> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg =
    (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as WasmBindings;
  const wasmBytes = await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm'));
  const module = new Wasm.Module(wasmBytes);
  const importModules = Wasm.Module.imports(module).map((i) => i.module);
  const imports: Record<string, object> = {};
  for (const name of new Set(importModules)) imports[name] = bg;
  const instance = new Wasm.Instance(module, imports);
  bg.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') (start as () => void)();
  return bg;
}

export interface StartedEngine {
  engine: SchemaEngine;
  /** Frees the engine AND disposes the driver connections it opened (engine.free() does not:
   * a SQLite file would stay locked). */
  stop(): Promise<void>;
}

export async function startSchemaEngine(options: {
  factory: SqlMigrationAwareDriverAdapterFactory;
  datamodels: [string, string][];
  log?: (line: string) => void;
}): Promise<StartedEngine> {
  bindingsPromise ??= loadBindings();
  const { SchemaEngine: Engine } = await bindingsPromise;
  const log = options.log ?? (() => undefined);
  const opened: { dispose(): Promise<void> }[] = [];
  const base = options.factory;
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const adapter = await base.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await base.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await Engine.new(
    { datamodels: options.datamodels },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  return {
    engine,
    stop: async () => {
      engine.free();
      for (const a of opened.splice(0)) await a.dispose().catch(() => undefined);
    },
  };
}
