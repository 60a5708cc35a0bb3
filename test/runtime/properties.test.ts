// Properties over random workloads, random engines (random return values) and random schedules (§15).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Action,
  AttachFlags,
  ENGINE_STOP,
  Event,
  recordToJson,
  SignalAction,
  type AnyEngine,
  type EngineOps,
  type LogRecord,
  type PolicyName,
} from '../../src/runtime/index.js';
import { RandomScheduler, Simulator } from '../../src/runtime/sim/index.js';
import { target, workload, type ProgramBuilder } from '../../src/runtime/sim/workload/builder.js';
import type { Workload } from '../../src/runtime/sim/workload/types.js';

type Step = 'getpid' | 'sleep' | 'compute' | 'usr1' | 'winch' | 'fork' | 'thread';

function build(steps: readonly Step[]): Workload {
  const w = workload('random', 'a random workload');
  w.program('child', (c) => c.syscall('getppid').auto().compute(300).exit(0));
  w.program('worker', (c) => c.syscall('gettid').auto().compute(200).exitThread(0));
  w.program('on-usr1', (h) => h.syscall('getpid').auto());
  return w
    .process('rand', (p: ProgramBuilder) => {
      p.handle('SIGUSR1', 'on-usr1');
      for (const s of steps) {
        if (s === 'getpid') p.syscall('getpid').auto();
        else if (s === 'sleep') p.syscall('nanosleep').sleeps(2000);
        else if (s === 'compute') p.compute(500);
        else if (s === 'usr1') p.kill(target.self, 'SIGUSR1');
        else if (s === 'winch') p.kill(target.self, 'SIGWINCH');
        else if (s === 'fork') p.fork('child').wait();
        else p.thread('worker');
      }
    })
    .build();
}

const ACTIONS = [
  Action.Stop,
  Action.Interrupt,
  Action.Report,
  Action.Resume,
  Action.Resume,
  Action.Resume,
  Action.Detach,
];

/** An engine whose every callback returns the next value of `tape` (cyclically). Always keeps QUIESCE. */
function randomEngine(tape: readonly number[]): EngineOps<{ i: number }> {
  const next = (c: { engine: { data: { i: number } } }): number => {
    const v = tape[c.engine.data.i++ % tape.length] ?? 0;
    return ACTIONS[v % ACTIONS.length] as number;
  };
  return {
    reportQuiesce: (c) => next(c),
    reportSignal: (c, a) =>
      next(c) | ((tape[c.engine.data.i % tape.length] ?? 0) % 3 === 0 ? SignalAction.Ign : a & 0xf0),
    reportClone: (c) => next(c),
    reportExec: (c) => next(c),
    reportSyscallEntry: (c) => next(c),
    reportSyscallExit: (c) => next(c),
    reportExit: (c) => next(c),
    reportDeath: (c) => (next(c) === Action.Detach ? Action.Detach : Action.Resume),
    reportReap: () => undefined,
  };
}

const MASKS = [
  Event.Quiesce,
  Event.Quiesce | Event.SyscallEntry,
  Event.Quiesce | Event.SyscallExit | Event.Death | Event.Reap,
  Event.Quiesce | 0x1f00 | Event.Clone,
  Event.Quiesce | Event.SyscallEntry | Event.SyscallExit | Event.Exit | Event.Reap,
];

interface Scenario {
  steps: Step[];
  engines: Array<{ mask: number; tape: number[] }>;
  debuggerTape: number[];
  seed: number;
  policy: PolicyName;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(fc.constantFrom<Step>('getpid', 'sleep', 'compute', 'usr1', 'winch', 'fork', 'thread'), {
    minLength: 1,
    maxLength: 12,
  }),
  engines: fc.array(
    fc.record({ mask: fc.constantFrom(...MASKS), tape: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  debuggerTape: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }),
  seed: fc.nat(),
  policy: fc.constantFrom<PolicyName>('classic', 'sticky-stop'),
});

/** Run one scenario: engines on the first task (and on children they see cloned), a debugger that acts at random. */
function runScenario(sc: Scenario): { sim: Simulator; records: readonly LogRecord[] } {
  const sim = new Simulator(build(sc.steps), {
    scheduler: new RandomScheduler(sc.seed),
    policy: sc.policy,
    checkInvariants: true,
  });
  const rt = sim.runtime;
  const engines: AnyEngine[] = [];
  sc.engines.forEach((spec, k) => {
    const e = rt.attach(sim.initTask, AttachFlags.Create, randomEngine(spec.tape), { i: 0 }, `r${k}`) as AnyEngine;
    rt.setEvents(e, spec.mask);
    engines.push(e);
  });
  let d = 0;
  const pick = (): number => sc.debuggerTape[d++ % sc.debuggerTape.length] ?? 0;
  sim.every('chaos', 3000, function* (ctl) {
    const e = engines[pick() % engines.length] as AnyEngine;
    const what = pick() % 6;
    if (what === 0) yield* ctl.control(e, ACTIONS[pick() % ACTIONS.length] as number);
    else if (what === 1) yield* ctl.barrier(e, 5);
    else if (what === 2) yield* ctl.setEvents(e, MASKS[pick() % MASKS.length] as number);
    else if (what === 3) yield* ctl.waitStopped(e, 2000);
    // Whatever happened, let every task go on eventually: resume all engines.
    for (const x of engines) yield* ctl.control(x, Action.Resume);
  });
  sim.run({ maxSteps: 50_000, maxTime: 5e8 });
  return { sim, records: rt.log.records };
}

describe('runtime properties under random workloads, engines and schedules', () => {
  it("the user-mode invariant check can fail: a stop bit set behind the core's back is caught", () => {
    // Without this, the first property would pass just as well if the check never ran.
    const sim = new Simulator(build(['getpid', 'compute', 'getpid', 'compute', 'getpid']), { checkInvariants: true });
    const rt = sim.runtime;
    const ops: EngineOps<null> = { reportQuiesce: () => Action.Resume };
    const e = rt.attach(sim.initTask, AttachFlags.Create, ops, null, 'forged') as AnyEngine;
    rt.setEvents(e, Event.Quiesce);
    (e as { flags: number }).flags |= ENGINE_STOP;
    sim.run({ maxSteps: 10_000, maxTime: 1e8 });
    expect(sim.violations.length).toBeGreaterThan(0);
    expect(sim.violations[0]).toMatch(/runs user code while e\d+ wants it stopped/);
  });

  it('a task never runs user code while an engine (with QUIESCE) wants it stopped', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { sim } = runScenario(sc);
        expect(sim.violations).toEqual([]);
        expect(sim.runtime.faults).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('reports reach engines in attach order (reverse for syscall entry)', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { records } = runScenario(sc);
        const current = new Map<number, { event: string; last: number }>();
        for (const r of records) {
          if (r.kind === 'report')
            current.set(r.task, { event: r.event, last: r.event === 'SYSCALL_ENTRY' ? Infinity : -Infinity });
          if (r.kind !== 'callback') continue;
          const pass = current.get(r.task);
          if (!pass) continue;
          if (pass.event === 'SYSCALL_ENTRY') expect(r.engine).toBeLessThanOrEqual(pass.last);
          else expect(r.engine).toBeGreaterThanOrEqual(pass.last);
          pass.last = r.engine;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('no callback reaches an engine after it is fully detached, and report_reap is its last callback', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { records } = runScenario(sc);
        const gone = new Set<number>();
        const reaped = new Set<number>();
        for (const r of records) {
          if (r.kind === 'callback') {
            expect(gone.has(r.engine)).toBe(false);
            expect(reaped.has(r.engine)).toBe(false);
            if (r.callback === 'report_reap') reaped.add(r.engine);
          }
          if (r.kind === 'detach') gone.add(r.engine);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the same seed gives the same log, byte for byte', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const a = runScenario(sc).records.map(recordToJson).join('\n');
        const b = runScenario(sc).records.map(recordToJson).join('\n');
        expect(a).toBe(b);
      }),
      { numRuns: 25 },
    );
  });

  it('different seeds give different interleavings (the scheduler really chooses)', () => {
    const sc: Scenario = {
      steps: ['getpid', 'fork', 'thread', 'getpid', 'usr1', 'sleep', 'getpid'],
      engines: [{ mask: MASKS[4] as number, tape: [3] }],
      debuggerTape: [5],
      seed: 1,
      policy: 'classic',
    };
    const logs = new Set(
      [1, 2, 3, 4, 5].map((seed) =>
        runScenario({ ...sc, seed })
          .records.map(recordToJson)
          .join('\n'),
      ),
    );
    expect(logs.size).toBeGreaterThan(1);
  });
});
