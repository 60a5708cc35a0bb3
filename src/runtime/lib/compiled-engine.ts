/**
 * The contract between a compiled engine (the TypeScript `utrc build` writes) and the session that runs it:
 * `CompiledEngine` is the base class every generated engine extends, `EngineHost` is what the session gives it.
 *
 * One instance of a compiled engine exists per run. It is the `EngineOps` of every task the engine is attached to
 * (the first attachment, and any made by `attach E to T`), and its `state` is shared by all of them, as bpftrace's
 * and SystemTap's globals are (key a map by `task` for per-task state). Control code, timers and `on attach`
 * act on the engine's first attachment.
 */
import { ENGINE_STOP } from '../constants.js';
import type { AnyEngine, Control, DebuggerHost, Engine, EngineOps, Runtime } from '../engine.js';
import type { Coroutine, TaskId } from '../types.js';
import type { Aggregation } from './aggregation.js';
import { UtrFault, type SourceTable } from './source-table.js';

/** What the session provides to compiled engines. */
export interface EngineHost {
  readonly runtime: Runtime;
  readonly debugger: DebuggerHost;
  /** `attach NAME to TASK` from a callback: attach engine `name` of the same program, set its events. */
  attach(name: string, task: TaskId): void;
  /** The same from control code, with a scheduling point before the call. */
  attachFrom(ctl: Control, name: string, task: TaskId): Coroutine<void>;
  /** The attachment control code of engine `name` acts on (its first), once it is attached. */
  primary(name: string): AnyEngine | undefined;
  /** The process id (thread-group id) of a task: `task.pid`. */
  tgid(task: TaskId): number;
}

/** The `.utr` types a control parameter can have (what `--control NAME:ARGS` parses). */
export type ParamKind = 'int' | 'bool' | 'string' | 'duration' | 'syscall' | 'signal' | 'task';

/** A control argument: `bigint` for the number types, `number` for a task. */
export type ControlArg = bigint | boolean | string | number;

/** A `control NAME(PARAMS)` operation. */
export interface ControlEntry {
  readonly params: readonly { readonly name: string; readonly type: ParamKind }[];
  run(ctl: Control, args: readonly ControlArg[]): Coroutine<void>;
}

/** An `every PERIOD` timer. */
export interface TimerEntry {
  readonly periodNs: number;
  run(ctl: Control): Coroutine<void>;
}

/** The constructor a compiled engine module exports as `default`. */
export type CompiledEngineClass = new (host: EngineHost) => CompiledEngine<object>;

/** The base of every generated engine. */
export abstract class CompiledEngine<S extends object> implements EngineOps<S> {
  /** The engine's name in the `.utr` file. */
  abstract readonly name: string;
  /** Where the engine came from, for run-time error reports. */
  abstract readonly source: SourceTable;
  /** The event mask set right after each attach (from the engine's handlers). */
  abstract readonly events: number;
  /** The engine's state, shared by all its attachments. */
  abstract readonly state: S;

  constructor(protected readonly host: EngineHost) {}

  /** The attachment control code acts on. */
  protected get engine(): AnyEngine {
    const e = this.host.primary(this.name);
    if (e === undefined) throw new Error(`engine \`${this.name}\` is not attached`);
    return e;
  }

  /** The task control code acts on (`task` outside handlers). */
  protected get task(): TaskId {
    return this.engine.task;
  }

  /** The engine's `control` operations by name. */
  controls(): ReadonlyMap<string, ControlEntry> {
    return new Map();
  }

  /** The engine's `every` timers. */
  timers(): readonly TimerEntry[] {
    return [];
  }

  /** The aggregation states (printed at exit), in declaration order. */
  aggregations(): readonly Aggregation[] {
    return [];
  }

  /** `on attach`: runs on the debugger side right after an attachment. */
  onAttach?(ctl: Control): Coroutine<void>;

  /** `on detach`: runs on the debugger side once an attachment is fully released. */
  onDetach?(ctl: Control): Coroutine<void>;

  /** `release(data)`: the last reference to an attachment is gone; run `on detach` if there is one. */
  release(_data: S): void {
    const body = this.onDetach;
    if (body) this.host.debugger.spawn(`${this.name}: on detach`, (ctl) => body.call(this, ctl));
  }
}

/** The mask after `events +ADD -REMOVE` on an engine whose flags are `flags`. */
export function changeEvents(flags: number, add: number, remove: number): number {
  return (flags & ~ENGINE_STOP & ~remove) | add;
}

/** The handle of an attach, or undefined when it failed (the task is gone). */
export function attached<D>(r: Engine<D> | number): Engine<D> | undefined {
  return typeof r === 'number' ? undefined : r;
}

/** `stop` in control code: `stopped` (in force now), `pending` (the task stops at its next report) or `gone`. */
export function stopStatus(r: number, loc: number): 'stopped' | 'pending' | 'gone' {
  if (r === 0) return 'stopped';
  if (r === -115) return 'pending';
  if (r === -3) return 'gone';
  throw callFault('stop', r, loc);
}

/** `resume`, `report`, `interrupt`, `singlestep`, `blockstep` and `barrier` in control code: `done` or `gone`. */
export function doneStatus(call: string, r: number, loc: number): 'done' | 'gone' {
  if (r === 0) return 'done';
  if (r === -3) return 'gone';
  throw callFault(call, r, loc);
}

/** `detach` and `events` in control code: `done`, `pending` (a callback is running), `gone` or `already`. */
export function detachStatus(call: string, r: number, loc: number): 'done' | 'pending' | 'gone' | 'already' {
  if (r === 0) return 'done';
  if (r === -115) return 'pending';
  if (r === -3) return 'gone';
  if (r === -114) return 'already';
  throw callFault(call, r, loc);
}

/** `await stopped [within D]`: `stopped`, `timeout` or `gone`. */
export function awaitStatus(r: number, loc: number): 'stopped' | 'timeout' | 'gone' {
  if (r === 0) return 'stopped';
  if (r === -110) return 'timeout';
  if (r === -3) return 'gone';
  throw callFault('await stopped', r, loc);
}

const WHY: Readonly<Record<number, string>> = {
  [-22]: 'EINVAL: `report`, `interrupt` and the steps need a `quiesce` handler (the engine must get report_quiesce)',
  [-95]: 'EOPNOTSUPP: the backend cannot single-step',
  [-512]: 'ERESTARTSYS: interrupted',
};

function callFault(call: string, r: number, loc: number): UtrFault {
  return new UtrFault(`\`${call}\` failed with ${WHY[r] ?? `error ${r}`}`, loc);
}

/** `assert COND[, "message"]`: a failed assertion is a fault at the assert's location. */
export function assertCondition(cond: boolean, loc: number, message?: string): void {
  if (!cond) throw new UtrFault(message === undefined ? 'assertion failed' : `assertion failed: ${message}`, loc);
}
