/**
 * Writes the demo roster set (data/demo): the synthetic sponsor "Lakeshore Health Plans" with a
 * deliberate gap for every audit rule, documented in data/demo/README.md. Deterministic and
 * rerunnable:
 *   npx tsx scripts/make-demo.ts [out-dir]      (default data/demo)
 */
import { makeDemo } from './demo/demo.js';

const out = process.argv[2] ?? 'data/demo';
const result = await makeDemo(out);
console.log(
  `wrote ${result.files.length} files to ${result.out}: ${result.pharmacies} pharmacies (${result.hiPharmacies} home infusion)`,
);
