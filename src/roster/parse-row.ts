/**
 * One roster row (canonical keys) -> one domain record, validating every column and reporting
 * every problem of the row at once.
 */
import type {
  Assurance,
  AuditException,
  Capability,
  CmsNetworkRow,
  CoverageRequest,
  Enrollment,
  NetworkMembership,
  NetworkRole,
  Pharmacy,
  Plan,
  RosterKind,
  ServiceArea,
} from '../domain/types.js';
import type { ColumnSpec, ColumnSpecs, FieldContext, ParseContext } from './columns.js';
import { COLUMNS } from './columns.js';
import { lookupZip } from '../geo/zips.js';

export { defaultRoleForServiceType } from './columns.js';
import type { CellValue } from './validate.js';
import { cellText, isBlank } from './validate.js';

export type { ParseContext } from './columns.js';

export interface RowIssue {
  /** Canonical column name (null for a problem of the whole row). */
  column: string | null;
  /** The value as read (member ids masked), or null when blank. */
  value: string | null;
  reason: string;
}

/** A network membership as read from a roster: a blank role is null, to be derived by the importer. */
export interface NetworkMembershipInput extends Omit<NetworkMembership, 'role'> {
  role: NetworkRole | null;
}

/** Domain record produced by each roster kind. */
export interface RosterRecordMap {
  pharmacies: Pharmacy;
  network: NetworkMembershipInput;
  capabilities: Capability;
  assurances: Assurance;
  plans: Plan;
  service_areas: ServiceArea;
  coverage_requests: CoverageRequest;
  cms_network: CmsNetworkRow;
  exceptions: AuditException;
  enrollment: Enrollment;
}

export type ParseRowResult<T> =
  | { ok: true; value: T; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

export type RowInput = Readonly<Record<string, CellValue>>;

type Values<C extends ColumnSpecs> = {
  -readonly [K in keyof C]: C[K] extends ColumnSpec<infer T> ? T : never;
};

interface FieldsOutcome<C extends ColumnSpecs> {
  values: Partial<Values<C>>;
  errors: RowIssue[];
  warnings: RowIssue[];
}

function issueValue(column: string, v: CellValue): string | null {
  if (isBlank(v)) return null;
  if (column === 'member_id') return '****';
  return cellText(v);
}

const specEntries = new WeakMap<ColumnSpecs, [string, ColumnSpec][]>();

function parseFields<C extends ColumnSpecs>(specs: C, record: RowInput, ctx: ParseContext) {
  const out: FieldsOutcome<C> = { values: {}, errors: [], warnings: [] };
  // A reader that parses many rows passes one FieldContext whose record it sets per row.
  const fctx: FieldContext =
    'record' in ctx && (ctx as FieldContext).record === record
      ? (ctx as FieldContext)
      : { ...ctx, record };
  const values = out.values as Record<string, unknown>;
  let entries = specEntries.get(specs);
  if (!entries) {
    entries = Object.entries(specs);
    specEntries.set(specs, entries);
  }
  for (const [name, spec] of entries) {
    const raw = record[name];
    const r = spec.parse(raw, fctx);
    if (r.ok) {
      values[name] = r.value;
      if (r.warnings) {
        for (const w of r.warnings)
          out.warnings.push({ column: name, value: issueValue(name, raw), reason: w });
      }
    } else {
      out.errors.push({ column: name, value: issueValue(name, raw), reason: r.reason });
    }
  }
  return out;
}

function finish<T, C extends ColumnSpecs>(
  outcome: FieldsOutcome<C>,
  build: (v: Values<C>) => T,
): ParseRowResult<T> {
  if (outcome.errors.length > 0) {
    return { ok: false, errors: outcome.errors, warnings: outcome.warnings };
  }
  return { ok: true, value: build(outcome.values as Values<C>), warnings: outcome.warnings };
}

function orderCheck(
  out: { errors: RowIssue[] },
  record: RowInput,
  first: { column: string; value: string | null | undefined; label: string },
  second: { column: string; value: string | null | undefined; label: string },
): void {
  if (first.value && second.value && second.value < first.value) {
    out.errors.push({
      column: second.column,
      value: issueValue(second.column, record[second.column]),
      reason: `${second.label} ${second.value} is before ${first.label} ${first.value}`,
    });
  }
}

type RowParser<K extends RosterKind> = (
  record: RowInput,
  ctx: ParseContext,
) => ParseRowResult<RosterRecordMap[K]>;

const PARSERS: { [K in RosterKind]: RowParser<K> } = {
  pharmacies(record, ctx) {
    const out = parseFields(COLUMNS.pharmacies, record, ctx);
    return finish(out, (v) => ({
      npi: v.npi,
      ncpdpId: v.ncpdp_id,
      name: v.name,
      address: v.address,
      city: v.city,
      state: v.state,
      zip: v.zip,
      countyFips: v.county_fips,
      phone: v.phone,
      afterHoursPhone: v.after_hours_phone,
      serviceType: v.service_type,
      taxonomyCodes: v.taxonomy,
      sterileCompounding: v.sterile_compounding,
      usp797Category: v.usp797_category,
      providesNursing: v.provides_nursing,
      providesSupplies: v.provides_supplies,
      deliversWithin24h: v.delivers_within_24h,
      open24x7: v.open_24x7,
      countiesServed: v.counties_served ?? [v.county_fips],
      accreditations: v.accreditation,
      accreditationExpires: v.accreditation_expires,
      itu: v.itu,
    }));
  },

  network(record, ctx) {
    const out = parseFields(COLUMNS.network, record, ctx);
    orderCheck(
      out,
      record,
      { column: 'effective_date', value: out.values.effective_date, label: 'effective date' },
      { column: 'termination_date', value: out.values.termination_date, label: 'termination date' },
    );
    return finish(out, (v) => ({
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      segmentId: v.segment_id,
      npi: v.npi,
      role: v.role,
      effectiveDate: v.effective_date,
      terminationDate: v.termination_date,
      zip: null,
    }));
  },

  capabilities(record, ctx) {
    const out = parseFields(COLUMNS.capabilities, record, ctx);
    return finish(out, (v) => ({
      npi: v.npi,
      drugClass: v.drug_class,
      usableForm: v.usable_form,
      notes: v.notes,
    }));
  },

  assurances(record, ctx) {
    const out = parseFields(COLUMNS.assurances, record, ctx);
    orderCheck(
      out,
      record,
      { column: 'effective_date', value: out.values.effective_date, label: 'effective date' },
      { column: 'expiration_date', value: out.values.expiration_date, label: 'expiration date' },
    );
    return finish(out, (v) => ({
      npi: v.npi,
      entityName: v.entity_name,
      entityType: v.entity_type,
      entityNpi: v.entity_npi,
      services: v.services,
      counties: v.counties,
      effectiveDate: v.effective_date,
      expirationDate: v.expiration_date,
      documentRef: v.document_ref,
    }));
  },

  plans(record, ctx) {
    const out = parseFields(COLUMNS.plans, record, ctx);
    const contract = out.values.contract_id;
    const type = out.values.plan_type;
    if (contract && type) {
      const letter = contract[0];
      if (letter === 'S' && type === 'MA-PD') {
        out.warnings.push({
          column: 'plan_type',
          value: type,
          reason: `contract ${contract} is a stand-alone PDP contract (S) but the plan type is MA-PD`,
        });
      } else if ((letter === 'H' || letter === 'R') && type === 'PDP') {
        out.warnings.push({
          column: 'plan_type',
          value: type,
          reason: `contract ${contract} is a Medicare Advantage contract (${letter}) but the plan type is PDP`,
        });
      }
    }
    return finish(out, (v) => ({
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      segmentId: v.segment_id,
      planName: v.plan_name,
      planType: v.plan_type,
      memberServicesPhone: v.member_services_phone,
      providerServicesPhone: v.provider_services_phone,
      hiAccessDirections: v.hi_access_directions,
      directionsReviewedOn: v.directions_reviewed_on,
    }));
  },

  service_areas(record, ctx) {
    const out = parseFields(COLUMNS.service_areas, record, ctx);
    return finish(out, (v) => ({
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      segmentId: v.segment_id,
      countyFips: v.county_fips,
    }));
  },

  coverage_requests(record, ctx) {
    const out = parseFields(COLUMNS.coverage_requests, record, ctx);
    orderCheck(
      out,
      record,
      { column: 'received_at', value: out.values.received_at, label: 'received at' },
      { column: 'decided_at', value: out.values.decided_at, label: 'decided at' },
    );
    return finish(out, (v) => ({
      requestId: v.request_id,
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      drugClass: v.drug_class,
      drugName: v.drug_name,
      requestType: v.request_type,
      expedited: v.expedited,
      receivedAt: v.received_at,
      supportingStatementAt: v.supporting_statement_at,
      decidedAt: v.decided_at,
      outcome: v.outcome,
      memberIdMasked: v.member_id,
    }));
  },

  cms_network(record, ctx) {
    const out = parseFields(COLUMNS.cms_network, record, ctx);
    return finish(out, (v) => ({
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      segmentId: v.segment_id,
      npi: v.npi,
      zip: v.zip,
      retail: v.retail,
      mail: v.mail,
      preferredRetail: v.preferred_retail,
      preferredMail: v.preferred_mail,
      inArea: v.in_area,
    }));
  },

  exceptions(record, ctx) {
    const out = parseFields(COLUMNS.exceptions, record, ctx);
    orderCheck(
      out,
      record,
      { column: 'approved_on', value: out.values.approved_on, label: 'approval date' },
      { column: 'expires_on', value: out.values.expires_on, label: 'expiry date' },
    );
    return finish(out, (v) => ({
      ruleId: v.rule_id,
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      countyFips: v.county_fips,
      drugClass: v.drug_class,
      npi: v.npi,
      rationale: v.rationale,
      approvedBy: v.approved_by,
      approvedOn: v.approved_on,
      expiresOn: v.expires_on,
    }));
  },

  enrollment(record, ctx) {
    const out = parseFields(COLUMNS.enrollment, record, ctx);
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
    return finish(out, (v) => ({
      contractId: v.contract_id,
      pbpId: v.pbp_id,
      segmentId: v.segment_id,
      zip: v.zip,
      countyFips: county,
      members: v.members,
    }));
  },
};

/**
 * Validates one row. `record` is keyed by canonical column name (absent columns = blank).
 * Every column is checked; all problems are returned together.
 */
export function parseRow<K extends RosterKind>(
  kind: K,
  record: RowInput,
  ctx: ParseContext,
): ParseRowResult<RosterRecordMap[K]> {
  const parser: RowParser<K> = PARSERS[kind];
  return parser(record, ctx);
}
