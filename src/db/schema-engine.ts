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

interface WasmBindings {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: typeof SchemaEngine;
}

let bindingsPromise: Promise<WasmBindings> | undefined;

async function loadBindings(): Promise<WasmBindings> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as WasmBindings &
    Record<string, WebAssembly.ImportValue>;
  const wasmBytes = await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm'));
  const module = new WebAssembly.Module(wasmBytes);
  const importModules = WebAssembly.Module.imports(module).map((i) => i.module);
  const imports: WebAssembly.Imports = {};
  for (const name of new Set(importModules)) imports[name] = bg;
  const instance = new WebAssembly.Instance(module, imports);
  bg.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') (start as () => void)();
  return bg;
}

export async function startSchemaEngine(options: {
  factory: SqlMigrationAwareDriverAdapterFactory;
  datamodels: [string, string][];
  log?: (line: string) => void;
}): Promise<SchemaEngine> {
  bindingsPromise ??= loadBindings();
  const { SchemaEngine: Engine } = await bindingsPromise;
  const log = options.log ?? (() => undefined);
  return Engine.new(
    { datamodels: options.datamodels },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(options.factory),
  );
}
