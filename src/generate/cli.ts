/**
 * `infusion-audit generate --pharmacies N --plans P --states S --seed X --out DIR
 *   [--network-rows N] [--requests N] [--as-of D] [--hi-share F] [--gaps F] [--counties FILE]`
 *
 * parseGenerateArgs turns argv (without the command name) into GenerateOptions; generateCli runs
 * it and returns an exit code (0 ok, 2 usage error).
 */
import { generateRosterSet, type GenerateOptions, type GenerateResult } from './roster.js';

import { GENERATE_USAGE } from './usage.js';

export { GENERATE_USAGE };

export class GenerateUsageError extends Error {
  override name = 'GenerateUsageError';
}

const FLAGS = [
  'pharmacies',
  'plans',
  'states',
  'seed',
  'out',
  'network-rows',
  'requests',
  'as-of',
  'hi-share',
  'gaps',
  'counties',
] as const;
type Flag = (typeof FLAGS)[number];

function integer(flag: string, v: string, min: number): number {
  if (!/^\d+$/.test(v.replace(/_/g, '')))
    throw new GenerateUsageError(`--${flag} must be an integer, got "${v}"`);
  const n = Number(v.replace(/_/g, ''));
  if (n < min) throw new GenerateUsageError(`--${flag} must be >= ${min}, got ${n}`);
  return n;
}

function fraction(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new GenerateUsageError(`--${flag} must be a number in [0, 1], got "${v}"`);
  }
  return n;
}

export function parseGenerateArgs(argv: readonly string[]): GenerateOptions {
  const values = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new GenerateUsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as Flag;
    if (!FLAGS.includes(name)) throw new GenerateUsageError(`unknown option --${name}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined) throw new GenerateUsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  for (const required of ['pharmacies', 'plans', 'states', 'seed', 'out'] as const) {
    if (!values.has(required)) throw new GenerateUsageError(`--${required} is required`);
  }
  const statesRaw = values.get('states')!;
  const states = /^\d+$/.test(statesRaw)
    ? integer('states', statesRaw, 1)
    : statesRaw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
  const seedRaw = values.get('seed')!;
  const asOf = values.get('as-of');
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    throw new GenerateUsageError(`--as-of must be YYYY-MM-DD, got "${asOf}"`);
  }
  const options: GenerateOptions = {
    pharmacies: integer('pharmacies', values.get('pharmacies')!, 1),
    plans: integer('plans', values.get('plans')!, 1),
    states,
    seed: /^\d+$/.test(seedRaw) ? Number(seedRaw) : seedRaw,
    out: values.get('out')!,
  };
  const get = (f: Flag): string | undefined => values.get(f);
  const nr = get('network-rows');
  if (nr !== undefined) options.networkRows = integer('network-rows', nr, 0);
  const rq = get('requests');
  if (rq !== undefined) options.coverageRequests = integer('requests', rq, 0);
  if (asOf !== undefined) options.asOf = asOf;
  const hs = get('hi-share');
  if (hs !== undefined) options.hiShare = fraction('hi-share', hs);
  const gp = get('gaps');
  if (gp !== undefined) options.gaps = fraction('gaps', gp);
  const ct = get('counties');
  if (ct !== undefined) options.countiesPath = ct;
  return options;
}

export interface GenerateCliIo {
  log: (line: string) => void;
  error: (line: string) => void;
}

/** Runs the generate command; returns the process exit code. */
export async function generateCli(
  argv: readonly string[],
  io: GenerateCliIo = { log: (l) => console.log(l), error: (l) => console.error(l) },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.log(GENERATE_USAGE);
    return 0;
  }
  let options: GenerateOptions;
  try {
    options = parseGenerateArgs(argv);
  } catch (err) {
    if (!(err instanceof GenerateUsageError)) throw err;
    io.error(err.message);
    io.error(GENERATE_USAGE);
    return 2;
  }
  let result: GenerateResult;
  try {
    result = await generateRosterSet(options);
  } catch (err) {
    io.error(`generate: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  io.log(
    `generated roster set in ${result.out} (as of ${result.asOf}; ${result.states.length} state(s), ${result.counties} counties, ${result.hiPharmacies} home infusion pharmacies)`,
  );
  for (const [file, n] of Object.entries(result.rows)) {
    io.log(`  ${file.padEnd(22)} ${n.toLocaleString('en-US').padStart(12)} rows`);
  }
  return 0;
}
