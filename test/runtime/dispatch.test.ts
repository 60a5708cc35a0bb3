// The report passes have two forms: with scheduling points (when other coroutines exist) and without (a plain call,
// for speed). They must produce the same callbacks, returns and outcomes.
import { describe, expect, it } from 'vitest';
import { Action, Event, SignalAction, type EngineOps, type LogRecord } from '../../src/runtime/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { attach, program, sim } from './helpers.js';

const w = program(
  (p) =>
    p
      .handle('SIGUSR1', 'h')
      .repeat(3, (b) => b.syscall('getpid').auto().kill(target.self, 'SIGUSR1'))
      .fork((c) => c.syscall('getppid').auto().exit(2))
      .wait()
      .exec('/bin/x', ['x'], 'img'),
  { h: (h) => h.syscall('gettid').auto(), img: (i) => i.syscall('getpid').auto().exit(0) },
);

function engine(tag: number): EngineOps<{ n: number }> {
  // Deterministic but varied returns, including stops that resume themselves through REPORT.
  const next = (c: { engine: { data: { n: number } } }): number =>
    [Action.Resume, Action.Report, Action.Resume, Action.Interrupt][(c.engine.data.n++ + tag) % 4] as number;
  return {
    reportQuiesce: (c) => next(c),
    reportSignal: (c, a) => next(c) | (a & 0xf0) | (c.engine.data.n % 5 === 0 ? SignalAction.Ign : 0),
    reportSyscallEntry: (c) => next(c),
    reportSyscallExit: (c) => next(c),
    reportClone: (c) => next(c),
    reportExec: (c) => next(c),
    reportExit: (c) => next(c),
    reportDeath: () => Action.Resume,
    reportReap: () => undefined,
  };
}

function run(withIdleDebugger: boolean): string[] {
  const s = sim(w);
  for (let i = 0; i < 3; i++) attach(s, s.initTask, engine(i), Event.Quiesce | 0x1fff, { n: 0 });
  if (withIdleDebugger)
    s.spawn('idle', function* (ctl) {
      yield* ctl.sleep(1e12);
    });
  s.run({ maxTime: 1e9 });
  const keep = (r: LogRecord): boolean =>
    ['report', 'callback', 'return', 'stop', 'wake', 'kernel', 'detach'].includes(r.kind);
  return s.runtime.log.records.filter(keep).map((r) => JSON.stringify({ ...r, seq: 0 }));
}

describe('pass with and without scheduling points', () => {
  it('gives the same log', () => {
    const a = run(false);
    const b = run(true);
    expect(a.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });
});
