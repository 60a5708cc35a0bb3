import { describe, expect, it } from 'vitest';
import {
  BUILTIN_WORKLOADS,
  builtinWorkload,
  defaultWorkloadFor,
  listBuiltinWorkloads,
  workloadEvents,
  workloadSyscalls,
} from '../../../../src/runtime/sim/workload/builtin.js';
import { validateWorkload } from '../../../../src/runtime/sim/workload/validate.js';
import { workloadFromJson, workloadToJson } from '../../../../src/runtime/sim/workload/json.js';
import { WorkloadError } from '../../../../src/runtime/sim/workload/errors.js';
import type { Op } from '../../../../src/runtime/sim/workload/types.js';

describe('built-in workloads', () => {
  it('registers the five workloads the issue asks for, each with a one-line description', () => {
    expect([...BUILTIN_WORKLOADS.keys()]).toEqual(['busy-loop', 'ls-R', 'shell', 'threads', 'signals']);
    expect(listBuiltinWorkloads().find((b) => b.name === 'signals')?.events).toEqual([
      'quiesce',
      'syscall_entry',
      'syscall_exit',
      'signal',
      'clone',
      'exit',
      'death',
      'reap',
      'jctl',
    ]);
    for (const { description } of listBuiltinWorkloads()) {
      expect(description.length).toBeGreaterThan(10);
      expect(description).not.toContain('\n');
    }
  });

  for (const name of BUILTIN_WORKLOADS.keys()) {
    it(`${name} is well formed: no errors and no warnings from the validator, at two scales`, () => {
      for (const scale of [1, 3]) {
        const w = builtinWorkload(name, { scale });
        expect(validateWorkload(w)).toEqual([]);
        expect(w.name).toBe(name);
        expect(w.arch).toBe('x86_64');
      }
    });

    it(`${name} survives JSON round-trip unchanged`, () => {
      const w = builtinWorkload(name);
      expect(workloadFromJson(workloadToJson(w))).toEqual(w);
    });
  }

  it('rejects an unknown name with the list of names', () => {
    expect(() => builtinWorkload('lsR')).toThrow(WorkloadError);
    expect(() => builtinWorkload('lsR')).toThrow(/no built-in workload `lsR` \(available: `busy-loop`, `ls-R`/);
  });

  it('rejects a nonsensical scale', () => {
    expect(() => builtinWorkload('busy-loop', { scale: 0 })).toThrow(/scale must be a positive number/);
  });

  it('each workload makes the events it is meant to exercise', () => {
    const events = (n: string): string[] => [...workloadEvents(builtinWorkload(n))].sort();
    expect(events('busy-loop')).not.toContain('clone');
    expect(events('shell')).toEqual(expect.arrayContaining(['clone', 'exec', 'signal', 'reap']));
    expect(events('threads')).toContain('clone');
    expect(events('signals')).toEqual(expect.arrayContaining(['signal', 'jctl', 'clone']));
    expect([...workloadSyscalls(builtinWorkload('ls-R'))]).toEqual(
      expect.arrayContaining(['openat', 'getdents64', 'newfstatat', 'close']),
    );
    expect(workloadSyscalls(builtinWorkload('threads'))).toContain('futex');
  });

  it('scale makes a workload bigger', () => {
    // Ops run, counting each repeat body as many times as it runs.
    const run = (ops: readonly Op[]): number =>
      ops.reduce((n, o) => n + (o.kind === 'repeat' ? o.count * run(o.body) : 1), 0);
    const size = (n: string, scale: number): number =>
      Object.values(builtinWorkload(n, { scale }).programs).reduce((sum, p) => sum + run(p.ops), 0);
    for (const name of BUILTIN_WORKLOADS.keys()) expect(size(name, 4)).toBeGreaterThan(size(name, 1));
  });

  it('picks a default workload that exercises what an engine subscribes to', () => {
    expect(defaultWorkloadFor([])).toBe('busy-loop');
    expect(defaultWorkloadFor(['syscall_entry', 'syscall_exit'])).toBe('busy-loop');
    expect(defaultWorkloadFor(['syscall_exit'], ['openat', 'getdents64'])).toBe('ls-R');
    expect(defaultWorkloadFor(['exec'])).toBe('shell');
    expect(defaultWorkloadFor(['jctl'])).toBe('signals');
    expect(defaultWorkloadFor(['signal', 'jctl', 'clone'])).toBe('signals');
    expect(defaultWorkloadFor(['clone'], ['futex'])).toBe('threads');
  });
});
