import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/checker/suggest.js';
import { constantNanos } from '../../src/checker/constants.js';
import type { Expr } from '../../src/parser/ast.js';

describe('suggestions', () => {
  it('measures edits including swapped neighbours', () => {
    expect(editDistance('openat', 'openat')).toBe(0);
    expect(editDistance('opnat', 'openat')).toBe(1);
    expect(editDistance('sycall_entry', 'syscall_entry')).toBe(1);
    expect(editDistance('quiecse', 'quiesce')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('gives up past the limit and handles names longer than its buffers', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    const long = 'x'.repeat(200);
    expect(editDistance(long, `${long}y`)).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests a close name and nothing for a different word', () => {
    expect(suggest('opnat', ['open', 'openat', 'read'])).toBe('openat');
    expect(suggest('sigsegv', ['SIGSEGV', 'SIGSEGX'])).toBe('SIGSEGV');
    expect(suggest('banana', ['open', 'openat', 'read'])).toBeUndefined();
    expect(suggest('x', ['y'])).toBeUndefined();
    expect(suggest('X', ['x'])).toBe('x');
  });
});

describe('constant durations', () => {
  const span = { start: 0, end: 0 };
  const dur = (nanos: bigint): Expr => ({ kind: 'DurationLit', span, nanos });
  const int = (value: bigint): Expr => ({ kind: 'IntLit', span, value });

  it('folds literals, sums, scaling and negation', () => {
    expect(constantNanos(dur(10_000_000n))).toBe(10_000_000n);
    expect(constantNanos({ kind: 'BinaryExpr', span, op: '*', left: int(2n), right: dur(500n) })).toBe(1000n);
    expect(constantNanos({ kind: 'BinaryExpr', span, op: '-', left: dur(5n), right: dur(7n) })).toBe(-2n);
    expect(constantNanos({ kind: 'UnaryExpr', span, op: '-', operand: dur(3n) })).toBe(-3n);
  });

  it('refuses anything that reads state', () => {
    const name: Expr = { kind: 'NameExpr', span, name: { kind: 'Ident', span, name: 'p' } };
    expect(constantNanos(name)).toBeUndefined();
    expect(constantNanos({ kind: 'BinaryExpr', span, op: '+', left: name, right: dur(1n) })).toBeUndefined();
  });
});
