import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './util/paths.js';

/** The package version, shown on reports. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;
