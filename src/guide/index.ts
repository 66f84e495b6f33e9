export * from './guide.js';
export * from './drugs.js';
export { formatGuideAnswer, payerText, citationText, wrap } from './format.js';
export {
  registerGuide,
  scenarioFromFlags,
  catalogFromDb,
  shippedCatalog,
  type GuideFlags,
} from './register.js';
