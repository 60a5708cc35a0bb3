import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/checker/index.js';
import type { Diagnostic, TextEdit } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';

// A safe fix must do what it says: applied to the fixture, it removes its diagnostic and breaks nothing else.
const dir = join(import.meta.dirname, '../fixtures/semantic');

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

const cases: [string, Diagnostic][] = [];
for (const name of readdirSync(dir)
  .filter((f) => f.endsWith('.utr'))
  .sort()) {
  const text = readFileSync(join(dir, name), 'utf8');
  for (const d of checkSource(new SourceFile(name, text)).diagnostics) {
    if (d.fix?.applicability === 'safe') cases.push([name, d]);
  }
}

describe('safe fixes', () => {
  it('exist for the mechanical mistakes', () => {
    expect(new Set(cases.map(([, d]) => d.code)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map(([name, d]) => [`${name} ${d.code}`, name, d] as const))('%s', (_, name, d) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const fixed = checkSource(new SourceFile(name, applyEdits(text, d.fix?.edits ?? []))).diagnostics;
    expect(fixed.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`)).toEqual([]);
  });
});
