/** The registry and the options the CLI maps `--rule`, `--no-rule` and `--severity` onto. */
import { describe, expect, test } from 'vitest';
import { SEMANTIC_DIAGNOSTICS } from '../../../src/checker/diagnostics.js';
import { enabledRules, findRule, lintRaces, RULES, unknownRuleRefs } from '../../../src/checker/rules/index.js';
import { SUPPRESSION_DIAGNOSTICS } from '../../../src/checker/suppress.js';
import { codeNumber, PHASE_RANGES } from '../../../src/diagnostics/catalogue.js';
import { SYNTAX_DIAGNOSTICS } from '../../../src/parser/index.js';
import { lint } from './support.js';

const RACY = `engine e {
  state want: bool = false
  every 10ms do
    set want = true
    then stop match { stopped => set want = false then resume  pending => nothing  gone => nothing }
  on signal(sig) do fate ignore then stop
  on quiesce do resume
  control cont do resume
}`;

describe('catalogue', () => {
  test('codes are unique across all phases and race codes sit in the race range', () => {
    const all = [
      ...SYNTAX_DIAGNOSTICS,
      ...SEMANTIC_DIAGNOSTICS,
      ...RULES.map((r) => r.meta),
      ...Object.values(SUPPRESSION_DIAGNOSTICS),
    ];
    const codes = all.map((k) => k.code);
    expect(new Set(codes).size).toBe(codes.length);
    const [lo, hi] = PHASE_RANGES.race;
    for (const r of RULES) {
      expect(codeNumber(r.meta.code)).toBeGreaterThanOrEqual(lo);
      expect(codeNumber(r.meta.code)).toBeLessThanOrEqual(hi);
    }
  });

  test('rules are in code order, covering UTR3001-UTR3012 of races.md, with unique kebab-case names', () => {
    const codes = RULES.map((r) => r.meta.code);
    expect(codes).toEqual([...codes].sort());
    for (let n = 3001; n <= 3012; n++) expect(codes).toContain(`UTR${n}`);
    const names = RULES.map((r) => r.meta.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('every rule has complete docs: a schedule of several steps, bad and good examples, a fix and a reference', () => {
    for (const { meta } of RULES) {
      expect(meta.summary, meta.code).toMatch(/\.$/);
      expect(meta.docs.scenario.length, meta.code).toBeGreaterThanOrEqual(3);
      expect(meta.docs.bad).not.toBe(meta.docs.good);
      for (const part of [meta.docs.what, meta.docs.why, meta.docs.fix, meta.docs.reference, meta.docs.symptom]) {
        expect(part.length, meta.code).toBeGreaterThan(10);
      }
    }
  });
});

describe('options', () => {
  test('rules are found by code (any case) or name', () => {
    expect(findRule('utr3002')?.meta.name).toBe('callback-clears-async-stop');
    expect(findRule('callback-clears-async-stop')?.meta.code).toBe('UTR3002');
    expect(findRule('UTR9999')).toBeUndefined();
  });

  test('unknown references are reported for a usage error', () => {
    expect(unknownRuleRefs({ only: ['UTR3002', 'nope'], disable: ['UTR3999'], severity: { bogus: 'error' } })).toEqual([
      'nope',
      'UTR3999',
      'bogus',
    ]);
  });

  test('all rules run by default; --rule selects, --no-rule removes, severity off disables', () => {
    expect(enabledRules().length).toBe(RULES.length);
    expect(enabledRules({ only: ['UTR3002'] }).map((r) => r.rule.meta.code)).toEqual(['UTR3002']);
    expect(enabledRules({ disable: ['UTR3002'] }).map((r) => r.rule.meta.code)).not.toContain('UTR3002');
    expect(enabledRules({ only: ['UTR3002'], disable: ['UTR3002'] })).toEqual([]);
    expect(enabledRules({ severity: { 'callback-clears-async-stop': 'off' } }).length).toBe(RULES.length - 1);
  });

  test('the selection and severity overrides show in the diagnostics', () => {
    const all = lint(RACY).races.map((d) => d.code);
    expect(all).toEqual(['UTR3002', 'UTR3003']);
    expect(lint(RACY, 'x.utr', { only: ['UTR3003'] }).races.map((d) => d.code)).toEqual(['UTR3003']);
    expect(lint(RACY, 'x.utr', { disable: ['UTR3003'] }).races.map((d) => d.code)).toEqual(['UTR3002']);
    const loud = lint(RACY, 'x.utr', { severity: { UTR3002: 'error' } }).races;
    expect(loud.map((d) => [d.code, d.severity])).toEqual([
      ['UTR3002', 'error'],
      ['UTR3003', 'warning'],
    ]);
  });

  test('diagnostics name both sides of the race and carry the file name', () => {
    const r = lint(RACY, 'engines/e.utr');
    for (const d of r.races) {
      expect(d.file).toBe('engines/e.utr');
      expect(d.related.length).toBeGreaterThan(0);
      expect(d.message).not.toMatch(/\.$/);
    }
    const [lost] = r.races;
    expect(r.source.text.slice(lost!.span.start, lost!.span.end)).toBe('stop');
    expect(r.source.text.slice(lost!.related[0]!.span.start, lost!.related[0]!.span.end)).toBe('resume');
  });

  test('a file without engines or with only syntax errors gives no race diagnostics and does not throw', () => {
    expect(lint('').races).toEqual([]);
    expect(lint('engine e { on quiesce do').races).toEqual([]);
    expect(lintRaces(lint('engine { }').checked)).toEqual([]);
  });
});
