/** Number and duration literals: their values, their 64-bit limits, and the words of their problems. */
import { describe, expect, it } from 'vitest';
import { durationNanos, integerValue } from '../../src/parser/literals.js';
import { parseText } from './helpers.js';

describe('durationNanos', () => {
  it('multiplies by the unit and refuses what does not fit in 64 bits of nanoseconds', () => {
    expect(durationNanos('1_500us')).toBe(1_500_000n);
    expect(durationNanos('18446744073709551615ns')).toBe((1n << 64n) - 1n);
    expect(durationNanos('5124096h')).toEqual({
      message: 'duration `5124096h` does not fit in 64 bits of nanoseconds',
    });
  });

  it('says what a duration is for text that is none (what --control hands it)', () => {
    for (const text of ['5', '5sec', 'ms', '5constructor', '_5ms'])
      expect(durationNanos(text), text).toEqual({
        message: `\`${text}\` is not a duration`,
        help: 'write a whole number and a unit of `ns`, `us`, `ms`, `s`, `m` or `h`, e.g. `5ms`',
      });
  });
});

describe('integerValue', () => {
  it('reads decimal and hex with separators, up to 64 bits', () => {
    expect(integerValue('1_000')).toBe(1000n);
    expect(integerValue('0xffff_ffff_ffff_ffff')).toBe((1n << 64n) - 1n);
    expect(integerValue('18446744073709551616')).toEqual({
      message: 'integer `18446744073709551616` does not fit in 64 bits',
    });
  });
});

describe('messages that list the language words', () => {
  const messages = (text: string): string[] =>
    parseText(text).diagnostics.map((d) => [d.message, d.help ?? ''].join(' | '));

  it('list every signal fate', () => {
    expect(messages('engine e { on signal do fate later then resume }')).toEqual([
      '`later` is not a signal fate | a fate is `deliver`, `ignore`, `stop`, `terminate`, `core` or `handler`',
    ]);
    expect(messages('engine e { on signal do fate 5 then resume }')).toEqual([
      'expected a signal fate (`deliver`, `ignore`, `stop`, `terminate`, `core` or `handler`) after `fate`, found `5` | ',
    ]);
  });

  it('list every duration unit', () => {
    expect(messages('engine e { every 10sec do nothing }')).toEqual([
      'invalid number `10sec` | durations are written with a unit of `ns`, `us`, `ms`, `s`, `m` or `h`, e.g. `10ms`',
    ]);
  });
});
