import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/parser/index.js';
import { docExamples } from '../support/doc-examples.js';

// What the documentation and the shipped examples show must be a well-typed program: a reader copies it.
function cleanCheck(source: SourceFile): string[] {
  const checked = check(parse(source), { source });
  return checked.diagnostics.map((d) => `${source.path}:${source.lineCol(d.span.start).line}: ${d.code} ${d.message}`);
}

function utrFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return utrFiles(path);
    return name.endsWith('.utr') ? [path] : [];
  });
}

describe('docs/language.md examples type-check', () => {
  for (const ex of docExamples('docs/language.md')) {
    it(`line ${ex.line} (${ex.heading})`, () => {
      expect(cleanCheck(ex.source)).toEqual([]);
    });
  }
});

describe('examples/ type-check', () => {
  const root = join(import.meta.dirname, '../..');
  const files = utrFiles(join(root, 'examples'));

  it('exist', () => expect(files.length).toBeGreaterThan(0));

  for (const path of files) {
    const name = relative(root, path);
    it(name, () => {
      // Race findings are the rules' business; here only syntax and type diagnostics count, and there are none.
      expect(cleanCheck(new SourceFile(name, readFileSync(path, 'utf8')))).toEqual([]);
    });
  }
});
