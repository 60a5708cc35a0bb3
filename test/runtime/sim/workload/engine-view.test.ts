// What an engine attached to a built-in workload sees: the model's contract that pointer arguments are readable
// (`path(call.arg[1])`), that `auto` results are the simulator's pids, and that clone/exec reports carry the ops'
// facts.
import { describe, expect, it } from 'vitest';
import { Action, AttachFlags, Event, type EngineOps } from '../../../../src/runtime/index.js';
import { Simulator } from '../../../../src/runtime/sim/simulator.js';
import { builtinWorkload } from '../../../../src/runtime/sim/workload/builtin.js';
import { constantValue } from '../../../../src/runtime/sim/workload/constants.js';
import type { Workload } from '../../../../src/runtime/sim/workload/types.js';

const OPENAT = 257;
const GETPID = 39;

function attach<D>(sim: Simulator, ops: EngineOps<D>, events: number, data: D): void {
  const e = sim.runtime.attach(sim.initTask, AttachFlags.Create, ops, data, 'view');
  if (typeof e === 'number') throw new Error(`attach failed: ${e}`);
  expect(sim.runtime.setEvents(e, events)).toBe(0);
}

function runWith<D>(w: Workload, ops: EngineOps<D>, events: number, data: D): D {
  const sim = new Simulator(w, { seed: 1 });
  attach(sim, ops, events, data);
  expect(sim.run().reason).toBe('done');
  return data;
}

describe('an engine on the built-in workloads', () => {
  it('ls-R: reads every directory path from openat arg 1 and sees the results the workload gives', () => {
    const seen = runWith(
      builtinWorkload('ls-R'),
      {
        reportSyscallExit(ctx) {
          if (ctx.syscallNr() === OPENAT && (ctx.syscallArg(2) & (constantValue('O_DIRECTORY') ?? 0n)) !== 0n)
            ctx.engine.data.push(`${ctx.readString(ctx.syscallArg(1))} = ${ctx.syscallRet()}`);
          return Action.Resume;
        },
      },
      Event.SyscallExit,
      [] as string[],
    );
    expect(seen[0]).toBe('/usr/share/doc = 3');
    expect(seen).toContain('/usr/share/doc/adduser = 3');
    expect(seen).toContain('/usr/share/doc/base-files/examples = 3');
    expect(seen).toHaveLength(1 + 24 + 5);
  });

  it('busy-loop: getpid returns the simulated pid, and the write buffer holds the text', () => {
    const seen = runWith(
      builtinWorkload('busy-loop', { scale: 0.01 }),
      {
        reportSyscallExit(ctx) {
          if (ctx.syscallNr() === GETPID) ctx.engine.data.pids.add(ctx.syscallRet());
          if (ctx.syscallNr() === 1)
            ctx.engine.data.writes.add(
              new TextDecoder().decode(ctx.readMemory(ctx.syscallArg(1), Number(ctx.syscallArg(2)))),
            );
          return Action.Resume;
        },
      },
      Event.SyscallExit,
      { pids: new Set<bigint>(), writes: new Set<string>() },
    );
    expect(seen.pids).toEqual(new Set([100n]));
    expect(seen.writes).toEqual(new Set(['tick\n']));
  });

  it('shell: clone and exec reports carry the flags and file names of the ops', () => {
    const seen = runWith(
      builtinWorkload('shell', { scale: 0.2 }),
      {
        reportClone(ctx, _action, flags) {
          ctx.engine.data.push(`clone 0x${flags.toString(16)}`);
          return Action.Resume;
        },
      },
      Event.Clone,
      [] as string[],
    );
    // Two forks for the pipeline, one vfork for the loop (scale 0.2 of five iterations).
    expect(seen).toEqual(['clone 0x1200011', 'clone 0x1200011', 'clone 0x4111']);

    // The children exec: an engine that follows them sees each exec's file name and argv.
    const execs: string[] = [];
    const follow: EngineOps<string[]> = {
      reportClone(ctx, _action, _flags, child) {
        const e = ctx.runtime.attach(child, AttachFlags.Create, follow, ctx.engine.data, 'view');
        if (typeof e !== 'number') ctx.runtime.setEvents(e, Event.Clone | Event.Exec);
        return Action.Resume;
      },
      reportExec(ctx, _action, exec) {
        ctx.engine.data.push(`${exec.filename} ${exec.argv.join(' ')}`);
        return Action.Resume;
      },
    };
    runWith(builtinWorkload('shell', { scale: 0.2 }), follow, Event.Clone | Event.Exec, execs);
    // The pipeline's `cat` (the echo side is a subshell that does not exec) and the loop's one `/bin/true`.
    expect(execs).toEqual(['/usr/bin/cat cat', '/bin/true /bin/true']);
  });
});
