/** Synthetic roster generation: public API of src/generate. */
export { generateRosterSet } from './roster.js';
export { readCounties, STATE_ORDER } from './geo.js';
