/**
 * The deterministic simulator: a small "kernel" that runs workloads (processes and threads running programs of
 * ops), implements the `Backend` the utrace core needs, and schedules every tracee thread, debugger-side
 * coroutine and kernel helper with a pluggable `Scheduler` on virtual time. The same workload, engines, policy and
 * seed give the same event log, byte for byte.
 *
 * Fidelity notes: the syscall paths follow the x86 kernel of the utrace era (entry tracing, the syscall, exit
 * tracing, then the return-to-user loop: signals first, then TIF_NOTIFY_RESUME); signals follow
 * `get_signal_to_deliver` (group stop, CLD notification, utrace's signal hook, dequeue, disposition); exit follows
 * `do_exit` (report_exit, exit_notify, report_death, self-reap of threads). An engine that rewrites the syscall
 * number at entry does not change which op runs (the op is the workload's), but does see its rewritten registers.
 */
import { defaultAction, syscallName, type Arch } from '../../arch/index.js';
import type { Backend, DequeuedSignal, RunState, StepMode } from '../backend.js';
import { CLD_CONTINUED, CLD_STOPPED, DEATH_EVENTS, Event } from '../constants.js';
import { ControlImpl } from '../core/control.js';
import { Utrace, type UtraceOptions } from '../core/utrace.js';
import type { Control, DebuggerHost, SpawnOptions } from '../engine.js';
import type { PolicyName } from '../policy.js';
import type { Coroutine, Point, SigAction, SigInfo, TaskId } from '../types.js';
import { Memory } from './memory.js';
import { RandomScheduler, type Runnable, type Scheduler } from './scheduler.js';
import type { Arg, Op, SyscallOp, Workload } from './workload/types.js';
import { signalNumber } from './workload/constants.js';
import { errnoNumber } from '../../arch/errno.js';
import { signalNumber as standardSignal } from '../../arch/signals.js';
import { archOf, syscallNumber } from './workload/names.js';
import { Coro, type Disposition, SimProcess, SimTask } from './world.js';
import { spawnPeriodic } from '../periodic.js';
import { TimedStarts } from '../timed-starts.js';
import { errorMessage } from '../lib/errors.js';

// The workload's `signalNumber` (strace names, real-time signals) is imported above; these fixed ones come from
// the arch table under a compile-time checked name.
const SIGKILL = standardSignal('SIGKILL');
const SIGTRAP = standardSignal('SIGTRAP');
const SIGSTOP = standardSignal('SIGSTOP');
const SIGCONT = standardSignal('SIGCONT');
const SIGCHLD = standardSignal('SIGCHLD');
const ERESTARTSYS = -512;
const ERESTARTNOHAND = -514;
const EINTR = -4;
const SA_RESTART = 0x10000000n;
const SA_NODEFER = 0x40000000n;
const SA_RESETHAND = 0x80000000n;
const WNOHANG = 1n;
const WUNTRACED = 2n;
const WCONTINUED = 8n;
const SI_USER = 0;
const SI_TKILL = -6;
const SI_KERNEL = 0x80;
const CLD_EXITED = 1;

/** Options of a simulator. */
export interface SimOptions {
  /** Seed of the default random scheduler (default 1). */
  seed?: number;
  /** A scheduler (overrides `seed`). */
  scheduler?: Scheduler;
  policy?: PolicyName;
  keepLog?: boolean;
  /** Default syscall cost in ns when the workload gives none (default 100). */
  syscallNs?: number;
  canSingleStep?: boolean;
  canBlockStep?: boolean;
  /** Record a violation whenever a task goes to user mode while an engine with QUIESCE wants it stopped. */
  checkInvariants?: boolean;
  /** `tickNs` of the runtime (barrier polling period). */
  tickNs?: number;
}

/** Limits of one `run`. */
export interface RunLimits {
  /** Scheduling steps before giving up (default `DEFAULT_MAX_STEPS`). */
  maxSteps?: number;
  /** Absolute virtual time to stop at (ns; default 600 s). */
  maxTime?: number;
}

/** How a run ended. */
export interface RunResult {
  /** `done`: every process was reaped and nothing can run; `deadlock`: tasks remain but nothing can ever run. */
  reason: 'done' | 'deadlock' | 'max-time' | 'max-steps';
  time: number;
  steps: number;
  /** Tasks that are not dead, with their states (`3:traced`). */
  live: string[];
}

const NOOP_HANDLER_ADDR = 0x401000n;
/** Default `RunLimits.maxSteps`. */
const DEFAULT_MAX_STEPS = 20_000_000;

/** The simulator: a `Backend` for the utrace core and a `DebuggerHost` for debugger-side code. */
export class Simulator implements Backend, DebuggerHost {
  readonly name = 'sim';
  readonly arch: Arch;
  readonly canSingleStep: boolean;
  readonly canBlockStep: boolean;
  readonly runtime: Utrace;
  /** Invariant violations seen (with `checkInvariants`). */
  readonly violations: string[] = [];
  /** Exceptions thrown by debugger-side code. */
  readonly debuggerErrors: Array<{ name: string; error: unknown }> = [];
  private time = 0;
  private steps = 0;
  private readonly scheduler: Scheduler;
  private readonly tasks = new Map<number, SimTask>();
  private readonly procs: SimProcess[] = [];
  private coros: Coro[] = [];
  private nextCoroId = 1;
  private nextPid = 100;
  private readonly syscallNs: number;
  private readonly channels = new Map<string, { tokens: number; waiters: SimTask[] }>();
  private timers: Array<{ id: number; at: number; fire: () => void }> = [];
  /** Debugger-side code spawned with a start time and not started yet. */
  private readonly timedStarts = new TimedStarts();
  /** The last timed start's coroutine until it has taken its first step: the next timed start waits for it. */
  private starting: Coro | null = null;
  private nextTimerId = 1;
  private readonly enabled: Coro[] = [];
  private readonly checkInvariants: boolean;
  private readonly workload: Workload;
  private readonly encoder = new TextEncoder();
  private reaperQueue: SimTask[] = [];
  private reaperRunning = false;
  private readonly nrCache = new Map<string, number>();

  constructor(workload: Workload, options: SimOptions = {}) {
    this.workload = workload;
    this.arch = archOf(workload.arch);
    this.canSingleStep = options.canSingleStep ?? true;
    this.canBlockStep = options.canBlockStep ?? true;
    this.scheduler = options.scheduler ?? new RandomScheduler(options.seed ?? 1);
    this.syscallNs = options.syscallNs ?? Number(workload.timing?.syscallNs ?? 100n);
    this.checkInvariants = options.checkInvariants ?? false;
    const rtOptions: UtraceOptions = {};
    if (options.policy !== undefined) rtOptions.policy = options.policy;
    if (options.keepLog !== undefined) rtOptions.keepLog = options.keepLog;
    if (options.tickNs !== undefined) rtOptions.tickNs = options.tickNs;
    this.runtime = new Utrace(this, rtOptions);
    const init = workload.init;
    const pid = this.nextPid++;
    const proc = new SimProcess(pid, null, pid, pid, new Memory());
    this.procs.push(proc);
    const task = this.newTask(pid, proc, init.comm.slice(0, 15));
    for (const [reg, v] of Object.entries(init.regs ?? {})) task.regs[reg] = v;
    task.stack.push({ ops: this.program(init.program).ops, i: 0, left: 0, handler: false });
    this.startTask(task);
  }

  /** The tid of the initial task. */
  get initTask(): TaskId {
    return this.procs[0]?.pid ?? 0;
  }

  /** The process id (thread-group leader's tid) of a task; the tid itself for a task the simulator never had. */
  tgid(task: TaskId): number {
    return this.tasks.get(task)?.proc.pid ?? task;
  }

  /** Every tid that exists now (not reaped), in creation order. */
  liveTasks(): TaskId[] {
    return [...this.tasks.values()].filter((t) => t.state !== 'dead').map((t) => t.tid);
  }

  /** The simulated tasks (dead ones included), processes and pending timers, read-only: the explorer digests
   * them before and after every step to learn what the step wrote. */
  inspect(): {
    tasks: Iterable<SimTask>;
    procs: readonly SimProcess[];
    timers: number;
    timerDeadlines: readonly number[];
    coros: readonly Coro[];
  } {
    return {
      tasks: this.tasks.values(),
      procs: this.procs,
      timers: this.timers.length + this.timedStarts.size,
      // A stateful search tells states apart by when each timer fires and where each coroutine waits.
      timerDeadlines: this.timers.map((t) => t.at),
      coros: this.coros,
    };
  }

  /** The comm of a task. */
  comm(task: TaskId): string {
    return this.tasks.get(task)?.comm ?? '';
  }

  private program(name: string): { ops: readonly Op[] } {
    const p = this.workload.programs[name];
    if (!p) throw new Error(`workload \`${this.workload.name}\` has no program \`${name}\``);
    return p;
  }

  private newTask(tid: number, proc: SimProcess, comm: string): SimTask {
    const regs: Record<string, bigint> = {};
    for (const r of this.arch.registers) regs[r] = 0n;
    regs[this.arch.pc] = 0x401000n;
    regs[this.arch.sp] = 0x7ffffffde000n;
    const task = new SimTask(tid, proc, comm, regs);
    proc.threads.push(task);
    this.tasks.set(tid, task);
    return task;
  }

  private startTask(task: SimTask): void {
    const co = new Coro(this.nextCoroId++, `task ${task.tid}`, 'tracee', this.taskMain(task), task);
    task.co = co;
    this.coros.push(co);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Scheduling
  // ---------------------------------------------------------------------------------------------------------------

  now(): number {
    return this.time;
  }

  spawn(name: string, body: (ctl: Control) => Coroutine<void>, options?: SpawnOptions): void {
    const at = options?.atNs;
    if (at === undefined) {
      this.startDebugger(name, body);
      return;
    }
    // No coroutine until it is due: nothing of it can be scheduled, logged or digested before its time.
    this.timedStarts.add({ at, name, body });
  }

  private startDebugger(name: string, body: (ctl: Control) => Coroutine<void>): Coro {
    const ctl = new ControlImpl(this.runtime, name);
    const co = new Coro(this.nextCoroId++, `debugger ${name}`, 'debugger', this.debuggerMain(name, body(ctl)), null);
    co.wakeAt = this.time;
    this.coros.push(co);
    return co;
  }

  /**
   * Starts the next timed start if it is due and the one before it has taken its first step. Its coroutine is
   * runnable at once, so time cannot pass before that step: starts due together all start at their time, and in
   * the order they were spawned whatever the scheduler picks (as commands typed one after the other would).
   */
  private startDue(): void {
    if (this.starting !== null) return;
    const next = this.timedStarts.takeDue(this.time);
    if (next !== undefined) this.starting = this.startDebugger(next.name, next.body);
  }

  every(name: string, periodNs: number, body: (ctl: Control) => Coroutine<void>): { cancel(): void } {
    return spawnPeriodic(
      (n, b) => this.spawn(n, b),
      name,
      periodNs,
      body,
      () => this.worldAlive(),
    );
  }

  private *debuggerMain(name: string, gen: Coroutine<void>): Coroutine<void> {
    if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'debugger', name, what: 'start' });
    try {
      yield* gen;
      if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'debugger', name, what: 'end' });
    } catch (error) {
      this.debuggerErrors.push({ name, error });
      if (this.runtime.log.enabled)
        this.runtime.log.add({
          kind: 'debugger',
          name,
          what: `failed: ${errorMessage(error)}`,
        });
    }
  }

  /** Whether any simulated process is not yet reaped. */
  worldAlive(): boolean {
    for (const p of this.procs) if (!p.reaped) return true;
    return false;
  }

  private isEnabled(c: Coro): boolean {
    if (c.done) return false;
    if (c.blocked) return c.deadline <= this.time;
    if (c.waitPoint) return c.waitPoint.ready() || c.waitPoint.deadline <= this.time;
    return c.wakeAt <= this.time;
  }

  /** The earliest time a coroutine's sleep, deadline or a timer ends; `Infinity` when none does. */
  private nextWake(): number {
    let next = Infinity;
    for (const c of this.coros) {
      if (c.done) continue;
      const t = c.blocked ? c.deadline : c.waitPoint ? c.waitPoint.deadline : c.wakeAt;
      if (t < next) next = t;
    }
    for (const t of this.timers) if (t.at < next) next = t.at;
    const start = this.timedStarts.first;
    if (start !== undefined && start.at < next) next = start.at;
    return next;
  }

  /** Run until everything is done, nothing can run any more, or a limit is reached. */
  run(limits: RunLimits = {}): RunResult {
    // A bound even by default: an engine that aborts every syscall (exit_group too) loops forever, as in the kernel.
    const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
    const maxTime = limits.maxTime ?? 600e9;
    const enabled = this.enabled;
    if (this.scheduler.choose) return this.runChoosing(maxSteps, maxTime);
    for (;;) {
      if (this.steps >= maxSteps) return this.result('max-steps');
      this.fireTimers();
      this.startDue();
      enabled.length = 0;
      for (const c of this.coros) if (this.isEnabled(c)) enabled.push(c);
      if (enabled.length === 0) {
        const end = this.passTime(this.nextWake(), maxTime);
        if (end) return end;
        continue;
      }
      const c = enabled.length === 1 ? (enabled[0] as Coro) : (enabled[this.pick(enabled)] as Coro);
      this.step(c);
    }
  }

  /** Lets virtual time pass to `next`, the earliest wake-up; the run's result instead when nothing will ever wake
   * (`deadlock` while a task lives, else `done`) or when `maxTime` comes first. */
  private passTime(next: number, maxTime: number): RunResult | null {
    if (next === Infinity) return this.result(this.worldAlive() ? 'deadlock' : 'done');
    if (next > maxTime) {
      this.time = maxTime;
      return this.result('max-time');
    }
    this.time = next;
    return null;
  }

  /** `run` for a scheduler that chooses every step and may keep coroutines parked (see `Scheduler.choose`). */
  private runChoosing(maxSteps: number, maxTime: number): RunResult {
    const sched = this.scheduler;
    const choose = sched.choose?.bind(sched) as NonNullable<Scheduler['choose']>;
    const enabled = this.enabled;
    const parked: Coro[] = [];
    for (;;) {
      if (this.steps >= maxSteps) return this.result('max-steps');
      this.fireTimers();
      this.startDue();
      enabled.length = 0;
      parked.length = 0;
      for (const c of this.coros) {
        if (this.isEnabled(c)) enabled.push(c);
        else if (!c.done && !c.blocked && c.waitPoint && sched.standby?.(c.waitPoint)) parked.push(c);
      }
      const next = enabled.length === 0 ? this.nextWake() : Infinity;
      if (enabled.length + parked.length === 0 && next === Infinity)
        return this.result(this.worldAlive() ? 'deadlock' : 'done');
      const i = enabled.length + parked.length === 0 ? -1 : choose(enabled, parked, next !== Infinity, this.time);
      if (i < 0 && enabled.length === 0) {
        const end = this.passTime(next, maxTime);
        if (end) return end;
        continue;
      }
      const c = (i < enabled.length ? enabled[Math.max(0, i)] : parked[i - enabled.length]) ?? enabled[0] ?? parked[0];
      this.step(c as Coro);
    }
  }

  private pick(enabled: readonly Runnable[]): number {
    const i = this.scheduler.pick(enabled, this.time);
    return Number.isInteger(i) && i >= 0 && i < enabled.length ? i : 0;
  }

  private result(reason: RunResult['reason']): RunResult {
    const live = [...this.tasks.values()].filter((t) => t.state !== 'dead').map((t) => `${t.tid}:${t.state}`);
    return { reason, time: this.time, steps: this.steps, live };
  }

  private step(c: Coro): void {
    const rt = this.runtime;
    rt.preempt = this.coros.length > 1;
    rt.setCurrent(c.simTask ? c.simTask.tid : null);
    rt.caller = c.caller;
    if (c.blocked) {
      // The block's timeout passed.
      c.blocked = false;
      const t = c.simTask;
      if (t && (t.state === 'sleeping' || t.state === 'waiting')) this.wake(t, 'timeout');
    }
    c.waitPoint = null;
    this.steps++;
    const r = c.gen.next();
    if (c === this.starting) this.starting = null;
    if (r.done) {
      c.done = true;
      this.coros = this.coros.filter((x) => x !== c);
      return;
    }
    this.handlePoint(c, r.value);
  }

  private handlePoint(c: Coro, p: Point): void {
    c.point = p;
    switch (p.kind) {
      case 'preempt':
      case 'callback':
        c.wakeAt = this.time;
        break;
      case 'sleep':
        c.wakeAt = this.time + p.ns;
        break;
      case 'wait':
        c.waitPoint = p;
        break;
      case 'blocked': {
        const t = c.simTask;
        c.blocked = t !== null && t.state !== 'running';
        if (!c.blocked) c.wakeAt = this.time;
        break;
      }
    }
  }

  /** Make a blocked task runnable. */
  private wake(t: SimTask, reason: string): void {
    t.state = 'running';
    t.wakeReason = reason;
    t.switches++;
    const c = t.co;
    c.blocked = false;
    c.deadline = Infinity;
    c.wakeAt = this.time;
  }

  private addTimer(at: number, fire: () => void): number {
    const id = this.nextTimerId++;
    this.timers.push({ id, at, fire });
    return id;
  }

  private fireTimers(): void {
    if (this.timers.length === 0) return;
    const due = this.timers.filter((t) => t.at <= this.time);
    if (due.length === 0) return;
    this.timers = this.timers.filter((t) => t.at > this.time);
    due.sort((a, b) => a.at - b.at || a.id - b.id);
    for (const t of due) t.fire();
  }

  private klog(task: number, what: string, detail: string): void {
    if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'kernel', task, what, detail });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Backend
  // ---------------------------------------------------------------------------------------------------------------

  private get(task: TaskId): SimTask {
    const t = this.tasks.get(task);
    if (!t) throw new Error(`no simulated task ${task}`);
    return t;
  }

  exists(task: TaskId): boolean {
    const t = this.tasks.get(task);
    return t !== undefined && t.state !== 'dead';
  }

  runState(task: TaskId): RunState {
    return this.tasks.get(task)?.state ?? 'dead';
  }

  switchCount(task: TaskId): number {
    return this.tasks.get(task)?.switches ?? 0;
  }

  fatalSignalPending(task: TaskId): boolean {
    return this.tasks.get(task)?.killed ?? false;
  }

  signalPending(task: TaskId): boolean {
    const t = this.tasks.get(task);
    if (!t) return false;
    return t.sigpending || t.killed || t.proc.groupStopCount > 0 || this.hasDeliverable(t);
  }

  setNotifyResume(task: TaskId): void {
    const t = this.tasks.get(task);
    if (!t) return;
    t.notifyResume = true;
    this.kick(t);
  }

  setSigpending(task: TaskId): void {
    const t = this.tasks.get(task);
    if (!t) return;
    t.sigpending = true;
    this.kick(t);
  }

  signalWakeUp(task: TaskId): void {
    const t = this.tasks.get(task);
    if (!t) return;
    t.sigpending = true;
    if (t.state === 'sleeping') this.wake(t, 'signal');
    else this.kick(t);
  }

  /** `kick_process`: a task running user code enters the kernel now to look at its work flags. */
  private kick(t: SimTask): void {
    if (t.userUntil > this.time && t.co.wakeAt > this.time) t.co.wakeAt = this.time;
  }

  setSyscallTrace(task: TaskId, on: boolean): void {
    const t = this.tasks.get(task);
    if (t) t.syscallTrace = on;
  }

  setStep(task: TaskId, mode: StepMode): void {
    const t = this.tasks.get(task);
    if (t) t.step = mode;
  }

  enterUtraceStop(task: TaskId): void {
    const t = this.get(task);
    t.state = 'traced';
    t.co.deadline = Infinity;
    const p = t.proc;
    if (p.groupStopCount > 0 && --p.groupStopCount === 0) p.stopStopped = true;
  }

  convertJobStop(task: TaskId): boolean {
    const t = this.get(task);
    if (t.state !== 'stopped') return false;
    t.state = 'traced';
    return true;
  }

  wakeUtraceStop(task: TaskId): void {
    const t = this.get(task);
    if (t.state !== 'traced') return;
    if (t.proc.stopStopped || t.proc.groupStopCount > 0) {
      t.state = 'stopped';
      this.klog(task, 'jctl', 'back to job-control stop');
      return;
    }
    this.wake(t, 'utrace');
  }

  dequeueSignal(task: TaskId): DequeuedSignal | null {
    const t = this.get(task);
    const info = this.takeSignal(t);
    if (!info) return null;
    return { info, action: this.sigAction(t.proc, info.signo) };
  }

  pushBackSignal(task: TaskId, info: SigInfo): void {
    const t = this.get(task);
    t.pending.unshift({ ...info });
    t.sigpending = true;
  }

  groupStopPending(task: TaskId): boolean {
    return (this.tasks.get(task)?.proc.groupStopCount ?? 0) > 0;
  }

  resetSigaction(task: TaskId, signo: number): void {
    this.get(task).proc.sigactions.delete(signo);
  }

  reg(task: TaskId, name: string): bigint {
    const v = this.get(task).regs[name];
    if (v === undefined) throw new RangeError(`\`${name}\` is not a register of ${this.arch.name}`);
    return v;
  }

  regs(task: TaskId): Record<string, bigint> {
    return { ...this.get(task).regs };
  }

  setReg(task: TaskId, name: string, value: bigint): void {
    const t = this.get(task);
    if (!(name in t.regs)) throw new RangeError(`\`${name}\` is not a register of ${this.arch.name}`);
    t.regs[name] = BigInt.asIntN(64, value);
  }

  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array {
    return this.get(task).proc.memory.read(addr, len);
  }

  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void {
    this.get(task).proc.memory.write(addr, bytes);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signals: sending, queues, dispositions
  // ---------------------------------------------------------------------------------------------------------------

  private disposition(p: SimProcess, signo: number): Disposition | undefined {
    return p.sigactions.get(signo);
  }

  private sigAction(p: SimProcess, signo: number): SigAction {
    const d = this.disposition(p, signo);
    if (!d) return { handler: 'default', address: 0n, oneshot: false };
    return {
      handler: d.kind,
      address: d.kind === 'handler' ? NOOP_HANDLER_ADDR + BigInt(signo) * 0x100n : 0n,
      oneshot: (d.flags & SA_RESETHAND) !== 0n,
    };
  }

  /** Whether the signal would be dropped at send time (`sig_ignored`). */
  private ignored(t: SimTask, signo: number): boolean {
    if (t.blocked.has(signo)) return false;
    // utrace keeps ignored signals queued for engines that want to see them (tracehook_consider_ignored_signal).
    if (this.runtime.wants(t.tid, Event.SignalIgn)) return false;
    const d = this.disposition(t.proc, signo);
    if (d?.kind === 'ignore') return true;
    if (d?.kind === 'handler') return false;
    const def = defaultAction(signo);
    return def === 'ign' || def === 'cont';
  }

  private hasDeliverable(t: SimTask): boolean {
    for (const s of t.pending) if (!t.blocked.has(s.signo) || s.signo === SIGKILL) return true;
    for (const s of t.proc.shared) if (!t.blocked.has(s.signo)) return true;
    return false;
  }

  private takeSignal(t: SimTask): SigInfo | null {
    const pick = (q: SigInfo[]): number => {
      let best = -1;
      for (let i = 0; i < q.length; i++) {
        const s = q[i] as SigInfo;
        if (t.blocked.has(s.signo) && s.signo !== SIGKILL) continue;
        if (best < 0 || s.signo < (q[best] as SigInfo).signo) best = i;
      }
      return best;
    };
    let i = pick(t.pending);
    if (i >= 0) return t.pending.splice(i, 1)[0] as SigInfo;
    i = pick(t.proc.shared);
    if (i >= 0) return t.proc.shared.splice(i, 1)[0] as SigInfo;
    return null;
  }

  /** `send_signal` to a process (`thread` null) or one thread, with `prepare_signal`'s job-control side effects. */
  sendSignal(proc: SimProcess, thread: SimTask | null, signo: number, sender: number, code = SI_USER): void {
    if (proc.zombie || proc.reaped) return;
    this.klog(thread?.tid ?? proc.pid, 'signal', `${signo} from ${sender}`);
    const stopSig = defaultAction(signo) === 'stop';
    if (signo === SIGKILL) {
      this.groupKill(proc, SIGKILL);
      return;
    }
    if (stopSig) {
      for (const t of proc.threads) t.pending = t.pending.filter((s) => s.signo !== SIGCONT);
      proc.shared = proc.shared.filter((s) => s.signo !== SIGCONT);
    } else if (signo === SIGCONT) {
      for (const t of proc.threads) t.pending = t.pending.filter((s) => defaultAction(s.signo) !== 'stop');
      proc.shared = proc.shared.filter((s) => defaultAction(s.signo) !== 'stop');
      if (proc.stopStopped || proc.groupStopCount > 0) {
        if (proc.stopStopped) {
          proc.cldPending = CLD_CONTINUED;
          proc.waitContinued = true;
          proc.waitStopped = false;
          this.notifyParent(proc, CLD_CONTINUED);
        }
        proc.stopStopped = false;
        proc.groupStopCount = 0;
        for (const t of proc.threads) {
          if (t.state === 'stopped') {
            this.wake(t, 'SIGCONT');
            if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'wake', task: t.tid, by: 'SIGCONT' });
          }
          if (proc.cldPending) t.sigpending = true;
        }
      }
    }
    const target = thread ?? proc.threads[0];
    if (!target) return;
    if (this.ignored(target, signo)) return;
    const info: SigInfo = { signo, code, errno: 0, pid: sender, addr: 0n };
    const queue = thread ? thread.pending : proc.shared;
    if (signo < 32 && queue.some((s) => s.signo === signo)) return;
    queue.push(info);
    // complete_signal: wake a thread that can take it.
    const taker = thread ?? proc.threads.find((t) => !t.blocked.has(signo) && !t.exiting) ?? null;
    if (taker && !taker.blocked.has(signo)) this.signalWakeUp(taker.tid);
  }

  /** SIGKILL or a group exit: every thread gets SIGKILL and is woken from any stop or sleep. */
  private groupKill(proc: SimProcess, signo: number, status = signo, except: SimTask | null = null): void {
    if (proc.groupExit === null) proc.groupExit = status;
    proc.groupStopCount = 0;
    for (const t of proc.threads) {
      if (t === except || t.exiting || t.state === 'zombie' || t.state === 'dead') continue;
      t.killed = true;
      if (!t.pending.some((s) => s.signo === SIGKILL))
        t.pending.push({ signo: SIGKILL, code: SI_KERNEL, errno: 0, pid: 0, addr: 0n });
      t.sigpending = true;
      if (t.state === 'sleeping' || t.state === 'stopped' || t.state === 'traced' || t.state === 'waiting') {
        const from = t.state;
        this.wake(t, 'SIGKILL');
        if (from === 'traced' || from === 'stopped')
          if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'wake', task: t.tid, by: 'SIGKILL' });
      }
    }
  }

  /** SIGCHLD (or the exit signal) to the parent, and wake its waiters. */
  private notifyParent(proc: SimProcess, why: number): void {
    const parent = proc.parent;
    if (!parent || parent.zombie) return;
    const signo = why === CLD_EXITED ? proc.exitSignal : SIGCHLD;
    if (signo > 0) this.sendSignal(parent, null, signo, proc.pid, why);
    for (const t of parent.threads) if (t.state === 'sleeping' && t.wakeReason === 'wait-child') this.wake(t, 'child');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tracee threads
  // ---------------------------------------------------------------------------------------------------------------

  private *taskMain(task: SimTask): Coroutine<void> {
    for (;;) {
      yield* this.exitToUser(task);
      if (task.exiting) return;
      if (task.interrupted) {
        // No handler took the interruption: restart the call.
        task.restartOp = task.interrupted.op;
        task.interrupted = null;
      }
      if (this.checkInvariants) this.checkUserMode(task);
      let op: Op | null;
      if (task.restartOp) {
        op = task.restartOp;
        task.restartOp = null;
      } else {
        op = this.nextOp(task);
      }
      if (op === null) continue;
      const stepping = task.step !== 'none';
      // Plain syscalls are most ops: call them directly, one generator level less per yield.
      if (op.kind === 'syscall') yield* this.syscall(task, op, this.nr(op.name), op.args, this.plainBody(task, op));
      else yield* this.runOp(task, op);
      if (task.exiting) return;
      if (stepping && !task.exiting) this.queueTrap(task);
    }
  }

  private queueTrap(task: SimTask): void {
    task.pending.push({ signo: SIGTRAP, code: 2, errno: 0, pid: 0, addr: task.regs[this.arch.pc] ?? 0n });
    task.sigpending = true;
  }

  /** A task about to run user code: no engine that keeps QUIESCE may want it stopped. */
  private checkUserMode(task: SimTask): void {
    const ut = this.runtime.taskState(task.tid);
    if (!ut) return;
    for (const e of [...ut.attached, ...ut.attaching]) {
      if (e.ops !== null && e.state === 'attached' && e.flags & 0x4000 && e.flags & Event.Quiesce)
        this.violations.push(`t=${this.time} task ${task.tid} runs user code while e${e.id} wants it stopped`);
    }
  }

  /** The next op of the task's program (handling `repeat`, handler returns and the implicit exit). */
  private nextOp(task: SimTask): Op | null {
    for (;;) {
      const top = task.stack[task.stack.length - 1];
      if (!top) return { kind: 'exit', code: 0, group: task.isLeader };
      if (top.i < top.ops.length) {
        const op = top.ops[top.i++] as Op;
        if (op.kind === 'repeat') {
          if (op.count > 0) task.stack.push({ ops: op.body, i: 0, left: op.count - 1, handler: false });
          continue;
        }
        return op;
      }
      if (top.left > 0) {
        top.left--;
        top.i = 0;
        continue;
      }
      if (top.handler) return { kind: 'sigreturn' };
      if (task.stack.length === 1) return { kind: 'exit', code: 0, group: task.isLeader };
      task.stack.pop();
    }
  }

  /** The return-to-user loop: signals (TIF_SIGPENDING) first, then TIF_NOTIFY_RESUME, until neither is set. */
  private *exitToUser(task: SimTask): Coroutine<void> {
    const rt = this.runtime;
    for (;;) {
      if (task.exiting) return;
      if (task.sigpending || this.signalPending(task.tid)) {
        task.sigpending = false;
        yield* this.doSignal(task);
        if (task.exiting) return;
        // recalc_sigpending, with utrace's tracehook_force_sigpending (a pending INTERRUPT keeps it set).
        task.sigpending =
          task.killed ||
          task.proc.groupStopCount > 0 ||
          task.proc.cldPending !== 0 ||
          this.hasDeliverable(task) ||
          rt.interruptPending(task.tid);
        if (task.sigpending) continue;
      }
      if (task.notifyResume) {
        task.notifyResume = false;
        if (rt.wants(task.tid, 0x7fff)) yield* rt.notifyResume(task.tid);
        continue;
      }
      return;
    }
  }

  /** `get_signal_to_deliver` + `handle_signal`. */
  private *doSignal(task: SimTask): Coroutine<void> {
    const rt = this.runtime;
    const proc = task.proc;
    for (;;) {
      if (task.exiting) return;
      if (proc.groupStopCount > 0 && !task.killed) {
        yield* this.doSignalStop(task, 0);
        continue;
      }
      if (proc.cldPending) {
        const why = proc.cldPending;
        proc.cldPending = 0;
        if (rt.wants(task.tid, Event.Jctl)) yield* rt.jctl(task.tid, why, why);
        continue;
      }
      let signr: number;
      let info: SigInfo;
      let action: SigAction;
      const d = rt.wants(task.tid, 0x7fff) ? yield* rt.getSignal(task.tid) : null;
      if (d !== null && d.signr < 0) continue;
      if (d !== null && d.signr > 0) {
        signr = d.signr;
        info = d.info;
        action = d.action;
      } else {
        const taken = this.takeSignal(task);
        if (!taken) return;
        signr = taken.signo;
        info = taken;
        action = this.sigAction(proc, signr);
        if (action.handler === 'handler' && action.oneshot) proc.sigactions.delete(signr);
      }
      if (signr === SIGKILL) {
        yield* this.doExit(task, proc.groupExit ?? SIGKILL, true);
        return;
      }
      if (action.handler === 'ignore') continue;
      if (action.handler === 'handler') {
        this.setupHandler(task, signr, info);
        rt.signalHandler(task.tid, task.step !== 'none');
        return;
      }
      const def = defaultAction(signr);
      if (def === 'ign' || def === 'cont') continue;
      if (def === 'stop') {
        yield* this.doSignalStop(task, signr);
        continue;
      }
      const status = def === 'core' ? signr | 0x80 : signr;
      this.klog(task.tid, 'fatal', `signal ${signr}`);
      this.groupKill(proc, signr, status, task);
      yield* this.doExit(task, status, true);
      return;
    }
  }

  /** `do_signal_stop`: take part in (or start) a group stop; report_jctl; block in TASK_STOPPED. */
  private *doSignalStop(task: SimTask, signr: number): Coroutine<void> {
    const proc = task.proc;
    const rt = this.runtime;
    if (proc.groupStopCount === 0) {
      if (signr === 0) return;
      proc.groupStopCount = 1;
      for (const t of proc.threads) {
        if (t === task || t.exiting || t.state === 'zombie' || t.state === 'dead') continue;
        if (t.state === 'stopped' || t.state === 'traced') continue;
        proc.groupStopCount++;
        this.signalWakeUp(t.tid);
      }
    }
    const notify = --proc.groupStopCount === 0 ? CLD_STOPPED : 0;
    if (notify) proc.stopStopped = true;
    if (rt.wants(task.tid, Event.Jctl)) yield* rt.jctl(task.tid, CLD_STOPPED, notify);
    if (task.killed) return;
    if (!proc.stopStopped && proc.groupStopCount === 0 && !notify) return; // continued meanwhile
    task.state = 'stopped';
    task.co.deadline = Infinity;
    if (rt.log.enabled) rt.log.add({ kind: 'stop', task: task.tid, reason: 'jctl' });
    if (notify) {
      proc.waitStopped = true;
      proc.waitContinued = false;
      this.notifyParent(proc, CLD_STOPPED);
    }
    yield { kind: 'blocked', reason: 'jctl' };
  }

  /** `handle_signal`: resolve an interrupted syscall, push a frame, run the handler program. */
  private setupHandler(task: SimTask, signr: number, info: SigInfo): void {
    const d = this.disposition(task.proc, signr) ?? this.disposition(task.proc, info.signo);
    const retReg = this.arch.syscallRet;
    let restart: Op | null = null;
    if (task.interrupted) {
      const { op, code } = task.interrupted;
      task.interrupted = null;
      if (code === ERESTARTSYS && d && (d.flags & SA_RESTART) !== 0n) restart = op;
      else task.regs[retReg] = BigInt(EINTR);
    }
    const saved = task.suspendSaved ?? new Set(task.blocked);
    task.suspendSaved = null;
    task.blocked = new Set(task.blocked);
    if (!d || !(d.flags & SA_NODEFER)) task.blocked.add(signr);
    for (const m of d?.mask ?? []) task.blocked.add(m);
    task.blocked.delete(SIGKILL);
    task.blocked.delete(SIGSTOP);
    const inline = !d?.program;
    task.frames.push({
      savedBlocked: saved,
      depth: inline ? -1 : task.stack.length,
      restart,
      savedRet: task.regs[retReg] ?? 0n,
    });
    if (!inline) task.stack.push({ ops: this.program(d?.program as string).ops, i: 0, left: 0, handler: true });
    this.klog(task.tid, 'handler', `signal ${signr}`);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Ops
  // ---------------------------------------------------------------------------------------------------------------

  private *runOp(task: SimTask, op: Op): Coroutine<void> {
    switch (op.kind) {
      case 'compute': {
        // User-mode work. A kick (TIF_NOTIFY_RESUME or TIF_SIGPENDING set from elsewhere) interrupts it, as the
        // kernel's IPI does: the task takes the return-to-user path at once, then computes the rest.
        let left = Number(op.ns);
        while (left > 0) {
          const start = this.time;
          task.userUntil = start + left;
          task.costPoint.ns = left;
          yield task.costPoint;
          task.userUntil = 0;
          left -= this.time - start;
          if (left > 0) {
            yield* this.exitToUser(task);
            if (task.exiting) return;
            if (this.checkInvariants) this.checkUserMode(task);
          }
        }
        return;
      }
      case 'repeat':
        return;
      case 'signal-in': {
        const signo = signalNumber(op.signal) ?? 0;
        this.sendSignal(task.proc, task, signo, op.senderPid ?? 0, SI_USER);
        yield { kind: 'sleep', ns: 0 };
        return;
      }
      case 'syscall':
        yield* this.syscall(task, op, this.nr(op.name), op.args, () =>
          op.block || op.wake ? this.plainSyscall(task, op) : this.resultValue(task, op),
        );
        return;
      case 'clone':
        yield* this.cloneOp(task, op);
        return;
      case 'exec':
        yield* this.execOp(task, op);
        return;
      case 'exit': {
        const nr = this.nr(op.group ? 'exit_group' : 'exit');
        yield* this.syscall(task, op, nr, [{ kind: 'int', value: BigInt(op.code) }], () => this.exitOp(task, op), true);
        return;
      }
      case 'kill':
        yield* this.killOp(task, op);
        return;
      case 'wait':
        yield* this.waitOp(task, op);
        return;
      case 'sigaction': {
        const signo = signalNumber(op.signal) ?? 0;
        const args: Arg[] = [
          { kind: 'int', value: BigInt(signo) },
          { kind: 'struct', text: op.action, size: 32 },
          { kind: 'int', value: 0n },
          { kind: 'int', value: 8n },
        ];
        yield* this.syscall(task, op, this.nr('rt_sigaction'), args, () => {
          if (op.result) return this.errno(op.result.errno);
          if (op.action === 'query') return 0n;
          if ((signo === SIGKILL || signo === SIGSTOP) && op.action !== 'default') return -22n;
          const disp: Disposition = {
            kind: op.action,
            flags: op.flags ?? 0n,
            mask: (op.mask ?? []).map((s) => signalNumber(s) ?? 0),
          };
          if (op.handler !== undefined) disp.program = op.handler;
          if (op.action === 'default') task.proc.sigactions.delete(signo);
          else task.proc.sigactions.set(signo, disp);
          return 0n;
        });
        return;
      }
      case 'sigmask': {
        const sigs = op.signals.map((s) => signalNumber(s) ?? 0).filter((s) => s !== SIGKILL && s !== SIGSTOP);
        const how = { block: 0n, unblock: 1n, set: 2n }[op.how];
        yield* this.syscall(task, op, this.nr('rt_sigprocmask'), [{ kind: 'int', value: how }], () => {
          if (op.how === 'set') task.blocked = new Set(sigs);
          else {
            task.blocked = new Set(task.blocked);
            for (const s of sigs)
              if (op.how === 'block') task.blocked.add(s);
              else task.blocked.delete(s);
          }
          if (this.hasDeliverable(task)) task.sigpending = true;
          return 0n;
        });
        return;
      }
      case 'sigreturn':
        yield* this.syscall(task, op, this.nr('rt_sigreturn'), [], () => this.sigreturn(task));
        return;
      case 'timer':
        yield* this.timerOp(task, op);
        return;
      case 'setpgid': {
        yield* this.syscall(task, op, this.nr('setpgid'), [], () => {
          if (op.result) return this.errno(op.result.errno);
          const target = op.target.kind === 'self' ? task.proc : task.proc.childLabels.get(op.target.label);
          const leader = op.leader.kind === 'self' ? task.proc : task.proc.childLabels.get(op.leader.label);
          if (!target || !leader) return -3n;
          target.pgid = leader.pid;
          return 0n;
        });
        return;
      }
    }
  }

  /** The body of a plain syscall op: a generator only when it can block. */
  private plainBody(task: SimTask, op: SyscallOp): () => Coroutine<bigint> | bigint {
    return () => (op.block || op.wake ? this.plainSyscall(task, op) : this.resultValue(task, op));
  }

  private nr(name: string): number {
    let nr = this.nrCache.get(name);
    if (nr === undefined) {
      nr = syscallNumber(this.arch, name) ?? -1;
      this.nrCache.set(name, nr);
    }
    return nr;
  }

  private errno(name: string): bigint {
    return BigInt(-(errnoNumber(name) ?? 22));
  }

  /** Place an argument in the task's memory (or return the integer) for the syscall registers. */
  private placeArg(task: SimTask, a: Arg): bigint {
    const mem = task.proc.memory;
    switch (a.kind) {
      case 'int':
        return a.value;
      case 'str': {
        const bytes = this.encoder.encode(a.value);
        const addr = mem.alloc(bytes.length + 1);
        const z = new Uint8Array(bytes.length + 1);
        z.set(bytes);
        mem.write(addr, z);
        return addr;
      }
      case 'strs': {
        const ptrs = a.values.map((v) => this.placeArg(task, { kind: 'str', value: v }));
        const arr = mem.alloc((ptrs.length + 1) * 8);
        const view = new DataView(new ArrayBuffer((ptrs.length + 1) * 8));
        ptrs.forEach((p, i) => view.setBigUint64(i * 8, p, true));
        mem.write(arr, new Uint8Array(view.buffer));
        return arr;
      }
      case 'buf': {
        const addr = mem.alloc(a.size);
        if (a.hex) mem.write(addr, Uint8Array.from(Buffer.from(a.hex, 'hex')));
        return addr;
      }
      case 'struct':
        return mem.alloc(a.size ?? 64);
    }
  }

  /**
   * One system call: registers, entry report (with the RESUMED loop), the body (which may block), the cost,
   * the exit report. `noExit` for `exit`/`exit_group`, whose body never returns to the caller.
   */
  private *syscall(
    task: SimTask,
    op: Op,
    nr: number,
    args: readonly Arg[],
    body: () => Coroutine<bigint> | bigint,
    noExit = false,
  ): Coroutine<void> {
    const rt = this.runtime;
    const regs = task.regs;
    const arch = this.arch;
    const mark = task.proc.memory.mark();
    regs[arch.syscallNr] = BigInt(nr);
    if (arch.name === 'x86_64') regs.rax = -38n;
    for (let i = 0; i < 6; i++) {
      const a = args[i];
      regs[arch.syscallArgs[i] as string] = a === undefined ? 0n : this.placeArg(task, a);
    }
    if (rt.log.enabled) this.klog(task.tid, 'syscall', `${syscallName(arch, nr)} nr ${nr}`);
    let abort = false;
    if (task.syscallTrace && rt.wants(task.tid, Event.SyscallEntry)) {
      const fast = rt.syscallEntryFast(task.tid);
      if (fast === undefined) abort = yield* rt.syscallEntry(task.tid);
      else if (fast === null) abort = yield* rt.syscallEntry(task.tid, true);
      else abort = fast;
    }
    let ret: bigint;
    if (abort || task.killed) {
      ret = task.killed && !abort ? BigInt(EINTR) : (regs[arch.syscallRet] ?? -38n);
    } else {
      const b = body();
      ret = typeof b === 'bigint' ? b : yield* b;
      if (task.exiting) return;
    }
    const cost = 'costNs' in op && op.costNs !== undefined ? Number(op.costNs) : this.syscallNs;
    if (cost > 0) {
      // One reusable point per task: the scheduler reads it at once, so no allocation per syscall.
      task.costPoint.ns = cost;
      yield task.costPoint;
    }
    if (noExit && !abort) return;
    regs[arch.syscallRet] = BigInt.asIntN(64, ret);
    if (task.syscallTrace && rt.wants(task.tid, Event.SyscallExit) && !rt.syscallExitFast(task.tid))
      yield* rt.syscallExit(task.tid);
    task.proc.memory.release(mark);
  }

  /** Sleep interruptibly (TASK_INTERRUPTIBLE) until woken, a signal, or `deadline`. Returns the wake reason. */
  private *sleep(task: SimTask, reason: string, deadline: number): Coroutine<string> {
    if (task.killed || this.hasDeliverable(task) || task.sigpending) return 'signal';
    task.state = 'sleeping';
    task.wakeReason = reason;
    task.co.deadline = deadline;
    yield { kind: 'blocked', reason };
    return task.wakeReason;
  }

  private *plainSyscall(task: SimTask, op: SyscallOp): Coroutine<bigint> {
    const block = op.block;
    if (block) {
      if (block.until === 'time') {
        const ns = task.remainingNs ?? Number(block.ns);
        task.remainingNs = null;
        const start = this.time;
        const why = yield* this.sleep(task, 'nanosleep', this.time + ns);
        if (why !== 'timeout') {
          task.remainingNs = Math.max(0, ns - (this.time - start));
          task.interrupted = { op, code: ERESTARTSYS };
          return BigInt(ERESTARTSYS);
        }
      } else if (block.until === 'signal') {
        if (block.mask) {
          task.suspendSaved = new Set(task.blocked);
          task.blocked = new Set(block.mask.map((s) => signalNumber(s) ?? 0));
        }
        yield* this.sleep(task, 'pause', Infinity);
        task.interrupted = { op, code: ERESTARTNOHAND };
        return BigInt(ERESTARTNOHAND);
      } else {
        const ch = this.channel(block.channel);
        if (ch.tokens > 0) ch.tokens--;
        else {
          ch.waiters.push(task);
          const deadline = block.timeoutNs === undefined ? Infinity : this.time + Number(block.timeoutNs);
          const why = yield* this.sleep(task, `wake:${block.channel}`, deadline);
          if (why !== 'token') {
            ch.waiters = ch.waiters.filter((t) => t !== task);
            if (why === 'timeout') return op.result ? this.resultValue(task, op) : -110n;
            task.interrupted = { op, code: ERESTARTSYS };
            return BigInt(ERESTARTSYS);
          }
        }
      }
    }
    if (op.wake) this.post(op.wake.channel, op.wake.count ?? 1);
    return this.resultValue(task, op);
  }

  private resultValue(task: SimTask, op: SyscallOp): bigint {
    const r = op.result;
    if (!r) return 0n;
    if (r.kind === 'value') return r.value;
    if (r.kind === 'errno') return this.errno(r.errno);
    switch (op.name) {
      case 'getpid':
        return BigInt(task.proc.pid);
      case 'gettid':
      case 'set_tid_address':
        return BigInt(task.tid);
      case 'getppid':
        return BigInt(task.proc.parent?.pid ?? 1);
      case 'getpgrp':
      case 'getpgid':
        return BigInt(task.proc.pgid);
      case 'getsid':
        return BigInt(task.proc.sid);
      default:
        return 0n;
    }
  }

  private channel(name: string): { tokens: number; waiters: SimTask[] } {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = { tokens: 0, waiters: [] };
      this.channels.set(name, ch);
    }
    return ch;
  }

  private post(name: string, count: number): void {
    const ch = this.channel(name);
    for (let i = 0; i < count; i++) {
      const w = ch.waiters.shift();
      if (w) this.wake(w, 'token');
      else ch.tokens++;
    }
  }

  private *cloneOp(task: SimTask, op: Extract<Op, { kind: 'clone' }>): Coroutine<void> {
    const args: Arg[] = op.via === 'clone' ? [{ kind: 'int', value: op.flags }] : [];
    yield* this.syscall(
      task,
      op,
      this.nr(op.via),
      args,
      function* (this: Simulator): Coroutine<bigint> {
        if (op.result) return this.errno(op.result.errno);
        const rt = this.runtime;
        const parentProc = task.proc;
        const tid = this.nextPid++;
        let proc: SimProcess;
        if (op.mode === 'thread') {
          proc = parentProc;
        } else {
          const mem = op.mode === 'vfork' ? parentProc.memory : parentProc.memory.clone();
          proc = new SimProcess(tid, parentProc, parentProc.pgid, parentProc.sid, mem);
          proc.exitSignal = Number(op.flags & 0xffn) || SIGCHLD;
          for (const [k, v] of parentProc.sigactions) proc.sigactions.set(k, v);
          parentProc.children.push(proc);
          this.procs.push(proc);
          if (op.child.label) parentProc.childLabels.set(op.child.label, proc);
        }
        const child = this.newTask(tid, proc, (op.child.comm ?? task.comm).slice(0, 15));
        if (op.mode === 'thread' && op.child.label) parentProc.threadLabels.set(op.child.label, child);
        Object.assign(child.regs, task.regs);
        child.regs[this.arch.syscallRet] = 0n;
        child.blocked = new Set(task.blocked);
        child.exitWake = op.child.exitWake;
        child.stack.push({ ops: this.program(op.child.program).ops, i: 0, left: 0, handler: false });
        this.klog(task.tid, 'clone', `${op.mode} child ${tid}`);
        // report_clone runs before the child can run (wake_up_new_task is held back).
        if (rt.wants(task.tid, Event.Clone)) yield* rt.clone(task.tid, op.flags, tid);
        this.startTask(child);
        if (op.mode === 'vfork') {
          child.vforkParent = task;
          yield* rt.finishVfork(task.tid);
          if (!child.vforkDone) {
            task.state = 'waiting';
            task.co.deadline = Infinity;
            yield { kind: 'blocked', reason: 'vfork' };
          }
        }
        return BigInt(tid);
      }.bind(this),
    );
  }

  private releaseVfork(child: SimTask): void {
    const parent = child.vforkParent;
    child.vforkDone = true;
    child.vforkParent = null;
    if (parent && parent.state === 'waiting') this.wake(parent, 'vfork-done');
  }

  private *execOp(task: SimTask, op: Extract<Op, { kind: 'exec' }>): Coroutine<void> {
    const args: Arg[] = [
      { kind: 'str', value: op.path },
      { kind: 'strs', values: op.argv },
      { kind: 'strs', values: op.envp ?? [] },
    ];
    yield* this.syscall(
      task,
      op,
      this.nr('execve'),
      args,
      function* (this: Simulator): Coroutine<bigint> {
        if (op.result) return this.errno(op.result.errno);
        const proc = task.proc;
        // de_thread: the other threads die first.
        for (const t of proc.threads) {
          if (t === task || t.exiting || t.state === 'zombie' || t.state === 'dead') continue;
          t.killed = true;
          t.pending.push({ signo: SIGKILL, code: SI_KERNEL, errno: 0, pid: 0, addr: 0n });
          if (t.state !== 'running') this.wake(t, 'SIGKILL');
        }
        if (task.vforkParent) {
          proc.memory = proc.memory.clone();
          this.releaseVfork(task);
        } else {
          proc.memory = new Memory();
        }
        for (const [signo, d] of [...proc.sigactions]) if (d.kind === 'handler') proc.sigactions.delete(signo);
        task.comm = (op.comm ?? op.path.split('/').pop() ?? op.path).slice(0, 15);
        task.stack = [{ ops: this.program(op.program as string).ops, i: 0, left: 0, handler: false }];
        task.frames = [];
        this.klog(task.tid, 'exec', op.path);
        if (this.runtime.wants(task.tid, Event.Exec))
          yield* this.runtime.exec(task.tid, { filename: op.path, argv: op.argv });
        return 0n;
      }.bind(this),
    );
  }

  private *exitOp(task: SimTask, op: Extract<Op, { kind: 'exit' }>): Coroutine<bigint> {
    const status = (op.code & 0xff) << 8;
    if (op.group) this.groupKill(task.proc, 0, status, task);
    yield* this.doExit(task, status, op.group);
    return 0n;
  }

  /** `do_exit`: report_exit (may stop), exit_notify, report_death, then reap (threads reap themselves). */
  private *doExit(task: SimTask, status: number, _group: boolean): Coroutine<void> {
    if (task.exiting) return;
    task.exiting = true;
    const rt = this.runtime;
    const code = { value: status };
    if (rt.wants(task.tid, Event.Exit)) yield* rt.exit(task.tid, code);
    if (task.vforkParent) this.releaseVfork(task);
    if (task.exitWake) this.post(task.exitWake, 1);
    const proc = task.proc;
    task.state = 'zombie';
    task.co.deadline = Infinity;
    this.klog(task.tid, 'exit', `status 0x${code.value.toString(16)}`);
    const groupDead = proc.threads.every((t) => t.state === 'zombie' || t.state === 'dead');
    if (groupDead) {
      proc.zombie = true;
      proc.exitStatus = proc.groupExit ?? code.value;
    }
    const signal = groupDead ? (proc.parent ? proc.exitSignal : SIGCHLD) : -1;
    if (groupDead) this.notifyParent(proc, CLD_EXITED);
    if (rt.wants(task.tid, DEATH_EVENTS)) yield* rt.death(task.tid, groupDead, signal);
    if (!task.isLeader) {
      yield* this.release(task);
      if (groupDead && proc.parent === null) this.queueReap(proc);
    } else if (groupDead && (proc.parent === null || proc.parent.zombie)) {
      this.queueReap(proc);
    }
  }

  /** `release_task`: report_reap (in the caller's context), then the task is gone. */
  private *release(task: SimTask): Coroutine<void> {
    if (task.state === 'dead') return;
    task.state = 'dead';
    const rt = this.runtime;
    this.klog(task.tid, 'reap', '');
    yield* rt.reap(task.tid);
    const proc = task.proc;
    if (proc.threads.every((t) => t.state === 'dead')) {
      proc.reaped = true;
      if (proc.parent) {
        const idx = proc.parent.children.indexOf(proc);
        if (idx >= 0) proc.parent.children.splice(idx, 1);
      }
      for (const c of proc.children) {
        c.parent = null;
        if (c.zombie) this.queueReap(c);
      }
    }
  }

  /** The reaper (the simulator's init) reaps orphans and the initial process. */
  private queueReap(proc: SimProcess): void {
    for (const t of proc.threads) if (t.state === 'zombie' && !this.reaperQueue.includes(t)) this.reaperQueue.push(t);
    if (this.reaperRunning) return;
    this.reaperRunning = true;
    const co = new Coro(this.nextCoroId++, 'reaper', 'kernel', this.reaperMain(), null);
    co.wakeAt = this.time;
    this.coros.push(co);
  }

  private *reaperMain(): Coroutine<void> {
    while (this.reaperQueue.length > 0) {
      const t = this.reaperQueue.shift() as SimTask;
      yield* this.release(t);
    }
    this.reaperRunning = false;
  }

  private sigreturn(task: SimTask): bigint {
    const frame = task.frames.pop();
    if (!frame) return 0n;
    task.blocked = frame.savedBlocked;
    if (frame.depth >= 0) task.stack.length = frame.depth;
    if (frame.restart) task.restartOp = frame.restart;
    if (this.hasDeliverable(task)) task.sigpending = true;
    return frame.savedRet;
  }

  private *killOp(task: SimTask, op: Extract<Op, { kind: 'kill' }>): Coroutine<void> {
    const signo = op.signal === '0' ? 0 : (signalNumber(op.signal) ?? 0);
    const p = task.proc;
    const targets: Array<[SimProcess, SimTask | null]> = [];
    let pidArg = 0;
    switch (op.target.kind) {
      case 'self':
        targets.push([p, null]);
        pidArg = p.pid;
        break;
      case 'thread-self':
        targets.push([p, task]);
        pidArg = task.tid;
        break;
      case 'parent':
        if (p.parent) targets.push([p.parent, null]);
        pidArg = p.parent?.pid ?? 1;
        break;
      case 'child': {
        const c = p.childLabels.get(op.target.label);
        if (c && !c.reaped) targets.push([c, null]);
        pidArg = c?.pid ?? 0;
        break;
      }
      case 'thread': {
        const t = p.threadLabels.get(op.target.label);
        if (t && t.state !== 'dead') targets.push([p, t]);
        pidArg = t?.tid ?? 0;
        break;
      }
      case 'pgrp':
        for (const q of this.procs) if (!q.reaped && q.pgid === p.pgid) targets.push([q, null]);
        pidArg = 0;
        break;
      case 'child-pgrp': {
        const c = p.childLabels.get(op.target.label);
        const g = c?.pid ?? -1;
        for (const q of this.procs) if (!q.reaped && q.pgid === g) targets.push([q, null]);
        pidArg = -g;
        break;
      }
      case 'pid': {
        const pid = op.target.pid;
        if (pid > 0) {
          const q = this.procs.find((x) => x.pid === pid && !x.reaped);
          if (q) targets.push([q, null]);
        } else {
          for (const q of this.procs) if (!q.reaped && q.pgid === -pid) targets.push([q, null]);
        }
        pidArg = pid;
        break;
      }
    }
    const args: Arg[] =
      op.via === 'tgkill'
        ? [
            { kind: 'int', value: BigInt(p.pid) },
            { kind: 'int', value: BigInt(pidArg) },
            { kind: 'int', value: BigInt(signo) },
          ]
        : [
            { kind: 'int', value: BigInt(pidArg) },
            { kind: 'int', value: BigInt(signo) },
          ];
    yield* this.syscall(task, op, this.nr(op.via), args, () => {
      if (op.result) return this.errno(op.result.errno);
      if (targets.length === 0) return -3n;
      if (signo !== 0)
        for (const [q, t] of targets) this.sendSignal(q, t, signo, task.proc.pid, t ? SI_TKILL : SI_USER);
      return 0n;
    });
  }

  private *waitOp(task: SimTask, op: Extract<Op, { kind: 'wait' }>): Coroutine<void> {
    const p = task.proc;
    const matches = (c: SimProcess): boolean => {
      switch (op.target.kind) {
        case 'any':
          return true;
        case 'child':
          return p.childLabels.get(op.target.label) === c;
        case 'child-pgrp': {
          const g = p.childLabels.get(op.target.label)?.pid;
          return c.pgid === g;
        }
      }
    };
    const pidArg = op.target.kind === 'any' ? -1n : BigInt(p.childLabels.get(op.target.label)?.pid ?? 0);
    const args: Arg[] = [
      { kind: 'int', value: pidArg },
      { kind: 'struct', text: 'status', size: 4 },
      { kind: 'int', value: op.options },
    ];
    yield* this.syscall(
      task,
      op,
      this.nr(op.via),
      args,
      function* (this: Simulator): Coroutine<bigint> {
        if (op.result) return this.errno(op.result.errno);
        for (;;) {
          const kids = p.children.filter(matches);
          if (kids.length === 0) return -10n;
          const z = kids.find((c) => c.zombie && c.threads.every((t) => t.state !== 'running'));
          const dying = kids.find((c) => c.zombie);
          if (z || dying) {
            const c = (z ?? dying) as SimProcess;
            for (const t of c.threads) if (t.state === 'zombie') yield* this.release(t);
            return BigInt(c.pid);
          }
          if (op.options & WUNTRACED) {
            const s = kids.find((c) => c.waitStopped);
            if (s) {
              s.waitStopped = false;
              return BigInt(s.pid);
            }
          }
          if (op.options & WCONTINUED) {
            const s = kids.find((c) => c.waitContinued);
            if (s) {
              s.waitContinued = false;
              return BigInt(s.pid);
            }
          }
          if (op.options & WNOHANG) return 0n;
          const why = yield* this.sleep(task, 'wait-child', Infinity);
          // Linux's do_wait looks for a child to report before it looks at pending signals: the SIGCHLD that
          // announced a zombie must not make wait4 fail with EINTR instead of reaping it.
          const reportable = (c: SimProcess): boolean =>
            c.zombie ||
            ((op.options & WUNTRACED) !== 0n && c.waitStopped) ||
            ((op.options & WCONTINUED) !== 0n && c.waitContinued);
          if (why !== 'child' && !p.children.some((c) => matches(c) && reportable(c))) {
            task.interrupted = { op, code: ERESTARTSYS };
            return BigInt(ERESTARTSYS);
          }
        }
      }.bind(this),
    );
  }

  private *timerOp(task: SimTask, op: Extract<Op, { kind: 'timer' }>): Coroutine<void> {
    const proc = task.proc;
    const args: Arg[] =
      op.via === 'alarm'
        ? [{ kind: 'int', value: op.valueNs / 1_000_000_000n }]
        : [{ kind: 'int', value: BigInt(['real', 'virtual', 'prof'].indexOf(op.which)) }];
    yield* this.syscall(task, op, this.nr(op.via), args, () => {
      const signo = op.which === 'real' ? 14 : op.which === 'virtual' ? 26 : 27;
      const old = proc.itimers.get(op.which);
      if (old) this.timers = this.timers.filter((t) => t.id !== old.id);
      proc.itimers.delete(op.which);
      const value = Number(op.valueNs);
      const interval = Number(op.intervalNs ?? 0n);
      if (value > 0) {
        const arm = (at: number): void => {
          const id = this.addTimer(at, () => {
            proc.itimers.delete(op.which);
            if (proc.zombie || proc.reaped) return;
            this.sendSignal(proc, null, signo, 0, SI_KERNEL);
            if (interval > 0) arm(this.time + interval);
          });
          proc.itimers.set(op.which, { id });
        };
        arm(this.time + value);
      }
      return 0n;
    });
  }

  /** Send a signal from outside the simulated world (a terminal, another user): `kill(pid, sig)`. */
  kill(pid: number, signo: number): boolean {
    const proc = this.procs.find((p) => p.pid === pid && !p.reaped);
    if (!proc) {
      const t = this.tasks.get(pid);
      if (!t || t.state === 'dead') return false;
      this.sendSignal(t.proc, t, signo, 0, SI_USER);
      return true;
    }
    this.sendSignal(proc, null, signo, 0, SI_USER);
    return true;
  }
}
