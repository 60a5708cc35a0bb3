/**
 * Fixes are mechanical and must be right: applying a diagnostic's fix to the engine it was reported on gives a
 * program that still parses and type-checks, and the rule no longer fires at that place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { brief, lint } from './support.js';

function applyFix(text: string, d: Diagnostic): string {
  const edits = [...(d.fix?.edits ?? [])].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const sources = [
  ...readdirSync('examples/racy').map((f) => `examples/racy/${f}`),
  ...readdirSync('test/fixtures/races').map((f) => `test/fixtures/races/${f}`),
].filter((f) => f.endsWith('.utr'));

const cases = sources.flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return lint(text, file)
    .races.filter((d) => d.fix !== undefined)
    .map((d) => [`${file} ${d.code} at ${d.span.start}`, file, text, d] as const);
});

describe('fixes', () => {
  test('some diagnostics carry fixes', () => expect(cases.length).toBeGreaterThan(8));

  test.each(cases)('%s', (_name, file, text, d) => {
    const fixed = lint(applyFix(text, d), file);
    expect(fixed.frontEnd.map((x) => brief(x, fixed.source))).toEqual([]);
    // The same finding (same code, same message) is gone.
    expect(
      fixed.races.filter((x) => x.code === d.code && x.message === d.message).map((x) => brief(x, fixed.source)),
    ).toEqual([]);
  });
});
