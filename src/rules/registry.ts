/**
 * The rule set, in the order findings of equal severity are listed. Adding a rule: write
 * src/rules/<id-lowercase>.ts (every file of this folder but this one is a rule), add it here, document it in docs/RULES.md (a heading with its id)
 * and test it in test/rules/<id-lowercase>.test.ts; the meta-test checks all four.
 */
import { dataComplete } from './data-complete.js';
import { dataStale } from './data-stale.js';
import { enrollData } from './enroll-data.js';
import { expiringSoon } from './expiring-soon.js';
import { hiAccess } from './hi-access.js';
import { hiAccreditation } from './hi-accreditation.js';
import { hiAcute } from './hi-acute.js';
import { hiAncillary } from './hi-ancillary.js';
import { hiChronic } from './hi-chronic.js';
import { hiContact } from './hi-contact.js';
import { hiDelivery24h } from './hi-delivery-24h.js';
import { hiDirections } from './hi-directions.js';
import { hiDistance } from './hi-distance.js';
import { hiSinglePoint } from './hi-single-point.js';
import { hiTimely } from './hi-timely.js';
import { hiUsable } from './hi-usable.js';
import { ituAccess } from './itu-access.js';
import { ltcAccess } from './ltc-access.js';
import { retailAccess } from './retail-access.js';
import type { Rule } from '../evaluate/rule.js';

/** Version of the rule set (rules, definitions and clocks); recorded with every run. */
export const RULE_SET_VERSION = '2026.12.3';

export const RULES: readonly Rule[] = Object.freeze([
  dataComplete,
  hiAccess,
  hiAcute,
  hiChronic,
  hiUsable,
  hiAncillary,
  hiDelivery24h,
  hiDirections,
  hiContact,
  hiAccreditation,
  hiTimely,
  hiSinglePoint,
  hiDistance,
  retailAccess,
  ltcAccess,
  ituAccess,
  dataStale,
  enrollData,
  expiringSoon,
]);

export const RULE_IDS: readonly string[] = Object.freeze(RULES.map((r) => r.id));

const duplicates = RULE_IDS.filter((id, i) => RULE_IDS.indexOf(id) !== i);
if (duplicates.length > 0)
  throw new Error(`duplicate rule ids in the registry: ${duplicates.join(', ')}`);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
