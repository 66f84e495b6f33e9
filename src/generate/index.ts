/** Synthetic roster generation: public API of src/generate. */
export {
  generateRosterSet,
  clockHours,
  DEFAULT_AS_OF,
  DEFAULT_GAP_RATE,
  DEFAULT_HI_SHARE,
  type GenerateOptions,
  type GenerateResult,
} from './roster.js';
export { generateCli, parseGenerateArgs, GenerateUsageError, GENERATE_USAGE } from './cli.js';
export {
  npiCheckDigit,
  isValidNpi,
  npiFrom,
  isNanpPhone,
  ZIP_PREFIXES,
  AREA_CODES,
} from './identifiers.js';
export { readCounties, DEFAULT_COUNTIES_PATH, STATE_ORDER } from './geo.js';
export { Rng, Permutation, hash32 } from './prng.js';
export { ROSTER_FILES } from './format.js';
