// §6 resume-action arbitration, the syscall-entry loop's ABORT on SIGKILL, and the policy switch in traces.
import { describe, expect, it } from 'vitest';
import { Action, Event, type AnyEngine } from '../../src/runtime/index.js';
import { attach, POLICIES, preferDebuggers, program, sim, until } from './helpers.js';

describe('arbitration between engines', () => {
  it('the smallest action wins; DETACH never lowers what the others chose', () => {
    const s = sim(program((p) => p.syscall('getpid').auto()));
    const seen: number[] = [];
    attach(s, s.initTask, { reportSyscallExit: () => Action.Report }, Event.SyscallExit, null);
    attach(s, s.initTask, { reportSyscallExit: () => Action.Detach }, Event.SyscallExit, null);
    attach(s, s.initTask, { reportSyscallExit: (_c, a) => (seen.push(a), Action.Resume) }, Event.SyscallExit, null);
    s.run();
    expect(seen).toEqual([Action.Report]);
  });

  it('the task stays stopped while any engine wants it stopped, and wakes when the last one lets go', () => {
    const s = sim(
      program((p) => p.syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const once = (): (() => number) => {
      let n = 0;
      return () => (n++ === 0 ? Action.Stop : Action.Resume);
    };
    const a = attach(s, s.initTask, { reportSyscallEntry: once() }, Event.SyscallEntry, null) as AnyEngine;
    const b = attach(s, s.initTask, { reportSyscallEntry: once() }, Event.SyscallEntry, null) as AnyEngine;
    const states: string[] = [];
    s.spawn('d', function* (ctl) {
      yield* until(() => s.runState(s.initTask) === 'traced');
      yield* ctl.control(a, Action.Resume);
      states.push(s.runState(s.initTask));
      yield* ctl.control(b, Action.Resume);
      states.push(s.runState(s.initTask));
    });
    s.run();
    expect(states).toEqual(['traced', 'running']);
  });
});

describe('the syscall-entry loop', () => {
  it('SIGKILL while stopped at syscall entry: the syscall is aborted and the task dies without running it', () => {
    const s = sim(
      program((p) => p.syscall('getppid').returns(9).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const exits: bigint[] = [];
    attach(
      s,
      s.initTask,
      { reportSyscallEntry: () => Action.Stop, reportSyscallExit: (c) => (exits.push(c.syscallRet()), Action.Resume) },
      Event.SyscallEntry | Event.SyscallExit,
      null,
    );
    s.spawn('d', function* () {
      yield* until(() => s.runState(s.initTask) === 'traced');
      s.kill(s.initTask, 9);
    });
    s.run();
    expect(exits).toEqual([-38n]); // exit tracing still runs, with the untouched -ENOSYS
    expect(s.liveTasks()).toEqual([]);
  });
});

describe('policy switch', () => {
  it('is named in the first record of every trace', () => {
    for (const policy of POLICIES) {
      const s = sim(
        program((p) => p.syscall('getpid').auto()),
        { policy },
      );
      s.run();
      expect(s.runtime.log.records[0]).toMatchObject({ kind: 'policy', policy, backend: 'sim' });
      expect(s.runtime.policy).toBe(policy);
    }
  });
});
