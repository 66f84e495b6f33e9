/**
 * The demo roster set (data/demo): "Lakeshore Health Plans", an invented Part D sponsor with
 * one PDP contract (S4802, PBPs 001 and 003) over Illinois and Indiana and one MA-PD contract
 * (H3312, PBP 014) in south-east Michigan, as of 2026-11-01. Its home infusion network is written
 * by hand so that every audit rule has a deliberate gap to find (see the README it writes); the
 * ordinary retail, mail, specialty and LTC pharmacies around it come from a seeded PRNG.
 *
 * Deterministic: the same code writes the same bytes (the XLSX too: fixed document dates). The
 * README's figures (finding counts, days, policy limits) are computed, not typed: the counts by
 * importing and auditing the files just written (audit-demo.ts), the rest from the data and
 * data/demo-policy.json; the claims it cannot count are checked (checkClaims).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { AuditOutcome } from '../../src/audit/run-audit.js';
import type {
  County,
  NetworkRole,
  RequestTimeliness,
  ServiceType,
} from '../../src/domain/types.js';
import { REQUIRED_CLASS_CODES } from '../../src/generate/catalog.js';
import { readZipDirectory } from '../../src/roster/zip.js';
import { csvText as formatCsv } from '../../src/util/csv-write.js';
import {
  ASSURANCE_COLUMNS,
  CAPABILITY_COLUMNS,
  COVERAGE_REQUEST_COLUMNS,
  ENROLLMENT_COLUMNS,
  EXCEPTION_COLUMNS,
  NETWORK_COLUMNS,
  PHARMACY_COLUMNS,
  PLAN_COLUMNS,
  SERVICE_AREA_COLUMNS,
  addDays,
  yn,
  type AssuranceRow,
  type CapabilityRow,
  type CoverageRequestRow,
  type NetworkRow,
  type PharmacyRow,
  type PlanRow,
  type ServiceAreaRow,
} from '../../src/generate/format.js';
import { readCounties } from '../../src/generate/geo.js';
import { COUNTIES_PATH } from '../../src/geo/reference-file.js';
import { ncpdpId, npiFrom } from '../../src/generate/identifiers.js';
import {
  LTC_NAMES,
  MAIL_NAMES,
  RETAIL_CHAINS,
  SPECIALTY_NAMES,
  STREETS,
  STREET_TYPES,
} from '../../src/generate/names.js';
import { Permutation, Rng } from '../../src/generate/prng.js';
import { loadZipReference } from '../../src/geo/zips.js';
import { loadPolicy } from '../../src/evaluate/policy.js';
import { daysBetween } from '../../src/util/time.js';
import { auditDemo, type DemoAudit } from './audit-demo.js';

export const DEMO_AS_OF = '2026-11-01';
export const DEMO_WORKBOOK = 'lakeshore-mapd.xlsx';
/** The policy `npm run demo` audits with; the README's figures are computed with it. */
const DEMO_POLICY_PATH = join(import.meta.dirname, '..', '..', 'data', 'demo-policy.json');
const POLICY = loadPolicy(DEMO_POLICY_PATH);
/** The README's DATA-STALE sequence imports the MA-PD workbook as of this date first. */
const STALE_IMPORT_AS_OF = '2026-09-15';
/** Days from `date` to the as-of date (negative: after it). */
const daysBefore = (date: string): number => daysBetween(date, DEMO_AS_OF);
const SEED = 'lakeshore-health-plans-2026';

// ---- geography ------------------------------------------------------------------------------

/** Where pharmacies sit: county FIPS -> [city, ZIP, area code] choices (real places). */
const PLACES: Record<string, readonly (readonly [string, string, string])[]> = {
  '17031': [
    ['Chicago', '60612', '312'],
    ['Chicago', '60611', '312'],
    ['Chicago', '60657', '773'],
    ['Chicago', '60614', '773'],
    ['Evanston', '60201', '847'],
    ['Skokie', '60077', '847'],
    ['Oak Lawn', '60453', '708'],
    ['Schaumburg', '60173', '847'],
  ],
  '17043': [
    ['Oak Brook', '60523', '630'],
    ['Naperville', '60540', '630'],
    ['Lombard', '60148', '630'],
    ['Downers Grove', '60515', '630'],
  ],
  '17097': [
    ['Waukegan', '60085', '847'],
    ['Libertyville', '60048', '847'],
    ['Highland Park', '60035', '847'],
  ],
  '17197': [
    ['Joliet', '60435', '815'],
    ['Bolingbrook', '60440', '630'],
  ],
  '17089': [
    ['Aurora', '60506', '630'],
    ['Elgin', '60120', '847'],
    ['St. Charles', '60174', '630'],
  ],
  '17111': [
    ['Crystal Lake', '60014', '815'],
    ['Woodstock', '60098', '815'],
  ],
  '17093': [
    ['Oswego', '60543', '630'],
    ['Yorkville', '60560', '630'],
  ],
  '17201': [
    ['Rockford', '61107', '815'],
    ['Rockford', '61108', '815'],
  ],
  '17085': [['Galena', '61036', '815']],
  '17019': [
    ['Champaign', '61820', '217'],
    ['Urbana', '61801', '217'],
  ],
  '17143': [['Peoria', '61614', '309']],
  '17113': [
    ['Bloomington', '61701', '309'],
    ['Normal', '61761', '309'],
  ],
  '17167': [
    ['Springfield', '62702', '217'],
    ['Springfield', '62704', '217'],
  ],
  '17003': [['Cairo', '62914', '618']],
  '17151': [['Golconda', '62938', '618']],
  '17047': [['Albion', '62806', '618']],
  '17069': [['Elizabethtown', '62931', '618']],
  '17077': [['Carbondale', '62901', '618']],
  '17165': [['Harrisburg', '62946', '618']],
  '18097': [
    ['Indianapolis', '46202', '317'],
    ['Indianapolis', '46260', '317'],
    ['Indianapolis', '46237', '317'],
    ['Indianapolis', '46219', '317'],
  ],
  '18057': [
    ['Carmel', '46032', '317'],
    ['Fishers', '46037', '317'],
    ['Noblesville', '46060', '317'],
  ],
  '18063': [
    ['Avon', '46123', '317'],
    ['Plainfield', '46168', '317'],
  ],
  '18081': [
    ['Greenwood', '46142', '317'],
    ['Franklin', '46131', '317'],
  ],
  '18011': [
    ['Zionsville', '46077', '317'],
    ['Lebanon', '46052', '765'],
  ],
  '18059': [['Greenfield', '46140', '317']],
  '18109': [['Martinsville', '46151', '765']],
  '18145': [['Shelbyville', '46176', '317']],
  '18089': [
    ['Merrillville', '46410', '219'],
    ['Hammond', '46320', '219'],
    ['Crown Point', '46307', '219'],
  ],
  '18127': [
    ['Valparaiso', '46383', '219'],
    ['Portage', '46368', '219'],
  ],
  '18003': [
    ['Fort Wayne', '46805', '260'],
    ['Fort Wayne', '46825', '260'],
  ],
  '18141': [
    ['South Bend', '46601', '574'],
    ['Mishawaka', '46545', '574'],
  ],
  '18163': [
    ['Evansville', '47714', '812'],
    ['Evansville', '47715', '812'],
  ],
  '18157': [
    ['Lafayette', '47905', '765'],
    ['West Lafayette', '47906', '765'],
  ],
  '18105': [
    ['Bloomington', '47401', '812'],
    ['Bloomington', '47403', '812'],
  ],
  '18115': [['Rising Sun', '47040', '812']],
  '18155': [['Vevay', '47043', '812']],
  '18171': [['Williamsport', '47993', '765']],
  '18007': [['Fowler', '47944', '765']],
  '39061': [
    ['Cincinnati', '45242', '513'],
    ['Cincinnati', '45219', '513'],
  ],
  '26163': [
    ['Detroit', '48201', '313'],
    ['Dearborn', '48124', '313'],
    ['Livonia', '48152', '734'],
  ],
  '26125': [
    ['Southfield', '48075', '248'],
    ['Troy', '48084', '248'],
    ['Royal Oak', '48067', '248'],
  ],
  '26099': [
    ['Sterling Heights', '48312', '586'],
    ['Warren', '48092', '586'],
    ['Clinton Township', '48038', '586'],
  ],
  '26161': [
    ['Ann Arbor', '48104', '734'],
    ['Ypsilanti', '48197', '734'],
  ],
  '26093': [
    ['Brighton', '48116', '810'],
    ['Howell', '48843', '517'],
  ],
  '26115': [['Monroe', '48162', '734']],
  '26147': [['Port Huron', '48060', '810']],
  '26151': [['Sandusky', '48471', '810']],
};

const CHI = ['17031', '17043', '17097', '17197', '17089', '17111', '17093'];
const NW_IN = ['18089', '18127'];
const N_IL = ['17201', '17085'];
const C_IL = ['17143', '17113', '17167'];
const S_IL = ['17003', '17151', '17047'];
const INDY = ['18097', '18057', '18063', '18081', '18011', '18059', '18109', '18145'];
const SE_IN = ['18115', '18155'];
const W_IN = ['18171', '18007'];
const DETROIT = ['26163', '26125', '26099', '26161', '26093', '26115', '26147'];

/** S4802 (both PBPs): 17 Illinois and 19 Indiana counties. */
const PDP_AREA = [
  ...CHI,
  ...N_IL,
  '17019',
  ...C_IL,
  ...S_IL,
  '17069',
  ...INDY,
  ...NW_IN,
  '18003',
  '18141',
  '18163',
  '18157',
  '18105',
  ...SE_IN,
  ...W_IN,
];
/** H3312-014: 8 south-east Michigan counties. */
const MAPD_AREA = [...DETROIT, '26151'];

// ---- plans ----------------------------------------------------------------------------------

const DIRECTIONS =
  'Members: call Member Services and say "home infusion"; we name the nearest network home infusion pharmacy and arrange first delivery within 24 hours of hospital discharge. Providers and discharge planners: call Provider Services, option 4, 24 hours a day; fax orders to the pharmacy named.';

const PDP_PLANS: PlanRow[] = [
  {
    contract_id: 'S4802',
    pbp_id: '001',
    segment_id: '000',
    plan_name: 'Lakeshore Rx Value (PDP)',
    plan_type: 'PDP',
    member_services_phone: '8005550142',
    provider_services_phone: '8005550143',
    hi_access_directions: DIRECTIONS,
    directions_reviewed_on: '2026-03-12',
  },
  {
    contract_id: 'S4802',
    pbp_id: '003',
    segment_id: '000',
    plan_name: 'Lakeshore Rx Premier (PDP)',
    plan_type: 'PDP',
    member_services_phone: '8005550146',
    provider_services_phone: '8005550143',
    hi_access_directions: DIRECTIONS,
    // GAP HI-DIRECTIONS: last reviewed more than directionsMaxAgeDays before the as-of date
    directions_reviewed_on: '2025-06-15',
  },
];

const MAPD_PLAN: PlanRow = {
  contract_id: 'H3312',
  pbp_id: '014',
  segment_id: '000',
  plan_name: 'Lakeshore Advantage Complete (HMO)',
  plan_type: 'MA-PD',
  member_services_phone: '8885550171',
  provider_services_phone: '8885550172',
  hi_access_directions: DIRECTIONS,
  directions_reviewed_on: '2026-07-20',
};

type PlanId = 'S4802-001' | 'S4802-003' | 'H3312-014';
const PDP_IDS: PlanId[] = ['S4802-001', 'S4802-003'];

// ---- home infusion pharmacies (hand-written) ------------------------------------------------

const ALL_REQUIRED = REQUIRED_CLASS_CODES;
const without = (...codes: string[]): string[] => ALL_REQUIRED.filter((c) => !codes.includes(c));

interface HiAssurance {
  entity: string;
  type: 'HHA' | 'VNA' | 'NURSING_AGENCY' | 'HI_AGENCY' | 'OTHER';
  services: string[];
  counties: string[] | '*';
  effective: string;
  expires: string | null;
}

interface HiSpec {
  key: string;
  name: string;
  county: string;
  place: number;
  street: string;
  served: string[];
  classes: string[];
  extra?: string[];
  unusable?: string[];
  sterile?: boolean;
  usp?: 2 | 3;
  nursing: boolean;
  supplies: boolean;
  delivers24?: boolean;
  open24?: boolean;
  afterHours?: boolean;
  accreditation: string[];
  accreditationExpires: string;
  assurances?: HiAssurance[];
  plans: PlanId[];
  effective: string;
  termination?: string;
  /** What the README says about the pharmacy (gap or purpose). */
  note?: string;
}

/** H05's accreditation: expiring soon after the as-of date (EXPIRING-SOON, not a gap). */
const H05_ACCREDITATION_EXPIRES = '2026-12-15';

const HI: HiSpec[] = [
  // ---- Chicago metro, clean: the two networks' backbone in northern Illinois ----
  {
    key: 'H01',
    name: 'Lakefront Home Infusion',
    county: '17031',
    place: 0,
    street: '1800 W Harrison St',
    served: [...CHI, ...NW_IN, ...N_IL, '17143', '17113', '17167'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'ANTIEMETIC_IV', 'INOTROPE', 'PAIN_PUMP', 'BIOLOGIC_HOME'],
    nursing: true,
    supplies: true,
    open24: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-03-31',
    plans: PDP_IDS,
    effective: '2021-01-01',
  },
  {
    key: 'H02',
    name: 'Prairie State Infusion Services',
    county: '17043',
    place: 0,
    street: '2000 Spring Rd, Suite 300',
    served: [...CHI, ...NW_IN, ...N_IL, '17143', '17113', '17167'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'ENZYME_REPLACEMENT', 'IG_SUBQ_PID', 'CHEMO_PUMP'],
    nursing: false,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2027-09-30',
    assurances: [
      {
        entity: 'Visiting Nurse Association of Northern Illinois',
        type: 'VNA',
        services: ['nursing'],
        counties: '*',
        effective: '2024-01-01',
        expires: '2027-12-31',
      },
    ],
    plans: PDP_IDS,
    effective: '2022-01-01',
  },
  // ---- central and southern Illinois ----
  {
    key: 'H03',
    name: 'Capitol City Infusion Pharmacy',
    county: '17167',
    place: 1,
    street: '901 W Jefferson St',
    served: [...C_IL, ...S_IL, '17077', '17199'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'ANTIEMETIC_IV'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC', 'TJC'],
    accreditationExpires: '2028-06-30',
    plans: PDP_IDS,
    effective: '2020-07-01',
  },
  {
    key: 'H04',
    name: 'Little Egypt Home Infusion',
    county: '17077',
    place: 0,
    street: '405 W Main St',
    served: [...S_IL, '17077', '17199', '17165'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION'],
    nursing: false,
    supplies: false,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-11-30',
    assurances: [
      {
        entity: 'Southern Illinois Visiting Nurses',
        type: 'VNA',
        services: ['nursing', 'supplies', 'equipment'],
        counties: [...S_IL, '17077', '17165', '17199'].sort(),
        effective: '2025-01-01',
        expires: '2027-12-31',
      },
    ],
    plans: PDP_IDS,
    effective: '2023-01-01',
  },
  {
    key: 'H05',
    name: 'Rock River Infusion Care',
    county: '17201',
    place: 1,
    street: '5666 E State St',
    served: [...N_IL, '17111'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'INOTROPE'],
    nursing: false,
    supplies: true,
    accreditation: ['CHAP'],
    accreditationExpires: H05_ACCREDITATION_EXPIRES,
    assurances: [
      {
        entity: 'Rock Valley Home Health',
        type: 'HHA',
        services: ['nursing'],
        counties: '*',
        effective: '2024-03-01',
        expires: null,
      },
    ],
    plans: PDP_IDS,
    effective: '2022-06-01',
    note: `accreditation expires ${H05_ACCREDITATION_EXPIRES}, ${-daysBefore(H05_ACCREDITATION_EXPIRES)} days after the as-of date: within the ${POLICY.expiringWindowDays}-day "expiring soon" window (information, not a gap)`,
  },
  // ---- Champaign: GAP HI-ACUTE (no PN_TEMPORARY) ----
  {
    key: 'H06',
    name: 'Illini Infusion Pharmacy',
    county: '17019',
    place: 0,
    street: '1702 W Springfield Ave',
    served: ['17019', '17113', '17183'],
    classes: without('PN_TEMPORARY'),
    extra: ['HYDRATION'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-01-31',
    plans: PDP_IDS,
    effective: '2021-09-01',
  },
  {
    key: 'H07',
    name: 'Prairie Gardens Home Infusion',
    county: '17019',
    place: 1,
    street: '611 W Park St',
    served: ['17019', '17041', '17147'],
    classes: without('PN_TEMPORARY'),
    extra: ['ANTIEMETIC_IV'],
    nursing: true,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2027-08-31',
    plans: PDP_IDS,
    effective: '2022-02-01',
  },
  // ---- Indianapolis ----
  {
    key: 'H08',
    name: 'Circle City Home Infusion',
    county: '18097',
    place: 0,
    street: '1701 N Senate Blvd',
    served: [...INDY, '18105', ...SE_IN, ...W_IN],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'ANTIEMETIC_IV', 'INOTROPE', 'PAH_PROSTACYCLIN', 'IG_SUBQ_PID'],
    nursing: true,
    supplies: true,
    open24: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-02-29',
    plans: PDP_IDS,
    effective: '2020-01-01',
  },
  {
    key: 'H09',
    name: 'Hoosier Home Infusion',
    county: '18057',
    place: 0,
    street: '12188 N Meridian St, Suite 150',
    served: [...INDY, '18105', ...SE_IN, ...W_IN],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'BIOLOGIC_HOME'],
    nursing: false,
    supplies: false,
    accreditation: ['CHAP'],
    accreditationExpires: '2027-10-31',
    assurances: [
      {
        entity: 'Central Indiana Visiting Nurses',
        type: 'VNA',
        services: ['nursing'],
        counties: '*',
        effective: '2024-07-01',
        expires: '2027-06-30',
      },
      {
        entity: 'Crossroads Medical Supply',
        type: 'OTHER',
        services: ['supplies', 'equipment'],
        counties: '*',
        effective: '2024-07-01',
        expires: '2027-06-30',
      },
    ],
    plans: PDP_IDS,
    effective: '2021-04-01',
  },
  // ---- Fort Wayne: GAP HI-SINGLE-POINT (A1PI only from H10) ----
  {
    key: 'H10',
    name: 'Three Rivers Infusion',
    county: '18003',
    place: 0,
    street: '2200 Lake Ave',
    served: ['18003', '18141', '18033', '18183'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-12-31',
    plans: PDP_IDS,
    effective: '2022-01-01',
  },
  {
    key: 'H11',
    name: 'Summit City Infusion Pharmacy',
    county: '18003',
    place: 1,
    street: '7900 W Jefferson Blvd',
    served: ['18003', '18113', '18069'],
    classes: without('A1PI'),
    extra: ['HYDRATION', 'ANTIEMETIC_IV'],
    nursing: true,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2028-04-30',
    plans: PDP_IDS,
    effective: '2023-03-01',
  },
  {
    key: 'H12',
    name: 'Michiana Home Infusion',
    county: '18141',
    place: 0,
    street: '615 N Michigan St',
    served: ['18141', '18039', '18091'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-07-31',
    plans: PDP_IDS,
    effective: '2021-11-01',
  },
  // ---- Lafayette: GAP HI-CHRONIC (no A1PI in Tippecanoe) ----
  {
    key: 'H13',
    name: 'Wabash Valley Infusion',
    county: '18157',
    place: 0,
    street: '2400 Ferry St',
    served: ['18157', ...W_IN, '18015'],
    classes: without('A1PI'),
    extra: ['HYDRATION'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-05-31',
    plans: PDP_IDS,
    effective: '2022-08-01',
  },
  {
    key: 'H14',
    name: 'Harrison Point Infusion Services',
    county: '18157',
    place: 1,
    street: '1150 Sagamore Pkwy W',
    served: ['18157', '18181'],
    classes: without('A1PI'),
    nursing: true,
    supplies: true,
    accreditation: ['CHAP'],
    accreditationExpires: '2028-01-31',
    plans: PDP_IDS,
    effective: '2023-05-01',
  },
  // ---- Evansville, Cincinnati, north-west Indiana ----
  {
    key: 'H15',
    name: 'Tri-State Home Infusion',
    county: '18163',
    place: 0,
    street: '3700 Washington Ave',
    served: ['18163', '18129', '18173', '17047'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'INOTROPE'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-09-30',
    plans: PDP_IDS,
    effective: '2021-06-01',
  },
  {
    key: 'H16',
    name: 'River City Infusion Services',
    county: '18163',
    place: 1,
    street: '4500 Covert Ave',
    served: ['18163', '18173'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2028-03-31',
    plans: PDP_IDS,
    effective: '2022-10-01',
  },
  {
    key: 'H17',
    name: 'Queen City Infusion',
    county: '39061',
    place: 0,
    street: '4755 Lake Forest Dr',
    served: [...SE_IN, '18029', '39061', '39017'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'PAIN_PUMP'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-12-31',
    plans: PDP_IDS,
    effective: '2023-01-01',
  },
  {
    key: 'H18',
    name: 'Calumet Region Infusion',
    county: '18089',
    place: 0,
    street: '8300 Broadway',
    served: [...NW_IN, '18091'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION'],
    nursing: true,
    supplies: true,
    accreditation: ['CHAP'],
    accreditationExpires: '2028-05-31',
    plans: PDP_IDS,
    effective: '2022-04-01',
  },
  // ---- Detroit area (H3312-014) ----
  {
    key: 'H19',
    name: 'Great Lakes Infusion Services',
    county: '26125',
    place: 0,
    street: '26555 Evergreen Rd, Suite 400',
    served: DETROIT.slice(),
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'ANTIEMETIC_IV', 'ENZYME_REPLACEMENT', 'INOTROPE'],
    nursing: true,
    supplies: true,
    open24: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-02-29',
    plans: ['H3312-014'],
    effective: '2022-01-01',
  },
  {
    key: 'H20',
    name: 'Motor City Home Infusion',
    county: '26163',
    place: 0,
    street: '4201 Woodward Ave',
    served: DETROIT.slice(),
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION'],
    nursing: false,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2027-11-30',
    assurances: [
      {
        entity: 'Wayne County Visiting Nurse Service',
        type: 'VNA',
        services: ['nursing'],
        counties: '*',
        effective: '2025-01-01',
        expires: '2027-12-31',
      },
    ],
    plans: ['H3312-014'],
    effective: '2023-01-01',
  },
  {
    key: 'H21',
    name: 'Huron Valley Infusion Pharmacy',
    county: '26161',
    place: 0,
    street: '2850 S Industrial Hwy',
    served: ['26161', '26093', '26115', '26163', '26075'],
    classes: ALL_REQUIRED.slice(),
    extra: ['HYDRATION', 'BIOLOGIC_HOME'],
    nursing: true,
    supplies: true,
    accreditation: ['CHAP'],
    accreditationExpires: '2027-10-31',
    plans: ['H3312-014'],
    effective: '2024-01-01',
  },
  // ---- Chicago metro pharmacies with one deliberate defect each ----
  {
    key: 'F1',
    name: 'North Shore Infusion Partners',
    county: '17031',
    place: 4,
    street: '1000 Central St',
    served: ['17031', '17097'],
    classes: ['ABX_IV', 'IG_NONPID'],
    extra: ['HYDRATION'],
    unusable: ['IG_NONPID'],
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-01-31',
    plans: PDP_IDS,
    effective: '2023-02-01',
    note: 'GAP HI-USABLE: claims IG_NONPID with usable_form N (not dispensed ready to administer)',
  },
  {
    key: 'F2',
    name: 'Libertyville Apothecary & Infusion',
    county: '17097',
    place: 1,
    street: '1475 S Milwaukee Ave',
    served: ['17097', '17111'],
    classes: ['ABX_IV'],

    sterile: false,
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-06-30',
    plans: PDP_IDS,
    effective: '2024-05-01',
    note: 'GAP HI-USABLE: claims ABX_IV (needs sterile compounding) but sterile_compounding is N and usp797_category blank',
  },
  {
    key: 'F3',
    name: 'Joliet Infusion Pharmacy',
    county: '17197',
    place: 0,
    street: '330 N Madison St',
    served: ['17197', '17093', '17031'],
    classes: ALL_REQUIRED.slice(),
    nursing: false,
    supplies: false,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-02-29',
    plans: PDP_IDS,
    effective: '2023-08-01',
    note: 'GAP HI-ANCILLARY: drug-only (provides_nursing N, provides_supplies N) and no assurance on file',
  },
  {
    key: 'F4',
    name: 'Fox Valley Home Infusion',
    county: '17089',
    place: 0,
    street: '1200 N Lake St',
    served: ['17089', '17093', '17043'],
    classes: ALL_REQUIRED.slice(),
    nursing: false,
    supplies: true,
    accreditation: ['TJC'],
    accreditationExpires: '2027-12-31',
    assurances: [
      {
        entity: 'Fox Valley Visiting Nurses',
        type: 'VNA',
        services: ['nursing'],
        counties: '*',
        effective: '2024-07-01',
        expires: '2026-06-30',
      },
    ],
    plans: PDP_IDS,
    effective: '2022-07-01',
    note: 'GAP HI-ANCILLARY: its only assurance (nursing) expired 2026-06-30, before the as-of date',
  },
  {
    key: 'F5',
    name: 'West Suburban Infusion Services',
    county: '17043',
    place: 1,
    street: '1200 E Diehl Rd',
    served: ['17043', '17093', '17197'],
    classes: ALL_REQUIRED.slice(),
    nursing: false,
    supplies: false,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-03-31',
    assurances: [
      {
        entity: 'DuPage Home Health Partners',
        type: 'HHA',
        services: ['nursing', 'supplies'],
        counties: ['17043', '17197'],
        effective: '2025-02-01',
        expires: '2027-01-31',
      },
    ],
    plans: PDP_IDS,
    effective: '2023-01-01',
    note: 'GAP HI-ANCILLARY: serves Kendall (17093) but its assurance covers only DuPage (17043) and Will (17197)',
  },
  {
    key: 'F6',
    name: 'McHenry County Infusion',
    county: '17111',
    place: 0,
    street: '500 Coventry Ln',
    served: ['17111', '17097', '17089'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    delivers24: false,
    accreditation: ['CHAP'],
    accreditationExpires: '2027-09-30',
    plans: PDP_IDS,
    effective: '2022-11-01',
    note: 'GAP HI-DELIVERY-24H: delivers_within_24h N',
  },
  {
    key: 'F7',
    name: 'Lincoln Park Infusion Pharmacy',
    county: '17031',
    place: 3,
    street: '2520 N Lincoln Ave',
    served: ['17031'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    afterHours: false,
    accreditation: ['ACHC'],
    accreditationExpires: '2027-08-31',
    plans: PDP_IDS,
    effective: '2021-03-01',
    note: 'GAP HI-CONTACT: no after_hours_phone and open_24x7 N',
  },
  {
    key: 'F8',
    name: 'Skokie Home Infusion',
    county: '17031',
    place: 5,
    street: '9700 Gross Point Rd',
    served: ['17031', '17097'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2026-08-31',
    plans: PDP_IDS,
    effective: '2020-10-01',
    note: 'GAP HI-ACCREDITATION: ACHC accreditation expired 2026-08-31',
  },
  {
    key: 'F9',
    name: 'DuPage Infusion Solutions',
    county: '17043',
    place: 2,
    street: '2001 S Highland Ave',
    served: ['17043', '17031'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    accreditation: ['URAC'],
    accreditationExpires: '2027-05-31',
    plans: PDP_IDS,
    effective: '2024-02-01',
    note: "GAP HI-ACCREDITATION: accredited by URAC only (not among the policy's accepted accreditors ACHC, TJC, CHAP)",
  },
  // ---- not active on the as-of date, or not in the network: must NOT be flagged or counted ----
  {
    key: 'T1',
    name: 'Windy City Infusion',
    county: '17031',
    place: 2,
    street: '3000 N Halsted St',
    served: [...CHI],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2025-12-31',
    plans: PDP_IDS,
    effective: '2021-01-01',
    termination: '2026-06-30',
    note: 'terminated from both PDP networks on 2026-06-30: not active, so its expired accreditation must NOT be flagged and it must not count for coverage',
  },
  {
    key: 'T2',
    name: 'Northwest Suburban Infusion',
    county: '17031',
    place: 7,
    street: '1600 N Roselle Rd',
    served: ['17031', '17097', '17089'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    delivers24: false,
    accreditation: ['TJC'],
    accreditationExpires: '2028-01-31',
    plans: PDP_IDS,
    effective: '2026-12-01',
    note: 'network membership starts 2026-12-01, after the as-of date: its delivers_within_24h N must NOT be flagged yet',
  },
  {
    key: 'O1',
    name: 'Shawnee Hills Infusion',
    county: '17165',
    place: 0,
    street: '12 E Poplar St',
    served: ['17165', '17069', '17151', '17059'],
    classes: ALL_REQUIRED.slice(),
    nursing: true,
    supplies: true,
    accreditation: ['ACHC'],
    accreditationExpires: '2028-01-31',
    plans: [],
    effective: '2024-01-01',
    note: 'serves Hardin County but is in no Lakeshore network: Hardin stays uncovered',
  },
];

// ---- the generated (non home infusion) pharmacies ------------------------------------------

/** Location weights for ordinary pharmacies (county FIPS -> count). */
const RETAIL_COUNTS: Record<string, number> = {
  '17031': 26,
  '17043': 8,
  '17097': 6,
  '17197': 5,
  '17089': 5,
  '17111': 3,
  '17093': 2,
  '17201': 4,
  '17085': 1,
  '17019': 3,
  '17143': 3,
  '17113': 3,
  '17167': 4,
  '17003': 1,
  '17151': 1,
  '17047': 1,
  '17069': 1,
  '18097': 14,
  '18057': 5,
  '18063': 3,
  '18081': 3,
  '18011': 2,
  '18059': 2,
  '18109': 1,
  '18145': 1,
  '18089': 5,
  '18127': 3,
  '18003': 5,
  '18141': 4,
  '18163': 4,
  '18157': 3,
  '18105': 3,
  '18115': 1,
  '18155': 1,
  '18171': 1,
  '18007': 1,
  '26163': 9,
  '26125': 7,
  '26099': 5,
  '26161': 3,
  '26093': 2,
  '26115': 1,
  '26147': 1,
  '26151': 1,
};

// ---- coverage requests (hand-written; HI-TIMELY) -------------------------------------------

interface RequestSpec {
  row: Omit<CoverageRequestRow, 'member_id'>;
  note: string;
}

const REQUESTS: RequestSpec[] = [
  {
    row: {
      request_id: 'LHP-CD-26-0101',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'ABX_IV',
      drug_name: 'vancomycin',
      request_type: 'coverage_determination',
      expedited: 'Y',
      received_at: '2026-10-05T14:10:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-06T18:40:00Z',
      outcome: 'approved',
    },
    note: 'GAP late: expedited coverage determination decided after 28.5 hours (clock 24 hours, 42 CFR 423.572)',
  },
  {
    row: {
      request_id: 'LHP-RD-26-0102',
      contract_id: 'S4802',
      pbp_id: '003',
      drug_class: 'A1PI',
      drug_name: 'Prolastin-C',
      request_type: 'redetermination',
      expedited: 'N',
      received_at: '2026-09-14T15:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-09-23T16:30:00Z',
      outcome: 'denied',
    },
    note: 'GAP late: standard redetermination decided after 9 days 1.5 hours (clock 7 days, 423.590(a))',
  },
  {
    row: {
      request_id: 'LHP-EX-26-0103',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'IG_NONPID',
      drug_name: 'Privigen',
      request_type: 'exception',
      expedited: 'N',
      received_at: '2026-10-12T13:00:00Z',
      supporting_statement_at: '2026-10-14T20:00:00Z',
      decided_at: '2026-10-17T11:00:00Z',
      outcome: 'approved',
    },
    note: 'on time ONLY because the clock starts at the supporting statement: 63 hours after the statement (clock 72 hours), 118 hours after receipt',
  },
  {
    row: {
      request_id: 'LHP-RD-26-0104',
      contract_id: 'H3312',
      pbp_id: '014',
      drug_class: 'PN_TEMPORARY',
      drug_name: 'Clinimix E',
      request_type: 'redetermination',
      expedited: 'Y',
      received_at: '2026-10-27T16:00:00Z',
      supporting_statement_at: '',
      decided_at: '',
      outcome: 'pending',
    },
    note: 'GAP overdue: expedited redetermination received 2026-10-27, deadline 2026-10-30T16:00Z (72 hours, 423.590(d)), still undecided on the as-of date',
  },
  {
    row: {
      request_id: 'LHP-CD-26-0105',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'ABX_IV',
      drug_name: 'ertapenem',
      request_type: 'coverage_determination',
      expedited: 'Y',
      received_at: '2026-10-20T15:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-21T09:30:00Z',
      outcome: 'approved',
    },
    note: 'on time: expedited, 18.5 hours',
  },
  {
    row: {
      request_id: 'LHP-CD-26-0106',
      contract_id: 'S4802',
      pbp_id: '003',
      drug_class: 'ANTIFUNGAL_IV',
      drug_name: 'micafungin',
      request_type: 'coverage_determination',
      expedited: 'N',
      received_at: '2026-10-01T12:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-03T12:00:00Z',
      outcome: 'approved',
    },
    note: 'on time: standard, 48 hours of 72',
  },
  {
    row: {
      request_id: 'LHP-PY-26-0107',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'ABX_IV',
      drug_name: 'daptomycin',
      request_type: 'payment',
      expedited: 'N',
      received_at: '2026-09-01T14:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-09-10T17:00:00Z',
      outcome: 'approved',
    },
    note: 'on time: payment request, 9 days of 14 (423.568(c))',
  },
  {
    row: {
      request_id: 'LHP-RD-26-0108',
      contract_id: 'H3312',
      pbp_id: '014',
      drug_class: 'A1PI',
      drug_name: 'Zemaira',
      request_type: 'redetermination',
      expedited: 'N',
      received_at: '2026-10-06T13:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-12T19:00:00Z',
      outcome: 'approved',
    },
    note: 'on time: standard redetermination, 6 days 6 hours of 7 days',
  },
  {
    row: {
      request_id: 'LHP-CD-26-0109',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'ANTIVIRAL_IV',
      drug_name: 'acyclovir IV',
      request_type: 'coverage_determination',
      expedited: 'N',
      received_at: '2026-10-30T18:00:00Z',
      supporting_statement_at: '',
      decided_at: '',
      outcome: 'pending',
    },
    note: 'pending, not yet due: deadline 2026-11-02T18:00Z is after the as-of date',
  },
  {
    row: {
      request_id: 'LHP-CD-26-0110',
      contract_id: 'H3312',
      pbp_id: '014',
      drug_class: 'HYDRATION',
      drug_name: 'sodium chloride 0.9%',
      request_type: 'coverage_determination',
      expedited: 'Y',
      received_at: '2026-10-15T22:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-16T20:00:00Z',
      outcome: 'approved',
    },
    note: 'on time: expedited, 22 hours',
  },
  {
    row: {
      request_id: 'LHP-EX-26-0111',
      contract_id: 'S4802',
      pbp_id: '003',
      drug_class: 'A1PI',
      drug_name: 'Glassia',
      request_type: 'exception',
      expedited: 'Y',
      received_at: '2026-10-08T15:00:00Z',
      supporting_statement_at: '2026-10-08T21:00:00Z',
      decided_at: '2026-10-09T17:00:00Z',
      outcome: 'approved',
    },
    note: 'on time only from the supporting statement: expedited exception, 20 hours after the statement (clock 24), 26 hours after receipt',
  },
  {
    row: {
      request_id: 'LHP-CD-26-0112',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'ABX_IV',
      drug_name: 'cefazolin',
      request_type: 'coverage_determination',
      expedited: 'Y',
      received_at: '2026-10-28T14:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-28T20:00:00Z',
      outcome: 'denied',
    },
    note: 'on time: expedited, 6 hours (denied)',
  },
  {
    row: {
      request_id: 'LHP-RD-26-0113',
      contract_id: 'S4802',
      pbp_id: '001',
      drug_class: 'PN_TEMPORARY',
      drug_name: 'Kabiven',
      request_type: 'redetermination',
      expedited: 'Y',
      received_at: '2026-10-19T12:00:00Z',
      supporting_statement_at: '',
      decided_at: '2026-10-21T10:00:00Z',
      outcome: 'approved',
    },
    note: 'on time: expedited redetermination, 46 hours of 72',
  },
];

// ---- building ---------------------------------------------------------------------------------

export interface DemoResult {
  out: string;
  files: string[];
  pharmacies: number;
  hiPharmacies: number;
}

interface DemoData {
  pharmacies: PharmacyRow[];
  pdpNetwork: NetworkRow[];
  mapdNetwork: NetworkRow[];
  capabilities: CapabilityRow[];
  assurances: AssuranceRow[];
  pdpAreas: ServiceAreaRow[];
  mapdAreas: ServiceAreaRow[];
  requests: CoverageRequestRow[];
  npiByKey: Map<string, string>;
  counties: Map<string, County>;
}

function planKey(id: PlanId): { contract_id: string; pbp_id: string; segment_id: string } {
  const [contract, pbp] = id.split('-') as [string, string];
  return { contract_id: contract, pbp_id: pbp, segment_id: '000' };
}

function buildDemo(countiesPath: string): DemoData {
  const counties = new Map(readCounties(countiesPath).map((c) => [c.fips, c]));
  const county = (fips: string): County => {
    const c = counties.get(fips);
    if (!c) throw new Error(`demo county ${fips} is not in ${countiesPath}`);
    return c;
  };
  for (const f of [...PDP_AREA, ...MAPD_AREA, ...HI.flatMap((h) => [h.county, ...h.served])])
    county(f);

  const rng = Rng.derive(SEED, 'pharmacies');
  const npiPerm = new Permutation(100_000_000, Rng.derive(SEED, 'npi'));
  let npiSeq = 0;
  const nextNpi = (): string => npiFrom(rng.chance(0.5) ? 1 : 2, npiPerm.at(npiSeq++));
  const ncpdpNext = new Map<string, number>();
  const ncpdpPerm = new Permutation(100_000, Rng.derive(SEED, 'ncpdp'));
  const nextNcpdp = (state: string): string => {
    const n = ncpdpNext.get(state) ?? 0;
    ncpdpNext.set(state, n + 1);
    return ncpdpId(state, ncpdpPerm.at(n));
  };
  /** Fictional numbers: area code + 555-0100..0199, handed out in order per area code. */
  const phoneNext = new Map<string, number>();
  const phone = (area: string): string => {
    const n = phoneNext.get(area) ?? 0;
    if (n > 99) throw new Error(`demo: out of 555-01xx numbers in area code ${area}`);
    phoneNext.set(area, n + 1);
    return `${area}5550${100 + n}`;
  };
  const place = (fips: string, i: number): readonly [string, string, string] => {
    const list = PLACES[fips];
    const p = list?.[i];
    if (!p) throw new Error(`demo: no place ${i} for county ${fips}`);
    return p;
  };

  const pharmacies: PharmacyRow[] = [];
  const pdpNetwork: NetworkRow[] = [];
  const mapdNetwork: NetworkRow[] = [];
  const capabilities: CapabilityRow[] = [];
  const assurances: AssuranceRow[] = [];
  const npiByKey = new Map<string, string>();
  let docSeq = 0;

  const addMembership = (
    id: PlanId,
    npi: string,
    role: NetworkRole,
    effective: string,
    termination = '',
  ): void => {
    const row: NetworkRow = {
      ...planKey(id),
      npi,
      role,
      effective_date: effective,
      termination_date: termination,
    };
    (id === 'H3312-014' ? mapdNetwork : pdpNetwork).push(row);
  };

  // home infusion pharmacies
  for (const h of HI) {
    const npi = nextNpi();
    npiByKey.set(h.key, npi);
    const c = county(h.county);
    const [city, zip, area] = place(h.county, h.place);
    const sterile = h.sterile ?? true;
    const open24 = h.open24 ?? false;
    pharmacies.push({
      npi,
      ncpdp_id: nextNcpdp(c.state),
      name: h.name,
      address: h.street,
      city,
      state: c.state,
      zip,
      county_fips: h.county,
      phone: phone(area),
      after_hours_phone: open24 || h.afterHours === false ? '' : phone(area),
      service_type: '03',
      taxonomy: sterile ? '3336H0001X|3336C0004X' : '3336H0001X',
      sterile_compounding: yn(sterile),
      usp797_category: sterile ? String(h.usp ?? 2) : '',
      provides_nursing: yn(h.nursing),
      provides_supplies: yn(h.supplies),
      delivers_within_24h: yn(h.delivers24 ?? true),
      open_24x7: yn(open24),
      counties_served: [...new Set([h.county, ...h.served])].sort().join('|'),
      accreditation: h.accreditation.join('|'),
      accreditation_expires: h.accreditationExpires,
      itu: '',
    });
    for (const id of h.plans)
      addMembership(id, npi, 'home_infusion', h.effective, h.termination ?? '');
    for (const code of [...h.classes, ...(h.extra ?? [])]) {
      const unusable = h.unusable?.includes(code) ?? false;
      capabilities.push({
        npi,
        drug_class: code,
        usable_form: yn(!unusable),
        notes: unusable
          ? 'supplied as lyophilized powder for nurse reconstitution in the home; not ready to administer'
          : '',
      });
    }
    for (const a of h.assurances ?? []) {
      docSeq++;
      assurances.push({
        npi,
        entity_name: a.entity,
        entity_type: a.type,
        entity_npi: nextNpi(),
        services: a.services.join('|'),
        counties: a.counties === '*' ? '*' : a.counties.join('|'),
        effective_date: a.effective,
        expiration_date: a.expires ?? '',
        document_ref: `LHP-ASR-${a.effective.slice(0, 4)}-${String(docSeq).padStart(3, '0')}`,
      });
    }
  }

  // ordinary pharmacies: retail, LTC, specialty, two mail-order
  const kinds: { type: ServiceType; weight: number }[] = [
    { type: '01', weight: 84 },
    { type: '05', weight: 8 },
    { type: '08', weight: 8 },
  ];
  const entries = Object.entries(RETAIL_COUNTS);
  const slots: string[] = entries.flatMap(([fips, n]) => Array.from({ length: n }, () => fips));
  slots.push('17031', '18057'); // the two mail-order pharmacies, last
  const chainSeq = new Map<string, number>();
  for (let i = 0; i < slots.length; i++) {
    const fips = slots[i]!;
    const isMail = i >= slots.length - 2;
    const type: ServiceType = isMail ? '06' : kinds[rng.weighted(kinds.map((k) => k.weight))]!.type;
    const c = county(fips);
    const places = PLACES[fips]!;
    const [city, zip, area] = rng.pick(places);
    const npi = nextNpi();
    let name: string;
    if (type === '06') name = `Lakeshore ${rng.pick(MAIL_NAMES)}`;
    else if (type === '08') name = `${city} ${rng.pick(SPECIALTY_NAMES)}`;
    else if (type === '05') name = `${c.name} County ${rng.pick(LTC_NAMES)}`;
    else if (rng.chance(0.65)) {
      const chain = rng.pick(RETAIL_CHAINS);
      const n = (chainSeq.get(chain) ?? 100 + rng.int(0, 50)) + rng.int(1, 40);
      chainSeq.set(chain, n);
      name = `${chain} #${n}`;
    } else name = `${city} ${rng.pick(['Pharmacy', 'Drug', 'Family Pharmacy', 'Apothecary'])}`;
    const open24 = type === '05' ? rng.chance(0.5) : rng.chance(0.05);
    const accredited = type === '08' || type === '06';
    pharmacies.push({
      npi,
      ncpdp_id: nextNcpdp(c.state),
      name,
      address: `${rng.int(100, 9899)} ${rng.pick(['N', 'S', 'E', 'W'])} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`,
      city,
      state: c.state,
      zip,
      county_fips: fips,
      phone: phone(area),
      after_hours_phone: type === '05' && !open24 ? phone(area) : '',
      service_type: type,
      taxonomy:
        type === '08'
          ? '3336S0011X'
          : type === '01'
            ? rng.chance(0.5)
              ? '3336C0003X'
              : '333600000X|3336C0003X'
            : '333600000X',
      sterile_compounding: 'N',
      usp797_category: '',
      provides_nursing: 'N',
      provides_supplies: 'N',
      delivers_within_24h: yn(type !== '01'),
      open_24x7: yn(open24),
      counties_served: '',
      accreditation: accredited ? (type === '08' ? 'URAC' : 'NABP') : '',
      accreditation_expires: accredited ? addDays(DEMO_AS_OF, rng.int(120, 900)) : '',
      itu: '',
    });
    const role: NetworkRole =
      type === '06' ? 'mail' : type === '05' ? 'ltc' : type === '08' ? 'specialty' : 'retail';
    const effective = addDays(DEMO_AS_OF, -rng.int(60, 2400));
    const terminated = rng.chance(0.04) ? addDays(DEMO_AS_OF, -rng.int(10, 300)) : '';
    const ids: PlanId[] = isMail
      ? ['S4802-001', 'S4802-003', 'H3312-014']
      : c.state === 'MI'
        ? ['H3312-014']
        : rng.chance(0.85)
          ? PDP_IDS
          : ['S4802-001'];
    for (const id of ids) addMembership(id, npi, role, effective, terminated);
    if (type === '08' && fips === '18157' && !npiByKey.has('S1')) {
      // a specialty pharmacy in Tippecanoe dispensing A1PI ready to use, in the specialty role only
      npiByKey.set('S1', npi);
      capabilities.push({
        npi,
        drug_class: 'A1PI',
        usable_form: 'Y',
        notes: 'specialty dispensing; infused in clinic',
      });
    }
  }
  if (!npiByKey.has('S1')) {
    throw new Error(
      'demo: expected a specialty pharmacy in Tippecanoe County (change the seed or counts)',
    );
  }

  const area = (id: PlanId, fipsList: readonly string[]): ServiceAreaRow[] =>
    [...fipsList].sort().map((f) => ({ ...planKey(id), county_fips: f }));
  const pdpAreas = [...area('S4802-001', PDP_AREA), ...area('S4802-003', PDP_AREA)];
  const mapdAreas = [
    ...area('H3312-014', MAPD_AREA),
    // GAP HI-DIRECTIONS: a service area filed for H3312-015, which has no plan record
    { contract_id: 'H3312', pbp_id: '015', segment_id: '000', county_fips: '26163' },
  ];

  const reqRng = Rng.derive(SEED, 'requests');
  const requests: CoverageRequestRow[] = REQUESTS.map((r) => ({
    ...r.row,
    member_id: `LHP${reqRng.digits(8)}`,
  }));

  return {
    pharmacies,
    pdpNetwork,
    mapdNetwork,
    capabilities,
    assurances,
    pdpAreas,
    mapdAreas,
    requests,
    npiByKey,
    counties,
  };
}

/**
 * The exceptions register: one exception in force for a documented gap (Hardin County, PBP 001
 * only, expiring within the 60-day window) and one that expired before the as-of date.
 */
type ExceptionRow = Record<(typeof EXCEPTION_COLUMNS)[number], string>;

function exceptionRows(d: DemoData): ExceptionRow[] {
  return [
    {
      rule_id: 'HI-ACCESS',
      contract_id: 'S4802',
      pbp_id: '001',
      county_fips: '17069',
      drug_class: '',
      npi: '',
      rationale:
        'Hardin County members are referred to Shawnee Hills Infusion under a single-case agreement while it is credentialed',
      approved_by: 'M. Alvarez (Chief Compliance Officer)',
      approved_on: '2026-09-15',
      expires_on: '2026-12-31',
    },
    {
      rule_id: 'HI-CONTACT',
      contract_id: 'S4802',
      pbp_id: '',
      county_fips: '',
      drug_class: '',
      npi: d.npiByKey.get('F7')!,
      rationale: 'After-hours line being set up; members use the plan nurse line meanwhile',
      approved_by: 'M. Alvarez (Chief Compliance Officer)',
      approved_on: '2026-03-01',
      expires_on: '2026-09-30',
    },
  ];
}

function csvText<C extends string>(
  columns: readonly C[],
  rows: readonly Readonly<Record<C, string>>[],
): string {
  return formatCsv([[...columns], ...rows.map((r) => columns.map((c) => r[c]))]);
}

/** A county of Illinois outside the S4802 service area: Adams (members there are a defect). */
const OUTSIDE_AREA = '17001';
/** The S4802-001 members enrollment.csv places there. */
const OUTSIDE_AREA_MEMBERS = 12;

/**
 * enrollment.csv: S4802-001 and -003 by ZIP (every ZIP of the reference whose main county is in
 * the service area, members drawn from a seeded PRNG), H3312-014 by county (the county-only
 * format). H3312-015 has none (ENROLL-DATA), and S4802-001 counts members in Adams County,
 * outside its service area (ENROLL-DATA).
 */
function enrollmentRows(): Record<(typeof ENROLLMENT_COLUMNS)[number], string>[] {
  const rng = Rng.derive('lakeshore-demo', 'enrollment');
  const area = new Set(PDP_AREA);
  const zips = [...loadZipReference().values()]
    .filter((z) => z.countyFips !== null && area.has(z.countyFips))
    .map((z) => z.zip)
    .sort();
  const rows: Record<(typeof ENROLLMENT_COLUMNS)[number], string>[] = [];
  for (const [pbp, scale] of [
    ['001', 60],
    ['003', 25],
  ] as const) {
    for (const zip of zips) {
      rows.push({
        contract_id: 'S4802',
        pbp_id: pbp,
        segment_id: '000',
        zip,
        county_fips: '',
        members: String(rng.int(0, scale)),
      });
    }
  }
  rows.push({
    contract_id: 'S4802',
    pbp_id: '001',
    segment_id: '000',
    zip: '',
    county_fips: OUTSIDE_AREA,
    members: String(OUTSIDE_AREA_MEMBERS),
  });
  for (const fips of MAPD_AREA) {
    rows.push({
      contract_id: 'H3312',
      pbp_id: '014',
      segment_id: '000',
      zip: '',
      county_fips: fips,
      members: String(rng.int(150, 2400)),
    });
  }
  return rows;
}

/** Builds the demo and writes it into `out` (data/demo by default in scripts/make-demo.ts). */
export async function makeDemo(
  out: string,
  countiesPath: string = COUNTIES_PATH,
): Promise<DemoResult> {
  const d = buildDemo(countiesPath);
  mkdirSync(out, { recursive: true });
  const rosters: [string, string][] = [
    ['pharmacies.csv', csvText(PHARMACY_COLUMNS, d.pharmacies)],
    ['network.csv', csvText(NETWORK_COLUMNS, d.pdpNetwork)],
    ['capabilities.csv', csvText(CAPABILITY_COLUMNS, d.capabilities)],
    ['assurances.csv', csvText(ASSURANCE_COLUMNS, d.assurances)],
    ['plans.csv', csvText(PLAN_COLUMNS, PDP_PLANS)],
    ['service_areas.csv', csvText(SERVICE_AREA_COLUMNS, d.pdpAreas)],
    ['coverage_requests.csv', csvText(COVERAGE_REQUEST_COLUMNS, d.requests)],
    ['exceptions.csv', csvText(EXCEPTION_COLUMNS, exceptionRows(d))],
    ['enrollment.csv', csvText(ENROLLMENT_COLUMNS, enrollmentRows())],
  ];
  for (const [name, text] of rosters) writeFileSync(join(out, name), text, 'utf8');
  await writeWorkbook(join(out, DEMO_WORKBOOK), d);
  // The README's figures: what the real import and audit find in the files just written.
  const csvFiles = rosters.map(([n]) => join(out, n));
  const audit = await auditDemo({
    rosters: [...csvFiles, join(out, DEMO_WORKBOOK)],
    staleImports: [
      [[join(out, 'pharmacies.csv'), join(out, DEMO_WORKBOOK)], STALE_IMPORT_AS_OF],
      [csvFiles, DEMO_AS_OF],
    ],
    asOf: DEMO_AS_OF,
    policy: POLICY,
  });
  writeFileSync(join(out, 'README.md'), readme(d, audit), 'utf8');
  return {
    out,
    files: [...rosters.map(([n]) => n), 'README.md', DEMO_WORKBOOK],
    pharmacies: d.pharmacies.length,
    hiPharmacies: HI.length,
  };
}

// ---- the MA-PD workbook ---------------------------------------------------------------------

const FIXED_DOC_DATE = new Date(Date.UTC(2026, 9, 15, 12, 0, 0));
const DATE_COLUMNS = new Set(['effective_date', 'termination_date', 'directions_reviewed_on']);

function dateCell(iso: string): Date | null {
  if (iso === '') return null;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

async function writeWorkbook(path: string, d: DemoData): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lakeshore Health Plans (synthetic demo)';
  wb.lastModifiedBy = 'infusion-audit make-demo';
  wb.created = FIXED_DOC_DATE;
  wb.modified = FIXED_DOC_DATE;
  const sheet = <C extends string>(
    name: string,
    columns: readonly C[],
    rows: readonly Readonly<Record<C, string>>[],
  ): void => {
    const ws = wb.addWorksheet(name);
    ws.columns = columns.map((c) => ({
      header: c,
      key: c,
      width: DATE_COLUMNS.has(c) ? 14 : Math.min(60, Math.max(10, c.length + 2)),
      ...(DATE_COLUMNS.has(c) ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
    }));
    for (const r of rows) {
      const values: (string | Date | null)[] = columns.map((c) =>
        DATE_COLUMNS.has(c) ? dateCell(r[c]) : r[c] === '' ? null : r[c],
      );
      ws.addRow(values);
    }
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  sheet('plans', PLAN_COLUMNS, [MAPD_PLAN]);
  sheet('service_areas', SERVICE_AREA_COLUMNS, d.mapdAreas);
  sheet('network', NETWORK_COLUMNS, d.mapdNetwork);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(path, fixZipTimestamps(buffer));
}

/**
 * exceljs stamps every zip entry with the current time; set the DOS time/date of each entry
 * (central directory and local header) to 2026-10-15 12:00 so the workbook's bytes are stable.
 */
export function fixZipTimestamps(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const dosTime = (12 << 11) | (0 << 5) | 0;
  const dosDate = ((2026 - 1980) << 9) | (10 << 5) | 15;
  for (const entry of readZipDirectory(out)) {
    out.writeUInt16LE(dosTime, entry.centralHeaderOffset + 12);
    out.writeUInt16LE(dosDate, entry.centralHeaderOffset + 14);
    if (out.readUInt32LE(entry.localHeaderOffset) !== 0x04034b50) {
      throw new Error('bad zip local header');
    }
    out.writeUInt16LE(dosTime, entry.localHeaderOffset + 10);
    out.writeUInt16LE(dosDate, entry.localHeaderOffset + 12);
  }
  return out;
}

// ---- README -----------------------------------------------------------------------------------

/** Rules whose findings the README counts apart from the table of deliberate gaps. */
const APART_FROM_TABLE = ['EXPIRING-SOON', 'HI-DISTANCE', 'RETAIL-ACCESS', 'ITU-ACCESS'] as const;

/** Findings of `rule` in a demo audit (0 when none). */
const ruleCount = (o: AuditOutcome, rule: string): number => o.counts.byRule[rule] ?? 0;

/** The findings the table of deliberate gaps accounts for. */
const tabledCount = (o: AuditOutcome): number =>
  APART_FROM_TABLE.reduce((n, rule) => n - ruleCount(o, rule), o.counts.total);

/** What a request's note says the engine decides ('GAP late: ...' -> late). */
function expectedVerdict(note: string): RequestTimeliness['verdict'] {
  const m = /^(?:GAP )?(late|overdue|on time|pending)\b/.exec(note);
  if (!m) throw new Error(`demo: request note states no verdict: ${note}`);
  return m[1] === 'on time' ? 'on_time' : (m[1] as RequestTimeliness['verdict']);
}

/**
 * What the README claims of the audit but does not count: every rule with findings is in the gaps
 * table (or counted apart from it), DATA-STALE needs the stale import sequence, each request is
 * decided as its note says. A broken claim stops the script instead of writing a wrong README.
 */
function checkClaims(audit: DemoAudit, gapsTable: string): void {
  for (const [rule, n] of Object.entries(audit.plain.counts.byRule)) {
    const apart = (APART_FROM_TABLE as readonly string[]).includes(rule);
    if (n > 0 && !apart && !gapsTable.includes(rule)) {
      throw new Error(`demo: the audit finds ${n} ${rule} findings the README's table omits`);
    }
  }
  if (ruleCount(audit.plain, 'DATA-STALE') !== 0 || ruleCount(audit.stale, 'DATA-STALE') === 0) {
    throw new Error('demo: DATA-STALE must flag the stale import sequence only');
  }
  const verdicts = new Map(audit.plain.timeliness.map((t) => [t.requestId, t.verdict]));
  for (const r of REQUESTS) {
    const got = verdicts.get(r.row.request_id);
    if (got !== expectedVerdict(r.note)) {
      throw new Error(`demo: ${r.row.request_id} is ${got ?? 'not assessed'}, its note: ${r.note}`);
    }
  }
}

function readme(d: DemoData, audit: DemoAudit): string {
  const npi = (key: string): string => d.npiByKey.get(key)!;
  const spec = (key: string): HiSpec => HI.find((h) => h.key === key)!;
  const cn = (fips: string): string => {
    const c = d.counties.get(fips)!;
    return `${c.name} County, ${c.state} (${fips})`;
  };
  const ph = (key: string): string => `${spec(key).name} (NPI ${npi(key)})`;
  const reviewed003 = PDP_PLANS.find((r) => r.pbp_id === '003')!.directions_reviewed_on;
  const [hardinException, contactException] = exceptionRows(d) as [ExceptionRow, ExceptionRow];
  const { plain, stale } = audit;
  const lines: string[] = [];
  const p = (s = ''): void => {
    lines.push(s);
  };
  p('# Demo roster set: Lakeshore Health Plans (synthetic)');
  p();
  p(
    'Generated by `npx tsx scripts/make-demo.ts` (scripts/demo/demo.ts); do not edit by hand, rerun the',
  );
  p(
    'script. Every name, NPI, NCPDP id, phone number (555-01xx, reserved for fiction) and member id is',
  );
  p(
    'invented; the counties, cities and ZIP codes are real places. Rosters are dated **2026-11-01**; audit',
  );
  p('the demo as of that date (`npm run demo`).');
  p();
  p('## The sponsor');
  p();
  p('| Plan | Type | Service area | Where the rows are |');
  p('|---|---|---|---|');
  p(
    `| S4802-001-000 Lakeshore Rx Value (PDP) | PDP | ${PDP_AREA.length} counties: ${PDP_AREA.filter((f) => f.startsWith('17')).length} in Illinois (Chicago area, Rockford, Champaign, Peoria, Bloomington, Springfield, southern rural) and ${PDP_AREA.filter((f) => f.startsWith('18')).length} in Indiana (Indianapolis area, north-west Indiana, Fort Wayne, South Bend, Evansville, Lafayette, Bloomington, rural) | plans.csv, service_areas.csv, network.csv |`,
  );
  p(
    '| S4802-003-000 Lakeshore Rx Premier (PDP) | PDP | the same counties | plans.csv, service_areas.csv, network.csv |',
  );
  p(
    `| H3312-014-000 Lakeshore Advantage Complete (HMO) | MA-PD | ${MAPD_AREA.length} south-east Michigan counties (Detroit area and Sanilac) | ${DEMO_WORKBOOK}: sheets plans, service_areas, network (dates are Excel date cells) |`,
  );
  p();
  p(
    `Shared by all plans: pharmacies.csv (${d.pharmacies.length} pharmacies, ${HI.length} of them home infusion, service type 03; the rest retail, long-term care, specialty and two mail-order), capabilities.csv, assurances.csv, coverage_requests.csv. Each row appears in exactly one file.`,
  );
  p();
  p(
    "Required classes are the catalog's Part D-required ones: ABX_IV, ANTIFUNGAL_IV, ANTIVIRAL_IV, PN_TEMPORARY (acute), A1PI, IG_NONPID (chronic). Every service-area county not listed below is served, for every required class, by at least two clean in-network home infusion pharmacies, so the gaps below are the only coverage findings expected.",
  );
  p();
  p('## Deliberate gaps, by rule');
  p();
  const tableStart = lines.length;
  p('| Rule | Gap | Plan(s) | County / pharmacy / request |');
  p('|---|---|---|---|');
  p(
    `| HI-ACCESS | service-area county with no in-network HI pharmacy serving it | S4802-001, S4802-003 | ${cn('17069')}. ${ph('O1')} serves it but is in no Lakeshore network. |`,
  );
  p(`| HI-ACCESS | same | H3312-014 | ${cn('26151')} |`);
  p(
    `| HI-ACUTE | county lacking PN_TEMPORARY | S4802-001, S4802-003 | ${cn('17019')}: served only by ${ph('H06')} and ${ph('H07')}, neither offers PN_TEMPORARY |`,
  );
  p(
    `| HI-CHRONIC | county lacking A1PI | S4802-001, S4802-003 | ${cn('18157')}: served by ${ph('H13')} and ${ph('H14')}, neither offers A1PI. The specialty pharmacy NPI ${npi('S1')} in the same county lists A1PI but is in the network only in the specialty role: it must not count. |`,
  );
  p(`| HI-USABLE | class claimed with usable_form N | S4802 | ${ph('F1')}: IG_NONPID |`);
  p(
    `| HI-USABLE | compounding class without sterile compounding | S4802 | ${ph('F2')}: ABX_IV (needs sterile compounding) with sterile_compounding N and no USP <797> category |`,
  );
  p(`| HI-ANCILLARY | drug-only pharmacy with no assurance | S4802 | ${ph('F3')} |`);
  p(
    `| HI-ANCILLARY | assurance expired before the as-of date | S4802 | ${ph('F4')}: nursing assurance expired ${spec('F4').assurances![0]!.expires!} |`,
  );
  p(
    `| HI-ANCILLARY | assurance does not cover a county served | S4802 | ${ph('F5')}: serves ${cn('17093')}, assurance lists only 17043 and 17197 |`,
  );
  p(`| HI-DELIVERY-24H | delivers_within_24h N | S4802 | ${ph('F6')} |`);
  p(
    `| HI-DIRECTIONS | directions reviewed more than ${POLICY.directionsMaxAgeDays} days ago | S4802-003 | reviewed ${reviewed003} (${daysBefore(reviewed003)} days before ${DEMO_AS_OF}) |`,
  );
  p(
    `| HI-DIRECTIONS | service area of a plan with no plan record | H3312-015-000 | ${DEMO_WORKBOOK}, sheet service_areas: ${cn('26163')}. Because 015 has no network rows either, the coverage rules also report Wayne County for 015 (HI-ACCESS, HI-ACUTE, HI-CHRONIC) and DATA-COMPLETE (critical) reports that it has no plan record and that no network roster was imported for it. |`,
  );
  p(`| HI-CONTACT | no after-hours phone and not open 24x7 | S4802 | ${ph('F7')} |`);
  p(
    `| HI-ACCREDITATION | accreditation expired | S4802 | ${ph('F8')}: ${spec('F8').accreditation.join(', ')} expired ${spec('F8').accreditationExpires} |`,
  );
  p(
    `| HI-ACCREDITATION | URAC only (not an accepted accreditor by default) | S4802 | ${ph('F9')} |`,
  );
  p(
    `| HI-SINGLE-POINT | county x class covered by exactly one pharmacy | S4802-001, S4802-003 | ${cn('18003')} x A1PI: only ${ph('H10')}; ${ph('H11')} serves the county without A1PI |`,
  );
  for (const r of REQUESTS.filter((x) => x.note.startsWith('GAP'))) {
    p(
      `| HI-TIMELY | ${r.note.replace(/^GAP /, '')} | ${r.row.contract_id}-${r.row.pbp_id} | ${r.row.request_id} |`,
    );
  }
  p(
    `| ENROLL-DATA | members living outside the service area | S4802-001 | enrollment.csv: ${OUTSIDE_AREA_MEMBERS} members in ${cn(OUTSIDE_AREA)} |`,
  );
  p(
    '| ENROLL-DATA | plan in scope with no enrollment rows | H3312-015-000 | its members affected read "not computed (no enrollment rows for this plan)" |',
  );
  p('| DATA-STALE | see below | H3312-014 | |');
  checkClaims(audit, lines.slice(tableStart).join('\n'));
  p();
  p(
    `Side effects to expect: a county with no home infusion pharmacy (Hardin; Sanilac; Wayne for H3312-015) lacks every required class too, so HI-ACUTE and HI-CHRONIC report it once per class; pharmacy findings are per plan, so each S4802 pharmacy gap appears for 001 and for 003. Computed by the script with the import and audit of \`npm run demo\` (data/demo-policy.json) as of ${DEMO_AS_OF}: ${tabledCount(stale)} findings with the DATA-STALE import below (${tabledCount(plain)} without it), none outside this table, plus the ${ruleCount(plain, 'EXPIRING-SOON')} EXPIRING-SOON items below. The distance rule (${ruleCount(plain, 'HI-DISTANCE')} HI-DISTANCE findings), RETAIL-ACCESS (${ruleCount(plain, 'RETAIL-ACCESS')}) and ITU-ACCESS (${ruleCount(plain, 'ITU-ACCESS')}) come on top of these (next paragraph).`,
  );
  p();
  const { maxMiles, minShare } = POLICY.distance;
  p(
    `Distance to care (HI-DISTANCE, needs enrollment.csv; policy: ${Math.round(minShare * 100)} % of members within ${maxMiles} miles): gap counties are not reported again (they are the coverage findings above, with their members affected), and counties whose members live farther than ${maxMiles} miles from every eligible pharmacy that serves them are reported below the share (belowShare). The Distance sheet lists every plan x county x class. The retail convenient-access standard (RETAIL-ACCESS, 42 CFR 423.120(a)(1)) needs the urban / suburban / rural class of each member ZIP, which the sponsor supplies (policy \`retailAccess.zipClassesFile\`); the demo has no such file, so the Retail access sheet says NOT EVALUATED and RETAIL-ACCESS reports each plan and State as not judged (information). I/T/U access (ITU-ACCESS, 42 CFR 423.120(a)(6)) needs the pharmacy roster's \`itu\` column; the demo leaves it blank, so ITU-ACCESS says once that it is not evaluated (information). The verdict covers the other rules.`,
  );
  p();
  p('## Enrollment and members affected');
  p();
  p(
    `enrollment.csv gives the members of S4802-001 and S4802-003 by ZIP (every ZIP whose main county is in the service area, per data/zips.csv) and of H3312-014 by county (the county-only format). Every coverage gap above therefore says how many members it touches: the gap counties ${cn('17069')}, ${cn('17019')}, ${cn('18157')} and ${cn('26151')} all have members, the Summary's Plans table gives each plan's members and members affected, the Coverage sheet a Members column, and the maps a second, members-affected map per plan. Recruitment candidates rank by the members living where they would close a gap.`,
  );
  p();
  p('## Exceptions register and expiring evidence');
  p();
  p(
    `exceptions.csv holds two exceptions. ${hardinException.rule_id} for ${hardinException.contract_id}-${hardinException.pbp_id} in ${cn(hardinException.county_fips)}, approved ${hardinException.approved_on}, in force until ${hardinException.expires_on}: that finding is reported as EXCEPTED (it does not count toward the verdict; the same gap for S4802-003 still counts). ${contactException.rule_id} for ${ph('F7')}, which expired on ${contactException.expires_on}: its findings count again and say that their exception expired.`,
  );
  p();
  p(
    `EXPIRING-SOON (information) reports the accreditation of ${ph('H05')} (${H05_ACCREDITATION_EXPIRES}, ${-daysBefore(H05_ACCREDITATION_EXPIRES)} days; once per S4802 plan) and the Hardin County exception (${hardinException.expires_on}, ${-daysBefore(hardinException.expires_on)} days). ${ph('O1')}, in no Lakeshore network, is the recruitment candidate that would close the Hardin County gaps.`,
  );
  p();
  p('## HI-TIMELY: all coverage requests');
  p();
  p(
    'Clocks per shared/domain/REFERENCE.md section 4; times are UTC. As-of 2026-11-01 is the day US daylight time ends.',
  );
  p();
  p('| Request | Plan | Type | Expedited | Expected |');
  p('|---|---|---|---|---|');
  for (const r of REQUESTS) {
    p(
      `| ${r.row.request_id} | ${r.row.contract_id}-${r.row.pbp_id} | ${r.row.request_type} | ${r.row.expedited} | ${r.note.replace(/^GAP /, '**')}${r.note.startsWith('GAP') ? '**' : ''} |`,
    );
  }
  p();
  p('## DATA-STALE');
  p();
  p(
    `The roster files carry no as-of column: an import's as-of date comes from the \`import\` command (\`--as-of\`), so staleness cannot arise from the files alone when the whole folder is imported with one date (\`npm run demo\` gives no DATA-STALE finding). To see it, import the MA-PD workbook (with the pharmacies its network rows refer to) with an older date first, then the CSV files, and audit as of ${DEMO_AS_OF}:`,
  );
  p();
  p('```');
  p(
    `infusion-audit import data/demo/pharmacies.csv data/demo/${DEMO_WORKBOOK} --as-of ${STALE_IMPORT_AS_OF}`,
  );
  p(`infusion-audit import data/demo/*.csv --as-of ${DEMO_AS_OF}`);
  p(`infusion-audit audit --as-of ${DEMO_AS_OF}`);
  p('```');
  p();
  p(
    `The second import leaves the workbook out (network.csv lists the S4802 plans only and ends nothing of H3312-014), so H3312-014's latest network roster stays dated ${STALE_IMPORT_AS_OF}: ${daysBefore(STALE_IMPORT_AS_OF)} days before the as-of date (policy: at most ${POLICY.staleRosterDays} days), and DATA-STALE flags H3312-014. The S4802 network roster is dated ${DEMO_AS_OF} and is current. Importing the whole folder the second time would not do: the workbook's network sheet would be read again with network.csv, as one network snapshot dated ${DEMO_AS_OF}.`,
  );
  p();
  p('## Rows that must NOT produce findings');
  p();
  for (const key of ['T1', 'T2', 'H05']) p(`- ${ph(key)}: ${spec(key).note!}.`);
  p(
    '- About 4% of the ordinary (retail, LTC, specialty) memberships were terminated before the as-of date; they are outside the home infusion rules anyway.',
  );
  p();
  p('## Home infusion pharmacies');
  p();
  p('| Key | Pharmacy | NPI | Located | Plans | Note |');
  p('|---|---|---|---|---|---|');
  for (const h of HI) {
    const plans = h.plans.length === 0 ? 'none' : h.plans.join(', ');
    p(
      `| ${h.key} | ${h.name} | ${npi(h.key)} | ${cn(h.county)} | ${plans}${h.termination ? ` (terminated ${h.termination})` : ''}${h.effective > DEMO_AS_OF ? ` (from ${h.effective})` : ''} | ${h.note ?? ''} |`,
    );
  }
  p();
  return lines.join('\n');
}
