/**
 * The support library's output as users read it: bpftrace-style histograms, tables, value printing, and the
 * 64-bit integer semantics generated code relies on.
 */
import { describe, expect, test } from 'vitest';
import {
  div,
  hex,
  Hist,
  i64,
  len,
  listAt,
  mapAggregation,
  mod,
  renderAggregation,
  renderHist,
  Show,
  StateMap,
  table,
  UtrFault,
  exitCode,
  quiesceEvent,
  renderTable,
} from '../../../src/runtime/index.js';

describe('hist', () => {
  test('buckets and bars as bpftrace prints them', () => {
    const h = new Hist();
    for (const v of [0n, 1n, 2n, 3n, 3n, 5n, 1024n, 1500n, -4n]) h.add(v);
    expect(renderHist(h)).toEqual([
      '(..., 0)               1 |@@@@@@@@@@@@@@@@@                                   |',
      '[0]                    1 |@@@@@@@@@@@@@@@@@                                   |',
      '[1]                    1 |@@@@@@@@@@@@@@@@@                                   |',
      '[2, 4)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
      '[4, 8)                 1 |@@@@@@@@@@@@@@@@@                                   |',
      '[8, 16)                0 |                                                    |',
      '[16, 32)               0 |                                                    |',
      '[32, 64)               0 |                                                    |',
      '[64, 128)              0 |                                                    |',
      '[128, 256)             0 |                                                    |',
      '[256, 512)             0 |                                                    |',
      '[512, 1K)              0 |                                                    |',
      '[1K, 2K)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |',
    ]);
    expect(h.count).toBe(9);
    expect(h.min).toBe(-4n);
    expect(h.max).toBe(1500n);
  });

  test('an empty histogram says so', () => {
    expect(renderAggregation({ kind: 'hist', name: 'lat', value: new Hist() })).toEqual(['lat: (no samples)']);
  });
});

describe('tables', () => {
  test('map aggregations sort by count, largest first, then by key; values right-aligned', () => {
    const show = new Show('x86_64');
    const m = new StateMap<bigint, bigint>(() => 0n);
    m.set(0n, 5n);
    m.set(257n, 12n);
    m.set(1n, 5n);
    expect(renderAggregation(mapAggregation('calls', 'syscall', 'count', m, show.syscall))).toEqual([
      'calls:',
      '  syscall  count',
      '  openat      12',
      '  read         5',
      '  write        5',
    ]);
  });

  test('table(m) keeps numbers as numbers for JSON and prints strings as they are', () => {
    const show = new Show('x86_64');
    const m = new StateMap<bigint, string>(() => '');
    m.set(2n, '"quoted"');
    const t = table(m, ['int', 'string'], show.int, (v) => v);
    expect(t.rows).toEqual([['2', '"quoted"']]);
    expect(renderTable(t, '')).toEqual(['int  string', '2    "quoted"']);
  });
});

describe('values', () => {
  const show = new Show('x86_64');
  test('syscalls and signals print by name, durations with their largest exact unit', () => {
    expect(show.syscall(257n)).toBe('openat');
    expect(show.syscall(99999n)).toBe('syscall_99999');
    expect(show.signal(11n)).toBe('SIGSEGV');
    expect(show.duration(10_000_000n)).toBe('10ms');
    expect(show.duration(1_500_000n)).toBe('1500us');
    expect(show.duration(3n)).toBe('3ns');
    expect(show.list(['a', 'b"'], show.quoted)).toBe('["a", "b\\""]');
    expect(show.bytes(new Uint8Array([0x68, 0x69, 0x0a, 0x22]))).toBe('"hi\\x0a\\""');
    expect([0, 0x40, 0x0800, 0x2000].map(show.event)).toEqual(['none', 'syscall_entry', 'signal', 'jctl']);
  });

  test('ints are 64-bit: they wrap; division truncates; by zero is a fault at its location', () => {
    expect(i64((1n << 63n) - 1n + 1n)).toBe(-(1n << 63n));
    expect(div(-7n, 2n, 0)).toBe(-3n);
    expect(mod(-7n, 2n, 0)).toBe(-1n);
    expect(() => div(1n, 0n, 4)).toThrow(UtrFault);
    try {
      mod(1n, 0n, 4);
    } catch (e) {
      expect((e as UtrFault).loc).toBe(4);
    }
    expect(hex(-1n)).toBe('0xffffffffffffffff');
    expect(len('ü')).toBe(2n);
    expect(() => listAt([1], 1n, 0)).toThrow(/out of range/);
  });

  test('maps read missing entries as the default without creating them', () => {
    const m = new StateMap<string, bigint>(() => 0n);
    expect(m.at('__proto__')).toBe(0n);
    expect(m.size).toBe(0);
    m.update('__proto__', (n) => n + 1n);
    expect(m.get('__proto__')).toBe(1n);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  test('exit codes and quiesce events as the language shows them', () => {
    expect(exitCode(3 << 8)).toBe(3n);
    expect(exitCode(9)).toBe(137n);
    expect(quiesceEvent(0x0800)).toBe(0x0100);
    expect(quiesceEvent(0x0040)).toBe(0x0040);
  });
});
