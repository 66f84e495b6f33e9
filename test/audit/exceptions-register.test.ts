/**
 * The exceptions register, expiring evidence and contracting priorities end to end on both
 * databases: import (validation, effective dating), audit (EXCEPTED findings stored with their
 * exception), `report RUN` re-rendering, and the `impact` command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportModel } from '../../src/audit/load-report-model.js';
import { runAudit } from '../../src/audit/run-audit.js';
import { openWithPrisma, type DbWithPrisma } from '../helpers/prisma.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { importRosters } from '../../src/import/import-rosters.js';
import { renderReport } from '../../src/report/render-report.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../helpers/databases.js';
import { readBook, sheet, textOf } from '../report/read-back.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini');
const ALL = { contractId: null, pbpId: null };
const NEW_NPI = '1000000053';

const EXCEPTIONS = `rule_id,contract_id,pbp_id,county_fips,drug_class,npi,rationale,approved_by,approved_on,expires_on
HI-ACCESS,S1234,001,17197,,,Will County members are served by a single-case agreement,M. Alvarez (CCO),2026-09-01,2026-12-15
hi-chronic,S1234,,17097,,,Lake County chronic therapies under review,M. Alvarez (CCO),2026-01-01,2026-10-31
HI-CONTACT,S1234,,,,1000000038,Corner Drugs after-hours line being set up,M. Alvarez (CCO),2026-09-01,2027-06-30
HI-FOO,S1234,,,,,bad rule,x,2026-09-01,2027-06-30
HI-ACUTE,S1234,,,,,backwards dates,x,2026-09-01,2026-08-01
HI-ACUTE,S1234,,,,1000000061,unknown pharmacy,x,2026-09-01,2027-08-01
`;
// A pharmacy known only from a pharmacies roster (no network membership), serving Will County.
const EXTRA_PHARMACY = `npi,name,address,city,state,zip,county_fips,phone,service_type,sterile_compounding,provides_nursing,provides_supplies,delivers_within_24h,counties_served
${NEW_NPI},Joliet Infusion Partners,1 Jefferson St,Joliet,IL,60432,17197,8155550100,03,Y,Y,Y,Y,17197
`;
const EXTRA_CAPS = `npi,drug_class,usable_form
${NEW_NPI},ABX_IV,Y
${NEW_NPI},ANTIFUNGAL_IV,Y
${NEW_NPI},ANTIVIRAL_IV,Y
${NEW_NPI},PN_TEMPORARY,Y
${NEW_NPI},A1PI,Y
${NEW_NPI},IG_NONPID,Y
`;

describe.each(PROVIDERS)('exceptions register and contracting priorities on %s', (provider) => {
  let tdb: TestDatabase;
  let db: DbWithPrisma;
  let dir: string;
  let runId: number;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = await openWithPrisma({ url: tdb.url });
    dir = mkdtempSync(join(tmpdir(), 'ia-exc-'));
    writeFileSync(join(dir, 'exceptions.csv'), EXCEPTIONS);
    writeFileSync(join(dir, 'pharmacies-extra.csv'), EXTRA_PHARMACY);
    writeFileSync(join(dir, 'capabilities-extra.csv'), EXTRA_CAPS);
    await importRosters({ db, paths: [MINI], asOf: '2026-11-01', timeZone: 'America/Chicago' });
  });
  afterAll(async () => {
    await db.close();
    await tdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the register, rejecting unknown rules, backwards dates and unknown pharmacies', async () => {
    const results = await importRosters({
      db,
      paths: [dir],
      asOf: '2026-11-01',
      timeZone: 'America/Chicago',
    });
    const exc = results.find((r) => r.kind === 'exceptions')!;
    expect(exc).toMatchObject({ status: 'completed', rowsRead: 6, accepted: 3, rejected: 3 });
    const reasons = exc.rejections.map((r) => r.reason);
    expect(reasons[0]).toMatch(
      /"HI-FOO" is not a rule id: use one of DATA-COMPLETE, HI-ACCESS, HI-ACUTE, .*EXPIRING-SOON/,
    );
    expect(reasons[1]).toMatch(/expiry date 2026-08-01 is before approval date 2026-09-01/);
    expect(reasons[2]).toMatch(/NPI 1000000061 is not a known pharmacy/);
    expect(await db.prisma.findingException.count({ where: { validTo: null } })).toBe(3);
  });

  it('excepts matched findings, counts expired ones again, and stores the exception', async () => {
    const o = await runAudit({ db, asOf: '2026-11-01', scope: ALL, policy: DEFAULT_POLICY });
    runId = o.runId!;
    const access = o.findings.find((f) => f.ruleId === 'HI-ACCESS')!;
    expect(access.exception).toMatchObject({
      expired: false,
      approvedBy: 'M. Alvarez (CCO)',
      expiresOn: '2026-12-15',
      rationale: 'Will County members are served by a single-case agreement',
    });
    const chronic = o.findings.filter((f) => f.ruleId === 'HI-CHRONIC' && f.countyFips === '17097');
    expect(chronic).toHaveLength(2);
    for (const f of chronic) {
      expect(f.exception?.expired).toBe(true);
      expect(f.message).toContain('expired on 2026-10-31');
    }
    expect(o.counts).toMatchObject({ excepted: 1, exceptedByRule: { 'HI-ACCESS': 1 } });
    expect(o.counts.byRule['EXPIRING-SOON']).toBe(1); // the HI-ACCESS exception, 44 days left
    expect(o.exceptions.map((e) => [e.ruleId, e.status, e.matched, e.unused])).toEqual([
      ['HI-ACCESS', 'in_force', 1, false],
      ['HI-CHRONIC', 'expired', 2, false],
      ['HI-CONTACT', 'in_force', 0, true],
    ]);
    // N-1 and recruitment.
    expect(o.keyPharmacies.filter((k) => k.rank === 1).map((k) => k.npi)).toEqual(['1000000012']);
    expect(o.recruitment.map((r) => [r.npi, r.gapsClosed, r.planGaps])).toEqual([[NEW_NPI, 6, 11]]);

    const row = await db.prisma.finding.findFirst({ where: { runId, ruleId: 'HI-ACCESS' } });
    expect(row?.excepted).toBe(true);
    expect(JSON.parse(row!.exception!)).toMatchObject({ expiresOn: '2026-12-15', expired: false });
    const expiredRow = await db.prisma.finding.findFirst({
      where: { runId, ruleId: 'HI-CHRONIC', countyFips: '17097' },
    });
    expect(expiredRow?.excepted).toBe(false);

    // `show` marks them too.
    const show = await runCli(['show', String(runId), '--db', tdb.url]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/HI-ACCESS .*EXCEPTED to 2026-12-15/);
    expect(show.stdout).toMatch(/HI-CHRONIC .*expired 2026-10-31/);
  });

  it('re-renders a stored run with its exceptions, expiring items, key pharmacies and candidates', async () => {
    const model = await loadReportModel({ db, runId });
    expect(model.findings.find((f) => f.ruleId === 'HI-ACCESS')?.exception?.expired).toBe(false);
    expect(model.exceptions.map((e) => e.status)).toEqual(['in_force', 'expired', 'in_force']);
    expect(model.exceptions[2]?.pharmacyName).toBeNull(); // Corner Drugs is no HI pharmacy
    expect(model.expiring).toMatchObject([
      { kind: 'exception', daysLeft: 44, expiresOn: '2026-12-15' },
    ]);
    expect(model.keyPharmacies).toHaveLength(2);
    expect(model.recruitment[0]).toMatchObject({ npi: NEW_NPI, name: 'Joliet Infusion Partners' });

    const out = join(dir, 'reports');
    const files = await renderReport({ model, outDir: out });
    const wb = await readBook(files.xlsx);
    expect(wb.worksheets.map((w) => w.name).slice(-5)).toEqual([
      'Exceptions',
      'Expiring Evidence',
      'Key Pharmacies',
      'Recruitment',
      'Retail access',
    ]);
    expect(sheet(wb, 'Exceptions').rowCount).toBe(4);
    const findings = sheet(wb, 'Findings');
    const texts: string[] = [];
    findings.eachRow((r) => texts.push(textOf(r.getCell(14))));
    expect(texts.some((t) => t.startsWith('EXCEPTED until 2026-12-15'))).toBe(true);
    expect(texts.filter((t) => t.startsWith('Exception EXPIRED on 2026-10-31'))).toHaveLength(2);
  });

  it('a later register that no longer lists an exception ends it', async () => {
    const later = join(dir, 'later');
    rmSync(later, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(later);
    writeFileSync(
      join(later, 'exceptions.csv'),
      EXCEPTIONS.split('\n').slice(0, 2).join('\n') + '\n',
    );
    const [r] = await importRosters({
      db,
      paths: [later],
      asOf: '2026-11-05',
      timeZone: 'America/Chicago',
    });
    expect(r).toMatchObject({ status: 'completed', accepted: 1, ended: 2, inserted: 0 });
    const o = await runAudit({ db, asOf: '2026-11-05', scope: ALL, policy: DEFAULT_POLICY });
    expect(o.exceptions.map((e) => e.ruleId)).toEqual(['HI-ACCESS']);
    // As of the first date, the register still stood as it was.
    const before = await runAudit({
      db,
      asOf: '2026-11-01',
      scope: ALL,
      policy: DEFAULT_POLICY,
      withoutNpis: new Set(['1999999983']),
    });
    expect(before.exceptions).toHaveLength(3);
  });

  it('impact --contract prints ranked key pharmacies and candidates (and --json)', async () => {
    const human = await runCli([
      'impact',
      '--contract',
      'S1234',
      '--as-of',
      '2026-11-01',
      '--db',
      tdb.url,
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Plan S1234-001-000');
    expect(human.stdout).toContain('Key pharmacies');
    expect(human.stdout).toContain('Joliet Infusion Partners');
    const json = await runCli([
      'impact',
      '--contract',
      'S1234',
      '--as-of',
      '2026-11-01',
      '--db',
      tdb.url,
      '--json',
    ]);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      plans: {
        plan: string;
        openGaps: number;
        keyPharmacies: { npi: string }[];
        recruitment: { npi: string }[];
      }[];
    };
    expect(doc.plans[0]).toMatchObject({ plan: 'S1234-001-000', openGaps: 11 });
    expect(doc.plans[0]?.recruitment[0]?.npi).toBe(NEW_NPI);
    const bad = await runCli(['impact', '--db', tdb.url]);
    expect(bad.code).toBe(2);
  });
});
