// §11: each race reproduced as a concrete schedule under `classic`, and shown absent or different under `sticky-stop`.
import { describe, expect, it } from 'vitest';
import {
  Action,
  ENGINE_STOP,
  Event,
  Result,
  SignalAction,
  type AnyEngine,
  type EngineOps,
  type PolicyName,
} from '../../src/runtime/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { atCallback, attach, POLICIES, preferDebuggers, program, sim, until } from './helpers.js';

/** A busy program: many cheap syscalls with user-mode work in between. */
const busy = program((p) => p.repeat(50, (b) => b.compute(1000).syscall('getpid').auto()));

describe('§11.1 asynchronous STOP vs a callback returning RESUME (the lost stop)', () => {
  /** A tracing-only engine (no stop discipline); the debugger stops it asynchronously and waits. */
  function lostStop(policy: PolicyName, disciplined: boolean): { stop: number; wait: number } {
    const s = sim(busy, { policy, scheduler: preferDebuggers() });
    const state = { wantStop: false };
    const ops: EngineOps<typeof state> = {
      reportSyscallExit: (c) => (disciplined && c.engine.data.wantStop ? Action.Stop : Action.Resume),
      reportQuiesce: (c) => (disciplined && c.engine.data.wantStop ? Action.Stop : Action.Resume),
    };
    const e = attach(s, s.initTask, ops, Event.Quiesce | Event.SyscallExit, state) as AnyEngine;
    const out = { stop: 1, wait: 1 };
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(5000);
      state.wantStop = true; // the discipline: set the flag before asking
      out.stop = yield* ctl.control(e, Action.Stop);
      out.wait = yield* ctl.waitStopped(e, 20_000);
      state.wantStop = false;
      yield* ctl.control(e, Action.Resume);
    });
    s.run();
    return out;
  }

  it("classic: STOP says -EINPROGRESS, the engine's own RESUME return clears it, the task never stops", () => {
    expect(lostStop('classic', false)).toEqual({ stop: Result.EINPROGRESS, wait: Result.ETIMEDOUT });
  });

  it('sticky-stop: the same engine and schedule; the stop holds and the task stops', () => {
    expect(lostStop('sticky-stop', false)).toEqual({ stop: Result.EINPROGRESS, wait: 0 });
  });

  it('classic with the discipline (return STOP while a "want stop" flag is set): the task stops', () => {
    expect(lostStop('classic', true)).toEqual({ stop: Result.EINPROGRESS, wait: 0 });
  });
});

/** Two syscalls; an engine whose syscall-entry callback returns STOP the first time and RESUME after. */
function stopAtFirstSyscall(policy: PolicyName): { s: ReturnType<typeof sim>; e: AnyEngine } {
  const s = sim(
    program((p) => p.syscall('getpid').auto().syscall('getppid').auto()),
    { policy, scheduler: preferDebuggers() },
  );
  let n = 0;
  const e = attach(
    s,
    s.initTask,
    { reportSyscallEntry: () => (n++ === 0 ? Action.Stop : Action.Resume), reportQuiesce: () => Action.Resume },
    Event.SyscallEntry | Event.Quiesce,
    null,
  ) as AnyEngine;
  return { s, e };
}

describe('§11.2 asynchronous RESUME vs a callback returning STOP', () => {
  /** The debugger resumes while the engine's syscall-entry callback (which returns STOP) is in flight. */
  function resumeDuringCallback(policy: PolicyName, withBarrier: boolean): { r: number; state: string } {
    const { s, e } = stopAtFirstSyscall(policy);
    let r = 1;
    s.spawn('d', function* (ctl) {
      yield* until(atCallback(s, e, 'report_syscall_entry'));
      if (withBarrier) yield* ctl.barrier(e);
      r = yield* ctl.control(e, Action.Resume);
    });
    s.run({ maxTime: 1e7 });
    return { r, state: s.runState(s.initTask) };
  }

  for (const policy of POLICIES) {
    it(`${policy}: RESUME returns 0, then the callback's STOP lands: the task stays stopped`, () => {
      expect(resumeDuringCallback(policy, false)).toEqual({ r: 0, state: 'traced' });
    });
    it(`${policy}: with barrier before RESUME, the STOP is applied first and RESUME wins`, () => {
      expect(resumeDuringCallback(policy, true)).toEqual({ r: 0, state: 'dead' });
    });
  }
});

describe('§11.7 the 2008 barrier ordering (policy barrier-2008)', () => {
  /** The debugger calls barrier while the callback is returning STOP (returned, not yet applied), then resumes. */
  function barrierThenResume(policy: PolicyName): { rs: number[]; state: string } {
    const { s, e } = stopAtFirstSyscall(policy);
    const rs: number[] = [];
    s.spawn('d', function* (ctl) {
      const ut = (): ReturnType<typeof s.runtime.taskState> => s.runtime.taskState(e.task);
      yield* until(() => ut()?.point.callback === 'report_syscall_entry' && ut()?.point.phase === 'return');
      rs.push(yield* ctl.barrier(e));
      rs.push(yield* ctl.control(e, Action.Resume));
    });
    s.run({ maxTime: 1e7 });
    return { rs, state: s.runState(s.initTask) };
  }

  it('barrier-2008: barrier returns 0 before the STOP is applied; the RESUME after it is lost', () => {
    expect(barrierThenResume('barrier-2008')).toEqual({ rs: [0, 0], state: 'traced' });
  });

  it('classic: the same schedule; barrier waits for the STOP to be applied and the RESUME wins', () => {
    expect(barrierThenResume('classic')).toEqual({ rs: [0, 0], state: 'dead' });
  });
});

describe('§11.8 resume in the stop window (stale task-level stop bit)', () => {
  /** Engine A returns STOP at syscall entry; while engine B's callback of the same pass runs, the debugger
   * resumes A. A's bit is cleared, the task's is not, and the task blocks with nobody wanting the stop. */
  function window(policy: PolicyName): { r: number; state: string; aWants: boolean } {
    const s = sim(
      program((p) => p.syscall('getpid').auto()),
      { policy, scheduler: preferDebuggers() },
    );
    let n = 0;
    // B is attached first, so it runs after A in the reverse-order syscall-entry pass.
    const b = attach(s, s.initTask, { reportSyscallEntry: () => Action.Resume }, Event.SyscallEntry, null) as AnyEngine;
    const a = attach(
      s,
      s.initTask,
      { reportSyscallEntry: () => (n++ === 0 ? Action.Stop : Action.Resume) },
      Event.SyscallEntry,
      null,
    ) as AnyEngine;
    let r = 1;
    s.spawn('d', function* (ctl) {
      yield* until(atCallback(s, b, 'report_syscall_entry'));
      r = yield* ctl.control(a, Action.Resume);
    });
    s.run({ maxTime: 1e7 });
    return { r, state: s.runState(s.initTask), aWants: (a.flags & ENGINE_STOP) !== 0 };
  }

  for (const policy of POLICIES) {
    it(`${policy}: the task stays blocked in utrace_stop though no engine wants it stopped`, () => {
      expect(window(policy)).toEqual({ r: 0, state: 'traced', aWants: false });
    });
  }
});

describe('§11.3 DETACH vs a callback in progress', () => {
  function detachDuring(
    useBarrier: boolean,
    policy: PolicyName = 'classic',
  ): { r: number; writesAfterDetach: number; barrier: number } {
    const s = sim(
      program((p) => p.syscall('getpid').auto().syscall('getppid').auto()),
      { scheduler: preferDebuggers(), policy },
    );
    const data = { writes: 0, detached: false, writesAfterDetach: 0 };
    const e = attach(
      s,
      s.initTask,
      {
        reportSyscallExit: (c) => {
          c.engine.data.writes++;
          if (c.engine.data.detached) c.engine.data.writesAfterDetach++;
          return Action.Resume;
        },
      },
      Event.SyscallExit,
      data,
    ) as AnyEngine;
    let r = 1;
    let barrier = 1;
    s.spawn('d', function* (ctl) {
      yield* until(atCallback(s, e, 'report_syscall_exit'));
      r = yield* ctl.control(e, Action.Detach);
      if (useBarrier) {
        do barrier = yield* ctl.barrier(e);
        while (barrier === Result.ERESTARTSYS);
      }
      data.detached = true; // "free" the engine's data now
    });
    s.run();
    return { r, writesAfterDetach: data.writesAfterDetach, barrier };
  }

  for (const policy of POLICIES) {
    it(`${policy}: without barrier, DETACH is -EINPROGRESS and the callback still runs on the "freed" data`, () => {
      const out = detachDuring(false, policy);
      expect(out.r).toBe(Result.EINPROGRESS);
      expect(out.writesAfterDetach).toBe(1);
    });

    it(`${policy}: with barrier until it stops saying -ERESTARTSYS, -ESRCH (fully detached) and no write after`, () => {
      const out = detachDuring(true, policy);
      expect(out).toEqual({ r: Result.EINPROGRESS, writesAfterDetach: 0, barrier: Result.ESRCH });
    });
  }
});

describe('§11.4 setEvents vs a callback in progress', () => {
  it.each(POLICIES)(
    '%s: the disabled callback runs once more after setEvents returned -EINPROGRESS; after barrier, never',
    (policy) => {
      const s = sim(
        program((p) => p.repeat(3, (b) => b.syscall('getpid').auto())),
        { scheduler: preferDebuggers(), policy },
      );
      const calls: string[] = [];
      let phase = 'before';
      const e = attach(
        s,
        s.initTask,
        { reportSyscallExit: () => (calls.push(phase), Action.Resume) },
        Event.SyscallExit,
        null,
      ) as AnyEngine;
      s.spawn('d', function* (ctl) {
        yield* until(atCallback(s, e, 'report_syscall_exit'));
        const r = yield* ctl.setEvents(e, 0);
        phase = r === Result.EINPROGRESS ? 'after-einprogress' : 'after-0';
        yield* ctl.barrier(e);
        phase = 'after-barrier';
      });
      s.run();
      expect(calls).toEqual(['after-einprogress']);
    },
  );
});

describe('§11.6 another engine may stop the task', () => {
  it.each(POLICIES)(
    '%s: an engine that returned RESUME still sees the task stop; with REPORT it gets a report after resumption',
    (policy) => {
      for (const mine of [Action.Resume, Action.Report]) {
        const s = sim(
          program((p) => p.syscall('getpid').auto().syscall('getppid').auto()),
          { scheduler: preferDebuggers(), policy },
        );
        const seen: string[] = [];
        let n = 0;
        const stopper = attach(
          s,
          s.initTask,
          { reportSyscallEntry: () => (n++ === 0 ? Action.Stop : Action.Resume) },
          Event.SyscallEntry,
          null,
        ) as AnyEngine;
        attach(
          s,
          s.initTask,
          { reportSyscallEntry: (c, a) => (seen.push(`${c.syscallNr()}${a & 0x100 ? 'R' : ''}`), mine) },
          Event.SyscallEntry,
          null,
        );
        s.spawn('d', function* (ctl) {
          yield* ctl.waitStopped(stopper);
          yield* ctl.control(stopper, Action.Resume);
        });
        s.run();
        expect(seen.slice(0, 2)).toEqual(mine === Action.Report ? ['39', '39R'] : ['39', '110']);
      }
    },
  );
});

describe('sticky-stop in the signal pass', () => {
  it('a STOP kept by sticky-stop holds through the HANDLER report; classic lets the task run the handler', () => {
    for (const policy of POLICIES) {
      const s = sim(
        program((p) =>
          p
            .handle('SIGUSR1', (h) => h.syscall('getpid').auto())
            .kill(target.self, 'SIGUSR1')
            .syscall('getppid')
            .auto(),
        ),
        { policy, checkInvariants: true },
      );
      let n = 0;
      attach(
        s,
        s.initTask,
        // STOP while delivering to the handler, then (without the discipline) RESUME at the HANDLER report.
        { reportSignal: (_c, a) => (n++ === 0 ? Action.Stop | SignalAction.Deliver : Action.Resume | (a & 0xf0)) },
        Event.Signal | Event.Quiesce,
        null,
      );
      s.run({ maxTime: 1e7 });
      expect(s.violations).toEqual([]);
      expect(s.runState(s.initTask)).toBe(policy === 'classic' ? 'dead' : 'traced');
    }
  });
});

describe('fedora-s3 (§17 A1): reporting left set after the return-to-user quiesce pass', () => {
  function after(policy: PolicyName): { barrier: number; setEvents: number } {
    const s = sim(
      program((p) => p.compute(1000).compute(1e9)),
      { policy, scheduler: preferDebuggers() },
    );
    const e = attach(
      s,
      s.initTask,
      { reportQuiesce: () => Action.Resume, reportExec: () => Action.Resume },
      Event.Quiesce | Event.Exec,
      null,
    ) as AnyEngine;
    const out = { barrier: 1, setEvents: 1 };
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(500);
      yield* ctl.control(e, Action.Report); // served at once by a quiesce(0) pass
      yield* ctl.sleep(1000);
      out.barrier = yield* ctl.barrier(e, 3);
      out.setEvents = yield* ctl.setEvents(e, Event.Quiesce);
    });
    s.run({ maxTime: 1e8 });
    return out;
  }

  it('classic (RHEL6): barrier returns 0 and clearing a bit returns 0', () => {
    expect(after('classic')).toEqual({ barrier: 0, setEvents: 0 });
  });

  it('fedora-s3: barrier keeps polling (-ERESTARTSYS here) and clearing a bit says -EINPROGRESS spuriously', () => {
    expect(after('fedora-s3')).toEqual({ barrier: Result.ERESTARTSYS, setEvents: Result.EINPROGRESS });
  });
});
