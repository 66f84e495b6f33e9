/**
 * Fixture report models for the renderer tests. `buildModel()` is a small but complete run with
 * findings of every severity and hostile input text; `bigModel(n)` has n findings.
 */
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import type { DrugClass, Finding, Severity } from '../../src/domain/types.js';
import type { DistanceResult } from '../../src/evaluate/distance.js';
import type { ReportFinding, ReportModel, ReportRule } from '../../src/report/model.js';

/** Strings a spreadsheet would read as formulas if they were typed. */
export const HOSTILE = {
  hyperlink: '=HYPERLINK("http://x","y")',
  plus: '+1+1',
  at: '@SUM(A1)',
  minus: '-2',
  tab: '\t=1+1',
  cr: '\r=1+1',
} as const;

export const CATALOG: DrugClass[] = [
  {
    code: 'ABX',
    name: 'IV antibiotics',
    careType: 'acute',
    partDRequired: true,
    partBNote: 'Vancomycin is not covered via pump under Part B',
    exampleDrugs: ['vancomycin', 'ceftriaxone'],
    needsSterileCompounding: true,
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
    code: 'HYD',
    name: 'Hydration',
    careType: 'acute',
    partDRequired: false,
    partBNote: '',
    exampleDrugs: ['sodium chloride'],
    needsSterileCompounding: false,
  },
];

function rule(id: string, severity: Severity, enabled = true): ReportRule {
  return {
    id,
    title: `${id} title`,
    citation: '42 CFR 423.120(a)(4)',
    defaultSeverity: severity,
    severity,
    enabled,
    description: `What ${id} checks.`,
    messages: { main: '{county} lacks coverage' },
    remediation: `Fix ${id}.`,
  };
}

const P1 = { contractId: 'S1234', pbpId: '001', segmentId: '000' };

/** Distances of plan 001: Autauga within policy, Baldwin's A1PI with no pharmacy to measure to. */
export const DISTANCE: DistanceResult = {
  status: 'evaluated',
  notEvaluatedReason: null,
  maxMiles: 60,
  minShare: 0.9,
  plans: [
    {
      ...P1,
      members: 1310,
      membersInArea: 1300,
      membersOutsideArea: 10,
      countiesOutsideArea: 1,
      membersAtCountyCentroid: 40,
      membersUnlocated: 12,
      rowsUnlocated: 3,
    },
  ],
  cells: [
    {
      ...P1,
      countyFips: '01001',
      drugClass: 'ABX',
      members: 1000,
      membersLocated: 1000,
      membersWithin: 950,
      eligiblePharmacies: 2,
      locatedPharmacies: 2,
      farthestMiles: 71.25,
      shareMiles: 48.5,
    },
    {
      ...P1,
      countyFips: '01003',
      drugClass: 'A1PI',
      members: 300,
      membersLocated: 288,
      membersWithin: 0,
      eligiblePharmacies: 0,
      locatedPharmacies: 0,
      farthestMiles: null,
      shareMiles: null,
    },
  ],
  unlocatedPharmacies: [{ npi: '1003000126', name: HOSTILE.plus, zip: '00000', cells: 1 }],
};

export const RULES: ReportRule[] = [
  rule('HI-ACUTE', 'critical'),
  rule('HI-ASSURANCE', 'major'),
  rule('HI-DIRECTIONS', 'minor'),
  rule('DATA-STALE', 'info'),
  rule('HI-ACCREDITATION', 'minor', false),
];

let seq = 0;
export function finding(
  ruleId: string,
  severity: Severity,
  over: Partial<ReportFinding> = {},
): ReportFinding {
  seq += 1;
  return {
    key: `${ruleId}|${seq}`,
    ruleId,
    severity,
    messageId: 'main',
    message: `Finding ${seq} of ${ruleId}`,
    contractId: 'S1234',
    pbpId: '001',
    segmentId: '000',
    countyFips: '01001',
    drugClass: 'ABX',
    npi: '1234567893',
    requestId: null,
    evidence: {
      county: '01001',
      pharmacies: 0,
      classes: ['ABX', 'A1PI'],
      checked: true,
      note: null,
    },
    status: 'new',
    firstSeen: '2026-10-01',
    countyName: 'Autauga',
    pharmacyName: 'Good Infusion Rx',
    remediation: `Fix ${ruleId}.`,
    citation: '42 CFR 423.120(a)(4)',
    ...over,
  };
}

export function buildModel(over: Partial<ReportModel> = {}): ReportModel {
  seq = 0;
  const findings: ReportFinding[] = [
    finding('HI-ACUTE', 'critical', { message: HOSTILE.hyperlink }),
    finding('HI-ACUTE', 'critical', { status: 'persisting', firstSeen: '2026-09-01' }),
    finding('HI-ASSURANCE', 'major', {
      pharmacyName: HOSTILE.plus,
      npi: '1003000126',
      message: HOSTILE.at,
      evidence: { entity: HOSTILE.minus },
    }),
    finding('HI-DIRECTIONS', 'minor', {
      countyFips: null,
      countyName: null,
      drugClass: null,
      npi: null,
      pharmacyName: HOSTILE.minus,
      message: HOSTILE.tab,
    }),
    finding('DATA-STALE', 'info', {
      countyFips: null,
      countyName: null,
      drugClass: null,
      npi: null,
      pharmacyName: null,
      message: HOSTILE.cr,
      status: 'persisting',
      firstSeen: '2026-08-15',
    }),
  ];
  const resolved: Finding[] = [
    {
      key: 'HI-ACUTE|old',
      ruleId: 'HI-ACUTE',
      severity: 'critical',
      messageId: 'main',
      message: 'Old gap in Baldwin',
      contractId: 'S1234',
      pbpId: '001',
      segmentId: '000',
      countyFips: '01003',
      drugClass: 'A1PI',
      npi: null,
      requestId: null,
      evidence: {},
    },
  ];
  const base: ReportModel = {
    run: {
      runId: 12,
      sponsorName: 'Acme Health',
      scopeLabel: 'all',
      contractId: null,
      pbpId: null,
      asOf: '2026-11-01',
      generatedAt: '2026-11-02T14:30:00.000Z',
      toolVersion: '0.1.0',
      ruleSetVersion: '2026.1',
      policy: {
        ...DEFAULT_POLICY,
        sponsorName: 'Acme Health',
        rules: { 'HI-ACCREDITATION': { enabled: false } },
      },
      policyHash: 'ab12cd34',
      verdict: 'NON_COMPLIANT',
      missing: [],
      durationMs: 1234,
      whatIf: false,
    },
    rules: RULES,
    findings,
    resolved,
    previousRunId: 11,
    keyFigures: {
      plans: 2,
      serviceAreaCounties: 3,
      hiPharmacies: 3,
      requiredCells: 8,
      coveredCells: 6,
    },
    plans: [
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        planName: 'Acme Rx Basic',
        planType: 'PDP',
        memberServicesPhone: '1-800-555-0100',
        providerServicesPhone: '800.555.0199',
        hiAccessDirections:
          'Call member services and ask for the home infusion desk; they transfer to the pharmacy.',
        directionsReviewedOn: '2026-06-01',
      },
      {
        contractId: 'S1234',
        pbpId: '002',
        segmentId: '000',
        planName: 'Acme Rx Plus',
        planType: 'PDP',
        memberServicesPhone: '8005550111',
        providerServicesPhone: '8005550112',
        hiAccessDirections: '',
        directionsReviewedOn: null,
      },
    ],
    planKeysWithoutRecord: [{ contractId: 'S1234', pbpId: '003', segmentId: '000' }],
    coverage: {
      requiredClasses: CATALOG.filter((c) => c.partDRequired),
      cells: [
        cell('001', '01001', 'Autauga', 'ABX', ['1234567893', '1003000126']),
        cell('001', '01001', 'Autauga', 'A1PI', ['1234567893']),
        cell('001', '01003', 'Baldwin', 'ABX', ['1003000126']),
        cell('001', '01003', 'Baldwin', 'A1PI', []),
        cell('002', '01001', 'Autauga', 'ABX', ['1234567893', '1003000126', '1114025229']),
        cell('002', '01001', 'Autauga', 'A1PI', ['1234567893', '1003000126']),
        cell('002', '01005', 'Barbour', 'ABX', ['1114025229']),
        cell('002', '01005', 'Barbour', 'A1PI', ['1114025229', '1003000126']),
      ],
    },
    directory: [
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        countyFips: '01001',
        countyName: 'Autauga',
        pharmacies: [
          {
            npi: '1234567893',
            name: 'Good Infusion Rx',
            phone: '2055550123',
            afterHoursPhone: null,
            open24x7: true,
            classes: ['ABX', 'A1PI'],
            providesNursing: true,
            providesSupplies: true,
            reliesOnAssurance: [],
          },
          {
            npi: '1003000126',
            name: HOSTILE.plus,
            phone: '(205) 555-0456',
            afterHoursPhone: '205-555-0999',
            open24x7: false,
            classes: ['ABX'],
            providesNursing: false,
            providesSupplies: false,
            reliesOnAssurance: ['Valley VNA'],
          },
        ],
      },
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        countyFips: '01003',
        countyName: 'Baldwin',
        pharmacies: [],
      },
    ],
    assurances: [
      {
        npi: '1003000126',
        pharmacyName: HOSTILE.plus,
        entityName: 'Valley VNA',
        entityType: 'VNA',
        services: ['nursing', 'supplies'],
        counties: ['*'],
        effectiveDate: '2026-01-01',
        expirationDate: '2026-12-01',
        status: 'active',
        expiringWithinWindow: true,
        daysLeft: 30,
      },
      {
        npi: '1003000126',
        pharmacyName: HOSTILE.plus,
        entityName: 'Old Home Health',
        entityType: 'HHA',
        services: ['nursing'],
        counties: ['01001', '01003'],
        effectiveDate: '2024-01-01',
        expirationDate: '2025-12-31',
        status: 'expired',
        expiringWithinWindow: false,
        daysLeft: -305,
      },
    ],
    requests: [
      {
        requestId: 'CR-1',
        contractId: 'S1234',
        pbpId: '001',
        requestType: 'coverage_determination',
        expedited: true,
        citation: '42 CFR 423.572',
        clockLabel: '24 hours (expedited coverage determination)',
        clockStart: '2026-10-20T13:00:00Z',
        deadline: '2026-10-21T13:00:00Z',
        decidedAt: '2026-10-21T20:00:00Z',
        elapsedHours: 31,
        verdict: 'late',
        // A full member id that should never have reached the model: masked again on output.
        memberIdMasked: 'MBR123456789',
        drugClass: 'ABX',
        drugName: 'vancomycin',
        outcome: 'approved',
      },
      {
        requestId: 'CR-2',
        contractId: 'S1234',
        pbpId: '002',
        requestType: 'redetermination',
        expedited: false,
        citation: '42 CFR 423.590(a)',
        clockLabel: '7 calendar days (standard redetermination)',
        clockStart: '2026-10-25T09:00:00Z',
        deadline: '2026-11-01T09:00:00Z',
        decidedAt: null,
        elapsedHours: 172.25,
        verdict: 'overdue',
        memberIdMasked: '****4321',
        drugClass: null,
        drugName: null,
        outcome: 'pending',
      },
    ],
    lineage: {
      imports: [
        {
          id: 1,
          fileName: 'network.csv',
          sheet: null,
          sha256: 'a'.repeat(64),
          kind: 'network',
          asOf: '2026-10-31',
          rowsRead: 10,
          accepted: 9,
          rejected: 1,
          status: 'completed',
          startedAt: '2026-11-02T14:00:00Z',
          durationMs: 50,
        },
      ],
      rejectedRows: [
        {
          importId: 1,
          fileName: 'network.csv',
          rowNumber: 7,
          column: 'npi',
          value: HOSTILE.hyperlink,
          reason: 'NPI must be 10 digits',
          raw: { npi: HOSTILE.hyperlink },
        },
      ],
    },
    catalog: CATALOG,
    exceptions: [
      {
        ruleId: 'HI-ACUTE',
        contractId: 'S1234',
        pbpId: '001',
        countyFips: '01003',
        drugClass: 'A1PI',
        npi: null,
        rationale: 'Nearest A1PI pharmacy serves Baldwin under a single-case agreement',
        approvedBy: 'J. Doe, Compliance Officer',
        approvedOn: '2026-09-01',
        expiresOn: '2026-12-15',
        label: 'HI-ACUTE S1234-001 01003 A1PI',
        status: 'in_force',
        matched: 1,
        unused: false,
        daysLeft: 44,
        countyName: 'Baldwin',
        pharmacyName: null,
      },
      {
        ruleId: 'HI-CONTACT',
        contractId: 'S1234',
        pbpId: null,
        countyFips: null,
        drugClass: null,
        npi: '1003000126',
        rationale: HOSTILE.at,
        approvedBy: 'J. Doe',
        approvedOn: '2026-01-01',
        expiresOn: '2026-06-30',
        label: 'HI-CONTACT S1234 NPI 1003000126',
        status: 'expired',
        matched: 0,
        unused: true,
        daysLeft: -124,
        countyName: null,
        pharmacyName: HOSTILE.plus,
      },
    ],
    expiring: [
      {
        kind: 'assurance',
        plan: 'S1234-001-000',
        npi: '1003000126',
        pharmacyName: HOSTILE.plus,
        item: 'Valley VNA',
        expiresOn: '2026-11-20',
        daysLeft: 19,
      },
    ],
    keyPharmacies: [
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        npi: '1003000126',
        name: HOSTILE.plus,
        rank: 1,
        cellsLost: 1,
        cellsCritical: 1,
        cellsCovered: 2,
        lostCells: ['01003:ABX'],
      },
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        npi: '1234567893',
        name: 'Good Infusion Rx',
        rank: 2,
        cellsLost: 1,
        cellsCritical: 1,
        cellsCovered: 2,
        lostCells: ['01001:A1PI'],
      },
    ],
    recruitment: [
      {
        contractId: 'S1234',
        pbpId: '001',
        segmentId: '000',
        npi: '1114025229',
        name: 'Delta Specialty',
        city: 'Mobile',
        state: 'AL',
        serviceType: '08',
        rank: 1,
        gapsClosed: 1,
        planGaps: 1,
        cells: ['01003:A1PI'],
        hiInPlans: ['S1234-002-000'],
      },
    ],
    distance: DISTANCE,
    retailAccess: {
      status: 'evaluated',
      zipClasses: {
        source: 'cms-zip-classes.csv',
        sha256: 'f'.repeat(64),
        asOf: '2026-01-01',
        zips: 3,
      },
      rows: [
        {
          contractId: 'S1234',
          pbpId: '001',
          segmentId: '000',
          state: 'AL',
          urban: {
            members: 100,
            within: 90,
            share: 0.9,
            miles: 2,
            standardPercent: 90,
            meets: true,
          },
          suburban: {
            members: 50,
            within: 40,
            share: 0.8,
            miles: 5,
            standardPercent: 90,
            meets: false,
          },
          rural: {
            members: 0,
            within: 0,
            share: null,
            miles: 15,
            standardPercent: 70,
            meets: null,
          },
          unclassifiedMembers: 0,
          unlocatedMembers: 0,
          retailPharmacies: 12,
          unlocatedPharmacies: 0,
          verdict: 'below',
        },
      ],
      ltc: [
        { contractId: 'S1234', pbpId: '001', segmentId: '000', ltcPharmacies: 0, members: 150 },
      ],
      membersNotJudged: 0,
      incompleteRows: 0,
      itu: {
        status: 'evaluated',
        pharmaciesWithAttribute: 40,
        ituPharmacies: 2,
        rows: [
          {
            contractId: 'S1234',
            pbpId: '001',
            segmentId: '000',
            inArea: 2,
            inNetwork: 1,
            notInNetwork: [
              { npi: '1245319599', name: 'Poarch Creek Pharmacy', countyFips: '01003' },
            ],
          },
        ],
      },
    },
  };
  return { ...base, ...over };
}

function cell(
  pbpId: string,
  countyFips: string,
  countyName: string,
  drugClass: string,
  npis: string[],
): ReportModel['coverage']['cells'][number] {
  return { contractId: 'S1234', pbpId, segmentId: '000', countyFips, countyName, drugClass, npis };
}

/** A model with n findings, spread over the rules in severity order. */
export function bigModel(n: number): ReportModel {
  const model = buildModel();
  const per = Math.ceil(n / 4);
  const findings: ReportFinding[] = [];
  const plan: [string, Severity][] = [
    ['HI-ACUTE', 'critical'],
    ['HI-ASSURANCE', 'major'],
    ['HI-DIRECTIONS', 'minor'],
    ['DATA-STALE', 'info'],
  ];
  for (const [ruleId, severity] of plan) {
    for (let i = 0; i < per && findings.length < n; i++) {
      findings.push(
        finding(ruleId, severity, {
          key: `${ruleId}|${i}`,
          countyFips: String(1001 + (i % 3000)).padStart(5, '0'),
          status: i % 2 === 0 ? 'new' : 'persisting',
        }),
      );
    }
  }
  return { ...model, findings };
}
