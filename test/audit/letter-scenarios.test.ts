/**
 * Scenarios written from the CMS letter's words (and the 2008 rule's capabilities), not from the
 * code: each builds the rosters a sponsor would send, runs the real command as a process on both
 * databases, and checks the verdict a Part D auditor would give.
 *
 * The letter: the network in aggregate covers acute and chronic therapies, in usable form; a
 * pharmacy that dispenses only the drug obtains assurances that ANOTHER entity provides the
 * services and supplies; members and providers get clear directions to an HI pharmacy. An audit
 * that did not see the data cannot pass it.
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { PROVIDERS, createTestDatabase, type TestDatabase } from '../helpers/databases.js';

const AS_OF = '2026-11-01';
const ALPHA = '1000000012'; // full-service HI pharmacy, compounds sterile preparations
const BETA = '1000000020'; // drug-only HI pharmacy: no nursing, no supplies of its own
const GAMMA = '1000000038'; // specialty pharmacy that does not compound

const REQUIRED = ['ABX_IV', 'ANTIFUNGAL_IV', 'ANTIVIRAL_IV', 'PN_TEMPORARY', 'A1PI', 'IG_NONPID'];

type Rosters = Record<string, string>;

const PHARMACY_HEADER =
  'npi,ncpdp_id,name,address,city,state,zip,county_fips,phone,after_hours_phone,service_type,taxonomy,sterile_compounding,usp797_category,provides_nursing,provides_supplies,delivers_within_24h,open_24x7,counties_served,accreditation,accreditation_expires';

function pharmacyRow(
  npi: string,
  name: string,
  o: { compounding: boolean; services: boolean },
): string {
  const yn = (b: boolean): string => (b ? 'Y' : 'N');
  return `${npi},,${name},100 W Madison St,Chicago,IL,60602,17031,3125550100,3125550199,03,3336H0001X,${yn(o.compounding)},${o.compounding ? '2' : ''},${yn(o.services)},${yn(o.services)},Y,Y,17031,ACHC,2027-06-30`;
}

const REQUESTS_HEADER =
  'request_id,contract_id,pbp_id,drug_class,drug_name,request_type,expedited,received_at,supporting_statement_at,decided_at,outcome,member_id';

const DIRECTIONS =
  'Call Member Services and ask for the home infusion desk; we connect you to an in-network home infusion pharmacy the same day.';

/** A network the letter would pass: one plan, one county, a full-service HI pharmacy. */
function compliantNetwork(): Rosters {
  return {
    'plans.csv': [
      'contract_id,pbp_id,segment_id,plan_name,plan_type,member_services_phone,provider_services_phone,hi_access_directions,directions_reviewed_on',
      `S1234,001,000,Prairie PDP,PDP,8005550100,8005550101 x200,"${DIRECTIONS}",2026-06-01`,
    ].join('\n'),
    'service_areas.csv': ['contract_id,pbp_id,segment_id,county_fips', 'S1234,001,000,17031'].join(
      '\n',
    ),
    'pharmacies.csv': [
      PHARMACY_HEADER,
      pharmacyRow(ALPHA, 'Alpha Home Infusion', { compounding: true, services: true }),
    ].join('\n'),
    'network.csv': [
      'contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date',
      `S1234,001,000,${ALPHA},home_infusion,2026-01-01,`,
    ].join('\n'),
    'capabilities.csv': [
      'npi,drug_class,usable_form,notes',
      ...REQUIRED.map((c) => `${ALPHA},${c},Y,`),
    ].join('\n'),
    // No coverage request in the period: the file says so with its header alone.
    'coverage_requests.csv': REQUESTS_HEADER,
  };
}

/** Adds a drug-only pharmacy (Beta) to the network with the given assurances roster. */
function withDrugOnlyBeta(r: Rosters, assurances: string[] | null): Rosters {
  const out: Rosters = {
    ...r,
    'pharmacies.csv': `${r['pharmacies.csv']!}\n${pharmacyRow(BETA, 'Beta Infusion Pharmacy', { compounding: true, services: false })}`,
    'network.csv': `${r['network.csv']!}\nS1234,001,000,${BETA},home_infusion,2026-01-01,`,
    'capabilities.csv': `${r['capabilities.csv']!}\n${BETA},ABX_IV,Y,`,
  };
  if (assurances) {
    out['assurances.csv'] = [
      'npi,entity_name,entity_type,entity_npi,services,counties,effective_date,expiration_date,document_ref',
      ...assurances,
    ].join('\n');
  }
  return out;
}

interface RunJson {
  verdict: string;
  missing: { what: string; message: string }[];
  findings: { ruleId: string; messageId: string; severity: string; message: string }[];
  report: { xlsx: string; json: string; markdown: string; html: string };
}

const cleanup: TestDatabase[] = [];
afterAll(async () => {
  for (const t of cleanup) await t.dispose();
});

async function runScenario(
  provider: (typeof PROVIDERS)[number],
  rosters: Rosters,
  extraArgs: string[] = [],
): Promise<{
  code: number | null;
  json: RunJson;
  stderr: string;
  stdout: string;
  url: string;
  rosterDir: string;
}> {
  const t = await createTestDatabase(provider);
  cleanup.push(t);
  const dir = mkdtempSync(join(tmpdir(), 'ia-letter-'));
  const rosterDir = join(dir, 'rosters');
  mkdirSync(rosterDir);
  for (const [name, text] of Object.entries(rosters))
    writeFileSync(join(rosterDir, name), `${text}\n`);
  const res = await runCli([
    'run',
    '--roster',
    rosterDir,
    '--as-of',
    AS_OF,
    '--out',
    join(dir, 'reports'),
    '--db',
    t.url,
    '--json',
    ...extraArgs,
  ]);
  let json: RunJson;
  try {
    json = JSON.parse(res.stdout) as RunJson;
  } catch {
    throw new Error(`run printed no JSON (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  }
  return { code: res.code, json, stderr: res.stderr, stdout: res.stdout, url: t.url, rosterDir };
}

const failing = (j: RunJson): string[] =>
  j.findings
    .filter((f) => f.severity === 'critical' || f.severity === 'major')
    .map((f) => `${f.ruleId} ${f.messageId}`);

describe.each(PROVIDERS)(
  'the letter, scenario by scenario (%s)',
  { timeout: 180_000 },
  (provider) => {
    it('a network with everything the letter asks for is COMPLIANT (exit 0)', async () => {
      const { code, json } = await runScenario(provider, compliantNetwork());
      expect(failing(json)).toEqual([]);
      expect(json.verdict).toBe('COMPLIANT');
      expect(json.missing).toEqual([]);
      expect(code).toBe(0);
    });

    it('self-issued assurance: a drug-only pharmacy vouching for itself is NON-COMPLIANT', async () => {
      // "obtain assurances that another entity ... will provide the services": the pharmacy's own
      // name (however written) or its own NPI is not another entity.
      for (const assurance of [
        `${BETA},"BETA INFUSION PHARMACY, INC.",OTHER,,nursing|supplies,*,2026-01-01,,`,
        `${BETA},Beta Home Care Services,HHA,${BETA},nursing|supplies,*,2026-01-01,,`,
      ]) {
        const { code, json } = await runScenario(
          provider,
          withDrugOnlyBeta(compliantNetwork(), [assurance]),
        );
        expect(failing(json)).toEqual(['HI-ANCILLARY selfIssued']);
        expect(json.findings.find((f) => f.ruleId === 'HI-ANCILLARY')?.message).toMatch(
          /must come from another entity/,
        );
        expect(json.verdict).toBe('NON_COMPLIANT');
        expect(code).toBe(1);
      }
      // The same pharmacy with a home health agency's assurance passes.
      const ok = await runScenario(
        provider,
        withDrugOnlyBeta(compliantNetwork(), [
          `${BETA},Lakeside Home Health,HHA,,nursing|supplies,*,2026-01-01,,`,
        ]),
      );
      expect(ok.json.verdict).toBe('COMPLIANT');
    });

    it('plan without a service area: coverage not assessed is a critical finding, and a drug-only pharmacy without any assurance is still found', async () => {
      const rosters = withDrugOnlyBeta(compliantNetwork(), null);
      delete rosters['service_areas.csv'];
      const { code, json } = await runScenario(provider, rosters);
      expect(failing(json).sort()).toEqual([
        'DATA-COMPLETE noServiceArea',
        'HI-ANCILLARY noAssurance',
      ]);
      expect(json.findings.find((f) => f.ruleId === 'DATA-COMPLETE')?.message).toMatch(
        /coverage was not assessed/,
      );
      expect(json.verdict).toBe('NON_COMPLIANT');
      expect(code).toBe(1);
    });

    it('placeholder directions are not "clear directions": NON-COMPLIANT', async () => {
      for (const placeholder of ['N/A', 'see website', 'Call us']) {
        const rosters = compliantNetwork();
        rosters['plans.csv'] = rosters['plans.csv']!.replace(`"${DIRECTIONS}"`, `"${placeholder}"`);
        const { code, json } = await runScenario(provider, rosters);
        expect(failing(json), placeholder).toEqual(['HI-DIRECTIONS deficient']);
        expect(code).toBe(1);
      }
    });

    it('ready-to-use biologics: A1PI and IG from a pharmacy that does not compound cover the chronic classes', async () => {
      // Alpha-1 proteinase inhibitor and immune globulin are infused from the vial or reconstituted
      // per labeling: usable form without sterile compounding.
      const rosters = compliantNetwork();
      rosters['pharmacies.csv'] = [
        PHARMACY_HEADER,
        pharmacyRow(ALPHA, 'Alpha Home Infusion', { compounding: true, services: true }),
        pharmacyRow(GAMMA, 'Gamma Specialty Pharmacy', { compounding: false, services: true }),
      ].join('\n');
      rosters['network.csv'] =
        `${rosters['network.csv']!}\nS1234,001,000,${GAMMA},home_infusion,2026-01-01,`;
      rosters['capabilities.csv'] = [
        'npi,drug_class,usable_form,notes',
        ...REQUIRED.filter((c) => c !== 'A1PI' && c !== 'IG_NONPID').map((c) => `${ALPHA},${c},Y,`),
        `${GAMMA},A1PI,Y,ready-to-use or reconstituted per labeling`,
        `${GAMMA},IG_NONPID,Y,`,
        // A Part B pump class Gamma cannot prepare: reported at info, never a Part D failure.
        `${GAMMA},INOTROPE,Y,`,
      ].join('\n');
      const { code, json } = await runScenario(provider, rosters);
      expect(failing(json)).toEqual([]);
      const pump = json.findings.filter((f) => f.ruleId === 'HI-USABLE');
      expect(pump.map((f) => f.severity)).toEqual(['info']);
      expect(json.verdict).toBe('COMPLIANT');
      expect(code).toBe(0);
    });

    it('a failed file in a run: INCOMPLETE (exit 4), and every report says which file', async () => {
      const rosters = compliantNetwork();
      // A second network file whose header lacks required columns: it fails to load.
      rosters['network-retail.csv'] = ['contract_id,pbp_id,npi', `S1234,001,${GAMMA}`].join('\n');
      const { code, json, stderr } = await runScenario(provider, rosters);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.missing.map((m) => m.what)).toEqual(['roster_file']);
      expect(json.missing[0]?.message).toMatch(/network-retail\.csv failed to load/);
      expect(stderr).toMatch(/cannot judge the scope: roster file network-retail\.csv/);
      expect(code).toBe(4);

      const folder = join(json.report.xlsx, '..');
      const files = readdirSync(folder);
      const read = (ext: string): string =>
        readFileSync(
          join(
            folder,
            files.find((f) => f.endsWith(ext))!,
          ),
          'utf8',
        );
      const doc = JSON.parse(read('.json')) as {
        run: { verdict: string; missing: { message: string }[] };
        summary: { verdict: string; missing: unknown[] };
        findings: { citation: string }[];
      };
      expect(doc.run.verdict).toBe('INCOMPLETE');
      expect(doc.summary.missing).toHaveLength(1);
      expect(doc.run.missing[0]?.message).toMatch(/network-retail\.csv/);
      expect(doc.findings.every((f) => f.citation.length > 0)).toBe(true);
      expect(read('.md')).toMatch(
        /\*\*Verdict: INCOMPLETE\*\*[\s\S]*network-retail\.csv failed to load/,
      );
      expect(read('.html')).toMatch(
        /id="verdict">INCOMPLETE<[\s\S]*id="missing"[\s\S]*network-retail\.csv/,
      );
      // Amber as in the workbook: not judged, which is neither a pass nor a failure.
      expect(read('.html')).toContain('<span class="verdict incomplete" id="verdict">');
    });

    it('a rejected row may hide a late urgent decision: INCOMPLETE (exit 4), never a pass', async () => {
      const header = REQUESTS_HEADER;
      const onTime = `R1,S1234,001,ABX_IV,vancomycin,coverage_determination,Y,2026-10-05T14:10:00Z,,2026-10-06T10:40:00Z,approved,M0000001`;
      // Decided 14 days after an expedited request (24 hours allowed), with a typo in the time.
      const late = (decidedAt: string): string =>
        `R2,S1234,001,ABX_IV,vancomycin,coverage_determination,Y,2026-10-05T14:10:00Z,,${decidedAt},approved,M0000002`;
      const rosters = compliantNetwork();
      rosters['coverage_requests.csv'] = [header, onTime, late('2026-10-19 25:61')].join('\n');
      const { code, json, stderr, url, rosterDir } = await runScenario(provider, rosters);
      expect(failing(json)).toEqual([]);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.missing.map((m) => m.what)).toEqual(['rejected_rows']);
      expect(json.missing[0]?.message).toMatch(
        /^the latest roster files hold 1 rejected row \(coverage_requests\.csv, coverage_requests: 1\); what it describes is not in the audit/,
      );
      expect(stderr).toMatch(/cannot judge the scope: the latest roster files hold 1 rejected row/);
      expect(code).toBe(4);

      // The file corrected and imported again into the same database: its earlier rejection no
      // longer counts (R1's version stays from the first import), and the late decision shows.
      writeFileSync(
        join(rosterDir, 'coverage_requests.csv'),
        `${[header, onTime, late('2026-10-19T10:00:00Z')].join('\n')}\n`,
      );
      const reimport = await runCli([
        'import',
        join(rosterDir, 'coverage_requests.csv'),
        '--as-of',
        AS_OF,
        '--db',
        url,
      ]);
      expect(reimport.code).toBe(0);
      const again = await runCli(['audit', '--as-of', AS_OF, '--db', url, '--json']);
      const againJson = JSON.parse(again.stdout) as RunJson;
      expect(againJson.missing).toEqual([]);
      expect(failing(againJson)).toContain('HI-TIMELY late');
      expect(again.code).toBe(1);

      // The row corrected: the late decision is a finding a regulator acts on.
      rosters['coverage_requests.csv'] = [header, onTime, late('2026-10-19T10:00:00Z')].join('\n');
      const fixed = await runScenario(provider, rosters);
      expect(fixed.json.missing).toEqual([]);
      expect(failing(fixed.json)).toContain('HI-TIMELY late');
      expect(fixed.code).toBe(1);

      // A sponsor may accept a known rejected row by policy: the run is judged, the row still listed.
      rosters['coverage_requests.csv'] = [header, onTime, late('2026-10-19 25:61')].join('\n');
      const dir = mkdtempSync(join(tmpdir(), 'ia-policy-'));
      const policy = join(dir, 'policy.json');
      writeFileSync(policy, JSON.stringify({ acceptRejectedRows: 1 }));
      const accepted = await runScenario(provider, rosters, ['--policy', policy]);
      expect(accepted.json.missing).toEqual([]);
      expect(accepted.json.verdict).toBe('COMPLIANT');
      expect(accepted.stderr).toMatch(/row 3, column decided_at: .*impossible time of day/);
    });

    it('a later roster file that loaded nothing, or a new bad row: INCOMPLETE, not the old pass', async () => {
      const NETWORK_HEADER =
        'contract_id,pbp_id,segment_id,npi,role,effective_date,termination_date';
      const rosters = compliantNetwork();
      const first = await runScenario(provider, rosters);
      expect(first.json.verdict).toBe('COMPLIANT');
      const { url } = first;
      const audit = async (asOf: string): Promise<{ code: number | null; json: RunJson }> => {
        const res = await runCli(['audit', '--as-of', asOf, '--db', url, '--json']);
        return { code: res.code, json: JSON.parse(res.stdout) as RunJson };
      };
      const load = async (path: string, asOf: string, exit = 0): Promise<string> => {
        const res = await runCli(['import', path, '--as-of', asOf, '--db', url]);
        expect(res.code, res.stderr).toBe(exit);
        return res.stderr;
      };
      const dir = mkdtempSync(join(tmpdir(), 'ia-later-'));

      // Next month's network file under a new name: every NPI mistyped (check digit), so none of
      // its rows loads and last month's network stays in force. Passing it again would judge a
      // network the sponsor has replaced.
      const next = join(dir, 'network-2026-12.csv');
      writeFileSync(
        next,
        `${[NETWORK_HEADER, `S1234,001,000,1000000013,home_infusion,2026-01-01,`].join('\n')}\n`,
      );
      // The import itself fails loudly (exit 2): a scheduler must not read the night as a success.
      expect(await load(next, '2026-12-01', 2)).toMatch(
        /network-2026-12\.csv: none of its 1 row\(s\) loaded \(every row was rejected\)/,
      );
      const after = await audit('2026-12-01');
      expect(after.json.verdict).toBe('INCOMPLETE');
      expect(after.json.missing.map((m) => m.what)).toEqual(['roster_file']);
      expect(after.json.missing[0]?.message).toMatch(
        /^roster file network-2026-12\.csv \(network\) loaded none of its rows \(1 row rejected\)/,
      );
      expect(after.code).toBe(4);
      // Even under a policy that accepts some rejected rows: a file that loaded nothing failed.
      const tolerant = join(dir, 'tolerant-policy.json');
      writeFileSync(tolerant, JSON.stringify({ acceptRejectedRows: 100 }));
      const res = await runCli([
        'audit',
        '--as-of',
        '2026-12-01',
        '--db',
        url,
        '--json',
        '--policy',
        tolerant,
      ]);
      expect(res.code).toBe(4);
      expect((JSON.parse(res.stdout) as RunJson).missing.map((m) => m.what)).toEqual([
        'roster_file',
      ]);
      // Before that file's date, the audit is judged as before.
      expect((await audit(AS_OF)).json.verdict).toBe('COMPLIANT');

      // The same file corrected: it loads, and nothing is missing.
      writeFileSync(
        next,
        `${[NETWORK_HEADER, `S1234,001,000,${ALPHA},home_infusion,2026-01-01,`].join('\n')}\n`,
      );
      await load(next, '2026-12-01');
      const fixed = await audit('2026-12-01');
      expect(fixed.json.missing).toEqual([]);
      expect(fixed.code).toBe(0);

      // The file sent again with its row unchanged and one new bad row: the unchanged row keeps
      // its earlier version, so this import has no row in force, yet its rejection counts.
      writeFileSync(
        next,
        `${[NETWORK_HEADER, `S1234,001,000,${ALPHA},home_infusion,2026-01-01,`, `S1234,001,000,${GAMMA},home_infusion,2026-13-01,`].join('\n')}\n`,
      );
      await load(next, '2026-12-02');
      const resent = await audit('2026-12-02');
      expect(resent.json.missing[0]?.message).toMatch(
        /^the latest roster files hold 1 rejected row \(network-2026-12\.csv, network: 1\)/,
      );
      expect(resent.code).toBe(4);
    });

    it('no coverage request roster: timeliness unchecked is INCOMPLETE, unless the policy disables it', async () => {
      // The letter asks that expedited requests for infusion drugs be resolved as quickly as
      // possible: with no request data the audit cannot say they were.
      const rosters = compliantNetwork();
      delete rosters['coverage_requests.csv'];
      const { code, json, stderr } = await runScenario(provider, rosters);
      expect(failing(json)).toEqual([]);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.missing.map((m) => m.what)).toEqual(['coverage_requests']);
      expect(json.missing[0]?.message).toMatch(
        /^no coverage request roster has been imported by 2026-11-01: whether expedited and standard requests are decided in time \(HI-TIMELY\) was not checked/,
      );
      expect(stderr).toMatch(/cannot judge the scope: no coverage request roster/);
      expect(code).toBe(4);
      const html = readFileSync(json.report.html, 'utf8');
      expect(html).toMatch(/HI-TIMELY[\s\S]{0,2000}NOT EVALUATED/);

      // A sponsor that audits the network alone says so in its policy: the verdict is judged.
      const dir = mkdtempSync(join(tmpdir(), 'ia-policy-'));
      const policy = join(dir, 'policy.json');
      writeFileSync(policy, JSON.stringify({ rules: { 'HI-TIMELY': { enabled: false } } }));
      const off = await runScenario(provider, rosters, ['--policy', policy]);
      expect(off.json.missing).toEqual([]);
      expect(off.json.verdict).toBe('COMPLIANT');
      expect(off.code).toBe(0);
    });

    it('no capability roster: the class gaps it shows are not evidence, INCOMPLETE', async () => {
      // Without a capability roster no pharmacy is known to dispense any class: every county
      // would show every class missing, a verdict drawn from absent data.
      const rosters = compliantNetwork();
      delete rosters['capabilities.csv'];
      const { code, json, stderr } = await runScenario(provider, rosters);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.missing.map((m) => m.what)).toEqual(['capability_roster']);
      expect(json.missing[0]?.message).toMatch(
        /^no capability roster is in force on 2026-11-01: no pharmacy's drug classes are known/,
      );
      expect(stderr).toMatch(/cannot judge the scope: no capability roster/);
      expect(code).toBe(4);
    });

    it('no pharmacy roster: INCOMPLETE, not a pass', async () => {
      const rosters = compliantNetwork();
      delete rosters['pharmacies.csv'];
      delete rosters['capabilities.csv'];
      const { code, json } = await runScenario(provider, rosters);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.missing.map((m) => m.what)).toContain('pharmacy_roster');
      expect(code).toBe(4);
    });

    it('empty database: audit never prints COMPLIANT; it exits 4 and says nothing was checked', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ia-empty-'));
      // SQLite: the nightly job started in the wrong folder: the default ./data/infusion-audit.db
      // is created there, empty. PostgreSQL: a new, empty database.
      const dbArgs: string[] = [];
      if (provider !== 'sqlite') {
        const t = await createTestDatabase(provider);
        cleanup.push(t);
        dbArgs.push('--db', t.url);
      }
      const args = ['audit', '--as-of', AS_OF, ...dbArgs];
      const res = await runCli(args, { cwd: dir });
      expect(res.code).toBe(4);
      const all = `${res.stdout}\n${res.stderr}`;
      expect(all).not.toMatch(/(^|[^-_A-Z])COMPLIANT/);
      expect(res.stdout).toMatch(/INCOMPLETE/);
      expect(res.stderr).toMatch(/cannot judge the scope: no pharmacy roster is in force/);
      expect(res.stderr).toMatch(/cannot judge the scope: no plan is in scope/);
      const json = await runCli([...args, '--json'], { cwd: dir });
      const out = JSON.parse(json.stdout) as RunJson;
      expect(out.verdict).toBe('INCOMPLETE');
      expect(out.missing.map((m) => m.what).sort()).toEqual([
        'capability_roster',
        'coverage_requests',
        'pharmacy_roster',
        'plans',
      ]);
      // The stored run renders as INCOMPLETE too.
      const show = await runCli(['show', '1', ...dbArgs], { cwd: dir });
      expect(show.stdout).toMatch(/INCOMPLETE/);
      expect(show.stderr).toMatch(/cannot judge the scope: no plan is in scope/);
      const outDir = join(dir, 'out');
      const report = await runCli(['report', '--out', outDir, ...dbArgs], { cwd: dir });
      expect(report.stderr).not.toMatch(/error:/);
      // Into the dated folder, as `run` writes.
      const md = readdirSync(join(outDir, AS_OF)).find((f) => f.endsWith('.md'))!;
      expect(readFileSync(join(outDir, AS_OF, md), 'utf8')).toMatch(
        /\*\*Verdict: INCOMPLETE\*\*[\s\S]*no plan is in scope/,
      );
    });
  },
);
