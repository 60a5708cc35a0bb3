// §8 utrace_barrier and §9 utrace_prepare_examine / utrace_finish_examine.
import { describe, expect, it } from 'vitest';
import { Action, ENGINE_STOP, Event, Result, type AnyEngine, type Examination } from '../../src/runtime/index.js';
import { atCallback, attach, preferDebuggers, program, sim, until } from './helpers.js';

/** A simulator on `prog` (debuggers first) with an engine whose syscall-entry callback returns STOP once. */
function stopAtFirstSyscall(prog: ReturnType<typeof program>): { s: ReturnType<typeof sim>; e: AnyEngine } {
  const s = sim(prog, { scheduler: preferDebuggers() });
  let n = 0;
  const e = attach(
    s,
    s.initTask,
    { reportSyscallEntry: () => (n++ === 0 ? Action.Stop : Action.Resume) },
    Event.SyscallEntry,
    null,
  ) as AnyEngine;
  return { s, e };
}

describe('barrier', () => {
  it('0 at once when no callback of the engine is in flight', () => {
    const s = sim(
      program((p) => p.compute(10_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
    let r = 1;
    let t = -1;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(100);
      r = yield* ctl.barrier(e);
      t = ctl.runtime.now();
    });
    s.run();
    expect([r, t]).toEqual([0, 100]);
  });

  it('waits for a callback in flight and returns 0 only once its return value (STOP) is applied', () => {
    const { s, e } = stopAtFirstSyscall(program((p) => p.syscall('getpid').auto()));
    let r = 1;
    let flagsAtReturn = 0;
    let polled = 0;
    s.spawn('d', function* (ctl) {
      yield* until(atCallback(s, e, 'report_syscall_entry'));
      const t0 = ctl.runtime.now();
      r = yield* ctl.barrier(e);
      polled = ctl.runtime.now() - t0;
      flagsAtReturn = e.flags;
      yield* ctl.control(e, Action.Resume);
    });
    s.run();
    expect(r).toBe(0);
    expect(polled).toBeGreaterThan(0); // it had to poll at least one tick
    expect(flagsAtReturn & ENGINE_STOP).toBe(ENGINE_STOP);
    expect(s.liveTasks()).toEqual([]);
  });

  it('-ESRCH once the engine is fully detached; after DETACH of a running task it waits for the removal', () => {
    const s = sim(
      program((p) => p.compute(10_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
    let r = 1;
    let at = 0;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(100);
      yield* ctl.control(e, Action.Detach);
      r = yield* ctl.barrier(e);
      at = ctl.runtime.now();
    });
    s.run();
    expect(r).toBe(Result.ESRCH);
    expect(at).toBeGreaterThanOrEqual(10_000); // the marked engine went away only at the task's next pass
  });

  it('-ERESTARTSYS when the wait is interrupted (here: after maxTicks polls)', () => {
    const s = sim(
      program((p) => p.syscall('nanosleep').sleeps(1e9)),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
    let r = 1;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(100);
      yield* ctl.control(e, Action.Detach);
      r = yield* ctl.barrier(e, 3);
    });
    s.run({ maxTime: 5e8 });
    expect(r).toBe(Result.ERESTARTSYS);
  });

  it('0 when called by the target on itself, even inside its own callback', () => {
    const s = sim(program((p) => p.syscall('getpid').auto()));
    let r = 1;
    attach(
      s,
      s.initTask,
      { reportSyscallEntry: (c) => ((r = c.runtime.barrier(c.engine as AnyEngine)), Action.Resume) },
      Event.SyscallEntry,
      null,
    );
    s.run();
    expect(r).toBe(0);
  });
});

describe('prepareExamine / finishExamine', () => {
  it('-EINVAL when the engine did not ask for the stop', () => {
    const s = sim(program((p) => p.compute(10_000)));
    const e = attach(s, s.initTask, {}, Event.Quiesce, null) as AnyEngine;
    const exam: Examination = { state: '', ncsw: 0 };
    expect(s.runtime.prepareExamine(e, exam)).toBe(Result.EINVAL);
    expect(s.runtime.finishExamine(e, exam)).toBe(Result.EINVAL);
  });

  it('-EAGAIN while the task is running (a STOP still pending)', () => {
    const s = sim(
      program((p) => p.compute(10_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Stop }, Event.Quiesce, null) as AnyEngine;
    const rs: number[] = [];
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(100);
      rs.push(yield* ctl.control(e, Action.Stop));
      rs.push(yield* ctl.prepareExamine(e, { state: '', ncsw: 0 }));
      yield* ctl.control(e, Action.Detach);
    });
    s.run();
    expect(rs).toEqual([Result.EINPROGRESS, Result.EAGAIN]);
  });

  it('0 around a read of a stopped task; -EAGAIN when the task ran in between (the data must be discarded)', () => {
    const s = sim(
      program((p) => p.syscall('nanosleep').sleeps(5000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Stop }, Event.Quiesce, null) as AnyEngine;
    const rs: number[] = [];
    let rip = 0n;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(1000);
      // Asleep in nanosleep with our stop requested: examinable, but it will wake and run before it stops.
      rs.push(yield* ctl.control(e, Action.Stop));
      const exam: Examination = { state: '', ncsw: 0 };
      rs.push(yield* ctl.prepareExamine(e, exam));
      yield* ctl.sleep(10_000);
      rs.push(yield* ctl.finishExamine(e, exam));
      // Now it is stopped in its quiesce report: a stable examination.
      const exam2: Examination = { state: '', ncsw: 0 };
      rs.push(yield* ctl.prepareExamine(e, exam2));
      rip = ctl.reg(e.task, 'rip');
      rs.push(yield* ctl.finishExamine(e, exam2));
      yield* ctl.control(e, Action.Detach);
    });
    s.run();
    expect(rs).toEqual([Result.EINPROGRESS, 0, Result.EAGAIN, 0, 0]);
    expect(rip).toBe(0x401000n);
  });

  it('-ESRCH on a dead task; 0 for the target itself', () => {
    const s = sim(
      program((p) =>
        p
          .fork((c) => c.exit(0))
          .compute(1000)
          .wait(),
      ),
    );
    let inCallback = 1;
    let child = 0;
    attach(
      s,
      s.initTask,
      {
        reportClone(c, _a, _f, kid) {
          child = kid;
          const ce = c.runtime.attach(kid, 0x10, { reportDeath: () => Action.Stop }, null) as AnyEngine;
          c.runtime.setEvents(ce, Event.Death);
          inCallback = c.runtime.prepareExamine(c.engine as AnyEngine, { state: '', ncsw: 0 });
          return Action.Resume;
        },
      },
      Event.Clone,
      null,
    );
    s.run({ maxTime: 500 });
    expect(inCallback).toBe(0);
    const ce = s.runtime.attach(child, 0, null, null) as AnyEngine;
    expect(s.runState(child)).toBe('zombie');
    expect(ce.flags & ENGINE_STOP).toBe(ENGINE_STOP);
    expect(s.runtime.prepareExamine(ce, { state: '', ncsw: 0 })).toBe(Result.ESRCH);
  });
});

describe('debugger-side state access is logged for the "no examine while running" invariant', () => {
  it('a read from a stopped task logs 0; a read while the task runs logs -EAGAIN', () => {
    const { s, e } = stopAtFirstSyscall(program((p) => p.syscall('getpid').auto().compute(10_000)));
    s.spawn('d', function* (ctl) {
      yield* ctl.waitStopped(e);
      ctl.reg(e.task, 'rip');
      yield* ctl.control(e, Action.Resume);
      yield* ctl.sleep(1000);
      ctl.reg(e.task, 'rip'); // computing: a torn read
    });
    s.run();
    const examines = s.runtime.log.records.filter((r) => r.kind === 'call' && r.op === 'examine');
    expect(examines.map((r) => (r.kind === 'call' ? r.result : 1))).toEqual([0, Result.EAGAIN]);
  });
});
