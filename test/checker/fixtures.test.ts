import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/parser/index.js';
import { assertDiagnosticsMatch } from '../support/annotated.js';

// Each fixture is one concern: a `.utr` file with the diagnostics it must produce written inline as caret comments.
const dir = join(import.meta.dirname, '../fixtures/semantic');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.utr'))
  .sort();

describe('semantic diagnostics', () => {
  it('follow the house style: one line, lower-case start, no final period, a span inside the file', () => {
    for (const name of fixtures) {
      const source = new SourceFile(name, readFileSync(join(dir, name), 'utf8'));
      for (const d of check(parse(source), { source }).diagnostics) {
        const where = `${name}: ${d.message}`;
        expect(d.message, where).toMatch(/^[a-z`][^\n]*[^.\n]$/);
        if (d.label !== undefined) expect(d.label, where).toMatch(/^[^\n]*[^.\n]$/);
        expect(d.span.end, where).toBeLessThanOrEqual(source.text.length);
        expect(d.span.start, where).toBeLessThanOrEqual(d.span.end);
        for (const r of d.related) expect(r.span.end, where).toBeLessThanOrEqual(source.text.length);
      }
    }
  });
});

describe('semantic fixtures', () => {
  it('has enough fixtures to cover the checks', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of fixtures) {
    it(name, () => {
      const source = new SourceFile(`test/fixtures/semantic/${name}`, readFileSync(join(dir, name), 'utf8'));
      const parsed = parse(source);
      // Semantic fixtures are well-formed: a syntax error here would test the parser, not the checker.
      expect(parsed.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const checked = check(parsed, { source });
      assertDiagnosticsMatch(checked.diagnostics, source);
    });
  }
});
