/**
 * The values of number and duration tokens, shared by the Chevrotain grammar and the fast path so both read a literal
 * the same way. A literal that cannot be read comes back as the problem to report.
 */

const U64_MAX = (1n << 64n) - 1n;

/** Nanoseconds per duration unit, as the language writes units (`ms`). */
export const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The units for messages, from the one table: "`ns`, `us`, `ms`, `s`, `m` or `h`". */
export const DURATION_UNIT_WORDS = wordsOr(Object.keys(DURATION_UNITS));

/** `` `a`, `b` or `c` ``: names in backquotes as a message lists alternatives. */
export function wordsOr(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** Why a literal has no value: the message and help of its `UTR1xxx` diagnostic. */
export interface LiteralProblem {
  readonly message: string;
  readonly help?: string;
}

/** The value of an `Integer` token's text (decimal or `0x` hex, `_` separators), or why it has none. */
export function integerValue(image: string): bigint | LiteralProblem {
  // Most integers in a program are small plain decimals: no separators to drop, far below the limit.
  if (image.length < 16 && /^[0-9]+$/.test(image)) return BigInt(image);
  const digits = image.replace(/_/g, '');
  const hex = /^0[xX]/.test(digits);
  if (hex && digits.length === 2) {
    return { message: `invalid number \`${image}\``, help: 'a hex number needs digits after `0x`' };
  }
  const value = BigInt(hex ? `0x${digits.slice(2)}` : digits);
  if (value > U64_MAX) return { message: `integer \`${image}\` does not fit in 64 bits` };
  return value;
}

/**
 * The nanoseconds of a duration as the language writes it (`10ms`, `1_000us`), or why it has none. The lexer hands
 * over only well-formed `Duration` tokens; `--control …@TIME` hands over whatever was typed, so text that is not a
 * whole number and a unit is a problem too.
 */
export function durationNanos(image: string): bigint | LiteralProblem {
  const m = /^([0-9][0-9_]*)([a-z]+)$/.exec(image);
  // `Object.hasOwn`: a typed `constructor` must not find the prototype's.
  const unit = m && Object.hasOwn(DURATION_UNITS, m[2] as string) ? DURATION_UNITS[m[2] as string] : undefined;
  if (!m || unit === undefined)
    return {
      message: `\`${image}\` is not a duration`,
      help: `write a whole number and a unit of ${DURATION_UNIT_WORDS}, e.g. \`5ms\``,
    };
  const nanos = BigInt((m[1] as string).replace(/_/g, '')) * unit;
  if (nanos > U64_MAX) return { message: `duration \`${image}\` does not fit in 64 bits of nanoseconds` };
  return nanos;
}
