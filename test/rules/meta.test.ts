/**
 * Keeps rules, registry, docs and tests in sync: every registered rule is complete, documented in
 * docs/RULES.md under a heading containing its id, and has its own test file.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/domain/types.js';
import { evaluate } from './snapshot-builder.js';
import { RULES, RULE_IDS, RULE_SET_VERSION } from '../../src/rules/registry.js';
import { makePolicy, makeSnapshot } from './snapshot-builder.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = readFileSync(`${root}docs/RULES.md`, 'utf8');
const headings = docs.split('\n').filter((l) => /^#{2,4} /.test(l));

describe('rule set', () => {
  it('docs/RULES.md states the rule set version the code records with every run', () => {
    expect(docs).toContain(`Rule set version: \`${RULE_SET_VERSION}\``);
  });

  it('ids are unique and upper-case kebab', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    for (const id of RULE_IDS) expect(id).toMatch(/^[A-Z0-9]+(-[A-Z0-9]+)*$/);
  });

  it('src/rules holds the registry and one file per registered rule, named after its id', () => {
    const ruleFiles = readdirSync(`${root}src/rules`).filter((f) => f !== 'registry.ts');
    expect(ruleFiles.sort()).toEqual(RULE_IDS.map((id) => `${id.toLowerCase()}.ts`).sort());
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    it('has a title, citation, description, remediation and a valid default severity', () => {
      expect(rule.title.trim()).not.toBe('');
      expect(rule.citation.trim()).not.toBe('');
      expect(rule.description.trim().length).toBeGreaterThan(40);
      expect(rule.remediation.trim().length).toBeGreaterThan(20);
      expect(SEVERITIES).toContain(rule.defaultSeverity);
    });

    it('has at least one message with placeholders', () => {
      const messages = Object.entries(rule.messages);
      expect(messages.length).toBeGreaterThan(0);
      for (const [messageId, template] of messages) {
        expect(messageId).toMatch(/^[a-z][A-Za-z0-9]*$/);
        expect(template.trim()).not.toBe('');
      }
    });

    it('is documented in docs/RULES.md under a heading with its id, citing its citation', () => {
      const heading = headings.find(
        (h) => new RegExp(`\\b${id}\\b`).test(h) && !h.includes(`${id}-`),
      );
      expect(heading, `no heading for ${id} in docs/RULES.md`).toBeDefined();
      const section = docs.slice(docs.indexOf(heading!)).split(/\n#{2,3} /)[0]!;
      expect(section).toContain(rule.citation);
      expect(section).toContain(rule.defaultSeverity);
    });

    it('has a test file', () => {
      expect(existsSync(`${root}test/rules/${id.toLowerCase()}.test.ts`)).toBe(true);
    });
  });

  it('findings carry message ids their rule defines, with rendered placeholders', () => {
    const snapshot = makeSnapshot({
      serviceAreas: [{ contractId: 'S1234', pbpId: '001', segmentId: '000', countyFips: '99999' }],
    });
    const { findings } = evaluate({ snapshot, policy: makePolicy() });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      const rule = RULES.find((r) => r.id === f.ruleId)!;
      expect(Object.keys(rule.messages)).toContain(f.messageId);
      expect(f.message).not.toMatch(/\{\w+\}/);
    }
  });
});
