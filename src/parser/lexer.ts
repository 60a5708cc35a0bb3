/**
 * The lexer the parser runs: a hand-written scanner over character codes that produces exactly the tokens, comments
 * and errors of the Chevrotain lexer built from `ALL_TOKENS` (`createUtrLexer` in `tokens.ts`), which stays the
 * specification. Chevrotain's lexer runs a sticky regular expression per token and allocates a match array for each;
 * on a 10,000-line file it was a third of the parse time and most of its garbage. A property test
 * (`test/parser/lexer.test.ts`) checks that the two agree on arbitrary input.
 *
 * What the token list's order means, written out as decisions on the first character:
 * - whitespace (with the byte-order mark) is skipped; `#` runs to the end of the line and is a comment;
 * - `"` starts a string, which ends where `scanStringEnd` says;
 * - a digit starts a number word `[0-9][A-Za-z0-9_]*`: a duration, an integer, or else one bad number;
 * - `[A-Za-z_]` starts a word: a keyword when the whole word is one (`longer_alt: Identifier`), else a name;
 * - punctuation takes the two-character operator when there is one (`+=` before `+`);
 * - anything else is an error that runs to the next character some token can start at.
 */
import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import { DURATION_UNITS } from './literals.js';
import { scanStringEnd } from './strings.js';
import * as T from './tokens.js';

/** The lexer's result: Chevrotain's shape, so the parser and tests can take either lexer's output. */
export interface LexResult extends ILexingResult {
  readonly groups: { comments: IToken[] };
}

// Character classes of the ASCII range: what a token starting with that character can be.
const OTHER = 0;
const SPACE = 1;
const HASH = 2;
const QUOTE = 3;
const DIGIT = 4;
const WORD = 5;
const PUNCT = 6;
/** `!`: a token only when `=` follows. */
const BANG = 7;

const CLASS = new Uint8Array(128);
for (const c of ' \t\r\n\f\v') CLASS[c.charCodeAt(0)] = SPACE;
CLASS[35] = HASH;
CLASS[34] = QUOTE;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = WORD;
for (let c = 97; c <= 122; c++) CLASS[c] = WORD;
CLASS[95] = WORD;
for (const c of '+-=<>*/%(){}[],:.') CLASS[c.charCodeAt(0)] = PUNCT;
CLASS[33] = BANG;

const BOM = 0xfeff;
const LF = 10;
const CR = 13;
const EQ = 61;

/** The class of character code `c`; the byte-order mark is whitespace, every other non-ASCII character an error. */
function classOf(c: number): number {
  return c < 128 ? (CLASS[c] as number) : c === BOM ? SPACE : OTHER;
}

/** Whether `c` may follow the first character of a name (or of a number word). */
function isWordPart(c: number): boolean {
  return c < 128 && (CLASS[c] === WORD || CLASS[c] === DIGIT);
}

/** Keywords by their first character, so a word is looked up without cutting it out of the text first. */
const KEYWORDS_BY_FIRST: (readonly TokenType[] | undefined)[] = [];
for (const kw of T.KEYWORD_TOKENS) {
  const first = String(kw.PATTERN).charCodeAt(0);
  KEYWORDS_BY_FIRST[first] = [...(KEYWORDS_BY_FIRST[first] ?? []), kw];
}

/** The one- and two-character operators by their first character; the two-character one is tried first. */
const SINGLE: (TokenType | undefined)[] = [];
const DOUBLE: (readonly [second: number, type: TokenType][] | undefined)[] = [];
for (const tt of [
  T.PlusEq,
  T.MinusEq,
  T.Arrow,
  T.EqEq,
  T.NotEq,
  T.LtEq,
  T.GtEq,
  T.Lt,
  T.Gt,
  T.Eq,
  T.Plus,
  T.Minus,
  T.Star,
  T.Slash,
  T.Percent,
  T.LParen,
  T.RParen,
  T.LBrace,
  T.RBrace,
  T.LBracket,
  T.RBracket,
  T.Comma,
  T.Colon,
  T.Dot,
]) {
  const text = String(tt.PATTERN);
  const first = text.charCodeAt(0);
  if (text.length === 1) SINGLE[first] = tt;
  else DOUBLE[first] = [...(DOUBLE[first] ?? []), [text.charCodeAt(1), tt]];
}

/** The units a duration may end in: the language's one unit table. */
const UNITS: ReadonlySet<string> = new Set(Object.keys(DURATION_UNITS));

/** The token type of the number word `text[start, end)`, which starts with a digit. */
function numberType(text: string, start: number, end: number): TokenType {
  let i = start + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 95)) break;
    i++;
  }
  if (i === end) return T.Integer;
  // A unit is at most two letters: no need to cut out a longer tail to know it is not one.
  if (end - i <= 2 && UNITS.has(text.slice(i, end))) return T.Duration;
  const x = text.charCodeAt(start + 1);
  if (text.charCodeAt(start) === 48 && (x === 120 || x === 88) && end > start + 2) {
    for (i = start + 2; i < end; i++) {
      const c = text.charCodeAt(i);
      const hex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 95;
      if (!hex) return T.BadNumber;
    }
    return T.Integer;
  }
  return T.BadNumber;
}

/** The keyword the word `text[start, end)` is, if it is one. */
function keywordAt(text: string, start: number, end: number): TokenType | undefined {
  const candidates = KEYWORDS_BY_FIRST[text.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  const length = end - start;
  for (const kw of candidates) {
    const word = kw.PATTERN as string;
    if (word.length === length && text.startsWith(word, start)) return kw;
  }
  return undefined;
}

/** Whether some token can start at `offset` (before `end`): where an unexpected character's error ends. */
function canStartToken(text: string, offset: number, end: number): boolean {
  const k = classOf(text.charCodeAt(offset));
  return k === BANG ? offset + 1 < end && text.charCodeAt(offset + 1) === EQ : k !== OTHER;
}

/** Where a run of characters that start no token, from `i`, ends: as one error, as Chevrotain's recovery has it. */
function errorEnd(text: string, i: number, n: number): number {
  let j = i + 1;
  while (j < n && !canStartToken(text, j, n)) j++;
  return j;
}

/**
 * A cursor over the tokens of `text[from, to)`, one at a time: what `tokenize` collects into token objects, and what
 * the fast path (`fast.ts`) reads without making any. After `next()`, `type` is the token's type, `null` for a run of
 * unexpected characters, or `undefined` at the end; `start` and `end` are its offsets into `text`.
 */
export class Scanner {
  type: TokenType | null | undefined = undefined;
  start = 0;
  end: number;

  /** `comments`, when given, receives the start and end offsets of every comment skipped. */
  constructor(
    readonly text: string,
    from: number,
    /** Where the text to read ends. */
    readonly to: number,
    private readonly comments?: number[],
  ) {
    this.end = from;
  }

  /** Moves to the next token, skipping whitespace and comments. */
  next(): void {
    const text = this.text;
    const n = this.to;
    let i = this.end;
    for (;;) {
      if (i >= n) {
        this.type = undefined;
        this.start = this.end = n;
        return;
      }
      const from = i;
      const c = text.charCodeAt(i);
      let type: TokenType | null;
      switch (classOf(c)) {
        case SPACE:
          i++;
          while (i < n && classOf(text.charCodeAt(i)) === SPACE) i++;
          continue;
        case HASH:
          i++;
          while (i < n) {
            const d = text.charCodeAt(i);
            if (d === LF || d === CR) break;
            i++;
          }
          this.comments?.push(from, i);
          continue;
        case WORD:
          i++;
          while (i < n && isWordPart(text.charCodeAt(i))) i++;
          type = keywordAt(text, from, i) ?? T.Identifier;
          break;
        case PUNCT: {
          type = SINGLE[c] as TokenType;
          i++;
          const pairs = DOUBLE[c];
          if (pairs !== undefined && i < n) {
            const next = text.charCodeAt(i);
            for (let k = 0; k < pairs.length; k++) {
              const pair = pairs[k] as (typeof pairs)[number];
              if (pair[0] === next) {
                type = pair[1];
                i++;
                break;
              }
            }
          }
          break;
        }
        case DIGIT:
          i++;
          while (i < n && isWordPart(text.charCodeAt(i))) i++;
          type = numberType(text, from, i);
          break;
        case QUOTE:
          i = scanStringEnd(text, i, n);
          type = T.StringLiteral;
          break;
        case BANG:
          if (i + 1 < n && text.charCodeAt(i + 1) === EQ) {
            type = T.NotEq;
            i += 2;
          } else {
            i = errorEnd(text, i, n);
            type = null;
          }
          break;
        default:
          i = errorEnd(text, i, n);
          type = null;
      }
      this.type = type;
      this.start = from;
      this.end = i;
      return;
    }
  }
}

/** The text of every token of a type whose text is always the same: keywords and punctuation. */
const FIXED_IMAGES: ReadonlyMap<TokenType, string> = new Map(
  [...T.KEYWORD_TOKENS, ...SINGLE, ...DOUBLE.flatMap((pairs) => (pairs ?? []).map(([, tt]) => tt))]
    .filter((tt): tt is TokenType => tt !== undefined)
    .map((tt) => [tt, tt.PATTERN as string]),
);

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // The fields and their order of Chevrotain's offset-only tokens, so every token the parser sees has one shape.
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx as number, tokenType };
}

/**
 * Splits `text` into tokens, comments and errors for unexpected characters; or only `text[start, end)` (a string's
 * interpolation), as if that were the whole text but with offsets into `text`.
 */
export function tokenize(text: string, start = 0, end = text.length): LexResult {
  const tokens: IToken[] = [];
  const errors: ILexingError[] = [];
  const spans: number[] = [];
  const scanner = new Scanner(text, start, end, spans);
  for (scanner.next(); scanner.type !== undefined; scanner.next()) {
    const { type, start: from, end: to } = scanner;
    if (type === null) {
      errors.push({
        offset: from,
        line: undefined,
        column: undefined,
        length: to - from,
        message: `unexpected character: ->${text.charAt(from)}<- at offset: ${from}, skipped ${to - from} characters.`,
      });
      continue;
    }
    tokens.push(token(FIXED_IMAGES.get(type) ?? text.slice(from, to), from, type));
  }
  const comments: IToken[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    const from = spans[k] as number;
    comments.push(token(text.slice(from, spans[k + 1]), from, T.Comment));
  }
  return { tokens, errors, groups: { comments } };
}

/** The lexer, with the interface of a Chevrotain lexer. */
export const utrLexer: { tokenize(text: string, start?: number, end?: number): LexResult } = { tokenize };
