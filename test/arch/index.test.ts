import { describe, expect, it } from 'vitest';
import { ARCH_NAMES, ARCHES, archOf } from '../../src/arch/index.js';

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
