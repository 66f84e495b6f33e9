import type { Severity } from './types.js';

/**
 * The sponsor's audit policy: thresholds and severities. Loaded and validated by
 * `src/evaluate/policy.ts` (loadPolicy); DEFAULT_POLICY applies where the file is silent.
 */
export interface RuleSetting {
  severity?: Severity;
  enabled?: boolean;
}

export interface Policy {
  /** Shown on reports. */
  sponsorName: string;
  /** Findings at or above this severity make the run NON_COMPLIANT. */
  failOn: Severity;
  /** IANA zone in which coverage-request clocks and "as of" dates are read. */
  timeZone: string;
  /** Drug class codes every service-area county must have; null = catalog's Part D-required classes. */
  requiredClasses: string[] | null;
  /** HI-ACCESS: minimum number of HI pharmacies serving each service-area county. */
  minPharmaciesPerCounty: number;
  /** HI-ACUTE / HI-CHRONIC: minimum pharmacies covering each county x required class. */
  minPharmaciesPerClass: number;
  /** HI-DIRECTIONS: directions must have been reviewed within this many days of the as-of date. */
  directionsMaxAgeDays: number;
  /** DATA-STALE: the plan's latest network roster may be at most this old. */
  staleRosterDays: number;
  /**
   * Rejected rows the rosters in force may hold before the run is INCOMPLETE (default 0: any
   * rejected row leaves the audit unable to judge what that row described). Every report lists
   * them either way.
   */
  acceptRejectedRows: number;
  /** HI-ACCREDITATION: accepted accreditors. */
  accreditors: string[];
  /** Window used to flag evidence (assurances, accreditations) expiring soon. */
  expiringWindowDays: number;
  /**
   * HI-DISTANCE (sponsor policy): at least `minShare` of a plan's members in each service-area
   * county live within `maxMiles` of an eligible pharmacy for each required class.
   */
  distance: DistancePolicy;
  /** RETAIL-ACCESS: where the urban / suburban / rural class of each ZIP comes from. */
  retailAccess: RetailAccessPolicy;
  /** Per-rule overrides, keyed by rule id. */
  rules: Record<string, RuleSetting>;
}

export interface DistancePolicy {
  /** Great-circle miles from the member's ZIP centroid to the pharmacy's (> 0). */
  maxMiles: number;
  /** Share of the located members that must be within maxMiles, in (0, 1]. */
  minShare: number;
}

export interface RetailAccessPolicy {
  /**
   * CSV `zip,class` (urban, suburban, rural), e.g. CMS's classification from the sponsor's PBM;
   * a relative path is read from the policy file's folder. null: no ZIP is classified, and
   * RETAIL-ACCESS judges no member (INCOMPLETE when there is enrollment).
   */
  zipClassesFile: string | null;
}

export const DEFAULT_POLICY: Policy = {
  sponsorName: 'Plan sponsor',
  failOn: 'major',
  timeZone: 'America/New_York',
  requiredClasses: null,
  minPharmaciesPerCounty: 1,
  minPharmaciesPerClass: 1,
  directionsMaxAgeDays: 365,
  staleRosterDays: 35,
  acceptRejectedRows: 0,
  accreditors: ['ACHC', 'TJC', 'CHAP'],
  expiringWindowDays: 60,
  distance: { maxMiles: 60, minShare: 0.9 },
  retailAccess: { zipClassesFile: null },
  rules: {},
};
