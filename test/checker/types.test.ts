import { describe, expect, it } from 'vitest';
import {
  isAssignable,
  isEquatable,
  isOrdered,
  isPrintable,
  isStorable,
  listOf,
  mapOf,
  payloadOf,
  sameType,
  statusOf,
  T,
  typeToString,
} from '../../src/checker/types.js';

describe('type model', () => {
  it('prints types the way users write them', () => {
    expect(typeToString(mapOf(T.syscall, T.count))).toBe('map<syscall, count>');
    expect(typeToString(listOf(T.regs))).toBe('list<regs>');
    expect(typeToString(statusOf('stop', ['stopped', 'pending', 'gone']))).toBe(
      'status of `stop` (stopped | pending | gone)',
    );
  });

  it('compares structural types by structure', () => {
    expect(sameType(mapOf(T.int, listOf(T.string)), mapOf(T.int, listOf(T.string)))).toBe(true);
    expect(sameType(mapOf(T.int, listOf(T.string)), mapOf(T.int, listOf(T.bytes)))).toBe(false);
    expect(sameType(payloadOf('exec'), payloadOf('exit'))).toBe(false);
  });

  it('widens syscalls, signals and aggregations to int but never narrows', () => {
    expect(isAssignable(T.syscall, T.int)).toBe(true);
    expect(isAssignable(T.signal, T.int)).toBe(true);
    expect(isAssignable(T.count, T.int)).toBe(true);
    expect(isAssignable(T.int, T.syscall)).toBe(false);
    expect(isAssignable(T.int, T.duration)).toBe(false);
    expect(isAssignable(T.signal, T.syscall)).toBe(false);
  });

  it('lets the error type through everywhere so one mistake reports once', () => {
    expect(isAssignable(T.error, T.bool)).toBe(true);
    expect(isEquatable(T.error, T.regs)).toBe(true);
    expect(isOrdered(T.string, T.error)).toBe(true);
  });

  it('compares syscalls and signals with ints but not with each other', () => {
    expect(isEquatable(T.syscall, T.int)).toBe(true);
    expect(isEquatable(T.int, T.signal)).toBe(true);
    expect(isEquatable(T.syscall, T.signal)).toBe(false);
    expect(isOrdered(T.syscall, T.int)).toBe(true);
    expect(isEquatable(T.event, T.event)).toBe(true);
    expect(isEquatable(T.regs, T.regs)).toBe(false);
    expect(isEquatable(listOf(T.int), listOf(T.int))).toBe(false);
  });

  it('orders numbers, durations and strings only', () => {
    expect(isOrdered(T.duration, T.duration)).toBe(true);
    expect(isOrdered(T.duration, T.int)).toBe(false);
    expect(isOrdered(T.bool, T.bool)).toBe(false);
  });

  it('prints values but not tables, statuses or payloads', () => {
    expect(isPrintable(mapOf(T.syscall, T.count))).toBe(true);
    expect(isPrintable(T.table)).toBe(false);
    expect(isPrintable(statusOf('barrier', ['done', 'gone']))).toBe(false);
    expect(isPrintable(payloadOf('signal'))).toBe(false);
    expect(isPrintable(listOf(T.table))).toBe(false);
  });

  it('stores values and aggregations but no aggregation inside a list', () => {
    expect(isStorable(mapOf(T.syscall, T.hist))).toBe(true);
    expect(isStorable(listOf(T.count))).toBe(false);
    expect(isStorable(T.event)).toBe(false);
  });
});
