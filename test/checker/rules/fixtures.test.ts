/**
 * Per-rule fixtures (`test/fixtures/races/utr3xxx*.utr`): engines the rule must flag and engines it must leave
 * alone, side by side, with the expected diagnostics written inline as caret comments. Each fixture runs with only
 * its own rule enabled, so the annotations say exactly what that rule reports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findRule, RULES } from '../../../src/checker/rules/index.js';
import { assertDiagnosticsMatch } from '../../support/annotated.js';
import { brief, lint } from './support.js';

const DIR = 'test/fixtures/races';
const files = readdirSync(DIR).filter((f) => f.endsWith('.utr'));

describe('race rule fixtures', () => {
  test.each(files)('%s', (f) => {
    const code = f.slice(0, 7).toUpperCase();
    expect(findRule(code)).toBeDefined();
    const r = lint(readFileSync(`${DIR}/${f}`, 'utf8'), `${DIR}/${f}`, { only: [code] });
    expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
    assertDiagnosticsMatch(r.races, r.source);
  });

  test('every rule has a fixture that fires it and an engine it leaves alone', () => {
    for (const rule of RULES) {
      const mine = files.filter((f) => f.toUpperCase().startsWith(rule.meta.code));
      expect(mine.length, rule.meta.code).toBeGreaterThan(0);
      const texts = mine.map((f) => readFileSync(`${DIR}/${f}`, 'utf8'));
      expect(
        texts.some((t) => t.includes(`warning ${rule.meta.code}:`)),
        `${rule.meta.code} fires`,
      ).toBe(true);
      expect(
        texts.some((t) => /^# Silent|silent/m.test(t)),
        `${rule.meta.code} has a silent case`,
      ).toBe(true);
    }
  });
});
