/**
 * The examples are the product's showcase: every correct engine in `examples/` is clean of race warnings (no false
 * positives), and every engine in `examples/racy/` is well-typed and flagged by exactly the rule it demonstrates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../../src/checker/rules/index.js';
import { brief, lint } from './support.js';

const correct = readdirSync('examples').filter((f) => f.endsWith('.utr'));
const racy = readdirSync('examples/racy').filter((f) => f.endsWith('.utr'));

describe('correct examples', () => {
  test('there are some', () => expect(correct.length).toBeGreaterThan(0));
  test.each(correct)('examples/%s has no race warnings', (f) => {
    const r = lint(readFileSync(`examples/${f}`, 'utf8'), `examples/${f}`);
    expect(r.races.map((d) => brief(d, r.source))).toEqual([]);
  });
});

describe('racy examples', () => {
  test('there is exactly one per rule', () => {
    const codes = racy.map((f) => f.slice(0, 7).toUpperCase()).sort();
    expect(codes).toEqual(RULES.map((r) => r.meta.code));
  });
  test.each(racy)('examples/racy/%s is well-typed and flagged only by its own rule', (f) => {
    const code = f.slice(0, 7).toUpperCase();
    const r = lint(readFileSync(`examples/racy/${f}`, 'utf8'), `examples/racy/${f}`);
    expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
    expect(r.races.length).toBeGreaterThan(0);
    expect(r.races.map((d) => brief(d, r.source)).filter((b) => !b.startsWith(code))).toEqual([]);
  });
});

describe('racy diagnostics', () => {
  test.each(racy)('examples/racy/%s: each finding names the other side of the race, inside the file', (f) => {
    const r = lint(readFileSync(`examples/racy/${f}`, 'utf8'), `examples/racy/${f}`);
    for (const d of r.races) {
      expect(d.related.length, d.message).toBeGreaterThan(0);
      for (const rel of [d.span, ...d.related.map((x) => x.span)]) {
        expect(rel.start).toBeGreaterThanOrEqual(0);
        expect(rel.end).toBeGreaterThan(rel.start);
        expect(rel.end).toBeLessThanOrEqual(r.source.text.length);
      }
      expect(d.message).not.toContain('\n');
      expect(d.notes.length + (d.help ? 1 : 0)).toBeGreaterThan(0);
    }
  });
});
