import type { Command } from 'commander';
import type { GlobalFlags } from '../context.js';
import { registerGuide } from '../../guide/register.js';
import { registerImpact } from './impact.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerTools } from './tools.js';

/** Commands beyond import/audit/history/db. */
export function registerMore(
  program: Command,
  run: (fn: (flags: GlobalFlags) => Promise<number>, cmd: Command) => Promise<void>,
): void {
  registerReport(program, run);
  registerRun(program, run);
  registerGuide(program, run);
  registerTools(program, run);
  registerImpact(program, run);
}
