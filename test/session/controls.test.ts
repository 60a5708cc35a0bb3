/** `--control NAME[:ARGS]@TIME` parsing and argument conversion by parameter type. */
import { describe, expect, test } from 'vitest';
import { X86_64 } from '../../src/arch/index.js';
import { ControlError, parseControlArg, parseControlOption, parseDuration } from '../../src/session/controls.js';

describe('--control', () => {
  test('name, engine, arguments and time', () => {
    expect(parseControlOption('cont@5ms')).toEqual({ name: 'cont', args: [], atNs: 5_000_000, text: 'cont@5ms' });
    expect(parseControlOption('gdb.goto:0x401000,true@1s')).toMatchObject({
      engine: 'gdb',
      name: 'goto',
      args: ['0x401000', 'true'],
      atNs: 1e9,
    });
    expect(parseControlOption('halt')).toMatchObject({ name: 'halt', atNs: 0 });
  });

  test('bad options say what is wrong', () => {
    expect(() => parseControlOption('cont@5')).toThrow(
      '`--control cont@5`: `5` is not a duration; write a whole number and a unit of `ns`, `us`, `ms`, `s`, `m` or `h`, e.g. `5ms`',
    );
    expect(() => parseControlOption('1cont@5ms')).toThrow(ControlError);
  });

  test('arguments convert by parameter type', () => {
    expect(parseControlArg('-0x10', 'int', 'n', X86_64)).toBe(-16n);
    expect(parseControlArg('openat', 'syscall', 'nr', X86_64)).toBe(257n);
    expect(parseControlArg('SIGINT', 'signal', 's', X86_64)).toBe(2n);
    expect(parseControlArg('INT', 'signal', 's', X86_64)).toBe(2n);
    expect(parseControlArg('250us', 'duration', 'd', X86_64)).toBe(250_000n);
    expect(parseControlArg('101', 'task', 't', X86_64)).toBe(101);
    expect(() => parseControlArg('opnat', 'syscall', 'nr', X86_64)).toThrow(
      'argument `nr` must be a system call name of x86_64 or a number, not `opnat`',
    );
    expect(() => parseControlArg('yes', 'bool', 'b', X86_64)).toThrow(/`true` or `false`/);
    expect(parseDuration('1_000ns')).toBe(1000n);
  });

  test('reads durations with every unit of the language, and refuses others', () => {
    expect(['1ns', '1us', '1ms', '1s', '1m', '1h'].map(parseDuration)).toEqual([
      1n,
      1_000n,
      1_000_000n,
      1_000_000_000n,
      60_000_000_000n,
      3_600_000_000_000n,
    ]);
    expect(parseDuration('0')).toBe(0n);
    expect(parseDuration('0_0')).toBe(0n);
    for (const bad of ['5', '5sec', '5 ms', 'ms', '5MS', '-5ms', '5constructor', '_5ms', ''])
      expect(parseDuration(bad), bad).toEqual(
        expect.objectContaining({ message: expect.stringContaining('is not a duration') }),
      );
  });

  test('refuses a time or a duration beyond 64 bits of nanoseconds, as the language does', () => {
    // 2^64 - 1 ns is about 584 years: the largest duration the language has.
    expect(parseDuration('18446744073709551615ns')).toBe((1n << 64n) - 1n);
    expect(parseDuration('18446744073709551616ns')).toEqual({
      message: 'duration `18446744073709551616ns` does not fit in 64 bits of nanoseconds',
    });
    expect(() => parseControlOption('c@99999999999999h')).toThrow(
      '`--control c@99999999999999h`: duration `99999999999999h` does not fit in 64 bits of nanoseconds',
    );
    expect(() => parseControlArg('99999999999999h', 'duration', 'd', X86_64)).toThrow(
      'argument `d`: duration `99999999999999h` does not fit in 64 bits of nanoseconds',
    );
  });

  test('refuses signal numbers beyond SIGRTMAX, task ids no kernel hands out and syscall numbers beyond an int', () => {
    expect(parseControlArg('64', 'signal', 's', X86_64)).toBe(64n);
    expect(() => parseControlArg('65', 'signal', 's', X86_64)).toThrow(
      'argument `s` must be a signal name such as `SIGINT` or a number from 0 to 64, not `65`',
    );
    expect(() => parseControlArg('99999999999999999999999', 'signal', 's', X86_64)).toThrow(ControlError);
    expect(parseControlArg('1073741823', 'task', 't', X86_64)).toBe(0x3fffffff);
    expect(parseControlArg('9999', 'syscall', 'nr', X86_64)).toBe(9999n);
    expect(() => parseControlArg('99999999999999999999999', 'syscall', 'nr', X86_64)).toThrow(ControlError);
    for (const bad of ['0', '1073741824', '99999999999999999999'])
      expect(() => parseControlArg(bad, 'task', 't', X86_64), bad).toThrow('argument `t` must be a task id');
  });

  test('reads integer arguments as the language reads integer literals', () => {
    expect(parseControlArg('0xffff_ffff_ffff_ffff', 'int', 'n', X86_64)).toBe(-1n);
    expect(() => parseControlArg('0x1_0000_0000_0000_0000', 'int', 'n', X86_64)).toThrow(
      'argument `n`: integer `0x1_0000_0000_0000_0000` does not fit in 64 bits',
    );
    expect(() => parseControlArg('0x_', 'int', 'n', X86_64)).toThrow(
      'argument `n`: invalid number `0x_`; a hex number needs digits after `0x`',
    );
  });
});
