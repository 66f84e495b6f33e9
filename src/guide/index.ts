export * from './guide.js';
export * from './drugs.js';
export { formatGuideAnswer, payerText, citationText } from './format.js';
export { registerGuide, scenarioFromFlags, type GuideFlags } from './register.js';
