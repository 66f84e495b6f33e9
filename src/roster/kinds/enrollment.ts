/**
 * Enrollment roster: members of a plan by ZIP of residence and/or county. The ZIP and county are
 * checked against each other and the ZIP reference by the record builder (build, below).
 */
import { type Enrollment } from '../../domain/types.js';
import { lookupZip } from '../../geo/zips.js';
import type * as Rows from '../../db/row-types.js';
import { checked, dates } from '../../db/roster-tables.js';
import {
  canonicalCountyFips,
  canonicalMemberCount,
  canonicalZip,
  FIPS_STATE,
  optional,
  parseCountyFips,
  parseMemberCount,
  parseZip,
} from '../validate.js';
import {
  col,
  issueValue,
  type FieldContext,
  type RosterKindModule,
  rowBuilder,
  type RowRules,
} from './kind.js';
import { contractId, pbpId, segmentId, orBlank } from './columns.js';

/** The state of the row's county_fips (its first 2 digits), for restoring a ZIP's lost zeros. */
function stateOfCounty(ctx: FieldContext): string | null {
  const r = parseCountyFips(ctx.record['county_fips']);
  return r.ok ? (FIPS_STATE[r.value.slice(0, 2)] ?? null) : null;
}

const COLUMNS = {
  contract_id: contractId,
  pbp_id: pbpId,
  segment_id: segmentId,
  zip: col({
    required: false,
    aliases: [
      'Member ZIP',
      'Member ZIP Code',
      'Member Zipcode',
      'Residence ZIP',
      'Zip Code',
      'Zipcode',
      'ZIP5',
      'Postal Code',
    ],
    format:
      '5 digits or ZIP+4 (12345-6789), stored as 5 digits; blank when county_fips is given (one of the two is required)',
    parse: (v, ctx) => optional(v, (x) => parseZip(x, stateOfCounty(ctx)), null),
    canonical: orBlank(canonicalZip, null),
  }),
  county_fips: col({
    required: false,
    aliases: [
      'County FIPS',
      'FIPS',
      'County Code',
      'FIPS County',
      'County FIPS Code',
      'Member County FIPS',
    ],
    format:
      "5-digit county FIPS code, one of the ZIP's counties; blank = the ZIP's main county (required when the ZIP is blank or not in the ZIP reference)",
    parse: (v) => optional(v, (x) => parseCountyFips(x), null),
    canonical: orBlank((s) => canonicalCountyFips(s), null),
  }),
  members: col({
    required: true,
    aliases: [
      'Enrollees',
      'Member Count',
      'Members Count',
      'Enrolled Members',
      'Enrollment',
      'Membership',
      'Enrollee Count',
    ],
    format: 'whole number of members, 0 or more; thousands separators allowed (1,240)',
    parse: (v) => parseMemberCount(v),
    canonical: canonicalMemberCount,
  }),
};

const RULES: RowRules<typeof COLUMNS, Enrollment> = {
  check: (out, record) => {
    const zip = out.values.zip;
    const given = out.values.county_fips;
    let county: string | null = given ?? null;
    const zipOk = !out.errors.some((e) => e.column === 'zip');
    const countyOk = !out.errors.some((e) => e.column === 'county_fips');
    if (zipOk && countyOk) {
      if (zip === null || zip === undefined) {
        if (given === null || given === undefined) {
          out.errors.push({
            column: 'zip',
            value: null,
            reason:
              'neither a ZIP (zip) nor a county FIPS code (county_fips) is given: every row needs at least one',
          });
        }
      } else {
        const place = lookupZip(zip);
        const cell = issueValue('county_fips', record['county_fips']);
        if (place === undefined) {
          if (given === null || given === undefined) {
            out.errors.push({
              column: 'zip',
              value: issueValue('zip', record['zip']),
              reason: `ZIP ${zip} is not in the US ZIP reference (data/zips.csv): give the county FIPS code (county_fips) of these members too`,
            });
          } else {
            out.warnings.push({
              column: 'zip',
              value: issueValue('zip', record['zip']),
              reason: `ZIP ${zip} is not in the US ZIP reference (data/zips.csv): the members are counted in county ${given} as given`,
            });
          }
        } else if (given === null || given === undefined) {
          county = place.countyFips;
          if (county === null) {
            out.errors.push({
              column: 'county_fips',
              value: null,
              reason: `the ZIP reference names no county for ZIP ${zip}: give the county FIPS code (county_fips)`,
            });
          }
        } else if (place.countyFipsAll.length > 0 && !place.countyFipsAll.includes(given)) {
          out.errors.push({
            column: 'county_fips',
            value: cell,
            reason: `county FIPS ${given} is not a county of ZIP ${zip} (the ZIP reference gives ${place.countyFipsAll.join(', ')})`,
          });
        }
      }
    }
    // The county the members are counted in: as given, else the ZIP's.
    out.values.county_fips = county;
  },
  record: (v) => ({
    contractId: v.contract_id,
    pbpId: v.pbp_id,
    segmentId: v.segment_id,
    zip: v.zip,
    countyFips: v.county_fips,
    members: v.members,
  }),
};

/**
 * Enrollment: members of a plan by ZIP and county. A file is the enrollment of the plans it lists:
 * their rows it no longer lists end at its as-of date. Key: plan, ZIP (null for a county-only
 * row), county. A rejected row keeps the stored rows of its plan and ZIP.
 */
export const ENROLLMENT_TABLE = checked<Enrollment, Rows.EnrollmentRow>({
  table: 'enrollment',
  columns: ['contract_id', 'pbp_id', 'segment_id', 'zip', 'county_fips', 'members'],
  dateColumns: dates(),
  instantColumns: dates(),
  row: (e) => [e.contractId, e.pbpId, e.segmentId, e.zip, e.countyFips, e.members],
  key: (e) => `${e.contractId}|${e.pbpId}|${e.segmentId}|${e.zip}|${e.countyFips}`,
  keyColumns: ['contract_id', 'pbp_id', 'segment_id', 'zip', 'county_fips'],
  scopeColumns: ['contract_id', 'pbp_id', 'segment_id'],
  identityColumns: ['contract_id', 'pbp_id', 'segment_id', 'zip'],
});

/** The enrollment roster kind (src/roster/kinds/index.ts). */
export const enrollment = {
  columns: COLUMNS,
  rules: RULES,
  build: rowBuilder(COLUMNS, RULES),
  table: ENROLLMENT_TABLE,
} satisfies RosterKindModule<typeof COLUMNS, Enrollment, Enrollment>;
