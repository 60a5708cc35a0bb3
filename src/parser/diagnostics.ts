/**
 * The syntax diagnostics (`UTR1xxx`): every problem the lexer and parser report. Codes are stable; a retired code
 * is never reused.
 */
import type { DiagnosticKind } from '../diagnostics/catalogue.js';

function syntax(code: number, name: string, summary: string, severity: DiagnosticKind['severity'] = 'error') {
  return { code: `UTR${code}`, name, phase: 'syntax', severity, summary } as const satisfies DiagnosticKind;
}

/** A specific token was required and another was found (`expected \`do\` …, found \`resume\``). */
export const EXPECTED_TOKEN = syntax(
  1001,
  'expected-token',
  'A required token is missing or another one is in its place.',
);
/** None of the constructs allowed at this point starts with the token found. */
export const UNEXPECTED_TOKEN = syntax(1002, 'unexpected-token', 'The token cannot start any construct allowed here.');
/** A character that is not part of any token. */
export const UNEXPECTED_CHARACTER = syntax(1003, 'unexpected-character', 'The character is not part of the language.');
/** A string literal without its closing quote on the same line. */
export const UNTERMINATED_STRING = syntax(
  1004,
  'unterminated-string',
  'A string literal must end on the line it starts.',
);
/** A backslash escape the language does not define. */
export const INVALID_ESCAPE = syntax(
  1005,
  'invalid-escape',
  'A string contains an escape sequence that does not exist.',
);
/** A number that is malformed (`12abc`, `0x`) or does not fit in 64 bits. */
export const INVALID_NUMBER = syntax(1006, 'invalid-number', 'A numeric literal is malformed or too large.');
/** `a < b < c`: comparisons are non-associative. */
export const CHAINED_COMPARISON = syntax(1007, 'chained-comparison', 'Comparisons do not chain; join them with `and`.');
/** `a == not b`, `- not x`: an operator whose operand needs parentheses. */
export const OPERAND_NEEDS_PARENTHESES = syntax(
  1008,
  'operand-needs-parentheses',
  'A `not` expression used where a tighter operand is required must be parenthesised.',
);
/** `a.b(x)`: only the built-in functions can be called, by name. */
export const INVALID_CALL = syntax(
  1009,
  'invalid-call',
  'Only a library function can be called, directly by its name.',
);
/** `fetch` of something other than `regs` or `mem(ADDR, LEN) into X`. */
export const INVALID_FETCH = syntax(1010, 'invalid-fetch', '`fetch` reads `regs` or `mem(ADDR, LEN) into X`.');
/** `fate` with a word that is not a signal fate. */
export const INVALID_FATE = syntax(1011, 'invalid-fate', '`fate` takes one of the signal fates.');
/** `await` of anything but `stopped`. */
export const INVALID_AWAIT = syntax(1012, 'invalid-await', '`await` waits for `stopped` only.');
/** Brackets nested deeper than the parser follows. */
export const NESTING_TOO_DEEP = syntax(1013, 'nesting-too-deep', 'Brackets or strings are nested too deeply to parse.');
/** `arch` anywhere but at the top of the file, or twice. */
export const MISPLACED_ARCH = syntax(1014, 'misplaced-arch', '`arch` must come once, before the first engine.');
/** A lone `}` or an empty `{}` inside a string. */
export const INVALID_INTERPOLATION = syntax(
  1015,
  'invalid-interpolation',
  'Braces in a string delimit an interpolation; literal braces are written `\\{` and `\\}`.',
);
/** The count of syntax errors not listed because there were too many. */
export const TOO_MANY_ERRORS = syntax(1016, 'too-many-errors', 'Further syntax errors are not listed.', 'info');

/** Every syntax diagnostic kind, in code order. */
export const SYNTAX_DIAGNOSTICS: readonly DiagnosticKind[] = [
  EXPECTED_TOKEN,
  UNEXPECTED_TOKEN,
  UNEXPECTED_CHARACTER,
  UNTERMINATED_STRING,
  INVALID_ESCAPE,
  INVALID_NUMBER,
  CHAINED_COMPARISON,
  OPERAND_NEEDS_PARENTHESES,
  INVALID_CALL,
  INVALID_FETCH,
  INVALID_FATE,
  INVALID_AWAIT,
  NESTING_TOO_DEEP,
  MISPLACED_ARCH,
  INVALID_INTERPOLATION,
  TOO_MANY_ERRORS,
];
