/** `docs/rules/` is generated from the rules' metadata; this fails when a page drifts or a rule has none. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { rulePage, rulePageName, rulesIndexPage, ruleTerminalPage } from '../../../src/checker/rules/docs.js';
import { RULES } from '../../../src/checker/rules/index.js';

const DIR = 'docs/rules';
const STALE = 'is stale: run `npm run gen` (pages are generated from src/checker/rules)';

describe('docs/rules', () => {
  test.each(RULES.map((r) => [r.meta.code, r] as const))('%s has an up-to-date page', (_code, rule) => {
    const path = `${DIR}/${rulePageName(rule.meta)}`;
    expect(readFileSync(path, 'utf8'), `${path} ${STALE}`).toBe(rulePage(rule.meta));
  });

  test('the index is up to date and there is no page without a rule', () => {
    expect(readFileSync(`${DIR}/README.md`, 'utf8'), `${DIR}/README.md ${STALE}`).toBe(rulesIndexPage());
    const expected = new Set(['README.md', ...RULES.map((r) => rulePageName(r.meta))]);
    expect(readdirSync(DIR).filter((f) => !expected.has(f))).toEqual([]);
  });

  test('a page has every part the issue asks for', () => {
    const page = rulePage(RULES[1]!.meta);
    for (const heading of [
      '## What it flags',
      '## Why it is a race',
      '### The schedule that shows it',
      '## Example',
      '## Fix',
    ]) {
      expect(page).toContain(heading);
    }
    expect(page).toContain('1. ');
    expect(page).toContain('**In the simulator:**');
  });

  test('the terminal page is the Markdown page without fences and generator comment', () => {
    const page = ruleTerminalPage(RULES[0]!.meta);
    expect(page).toMatch(/^# UTR3001: examine-after-pending-stop\n/);
    expect(page).not.toContain('```');
    expect(page).not.toContain('<!--');
    expect(page).toContain('engine stepper {');
  });
});
