// §10.5 (with §17 A4/A5): where a STOP really happens, and the stop bookkeeping of §10 (stale task bit, resume_action).
import { describe, expect, it } from 'vitest';
import { Action, ENGINE_STOP, Event, SignalAction, type AnyEngine, type EngineOps } from '../../src/runtime/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { attach, ofKind, POLICIES, preferDebuggers, program, sim } from './helpers.js';

/** Run until the first utrace stop (or the end) and say where the task is. */
function firstStop(s: ReturnType<typeof sim>): { state: string; lastReport: string; kernel: string[] } {
  s.run({ maxTime: 1e7 });
  const recs = s.runtime.log.records;
  const stopAt = recs.findIndex((r) => r.kind === 'stop' && r.reason === 'utrace');
  const upto = stopAt < 0 ? recs : recs.slice(0, stopAt);
  const reports = ofKind(upto, 'report');
  return {
    state: s.runState(s.initTask),
    lastReport: reports.length ? (reports[reports.length - 1] as { event: string }).event : '',
    kernel: ofKind(upto, 'kernel').map((k) => `${k.what} ${k.detail}`),
  };
}

const once = (ret: number, then: number = Action.Resume): (() => number) => {
  let n = 0;
  return () => (n++ === 0 ? ret : then);
};

describe('where a STOP takes effect', () => {
  it('from report_syscall_entry: at once, before the system call runs', () => {
    const s = sim(program((p) => p.syscall('getppid').returns(5)));
    let retAtStop = 0n;
    attach(
      s,
      s.initTask,
      {
        reportSyscallEntry: once(Action.Stop),
        reportSyscallExit: (c) => ((retAtStop = c.syscallRet()), Action.Resume),
      },
      Event.SyscallEntry | Event.SyscallExit,
      null,
    );
    const r = firstStop(s);
    expect(r.state).toBe('traced');
    expect(r.lastReport).toBe('SYSCALL_ENTRY');
    expect(retAtStop).toBe(0n); // syscall exit not reached yet
    expect(s.reg(s.initTask, 'rax')).toBe(-38n);
  });

  it('from report_exit: in place, before the thread dies', () => {
    const s = sim(program((p) => p.exit(3)));
    attach(s, s.initTask, { reportExit: once(Action.Stop) }, Event.Exit, null);
    const r = firstStop(s);
    expect(r.state).toBe('traced');
    expect(r.lastReport).toBe('EXIT');
  });

  it('from report_clone with CLONE_VFORK: the parent stops before waiting for the child; a fork defers it', () => {
    for (const mode of ['vfork', 'fork'] as const) {
      const s = sim(
        program((p) =>
          (mode === 'vfork' ? p.vfork((c) => c.exit(0)) : p.fork((c) => c.exit(0))).syscall('getpid').auto(),
        ),
      );
      attach(
        s,
        s.initTask,
        { reportClone: once(Action.Stop), reportQuiesce: () => Action.Resume },
        Event.Clone | Event.Quiesce,
        null,
      );
      const r = firstStop(s);
      if (mode === 'vfork') {
        expect(r.state).toBe('traced');
        expect(r.lastReport).toBe('CLONE');
      } else {
        // Deferred: the quiesce(0) pass decides, and this engine's quiesce says RESUME.
        expect(r.state).toBe('dead');
      }
    }
  });

  it('from exec / syscall exit: deferred to the return-to-user quiesce pass, whose returns decide', () => {
    for (const quiesceSays of [Action.Resume, Action.Stop]) {
      const s = sim(program((p) => p.syscall('getpid').auto().syscall('getppid').auto()));
      const ops: EngineOps<null> = {
        reportSyscallExit: once(Action.Stop),
        reportQuiesce: (_c, _a, ev) => (ev === 0 ? quiesceSays : Action.Resume),
      };
      attach(s, s.initTask, ops, Event.SyscallExit | Event.Quiesce, null);
      const r = firstStop(s);
      if (quiesceSays === Action.Stop) {
        expect(r.state).toBe('traced');
        expect(r.lastReport).toBe('QUIESCE');
      } else {
        expect(r.state).toBe('dead');
      }
    }
  });

  it('from report_signal with IGN: at once in the signal path', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGUSR1').syscall('getpid').auto()));
    attach(s, s.initTask, { reportSignal: once(Action.Stop | SignalAction.Ign) }, Event.SignalTerm, null);
    const r = firstStop(s);
    expect(r.state).toBe('traced');
    expect(r.lastReport).toBe('SIGNAL');
  });

  it('from report_signal delivering to a handler: no stop there; a HANDLER report follows, which must say STOP again (§17 A5)', () => {
    for (const again of [false, true]) {
      const s = sim(
        program((p) =>
          p
            .handle('SIGUSR1', (h) => h.syscall('getppid').auto())
            .kill(target.self, 'SIGUSR1')
            .syscall('getpid')
            .auto(),
        ),
      );
      const seen: number[] = [];
      const ops: EngineOps<null> = {
        reportSignal(_c, action) {
          seen.push(action & 0xf0);
          if ((action & 0xf0) === SignalAction.Handler) return (again ? Action.Stop : Action.Resume) | SignalAction.Ign;
          if (seen.length === 1) return Action.Stop | SignalAction.Deliver;
          return Action.Resume | (action & 0xf0);
        },
      };
      attach(s, s.initTask, ops, Event.Signal | Event.Quiesce, null);
      const r = firstStop(s);
      expect(seen.slice(0, 2)).toEqual([SignalAction.Deliver, SignalAction.Handler]);
      expect(r.kernel.some((k) => k.startsWith('handler'))).toBe(true);
      expect(r.state).toBe(again ? 'traced' : 'dead');
    }
  });

  it('STOP together with a TERM disposition: no utrace stop, the default action (death) goes ahead (§17 A5)', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGTERM').syscall('getpid').auto()));
    attach(
      s,
      s.initTask,
      { reportSignal: (_c, a) => Action.Stop | (a & 0xf0), reportQuiesce: () => Action.Resume },
      Event.SignalTerm | Event.Quiesce,
      null,
    );
    const r = firstStop(s);
    expect(r.state).toBe('dead');
    expect(r.kernel).toContain('fatal signal 15');
  });

  it('a STOP returned by report_quiesce inside a syscall-entry pass stops at once (the pass shares report.action)', () => {
    const s = sim(program((p) => p.syscall('getpid').auto()));
    attach(
      s,
      s.initTask,
      { reportQuiesce: once(Action.Stop), reportSyscallEntry: () => Action.Resume },
      Event.Quiesce | Event.SyscallEntry,
      null,
    );
    const r = firstStop(s);
    expect(r.state).toBe('traced');
    expect(r.lastReport).toBe('SYSCALL_ENTRY');
  });
});

describe('stop bookkeeping', () => {
  it('utrace_stop raises `resume` to the smallest non-STOP return: a REPORT from another engine repeats the entry report', () => {
    for (const other of [Action.Report, Action.Resume]) {
      const s = sim(
        program((p) => p.syscall('getpid').auto()),
        { scheduler: preferDebuggers() },
      );
      const resumed: boolean[] = [];
      const a = attach(
        s,
        s.initTask,
        { reportSyscallEntry: once(Action.Stop), reportQuiesce: () => Action.Resume },
        Event.SyscallEntry | Event.Quiesce,
        null,
      );
      attach(
        s,
        s.initTask,
        { reportSyscallEntry: (_c, act) => (resumed.push((act & 0x100) !== 0), other) },
        Event.SyscallEntry,
        null,
      );
      s.spawn('d', function* (ctl) {
        while (s.runState(s.initTask) !== 'traced') yield* ctl.sleep(10);
        yield* ctl.control(a as AnyEngine, Action.Resume);
      });
      s.run();
      expect(resumed.slice(0, 2)).toEqual(other === Action.Report ? [false, true] : [false, false]);
    }
  });

  it('the stale task-level stop bit: a task can block although no engine wants it stopped (§11.8), under both policies', () => {
    for (const policy of POLICIES) {
      const s = sim(
        program((p) => p.compute(1000).syscall('getpid').auto()),
        { scheduler: preferDebuggers(), policy },
      );
      const e = attach(
        s,
        s.initTask,
        { reportSyscallEntry: () => Action.Resume },
        Event.SyscallEntry,
        null,
      ) as AnyEngine;
      s.spawn('d', function* (ctl) {
        yield* ctl.sleep(100);
        yield* ctl.control(e, Action.Stop); // -EINPROGRESS: ES set, REPORT pending
      });
      s.run({ maxTime: 1e6 });
      // start_callback forced STOP from the engine's ES; its entry callback returned RESUME.
      expect(s.runState(s.initTask)).toBe('traced');
      if (policy === 'classic')
        expect(e.flags & ENGINE_STOP).toBe(0); // nobody wants the stop
      else expect(e.flags & ENGINE_STOP).toBe(ENGINE_STOP); // sticky: the engine still wants it
    }
  });

  it('STOP without QUIESCE is unreliable: no quiesce pass serves it and the task never stops (§11.8)', () => {
    const s = sim(
      program((p) => p.compute(1000).syscall('getpid').auto().compute(1000)),
      {
        scheduler: preferDebuggers(),
      },
    );
    const e = attach(s, s.initTask, { reportSyscallExit: () => Action.Resume }, Event.SyscallExit, null) as AnyEngine;
    let r = 0;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(100);
      r = yield* ctl.control(e, Action.Stop);
    });
    s.run();
    expect(r).toBe(-115);
    // The pending REPORT reaches utrace_resume, which has no QUIESCE engine to ask; the syscall-exit callback
    // then clears the bit by returning RESUME.
    expect(ofKind(s.runtime.log.records, 'stop')).toEqual([]);
    expect(ofKind(s.runtime.log.records, 'report').map((r) => r.event)).not.toContain('QUIESCE');
    expect(s.liveTasks()).toEqual([]);
  });
});
