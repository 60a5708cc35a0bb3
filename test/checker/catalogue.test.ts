import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, SEMANTIC_DIAGNOSTICS } from '../../src/checker/index.js';
import type { DiagnosticKind } from '../../src/diagnostics/catalogue.js';
import { codeNumber, PHASE_RANGES } from '../../src/diagnostics/catalogue.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse, SYNTAX_DIAGNOSTICS } from '../../src/parser/index.js';

const fixturesRoot = join(import.meta.dirname, '../fixtures');

function utrFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return utrFiles(path);
    return name.endsWith('.utr') ? [path] : [];
  });
}

/** Every code some fixture really produces (parsed and checked, not just annotated). */
function producedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const path of utrFiles(fixturesRoot)) {
    const source = new SourceFile(path, readFileSync(path, 'utf8'));
    for (const d of check(parse(source), { source }).diagnostics) codes.add(d.code);
  }
  return codes;
}

const catalogues: ReadonlyArray<readonly [string, readonly DiagnosticKind[]]> = [
  ['syntax', SYNTAX_DIAGNOSTICS],
  ['semantic', SEMANTIC_DIAGNOSTICS],
];

describe('diagnostic catalogues', () => {
  const all = catalogues.flatMap(([, kinds]) => kinds);

  it('never gives two kinds the same code or name', () => {
    const codes = all.map((k) => k.code);
    const names = all.map((k) => k.name);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const [phase, kinds] of catalogues) {
    it(`keeps ${phase} codes in the ${phase} range with kebab-case names and one-sentence summaries`, () => {
      const [lo, hi] = PHASE_RANGES[phase as 'syntax' | 'semantic'];
      for (const k of kinds) {
        expect(k.phase, k.code).toBe(phase);
        expect(codeNumber(k.code), k.code).toBeGreaterThanOrEqual(lo);
        expect(codeNumber(k.code), k.code).toBeLessThanOrEqual(hi);
        expect(k.name, k.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(k.summary, k.code).toMatch(/^[A-Z`].*\.$/);
      }
    });
  }

  it('has a fixture that produces every semantic code', () => {
    const produced = producedCodes();
    const missing = SEMANTIC_DIAGNOSTICS.filter((k) => !produced.has(k.code)).map((k) => `${k.code} ${k.name}`);
    expect(missing).toEqual([]);
  });
});
