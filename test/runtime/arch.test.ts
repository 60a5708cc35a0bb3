// The core and the simulator are not tied to x86_64: registers and the syscall convention come from src/arch.
import { describe, expect, it } from 'vitest';
import { Action, Event } from '../../src/runtime/index.js';
import { Simulator } from '../../src/runtime/sim/index.js';
import { str, workload } from '../../src/runtime/sim/workload/builder.js';
import { attach } from './helpers.js';

describe('architectures', () => {
  it('aarch64: the syscall number is in x8, arguments in x0…x5, the return value in x0', () => {
    const w = workload('arm', 'aarch64 openat', { arch: 'aarch64' })
      .process('p', (p) => p.syscall('openat', -100, str('/etc/hosts'), 0).returns(3))
      .build();
    const s = new Simulator(w);
    const seen: string[] = [];
    attach(
      s,
      s.initTask,
      {
        reportSyscallEntry: (c) => (
          seen.push(`${c.syscallNr()} ${c.readString(c.syscallArg(1))} x8=${c.reg('x8')}`),
          Action.Resume
        ),
        reportSyscallExit: (c) => (seen.push(`ret ${c.syscallRet()} x0=${c.reg('x0')}`), Action.Resume),
      },
      Event.SyscallEntry | Event.SyscallExit,
      null,
    );
    s.run();
    expect(seen.slice(0, 2)).toEqual(['56 /etc/hosts x8=56', 'ret 3 x0=3']);
  });
});
