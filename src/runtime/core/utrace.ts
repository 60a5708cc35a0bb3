/**
 * The utrace core: the engine API (`attach`, `setEvents`, `control`, `barrier`, examine) and the report passes the
 * backend runs at each report point, written after `kernel/utrace.c` (RHEL6 text with the corrections of
 * utrace-semantics §17). Report passes and `utrace_stop` are coroutines: they yield a `callback` point between a
 * callback's start and the application of its return value, and a `blocked` point inside `utrace_stop`, so the
 * scheduler decides how debugger-side code interleaves with callbacks, exactly where the kernel lets it.
 * Comments name the kernel function each method models; see `docs/runtime-api.md`.
 */
import { defaultAction, signalNumber } from '../../arch/index.js';
import type { Backend, ReportPoints, SignalDecision } from '../backend.js';
import {
  Action,
  ATTACH_MATCH_MASK,
  AttachFlags,
  actionName,
  CloneFlags,
  DEATH_EVENTS,
  ENGINE_STOP,
  Event,
  EVENT_SIGNAL_ALL,
  EVENT_SYSCALL,
  eventNames,
  RESUME_MASK,
  RESUME_MAX,
  Result,
  resultName,
  returnName,
  SIGNAL_ACTION_MASK,
  SIGNAL_HOLD,
  SignalAction,
  SYSCALL_ACTION_MASK,
  SyscallAction,
  SYSCALL_RESUMED,
} from '../constants.js';
import type { AnyEngine, Engine, EngineOps, Examination, Runtime } from '../engine.js';
import { EventLog, type EmitValue, type LogRecord } from '../log.js';
import type { PolicyName } from '../policy.js';
import type { Coroutine, ExecInfo, Point, SigAction, SigInfo, TaskId } from '../types.js';
import { DETACHED_OPS, EngineImpl, readCString, type Report, TaskUtrace } from './engine-impl.js';
import { CALLBACK_OF_EVENT, type CallbackName } from './callbacks.js';
import { errorMessage } from '../lib/errors.js';

const { Stop: STOP, Interrupt: INTERRUPT, Report: REPORT, SingleStep: SINGLESTEP } = Action;
const { BlockStep: BLOCKSTEP, Resume: RESUME, Detach: DETACH } = Action;
const QUIESCE = Event.Quiesce;
const SIGKILL = signalNumber('SIGKILL');
const SIGSTOP = signalNumber('SIGSTOP');

/** Which callback a pass makes after report_quiesce. */
const enum Kind {
  Quiesce,
  Clone,
  Exec,
  Exit,
  Death,
  SyscallEntry,
  SyscallExit,
  Jctl,
}

const C = CALLBACK_OF_EVENT;
/** The callback of each `Kind`. */
const CALLBACK_NAMES: Readonly<Record<Kind, CallbackName>> = {
  [Kind.Quiesce]: C.quiesce,
  [Kind.Clone]: C.clone,
  [Kind.Exec]: C.exec,
  [Kind.Exit]: C.exit,
  [Kind.Death]: C.death,
  [Kind.SyscallEntry]: C.syscall_entry,
  [Kind.SyscallExit]: C.syscall_exit,
  [Kind.Jctl]: C.jctl,
};

const BLOCKED_UTRACE: Point = { kind: 'blocked', reason: 'utrace_stop' };

/** Options of a runtime. */
export interface UtraceOptions {
  /** The policy switch (default `classic`). */
  policy?: PolicyName;
  /** Keep log records in `log.records` (default true). Listeners can be added with `log.listen`. */
  keepLog?: boolean;
  /** Nanoseconds between `barrier` polls (the kernel's one tick; default 1ms). */
  tickNs?: number;
}

/** An output record as delivered to `onEmit` listeners. */
export interface Output {
  time: number;
  task: TaskId;
  engine: number;
  engineName: string;
  value: EmitValue;
}

/** An exception thrown by an engine callback: the engine is detached and the task goes on. */
export interface EngineFault {
  engine: number;
  task: TaskId;
  callback: string;
  error: unknown;
}

/** The utrace core. One instance per backend (per simulated machine, or per Linux tracer). */
export class Utrace implements Runtime, ReportPoints {
  readonly policy: PolicyName;
  readonly log: EventLog;
  readonly tickNs: number;
  /** Exceptions thrown by engine callbacks, in order. */
  readonly faults: EngineFault[] = [];
  /**
   * When false, passes do not yield their callback points (nothing else could run there). The simulator sets it
   * whenever more than one coroutine exists; the explorer leaves it on.
   */
  preempt = true;
  /** Name of whoever runs now, for the log (`task 3`, `debugger cont`). */
  caller = 'host';
  private current: TaskId | null = null;
  private readonly tasks = new Map<TaskId, TaskUtrace>();
  private nextEngineId = 1;
  private readonly emitListeners: Array<(o: Output) => void> = [];
  private readonly sticky: boolean;
  /** `barrier-2008`: `reporting` is cleared before the return value is applied (the 2008 `finish_callback`). */
  private readonly earlyReporting: boolean;
  /** `fedora-s3`: the Fedora 2.6.36 utrace.c variants (§17 A1, A6, A9). */
  private readonly fedora: boolean;

  constructor(
    readonly backend: Backend,
    options: UtraceOptions = {},
  ) {
    this.policy = options.policy ?? 'classic';
    this.sticky = this.policy === 'sticky-stop';
    this.earlyReporting = this.policy === 'barrier-2008';
    this.fedora = this.policy === 'fedora-s3';
    this.tickNs = options.tickNs ?? 1_000_000;
    this.log = new EventLog(() => backend.now(), options.keepLog ?? true);
    if (this.log.enabled) this.log.add({ kind: 'policy', policy: this.policy, backend: backend.name });
  }

  /** Deliver every output record to `fn`. */
  onEmit(fn: (o: Output) => void): void {
    this.emitListeners.push(fn);
  }

  now(): number {
    return this.backend.now();
  }

  setCurrent(task: TaskId | null): void {
    this.current = task;
  }

  /** The per-task state, if any engine was ever attached (`task->utrace`). */
  taskState(task: TaskId): TaskUtrace | undefined {
    return this.tasks.get(task);
  }

  wants(task: TaskId, mask: number): boolean {
    const t = this.tasks.get(task);
    return t !== undefined && (t.flags & mask) !== 0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Engine API
  // ---------------------------------------------------------------------------------------------------------------

  /** `utrace_attach_task` (through the pid wrapper: an unknown task gives -ESRCH). */
  attach<D>(task: TaskId, flags: number, ops: EngineOps<D> | null, data: D, name = 'engine'): Engine<D> | number {
    const r = this.doAttach(task, flags, ops, data, name);
    if (this.log.enabled) {
      const id = typeof r === 'number' ? 0 : r.id;
      this.logCall('attach', id, task, `0x${flags.toString(16)}`, typeof r === 'number' ? r : 0);
    }
    return r;
  }

  private doAttach<D>(
    task: TaskId,
    flags: number,
    ops: EngineOps<D> | null,
    data: D,
    name: string,
  ): Engine<D> | number {
    if (!this.backend.exists(task)) return Result.ESRCH;
    let t = this.tasks.get(task);
    if (!(flags & AttachFlags.Create)) {
      if (t === undefined) return Result.ENOENT;
      const e = this.findMatching(t, flags, ops, data);
      if (e === null) return Result.ENOENT;
      e.refs++;
      return e as unknown as Engine<D>;
    }
    if (ops === null || ops === (DETACHED_OPS as unknown)) return Result.EINVAL;
    if (t === undefined) {
      t = new TaskUtrace(task);
      this.tasks.set(task, t);
    }
    if (flags & AttachFlags.Exclusive && this.findMatching(t, flags, ops, data) !== null) return Result.EEXIST;
    if (t.flags === 0) {
      t.flags = Event.Reap;
      if (this.backend.runState(task) === 'dead') {
        t.flags = 0;
        return Result.ESRCH;
      }
    }
    const e = new EngineImpl<D>(this.nextEngineId++, name, t, ops, data, this, this.backend);
    t.attaching.push(e as EngineImpl);
    t.pendingAttach = true;
    if (this.log.enabled) this.log.add({ kind: 'attach', task, engine: e.id, name });
    return e;
  }

  /** `find_matching_engine`: attached then attaching; live engines only. */
  private findMatching(t: TaskUtrace, flags: number, ops: unknown, data: unknown): EngineImpl | null {
    for (const list of [t.attached, t.attaching]) {
      for (const e of list) {
        if (e.ops === null || e.ops === DETACHED_OPS) continue;
        if ((flags & ATTACH_MATCH_MASK) === 0) return e;
        if (flags & AttachFlags.MatchOps && e.ops !== ops) continue;
        if (flags & AttachFlags.MatchData && e.data !== data) continue;
        return e;
      }
    }
    return null;
  }

  /** `get_utrace_lock`: the error for an engine that is detached (or marked, for `attached`). */
  private lockError(e: EngineImpl, attached: boolean): number {
    if (e.ops === null) return Result.ESRCH;
    if (e.ops === DETACHED_OPS) return attached ? Result.ESRCH : Result.ERESTARTSYS;
    // Fedora's get_utrace_lock also fails once release_task has started (§17 A9).
    if (this.fedora && e.ut.reap) return Result.ESRCH;
    return 0;
  }

  /** Whether the task is stopped or traced (`task_is_stopped_or_traced`). */
  private isStoppedOrTraced(task: TaskId): boolean {
    const s = this.backend.runState(task);
    return s === 'traced' || s === 'stopped';
  }

  private isDead(task: TaskId): boolean {
    const s = this.backend.runState(task);
    return s === 'zombie' || s === 'dead';
  }

  /** `utrace_set_events` (§4, RHEL6 form). */
  setEvents(engine: AnyEngine, events: number): number {
    const r = this.doSetEvents(engine as EngineImpl, events);
    if (this.log.enabled) this.logCall('setEvents', engine.id, engine.task, eventNames(events), r);
    return r;
  }

  private doSetEvents(e: EngineImpl, events: number): number {
    events &= ~ENGINE_STOP;
    const err = this.lockError(e, true);
    if (err) return err;
    const t = e.ut;
    const tid = t.tid;
    const old = e.flags & ~ENGINE_STOP;
    const dead = this.isDead(tid);
    if (
      dead &&
      (events & ~old & DEATH_EVENTS ||
        (t.death && old & ~events & DEATH_EVENTS) ||
        (t.reap && old & ~events & Event.Reap))
    )
      return Result.EALREADY;
    e.flags = events | (e.flags & ENGINE_STOP);
    t.flags |= events;
    t.version++;
    if (events & EVENT_SYSCALL) this.backend.setSyscallTrace(tid, true);
    if (old & ~events && tid !== this.current && !this.isStoppedOrTraced(tid) && !dead && t.reporting === e)
      return Result.EINPROGRESS;
    return 0;
  }

  /** `utrace_control` (§7.1). */
  control(engine: AnyEngine, action: number): number {
    const r = this.doControl(engine as EngineImpl, action);
    if (this.log.enabled) this.logCall('control', engine.id, engine.task, actionName(action), r);
    return r;
  }

  private doControl(e: EngineImpl, action: number): number {
    if (!Number.isInteger(action) || action < 0 || action >= RESUME_MAX) return Result.EINVAL;
    // Unlocked sanity check, before the engine's state is looked at (§17 A7).
    if (action >= REPORT && action < RESUME && !(e.flags & QUIESCE)) return Result.EINVAL;
    const err = this.lockError(e, true);
    if (err) return err;
    const t = e.ut;
    const tid = t.tid;
    const be = this.backend;
    let reset = be.runState(tid) === 'traced';
    let ret = 0;
    if (this.isDead(tid)) {
      if (action !== DETACH || t.reap) return Result.ESRCH;
      if (t.death) return Result.EALREADY;
      reset = true;
    }
    switch (action) {
      case STOP:
        this.markWantsStop(t, e);
        if (!reset && !this.doStop(t)) ret = Result.EINPROGRESS;
        reset = false;
        break;
      case DETACH:
        if (e.flags & ENGINE_STOP) t.flags &= ~ENGINE_STOP;
        this.markDetached(e);
        reset = reset || this.doStop(t);
        if (!reset && t.reporting === e) ret = Result.EINPROGRESS;
        break;
      case RESUME:
        this.clearWantsStop(e);
        if (this.fedora && reset) be.setStep(tid, 'none'); // §17 A6
        break;
      case BLOCKSTEP:
      case SINGLESTEP:
      case REPORT: {
        let a = action;
        if (a === BLOCKSTEP && !be.canBlockStep) a = SINGLESTEP;
        if (a === SINGLESTEP && !be.canSingleStep) {
          reset = false;
          ret = Result.EOPNOTSUPP;
          break;
        }
        this.clearWantsStop(e);
        if (a < t.resume) {
          t.resume = a;
          be.setNotifyResume(tid);
        }
        break;
      }
      case INTERRUPT:
        this.clearWantsStop(e);
        if (t.resume === INTERRUPT) break;
        t.resume = INTERRUPT;
        if (reset) be.setSigpending(tid);
        else be.signalWakeUp(tid);
        break;
    }
    if (reset) this.reset(t);
    return ret;
  }

  /** `utrace_barrier`, one poll (§8). A callback on the target itself gets 0. */
  barrier(engine: AnyEngine): number {
    const r = this.barrierPoll(engine as EngineImpl);
    if (this.log.enabled) this.logCall('barrier', engine.id, engine.task, '', r);
    return r;
  }

  /** One iteration of the barrier loop: 0, -ESRCH, or -ERESTARTSYS (keep polling). */
  barrierPoll(e: EngineImpl): number {
    if (e.ut.tid === this.current) return 0;
    const err = this.lockError(e, false);
    if (err) return err;
    return e.ut.reporting === e ? Result.ERESTARTSYS : 0;
  }

  /** `utrace_prepare_examine` (§9). */
  prepareExamine(engine: AnyEngine, exam: Examination): number {
    const r = this.doPrepare(engine as EngineImpl, exam);
    if (this.log.enabled) this.logCall('prepareExamine', engine.id, engine.task, '', r);
    return r;
  }

  private doPrepare(e: EngineImpl, exam: Examination): number {
    const tid = e.ut.tid;
    if (tid === this.current) return 0;
    if (!(e.flags & ENGINE_STOP)) return Result.EINVAL;
    if (!this.backend.exists(tid) || this.isDead(tid)) return Result.ESRCH;
    const state = this.backend.runState(tid);
    exam.state = state;
    if (state === 'running') return Result.EAGAIN;
    exam.ncsw = this.backend.switchCount(tid) + 1;
    return 0;
  }

  /** `utrace_finish_examine` (§9). */
  finishExamine(engine: AnyEngine, exam: Examination): number {
    const r = this.doFinish(engine as EngineImpl, exam);
    if (this.log.enabled) this.logCall('finishExamine', engine.id, engine.task, '', r);
    return r;
  }

  private doFinish(e: EngineImpl, exam: Examination): number {
    const tid = e.ut.tid;
    if (tid === this.current) return 0;
    if (!(e.flags & ENGINE_STOP)) return Result.EINVAL;
    const state = this.backend.exists(tid) ? this.backend.runState(tid) : 'dead';
    if (state !== exam.state) return Result.EAGAIN;
    if (this.backend.switchCount(tid) + 1 !== exam.ncsw) return Result.EAGAIN;
    return 0;
  }

  engineGet(engine: AnyEngine): void {
    (engine as EngineImpl).refs++;
  }

  enginePut(engine: AnyEngine): void {
    this.put(engine as EngineImpl);
  }

  private put(e: EngineImpl): void {
    if (--e.refs === 0 && e.release) e.release(e.data);
  }

  emit(engine: AnyEngine, value: EmitValue): void {
    const time = this.backend.now();
    if (this.log.enabled)
      this.log.add({ kind: 'emit', task: engine.task, engine: engine.id, engineName: engine.name, value });
    for (const l of this.emitListeners)
      l({ time, task: engine.task, engine: engine.id, engineName: engine.name, value });
  }

  // Register and memory access for debugger-side code and hosts.
  reg(task: TaskId, name: string): bigint {
    return this.backend.reg(task, name);
  }
  regs(task: TaskId): Record<string, bigint> {
    return this.backend.regs(task);
  }
  setReg(task: TaskId, name: string, value: bigint): void {
    this.backend.setReg(task, name, value);
  }
  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array {
    return this.backend.readMemory(task, addr, len);
  }
  readString(task: TaskId, addr: bigint, max = 4096): string {
    return readCString(this.backend, task, addr, max);
  }
  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void {
    this.backend.writeMemory(task, addr, bytes);
  }

  /** Whether the engine's stop is in force: it wants the stop and the task is blocked in it. */
  stopInForce(engine: AnyEngine): boolean {
    const e = engine as EngineImpl;
    return e.ops !== null && (e.flags & ENGINE_STOP) !== 0 && this.backend.runState(e.ut.tid) === 'traced';
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Stop bookkeeping (§10)
  // ---------------------------------------------------------------------------------------------------------------

  /** `mark_engine_wants_stop`: engine bit and task bit. */
  private markWantsStop(t: TaskUtrace, e: EngineImpl): void {
    e.flags |= ENGINE_STOP;
    t.flags |= ENGINE_STOP;
    t.version++;
  }

  /** `clear_engine_wants_stop`: the engine bit only; the task bit goes stale until `utrace_reset`. */
  private clearWantsStop(e: EngineImpl): void {
    if (e.flags & ENGINE_STOP) {
      e.flags &= ~ENGINE_STOP;
      e.ut.version++;
    }
  }

  /** `mark_engine_detached`. */
  private markDetached(e: EngineImpl): void {
    e.ops = DETACHED_OPS;
    e.flags = QUIESCE;
    e.ut.version++;
  }

  /** `utrace_do_stop`: convert a job-control stop, or ask for a report; true if the task is traced now. */
  private doStop(t: TaskUtrace): boolean {
    const be = this.backend;
    if (be.runState(t.tid) === 'stopped') {
      be.convertJobStop(t.tid);
      if (this.log.enabled) this.log.add({ kind: 'stop', task: t.tid, reason: 'jctl→utrace' });
    } else if (t.resume > REPORT) {
      t.resume = REPORT;
      be.setNotifyResume(t.tid);
    }
    return be.runState(t.tid) === 'traced';
  }

  /** `splice_attaching`. */
  private splice(t: TaskUtrace): void {
    if (t.attaching.length > 0) {
      for (const e of t.attaching) t.attached.push(e);
      t.attaching = [];
      t.version++;
    }
    t.pendingAttach = false;
  }

  /** `utrace_reset` (§10.4): drop detached engines, recompute the flags, wake if nobody wants the stop.
   * True when no engine is left. */
  private reset(t: TaskUtrace): boolean {
    this.splice(t);
    const be = this.backend;
    const tid = t.tid;
    let flags = 0;
    let detached: EngineImpl[] | null = null;
    const keep: EngineImpl[] = [];
    for (const e of t.attached) {
      if (e.ops === DETACHED_OPS) {
        e.ops = null;
        (detached ??= []).push(e);
      } else {
        flags |= e.flags | Event.Reap;
        keep.push(e);
      }
    }
    t.attached = keep;
    t.version++;
    const state = be.runState(tid);
    if (state === 'zombie' || state === 'dead') flags &= Event.Reap;
    else if (!(flags & EVENT_SYSCALL)) be.setSyscallTrace(tid, false);
    if (flags === 0) {
      t.resume = RESUME;
      t.signalHandler = false;
    }
    if (state === 'traced' && !(flags & ENGINE_STOP)) {
      if (t.resume === RESUME && !this.fedora) be.setStep(tid, 'none');
      be.wakeUtraceStop(tid);
      if (this.log.enabled) this.log.add({ kind: 'wake', task: tid, by: 'reset' });
    }
    t.flags = flags;
    if (detached)
      for (const e of detached) {
        if (this.log.enabled) this.log.add({ kind: 'detach', task: tid, engine: e.id, how: 'reset' });
        this.put(e);
      }
    return flags === 0;
  }

  /** `utrace_stop` (§10.3): block until no engine wants the stop (or SIGKILL). */
  private *utraceStop(t: TaskUtrace, action: number): Coroutine<void> {
    const be = this.backend;
    for (;;) {
      if (action < t.resume) {
        t.resume = action;
        if (action === INTERRUPT) be.setSigpending(t.tid);
        else be.setNotifyResume(t.tid);
      }
      if (!(t.flags & ENGINE_STOP)) {
        this.reset(t);
        if (t.flags & ENGINE_STOP) continue;
        return;
      }
      if (be.fatalSignalPending(t.tid)) return;
      be.enterUtraceStop(t.tid);
      if (this.log.enabled) this.log.add({ kind: 'stop', task: t.tid, reason: 'utrace' });
      yield BLOCKED_UTRACE;
      return;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Report passes (§5)
  // ---------------------------------------------------------------------------------------------------------------

  /** `start_report`: consume a pending REPORT/step (INTERRUPT is kept), splicing new engines in. */
  private startReport(t: TaskUtrace): number {
    let r = t.resume;
    if (t.pendingAttach || (r > INTERRUPT && r < RESUME)) {
      this.splice(t);
      r = t.resume;
      if (r > INTERRUPT) t.resume = RESUME;
    }
    return r;
  }

  /** `finish_callback_report` (§10.2), with the sticky-stop policy switch. */
  private finishCallbackReport(t: TaskUtrace, rep: Report, e: EngineImpl, action: number): void {
    if (action === DETACH) {
      e.ops = DETACHED_OPS;
      t.version++;
    }
    if (e.ops === DETACHED_OPS) {
      rep.detaches = true;
      return;
    }
    if (action < rep.action) rep.action = action;
    if (action !== STOP) {
      if (action < rep.resumeAction) rep.resumeAction = action;
      if (!this.sticky) this.clearWantsStop(e);
      return;
    }
    if (!(e.flags & ENGINE_STOP)) this.markWantsStop(t, e);
  }

  /** `finish_callback`: apply a return value; true if the engine is now detached. */
  private finishCallback(t: TaskUtrace, rep: Report, e: EngineImpl, ret: number): boolean {
    rep.result = ret & ~RESUME_MASK;
    this.finishCallbackReport(t, rep, e, ret & RESUME_MASK);
    t.reporting = null;
    return e.ops === DETACHED_OPS;
  }

  /** `finish_report` (§5.4). */
  private finishReport(t: TaskUtrace, rep: Report, willNotStop: boolean): void {
    let r = rep.action;
    if (r === STOP) r = willNotStop ? REPORT : RESUME;
    if (r < t.resume) {
      t.resume = r;
      if (r === INTERRUPT) this.backend.setSigpending(t.tid);
      else this.backend.setNotifyResume(t.tid);
    }
    this.finishReportReset(t, rep);
  }

  /** `finish_report_reset`. */
  private finishReportReset(t: TaskUtrace, rep: Report): void {
    if (rep.spurious || rep.detaches) if (this.reset(t)) rep.action = RESUME;
  }

  /** Call one callback, catching an engine's exception (the engine is then detached, the task goes on). */
  private invoke(
    kind: Kind,
    ops: EngineOps<unknown>,
    e: EngineImpl,
    rep: Report,
    action: number,
    event: number,
  ): number {
    const ctx = e.ctx;
    try {
      switch (kind) {
        case Kind.Quiesce:
          return ops.reportQuiesce ? ops.reportQuiesce(ctx, action, event) : RESUME;
        case Kind.SyscallEntry:
          return ops.reportSyscallEntry ? ops.reportSyscallEntry(ctx, action) : RESUME;
        case Kind.SyscallExit:
          return ops.reportSyscallExit ? ops.reportSyscallExit(ctx, action) : RESUME;
        case Kind.Exec:
          return ops.reportExec ? ops.reportExec(ctx, action, rep.exec as ExecInfo) : RESUME;
        case Kind.Clone:
          return ops.reportClone ? ops.reportClone(ctx, action, rep.cloneFlags, rep.child) : RESUME;
        case Kind.Jctl:
          return ops.reportJctl ? ops.reportJctl(ctx, action, rep.jctlType, rep.notify) : RESUME;
        case Kind.Exit:
          return ops.reportExit ? ops.reportExit(ctx, action, rep.origCode, rep.code) : RESUME;
        case Kind.Death:
          return ops.reportDeath ? ops.reportDeath(ctx, rep.groupDead, rep.signal) : RESUME;
      }
    } catch (error) {
      return this.fault(e, CALLBACK_NAMES[kind], error);
    }
  }

  private fault(e: EngineImpl, callback: CallbackName, error: unknown): number {
    this.faults.push({ engine: e.id, task: e.ut.tid, callback, error });
    if (this.log.enabled)
      this.log.add({
        kind: 'kernel',
        task: e.ut.tid,
        what: 'engine-fault',
        detail: `e${e.id} ${callback}: ${errorMessage(error)}`,
      });
    return DETACH;
  }

  private logCallback(
    t: TaskUtrace,
    e: EngineImpl,
    callback: CallbackName,
    action: number,
    kind: 'plain' | 'signal' | 'syscall',
  ): void {
    this.log.add({ kind: 'callback', task: t.tid, engine: e.id, callback, action: returnName(action, kind) });
  }

  private logReturn(
    t: TaskUtrace,
    e: EngineImpl,
    callback: CallbackName,
    ret: number,
    kind: 'plain' | 'signal' | 'syscall',
  ): void {
    this.log.add({ kind: 'return', task: t.tid, engine: e.id, callback, value: ret, name: returnName(ret, kind) });
  }

  private logCall(op: string, engine: number, task: TaskId, arg: string, result: number): void {
    this.log.add({ kind: 'call', caller: this.caller, op, engine, task, arg, result, resultName: resultName(result) });
  }

  /**
   * The per-engine loop of `REPORT_CALLBACKS` with `start_callback`/`finish_callback`: for each interested engine
   * in attach order (reverse for syscall entry), report_quiesce if it has QUIESCE, re-read its flags, force STOP
   * if it still wants the stop, then the event callback if it has the event bit.
   */
  private *pass(t: TaskUtrace, rep: Report, event: number, kind: Kind, reverse: boolean): Coroutine<void> {
    const mask = event | QUIESCE | ENGINE_STOP;
    let list = t.interested(event, mask);
    let version = t.version;
    const logging = this.log.enabled;
    const evKind = kind === Kind.SyscallEntry ? 'syscall' : 'plain';
    let k = reverse ? list.length - 1 : 0;
    while (reverse ? k >= 0 : k < list.length) {
      const e = list[k] as EngineImpl;
      step: {
        if (e.ops === null) break step;
        // start_callback: `ops` is read once; a callback already started keeps the ops it was called through.
        t.reporting = e;
        let want = e.flags;
        const ops = e.ops;
        if (want & QUIESCE || ops === DETACHED_OPS) {
          if (this.preempt) yield this.point(t, e, 'start', C.quiesce);
          if (logging) this.logCallback(t, e, C.quiesce, rep.action, 'plain');
          const ret = this.invoke(Kind.Quiesce, ops, e, rep, rep.action, event);
          if (this.earlyReporting) t.reporting = null;
          if (this.preempt) yield this.point(t, e, 'return', C.quiesce);
          if (logging) this.logReturn(t, e, C.quiesce, ret, 'plain');
          if (this.finishCallback(t, rep, e, ret)) break step;
          t.reporting = e;
          want = e.flags;
        }
        if (want & ENGINE_STOP) rep.action = STOP;
        if (want & event) {
          rep.spurious = false;
          const name = CALLBACK_NAMES[kind];
          const arg = rep.extra | rep.result | rep.action;
          if (this.preempt) yield this.point(t, e, 'start', name);
          if (logging) this.logCallback(t, e, name, arg, evKind);
          const ret = this.invoke(kind, ops, e, rep, arg, event);
          if (this.earlyReporting) t.reporting = null;
          if (this.preempt) yield this.point(t, e, 'return', name);
          if (logging) this.logReturn(t, e, name, ret, evKind);
          this.finishCallback(t, rep, e, ret);
        } else if (event === 0 && this.fedora && want & QUIESCE) {
          // Fedora's start_callback tests `want & (event ?: QUIESCE)` and returns the ops, which utrace_resume
          // ignores: the pass is not spurious, and `reporting` stays on this engine (§17 A1).
          rep.spurious = false;
        } else {
          t.reporting = null;
        }
      }
      // Flags changed (by a callback, or by control code that ran at a callback point): later engines are
      // judged by their flags now, as the kernel reads each engine's flags when it gets to it.
      if (t.version !== version) {
        const next = this.recompute(t, event, mask, e, reverse);
        list = next.list;
        k = next.k;
        version = t.version;
      } else {
        k += reverse ? -1 : 1;
      }
    }
  }

  /**
   * `pass` without its scheduling points, for when nothing else could run at them (`preempt` false): the same
   * steps, line for line, minus the yields, so a report costs no generator. Keep the two in step; the
   * equivalence test in `test/runtime/dispatch.test.ts` compares their logs.
   */
  private passSync(t: TaskUtrace, rep: Report, event: number, kind: Kind, reverse: boolean): void {
    const mask = event | QUIESCE | ENGINE_STOP;
    let list = t.interested(event, mask);
    let version = t.version;
    const logging = this.log.enabled;
    const evKind = kind === Kind.SyscallEntry ? 'syscall' : 'plain';
    let k = reverse ? list.length - 1 : 0;
    while (reverse ? k >= 0 : k < list.length) {
      const e = list[k] as EngineImpl;
      step: {
        if (e.ops === null) break step;
        // start_callback: `ops` is read once; a callback already started keeps the ops it was called through.
        t.reporting = e;
        let want = e.flags;
        const ops = e.ops;
        if (want & QUIESCE || ops === DETACHED_OPS) {
          if (logging) this.logCallback(t, e, C.quiesce, rep.action, 'plain');
          const ret = this.invoke(Kind.Quiesce, ops, e, rep, rep.action, event);
          if (logging) this.logReturn(t, e, C.quiesce, ret, 'plain');
          if (this.finishCallback(t, rep, e, ret)) break step;
          t.reporting = e;
          want = e.flags;
        }
        if (want & ENGINE_STOP) rep.action = STOP;
        if (want & event) {
          rep.spurious = false;
          const name = CALLBACK_NAMES[kind];
          const arg = rep.extra | rep.result | rep.action;
          if (logging) this.logCallback(t, e, name, arg, evKind);
          const ret = this.invoke(kind, ops, e, rep, arg, event);
          if (logging) this.logReturn(t, e, name, ret, evKind);
          this.finishCallback(t, rep, e, ret);
        } else if (event === 0 && this.fedora && want & QUIESCE) {
          // Fedora's start_callback tests `want & (event ?: QUIESCE)` and returns the ops, which utrace_resume
          // ignores: the pass is not spurious, and `reporting` stays on this engine (§17 A1).
          rep.spurious = false;
        } else {
          t.reporting = null;
        }
      }
      // Flags changed (by a callback, or by control code that ran at a callback point): later engines are
      // judged by their flags now, as the kernel reads each engine's flags when it gets to it.
      if (t.version !== version) {
        const next = this.recompute(t, event, mask, e, reverse);
        list = next.list;
        k = next.k;
        version = t.version;
      } else {
        k += reverse ? -1 : 1;
      }
    }
  }

  /** The interest list after a change, and the position of the engine after `e` in pass order. */
  private recompute(
    t: TaskUtrace,
    event: number,
    mask: number,
    e: EngineImpl,
    reverse: boolean,
  ): { list: EngineImpl[]; k: number } {
    const list = t.interested(event, mask);
    const pos = t.attached.indexOf(e);
    if (!reverse) {
      let k = 0;
      while (k < list.length && t.attached.indexOf(list[k] as EngineImpl) <= pos) k++;
      return { list, k };
    }
    let k = list.length - 1;
    while (k >= 0 && t.attached.indexOf(list[k] as EngineImpl) >= pos) k--;
    return { list, k };
  }

  private point(t: TaskUtrace, e: EngineImpl, phase: 'start' | 'return', callback: string): Point {
    const p = t.point;
    p.phase = phase;
    p.engine = e.id;
    p.callback = callback;
    return p;
  }

  private logReport(t: TaskUtrace, event: string, detail?: string): void {
    this.log.add(
      detail === undefined ? { kind: 'report', task: t.tid, event } : { kind: 'report', task: t.tid, event, detail },
    );
  }

  /** `REPORT()`: a plain event pass with `finish_report(will_not_stop)`. */
  private *plainReport(t: TaskUtrace, event: number, kind: Kind, willNotStop: boolean): Coroutine<Report> {
    const rep = this.beginPlainReport(t);
    yield* this.pass(t, rep, event, kind, false);
    this.finishReport(t, rep, willNotStop);
    return rep;
  }

  /** `plainReport` when nothing can preempt the pass. */
  private plainReportSync(t: TaskUtrace, event: number, kind: Kind, willNotStop: boolean): Report {
    const rep = this.beginPlainReport(t);
    this.passSync(t, rep, event, kind, false);
    this.finishReport(t, rep, willNotStop);
    return rep;
  }

  private beginPlainReport(t: TaskUtrace): Report {
    const rep = t.rep;
    rep.init();
    rep.extra = 0;
    this.startReport(t);
    return rep;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Report points (called by the backend on the target thread)
  // ---------------------------------------------------------------------------------------------------------------

  /** `utrace_report_syscall_entry` (§5.5): the loop with RESUMED repeats; true means abort the syscall.
   * `afterFast`: `syscallEntryFast` already made the first pass and it ended in STOP; go on from the stop. */
  *syscallEntry(task: TaskId, afterFast = false): Coroutine<boolean> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.SyscallEntry)) return false;
    const rep = t.rep;
    if (!afterFast) rep.init();
    let resumed = 0;
    for (let skipPass = afterFast; ; skipPass = false) {
      if (!skipPass) {
        this.startReport(t);
        rep.extra = resumed;
        if (this.log.enabled) this.logReport(t, 'SYSCALL_ENTRY', resumed ? 'resumed' : undefined);
        if (this.preempt) yield* this.pass(t, rep, Event.SyscallEntry, Kind.SyscallEntry, true);
        else this.passSync(t, rep, Event.SyscallEntry, Kind.SyscallEntry, true);
        this.finishReport(t, rep, false);
        if (rep.action !== STOP) break;
      }
      yield* this.utraceStop(t, rep.resumeAction);
      if (this.backend.fatalSignalPending(task)) {
        rep.result = SyscallAction.Abort;
        break;
      }
      if (t.resume <= REPORT) {
        const result = rep.result;
        rep.init();
        rep.result = result;
        resumed = SYSCALL_RESUMED;
        continue;
      }
      break;
    }
    rep.extra = 0;
    return (rep.result & SYSCALL_ACTION_MASK) === SyscallAction.Abort;
  }

  /**
   * The first pass of `syscallEntry` as a plain call, for backends that want no generator per syscall. Returns
   * `undefined` when it cannot be used (scheduling points are on: run `syscallEntry(task)`), `null` when the pass
   * ended in STOP (run `syscallEntry(task, true)` to stop and repeat), else the abort decision.
   */
  syscallEntryFast(task: TaskId): boolean | null | undefined {
    if (this.preempt) return undefined;
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.SyscallEntry)) return false;
    const rep = t.rep;
    rep.init();
    this.startReport(t);
    rep.extra = 0;
    if (this.log.enabled) this.logReport(t, 'SYSCALL_ENTRY');
    this.passSync(t, rep, Event.SyscallEntry, Kind.SyscallEntry, true);
    this.finishReport(t, rep, false);
    if (rep.action === STOP) return null;
    return (rep.result & SYSCALL_ACTION_MASK) === SyscallAction.Abort;
  }

  /** `utrace_report_syscall_exit`. */
  *syscallExit(task: TaskId): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.SyscallExit)) return;
    if (this.log.enabled) this.logReport(t, 'SYSCALL_EXIT');
    if (this.preempt) yield* this.plainReport(t, Event.SyscallExit, Kind.SyscallExit, true);
    else this.plainReportSync(t, Event.SyscallExit, Kind.SyscallExit, true);
  }

  /** `syscallExit` as a plain call (it never blocks); false when scheduling points are on (run `syscallExit`). */
  syscallExitFast(task: TaskId): boolean {
    if (this.preempt) return false;
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.SyscallExit)) return true;
    if (this.log.enabled) this.logReport(t, 'SYSCALL_EXIT');
    this.plainReportSync(t, Event.SyscallExit, Kind.SyscallExit, true);
    return true;
  }

  /** `utrace_report_exec`. */
  *exec(task: TaskId, info: ExecInfo): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.Exec)) return;
    if (this.log.enabled) this.logReport(t, 'EXEC', info.filename);
    t.rep.exec = info;
    if (this.preempt) yield* this.plainReport(t, Event.Exec, Kind.Exec, true);
    else this.plainReportSync(t, Event.Exec, Kind.Exec, true);
    t.rep.exec = null;
  }

  /** `utrace_report_clone`: a STOP with CLONE_VFORK sets `vfork_stop` for `finishVfork`. */
  *clone(task: TaskId, cloneFlags: bigint, child: TaskId): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.Clone)) return;
    if (this.log.enabled) this.logReport(t, 'CLONE', `child ${child} flags 0x${cloneFlags.toString(16)}`);
    const vfork = (cloneFlags & CloneFlags.CLONE_VFORK) !== 0n;
    t.rep.cloneFlags = cloneFlags;
    t.rep.child = child;
    const rep = this.preempt
      ? yield* this.plainReport(t, Event.Clone, Kind.Clone, !vfork)
      : this.plainReportSync(t, Event.Clone, Kind.Clone, !vfork);
    if (vfork && rep.action === STOP) t.vforkStop = true;
  }

  /** `utrace_finish_vfork`: stop before the uninterruptible wait for the vfork child. */
  *finishVfork(task: TaskId): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !t.vforkStop) return;
    t.vforkStop = false;
    yield* this.utraceStop(t, RESUME);
  }

  /** `utrace_report_jctl`. */
  *jctl(task: TaskId, type: number, notify: number): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.Jctl)) return;
    if (this.log.enabled) this.logReport(t, 'JCTL', type === 5 ? 'CLD_STOPPED' : 'CLD_CONTINUED');
    t.rep.jctlType = type;
    t.rep.notify = notify;
    if (this.preempt) yield* this.plainReport(t, Event.Jctl, Kind.Jctl, true);
    else this.plainReportSync(t, Event.Jctl, Kind.Jctl, true);
  }

  /** `utrace_report_exit`: STOP holds the thread here, before it tears down (§17 A15). */
  *exit(task: TaskId, code: { value: number }): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & Event.Exit)) return;
    if (this.log.enabled) this.logReport(t, 'EXIT', `code ${code.value}`);
    t.rep.code = code;
    t.rep.origCode = code.value;
    const rep = this.preempt
      ? yield* this.plainReport(t, Event.Exit, Kind.Exit, true)
      : this.plainReportSync(t, Event.Exit, Kind.Exit, true);
    if (rep.action === STOP) yield* this.utraceStop(t, rep.resumeAction);
  }

  /** `utrace_report_death`, then `utrace_maybe_reap(reap=false)`. */
  *death(task: TaskId, groupDead: boolean, signal: number): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || !(t.flags & DEATH_EVENTS)) return;
    if (this.log.enabled) this.logReport(t, 'DEATH', `group_dead ${groupDead} signal ${signal}`);
    t.death = true;
    t.resume = RESUME;
    this.splice(t);
    const rep = t.rep;
    rep.init();
    rep.extra = 0;
    rep.groupDead = groupDead;
    rep.signal = signal;
    if (this.preempt) yield* this.pass(t, rep, Event.Death, Kind.Death, false);
    else this.passSync(t, rep, Event.Death, Kind.Death, false);
    yield* this.maybeReap(t, false);
  }

  /** `tracehook_prepare_release_task` → `utrace_maybe_reap(reap=true)` (reaper's context). */
  *reap(task: TaskId): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || t.flags === 0) return;
    yield* this.maybeReap(t, true);
  }

  /** `utrace_maybe_reap`: the reap teardown happens after the death report, whichever comes last. */
  private *maybeReap(t: TaskUtrace, reap: boolean): Coroutine<void> {
    if (reap) {
      t.reap = true;
      if (t.flags & DEATH_EVENTS) return;
    } else {
      t.death = false;
      if (!t.reap) {
        this.reset(t);
        return;
      }
    }
    t.flags = 0;
    this.splice(t);
    const engines = t.attached;
    t.attached = [];
    t.version++;
    if (this.log.enabled) this.logReport(t, 'REAP');
    for (const e of engines) {
      if (e.flags & Event.Reap && e.ops !== null) {
        const ops = e.ops;
        if (ops !== DETACHED_OPS && ops.reportReap) {
          t.reporting = e;
          if (this.preempt) yield this.point(t, e, 'start', C.reap);
          if (this.log.enabled)
            this.log.add({ kind: 'callback', task: t.tid, engine: e.id, callback: C.reap, action: '' });
          try {
            ops.reportReap(e.ctx);
          } catch (error) {
            this.fault(e, C.reap, error);
          }
          if (this.preempt) yield this.point(t, e, 'return', C.reap);
          t.reporting = null;
        }
      }
      e.ops = null;
      e.flags = 0;
      if (this.log.enabled) this.log.add({ kind: 'detach', task: t.tid, engine: e.id, how: 'reap' });
      this.put(e);
    }
  }

  /** `utrace_resume` (§5.6): the return-to-user point (TIF_NOTIFY_RESUME). */
  *notifyResume(task: TaskId): Coroutine<void> {
    const t = this.tasks.get(task);
    if (t === undefined || t.flags === 0) return;
    if (t.signalHandler) t.signalHandler = false;
    const rep = t.rep;
    rep.init();
    rep.extra = 0;
    const r = this.startReport(t);
    rep.action = r;
    switch (r) {
      case RESUME:
        return;
      case REPORT:
        if (!(t.flags & QUIESCE)) break;
        rep.action = RESUME;
        if (this.log.enabled) this.logReport(t, 'QUIESCE', 'resume');
        if (this.preempt) yield* this.pass(t, rep, 0, Kind.Quiesce, false);
        else this.passSync(t, rep, 0, Kind.Quiesce, false);
        break;
      default:
        rep.spurious = false;
    }
    yield* this.finishResumeReport(t, rep);
  }

  /** `finish_resume_report`: stop now, or arm the interrupt or the step. */
  private *finishResumeReport(t: TaskUtrace, rep: Report): Coroutine<void> {
    this.finishReportReset(t, rep);
    const be = this.backend;
    switch (rep.action) {
      case STOP:
        yield* this.utraceStop(t, rep.resumeAction);
        break;
      case INTERRUPT:
        if (!be.signalPending(t.tid)) be.setSigpending(t.tid);
        break;
      case BLOCKSTEP:
        be.setStep(t.tid, be.canBlockStep ? 'block' : 'single');
        break;
      case SINGLESTEP:
        be.setStep(t.tid, 'single');
        break;
      default:
        be.setStep(t.tid, 'none');
    }
  }

  /** `utrace_interrupt_pending` (via `tracehook_force_sigpending`): an INTERRUPT keeps TIF_SIGPENDING set. */
  interruptPending(task: TaskId): boolean {
    const t = this.tasks.get(task);
    return t !== undefined && t.flags !== 0 && t.resume === INTERRUPT;
  }

  /** `utrace_signal_handler`: after a handler frame was set up. */
  signalHandler(task: TaskId, stepping: boolean): void {
    const t = this.tasks.get(task);
    if (t === undefined || t.flags === 0) return;
    t.signalHandler = true;
    if (t.resume > INTERRUPT) {
      if (stepping) {
        t.resume = INTERRUPT;
        this.backend.setSigpending(task);
      } else if (t.resume === RESUME) {
        this.backend.setNotifyResume(task);
      }
    }
  }

  /** `utrace_get_signal` (§5.7): a no-signal report, or the report of a dequeued signal, and its outcome. */
  *getSignal(task: TaskId): Coroutine<SignalDecision> {
    const t = this.tasks.get(task);
    const be = this.backend;
    if (t === undefined || t.flags === 0) return { signr: 0, info: blankInfo(), action: defaultKa() };
    const rep = t.rep;
    rep.init();
    rep.extra = 0;
    let event: number;
    let origKa: SigAction | null;
    let info = t.info;
    const returnKa = t.returnKa;
    if (t.resume < RESUME || t.pendingAttach || t.signalHandler) {
      this.splice(t);
      rep.result = t.signalHandler ? SignalAction.Handler : SignalAction.Report;
      t.signalHandler = false;
      const r = t.resume;
      t.resume = RESUME;
      if (r > REPORT) {
        rep.action = r;
        rep.spurious = false;
        yield* this.finishResumeReport(t, rep);
        return { signr: -1, info, action: returnKa };
      }
      if (!(t.flags & QUIESCE)) return { signr: -1, info, action: returnKa };
      event = 0;
      origKa = null;
      returnKa.handler = 'default';
      returnKa.address = 0n;
      returnKa.oneshot = false;
      if (this.log.enabled) this.logReport(t, 'SIGNAL', rep.result === SignalAction.Handler ? 'handler' : 'report');
    } else if (!(t.flags & EVENT_SIGNAL_ALL) || be.groupStopPending(task)) {
      // Only SIGNAL_* interest steals signals; QUIESCE alone does not (kernel/utrace.c; §5.7 says otherwise).
      return { signr: 0, info, action: returnKa };
    } else {
      const dq = be.dequeueSignal(task);
      if (dq === null) return { signr: 0, info, action: returnKa };
      info = dq.info;
      t.info = info;
      returnKa.handler = dq.action.handler;
      returnKa.address = dq.action.address;
      returnKa.oneshot = dq.action.oneshot;
      if (info.signo === SIGKILL) return { signr: SIGKILL, info, action: { ...returnKa } };
      [event, rep.result] = classify(info.signo, returnKa);
      if (!(t.flags & (event | QUIESCE))) return { signr: info.signo, info, action: { ...returnKa } };
      origKa = { ...dq.action };
      if (this.log.enabled) this.logReport(t, 'SIGNAL', `signo ${info.signo} ${eventNames(event)}`);
    }

    // The signal pass: one callback per engine (report_signal, or report_quiesce in its place); no
    // start_callback, so no quiesce first and no forcing of STOP by the engine's stop bit.
    const mask = event | QUIESCE;
    let list = t.interested(event, mask | ENGINE_STOP);
    let version = t.version;
    const logging = this.log.enabled;
    for (let k = 0; k < list.length;) {
      const e = list[k] as EngineImpl;
      const ops = e.ops;
      t.reporting = e;
      if (ops === null || !(e.flags & mask)) {
        t.reporting = null;
      } else {
        rep.spurious = false;
        const useSignal = ops.reportSignal !== undefined;
        const name = useSignal ? C.signal : C.quiesce;
        const arg = useSignal ? rep.result | rep.action : rep.action;
        if (this.preempt) yield this.point(t, e, 'start', name);
        if (logging) this.logCallback(t, e, name, arg, useSignal ? 'signal' : 'plain');
        let ret: number;
        try {
          ret = ops.reportSignal
            ? ops.reportSignal(e.ctx, arg, info, origKa, returnKa)
            : rep.result | (ops.reportQuiesce ? ops.reportQuiesce(e.ctx, arg, event) : RESUME);
        } catch (error) {
          ret = rep.result | this.fault(e, name, error);
        }
        if (this.earlyReporting) t.reporting = null;
        if (this.preempt) yield this.point(t, e, 'return', name);
        if (logging) this.logReturn(t, e, name, ret, 'signal');
        const ra = ret & RESUME_MASK;
        if (ra === INTERRUPT || ra === REPORT) ret = (ret & ~RESUME_MASK) | RESUME;
        this.finishCallback(t, rep, e, ret);
        // Under sticky-stop the engine's stop bit is authoritative in every pass. The signal pass has no
        // start_callback to force it, so the literal patch would let a stopped-for engine run on from here.
        if (this.sticky && e.flags & ENGINE_STOP && e.ops !== DETACHED_OPS) rep.action = STOP;
      }
      if (t.version !== version) {
        const next = this.recompute(t, event, mask | ENGINE_STOP, e, false);
        list = next.list;
        k = next.k;
        version = t.version;
      } else {
        k++;
      }
    }

    const hold = (rep.result & SIGNAL_HOLD) !== 0;
    let signr = 0;
    switch (rep.result & SIGNAL_ACTION_MASK) {
      case SignalAction.Term:
        signr = 15;
        break;
      case SignalAction.Core:
        signr = 3;
        break;
      case SignalAction.Stop:
        signr = SIGSTOP;
        break;
      case SignalAction.Tstp:
        signr = 20;
        break;
      case SignalAction.Deliver: {
        const s = info.signo;
        if (returnKa.handler === 'default') {
          if (s !== 0 && !kernelIgnores(s)) {
            signr = s;
            break;
          }
        } else if (returnKa.handler === 'handler' && s !== 0) {
          // The handler will run; an engine that wanted to stop or step gets a HANDLER report after setup.
          if (rep.action !== RESUME) rep.action = INTERRUPT;
          this.finishReport(t, rep, true);
          if (hold) be.pushBackSignal(task, { ...info });
          const action = { ...returnKa };
          if (returnKa.oneshot) {
            returnKa.oneshot = false;
            be.resetSigaction(task, s);
          }
          return { signr: s, info, action };
        }
        // An ignored signal: on the way back to user mode, as below.
        return yield* this.signalIgnored(t, rep, info, hold);
      }
      default:
        return yield* this.signalIgnored(t, rep, info, hold);
    }
    // A default action (terminate, core, stop) for `signr`.
    if ((rep.result & SIGNAL_ACTION_MASK) !== SignalAction.Deliver) {
      returnKa.handler = 'default';
      returnKa.address = 0n;
    }
    this.finishReport(t, rep, true);
    if (hold) be.pushBackSignal(task, { ...info });
    return { signr, info, action: { ...returnKa } };
  }

  /** The IGN/REPORT outcome of a signal pass: stop or step right here, then look again. */
  private *signalIgnored(t: TaskUtrace, rep: Report, info: SigInfo, hold: boolean): Coroutine<SignalDecision> {
    yield* this.finishResumeReport(t, rep);
    if (this.backend.fatalSignalPending(t.tid)) return { signr: SIGKILL, info, action: defaultKa() };
    if (hold) this.backend.pushBackSignal(t.tid, { ...info });
    return { signr: -1, info, action: t.returnKa };
  }

  /** The records of the log (a convenience for tests and traces). */
  records(): readonly LogRecord[] {
    return this.log.records;
  }
}

/** The event bit and signal action for a dequeued signal, from its disposition (§5.7). */
function classify(signo: number, ka: SigAction): [number, number] {
  if (ka.handler === 'ignore') return [Event.SignalIgn, SignalAction.Ign];
  if (ka.handler === 'handler') return [Event.Signal, SignalAction.Deliver];
  switch (defaultAction(signo)) {
    case 'core':
      return [Event.SignalCore, SignalAction.Core];
    case 'ign':
    case 'cont':
      return [Event.SignalIgn, SignalAction.Ign];
    case 'stop':
      return [Event.SignalStop, signo === SIGSTOP ? SignalAction.Stop : SignalAction.Tstp];
    case 'term':
      return [Event.SignalTerm, SignalAction.Term];
  }
}

/** `sig_kernel_ignore`: signals whose default action is to ignore them. */
function kernelIgnores(signo: number): boolean {
  const d = defaultAction(signo);
  return d === 'ign' || d === 'cont';
}

function blankInfo(): SigInfo {
  return { signo: 0, code: 0, errno: 0, pid: 0, addr: 0n };
}

function defaultKa(): SigAction {
  return { handler: 'default', address: 0n, oneshot: false };
}
