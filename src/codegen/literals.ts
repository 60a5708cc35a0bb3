/**
 * The only ways text from a `.utr` file reaches generated code: as an escaped string literal, a bigint or number
 * literal, a checked identifier, or comment text that cannot end the comment. Everything the code generator writes
 * from user input goes through one of these functions, which is what makes the output injection-proof.
 */

/**
 * A double-quoted JavaScript string literal for any string. JSON escaping handles quotes, backslashes and control
 * characters (and lone surrogates, as `\uD800`); U+2028 and U+2029 are escaped too, although legal in string
 * literals since ES2019, so no editor or older tool sees a line break inside the literal. Backticks, `${` and `*‌/`
 * are plain characters inside a double-quoted literal.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(
    /[\u2028\u2029\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A bigint literal (`42n`, `-1n`); negative values are parenthesised so they can stand anywhere. */
export function bigintLiteral(value: bigint): string {
  return value < 0n ? `(${value}n)` : `${value}n`;
}

/** A number literal for a safe integer. */
export function numberLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return value < 0 ? `(${value})` : String(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for a `.utr` identifier (the lexer's rule): ASCII letters, digits and `_`, no escapes, no `$`. */
function isUtrIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Names JavaScript gives meaning to on every object, or that are reserved or restricted as bindings. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await async of arguments eval ' +
    'undefined NaN Infinity any as asserts bigint boolean constructor declare get infer is keyof module namespace ' +
    'never readonly require number object set string symbol type unique unknown from global prototype __proto__'
  ).split(' '),
);

/**
 * A property name for a `.utr` name (state fields): the name itself when it is a plain identifier with no special
 * meaning to JavaScript objects, otherwise the name behind a `$` (which no `.utr` identifier contains, so the two
 * can never collide). `__proto__`, `constructor` and friends therefore never become live keys.
 */
export function safeProperty(name: string): string {
  checkIdentifier(name);
  return RESERVED.has(name) || name.startsWith('__') ? `$${name}` : name;
}

/**
 * A local variable name for a `.utr` name (control parameters): always behind `$`, so it can never shadow a
 * name the generated code uses itself (`ctl`, `show`, `Action`…) nor be a reserved word.
 */
export function safeLocal(name: string): string {
  checkIdentifier(name);
  return `$${name}`;
}

function checkIdentifier(name: string): void {
  // The lexer only produces such names; anything else reaching here is a compiler bug, never output.
  if (!isUtrIdentifier(name)) throw new Error(`internal error: ${JSON.stringify(name)} is not a .utr identifier`);
}

/**
 * Text for inside a comment: line breaks and other control or separator characters become spaces, and `*‌/` is
 * broken up, so nothing can end the comment or start a new line of code.
 */
export function commentText(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 ? ' ' : c;
  }
  return out.replace(/\*\//g, '* /');
}
