// §7.2: utrace_control's result for every action in every situation, and what each action does (§7.3).
import { describe, expect, it } from 'vitest';
import {
  Action,
  Event,
  Result,
  type AnyEngine,
  type Control,
  type Coroutine,
  type EngineOps,
} from '../../src/runtime/index.js';
import type { Simulator } from '../../src/runtime/sim/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { atCallback, attach, preferDebuggers, program, recorder, sim, until } from './helpers.js';

const ALL_ACTIONS = [
  Action.Stop,
  Action.Interrupt,
  Action.Report,
  Action.SingleStep,
  Action.BlockStep,
  Action.Resume,
  Action.Detach,
];

/** A task that stops at its first syscall entry (the engine returns STOP once), then runs three more calls. */
function stoppedAtEntry(extraEngines = 0): { s: Simulator; e: AnyEngine; seen: string[] } {
  const s = sim(
    program((p) => p.syscall('getpid').auto().syscall('getppid').auto().syscall('gettid').auto()),
    {
      scheduler: preferDebuggers(),
    },
  );
  const seen: string[] = [];
  let first = true;
  const ops: EngineOps<null> = {
    ...recorder(seen, 'A'),
    reportSyscallEntry: (c, a) => {
      seen.push(`A:entry(${c.syscallNr()}${a & 0x100 ? ',resumed' : ''})`);
      if (first) {
        first = false;
        return Action.Stop;
      }
      return Action.Resume;
    },
  };
  const e = attach(s, s.initTask, ops, Event.Quiesce | Event.SyscallEntry, null) as AnyEngine;
  for (let i = 0; i < extraEngines; i++)
    attach(
      s,
      s.initTask,
      { reportSyscallEntry: () => Action.Stop, reportQuiesce: () => Action.Resume },
      Event.SyscallEntry | Event.Quiesce,
      null,
    );
  return { s, e, seen };
}

function traced(s: Simulator): () => boolean {
  return () => s.runState(s.initTask) === 'traced';
}

function debuggerRuns(s: Simulator, body: (ctl: Control) => Coroutine<void>): void {
  s.spawn('d', body);
  s.run({ maxTime: 1e9 });
}

describe('control on a stopped target (§7.2 row "target stopped")', () => {
  it('STOP: 0, the task stays stopped', () => {
    const { s, e } = stoppedAtEntry();
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Stop);
    });
    expect(r).toBe(0);
    expect(s.runState(s.initTask)).toBe('traced');
  });

  it('RESUME: 0 and the task wakes and finishes', () => {
    const { s, e, seen } = stoppedAtEntry();
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Resume);
    });
    expect(r).toBe(0);
    expect(s.liveTasks()).toEqual([]);
    // RESUME does not ask for a repeat: the next entry report is for getppid.
    expect(seen.filter((x) => x.startsWith('A:entry'))).toEqual([
      'A:entry(39)',
      'A:entry(110)',
      'A:entry(186)',
      'A:entry(231)',
    ]);
  });

  it('REPORT: 0, wakes, and the syscall-entry callbacks repeat with SYSCALL_RESUMED', () => {
    const { s, e, seen } = stoppedAtEntry();
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Report);
    });
    expect(r).toBe(0);
    expect(seen.slice(0, 4)).toEqual(['A:quiesce(64)', 'A:entry(39)', 'A:quiesce(64)', 'A:entry(39,resumed)']);
  });

  it('INTERRUPT: 0 and wakes (with a repeat, since INTERRUPT <= REPORT)', () => {
    const { s, e, seen } = stoppedAtEntry();
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Interrupt);
    });
    expect(r).toBe(0);
    expect(seen).toContain('A:entry(39,resumed)');
    expect(s.liveTasks()).toEqual([]);
  });

  it('DETACH: 0, removed at once, and the task wakes', () => {
    const { s, e, seen } = stoppedAtEntry();
    let r = 1;
    let state = '';
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Detach);
      state = e.state;
    });
    expect([r, state]).toEqual([0, 'detached']);
    expect(seen).toEqual(['A:quiesce(64)', 'A:entry(39)']);
    expect(s.liveTasks()).toEqual([]);
  });

  it('SINGLESTEP and BLOCKSTEP: 0 and the task wakes (the step is pending for the return to user mode)', () => {
    for (const a of [Action.SingleStep, Action.BlockStep]) {
      const { s, e } = stoppedAtEntry();
      let r = 1;
      let state = '';
      debuggerRuns(s, function* (ctl) {
        yield* until(traced(s));
        r = yield* ctl.control(e, a);
        state = s.runState(s.initTask);
      });
      expect([r, state]).toEqual([0, 'running']);
    }
  });

  it('RESUME from one engine leaves the task stopped while another engine wants the stop', () => {
    const { s, e } = stoppedAtEntry(1);
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(traced(s));
      r = yield* ctl.control(e, Action.Resume);
    });
    expect(r).toBe(0);
    expect(s.runState(s.initTask)).toBe('traced');
  });
});

describe('control on a task in a job-control stop', () => {
  it('STOP: 0 and the stop becomes a utrace stop; RESUME puts it back in the group stop; SIGCONT continues', () => {
    const s = sim(
      program((p) => p.kill(target.self, 'SIGSTOP').syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
    const states: string[] = [];
    const rs: number[] = [];
    debuggerRuns(s, function* (ctl) {
      yield* until(() => s.runState(s.initTask) === 'stopped');
      rs.push(yield* ctl.control(e, Action.Stop));
      states.push(s.runState(s.initTask));
      rs.push(yield* ctl.control(e, Action.Resume));
      states.push(s.runState(s.initTask));
      s.kill(s.initTask, 18);
      states.push(s.runState(s.initTask));
    });
    expect(rs).toEqual([0, 0]);
    expect(states).toEqual(['traced', 'stopped', 'running']);
    expect(s.liveTasks()).toEqual([]);
  });

  it('REPORT and INTERRUPT: 0', () => {
    for (const a of [Action.Report, Action.Interrupt]) {
      const s = sim(
        program((p) => p.kill(target.self, 'SIGSTOP').syscall('getpid').auto()),
        {
          scheduler: preferDebuggers(),
        },
      );
      const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
      let r = 1;
      debuggerRuns(s, function* (ctl) {
        yield* until(() => s.runState(s.initTask) === 'stopped');
        r = yield* ctl.control(e, a);
      });
      expect(r).toBe(0);
    }
  });

  it('DETACH: 0 (converted, then removed); the task stays in its job-control stop', () => {
    const s = sim(
      program((p) => p.kill(target.self, 'SIGSTOP').syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const e = attach(s, s.initTask, { reportQuiesce: () => Action.Resume }, Event.Quiesce, null) as AnyEngine;
    let r = 1;
    debuggerRuns(s, function* (ctl) {
      yield* until(() => s.runState(s.initTask) === 'stopped');
      r = yield* ctl.control(e, Action.Detach);
    });
    expect([r, e.state, s.runState(s.initTask)]).toEqual([0, 'detached', 'stopped']);
  });
});

describe('control on a running task (§7.2 rows "target running")', () => {
  /** The task computes for a while (user mode, no callback in flight); the debugger acts meanwhile. */
  function running(action: number): { r: number; state: string; s: Simulator; seen: string[] } {
    const s = sim(
      program((p) => p.compute(10_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const seen: string[] = [];
    const e = attach(s, s.initTask, recorder(seen, 'A'), Event.Quiesce | Event.SyscallEntry, null) as AnyEngine;
    let r = 1;
    let state = '';
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(1000);
      r = yield* ctl.control(e, action);
      state = e.state;
    });
    s.run({ maxTime: 1e9 });
    return { r, state, s, seen };
  }

  it('STOP: -EINPROGRESS (it stops only when it reaches a report point and its callback agrees)', () => {
    expect(running(Action.Stop).r).toBe(Result.EINPROGRESS);
  });

  it('RESUME, REPORT, INTERRUPT, SINGLESTEP, BLOCKSTEP: 0', () => {
    for (const a of [Action.Resume, Action.Report, Action.Interrupt, Action.SingleStep, Action.BlockStep])
      expect(running(a).r).toBe(0);
  });

  it("DETACH: 0, marked now and removed at the task's next pass; no callback reaches the engine after", () => {
    const { r, state, seen } = running(Action.Detach);
    expect([r, state]).toEqual([0, 'detaching']);
    expect(seen).toEqual([]);
  });
});

describe('control while a callback of this engine is in flight', () => {
  function inFlight(action: number, ret: number): { r: number; s: Simulator } {
    const s = sim(
      program((p) => p.syscall('getpid').auto().syscall('getppid').auto()),
      { scheduler: preferDebuggers() },
    );
    let first = true;
    const e = attach(
      s,
      s.initTask,
      {
        reportQuiesce: () => Action.Resume,
        reportSyscallEntry: () => (first ? ((first = false), ret) : Action.Resume),
      },
      Event.Quiesce | Event.SyscallEntry,
      null,
    ) as AnyEngine;
    let r = 1;
    s.spawn('d', function* (ctl) {
      yield* until(atCallback(s, e, 'report_syscall_entry'));
      r = yield* ctl.control(e, action);
    });
    s.run({ maxTime: 1e9 });
    return { r, s };
  }

  it('STOP: -EINPROGRESS', () => {
    expect(inFlight(Action.Stop, Action.Resume).r).toBe(Result.EINPROGRESS);
  });

  it('DETACH: -EINPROGRESS', () => {
    expect(inFlight(Action.Detach, Action.Resume).r).toBe(Result.EINPROGRESS);
  });

  it('REPORT and INTERRUPT: 0', () => {
    expect([inFlight(Action.Report, Action.Resume).r, inFlight(Action.Interrupt, Action.Resume).r]).toEqual([0, 0]);
  });

  it("RESUME: 0, but the callback's STOP return replaces it: the task ends up stopped", () => {
    const { r, s } = inFlight(Action.Resume, Action.Stop);
    expect(r).toBe(0);
    expect(s.runState(s.initTask)).toBe('traced');
  });
});

describe("control from the target's own callback (target == current)", () => {
  it('STOP: -EINPROGRESS; DETACH: -EINPROGRESS (its own callback is in flight); RESUME: 0', () => {
    const s = sim(program((p) => p.syscall('getpid').auto()));
    const rs: number[] = [];
    attach(
      s,
      s.initTask,
      {
        reportSyscallEntry(c) {
          const e = c.engine as AnyEngine;
          rs.push(
            c.runtime.control(e, Action.Stop),
            c.runtime.control(e, Action.Resume),
            c.runtime.control(e, Action.Detach),
          );
          return Action.Resume;
        },
      },
      Event.SyscallEntry,
      null,
    );
    s.run();
    expect(rs).toEqual([Result.EINPROGRESS, 0, Result.EINPROGRESS]);
  });
});

describe('control argument and engine-state errors', () => {
  it('an action >= RESUME_MAX is -EINVAL', () => {
    const { s, e } = stoppedAtEntry();
    expect(s.runtime.control(e, 7)).toBe(Result.EINVAL);
    expect(s.runtime.control(e, -1)).toBe(Result.EINVAL);
  });

  it('REPORT and the steps need QUIESCE (-EINVAL); INTERRUPT is not checked', () => {
    const s = sim(program((p) => p.syscall('getpid').auto()));
    const e = attach(s, s.initTask, {}, Event.SyscallExit, null) as AnyEngine;
    expect([Action.Report, Action.SingleStep, Action.BlockStep].map((a) => s.runtime.control(e, a))).toEqual([
      Result.EINVAL,
      Result.EINVAL,
      Result.EINVAL,
    ]);
    expect(s.runtime.control(e, Action.Interrupt)).toBe(0);
  });

  it('a step on an arch without stepping is -EOPNOTSUPP; BLOCKSTEP falls back to SINGLESTEP', () => {
    const w = program((p) => p.compute(100).syscall('getpid').auto());
    const noStep = sim(w, { canSingleStep: false, canBlockStep: false });
    const e1 = attach(noStep, noStep.initTask, {}, Event.Quiesce, null) as AnyEngine;
    expect(noStep.runtime.control(e1, Action.SingleStep)).toBe(Result.EOPNOTSUPP);
    expect(noStep.runtime.control(e1, Action.BlockStep)).toBe(Result.EOPNOTSUPP);
    const singleOnly = sim(w, { canSingleStep: true, canBlockStep: false });
    const signals: number[] = [];
    const e2 = attach(
      singleOnly,
      singleOnly.initTask,
      {
        reportQuiesce: (_c, _a, ev) => (ev === 0 ? Action.SingleStep : Action.Resume),
        reportSignal: (_c, a, info) => (signals.push(info.signo), Action.Resume | (a & 0xf0)),
      },
      Event.Quiesce | Event.SignalCore,
      null,
    ) as AnyEngine;
    expect(singleOnly.runtime.control(e2, Action.BlockStep)).toBe(0);
    singleOnly.run();
    expect(signals[0]).toBe(5); // the step trap (SIGTRAP) after one user-mode op
  });

  it('a detached or marked engine gets -ESRCH for every action; a second DETACH too', () => {
    const s = sim(program((p) => p.compute(1000).syscall('getpid').auto()));
    const e = attach(s, s.initTask, {}, Event.Quiesce, null) as AnyEngine;
    expect(s.runtime.control(e, Action.Detach)).toBe(0);
    expect(e.state).toBe('detaching');
    expect(ALL_ACTIONS.map((a) => s.runtime.control(e, a))).toEqual(ALL_ACTIONS.map(() => Result.ESRCH));
    s.run();
    expect(e.state).toBe('detached');
    expect(ALL_ACTIONS.map((a) => s.runtime.control(e, a))).toEqual(ALL_ACTIONS.map(() => Result.ESRCH));
  });

  it('an engine detached by its own DETACH return without QUIESCE gets -EINVAL for REPORT/steps (§17 A7)', () => {
    const s = sim(program((p) => p.syscall('getpid').auto().compute(1000)));
    const e = attach(s, s.initTask, { reportSyscallExit: () => Action.Detach }, Event.SyscallExit, null) as AnyEngine;
    s.run({ maxTime: 150 });
    expect(e.state).not.toBe('attached');
    expect(s.runtime.control(e, Action.Report)).toBe(Result.EINVAL);
    expect(s.runtime.control(e, Action.Resume)).toBe(Result.ESRCH);
  });
});

describe('control on a dead task', () => {
  /** A child that exits while the parent computes; the debugger engine is attached to the child. */
  function deadChild(
    events: number,
    body: (s: Simulator, e: () => AnyEngine, ctl: Control) => Coroutine<void>,
    death?: EngineOps<null>['reportDeath'],
  ): Simulator {
    const s = sim(
      program((p) =>
        p
          .fork((c) => c.compute(500).exit(0), { label: 'k' })
          .compute(5000)
          .wait(),
      ),
      {
        scheduler: preferDebuggers(),
      },
    );
    let child = 0;
    let engine: AnyEngine | null = null;
    attach(s, s.initTask, { reportClone: (_c, _a, _f, kid) => ((child = kid), Action.Resume) }, Event.Clone, null);
    s.spawn('d', function* (ctl) {
      yield* until(() => child !== 0);
      const ops: EngineOps<null> = { reportQuiesce: () => Action.Resume };
      if (death) ops.reportDeath = death;
      engine = (yield* ctl.attach(child, 0x10, ops, null)) as AnyEngine;
      yield* ctl.setEvents(engine, events);
      yield* body(s, () => engine as AnyEngine, ctl);
    });
    s.run({ maxTime: 1e9 });
    return s;
  }

  it('report_death running: DETACH is -EALREADY, every other action -ESRCH', () => {
    const rs: number[] = [];
    deadChild(Event.Death | Event.Quiesce, function* (s, e, ctl) {
      yield* until(atCallback(s, e(), 'report_death'));
      for (const a of ALL_ACTIONS) rs.push(yield* ctl.control(e(), a));
    });
    expect(rs).toEqual([
      Result.ESRCH,
      Result.ESRCH,
      Result.ESRCH,
      Result.ESRCH,
      Result.ESRCH,
      Result.ESRCH,
      Result.EALREADY,
    ]);
  });

  it('dead, death report done or never due: DETACH is 0 and removes the engine at once; others -ESRCH', () => {
    const rs: number[] = [];
    let state = '';
    deadChild(Event.Quiesce, function* (s, e, ctl) {
      // exit_state is set before report_death runs: wait until the death report is over.
      yield* until(() => s.runState(e().task) === 'zombie' && s.runtime.taskState(e().task)?.death === false);
      for (const a of ALL_ACTIONS) rs.push(yield* ctl.control(e(), a));
      state = e().state;
    });
    expect(rs).toEqual([Result.ESRCH, Result.ESRCH, Result.ESRCH, Result.ESRCH, Result.ESRCH, Result.ESRCH, 0]);
    expect(state).toBe('detached');
  });

  it('reaped: -ESRCH, except -EINVAL for REPORT/steps (the teardown cleared the flags, §17 A7)', () => {
    const rs: number[] = [];
    deadChild(Event.Quiesce, function* (s, e, ctl) {
      yield* until(() => !s.exists(e().task));
      for (const a of ALL_ACTIONS) rs.push(yield* ctl.control(e(), a));
    });
    const { ESRCH, EINVAL } = Result;
    expect(rs).toEqual([ESRCH, ESRCH, EINVAL, EINVAL, EINVAL, ESRCH, ESRCH]);
  });
});
