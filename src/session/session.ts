/**
 * A session: compiled engines running on a backend. It attaches the chosen engines to the backend's initial task,
 * starts their timers and `on attach` bodies and the `--control` operations as debugger-side coroutines, forwards
 * output records as they happen, runs the backend to its end, and collects the aggregations to print and the
 * run-time faults (mapped back to their `.utr` locations). Nothing here depends on which backend runs.
 */
import type { Arch } from '../arch/index.js';
import {
  AttachFlags,
  type AnyEngine,
  type Aggregation,
  type CompiledEngine,
  type CompiledEngineClass,
  type Control,
  type Coroutine,
  type EngineHost,
  type LogRecord,
  type Output,
  type SourceLocation,
  type SpawnOptions,
  type TaskId,
} from '../runtime/index.js';
import type { BackendOutcome, SessionBackend } from './backend.js';
import { ControlError, parseControlArg, type ControlRequest } from './controls.js';
import { errorMessage } from '../runtime/lib/errors.js';

/** What is known about an engine before it is loaded. */
export interface EngineFacts {
  readonly name: string;
  readonly attaches?: readonly string[];
}

/** A compiled engine class with its name. */
export interface LoadedEngine {
  readonly name: string;
  readonly ctor: CompiledEngineClass;
  /** Engines this one attaches with `attach E to T` (so the default choice skips them). */
  readonly attaches?: readonly string[];
  /** The `.utr` events it subscribes to and the syscalls it names (for choosing a workload). */
  readonly events?: readonly string[];
  readonly syscalls?: readonly string[];
}

/** Options of a session. */
export interface SessionOptions {
  /** Engines to attach to the initial task (default: those no other engine attaches, else the first). */
  readonly engines?: readonly string[];
  readonly controls?: readonly ControlRequest[];
  /** For parsing control arguments (syscall names). */
  readonly arch: Arch;
  /** Every output record, as it happens. */
  readonly onEmit?: (o: Output) => void;
  /** Every event-log record, as it happens (`--trace`). */
  readonly onTrace?: (r: LogRecord) => void;
}

/** A run-time error in an engine, with the `.utr` location it came from when known. */
export interface RunFault {
  readonly engine: string;
  /** The `.utr` file of the engine. */
  readonly file: string;
  readonly location?: SourceLocation;
  /** The callback (`report_syscall_entry`) or debugger code (`control cont`) that failed. */
  readonly where: string;
  readonly task?: TaskId;
  readonly message: string;
}

/** What a session produced. */
export interface SessionResult {
  readonly outcome: BackendOutcome;
  /** The aggregations of every engine that was attached, in the order of the engines. */
  readonly aggregations: readonly { readonly engine: string; readonly list: readonly Aggregation[] }[];
  readonly faults: readonly RunFault[];
  /** Things the user should know about the run (a timer that never fired, say), one sentence each. */
  readonly notes: readonly string[];
  /** The engine instances by name, with their final state (for hosts and tests that look inside). */
  readonly engines: ReadonlyMap<string, CompiledEngine<object>>;
}

/** Engine names a session can be asked for, given the loaded engines (for usage errors). */
export function defaultEngines(engines: readonly EngineFacts[]): string[] {
  const attached = new Set(engines.flatMap((e) => (e.attaches ?? []).filter((a) => a !== e.name)));
  const roots = engines.filter((e) => !attached.has(e.name)).map((e) => e.name);
  return roots.length > 0 ? roots : engines.slice(0, 1).map((e) => e.name);
}

/**
 * The engines to attach: `requested` when any are given, else the default ones. Throws `ControlError` for a name
 * that is not among `engines`, saying where it was looked for (`this program`, a file's path).
 */
export function chooseEngines(
  engines: readonly EngineFacts[],
  requested: readonly string[] | undefined,
  where = 'this program',
): string[] {
  const chosen = requested && requested.length > 0 ? [...requested] : defaultEngines(engines);
  for (const name of chosen)
    if (!engines.some((e) => e.name === name))
      throw new ControlError(
        `no engine \`${name}\` in ${where} (it has ${engines.map((e) => `\`${e.name}\``).join(', ')})`,
      );
  return chosen;
}

/** The engines a run of `chosen` involves: those, and the engines they attach. */
export function involvedEngines<E extends EngineFacts>(engines: readonly E[], chosen: readonly string[]): E[] {
  const attached = new Set(engines.filter((e) => chosen.includes(e.name)).flatMap((e) => e.attaches ?? []));
  return engines.filter((e) => chosen.includes(e.name) || attached.has(e.name));
}

function faultLocation(engine: CompiledEngine<object>, error: unknown): SourceLocation | undefined {
  // Structural, not `instanceof`: the engine module may have loaded its own copy of the runtime.
  if (error instanceof Error && error.name === 'UtrFault' && typeof (error as { loc?: unknown }).loc === 'number')
    return engine.source.at((error as unknown as { loc: number }).loc);
  return undefined;
}

/** `2.619ms`, `10ms`: a time for a note. */
function formatNs(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)}s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)}ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)}us`;
  return `${ns}ns`;
}

/** Runs engines on a backend until the traced world ends. Throws `ControlError` for a bad `--control`. */
export async function runSession(
  loaded: readonly LoadedEngine[],
  backend: SessionBackend,
  options: SessionOptions,
): Promise<SessionResult> {
  const rt = backend.runtime;
  const dbg = backend.debugger;
  const instances = new Map<string, CompiledEngine<object>>();
  const byId = new Map<number, CompiledEngine<object>>();
  const bySpawnName = new Map<string, CompiledEngine<object>>();
  const primaries = new Map<string, AnyEngine>();
  /** Timers that have not fired yet, to tell the user when a run was too short for them. */
  const silentTimers = new Set<[CompiledEngine<object>, number]>();

  const spawn = (
    inst: CompiledEngine<object>,
    what: string,
    body: (ctl: Control) => Coroutine<void>,
    options?: SpawnOptions,
  ): void => {
    const name = `${inst.name}: ${what}`;
    bySpawnName.set(name, inst);
    dbg.spawn(name, body, options);
  };

  /** Bookkeeping after an attach: the first attachment is the one control code acts on; timers start with it. */
  const attached = (inst: CompiledEngine<object>, e: AnyEngine): void => {
    // The session keeps the handle but not a utrace reference (utrace_engine_put), so the engine is released,
    // and `on detach` runs, as soon as it is detached.
    rt.enginePut(e);
    byId.set(e.id, inst);
    const first = !primaries.has(inst.name);
    if (first) primaries.set(inst.name, e);
    const onAttach = inst.onAttach;
    if (onAttach) spawn(inst, 'on attach', (ctl) => onAttach.call(inst, ctl));
    if (!first) return;
    inst.timers().forEach((timer, i) => {
      const name = `${inst.name}: every #${i + 1}`;
      bySpawnName.set(name, inst);
      const silent: [CompiledEngine<object>, number] = [inst, timer.periodNs];
      silentTimers.add(silent);
      const handle = dbg.every(name, timer.periodNs, function* (ctl) {
        silentTimers.delete(silent);
        if (e.state === 'detached') {
          handle.cancel();
          return;
        }
        yield* timer.run(ctl);
      });
    });
  };

  const lookup = (name: string): CompiledEngine<object> => {
    const inst = instances.get(name);
    if (!inst) throw new Error(`no engine \`${name}\` in this program`);
    return inst;
  };

  const host: EngineHost = {
    runtime: rt,
    debugger: dbg,
    attach(name: string, task: TaskId): void {
      const inst = lookup(name);
      const e = rt.attach(task, AttachFlags.Create, inst, inst.state, inst.name);
      // A task that is already gone cannot be attached to; there is nothing to trace.
      if (typeof e === 'number') return;
      rt.setEvents(e, inst.events);
      attached(inst, e);
    },
    *attachFrom(ctl: Control, name: string, task: TaskId): Coroutine<void> {
      const inst = lookup(name);
      const e = yield* ctl.attach(task, AttachFlags.Create, inst, inst.state, inst.name);
      if (typeof e === 'number') return;
      yield* ctl.setEvents(e, inst.events);
      attached(inst, e);
    },
    primary: (name) => primaries.get(name),
    tgid: (task) => backend.tgid(task),
  };

  for (const l of loaded) instances.set(l.name, new l.ctor(host));

  const chosen = chooseEngines(loaded, options.engines);

  // Check every --control before anything runs: a typo must not cost a whole run.
  const planned = (options.controls ?? []).map((req) => {
    const candidates = [...instances.values()].filter(
      (i) => (req.engine === undefined || i.name === req.engine) && i.controls().has(req.name),
    );
    if (candidates.length === 0) {
      const known = [...instances.values()].flatMap((i) => [...i.controls().keys()].map((c) => `\`${i.name}.${c}\``));
      throw new ControlError(
        `\`--control ${req.text}\`: no control \`${req.name}\`${known.length > 0 ? ` (there are ${known.join(', ')})` : ' (the program declares none)'}`,
      );
    }
    if (candidates.length > 1)
      throw new ControlError(
        `\`--control ${req.text}\`: several engines have a control \`${req.name}\`; write \`ENGINE.${req.name}\``,
      );
    const inst = candidates[0] as CompiledEngine<object>;
    const entry = inst.controls().get(req.name);
    if (!entry) throw new ControlError(`\`--control ${req.text}\`: no control \`${req.name}\``);
    if (req.args.length !== entry.params.length)
      throw new ControlError(
        `\`--control ${req.text}\`: \`${req.name}\` takes ${entry.params.length} argument${entry.params.length === 1 ? '' : 's'}${entry.params.length > 0 ? ` (${entry.params.map((p) => `${p.name}: ${p.type}`).join(', ')})` : ''}, not ${req.args.length}`,
      );
    const args = entry.params.map((p, i) => parseControlArg(req.args[i] as string, p.type, p.name, options.arch));
    return { req, inst, entry, args };
  });

  if (options.onTrace) {
    const onTrace = options.onTrace;
    for (const r of rt.log.records) onTrace(r);
    rt.log.listen(onTrace);
  }
  if (options.onEmit) backend.onEmit(options.onEmit);

  for (const task of backend.initialTasks ?? [backend.initialTask]) for (const name of chosen) host.attach(name, task);

  // The host starts each control at its time (the trace shows it starting then, not asleep from t=0), and those
  // due at the same time in the order they were given, as a user typing them one after the other would expect.
  for (const { req, inst, entry, args } of planned)
    spawn(
      inst,
      `control ${req.name}`,
      function* (ctl) {
        if (!primaries.has(inst.name)) return;
        yield* entry.run(ctl, args);
      },
      { atNs: req.atNs },
    );

  const outcome = await backend.run();

  const faults: RunFault[] = [];
  /** A fault of `inst` in `where`, at the `.utr` location the error carries when it carries one. */
  const fault = (inst: CompiledEngine<object>, where: string, error: unknown, task?: TaskId): RunFault => {
    const location = faultLocation(inst, error);
    return {
      engine: inst.name,
      file: inst.source.file,
      ...(location ? { location } : {}),
      where,
      ...(task !== undefined ? { task } : {}),
      message: errorMessage(error),
    };
  };
  for (const f of backend.faults) {
    const inst = byId.get(f.engine);
    if (inst) faults.push(fault(inst, f.callback, f.error, f.task));
  }
  for (const f of backend.debuggerErrors) {
    const inst = bySpawnName.get(f.name);
    // The spawn name is `ENGINE: what`; the fault says only what.
    if (inst) faults.push(fault(inst, f.name.slice(inst.name.length + 2), f.error));
  }

  const aggregations = loaded
    .map((l) => lookup(l.name))
    .filter((inst) => primaries.has(inst.name))
    .map((inst) => ({ engine: inst.name, list: inst.aggregations() }))
    .filter((a) => a.list.length > 0);
  const notes: string[] = [];
  for (const [inst, period] of silentTimers) {
    notes.push(
      `the workload ended before the first tick of engine \`${inst.name}\`'s ${formatNs(period)} timer; make it longer (\`--scale N\`)`,
    );
  }
  return { outcome, aggregations, faults, notes, engines: instances };
}
