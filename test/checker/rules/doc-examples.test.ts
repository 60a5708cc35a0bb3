/**
 * Every rule's documented examples are real: the bad one parses and type-checks clean and is flagged by the rule,
 * the good one is clean of every race rule. The docs pages are generated from these, so they cannot lie.
 */
import { describe, expect, test } from 'vitest';
import { RULES } from '../../../src/checker/rules/index.js';
import { brief, lint } from './support.js';

describe.each(RULES.map((r) => [r.meta.code, r] as const))('%s documented examples', (code, rule) => {
  test('the bad example is well-typed and flagged by the rule', () => {
    const r = lint(rule.meta.docs.bad, `${code}-bad.utr`);
    expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
    expect(r.races.map((d) => d.code)).toContain(code);
  });

  test('the good example is well-typed and clean of every race rule', () => {
    const r = lint(rule.meta.docs.good, `${code}-good.utr`);
    expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
    expect(r.races.map((d) => brief(d, r.source))).toEqual([]);
  });
});
