import { describe, expect, it } from 'vitest';
import { ARCH_NAMES, ARCHES, archOf, SIGNALS, signalNumber, type SignalName } from '../../src/arch/index.js';

describe('archOf', () => {
  it('gives every named architecture its own tables, the same as ARCHES', () => {
    for (const name of ARCH_NAMES) {
      expect(archOf(name).name).toBe(name);
      expect(ARCHES.get(name)).toBe(archOf(name));
    }
    expect(archOf('aarch64').syscalls['openat']).toBe(56);
    expect(archOf('x86_64').syscalls['openat']).toBe(257);
  });
});

describe('signalNumber', () => {
  it('gives the Linux number of every standard signal, as the signal table has it', () => {
    expect(signalNumber('SIGKILL')).toBe(9);
    expect(signalNumber('SIGSTOP')).toBe(19);
    expect(signalNumber('SIGCHLD')).toBe(17);
    for (const [name, info] of SIGNALS) expect(signalNumber(name as SignalName)).toBe(info.number);
  });
});
