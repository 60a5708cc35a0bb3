/** `utrc rules` and `utrc explain`, run as a user runs them. */
import { describe, expect, test } from 'vitest';
import { RULES } from '../../src/checker/rules/index.js';
import { utrc } from './helpers.js';

describe('utrc rules', () => {
  test('lists every rule with its code, name, severity and summary', () => {
    const r = utrc(['rules']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const { meta } of RULES) {
      expect(r.stdout).toMatch(new RegExp(`^${meta.code}\\s+${meta.name}\\s+${meta.severity}`, 'm'));
      expect(r.stdout).toContain(meta.summary);
    }
  });

  test('--format json gives the catalogue as data', () => {
    const r = utrc(['rules', '--format', 'json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      rules: { code: string; docs: string; fix: string }[];
      suppressions: { code: string }[];
    };
    expect(doc.rules.map((x) => x.code)).toEqual(RULES.map((x) => x.meta.code));
    expect(doc.rules[1]?.docs).toBe('docs/rules/UTR3002-callback-clears-async-stop.md');
    expect(doc.suppressions.map((x) => x.code)).toEqual(['UTR3900', 'UTR3901']);
  });

  test('a bad format or an argument is a usage error', () => {
    expect(utrc(['rules', '--format', 'xml']).status).toBe(2);
    expect(utrc(['rules', 'UTR3002']).status).toBe(2);
  });
});

describe('utrc explain', () => {
  test('prints the rule page by code or by name', () => {
    const byCode = utrc(['explain', 'UTR3002']);
    expect(byCode.status).toBe(0);
    expect(byCode.stdout).toMatch(/^# UTR3002: callback-clears-async-stop\n/);
    expect(byCode.stdout).toContain('### The schedule that shows it');
    expect(byCode.stdout).toContain('on quiesce when want_stop do stop');
    expect(utrc(['explain', 'callback-clears-async-stop']).stdout).toBe(byCode.stdout);
  });

  test('other codes get their catalogue summary', () => {
    const r = utrc(['explain', 'UTR2034']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('examine-while-running');
    expect(utrc(['explain', 'UTR3900']).stdout).toContain('unused-suppression');
  });

  test('an unknown code is a one-line usage error with a hint', () => {
    const r = utrc(['explain', 'UTR3999']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown diagnostic code or rule `UTR3999`');
    expect(utrc(['explain', 'barrier']).stderr).toContain('did you mean `UTR3004`');
    expect(utrc(['explain']).status).toBe(2);
  });
});
