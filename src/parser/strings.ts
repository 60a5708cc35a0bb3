/**
 * String literals: finding where one ends (for the lexer) and turning its text into literal parts and interpolation
 * segments (for the parser). Interpolations may contain strings that contain interpolations, so both walk the text
 * with an explicit stack instead of recursion: a deeply nested string must not overflow the JavaScript stack.
 */

/** How deeply strings may nest inside interpolations (`"{"{"…"}"}"`). */
export const MAX_STRING_NESTING = 4;

/** Where an interpolation's expression text lies, as absolute offsets `[start, end)` into the source. */
export interface InterpolationSegment {
  readonly start: number;
  readonly end: number;
}

/** A problem found while decoding a string literal, with an absolute span. */
export interface StringProblem {
  readonly code: 'unterminated' | 'escape' | 'brace';
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly help?: string;
}

/** The decoded form of a string token: literal text already unescaped, interpolations still to be parsed. */
export interface DecodedString {
  readonly parts: (string | InterpolationSegment)[];
  readonly problems: StringProblem[];
}

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const LBRACE = 123; // {
const RBRACE = 125; // }
const LF = 10;
const CR = 13;

// Stack entries: inside string text, or inside an interpolation (or a brace nested in one, which behaves the same).
const IN_STRING = 0;
const IN_BRACES = 1;

/**
 * The offset just past the string literal starting at `offset` (which holds `"`). A string never spans lines: at a
 * line break or at `end` (the end of the text being lexed) the literal ends, unterminated, and the decoder reports it.
 */
export function scanStringEnd(text: string, offset: number, end = text.length): number {
  const stack: number[] = [IN_STRING];
  let i = offset + 1;
  const n = end;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
    if (stack[stack.length - 1] === IN_STRING) {
      if (c === BACKSLASH) {
        const next = i + 1 < n ? text.charCodeAt(i + 1) : NaN;
        i += next === LF || next === CR || Number.isNaN(next) ? 1 : 2;
        continue;
      }
      if (c === QUOTE) {
        stack.pop();
        i++;
        if (stack.length === 0) return i;
        continue;
      }
      if (c === LBRACE) stack.push(IN_BRACES);
      i++;
    } else {
      if (c === QUOTE) stack.push(IN_STRING);
      else if (c === LBRACE) stack.push(IN_BRACES);
      else if (c === RBRACE) stack.pop();
      i++;
    }
  }
  return i;
}

/** The offset of the `}` closing the interpolation whose text starts at `i` (just after `{`), or -1 before `end`. */
function interpolationEnd(text: string, i: number, end: number): number {
  const stack: number[] = [IN_BRACES];
  while (i < end) {
    const c = text.charCodeAt(i);
    if (stack[stack.length - 1] === IN_STRING) {
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === QUOTE) stack.pop();
      else if (c === LBRACE) stack.push(IN_BRACES);
    } else if (c === QUOTE) stack.push(IN_STRING);
    else if (c === LBRACE) stack.push(IN_BRACES);
    else if (c === RBRACE) {
      stack.pop();
      if (stack.length === 0) return i;
    }
    i++;
  }
  return -1;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  '{': '{',
  '}': '}',
};

/**
 * Decodes the string literal `text.slice(start, end)` (a whole token, starting with `"`): literal parts unescaped,
 * `{…}` parts returned as segments for the parser. Problems are reported and decoding goes on, so one bad escape
 * does not hide the rest of the string.
 */
export function decodeString(text: string, start: number, end: number): DecodedString {
  const parts: (string | InterpolationSegment)[] = [];
  const problems: StringProblem[] = [];
  let buf = '';
  let i = start + 1;
  let closed = false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      closed = true;
      break;
    }
    if (c === BACKSLASH) {
      const next = text[i + 1];
      if (next === undefined || i + 1 >= end) {
        i++;
        continue;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        buf += simple;
        i += 2;
        continue;
      }
      if (next === 'u') {
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i + 2, Math.min(end, i + 11)));
        const cp = m?.[1] !== undefined ? parseInt(m[1], 16) : NaN;
        if (m !== null && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
          buf += String.fromCodePoint(cp);
          i += 2 + m[0].length;
        } else {
          const len = m !== null ? 2 + m[0].length : 2;
          problems.push({
            code: 'escape',
            start: i,
            end: i + len,
            message: m !== null ? `\`\\u{${m[1]}}\` is not a Unicode scalar value` : 'invalid Unicode escape',
            help: 'write a Unicode escape as `\\u{HEX}` with 1 to 6 hex digits, e.g. `\\u{1F600}`',
          });
          i += len;
        }
        continue;
      }
      problems.push({
        code: 'escape',
        start: i,
        end: i + 1 + (next.length > 0 ? String.fromCodePoint(next.codePointAt(0) ?? 0).length : 0),
        message: `unknown escape \`\\${next}\``,
        help: 'the escapes are `\\n` `\\t` `\\r` `\\0` `\\\\` `\\"` `\\{` `\\}` and `\\u{HEX}`',
      });
      // Keep the character itself: the string is still useful to later phases.
      buf += next;
      i += 2;
      continue;
    }
    if (c === LBRACE) {
      const close = interpolationEnd(text, i + 1, end);
      if (buf.length > 0) parts.push(buf);
      buf = '';
      if (close < 0) {
        // The string is unterminated inside the interpolation; that problem is reported once, below.
        parts.push({ start: i + 1, end });
        i = end;
        break;
      }
      if (text.slice(i + 1, close).trim() === '') {
        problems.push({
          code: 'brace',
          start: i,
          end: close + 1,
          message: 'empty interpolation `{}`',
          help: 'put an expression between the braces, or write `\\{\\}` for literal braces',
        });
      } else {
        parts.push({ start: i + 1, end: close });
      }
      i = close + 1;
      continue;
    }
    if (c === RBRACE) {
      problems.push({
        code: 'brace',
        start: i,
        end: i + 1,
        message: 'unmatched `}` in a string',
        help: 'write `\\}` for a literal closing brace',
      });
      buf += '}';
      i++;
      continue;
    }
    // Copy a run of ordinary characters at once: most strings have few escapes.
    let j = i + 1;
    while (j < end) {
      const d = text.charCodeAt(j);
      if (d === QUOTE || d === BACKSLASH || d === LBRACE || d === RBRACE) break;
      j++;
    }
    buf += text.slice(i, j);
    i = j;
  }
  if (buf.length > 0) parts.push(buf);
  if (!closed) {
    problems.push({
      code: 'unterminated',
      start,
      end,
      message: 'unterminated string',
      help: 'close the string with `"` before the end of the line',
    });
  }
  return { parts, problems };
}
