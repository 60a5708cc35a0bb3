// A hand-written TypeScript engine on the runtime API (no compiler involved), on every built-in workload:
// an strace-like tracer and a ptrace-like "slow stopper" driven by debugger-side code.
import { describe, expect, it } from 'vitest';
import { syscallName, X86_64 } from '../../src/arch/index.js';
import { Action, AttachFlags, Event, SignalAction, type AnyEngine, type EngineOps } from '../../src/runtime/index.js';
import { RandomScheduler, Simulator } from '../../src/runtime/sim/index.js';
import type { KernelRecord } from '../../src/runtime/log.js';
import { BUILTIN_WORKLOADS, builtinWorkload } from '../../src/runtime/sim/workload/builtin.js';

/** strace: one line per syscall with a path for the calls that take one; follows children. */
const strace: EngineOps<{ lines: string[] }> = {
  reportSyscallExit(ctx) {
    const nr = ctx.syscallNr();
    const name = syscallName(X86_64, nr);
    const path = name === 'openat' ? ` "${ctx.readString(ctx.syscallArg(1))}"` : '';
    ctx.engine.data.lines.push(`${ctx.task} ${name}${path} = ${ctx.syscallRet()}`);
    return Action.Resume;
  },
  reportClone(ctx, _a, _flags, child) {
    const e = ctx.runtime.attach(child, AttachFlags.Create, strace, ctx.engine.data, 'strace');
    if (typeof e !== 'number') ctx.runtime.setEvents(e, ctx.engine.flags);
    return Action.Resume;
  },
};

describe('hand-written engines', () => {
  for (const name of BUILTIN_WORKLOADS.keys()) {
    it(`strace-like engine on the built-in workload \`${name}\` sees every syscall exit, with paths`, () => {
      const sim = new Simulator(builtinWorkload(name), { seed: 3 });
      const data = { lines: [] as string[] };
      const e = sim.runtime.attach(sim.initTask, AttachFlags.Create, strace, data, 'strace') as AnyEngine;
      sim.runtime.setEvents(e, Event.SyscallExit | Event.Clone);
      const kernelSyscalls = () =>
        sim.runtime.log.records.filter((r): r is KernelRecord => r.kind === 'kernel' && r.what === 'syscall');
      const r = sim.run({ maxTime: 120e9 });
      expect(['done', 'max-time']).toContain(r.reason);
      expect(sim.runtime.faults).toEqual([]);
      expect(data.lines.length).toBeGreaterThan(0);
      // Every traced syscall that returns shows up, once per task and call (exit/exit_group have no exit report).
      const returning = kernelSyscalls()
        .map((k) => `${k.task} ${k.detail.split(' ')[0] ?? ''}`)
        .filter((l) => !/ exit(_group)?$/.test(l));
      const seen = data.lines.map((l) => l.split(' ').slice(0, 2).join(' '));
      expect(seen.sort()).toEqual(returning.sort());
      for (const l of data.lines.filter((x) => x.includes(' openat '))) expect(l).toMatch(/openat "\/.+" = /);
    });
  }

  it('a ptrace-like engine: holds the task at each signal, the debugger confirms the stop, examines, continues', () => {
    const w = builtinWorkload('signals');
    const sim = new Simulator(w, { scheduler: new RandomScheduler(11) });
    const data = { held: false, stops: 0, examined: 0 };
    const ptrace: EngineOps<typeof data> = {
      reportSignal: (c, a) => {
        if ((a & 0xf0) === SignalAction.Report || (a & 0xf0) === SignalAction.Handler)
          return c.engine.data.held ? Action.Stop | SignalAction.Ign : Action.Resume | SignalAction.Ign;
        // A real signal: hold the task and let the signal take its course (deliver) once it is let go.
        c.engine.data.held = true;
        return Action.Stop | (a & 0xf0);
      },
      reportQuiesce: (c) => (c.engine.data.held ? Action.Stop : Action.Resume),
    };
    const e = sim.runtime.attach(sim.initTask, AttachFlags.Create, ptrace, data, 'ptrace') as AnyEngine;
    sim.runtime.setEvents(e, Event.Quiesce | 0x1f00);
    sim.every('tracer', 50_000, function* (ctl) {
      if (!data.held) return;
      const r = yield* ctl.control(e, Action.Stop);
      if (r !== 0) return; // pending: the engine's own callbacks will hold it; try again later
      const exam = { state: '', ncsw: 0 };
      if ((yield* ctl.prepareExamine(e, exam)) === 0) {
        ctl.reg(e.task, 'rip');
        if ((yield* ctl.finishExamine(e, exam)) === 0) data.examined++;
      }
      data.stops++;
      data.held = false;
      yield* ctl.control(e, Action.Resume);
    });
    const r = sim.run({ maxTime: 120e9 });
    expect(sim.runtime.faults).toEqual([]);
    expect(data.stops).toBeGreaterThan(0);
    expect(data.examined).toBe(data.stops);
    expect(r.live).toEqual([]);
  });
});
