import { describe, expect, it } from 'vitest';
import { MAX_SYNTAX_DIAGNOSTICS } from '../../src/parser/index.js';
import { maxDepth, parseText, walk } from './helpers.js';
import type { ParseResult } from '../../src/parser/index.js';

/** Behaviour every parse must have whatever the input: a whole program, and spans inside the text. */
function expectSane(text: string, r: ParseResult): void {
  expect(r.program.kind).toBe('Program');
  const bad: string[] = [];
  walk(r.program, (n) => {
    if (n.span.start < 0 || n.span.end > text.length || n.span.start > n.span.end)
      bad.push(`${n.kind} ${JSON.stringify(n.span)}`);
  });
  for (const d of r.diagnostics) {
    if (d.span.start < 0 || d.span.end > text.length || d.span.start > d.span.end)
      bad.push(`${d.code} ${JSON.stringify(d.span)}`);
  }
  expect(bad).toEqual([]);
  expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_SYNTAX_DIAGNOSTICS + 1);
  // Later phases walk the tree recursively; the parser keeps it shallow enough for that.
  expect(maxDepth(r.program)).toBeLessThan(1000);
}

function codes(r: ParseResult): string[] {
  return r.diagnostics.map((d) => d.code);
}

const N = 50_000;

describe('pathological input', () => {
  it('50,000 nested parentheses: one clear nesting error, nothing else', () => {
    const text = `engine e { state x: int = ${'('.repeat(N)}1${')'.repeat(N)} }`;
    const r = parseText(text);
    expectSane(text, r);
    expect(codes(r)).toEqual(['UTR1013']);
    expect(r.diagnostics[0]?.message).toBe('brackets are nested more than 32 levels deep');
    expect(r.program.engines[0]?.members).toHaveLength(1);
  });

  it('50,000 unclosed parentheses: one nesting error, no cascade of missing `)`', () => {
    const text = `engine e { state x: int = ${'('.repeat(N)}`;
    const r = parseText(text);
    expectSane(text, r);
    expect(codes(r)).toEqual(['UTR1013']);
  });

  it('50,000 nested brackets and braces of every kind', () => {
    for (const text of [
      '{'.repeat(N),
      `engine e { on x do set a = ${'['.repeat(N)}`,
      `engine e { on x do ${'if a { '.repeat(N)}resume${' }'.repeat(N)} }`,
      `engine e { state x: bool = ${'a in {'.repeat(N)}1${'}'.repeat(N)} }`,
      `engine e { state x: int = ${'f('.repeat(N)}1${')'.repeat(N)} }`,
    ]) {
      const r = parseText(text);
      expectSane(text, r);
      expect(
        codes(r).filter((c) => c === 'UTR1013'),
        text.slice(0, 40),
      ).toHaveLength(1);
      expect(r.diagnostics.length, text.slice(0, 40)).toBeLessThanOrEqual(2);
    }
  });

  it('50,000 nested type arguments', () => {
    const text = `engine e { state x: ${'list<'.repeat(N)}int${'>'.repeat(N)} }`;
    const r = parseText(text);
    expectSane(text, r);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['type arguments are nested more than 16 levels deep']);
  });

  it('50,000 strings nested in interpolations, closed or not', () => {
    const closed = `engine e { state x: string = ${'"{'.repeat(N)}1${'}"'.repeat(N)} }`;
    const r = parseText(closed);
    expectSane(closed, r);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['strings are nested more than 4 levels deep']);
    const open = `engine e { state x: string = ${'"{'.repeat(N)}`;
    const r2 = parseText(open);
    expectSane(open, r2);
    expect(codes(r2)).toContain('UTR1013');
  });

  it('long operator chains and prefix runs become one error instead of a tree too deep to walk', () => {
    for (const text of [
      `engine e { state x: bool = ${'not '.repeat(N)}a }`,
      `engine e { state x: int = ${'- '.repeat(N)}a }`,
      `engine e { state x: int = ${'a + '.repeat(N)}a }`,
      `engine e { state x: int = a${'.b'.repeat(N)} }`,
      `engine e { state x: bool = a${' == not a'.repeat(5000)} }`,
    ]) {
      const r = parseText(text);
      expectSane(text, r);
      expect(codes(r), text.slice(0, 40)).toContain('UTR1013');
    }
  });

  it('a 50,000-branch `else if` chain is cut with one error', () => {
    const text = `engine e { on x do if a { resume }${' else if a { resume }'.repeat(N)} }`;
    const r = parseText(text);
    expectSane(text, r);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['`else if` chain is longer than 128 branches']);
  });

  it('long but flat programs are fine: 50,000 steps joined by `then`', () => {
    const text = `engine e { on x do ${'nothing then '.repeat(N)}resume }`;
    const r = parseText(text);
    expectSane(text, r);
    expect(r.diagnostics).toEqual([]);
    const handler = r.program.engines[0]?.members[0];
    expect(handler?.kind === 'Handler' && handler.body.steps.length).toBe(N + 1);
  });

  it('a 2 MB line: valid code parses, junk gives one error, a 2 MB string is one literal', () => {
    const valid = `engine e { on x do ${'nothing then '.repeat(160_000)}resume }`;
    expect(valid.length).toBeGreaterThan(2_000_000);
    const r = parseText(valid);
    expectSane(valid, r);
    expect(r.diagnostics).toEqual([]);

    const junk = 'x'.repeat(2 * 1024 * 1024);
    const r2 = parseText(junk);
    expectSane(junk, r2);
    expect(r2.diagnostics.map((d) => d.message)).toEqual(['expected `engine`, found `xxxxxxxxxxxxxxxxxxxx…`']);

    const str = `engine e { on x do emit "${'a'.repeat(2 * 1024 * 1024)}" then resume }`;
    const r3 = parseText(str);
    expect(r3.diagnostics).toEqual([]);
  });

  it('3,000 errors: the first 100 are listed, then one note of how many more', () => {
    const text = `engine e {\n${'on x do set\n'.repeat(3000)}}`;
    const r = parseText(text);
    expectSane(text, r);
    expect(r.diagnostics).toHaveLength(MAX_SYNTAX_DIAGNOSTICS + 1);
    expect(
      r.diagnostics
        .slice(0, 100)
        .every((d) => d.message === 'expected an expression, found `on`' || d.code === 'UTR1002'),
    ).toBe(true);
    const last = r.diagnostics[MAX_SYNTAX_DIAGNOSTICS];
    expect(last?.code).toBe('UTR1016');
    expect(last?.severity).toBe('info');
    expect(last?.message).toMatch(/^2[0-9]{3} more syntax errors are not shown$/);
    // Recovery resynchronised at every `on`, so each handler was reported once: 3,000 errors in all.
    expect(Number(last?.message.split(' ')[0]) + 100).toBe(3000);
  });

  it('binary garbage: no throw, capped, spans inside the text', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let text = '';
    for (let i = 0; i < 100_000; i++) text += String.fromCharCode(Math.floor(random() * 256));
    const r = parseText(text);
    expectSane(text, r);
    expect(r.diagnostics.length).toBe(MAX_SYNTAX_DIAGNOSTICS + 1);
  });

  it('empty and whitespace-only files are empty programs', () => {
    for (const text of ['', '\n\n', '   # just a comment\n']) {
      const r = parseText(text);
      expect(r.diagnostics).toEqual([]);
      expect(r.program.engines).toEqual([]);
    }
  });
});
