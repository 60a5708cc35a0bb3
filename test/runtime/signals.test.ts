// §5.7 the signal pass, dispositions, INTERRUPT, job control and the simulator's signal machinery.
import { describe, expect, it } from 'vitest';
import {
  Action,
  CLD_CONTINUED,
  CLD_STOPPED,
  EVENT_SIGNAL_ALL,
  Event,
  SIGNAL_HOLD,
  SignalAction,
  type AnyEngine,
  type EngineOps,
} from '../../src/runtime/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { attach, ofKind, preferDebuggers, program, sim } from './helpers.js';

/** What report_signal was told about one signal sent to self (with an optional disposition). */
function classify(signal: string, setup?: 'handler' | 'ignore'): { action: number; orig: string } {
  const s = sim(
    program((p) => {
      if (setup === 'handler') p.handle(signal, (h) => h.syscall('getpid').auto());
      if (setup === 'ignore') p.ignore(signal);
      p.kill(target.self, signal).syscall('getpid').auto();
    }),
  );
  let action = -1;
  let orig = '';
  attach(
    s,
    s.initTask,
    {
      reportSignal(_c, a, info, origKa) {
        if (action < 0 && info.signo !== 0) {
          action = a & 0xf0;
          orig = origKa?.handler ?? 'null';
        }
        // Keep the process alive: ignore whatever it was.
        return Action.Resume | SignalAction.Ign;
      },
    },
    EVENT_SIGNAL_ALL,
    null,
  );
  s.run();
  return { action, orig };
}

describe('the signal pass', () => {
  it('each disposition gives its event and default signal action', () => {
    expect(classify('SIGUSR1', 'handler')).toEqual({ action: SignalAction.Deliver, orig: 'handler' });
    expect(classify('SIGUSR1', 'ignore')).toEqual({ action: SignalAction.Ign, orig: 'ignore' });
    expect(classify('SIGUSR1')).toEqual({ action: SignalAction.Term, orig: 'default' });
    expect(classify('SIGSEGV')).toEqual({ action: SignalAction.Core, orig: 'default' });
    expect(classify('SIGWINCH')).toEqual({ action: SignalAction.Ign, orig: 'default' });
    expect(classify('SIGSTOP')).toEqual({ action: SignalAction.Stop, orig: 'default' });
    expect(classify('SIGTSTP')).toEqual({ action: SignalAction.Tstp, orig: 'default' });
  });

  it('an engine with no report_signal gets report_quiesce in its place, with the signal event', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGUSR1').syscall('getpid').auto()));
    const events: number[] = [];
    const ops: EngineOps<null> = { reportQuiesce: (_c, _a, ev) => (events.push(ev), Action.Resume | SignalAction.Ign) };
    attach(s, s.initTask, ops, Event.Quiesce | Event.SignalTerm, null);
    s.run();
    expect(events[0]).toBe(Event.SignalTerm);
    expect(s.liveTasks()).toEqual([]);
  });

  it('QUIESCE alone does not intercept signals: some engine must have a SIGNAL_* bit (kernel/utrace.c)', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGUSR1').syscall('getpid').auto()));
    const events: number[] = [];
    attach(s, s.initTask, { reportQuiesce: (_c, _a, ev) => (events.push(ev), Action.Resume) }, Event.Quiesce, null);
    s.run();
    expect(events).not.toContain(Event.SignalTerm);
    expect(ofKind(s.runtime.log.records, 'kernel').some((k) => k.what === 'fatal')).toBe(true);
  });

  it('INTERRUPT or REPORT returned from report_signal becomes RESUME (the next engine sees RESUME)', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGUSR1').syscall('getpid').auto()));
    const seen: number[] = [];
    attach(s, s.initTask, { reportSignal: () => Action.Interrupt | SignalAction.Ign }, Event.SignalTerm, null);
    attach(
      s,
      s.initTask,
      { reportSignal: (_c, a) => (seen.push(a & 7), Action.Resume | (a & 0xf0)) },
      Event.SignalTerm,
      null,
    );
    s.run();
    expect(seen).toEqual([Action.Resume]);
    expect(s.liveTasks()).toEqual([]);
  });

  it('an engine can change the outcome: IGN saves the process from a terminating signal', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGTERM').syscall('getppid').auto()));
    const after: number[] = [];
    attach(
      s,
      s.initTask,
      {
        reportSignal: () => Action.Resume | SignalAction.Ign,
        reportSyscallEntry: (c) => (after.push(c.syscallNr()), Action.Resume),
      },
      Event.SignalTerm | Event.SyscallEntry,
      null,
    );
    s.run();
    expect(after).toContain(110);
    expect(ofKind(s.runtime.log.records, 'kernel').some((k) => k.what === 'fatal')).toBe(false);
  });

  it('HOLD puts the signal back on the queue: it is reported again', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGUSR1').syscall('getpid').auto()));
    let n = 0;
    attach(
      s,
      s.initTask,
      {
        reportSignal: () =>
          n++ === 0 ? Action.Resume | SignalAction.Ign | SIGNAL_HOLD : Action.Resume | SignalAction.Ign,
      },
      Event.SignalTerm,
      null,
    );
    s.run();
    expect(n).toBe(2);
  });

  it('SIGKILL is never reported', () => {
    const s = sim(program((p) => p.kill(target.self, 'SIGKILL').syscall('getpid').auto()));
    const seen: number[] = [];
    attach(
      s,
      s.initTask,
      { reportSignal: (_c, a, info) => (seen.push(info.signo), a) },
      EVENT_SIGNAL_ALL | Event.Quiesce,
      null,
    );
    s.run();
    expect(seen).toEqual([]);
  });
});

describe('INTERRUPT and blocking system calls', () => {
  it('control(INTERRUPT) kicks a sleeping syscall: report_signal(SIGNAL_REPORT), then the call restarts', () => {
    const s = sim(
      program((p) => p.syscall('nanosleep').sleeps(10_000).syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const reports: string[] = [];
    const ops: EngineOps<null> = {
      reportSignal: (_c, a) => (
        reports.push(`signal ${(a & 0xf0) === SignalAction.Report ? 'REPORT' : a & 0xf0}`),
        Action.Resume | SignalAction.Ign
      ),
      reportSyscallEntry: (c) => (reports.push(`entry ${c.syscallNr()}`), Action.Resume),
      reportSyscallExit: (c) => (reports.push(`exit ${c.syscallNr()} = ${c.syscallRet()}`), Action.Resume),
    };
    const e = attach(s, s.initTask, ops, Event.Quiesce | Event.SyscallEntry | Event.SyscallExit, null) as AnyEngine;
    s.spawn('d', function* (ctl) {
      yield* ctl.sleep(1000);
      yield* ctl.control(e, Action.Interrupt);
    });
    const r = s.run();
    expect(reports.slice(0, 5)).toEqual(['entry 35', 'exit 35 = -512', 'signal REPORT', 'entry 35', 'exit 35 = 0']);
    // The restarted sleep waits only for the rest of its time.
    expect(r.time).toBeLessThan(10_000 + 1000);
  });

  it('a signal with a handler interrupts a sleep: -ERESTARTSYS at syscall exit, -EINTR to the program', () => {
    const s = sim(
      program((p) =>
        p
          .handle('SIGALRM', (h) => h.syscall('getppid').auto())
          .alarm(1)
          .syscall('nanosleep')
          .sleeps(5e9)
          .syscall('getpid')
          .auto(),
      ),
    );
    const exits: string[] = [];
    attach(
      s,
      s.initTask,
      { reportSyscallExit: (c) => (exits.push(`${c.syscallNr()}=${c.syscallRet()}`), Action.Resume) },
      Event.SyscallExit,
      null,
    );
    const r = s.run();
    expect(exits).toEqual(['13=0', '37=0', '35=-512', '110=1', '15=-4', '39=100']);
    expect(r.time).toBeGreaterThanOrEqual(1e9);
    expect(r.time).toBeLessThan(2e9);
  });
});

describe('job control', () => {
  it('SIGSTOP: report_jctl(CLD_STOPPED) before the stop; SIGCONT: report_jctl(CLD_CONTINUED) after', () => {
    const s = sim(
      program((p) => p.kill(target.self, 'SIGSTOP').syscall('getpid').auto()),
      { scheduler: preferDebuggers() },
    );
    const seen: string[] = [];
    attach(
      s,
      s.initTask,
      { reportJctl: (_c, _a, type, notify) => (seen.push(`${type}/${notify}`), Action.Resume) },
      Event.Jctl,
      null,
    );
    s.spawn('d', function* (ctl) {
      while (s.runState(s.initTask) !== 'stopped') yield* ctl.sleep(100);
      s.kill(s.initTask, 18);
    });
    s.run();
    expect(seen).toEqual([`${CLD_STOPPED}/${CLD_STOPPED}`, `${CLD_CONTINUED}/${CLD_CONTINUED}`]);
    expect(s.liveTasks()).toEqual([]);
  });

  it('blocked signals stay pending until unblocked', () => {
    const s = sim(
      program((p) =>
        p
          .block('SIGUSR1')
          .kill(target.self, 'SIGUSR1')
          .syscall('getpid')
          .auto()
          .unblock('SIGUSR1')
          .syscall('getppid')
          .auto(),
      ),
    );
    const order: string[] = [];
    attach(
      s,
      s.initTask,
      {
        reportSignal: (_c, _a, info) => (order.push(`sig ${info.signo}`), Action.Resume | SignalAction.Ign),
        reportSyscallEntry: (c) => (order.push(`${c.syscallNr()}`), Action.Resume),
      },
      Event.SignalTerm | Event.SyscallEntry,
      null,
    );
    s.run();
    expect(order).toEqual(['14', '62', '39', '14', 'sig 10', '110', '231']);
  });
});
