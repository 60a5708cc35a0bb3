/**
 * One explored run: the compiled engines on a fresh simulator, every scheduling choice taken from a choice list
 * (then from a tail strategy), the debugger side's control operations each parked until a choice releases it, and
 * the invariant monitors watching the event log. Same inputs, same choices: same event log, byte for byte.
 */
import { ARCHES, X86_64, type Arch } from '../arch/index.js';
import type { AnyEngine, Control, Coroutine, DebuggerHost, LogRecord, PolicyName } from '../runtime/index.js';
import { Simulator } from '../runtime/sim/simulator.js';
import type { Runnable, Scheduler } from '../runtime/sim/scheduler.js';
import type { Workload } from '../runtime/sim/workload/types.js';
import type { BackendOutcome, SessionBackend } from '../session/backend.js';
import type { LoadedProgram } from '../session/cache.js';
import { parseControlOption } from '../session/controls.js';
import { runSession, type LoadedEngine } from '../session/session.js';
import { Monitor, type Violation } from './monitors.js';
import { exploreWorkload } from './workloads.js';

/** What is explored: the program, the engines attached, the workload, and the controls the debugger may invoke. */
export interface Target {
  readonly loaded: readonly LoadedEngine[];
  readonly engines: readonly string[];
  readonly workload: () => Workload;
  readonly arch: Arch;
  /** `ENGINE.NAME` of parameterless controls, each invoked once at a point a choice picks. */
  readonly controls: readonly string[];
}

/** The target of exploring a loaded program with `engines` attached, on the explorer workload named `workload`. */
export function exploreTarget(
  loaded: LoadedProgram,
  engines: readonly string[],
  workload: string,
  controls: readonly string[],
): Target {
  return {
    loaded: loaded.engines,
    engines,
    workload: () => {
      const w = exploreWorkload(workload);
      // Callers check the name first (a usage error); reaching this is a bug.
      if (!w) throw new Error(`internal error: no workload \`${workload}\``);
      return w;
    },
    arch: ARCHES.get(loaded.arch) ?? X86_64,
    controls,
  };
}

/** How the release of parked controls is offered: at every new log record (`naive`), or only when the state the
 * debugger side can see or touch changed since the last offer (`reduced`). */
export type ReleaseMode = 'naive' | 'reduced';

/** One choice point of a run. */
export interface ChoicePoint {
  readonly kind: 'pick' | 'release';
  readonly arity: number;
  readonly chosen: number;
  /** The log length when the choice was made (the record the next step follows). */
  readonly seq: number;
  /** Whether the choice preempts a coroutine that could have gone on (picks only). */
  readonly preempts: boolean;
  /** What was chosen: `task 100`, `debugger counter: control finish`, `release counter.finish`. */
  readonly label: string;
}

/** Chooses beyond the given prefix (default: always 0). */
export type Tail = (kind: 'pick' | 'release', arity: number, enabled: readonly Runnable[] | null) => number;

/** The result of one run. */
export interface RunRecord {
  readonly points: readonly ChoicePoint[];
  readonly log: readonly LogRecord[];
  readonly violations: readonly Violation[];
  /** `done`, `deadlock`, `max-time`. */
  readonly end: string;
  /** A digest of the final state (engine states, end), to count distinct outcomes. */
  readonly outcome: string;
}

/** Options of one run. */
export interface RunOptions {
  readonly semantics: PolicyName;
  readonly choices: readonly number[];
  readonly release?: ReleaseMode;
  readonly tail?: Tail;
  /** Virtual time limit (ns; default 2 s). */
  readonly maxTime?: number;
}

class Chooser implements Scheduler {
  readonly points: ChoicePoint[] = [];
  private last = -1;

  constructor(
    private readonly prefix: readonly number[],
    private readonly tail: Tail,
    private readonly seq: () => number,
  ) {}

  private next(kind: 'pick' | 'release', arity: number, enabled: readonly Runnable[] | null): number {
    const i = this.points.length;
    const c = i < this.prefix.length ? (this.prefix[i] as number) : this.tail(kind, arity, enabled);
    return c >= 0 && c < arity ? c : 0;
  }

  pick(enabled: readonly Runnable[]): number {
    const c = this.next('pick', enabled.length, enabled);
    const chosen = enabled[c] as Runnable;
    const preempts = chosen.id !== this.last && enabled.some((r) => r.id === this.last);
    this.last = chosen.id;
    this.points.push({ kind: 'pick', arity: enabled.length, chosen: c, seq: this.seq(), preempts, label: chosen.name });
    return c;
  }

  release(name: string): boolean {
    const c = this.next('release', 2, null);
    this.points.push({ kind: 'release', arity: 2, chosen: c, seq: this.seq(), preempts: false, label: name });
    return c === 1;
  }
}

function digest(data: unknown): string {
  return JSON.stringify(data, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...(v as Map<unknown, unknown>).entries()] : v,
  );
}

const EXAMINE = new Set(['reg', 'regs', 'readMemory', 'readString']);

/** Runs the target once under the given choices. */
export async function runOnce(target: Target, options: RunOptions): Promise<RunRecord> {
  const workload = target.workload();
  const records: () => readonly LogRecord[] = () => sim.runtime.log.records;
  const chooser = new Chooser(options.choices, options.tail ?? (() => 0), () => records().length);
  const sim = new Simulator(workload, { scheduler: chooser, policy: options.semantics, keepLog: true });
  const monitor = new Monitor(sim);
  sim.runtime.log.listen((r) => monitor.observe(r));
  const release = options.release ?? 'reduced';

  // The state the debugger side can read or write: engine stop bits and states, task run and utrace states, and
  // where each tracee is. Releasing a control at two points with equal views gives the control the same world,
  // and the tracee steps in between touched none of it.
  const view = (): string => {
    const parts: unknown[] = [];
    for (const t of sim.liveTasks()) {
      const ut = sim.runtime.taskState(t);
      parts.push(t, sim.runState(t), ut?.flags ?? 0, ut?.reporting?.id ?? 0);
      for (const e of ut ? [...ut.attached, ...ut.attaching] : []) parts.push(e.id, e.flags, e.ops === null, e.data);
    }
    return digest(parts);
  };

  const gates = new Map<string, { open: boolean; lastSeq: number; lastView: string }>();
  const bodies: Array<{ name: string; body: (ctl: Control) => Coroutine<void> }> = [];
  const wrap = (name: string, ctl: Control): Control =>
    new Proxy(ctl, {
      get(obj, prop, receiver) {
        const v: unknown = Reflect.get(obj, prop, receiver);
        if (typeof prop !== 'string' || typeof v !== 'function') return v;
        if (EXAMINE.has(prop))
          return (task: number, ...rest: unknown[]) => {
            monitor.examine(name, task, records().length);
            return (v as (...a: unknown[]) => unknown).call(obj, task, ...rest);
          };
        if (prop === 'control')
          // Note whether the engine's stop is in force right when the call is made (after its scheduling point).
          return function* (engine: AnyEngine, action: number): Coroutine<number> {
            const g = (v as (e: AnyEngine, a: number) => Coroutine<number>).call(obj, engine, action);
            let n = g.next();
            while (!n.done) {
              yield n.value;
              monitor.beforeControl(engine.id, sim.runtime.stopInForce(engine));
              n = g.next();
            }
            return n.value;
          };
        if (prop === 'waitStopped')
          return function* (...args: unknown[]): Coroutine<number> {
            monitor.waiting.add(name);
            const r = yield* (v as (...a: unknown[]) => Coroutine<number>).apply(obj, args);
            monitor.waiting.delete(name);
            return r;
          };
        return (v as (...a: unknown[]) => unknown).bind(obj);
      },
    });
  const debuggerHost: DebuggerHost = {
    spawn(name: string, body: (ctl: Control) => Coroutine<void>): void {
      if (!/: control /.test(name)) {
        sim.spawn(name, (ctl) => body(wrap(name, ctl)));
        return;
      }
      bodies.push({ name, body });
      const gate = { open: false, lastSeq: -1, lastView: '' };
      gates.set(name, gate);
      const label = `release ${name.replace(': control ', '.')}`;
      const ready = (): boolean => {
        if (gate.open) return true;
        const seq = records().length;
        if (seq === gate.lastSeq) return false;
        gate.lastSeq = seq;
        if (release === 'reduced') {
          const v = view();
          if (v === gate.lastView) return false;
          gate.lastView = v;
        }
        gate.open = chooser.release(label);
        return gate.open;
      };
      sim.spawn(name, function* (ctl) {
        yield { kind: 'wait', ready, deadline: Infinity, label };
        yield* body(wrap(name, ctl));
      });
    },
    // A timer tick is debugger-side activity at a time the explorer chooses, like a control: its body runs once,
    // released by a choice, whatever its period (a period only says when ticks come in real time).
    every(name: string, _periodNs: number, body: (ctl: Control) => Coroutine<void>): { cancel(): void } {
      debuggerHost.spawn(`${name.replace(/: every /, ': control every ')}`, body);
      return { cancel: () => undefined };
    },
  };

  let end = { reason: 'done', live: [] as string[] };
  const maxTime = options.maxTime ?? 2e9;
  const backend: SessionBackend = {
    name: 'sim',
    runtime: sim.runtime,
    debugger: debuggerHost,
    initialTask: sim.initTask,
    tgid: (task) => sim.tgid(task),
    onEmit: (fn) => sim.runtime.onEmit(fn),
    faults: sim.runtime.faults,
    debuggerErrors: sim.debuggerErrors,
    run: async (): Promise<BackendOutcome> => {
      let r = sim.run({ maxTime });
      const wakes = (): number => records().filter((x) => x.kind === 'wake').length;
      let rescues = 0;
      let lastRescueAt = -1;
      for (;;) {
        const parked = [...gates.values()].filter((g) => !g.open);
        if (parked.length > 0 && r.reason !== 'max-time') {
          // Controls never released run when the world has nothing else to do, in the order they were declared.
          for (const g of parked) g.open = true;
        } else if (r.reason === 'deadlock' && bodies.length > 0 && rescues < 8 && wakes() !== lastRescueAt) {
          // Before calling a stop a hang, give the debugger side another go at every control, as long as that
          // makes the world move.
          rescues++;
          lastRescueAt = wakes();
          for (const b of bodies) sim.spawn(`${b.name} (again)`, (ctl) => b.body(wrap(b.name, ctl)));
        } else break;
        r = sim.run({ maxTime });
      }
      end = { reason: r.reason, live: r.live };
      return { reason: r.reason, time: r.time };
    },
  };

  const result = await runSession(target.loaded, backend, {
    engines: target.engines,
    controls: target.controls.map((c) => parseControlOption(c)),
    arch: target.arch,
  });
  monitor.finish(end, records().length);
  for (const f of result.faults) {
    const at = f.location ? ` (${f.file}:${f.location.line})` : '';
    monitor.fault(f.engine, `fails in ${f.where}${at}`, f.message, records().length);
  }
  const states = [...result.engines.entries()].map(([n, e]) => [n, e.state]);
  return {
    points: chooser.points,
    log: records(),
    violations: monitor.violations,
    end: end.reason,
    outcome: digest([end.reason, states, monitor.violations.map((v) => v.invariant).sort()]),
  };
}
