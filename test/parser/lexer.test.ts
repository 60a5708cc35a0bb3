import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ILexingResult } from 'chevrotain';
import { utrLexer } from '../../src/parser/lexer.js';
import { createUtrLexer, KEYWORDS } from '../../src/parser/tokens.js';

// The parser runs the hand-written lexer; Chevrotain's lexer built from the token list is its specification.
const reference = createUtrLexer();

/** Everything a lexer's result says, in plain data: equal for two lexers that agree. */
function summary(r: ILexingResult) {
  const token = (t: ILexingResult['tokens'][number]) => [t.tokenType.name, t.tokenTypeIdx, t.startOffset, t.image];
  return {
    tokens: r.tokens.map(token),
    comments: (r.groups['comments'] ?? []).map(token),
    errors: r.errors.map((e) => [e.offset, e.length, e.message]),
  };
}

function agrees(text: string): void {
  expect(summary(utrLexer.tokenize(text))).toEqual(summary(reference.tokenize(text)));
}

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const EXAMPLES = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.utr'))
  .map((f) => readFileSync(examplesDir + f, 'utf8'));

// Pieces that sit on the lexer's decisions: prefixes of longer tokens, number shapes, odd characters.
const PIECES = [
  ...KEYWORDS,
  ...KEYWORDS.map((k) => `${k}_`),
  ...KEYWORDS.map((k) => k.slice(0, -1)),
  ...['+=', '-=', '=>', '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '!', '!!', '&', '|'],
  ...['(', ')', '{', '}', '[', ']', ',', ':', '.', ';', '@', '$', '`', '\\', "'", '?', '^', '~'],
  ...['0', '7', '0x', '0X1f', '0x_', '0xg', '1_000', '10ms', '10msx', '1h', '2m', '3s', '4us', '5ns', '6ns_', '1_ms'],
  ...['0xAh', '12abc', '9_', '0x1ms', '1e5', '1.5', '10 ms', '_', '_x1', 'x', 'call.nr', 'é', 'ß', '日本', '😀'],
  ...['"', '"s"', '"a {x} b"', '"{', '}"', '"\\q"', '"\\', '"open', '"{"{"}"}"', '"a\\"b"', '"\\u{41}"'],
  ...['#', '# c', '#x\r', '\n', '\r\n', '\r', '\t', ' ', '\f', '\v', '\uFEFF', '\u00a0', '\u2028', '\u0000', '\u007f'],
];

describe('the hand-written lexer agrees with the Chevrotain lexer built from the token list', () => {
  it('on every example program', () => {
    expect(EXAMPLES.length).toBeGreaterThan(5);
    for (const text of EXAMPLES) agrees(text);
  });

  it('on each piece alone and between every other piece', () => {
    for (const a of PIECES) {
      agrees(a);
      for (const b of PIECES) agrees(a + b);
    }
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        agrees(text);
      }),
      { numRuns: 300 },
    );
  });

  it('on soups of pieces', () => {
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('', ' ', '\n')), { maxLength: 80 })
      .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
    fc.assert(
      fc.property(soup, (text) => {
        agrees(text);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a run of unexpected characters as one error that ends where a token can start', () => {
    const r = utrLexer.tokenize('a €€! b !=');
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([[2, 3]]);
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b', '!=']);
  });
});

describe('lexing part of a text (an interpolation)', () => {
  it('stops every token at the end of the part', () => {
    const images = (text: string, start: number, end: number) =>
      utrLexer.tokenize(text, start, end).tokens.map((t) => [t.image, t.startOffset]);
    expect(images('a+=b', 0, 2)).toEqual([
      ['a', 0],
      ['+', 1],
    ]);
    expect(images('x "ab" y', 2, 4)).toEqual([['"a', 2]]);
    expect(images('"a\\b"', 0, 3)).toEqual([['"a\\', 0]]);
    expect(images('name', 1, 3)).toEqual([['am', 1]]);
    expect(utrLexer.tokenize('x!=', 0, 2).errors.map((e) => [e.offset, e.length])).toEqual([[1, 1]]);
  });

  it('gives the tokens of that part alone, at their offsets in the whole text', () => {
    const text = fc.string({ unit: 'binary', maxLength: 60 });
    const piece = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      // Pieces around the part too: a token must not run on into the text after the part (`+` then `=`).
      fc.property(fc.oneof(text, piece), piece, fc.oneof(text, piece), (before, part, after) => {
        const whole = before + part + after;
        const shifted = summary(utrLexer.tokenize(part));
        const ranged = summary(utrLexer.tokenize(whole, before.length, before.length + part.length));
        const at = (x: unknown[]) => [x[0], x[1], (x[2] as number) + before.length, x[3]];
        expect(ranged.tokens).toEqual(shifted.tokens.map(at));
        expect(ranged.comments).toEqual(shifted.comments.map(at));
        expect(ranged.errors.map((e) => [e[0], e[1]])).toEqual(
          shifted.errors.map((e) => [(e[0] as number) + before.length, e[1]]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
