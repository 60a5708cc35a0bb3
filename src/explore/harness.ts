/**
 * One explored run: the compiled engines on a fresh simulator, every scheduling choice taken from a choice list
 * (then from a tail strategy), the debugger side's control operations each parked until a choice releases it, and
 * the invariant monitors watching the event log. Same inputs, same choices: same event log, byte for byte.
 */
import { createHash } from 'node:crypto';
import { ARCHES, X86_64, type Arch } from '../arch/index.js';
import { errorMessage } from '../runtime/lib/errors.js';
import type { AnyEngine, Control, Coroutine, DebuggerHost, LogRecord, PolicyName } from '../runtime/index.js';
import { Simulator } from '../runtime/sim/simulator.js';
import type { Runnable, Scheduler } from '../runtime/sim/scheduler.js';
import type { Workload } from '../runtime/sim/workload/types.js';
import type { BackendOutcome, SessionBackend } from '../session/backend.js';
import type { LoadedProgram } from '../session/cache.js';
import { parseControlOption } from '../session/controls.js';
import { runSession, type LoadedEngine } from '../session/session.js';
import { dataJson } from './data-json.js';
import { changed, digestWorld, type Digest, type Footprint } from './footprint.js';
import { Monitor, violationKey, type Violation } from './monitors.js';
import { DEFAULT_INVOCATIONS, SCHEDULE_FORMAT, type ScheduleFile } from './schedule.js';
import { exploreWorkload } from './workloads.js';

/** What is explored: the program, the engines attached, the workload, and the controls the debugger may invoke. */
export interface Target {
  readonly loaded: readonly LoadedEngine[];
  readonly engines: readonly string[];
  readonly workload: () => Workload;
  readonly arch: Arch;
  /** The controls the debugger side may invoke, `ENGINE.NAME[:ARGS]` (as `utrc run --control` without `@TIME`),
   * each released at points the choices pick. */
  readonly controls: readonly string[];
  /** How many times each control may be invoked, and each timer tick, in one run (default `DEFAULT_INVOCATIONS`). */
  readonly invocations?: number;
}

/** The target of exploring a loaded program with `engines` attached, on the explorer workload named `workload`. */
export function exploreTarget(
  loaded: LoadedProgram,
  engines: readonly string[],
  workload: string,
  controls: readonly string[],
  invocations?: number,
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
    ...(invocations !== undefined ? { invocations } : {}),
  };
}

/** The schedule file that replays `choices` on `target` (found on `file`, with its workload named `workload`). */
export function scheduleOf(
  target: Target,
  file: string,
  workload: string,
  semantics: PolicyName,
  choices: readonly number[],
): ScheduleFile {
  return {
    format: SCHEDULE_FORMAT,
    file,
    engines: target.engines,
    workload,
    semantics,
    controls: target.controls,
    invocations: target.invocations ?? DEFAULT_INVOCATIONS,
    choices,
  };
}

export { DEFAULT_INVOCATIONS };

/** Whether the run records what each step read and wrote (for the partial-order reduction; off: faster). */
export type FootprintMode = 'off' | 'on';

/** One choice point of a run: a scheduling point with two options or more. */
export interface ChoicePoint {
  /** `release` when the option taken starts a parked control or timer invocation, else `pick`. */
  readonly kind: 'pick' | 'release';
  readonly arity: number;
  readonly chosen: number;
  /** The log length when the choice was made (the record the next step follows). */
  readonly seq: number;
  /** What was chosen: `task 100`, `debugger counter: control finish`, `release counter.finish`, `time passes`. */
  readonly label: string;
}

/** One step of a run: who ran, what else could have, and (with footprints) what it touched. */
export interface StepRecord {
  /** The coroutine that ran (`task 100`, `debugger e: control c`, `#2` for a later one of the same name), or
   * `clock` when virtual time passed (or the run ended) with parked controls left waiting. */
  readonly thread: string;
  /** The threads that could run, the default (index 0) first: the choice index of each is its position. */
  readonly options: readonly string[];
  readonly chosen: number;
  /** Preemptions each option costs (1: it switches away from the coroutine that ran last while it can go on). */
  readonly costs: readonly number[];
  /** The first step of a rescue round's coroutine: it starts only once nothing else could run, so every earlier
   * step happens before it. */
  readonly afterAll?: boolean;
  /** Nothing could run and time could not pass: the options are to end the run (`clock`, the rescue rounds
   * follow) or to start one of the parked later invocations. */
  readonly final?: boolean;
  footprint?: Footprint;
}

/** What a tail strategy is told about an option. */
export interface TailOption {
  readonly name: string;
  /** A parked control or timer invocation (taking it releases it), or the clock. */
  readonly kind: 'run' | 'parked' | 'clock';
}

/** Chooses beyond the given prefix (default: always 0, the default option). */
export type Tail = (options: readonly TailOption[]) => number;

/** The result of one run. */
export interface RunRecord {
  readonly points: readonly ChoicePoint[];
  /** Every step (choice points and forced ones). */
  readonly steps: readonly StepRecord[];
  readonly log: readonly LogRecord[];
  readonly violations: readonly Violation[];
  /** `done`, `deadlock`, `max-time`, or `rescue-limit` (the rescue rounds ran out while controls still woke a
   * stopped task). */
  readonly end: string;
  /** A digest of what a user would notice: how the run ended, each engine's final state and emitted output, and
   * the invariants broken (with their messages, record numbers left out). Equal runs up to reordering of
   * independent steps have equal outcomes. */
  readonly outcome: string;
  /** The run reached a state already explored and was stopped there (`outcome` is empty). */
  readonly pruned?: boolean;
}

/** Options of one run. */
export interface RunOptions {
  readonly semantics: PolicyName;
  readonly choices: readonly number[];
  readonly tail?: Tail;
  /** Virtual time limit (ns; default 2 s). */
  readonly maxTime?: number;
  readonly footprints?: FootprintMode;
  /** States already explored (a stateful search): a run that reaches one of them at a choice point beyond its
   * `choices` ends there, `pruned`. */
  readonly states?: StateCache;
}

/** The states a stateful search has explored: a digest of the whole state at a choice point (world, engines,
 * monitors, where each live coroutine is) → the fewest preemptions spent reaching it. What can happen from a state
 * depends only on the state and on the preemptions left, so a state reached again with no more left is not
 * explored again. */
export type StateCache = Map<string, number>;

/** The name suffix of the coroutines of a rescue round. */
const RESCUE = ' (rescue)';
/** How many rescue rounds a run may take before it is cut short. */
const RESCUE_ROUNDS = 8;

const CLOCK: Runnable = { id: 0, name: 'clock', kind: 'kernel', task: 0, point: null };

/** Thrown by the chooser to end a run at a state already explored. */
const PRUNED = new Error('pruned: state already explored');

class Chooser implements Scheduler {
  readonly points: ChoicePoint[] = [];
  readonly steps: StepRecord[] = [];
  private readonly keys = new Map<number, string>();
  private readonly names = new Map<string, number>();
  private last: string | null = null;
  private readonly started = new Set<string>();
  private taken = 0;
  /** Wait points of parked invocations, and whether each is a first invocation (run when nothing else can). */
  readonly parkedPoints = new WeakMap<object, { first: boolean; label: string }>();
  /** Called before every step with the thread about to run (or `clock`). */
  onStep: (thread: string, runnable: Runnable) => void = () => undefined;
  /** Called at each choice point past the given prefix with the preemptions spent so far and the names of the last
   * coroutine and of the options; false ends the run there (a stateful search has been here). */
  visit: ((spent: number, keys: readonly string[]) => boolean) | null = null;
  private spent = 0;

  constructor(
    private readonly prefix: readonly number[],
    private readonly tail: Tail,
    private readonly seq: () => number,
  ) {}

  /** The name a coroutine has been given, if it has been seen. */
  known(id: number): string | undefined {
    return this.keys.get(id);
  }

  key(r: Runnable): string {
    if (r === CLOCK) return 'clock';
    let k = this.keys.get(r.id);
    if (k === undefined) {
      // Names are stable across runs; ids (creation order) are not when coroutines start in another order.
      const n = (this.names.get(r.name) ?? 0) + 1;
      this.names.set(r.name, n);
      k = n === 1 ? r.name : `${r.name} #${n}`;
      this.keys.set(r.id, k);
    }
    return k;
  }

  pick(enabled: readonly Runnable[]): number {
    return this.choose(enabled, [], false);
  }

  standby(point: object): boolean {
    return this.parkedPoints.has(point);
  }

  choose(enabled: readonly Runnable[], parked: readonly Runnable[], canWait: boolean): number {
    const all: Runnable[] = [...enabled, ...parked];
    const first = (r: Runnable): boolean => (r.point ? this.parkedPoints.get(r.point)?.first === true : false);
    // Time passes when nothing can run; the run ends only once every control has been invoked at least once.
    const ends = enabled.length === 0 && !canWait;
    if (enabled.length === 0 && !(ends && parked.some(first))) all.push(CLOCK);
    const keys = all.map((r) => this.key(r));
    const isParked = (i: number): boolean => i >= enabled.length && all[i] !== CLOCK;
    // The default: the coroutine that ran last if it can go on, else the oldest runnable; with nothing runnable,
    // time passes, unless it cannot (then a first invocation never released runs, in declaration order).
    let def = this.last !== null ? keys.indexOf(this.last) : -1;
    if (def < 0 || def >= enabled.length) def = enabled.length > 0 ? 0 : -1;
    if (def < 0 && ends) def = parked.findIndex(first);
    if (def < 0) def = all.length - 1;
    const order = [def, ...all.keys()].filter((i, n) => n === 0 || i !== def);
    const lastRuns = this.last !== null && keys.slice(0, enabled.length).includes(this.last);
    const costs = order.map((i) => (lastRuns && i < enabled.length && keys[i] !== this.last ? 1 : 0));
    if (order.length > 1 && this.visit && this.taken >= this.prefix.length) {
      const lastKey = this.last ?? '';
      if (!this.visit(this.spent, [lastKey, ...keys])) throw PRUNED;
    }
    let c = 0;
    if (order.length > 1) {
      c =
        this.taken < this.prefix.length
          ? (this.prefix[this.taken] as number)
          : this.tail(
              order.map((i) => ({
                name: keys[i] as string,
                kind: all[i] === CLOCK ? 'clock' : isParked(i) ? 'parked' : 'run',
              })),
            );
      this.taken++;
      if (!(c >= 0 && c < order.length)) c = 0;
    }
    const i = order[c] as number;
    const runnable = all[i] as Runnable;
    const thread = keys[i] as string;
    if (order.length > 1) {
      const parkedAt = isParked(i) && runnable.point ? this.parkedPoints.get(runnable.point) : undefined;
      this.points.push({
        kind: parkedAt ? 'release' : 'pick',
        arity: order.length,
        chosen: c,
        seq: this.seq(),
        label: parkedAt ? parkedAt.label : runnable === CLOCK ? (canWait ? 'time passes' : 'the run ends') : thread,
      });
    }
    this.steps.push({
      thread,
      options: order.map((j) => keys[j] as string),
      chosen: c,
      costs,
      ...(ends && order.length > 1 && all.includes(CLOCK) ? { final: true } : {}),
      ...(runnable.name.endsWith(RESCUE) && !this.started.has(thread) ? { afterAll: true } : {}),
    });
    this.spent += costs[c] as number;
    this.started.add(thread);
    this.onStep(thread, runnable);
    if (runnable === CLOCK) return -1;
    this.last = thread;
    return i;
  }
}

const EXAMINE = new Set(['reg', 'regs', 'readMemory', 'readString']);
/** `Control` calls that change a task's registers or memory. */
const WRITE_TASK = new Set(['setReg', 'writeMemory']);
/** `Control` calls whose outcome depends on virtual time (they sleep, poll, or wait with a time limit). */
const TIMED = new Set(['sleep', 'barrier', 'waitStopped', 'now']);
/** Core methods that read no utrace state (the simulator calls `setCurrent` before every step). */
const UNTRACKED = new Set(['constructor', 'setCurrent', 'now', 'onEmit']);
/** The footprint object of virtual time. */
const TIME = 'G:time';

/** What a `Control` call on `task` may read: the task, its process, its utrace state, and the flags of every engine
 * attached to it (whether a `resume` wakes the task depends on whether another engine still wants it stopped). */
function taskObjects(sim: Simulator, task: number, into: Set<string>): void {
  into
    .add(`T:${task}`)
    .add(`U:${task}`)
    .add(`P:${sim.tgid(task)}`);
  const ut = sim.runtime.taskState(task);
  if (ut) for (const list of [ut.attached, ut.attaching]) for (const e of list) into.add(`E:${e.id}`);
}

/** The objects a `Control` call's arguments name: tasks (numbers) and engines (with their tasks). */
function touchedBy(sim: Simulator, args: readonly unknown[], into: Set<string>): void {
  for (const a of args) {
    if (typeof a === 'number' && Number.isInteger(a) && a > 0) taskObjects(sim, a, into);
    else if (typeof a === 'object' && a !== null && 'id' in a && 'task' in a) {
      const e = a as { id: unknown; task: unknown };
      if (typeof e.id === 'number') into.add(`E:${e.id}`);
      if (typeof e.task === 'number') taskObjects(sim, e.task, into);
    }
  }
}

/** A 64-bit hash of a string (two FNV-1a lanes, the second mixed with the first), in base 36: short enough to
 * chain record by record into a coroutine's history. */
function hashOf(text: string): string {
  let lo = 0x811c9dc5;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    lo = Math.imul(lo ^ c, 0x01000193) >>> 0;
    hi = Math.imul(hi ^ (c + lo), 0x01000193) >>> 0;
  }
  return `${hi.toString(36)}.${lo.toString(36)}`;
}

/** A log record without its position and time (which differ between two orders of the same steps). Built field by
 * field (objects as JSON): it runs for every record of every run of a stateful search. */
function recordKey(r: LogRecord): string {
  let key = '';
  for (const [k, v] of Object.entries(r)) {
    if (k === 'seq' || k === 'time') continue;
    key += typeof v === 'object' && v !== null ? dataJson(v) : String(v);
    key += '|';
  }
  return key;
}

/** Runs the target once under the given choices. */
export async function runOnce(target: Target, options: RunOptions): Promise<RunRecord> {
  const workload = target.workload();
  const records: () => readonly LogRecord[] = () => sim.runtime.log.records;
  const chooser = new Chooser(options.choices, options.tail ?? (() => 0), () => records().length);
  const sim = new Simulator(workload, { scheduler: chooser, policy: options.semantics, keepLog: true });
  const monitor = new Monitor(sim);
  sim.runtime.log.listen((r) => monitor.observe(r));
  const invocations = Math.max(1, target.invocations ?? DEFAULT_INVOCATIONS);

  // What each engine emitted, in order: part of the outcome, and (counted) of the footprints.
  const emitted = new Map<string, string[]>();
  const emitCounts = new Map<string, number>();
  sim.runtime.onEmit((o) => {
    emitted.set(o.engineName, [...(emitted.get(o.engineName) ?? []), dataJson(o.value)]);
    emitCounts.set(o.engineName, (emitCounts.get(o.engineName) ?? 0) + 1);
  });

  // Footprints: the world is digested before every step; the difference to the digest before the previous step is
  // what that step wrote. Debugger code reads its engine's state and what its `Control` calls name (kept for the
  // rest of that coroutine: a call yields before it acts, so its effect lands in a later step).
  const footprints = options.footprints === 'on';
  const touched = new Map<string, Set<string>>();
  let current = '';
  let pending: { step: StepRecord; reads: Set<string>; world: boolean; utrace: boolean } | null = null;
  let before: Digest | null = null;
  const engineIds = (name: string): string[] => {
    const ids: string[] = [];
    for (const t of sim.liveTasks()) {
      const ut = sim.runtime.taskState(t);
      for (const e of ut ? [...ut.attached, ...ut.attaching] : []) if (e.name === name) ids.push(`E:${e.id}`);
    }
    return ids;
  };
  const engineNames = new Map<number, string>();
  /** The state data of every engine attached so far, by name (detached ones included). */
  const engineData = new Map<string, unknown>();
  // The harness's own reads of the core (digests, engine lookups) are not the step's.
  let measuring = false;
  const settle = (): void => {
    if (!footprints) return;
    measuring = true;
    const now = digestWorld(sim, engineData, emitCounts);
    measuring = false;
    if (pending && before) {
      const writes = changed(before, now);
      if (pending.step.thread === 'clock') writes.add(TIME);
      for (const w of writes) pending.reads.add(w);
      pending.step.footprint = {
        reads: pending.reads,
        writes,
        ...(pending.world ? { world: true } : {}),
        ...(pending.utrace ? { utrace: true } : {}),
      };
    }
    before = now;
    pending = null;
  };
  if (footprints) {
    // The simulator sees utrace state only through the core's methods: a kernel-side step that calls none of them
    // read none of it.
    const rt = sim.runtime as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(rt))) {
      const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(rt), name);
      if (!d || typeof d.value !== 'function' || UNTRACKED.has(name)) continue;
      const f = d.value as (...a: unknown[]) => unknown;
      rt[name] = function (this: unknown, ...a: unknown[]): unknown {
        if (pending?.world && !measuring) pending.utrace = true;
        return f.apply(this, a);
      };
    }
  }
  const states = options.states;
  if (footprints || states)
    sim.runtime.log.listen((r) => {
      if (r.kind === 'attach') {
        engineNames.set(r.engine, r.name);
        const ut = sim.runtime.taskState(r.task);
        const e = ut ? [...ut.attaching, ...ut.attached].find((x) => x.id === r.engine) : undefined;
        if (e && !engineData.has(e.name)) engineData.set(e.name, e.data);
      }
      // A tracee step reads the state of the engines whose callbacks it runs (the runtime itself never does).
      if (pending?.world && (r.kind === 'callback' || r.kind === 'return' || r.kind === 'detach'))
        pending.reads.add(`D:${engineNames.get(r.engine) ?? ''}`);
    });
  chooser.onStep = (thread, runnable) => {
    current = thread;
    if (!footprints) return;
    settle();
    const step = chooser.steps[chooser.steps.length - 1] as StepRecord;
    if (thread === 'clock') {
      // Time passing (and the timers it fires): read by tracee steps and by debugger code that sleeps or waits with
      // a time limit (see `touch`), not by the rest of debugger code.
      pending = { step, reads: new Set([TIME]), world: true, utrace: false };
      return;
    }
    const m = /^debugger ([A-Za-z_][A-Za-z0-9_]*): /.exec(runnable.name);
    if (runnable.kind !== 'debugger' || !m) {
      pending = { step, reads: new Set(), world: true, utrace: false };
      return;
    }
    const engine = m[1] as string;
    const own = touched.get(thread) ?? new Set<string>();
    touched.set(thread, own);
    own.add(`D:${engine}`);
    measuring = true;
    for (const id of engineIds(engine)) own.add(id);
    measuring = false;
    // The set grows while the step runs (its `Control` calls); it is read when the step's writes are known.
    pending = { step, reads: new Set(own), world: false, utrace: false };
  };

  // Stateful search: where each live coroutine is, told by what it has logged so far (its own records, in order,
  // without their positions and times), and the phase of the rescue rounds.
  const histories = new Map<string, string>();
  let phase = 'run';
  if (states) {
    sim.runtime.log.listen((r) => {
      // Records made while time passes (timers) belong to no coroutine; what they changed is in the world.
      if (current !== 'clock') histories.set(current, hashOf(`${histories.get(current) ?? ''}${recordKey(r)}`));
    });
    chooser.visit = (spent, keys) => {
      measuring = true;
      const world = digestWorld(sim, engineData, emitCounts);
      measuring = false;
      let key = `${phase}|${sim.now()}|${keys.join(',')}|`;
      for (const [k, v] of world) key += `${k}=${v};`;
      for (const [k, v] of emitted) key += `${k}:${v.join(',')};`;
      // Each live coroutine: where it waits, until when, and what it has logged (a finished one no longer matters).
      const inside = sim.inspect();
      const coros: string[] = [];
      for (const c of inside.coros) {
        if (c.done) continue;
        const k = chooser.known(c.id) ?? c.name;
        coros.push(
          `${k}|${c.blocked ? 1 : 0}|${c.deadline}|${c.wakeAt}|${c.point ? dataJson(c.point) : '-'}|${histories.get(k) ?? ''}`,
        );
      }
      key += `${coros.sort().join(';')}|${inside.timerDeadlines.join(',')}|`;
      // Faults so far: the session turns them into `engine-exception` violations only at the end of the run.
      for (const f of sim.debuggerErrors) key += `!${f.name}:${errorMessage(f.error)};`;
      for (const f of sim.runtime.faults) key += `!${f.engine}:${f.callback}:${errorMessage(f.error)};`;
      key += monitor.digest();
      const h = createHash('sha1').update(key).digest('base64');
      const seen = states.get(h);
      if (seen !== undefined && seen <= spent) return false;
      states.set(h, spent);
      return true;
    };
  }

  const touch = (args: readonly unknown[], timed = false): void => {
    if (!footprints) return;
    const own = touched.get(current);
    if (own) touchedBy(sim, args, own);
    if (pending && !pending.world) touchedBy(sim, args, pending.reads);
    if (timed) {
      own?.add(TIME);
      if (pending && !pending.world) pending.reads.add(TIME);
    }
  };
  // Registers and memory: read only by the step that reads them (a synchronous call), not by the rest of the
  // coroutine, unlike the task's run state (a `control` call yields before it acts).
  const touchProgram = (task: number): void => {
    if (!footprints || !pending || pending.world) return;
    pending.reads.add(`C:${task}`).add(`M:${sim.tgid(task)}`);
  };
  const wrap = (name: string, ctl: Control): Control =>
    new Proxy(ctl, {
      get(obj, prop, receiver) {
        const v: unknown = Reflect.get(obj, prop, receiver);
        if (typeof prop !== 'string' || typeof v !== 'function') return v;
        if (EXAMINE.has(prop) || WRITE_TASK.has(prop))
          return (task: number, ...rest: unknown[]) => {
            touch([task]);
            touchProgram(task);
            if (EXAMINE.has(prop)) monitor.examine(name, task, records().length);
            return (v as (...a: unknown[]) => unknown).call(obj, task, ...rest);
          };
        if (prop === 'control')
          // Note whether the engine's stop is in force right when the call is made (after its scheduling point).
          return function* (engine: AnyEngine, action: number): Coroutine<number> {
            touch([engine]);
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
            touch(args, true);
            // A wait with a time limit always ends (its `timeout` arm), even where the run's own limit comes first.
            const unbounded = typeof args[1] !== 'number' || !Number.isFinite(args[1]);
            if (unbounded) monitor.waiting.add(name);
            const r = yield* (v as (...a: unknown[]) => Coroutine<number>).apply(obj, args);
            monitor.waiting.delete(name);
            return r;
          };
        return (...args: unknown[]) => {
          touch(args, TIMED.has(prop));
          return (v as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });

  const bodies: Array<{ name: string; body: (ctl: Control) => Coroutine<void> }> = [];
  // A control invocation (or timer tick) is parked until a choice releases it: a coroutine the scheduler may start
  // at any step, which never holds up virtual time. When one ends, the next invocation parks, up to `invocations`.
  const park = (name: string, body: (ctl: Control) => Coroutine<void>, n: number): void => {
    const again = n === 1 ? '' : n === 2 ? ' (again)' : ` (again #${n - 1})`;
    const label = `release ${name.replace(': control ', '.')}${again}`;
    const point = { kind: 'wait' as const, ready: () => false, deadline: Infinity, label };
    chooser.parkedPoints.set(point, { first: n === 1, label });
    sim.spawn(`${name}${again}`, function* (ctl) {
      yield point;
      try {
        yield* body(wrap(name, ctl));
      } finally {
        if (n < invocations) park(name, body, n + 1);
      }
    });
  };
  const debuggerHost: DebuggerHost = {
    spawn(name: string, body: (ctl: Control) => Coroutine<void>): void {
      if (!/: control /.test(name)) {
        sim.spawn(name, (ctl) => body(wrap(name, ctl)));
        return;
      }
      bodies.push({ name, body });
      park(name, body, 1);
    },
    // A timer tick is debugger-side activity at a time the explorer chooses, like a control: up to `invocations`
    // ticks, each released by a choice, whatever the period (a period only says when ticks come in real time).
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
      // Before calling a stop a hang, see whether some control ends it: each one on its own, in declaration order,
      // as a user at the debugger would try one command after another (all at once, a later `halt` could undo an
      // earlier `cont` and a stop that `cont` ends would be called a hang). A control that moves things (a task
      // wakes or stops) lets the world run on, and the round starts again; a round where nothing moves ends the
      // run. A round also goes on when a later invocation started during it: a control may have failed only
      // because that one was running (a `busy` claim), so a round with no move proves nothing then.
      const moves = (): number => records().filter((x) => x.kind === 'wake' || x.kind === 'stop').length;
      const releases = (): number => chooser.points.filter((p) => p.kind === 'release').length;
      let moved = false;
      for (let rounds = 0; r.reason === 'deadlock' && bodies.length > 0 && rounds < RESCUE_ROUNDS; rounds++) {
        moved = false;
        const released = releases();
        for (const b of bodies) {
          const before = moves();
          phase = `rescue ${rounds} ${b.name}`;
          sim.spawn(`${b.name}${RESCUE}`, (ctl) => b.body(wrap(b.name, ctl)));
          r = sim.run({ maxTime });
          moved = moves() !== before;
          if (moved || r.reason !== 'deadlock') break;
        }
        moved ||= releases() !== released;
        if (!moved) break;
      }
      settle();
      // Out of rounds while the last one still moved things: a task may be stopped again, but a control ended (or
      // may end) that stop, so it is no hang; the run is only cut short.
      const cut = r.reason === 'deadlock' && moved;
      end = { reason: cut ? 'rescue-limit' : r.reason, live: r.live };
      return { reason: r.reason, time: r.time };
    },
  };

  let result: Awaited<ReturnType<typeof runSession>>;
  try {
    result = await runSession(target.loaded, backend, {
      engines: target.engines,
      controls: target.controls.map((c) => parseControlOption(c)),
      arch: target.arch,
    });
  } catch (error) {
    if (error !== PRUNED) throw error;
    return {
      points: chooser.points,
      steps: chooser.steps,
      log: records(),
      violations: [],
      end: 'pruned',
      outcome: '',
      pruned: true,
    };
  }
  monitor.finish(end, records().length);
  for (const f of result.faults) {
    const at = f.location ? ` (${f.file}:${f.location.line})` : '';
    monitor.fault(f.engine, `fails in ${f.where}${at}`, f.message, records().length);
  }
  const finalStates = [...result.engines.entries()].map(([n, e]) => [n, e.state]);
  const output = [...emitted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const broken = monitor.violations.map(violationKey).sort();
  return {
    points: chooser.points,
    steps: chooser.steps,
    log: records(),
    violations: monitor.violations,
    end: end.reason,
    outcome: dataJson([end.reason, finalStates, output, broken]),
  };
}
