/**
 * Reads the network as it stood on one date into a NetworkSnapshot (domain types only).
 * A stored version is in force on D when valid_from <= D and (valid_to is null or D < valid_to).
 */
import type {
  Accreditor,
  AncillaryService,
  Assurance,
  AuditException,
  Capability,
  CareType,
  County,
  CoverageRequest,
  DrugClass,
  EntityType,
  IsoDate,
  NetworkMembership,
  NetworkRole,
  NetworkSnapshot,
  Pharmacy,
  Plan,
  PlanKey,
  PlanType,
  RequestOutcome,
  RequestType,
  ServiceArea,
  ServiceType,
} from '../domain/types.js';
import { planKeyString } from '../domain/types.js';
import type { Db } from './connect.js';
import { dbDate, fromDbDate } from './sql.js';

export interface AuditScope {
  contractId: string | null;
  pbpId: string | null;
}

const day = (d: Date): IsoDate => d.toISOString().slice(0, 10);
const dayOrNull = (d: Date | null): IsoDate | null => (d ? day(d) : null);
const split = (s: string): string[] => (s === '' ? [] : s.split('|'));

function versionOn(asOf: IsoDate) {
  const d = new Date(`${asOf}T00:00:00.000Z`);
  return { validFrom: { lte: d }, OR: [{ validTo: null }, { validTo: { gt: d } }] };
}

export async function loadSnapshot(options: {
  db: Db;
  asOf: IsoDate;
  scope: AuditScope;
  /** Coverage requests received at or after this instant (end of the as-of day) are left out. */
  receivedBefore: string;
  /** What-if: evaluate as if these pharmacies had left every network. */
  withoutNpis?: ReadonlySet<string>;
}): Promise<NetworkSnapshot> {
  const { db, asOf, scope } = options;
  const prisma = db.prisma;
  const onDate = new Date(`${asOf}T00:00:00.000Z`);
  const planWhere = {
    ...(scope.contractId ? { contractId: scope.contractId } : {}),
    ...(scope.pbpId ? { pbpId: scope.pbpId } : {}),
  };

  const [planRows, areaRows, memberRows, catalogRows, countyRows] = await Promise.all([
    prisma.plan.findMany({ where: { ...versionOn(asOf), ...planWhere } }),
    prisma.serviceArea.findMany({ where: { ...versionOn(asOf), ...planWhere } }),
    prisma.networkMembership.findMany({
      where: {
        validFrom: { lte: onDate },
        ...planWhere,
        role: 'home_infusion',
        effectiveDate: { lte: onDate },
        AND: [
          { OR: [{ validTo: null }, { validTo: { gt: onDate } }] },
          { OR: [{ terminationDate: null }, { terminationDate: { gte: onDate } }] },
        ],
      },
    }),
    prisma.drugClass.findMany({ orderBy: { code: 'asc' } }),
    prisma.county.findMany(),
  ]);

  const plans: Plan[] = planRows.map((p) => ({
    contractId: p.contractId,
    pbpId: p.pbpId,
    segmentId: p.segmentId,
    planName: p.planName,
    planType: p.planType as PlanType,
    memberServicesPhone: p.memberServicesPhone,
    providerServicesPhone: p.providerServicesPhone,
    hiAccessDirections: p.hiAccessDirections,
    directionsReviewedOn: dayOrNull(p.directionsReviewedOn),
  }));
  const serviceAreas: ServiceArea[] = areaRows.map((a) => ({
    contractId: a.contractId,
    pbpId: a.pbpId,
    segmentId: a.segmentId,
    countyFips: a.countyFips,
  }));
  const withPlan = new Set(plans.map(planKeyString));
  const missing = new Map<string, PlanKey>();
  for (const a of serviceAreas) {
    const k = planKeyString(a);
    if (!withPlan.has(k))
      missing.set(k, { contractId: a.contractId, pbpId: a.pbpId, segmentId: a.segmentId });
  }

  const without = options.withoutNpis ?? new Set<string>();
  const memberships: NetworkMembership[] = memberRows
    .filter((m) => !without.has(m.npi))
    .map((m) => ({
      contractId: m.contractId,
      pbpId: m.pbpId,
      segmentId: m.segmentId,
      npi: m.npi,
      role: m.role as NetworkRole,
      effectiveDate: day(m.effectiveDate),
      terminationDate: dayOrNull(m.terminationDate),
    }));
  const npis = new Set(memberships.map((m) => m.npi));

  const [pharmacyRows, capabilityRows, assuranceRows, requestRows, rosterRows, exceptionRows] =
    await Promise.all([
      prisma.pharmacy.findMany({ where: versionOn(asOf) }),
      prisma.capability.findMany({ where: versionOn(asOf) }),
      prisma.assurance.findMany({ where: versionOn(asOf) }),
      prisma.coverageRequest.findMany({
        where: {
          ...versionOn(asOf),
          ...planWhere,
          receivedAt: { lt: new Date(options.receivedBefore) },
        },
      }),
      db.sql.query<{ contract_id: string; pbp_id: string; segment_id: string; as_of: unknown }>(
        `SELECT ip.contract_id, ip.pbp_id, ip.segment_id, MAX(ri.as_of) AS as_of
         FROM import_plan ip JOIN roster_import ri ON ri.id = ip.import_id
        WHERE ri.status = 'completed' AND ri.as_of <= ?
        GROUP BY ip.contract_id, ip.pbp_id, ip.segment_id`,
        [dbDate(db.sql.provider, asOf)],
      ),
      prisma.findingException.findMany({
        where: {
          ...versionOn(asOf),
          ...(scope.contractId ? { contractId: scope.contractId } : {}),
        },
        orderBy: { id: 'asc' },
      }),
    ]);

  // Recruitment candidates: known pharmacies outside the scope's HI networks that claim at least
  // one class in usable form (bounded: pharmacies without such a capability are left out).
  const withUsableCapability = new Set<string>();
  for (const c of capabilityRows)
    if (c.usableForm && !npis.has(c.npi)) withUsableCapability.add(c.npi);
  const pharmacies = new Map<string, Pharmacy>();
  const candidatePharmacies = new Map<string, Pharmacy>();
  for (const p of pharmacyRows) {
    const target = npis.has(p.npi)
      ? pharmacies
      : withUsableCapability.has(p.npi) && !without.has(p.npi)
        ? candidatePharmacies
        : null;
    if (target === null) continue;
    target.set(p.npi, {
      npi: p.npi,
      ncpdpId: p.ncpdpId,
      name: p.name,
      address: p.address,
      city: p.city,
      state: p.state,
      zip: p.zip,
      countyFips: p.countyFips,
      phone: p.phone,
      afterHoursPhone: p.afterHoursPhone,
      serviceType: p.serviceType as ServiceType,
      taxonomyCodes: split(p.taxonomyCodes),
      sterileCompounding: p.sterileCompounding,
      usp797Category: p.usp797Category as 1 | 2 | 3 | null,
      providesNursing: p.providesNursing,
      providesSupplies: p.providesSupplies,
      deliversWithin24h: p.deliversWithin24h,
      open24x7: p.open24x7,
      countiesServed: split(p.countiesServed),
      accreditations: split(p.accreditations) as Accreditor[],
      accreditationExpires: dayOrNull(p.accreditationExpires),
    });
  }
  const capabilities: Capability[] = [];
  const candidateCapabilities: Capability[] = [];
  for (const c of capabilityRows) {
    const target = npis.has(c.npi)
      ? capabilities
      : candidatePharmacies.has(c.npi)
        ? candidateCapabilities
        : null;
    target?.push({
      npi: c.npi,
      drugClass: c.drugClass,
      usableForm: c.usableForm,
      notes: c.notes,
    });
  }
  const exceptions: AuditException[] = exceptionRows
    .filter((e) => !scope.pbpId || e.pbpId === null || e.pbpId === scope.pbpId)
    .map((e) => ({
      ruleId: e.ruleId,
      contractId: e.contractId,
      pbpId: e.pbpId,
      countyFips: e.countyFips,
      drugClass: e.drugClass,
      npi: e.npi,
      rationale: e.rationale,
      approvedBy: e.approvedBy,
      approvedOn: day(e.approvedOn),
      expiresOn: day(e.expiresOn),
    }));
  const assurances: Assurance[] = assuranceRows
    .filter((a) => npis.has(a.npi))
    .map((a) => ({
      npi: a.npi,
      entityName: a.entityName,
      entityType: a.entityType as EntityType,
      entityNpi: a.entityNpi,
      services: split(a.services) as AncillaryService[],
      counties: split(a.counties),
      effectiveDate: day(a.effectiveDate),
      expirationDate: dayOrNull(a.expirationDate),
      documentRef: a.documentRef,
    }));
  const coverageRequests: CoverageRequest[] = requestRows.map((r) => ({
    requestId: r.requestId,
    contractId: r.contractId,
    pbpId: r.pbpId,
    drugClass: r.drugClass,
    drugName: r.drugName,
    requestType: r.requestType as RequestType,
    expedited: r.expedited,
    receivedAt: r.receivedAt.toISOString(),
    supportingStatementAt: r.supportingStatementAt?.toISOString() ?? null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    outcome: r.outcome as RequestOutcome | null,
    memberIdMasked: r.memberIdMasked,
  }));
  const catalog: DrugClass[] = catalogRows.map((c) => ({
    code: c.code,
    name: c.name,
    careType: c.careType as CareType,
    partDRequired: c.partDRequired,
    partBNote: c.partBNote,
    exampleDrugs: split(c.exampleDrugs),
    needsSterileCompounding: c.needsSterileCompounding,
  }));
  const counties = new Map<string, County>(
    countyRows.map((c) => [c.fips, { fips: c.fips, name: c.name, state: c.state }]),
  );
  const latestNetworkRosterAsOf = new Map<string, IsoDate>();
  for (const r of rosterRows) {
    latestNetworkRosterAsOf.set(
      planKeyString({ contractId: r.contract_id, pbpId: r.pbp_id, segmentId: r.segment_id }),
      fromDbDate(r.as_of),
    );
  }

  return {
    asOf,
    plans,
    planKeysWithoutRecord: [...missing.values()],
    serviceAreas,
    memberships,
    pharmacies,
    capabilities,
    assurances,
    coverageRequests,
    catalog,
    counties,
    latestNetworkRosterAsOf,
    exceptions,
    candidatePharmacies,
    candidateCapabilities,
  };
}
