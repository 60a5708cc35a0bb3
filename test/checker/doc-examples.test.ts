import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Expr } from '../../src/parser/ast.js';
import { parse } from '../../src/parser/index.js';
import { docExamples } from '../support/doc-examples.js';

const EXPR_KINDS = new Set([
  'IntLit',
  'StringLit',
  'BoolLit',
  'DurationLit',
  'NameExpr',
  'FieldExpr',
  'IndexExpr',
  'UnaryExpr',
  'BinaryExpr',
  'InExpr',
  'CallExpr',
]);

/** Every expression node of a tree. */
function expressions(root: unknown): Expr[] {
  const out: Expr[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      if (EXPR_KINDS.has((v as { kind?: string }).kind ?? '')) out.push(v as Expr);
      for (const [k, child] of Object.entries(v)) if (k !== 'span') walk(child);
    }
  };
  walk(root);
  return out;
}

// What the documentation and the shipped examples show must be a well-typed program: a reader copies it. And on a
// well-typed program every expression has a type, since code generation reads them all.
function cleanCheck(source: SourceFile): string[] {
  const checked = check(parse(source), { source });
  const problems = checked.diagnostics.map(
    (d) => `${source.path}:${source.lineCol(d.span.start).line}: ${d.code} ${d.message}`,
  );
  for (const e of expressions(checked.program)) {
    if (checked.typeOf(e).kind === 'error') {
      problems.push(
        `${source.path}:${source.lineCol(e.span.start).line}: no type for \`${source.text.slice(e.span.start, e.span.end)}\``,
      );
    }
  }
  return problems;
}

function utrFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return utrFiles(path);
    return name.endsWith('.utr') ? [path] : [];
  });
}

describe('docs/language.md examples type-check', () => {
  const examples = docExamples('docs/language.md');

  it('exist', () => expect(examples.length).toBeGreaterThanOrEqual(10));

  for (const ex of examples) {
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

describe('clean semantic fixtures type every expression', () => {
  const dir = join(import.meta.dirname, '../fixtures/semantic');
  const clean = readdirSync(dir).filter((f) => f.endsWith('-ok.utr'));

  it('exist', () => expect(clean.length).toBeGreaterThanOrEqual(4));

  for (const name of clean) {
    it(name, () => {
      expect(cleanCheck(new SourceFile(name, readFileSync(join(dir, name), 'utf8')))).toEqual([]);
    });
  }
});
