export * from './guide.js';
export * from './drugs.js';
export { formatGuideAnswer, wrap } from './format.js';
export { registerGuide, scenarioFromFlags, catalogFromDb } from './register.js';
