/**
 * Small NetworkSnapshots for rule tests. `makeSnapshot()` with no options is a fully compliant
 * network: one plan (S1234-001-000) with two service-area counties, two full-service HI
 * pharmacies serving both and covering every required class, current rosters. Tests override
 * one part and assert what the rules say about it.
 */
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.js';
import {
  planKeyString,
  type Assurance,
  type Capability,
  type County,
  type CoverageRequest,
  type DrugClass,
  type Enrollment,
  type Finding,
  type ItuNetwork,
  type NetworkMembership,
  type NetworkSnapshot,
  type Pharmacy,
  type Plan,
  type PlanKey,
  type PlanRetailNetwork,
  type RetailNetwork,
  type ServiceArea,
  type ZipClass,
  type ZipClassTable,
  type ZipPoint,
} from '../../src/domain/types.js';
import { evaluate as evaluateRules, type EvaluateOptions } from '../../src/evaluate/engine.js';
import { RULES } from '../../src/rules/registry.js';
import type { Rule } from '../../src/evaluate/rule.js';

export const AS_OF = '2026-11-01';
export const PLAN: PlanKey = { contractId: 'S1234', pbpId: '001', segmentId: '000' };
export const PLAN_KEY = planKeyString(PLAN);
export const COOK = '17031';
export const DUPAGE = '17043';
export const LAKE = '17097';
export const NPI_A = '1000000012';
export const NPI_B = '1000000020';
export const NPI_C = '1000000038';

export const CATALOG: DrugClass[] = [
  {
    code: 'ABX_IV',
    name: 'IV antibiotics',
    careType: 'acute',
    partDRequired: true,
    partBNote: 'Vancomycin is not covered via pump under Part B',
    exampleDrugs: ['vancomycin', 'ceftriaxone'],
    needsSterileCompounding: true,
  },
  {
    code: 'HYDRATION',
    name: 'Hydration and antiemetics',
    careType: 'acute',
    partDRequired: true,
    partBNote: '',
    exampleDrugs: ['sodium chloride'],
    needsSterileCompounding: false,
  },
  {
    code: 'A1PI',
    name: 'Alpha-1 proteinase inhibitor',
    careType: 'chronic',
    partDRequired: true,
    partBNote: 'No Part B home benefit',
    exampleDrugs: ['Prolastin-C', 'Zemaira'],
    needsSterileCompounding: true,
  },
  {
    code: 'IG',
    name: 'Immune globulin (non-PID)',
    careType: 'chronic',
    partDRequired: true,
    partBNote: 'IVIG for PID is Part B',
    exampleDrugs: ['Gamunex-C'],
    needsSterileCompounding: false,
  },
  {
    code: 'ERT',
    name: 'Enzyme replacement',
    careType: 'chronic',
    partDRequired: false,
    partBNote: '',
    exampleDrugs: ['Cerezyme'],
    needsSterileCompounding: true,
  },
];
export const REQUIRED_CODES = CATALOG.filter((c) => c.partDRequired).map((c) => c.code);

export const COUNTIES: County[] = [
  { fips: COOK, name: 'Cook', state: 'IL' },
  { fips: DUPAGE, name: 'DuPage', state: 'IL' },
  { fips: LAKE, name: 'Lake', state: 'IL' },
];

/** A compliant full-service HI pharmacy serving Cook and DuPage. */
export function makePharmacy(over: Partial<Pharmacy> = {}): Pharmacy {
  return {
    npi: NPI_A,
    ncpdpId: null,
    name: `Pharmacy ${over.npi ?? NPI_A}`,
    address: '1 Main St',
    city: 'Chicago',
    state: 'IL',
    zip: '60602',
    countyFips: COOK,
    phone: '3125550100',
    afterHoursPhone: '3125550199',
    serviceType: '03',
    taxonomyCodes: ['3336H0001X'],
    sterileCompounding: true,
    usp797Category: 2,
    providesNursing: true,
    providesSupplies: true,
    deliversWithin24h: true,
    open24x7: false,
    countiesServed: [COOK, DUPAGE],
    accreditations: ['ACHC'],
    accreditationExpires: '2027-06-30',
    itu: null,
    ...over,
  };
}

export function makePlan(over: Partial<Plan> = {}): Plan {
  return {
    ...PLAN,
    planName: 'Prairie PDP',
    planType: 'PDP',
    memberServicesPhone: '8005550100',
    providerServicesPhone: '8005550101',
    hiAccessDirections: 'Call Member Services and ask for the home infusion desk.',
    directionsReviewedOn: '2026-06-01',
    ...over,
  };
}

export function makeMembership(
  npi: string,
  over: Partial<NetworkMembership> = {},
): NetworkMembership {
  return {
    ...PLAN,
    npi,
    role: 'home_infusion',
    effectiveDate: '2026-01-01',
    terminationDate: null,
    zip: null,
    ...over,
  };
}

export function makeCapabilities(
  npi: string,
  classes: readonly string[] = REQUIRED_CODES,
  usableForm = true,
): Capability[] {
  return classes.map((drugClass) => ({ npi, drugClass, usableForm, notes: null }));
}

export function makeServiceAreas(counties: readonly string[], plan: PlanKey = PLAN): ServiceArea[] {
  return counties.map((countyFips) => ({ ...plan, countyFips }));
}

export function makeAssurance(npi: string, over: Partial<Assurance> = {}): Assurance {
  return {
    npi,
    entityName: 'Lakeside Home Health',
    entityType: 'HHA',
    entityNpi: null,
    services: ['nursing', 'supplies'],
    counties: ['*'],
    effectiveDate: '2026-01-01',
    expirationDate: null,
    documentRef: null,
    ...over,
  };
}

export function makeRequest(over: Partial<CoverageRequest> = {}): CoverageRequest {
  return {
    requestId: 'R-1',
    contractId: PLAN.contractId,
    pbpId: PLAN.pbpId,
    drugClass: 'ABX_IV',
    drugName: 'vancomycin',
    requestType: 'coverage_determination',
    expedited: true,
    receivedAt: '2026-10-01T10:00:00Z',
    supportingStatementAt: null,
    decidedAt: '2026-10-01T20:00:00Z',
    outcome: 'approved',
    memberIdMasked: '****4TE5',
    ...over,
  };
}

export interface SnapshotParts {
  asOf?: string;
  plans?: Plan[];
  planKeysWithoutRecord?: PlanKey[];
  serviceAreas?: ServiceArea[];
  memberships?: NetworkMembership[];
  pharmacies?: Pharmacy[];
  capabilities?: Capability[];
  assurances?: Assurance[];
  coverageRequests?: CoverageRequest[];
  catalog?: DrugClass[];
  counties?: County[];
  /** By planKeyString; default: every plan's roster is as of 2026-10-15. */
  latestNetworkRosterAsOf?: Record<string, string>;
  /** Default: none (no enrollment roster; RETAIL-ACCESS and LTC-ACCESS not evaluated). */
  enrollment?: Enrollment[];
  /** Default: not loaded. */
  retailNetwork?: RetailNetwork;
  zipClasses?: ZipClassTable;
  /**
   * Default: every pharmacy says it is not I/T/U (ITU-ACCESS evaluated, nothing to report);
   * null: not loaded (ITU-ACCESS not evaluated).
   */
  ituNetwork?: ItuNetwork | null;
}

export function makeEnrollment(
  zip: string | null,
  members: number,
  over: Partial<Enrollment> = {},
): Enrollment {
  return { ...PLAN, zip, countyFips: null, members, ...over };
}

/** One plan's retail network: pharmacies at the given points (one pharmacy per point). */
export function makeRetailPlan(
  locations: ZipPoint[],
  over: Partial<PlanRetailNetwork> = {},
): PlanRetailNetwork {
  return {
    ...PLAN,
    locations,
    retailPharmacies: locations.length,
    unlocatedPharmacies: 0,
    excludedPharmacies: 0,
    ltcPharmacies: 0,
    ...over,
  };
}

export function makeRetailNetwork(plans: PlanRetailNetwork[]): RetailNetwork {
  return { plans: new Map(plans.map((p) => [planKeyString(p), p])) };
}

export function makeZipClasses(classes: Record<string, ZipClass>): ZipClassTable {
  return {
    source: 'test-zip-classes.csv',
    sha256: '0'.repeat(64),
    asOf: '2026-01-01',
    classes: new Map(Object.entries(classes)),
  };
}

/** The compliant baseline with the given parts replaced. */
export function makeSnapshot(parts: SnapshotParts = {}): NetworkSnapshot {
  const pharmacies = parts.pharmacies ?? [
    makePharmacy({ npi: NPI_A }),
    makePharmacy({ npi: NPI_B, name: 'Beta Infusion', countyFips: DUPAGE }),
  ];
  const plans = parts.plans ?? [makePlan()];
  const serviceAreas = parts.serviceAreas ?? makeServiceAreas([COOK, DUPAGE]);
  const rosters =
    parts.latestNetworkRosterAsOf ??
    Object.fromEntries(
      [...plans, ...serviceAreas, ...(parts.planKeysWithoutRecord ?? [])].map((p) => [
        planKeyString(p),
        '2026-10-15',
      ]),
    );
  return {
    asOf: parts.asOf ?? AS_OF,
    plans,
    planKeysWithoutRecord: parts.planKeysWithoutRecord ?? [],
    serviceAreas,
    memberships: parts.memberships ?? pharmacies.map((p) => makeMembership(p.npi)),
    pharmacies: new Map(pharmacies.map((p) => [p.npi, p])),
    capabilities: parts.capabilities ?? pharmacies.flatMap((p) => makeCapabilities(p.npi)),
    assurances: parts.assurances ?? [],
    coverageRequests: parts.coverageRequests ?? [],
    catalog: parts.catalog ?? CATALOG,
    counties: new Map((parts.counties ?? COUNTIES).map((c) => [c.fips, c])),
    latestNetworkRosterAsOf: new Map(Object.entries(rosters)),
    ...(parts.enrollment === undefined ? {} : { enrollment: parts.enrollment }),
    ...(parts.enrollment ? { enrollment: parts.enrollment } : {}),
    ...(parts.retailNetwork ? { retailNetwork: parts.retailNetwork } : {}),
    ...(parts.zipClasses ? { zipClasses: parts.zipClasses } : {}),
    ...(parts.ituNetwork === null
      ? {}
      : {
          ituNetwork: parts.ituNetwork ?? {
            pharmaciesWithAttribute: pharmacies.length,
            pharmaciesWithoutAttribute: 0,
            pharmacies: [],
            inNetwork: new Map(),
          },
        }),
  };
}

export function makePolicy(over: Partial<Policy> = {}): Policy {
  return { ...DEFAULT_POLICY, ...over };
}

/** The findings of one rule alone on a snapshot. */
export function runRule(
  rule: Rule,
  snapshot: NetworkSnapshot,
  policy: Policy = makePolicy(),
): Finding[] {
  return evaluateRules({ snapshot, policy, rules: [rule] }).findings;
}

/** `messageId key` of each finding, for compact table assertions. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.messageId} ${f.key}`);
}

/** The engine with the registered rule set unless the test names its own. */
export function evaluate(
  options: Omit<EvaluateOptions, 'rules'> & { rules?: EvaluateOptions['rules'] },
): ReturnType<typeof evaluateRules> {
  return evaluateRules({ ...options, rules: options.rules ?? RULES });
}
