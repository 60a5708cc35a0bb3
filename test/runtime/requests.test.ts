// §5.3/§5.4/§17 A3: a pending REPORT or step request is used up by the next pass; INTERRUPT is kept until the
// signal path serves it; a step must be re-stated by the last callbacks before user mode. And a request made while
// the task runs user code is served at once (the kernel kicks the CPU).
import { describe, expect, it } from 'vitest';
import { Action, Event, SignalAction, type AnyEngine, type EngineOps } from '../../src/runtime/index.js';
import { atCallback, attach, preferDebuggers, program, sim, until } from './helpers.js';

/** The debugger makes `request` while the task is inside its getpid entry callback; what does the engine see? */
function inKernel(request: number, quiesceSays: (ev: number) => number = () => Action.Resume): string[] {
  const s = sim(
    program((p) => p.syscall('getpid').auto().compute(100).syscall('getppid').auto()),
    {
      scheduler: preferDebuggers(),
    },
  );
  const seen: string[] = [];
  const ops: EngineOps<null> = {
    reportQuiesce: (_c, _a, ev) => (seen.push(`quiesce(${ev})`), quiesceSays(ev)),
    reportSignal: (_c, a, info) => (
      seen.push(`signal(${(a & 0xf0) === SignalAction.Report ? 'REPORT' : info.signo})`),
      Action.Resume | SignalAction.Ign
    ),
    reportSyscallEntry: (c) => (seen.push(`entry(${c.syscallNr()})`), Action.Resume),
    reportSyscallExit: (c) => (seen.push(`exit(${c.syscallNr()})`), Action.Resume),
  };
  const e = attach(
    s,
    s.initTask,
    ops,
    Event.Quiesce | Event.SyscallEntry | Event.SyscallExit | Event.SignalCore,
    null,
  ) as AnyEngine;
  s.spawn('d', function* (ctl) {
    yield* until(atCallback(s, e, 'report_syscall_entry'));
    yield* ctl.control(e, request);
  });
  s.run();
  return seen;
}

describe('pending requests', () => {
  it('REPORT is used up by the next pass (syscall exit): no separate quiesce(0) before user mode', () => {
    expect(inKernel(Action.Report).slice(0, 5)).toEqual([
      'quiesce(64)',
      'entry(39)',
      'quiesce(128)',
      'exit(39)',
      'quiesce(64)',
    ]);
  });

  it('INTERRUPT is kept by that pass and served by the signal path: report_signal(SIGNAL_REPORT)', () => {
    expect(inKernel(Action.Interrupt).slice(0, 5)).toEqual([
      'quiesce(64)',
      'entry(39)',
      'quiesce(128)',
      'exit(39)',
      'signal(REPORT)',
    ]);
  });

  it('a step request is used up by the next pass: unless re-stated, no trap follows (UTR3007)', () => {
    expect(inKernel(Action.SingleStep)).not.toContain('signal(5)');
  });

  it('a step re-stated by the last report_quiesce is armed without a callback and traps after one user-mode op', () => {
    let restated = false;
    const seen = inKernel(Action.SingleStep, (ev) => {
      if (ev === Event.SyscallExit && !restated) {
        restated = true;
        return Action.SingleStep;
      }
      return Action.Resume;
    });
    expect(seen.slice(0, 5)).toEqual(['quiesce(64)', 'entry(39)', 'quiesce(128)', 'exit(39)', 'signal(5)']);
  });

  it('a request made while the task computes is served at once, not at the end of the computation', () => {
    const s = sim(
      program((p) => p.compute(1_000_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    let at = -1;
    const e = attach(
      s,
      s.initTask,
      { reportQuiesce: (c, _a, ev) => (ev === 0 && at < 0 ? ((at = c.now()), Action.Resume) : Action.Resume) },
      Event.Quiesce,
      null,
    ) as AnyEngine;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(1000);
      yield* ctl.control(e, Action.Report);
    });
    const r = s.run();
    expect(at).toBe(1000);
    expect(r.time).toBeGreaterThanOrEqual(1_000_000); // the rest of the computation still happens
  });
});
