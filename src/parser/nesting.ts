/**
 * Guards the parser against input nested deeper than it can follow without running out of stack. Chevrotain
 * parses recursively, a few frames per rule, so fifty thousand `(` would overflow the stack; instead, a bracket
 * group opening deeper than `MAX_NESTING` is replaced, before parsing, by one `Unparsed` token that the grammar
 * takes as an operand, and one diagnostic says why.
 */
import { createTokenInstance } from './chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';
import type { Span } from '../diagnostics/source.js';
import * as T from './tokens.js';

/**
 * How deep brackets (`(`, `[`, `{` together) may nest. Real programs stay under ten. Chevrotain's error recovery
 * walks the grammar recursively at every level, a few kilobytes of stack each, so this stays far below what the
 * default stack allows, even when the parser is called from deep inside a caller's own recursion.
 */
export const MAX_NESTING = 32;

/** A group that was cut out; `unclosed` when it ran to the end of the input. */
export interface CutGroup {
  readonly span: Span;
  readonly unclosed: boolean;
}

// Compared directly rather than looked up in a set: this runs once per token of every file.
function isOpener(tt: TokenType): boolean {
  return tt === T.LParen || tt === T.LBracket || tt === T.LBrace;
}

function isCloser(tt: TokenType): boolean {
  return tt === T.RParen || tt === T.RBracket || tt === T.RBrace;
}

/** The tokens with over-deep groups replaced, and the groups replaced. Returns `tokens` itself when none is. */
export function guardNesting(tokens: IToken[], text: string): { tokens: IToken[]; cut: CutGroup[] } {
  let depth = 0;
  let out: IToken[] | undefined;
  const cut: CutGroup[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as IToken;
    const tt = tok.tokenType;
    if (isOpener(tt)) {
      if (depth === MAX_NESTING) {
        // Find the closer of this group; everything in between becomes one token.
        let inner = 0;
        let j = i;
        for (; j < tokens.length; j++) {
          const t2 = (tokens[j] as IToken).tokenType;
          if (isOpener(t2)) inner++;
          else if (isCloser(t2) && --inner === 0) break;
        }
        const unclosed = j >= tokens.length;
        const last = tokens[Math.min(j, tokens.length - 1)] as IToken;
        const start = tok.startOffset;
        const end = last.startOffset + last.image.length;
        out ??= tokens.slice(0, i);
        out.push(createTokenInstance(T.Unparsed, text.slice(start, end), start, end - 1, NaN, NaN, NaN, NaN));
        cut.push({ span: { start, end }, unclosed });
        i = j;
        continue;
      }
      depth++;
    } else if (isCloser(tt) && depth > 0) depth--;
    out?.push(tok);
  }
  return { tokens: out ?? tokens, cut };
}
