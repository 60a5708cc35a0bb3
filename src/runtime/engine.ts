/**
 * The engine-facing API: the report callbacks an engine implements (`EngineOps`), the context a callback gets,
 * the synchronous runtime calls (`Runtime`: attach, setEvents, control, barrier, examine), and the debugger-side
 * coroutine API (`Control`) through which control code and timers call the same operations with a scheduling point
 * before each call. Hand-written engines and generated ones use exactly these types.
 */
import type { EmitValue, EventLog } from './log.js';
import type { PolicyName } from './policy.js';
import type { Coroutine, ExecInfo, SigAction, SigInfo, TaskId } from './types.js';

/**
 * The report callbacks (`struct utrace_engine_ops`). Each u32-returning callback returns a resume action
 * (`Action.*`), OR'ed with event-specific bits where the event has them (`SignalAction.*`, `SIGNAL_HOLD`,
 * `SyscallAction.*`). `action` is the resume action chosen so far in this pass by earlier engines (plus the
 * previous callback's event-specific bits for signal and syscall-entry reports, and `SYSCALL_RESUMED` on a repeat).
 * An engine needs only the callbacks whose event bits it sets.
 */
export interface EngineOps<D = unknown> {
  /** `report_quiesce(action, engine, event)`: before each event callback (event = that event's bit), at the
   * return-to-user point (event = 0), and in the signal pass for engines without `reportSignal`. */
  reportQuiesce?(ctx: CallbackContext<D>, action: number, event: number): number;
  /** `report_signal(action, engine, regs, info, orig_ka, return_ka)`. `info` and `returnKa` may be rewritten;
   * `origKa` is null for the no-signal reports (`SignalAction.Report`, `SignalAction.Handler`). */
  reportSignal?(
    ctx: CallbackContext<D>,
    action: number,
    info: SigInfo,
    origKa: Readonly<SigAction> | null,
    returnKa: SigAction,
  ): number;
  /** `report_clone(action, engine, clone_flags, child)`: in the parent, before the child first runs. */
  reportClone?(ctx: CallbackContext<D>, action: number, cloneFlags: bigint, child: TaskId): number;
  /** `report_jctl(action, engine, type, notify)`: `type` is `CLD_STOPPED` or `CLD_CONTINUED`. */
  reportJctl?(ctx: CallbackContext<D>, action: number, type: number, notify: number): number;
  /** `report_exec(action, engine, fmt, bprm, regs)`. */
  reportExec?(ctx: CallbackContext<D>, action: number, exec: ExecInfo): number;
  /** `report_syscall_entry(action, engine, regs)`: called in reverse attach order. May return `SyscallAction.Abort`. */
  reportSyscallEntry?(ctx: CallbackContext<D>, action: number): number;
  /** `report_syscall_exit(action, engine, regs)`. */
  reportSyscallExit?(ctx: CallbackContext<D>, action: number): number;
  /** `report_exit(action, engine, orig_code, code)`: `code.value` (the wait status the parent sees) is writable. */
  reportExit?(ctx: CallbackContext<D>, action: number, origCode: number, code: { value: number }): number;
  /** `report_death(engine, group_dead, signal)`: only `Action.Detach` in the return value has an effect. */
  reportDeath?(ctx: CallbackContext<D>, groupDead: boolean, signal: number): number;
  /** `report_reap(engine, task)`: the last callback ever; runs in the reaper's context. */
  reportReap?(ctx: CallbackContext<D>): void;
  /** `release(data)`: the last reference to the engine was dropped. */
  release?(data: D): void;
}

/** An attached engine (`struct utrace_engine`), as its owner sees it. */
export interface Engine<D = unknown> {
  /** Unique in one runtime; the event log names engines by it. */
  readonly id: number;
  /** A name for traces (the engine's type, e.g. `syscount`). */
  readonly name: string;
  /** The task it is attached to. */
  readonly task: TaskId;
  /** The engine's cookie (`engine->data`). */
  data: D;
  /** `engine->flags`: the event mask, plus `ENGINE_STOP` while the engine wants the task stopped. */
  readonly flags: number;
  /** `attached` (real ops), `detaching` (marked: `utrace_detached_ops`), or `detached` (ops NULL). */
  readonly state: 'attached' | 'detaching' | 'detached';
}

/** Any engine, whatever its data type (the parameter type of the runtime calls). */
export type AnyEngine = Engine<unknown>;

/** Register and memory access to a task. Inside a callback the task is at a safe point; from debugger-side code,
 * only while the engine's stop is in force (`prepareExamine` … `finishExamine`). */
export interface TaskAccess {
  /** One register by its name in the architecture's table (`rip`, `orig_rax`, `x8`, …). */
  reg(task: TaskId, name: string): bigint;
  /** A copy of all registers. */
  regs(task: TaskId): Record<string, bigint>;
  setReg(task: TaskId, name: string, value: bigint): void;
  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array;
  /** A NUL-terminated string (at most `max` bytes), decoded as UTF-8. */
  readString(task: TaskId, addr: bigint, max?: number): string;
  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void;
}

/** The state `prepareExamine` records and `finishExamine` checks (`struct utrace_examiner`). */
export interface Examination {
  state: string;
  ncsw: number;
}

/**
 * The synchronous runtime calls (`utrace_attach_task`, `utrace_set_events`, `utrace_control`, `utrace_barrier`,
 * `utrace_prepare_examine`/`utrace_finish_examine`, `utrace_engine_get`/`put`). Callbacks call these directly;
 * debugger-side code calls them through `Control`, which adds the scheduling point in front of each call.
 */
export interface Runtime extends TaskAccess {
  /** The active policy switch (`classic`, `sticky-stop`). */
  readonly policy: PolicyName;
  /** The event log (every report, callback, return, control call, stop and wake). */
  readonly log: EventLog;
  /** Virtual (simulator) or monotonic (Linux) time in nanoseconds. */
  now(): number;
  /** `utrace_attach_task`: a new engine (`AttachFlags.Create`) or a lookup; a negative result code on error. */
  attach<D>(task: TaskId, flags: number, ops: EngineOps<D> | null, data: D, name?: string): Engine<D> | number;
  /** `utrace_set_events`: 0, `-EINPROGRESS`, `-EALREADY` or `-ESRCH`. */
  setEvents(engine: AnyEngine, events: number): number;
  /** `utrace_control`: the result codes of the §7.2 table. */
  control(engine: AnyEngine, action: number): number;
  /** One `utrace_barrier` poll: 0, `-ESRCH`, or `-ERESTARTSYS` when it would have to wait (a callback cannot
   * sleep here; debugger-side code uses `Control.barrier`, which waits). */
  barrier(engine: AnyEngine): number;
  /** `utrace_prepare_examine`: 0, `-EINVAL`, `-ESRCH` or `-EAGAIN`. */
  prepareExamine(engine: AnyEngine, exam: Examination): number;
  /** `utrace_finish_examine`: 0, `-EINVAL` or `-EAGAIN` (the data read in between must be discarded). */
  finishExamine(engine: AnyEngine, exam: Examination): number;
  /** `utrace_engine_get`. */
  engineGet(engine: AnyEngine): void;
  /** `utrace_engine_put`: `release(data)` runs when the last reference goes. */
  enginePut(engine: AnyEngine): void;
  /** Deliver an output record, stamped with time, task and engine. */
  emit(engine: AnyEngine, value: EmitValue): void;
}

/**
 * What a callback gets as its first argument: its engine and task, register/memory access to the task (which is at
 * a safe point), the runtime (to attach to a clone's child, control other tasks, change its own events), and `emit`.
 * One context object exists per engine; it is reused for every callback, so keep no reference to it.
 */
export interface CallbackContext<D = unknown> {
  readonly engine: Engine<D>;
  readonly task: TaskId;
  readonly runtime: Runtime;
  now(): number;
  reg(name: string): bigint;
  regs(): Record<string, bigint>;
  setReg(name: string, value: bigint): void;
  /** The system call number at a syscall report (`syscall_get_nr`). */
  syscallNr(): number;
  /** System call argument 0…5 (`syscall_get_arguments`). */
  syscallArg(i: number): bigint;
  /** The return value at syscall exit (`syscall_get_return_value`). */
  syscallRet(): bigint;
  /** `syscall_set_return_value` (with ABORT at entry, or at exit). */
  setSyscallRet(value: bigint): void;
  readMemory(addr: bigint, len: number): Uint8Array;
  readString(addr: bigint, max?: number): string;
  writeMemory(addr: bigint, bytes: Uint8Array): void;
  emit(value: EmitValue): void;
}

/**
 * Debugger-side calls as coroutines: each yields one scheduling point and then makes the runtime call, so control
 * code can be preempted before every call (compiled `control` blocks and timers are generators that `yield*` these).
 */
export interface Control extends TaskAccess {
  readonly runtime: Runtime;
  attach<D>(
    task: TaskId,
    flags: number,
    ops: EngineOps<D> | null,
    data: D,
    name?: string,
  ): Coroutine<Engine<D> | number>;
  setEvents(engine: AnyEngine, events: number): Coroutine<number>;
  control(engine: AnyEngine, action: number): Coroutine<number>;
  /** `utrace_barrier`, polling every tick as the kernel does: 0, `-ESRCH`, or `-ERESTARTSYS` after `maxTicks`
   * polls (standing for a signal interrupting the wait; default: wait as long as it takes). */
  barrier(engine: AnyEngine, maxTicks?: number): Coroutine<number>;
  prepareExamine(engine: AnyEngine, exam: Examination): Coroutine<number>;
  finishExamine(engine: AnyEngine, exam: Examination): Coroutine<number>;
  /** Sleep for `ns` of runtime time. */
  sleep(ns: number): Coroutine<void>;
  /** Wait until this engine's stop is in force (the engine wants the stop and the task is blocked in it, like
   * ptrace's `wait`): 0; `-ESRCH` when the engine or task is gone; `-ETIMEDOUT` after `timeoutNs`. */
  waitStopped(engine: AnyEngine, timeoutNs?: number): Coroutine<number>;
}

/** When `DebuggerHost.spawn` starts debugger-side code. */
export interface SpawnOptions {
  /** The runtime time (ns, as `Runtime.now()`) to start at; default now, outside the order of timed starts. */
  readonly atNs?: number;
}

/** Where debugger-side code is registered: the simulator runs it as scheduled coroutines, a real backend on its
 * own event loop. */
export interface DebuggerHost {
  /**
   * Start debugger-side code: now, or at `options.atNs` on the runtime clock (`Runtime.now()`). A start time is
   * kept by the host itself (no coroutine exists and nothing is logged before it), and timed starts happen in
   * order of time, those due at the same time in the order they were spawned: each starts only after the one
   * before has run to its first scheduling point. A time already past means as soon as possible, still in order.
   */
  spawn(name: string, body: (ctl: Control) => Coroutine<void>, options?: SpawnOptions): void;
  /** Run `body` every `periodNs` (the next run starts only after the previous one finished). */
  every(name: string, periodNs: number, body: (ctl: Control) => Coroutine<void>): { cancel(): void };
}
