/** The generate command's usage line (its own module: `--help` shows it without loading the generator). */
export const GENERATE_USAGE =
  'usage: infusion-audit generate --pharmacies N --plans P --states S --seed X --out DIR ' +
  '[--network-rows N] [--requests N] [--as-of YYYY-MM-DD] [--hi-share F] [--gaps F] [--counties FILE]\n' +
  '  --states: a count (first N states, 50 states and DC first) or a comma list of USPS codes';
