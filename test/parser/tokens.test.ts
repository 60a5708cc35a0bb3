import { describe, expect, it } from 'vitest';
import { Duration, Identifier, Integer, BadNumber, KEYWORD_TOKENS, KEYWORDS } from '../../src/parser/tokens.js';
import { utrLexer } from '../../src/parser/lexer.js';

function lex(text: string) {
  const r = utrLexer.tokenize(text);
  return { names: r.tokens.map((t) => t.tokenType.name), images: r.tokens.map((t) => t.image), errors: r.errors };
}

describe('lexer', () => {
  it('reserves exactly the keywords of the language decisions', () => {
    expect([...KEYWORDS].sort()).toEqual(
      [
        'arch',
        'engine',
        'state',
        'on',
        'when',
        'do',
        'then',
        'control',
        'every',
        'fetch',
        'into',
        'set',
        'append',
        'to',
        'emit',
        'attach',
        'events',
        'barrier',
        'nothing',
        'if',
        'else',
        'match',
        'abort',
        'fate',
        'assert',
        'await',
        'within',
        'in',
        'and',
        'or',
        'not',
        'true',
        'false',
        'stop',
        'interrupt',
        'report',
        'singlestep',
        'blockstep',
        'resume',
        'detach',
      ].sort(),
    );
  });

  it('lexes every keyword as itself, even those that start with another keyword (`in`/`into`/`interrupt`)', () => {
    for (const tok of KEYWORD_TOKENS) {
      const word = String(tok.PATTERN);
      expect(lex(word).names, word).toEqual([tok.name]);
    }
  });

  it('lexes a keyword followed by name characters as one name', () => {
    for (const word of KEYWORDS) {
      expect(lex(`${word}_x`).names, word).toEqual([Identifier.name]);
      expect(lex(`${word}2`).names, word).toEqual([Identifier.name]);
    }
  });

  it('reads durations before integers, and a number running into letters as one bad number', () => {
    expect(lex('10ms 1s 250us 5ns 2m 1h').names).toEqual(Array(6).fill(Duration.name));
    expect(lex('42 0x2a 1_000').names).toEqual(Array(3).fill(Integer.name));
    expect(lex('10sec 0xZZ 12abc 0x').names).toEqual(Array(4).fill(BadNumber.name));
  });

  it('lexes a string with nested interpolations and strings as one token, stopping at the end of the line', () => {
    expect(lex('"a {f("x{1}")} b" x').images).toEqual(['"a {f("x{1}")} b"', 'x']);
    expect(lex('"open\nx').images).toEqual(['"open', 'x']);
    expect(lex('"a \\" b"').images).toEqual(['"a \\" b"']);
  });

  it('keeps `#` comments in their own group and treats `//` as two slashes', () => {
    const r = utrLexer.tokenize('a # note\nb // c');
    expect(r.groups['comments']?.map((t) => t.image)).toEqual(['# note']);
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b', '/', '/', 'c']);
  });
});

describe('grammar and lexer definitions', () => {
  it('pass Chevrotain validations (skipped at start-up by the command line)', async () => {
    const { createUtrLexer } = await import('../../src/parser/tokens.js');
    const { UtrParser } = await import('../../src/parser/grammar.js');
    expect(() => createUtrLexer(true)).not.toThrow();
    expect(() => new UtrParser({ validate: true })).not.toThrow();
  });
});

describe('byte-order mark', () => {
  it('is skipped like whitespace at the top of a file', () => {
    const r = utrLexer.tokenize('\uFEFFengine e {}');
    expect(r.errors).toEqual([]);
    expect(r.tokens.map((t) => t.image)).toEqual(['engine', 'e', '{', '}']);
  });
});
