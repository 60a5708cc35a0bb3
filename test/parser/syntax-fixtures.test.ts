import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/parser/index.js';
import { SYNTAX_DIAGNOSTICS } from '../../src/parser/diagnostics.js';
import { assertDiagnosticsMatch, readAnnotations } from '../support/annotated.js';

const dir = fileURLToPath(new URL('../fixtures/syntax/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.utr'))
  .sort();

describe('syntax error fixtures (test/fixtures/syntax)', () => {
  it('are at least twenty, each expecting at least one syntax error', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    for (const f of fixtures) expect(readAnnotations(readFileSync(dir + f, 'utf8')).length, f).toBeGreaterThan(0);
  });

  it('cover every syntax diagnostic the parser can report by itself', () => {
    const codes = new Set(fixtures.flatMap((f) => readAnnotations(readFileSync(dir + f, 'utf8')).map((a) => a.code)));
    const reachable = SYNTAX_DIAGNOSTICS.filter((k) => !['UTR1013', 'UTR1016'].includes(k.code)); // see robustness tests
    for (const k of reachable) expect(codes, `${k.code} ${k.name}`).toContain(k.code);
  });

  for (const f of fixtures) {
    it(f, () => {
      const source = new SourceFile(`test/fixtures/syntax/${f}`, readFileSync(dir + f, 'utf8'));
      assertDiagnosticsMatch(parse(source).diagnostics, source);
    });
  }
});
