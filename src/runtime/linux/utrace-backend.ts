/**
 * The runtime core's `Backend` on real processes: each ptrace stop is turned into the kernel path utrace would take
 * at that point (the tracehooks of `kernel/utrace.c`), and the core's report-point coroutines run there, on the
 * tracer thread. A coroutine that blocks in `utrace_stop` keeps its task in the ptrace stop until the core wakes it
 * (`wakeUtraceStop`), so the core's stop bookkeeping, arbitration between engines, `control` results and `barrier`
 * are the same code as on the simulator.
 *
 * The kernel paths, per ptrace stop:
 * - syscall entry: report_syscall_entry (ABORT skips the syscall, which returns -ENOSYS);
 * - syscall exit: report_syscall_exit, then the return to user mode (signals pending for utrace, TIF_NOTIFY_RESUME);
 * - signal delivery: utrace_get_signal with that signal dequeued; its decision is what ptrace delivers;
 * - clone/fork/vfork: report_clone with the child already known (it cannot run before its first stop is resumed),
 *   then the vfork stop; the child's first stop is its return to user mode;
 * - exec: report_exec; exit: report_exit (STOP holds the thread there); death: report_death then the reap;
 * - job-control stop and continue: report_jctl; a task stopped by job control stays stopped (PTRACE_LISTEN);
 * - every other stop (PTRACE_INTERRUPT, attach, step): the return to user mode.
 * Every stop is a report point: a request the core made of a running task (`setNotifyResume`, `setSigpending`,
 * `signalWakeUp`) interrupts it (PTRACE_INTERRUPT) and is served at its next stop of any kind.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { type Arch, signalNumber } from '../../arch/index.js';
import type { Backend, DequeuedSignal, ReportPoints, RunState, StepMode } from '../backend.js';
import { ALL_EVENTS, CLD_CONTINUED, CLD_STOPPED, CloneFlags, DEATH_EVENTS, Event } from '../constants.js';
import type { Coroutine, Point, SigAction, SigInfo, TaskId } from '../types.js';
import type { StopEvent, TraceEvent } from './events.js';
import type { ResumeOptions, Tracer } from './tracer.js';
import type { ExitStatus } from './wait-status.js';

const ENOSYS = 38n;
const SIGCHLD = signalNumber('SIGCHLD');
const SIGTRAP = signalNumber('SIGTRAP');
/** The signals whose siginfo carries a fault address (si_addr) rather than a sender (si_pid). */
const FAULT_SIGNALS: ReadonlySet<number> = new Set(
  (['SIGILL', 'SIGBUS', 'SIGFPE', 'SIGSEGV'] as const).map((name) => signalNumber(name)),
);

/** What a task looks like to the core, and what the adapter holds for it. */
interface LinuxTask {
  readonly tid: TaskId;
  tgid: number;
  state: RunState;
  /** The ptrace stop the task is held in, or null while it runs. */
  stop: StopEvent | null;
  /** The kernel path of the current stop, when it has not finished (blocked in utrace_stop). */
  co: Coroutine<ResumeOptions> | null;
  notifyResume: boolean;
  sigpending: boolean;
  syscallTrace: boolean;
  step: StepMode;
  jobStopped: boolean;
  switches: number;
  /** Signals utrace may dequeue (the one of the current signal stop, and those pushed back). */
  queue: DequeuedSignal[];
  /** Signals pushed back (UTRACE_SIGNAL_HOLD) that must be queued again in the kernel when the task resumes. */
  held: SigInfo[];
  /** Registers known at this stop without asking the kernel (from the syscall information). */
  known: Record<string, bigint>;
  /** The registers known at the last syscall entry, still valid at its exit (the kernel preserves them). */
  entry: Record<string, bigint> | null;
  /** Every register, read once per stop when needed. */
  regs: Record<string, bigint> | null;
}

const BLOCKED: Point = { kind: 'blocked', reason: 'job-control stop converted to a utrace stop' };

/** The Linux backend of the utrace core. Create it on the tracer thread, after spawning or attaching. */
export class LinuxBackend implements Backend {
  readonly name = 'linux';
  readonly arch: Arch;
  readonly canSingleStep = true;
  readonly canBlockStep: boolean;

  private readonly tasks = new Map<TaskId, LinuxTask>();
  private readonly runnable: LinuxTask[] = [];
  private points: ReportPoints | undefined;
  private readonly settled: (() => void)[] = [];
  /** Syscalls after which no register keeps its entry value. */
  private readonly replacesRegisters: ReadonlySet<number>;
  private readonly start = process.hrtime.bigint();
  private draining = false;

  constructor(private readonly tracer: Tracer) {
    this.arch = tracer.arch.arch;
    this.canBlockStep = tracer.arch.hasBlockStep;
    const replacing = ['execve', 'execveat', 'rt_sigreturn'].map((name) => this.arch.syscalls[name]);
    this.replacesRegisters = new Set(replacing.filter((n): n is number => n !== undefined));
    for (const t of tracer.taskList()) this.addTask(t.tid, t.tgid);
  }

  /** Calls `fn` after each event has been handled (debugger-side code waiting for a state checks it then). */
  afterEvents(fn: () => void): void {
    this.settled.push(fn);
  }

  /** Connects the core (`new Utrace(backend)`), whose report points the backend calls. */
  connect(points: ReportPoints): void {
    this.points = points;
  }

  private get rt(): ReportPoints {
    if (this.points === undefined) throw new Error('the Linux backend is not connected to a utrace core');
    return this.points;
  }

  private addTask(tid: TaskId, tgid: number): LinuxTask {
    const task: LinuxTask = {
      tid,
      tgid,
      state: 'running',
      stop: null,
      co: null,
      notifyResume: false,
      sigpending: false,
      syscallTrace: true,
      step: 'none',
      jobStopped: false,
      switches: 0,
      queue: [],
      held: [],
      known: {},
      entry: null,
      regs: null,
    };
    this.tasks.set(tid, task);
    return task;
  }

  private task(tid: TaskId): LinuxTask {
    const t = this.tasks.get(tid);
    if (t === undefined) throw new Error(`task ${tid} is not traced`);
    return t;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events from the tracer

  /** Feeds one event of the ptrace layer to the core (the session's `onEvent`). */
  onEvent(event: TraceEvent): void {
    switch (event.kind) {
      case 'death':
        this.onDeath(event.tid, event.status);
        break;
      case 'detached': {
        const t = this.tasks.get(event.tid);
        if (t !== undefined) t.state = 'dead';
        break;
      }
      default: {
        const t = this.tasks.get(event.tid) ?? this.addTask(event.tid, event.tgid);
        t.tgid = event.tgid;
        t.stop = event;
        t.regs = null;
        t.known = this.knownRegisters(t, event);
        if (t.state !== 'traced' && t.state !== 'stopped') t.state = 'running';
        t.co = this.path(t, event);
        this.run(t);
      }
    }
    this.drain();
    for (const fn of this.settled) fn();
  }

  /** Runs what requests made from outside a callback (debugger-side code) woke up. Call after each such request. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let t = this.runnable.shift(); t !== undefined; t = this.runnable.shift()) {
        if (t.co !== null) this.run(t);
        else if (t.stop !== null && t.state === 'running') this.resume(t, {});
      }
    } finally {
      this.draining = false;
    }
  }

  /** Runs a task's kernel path until it blocks in utrace_stop or ends (then resumes the task). */
  private run(t: LinuxTask): void {
    const rt = this.rt;
    rt.setCurrent(t.tid);
    try {
      for (;;) {
        const co = t.co;
        if (co === null) return;
        const r = co.next();
        if (r.done === true) {
          t.co = null;
          this.resume(t, r.value);
          return;
        }
        if (r.value.kind === 'blocked') return;
      }
    } finally {
      rt.setCurrent(null);
    }
  }

  private resume(t: LinuxTask, options: ResumeOptions): void {
    const stop = t.stop;
    if (stop === null || t.state === 'dead') return;
    t.stop = null;
    t.regs = null;
    t.known = {};
    t.switches++;
    for (const info of t.held.splice(0)) this.requeue(t, info);
    const step = t.step === 'none' ? undefined : t.step;
    if (stop.kind === 'group-stop' || (stop.kind === 'attach' && stop.groupStop !== 0)) t.state = 'stopped';
    else if (t.state !== 'stopped') t.state = 'running';
    this.tracer.resume(t.tid, step === undefined ? options : { ...options, step });
  }

  /** A signal pushed back by an engine (HOLD) is queued again, so the kernel reports it again later. */
  private requeue(t: LinuxTask, info: SigInfo): void {
    try {
      process.kill(t.tid, info.signo);
    } catch {
      // the task is gone: its death is reported next
    }
  }

  /**
   * Registers the stop's syscall information already gives, signed like every register the core sees. At a
   * syscall's exit the argument registers, pc and sp are still those of its entry (the kernel changes only the
   * return register), except after the few syscalls that replace the whole register set.
   */
  private knownRegisters(t: LinuxTask, event: StopEvent): Record<string, bigint> {
    const a = this.arch;
    if (event.kind === 'syscall-entry' && event.native) {
      const known: Record<string, bigint> = {
        [a.syscallNr]: BigInt(event.nr),
        [a.pc]: signed(event.ip),
        [a.sp]: signed(event.sp),
      };
      a.syscallArgs.forEach((name, i) => (known[name] = signed(event.args[i] as bigint)));
      t.entry = this.replacesRegisters.has(event.nr) ? null : { ...known };
      return known;
    }
    const entry = t.entry;
    t.entry = null;
    if (event.kind === 'syscall-exit' && event.nr >= 0) {
      const known = entry !== null && entry[a.syscallNr] === BigInt(event.nr) ? entry : {};
      known[a.syscallNr] = BigInt(event.nr);
      known[a.syscallRet] = event.rval;
      return known;
    }
    return {};
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The kernel paths

  private *path(t: LinuxTask, event: StopEvent): Coroutine<ResumeOptions> {
    const rt = this.rt;
    const tid = t.tid;
    switch (event.kind) {
      case 'syscall-entry': {
        let abort = false;
        if (t.syscallTrace && rt.wants(tid, Event.SyscallEntry)) abort = yield* rt.syscallEntry(tid);
        // Every stop is a report point: an async request is served here rather than after the syscall.
        yield* this.returnToUser(t, false);
        const exitStop = t.syscallTrace && rt.wants(tid, Event.SyscallExit);
        return abort ? { skip: { ret: -ENOSYS }, exitStop } : { exitStop };
      }
      case 'syscall-exit':
        if (event.nr >= 0 && t.syscallTrace && rt.wants(tid, Event.SyscallExit)) yield* rt.syscallExit(tid);
        return yield* this.returnToUser(t, true);
      case 'signal': {
        t.queue.push({ info: this.signalInfo(t), action: this.disposition(t, event.signal) });
        t.sigpending = true;
        return yield* this.returnToUser(t, true);
      }
      case 'clone': {
        const child =
          this.tasks.get(event.child) ?? this.addTask(event.child, event.how === 'thread' ? t.tgid : event.child);
        child.syscallTrace = t.syscallTrace;
        const flags = cloneFlags(event.how);
        if (rt.wants(tid, Event.Clone)) yield* rt.clone(tid, flags, event.child);
        if (event.how === 'vfork') yield* rt.finishVfork(tid);
        return yield* this.returnToUser(t, false);
      }
      case 'exec':
        if (rt.wants(tid, Event.Exec)) yield* rt.exec(tid, execInfo(tid));
        return yield* this.returnToUser(t, false);
      case 'exit': {
        const code = { value: waitCode(event.status) };
        if (rt.wants(tid, Event.Exit)) yield* rt.exit(tid, code);
        return {};
      }
      case 'group-stop':
        t.jobStopped = true;
        if (rt.wants(tid, Event.Jctl)) yield* rt.jctl(tid, CLD_STOPPED, CLD_STOPPED);
        return {};
      case 'continued':
        t.jobStopped = false;
        if (t.state === 'stopped') t.state = 'running';
        // utrace_control(STOP) converted the job-control stop: the task stays stopped until the core wakes it.
        if (t.state === 'traced') yield BLOCKED;
        if (rt.wants(tid, Event.Jctl)) yield* rt.jctl(tid, CLD_CONTINUED, CLD_CONTINUED);
        return yield* this.returnToUser(t, true);
      case 'step':
        // The step's trap is a SIGTRAP, reported to utrace like any signal (an engine that stepped ignores it).
        t.queue.push({
          info: { signo: SIGTRAP, code: 2, errno: 0, pid: 0, addr: 0n },
          action: this.disposition(t, SIGTRAP),
        });
        t.sigpending = true;
        return yield* this.returnToUser(t, true, true);
      case 'attach':
        if (event.groupStop !== 0) t.jobStopped = true;
        return yield* this.returnToUser(t, true);
      case 'start':
      case 'interrupt':
      case 'vfork-done':
        return yield* this.returnToUser(t, true);
    }
  }

  /**
   * The way back to user mode (`exit_to_user_mode_loop`): utrace's signal point while TIF_SIGPENDING is set (only
   * where signals are handled), then utrace_resume while TIF_NOTIFY_RESUME is set. Returns how to resume: with the
   * signal that utrace (or the kernel's normal dequeue) decided to deliver. `synthetic` marks a signal ptrace must
   * not deliver unless utrace says so (a step's SIGTRAP).
   */
  private *returnToUser(t: LinuxTask, signals: boolean, synthetic = false): Coroutine<ResumeOptions> {
    const rt = this.rt;
    let deliver = 0;
    for (;;) {
      if (signals && t.sigpending) {
        t.sigpending = false;
        for (;;) {
          const d = rt.wants(t.tid, ALL_EVENTS) ? yield* rt.getSignal(t.tid) : null;
          if (d !== null && d.signr < 0) continue;
          if (d !== null && d.signr > 0) {
            deliver = d.signr;
            break;
          }
          const taken = t.queue.shift();
          if (taken !== undefined && !synthetic) deliver = taken.info.signo;
          break;
        }
        t.queue.length = 0;
        if (t.sigpending) continue;
      }
      if (t.notifyResume) {
        t.notifyResume = false;
        if (rt.wants(t.tid, ALL_EVENTS)) yield* rt.notifyResume(t.tid);
        continue;
      }
      break;
    }
    const stop = t.stop;
    const atSignalStop = stop !== null && (stop.kind === 'signal' || (stop.kind === 'attach' && stop.groupStop === 0));
    if (atSignalStop || deliver !== 0) return { signal: deliver };
    return {};
  }

  private onDeath(tid: TaskId, status: ExitStatus | null): void {
    const t = this.tasks.get(tid);
    if (t === undefined) return;
    const rt = this.rt;
    t.stop = null;
    t.co = null;
    t.state = 'zombie';
    const groupDead = ![...this.tasks.values()].some(
      (o) => o !== t && o.tgid === t.tgid && o.state !== 'dead' && o.state !== 'zombie',
    );
    const signal = t.tid === t.tgid ? SIGCHLD : -1;
    rt.setCurrent(tid);
    try {
      if (rt.wants(tid, DEATH_EVENTS)) drainSync(rt.death(tid, groupDead, signal));
      t.state = 'dead';
      // The tracer has collected the status: for utrace the task is reaped now.
      drainSync(rt.reap(tid));
    } finally {
      rt.setCurrent(null);
    }
    void status;
    this.tasks.delete(tid);
  }

  private signalInfo(t: LinuxTask): SigInfo {
    const si = this.tracer.getSignalInfo(t.tid);
    const v = new DataView(si.raw.buffer, si.raw.byteOffset, si.raw.byteLength);
    // siginfo_t: after signo, errno, code (and padding to 16 bytes) come si_pid (kill) or si_addr (faults).
    const fault = FAULT_SIGNALS.has(si.signo);
    return {
      signo: si.signo,
      code: si.code,
      errno: si.errno,
      pid: fault ? 0 : v.getInt32(16, true),
      addr: fault ? v.getBigUint64(16, true) : 0n,
    };
  }

  /** The disposition of a signal in the task's process, from /proc (the handler's address is not known). */
  private disposition(t: LinuxTask, signo: number): SigAction {
    let status = '';
    try {
      status = readFileSync(`/proc/${t.tid}/status`, 'utf8');
    } catch {
      return { handler: 'default', address: 0n, oneshot: false };
    }
    const bit = 1n << BigInt(signo - 1);
    const mask = (name: string) => BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`);
    if (mask('SigCgt') & bit) return { handler: 'handler', address: 0n, oneshot: false };
    if (mask('SigIgn') & bit) return { handler: 'ignore', address: 0n, oneshot: false };
    return { handler: 'default', address: 0n, oneshot: false };
  }

  /** The process (thread group) of a task (itself when unknown). */
  tgid(task: TaskId): number {
    return this.tasks.get(task)?.tgid ?? task;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Backend

  now(): number {
    return Number(process.hrtime.bigint() - this.start);
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
    return this.tasks.get(task)?.state === 'zombie';
  }

  signalPending(task: TaskId): boolean {
    const t = this.tasks.get(task);
    return t !== undefined && (t.sigpending || t.queue.length > 0);
  }

  setNotifyResume(task: TaskId): void {
    const t = this.tasks.get(task);
    if (t === undefined) return;
    t.notifyResume = true;
    this.kick(t);
  }

  setSigpending(task: TaskId): void {
    const t = this.tasks.get(task);
    if (t === undefined) return;
    t.sigpending = true;
    this.kick(t);
  }

  signalWakeUp(task: TaskId): void {
    this.setSigpending(task);
  }

  /** A running task is interrupted so that its next stop (soon, even in a blocking syscall) serves the request. */
  private kick(t: LinuxTask): void {
    if (t.stop === null && t.state === 'running') this.tracer.interrupt(t.tid);
  }

  setSyscallTrace(task: TaskId, on: boolean): void {
    const t = this.tasks.get(task);
    if (t !== undefined) t.syscallTrace = on;
  }

  setStep(task: TaskId, mode: StepMode): void {
    const t = this.tasks.get(task);
    if (t !== undefined) t.step = mode;
  }

  enterUtraceStop(task: TaskId): void {
    this.task(task).state = 'traced';
  }

  convertJobStop(task: TaskId): boolean {
    const t = this.task(task);
    if (t.state !== 'stopped') return false;
    t.state = 'traced';
    return true;
  }

  wakeUtraceStop(task: TaskId): void {
    const t = this.tasks.get(task);
    if (t === undefined || t.state !== 'traced') return;
    t.state = t.jobStopped ? 'stopped' : 'running';
    if (t.co !== null || t.stop !== null) this.runnable.push(t);
  }

  dequeueSignal(task: TaskId): DequeuedSignal | null {
    const t = this.task(task);
    return t.queue.shift() ?? null;
  }

  pushBackSignal(task: TaskId, info: SigInfo): void {
    this.task(task).held.push({ ...info });
  }

  groupStopPending(task: TaskId): boolean {
    return this.tasks.get(task)?.jobStopped ?? false;
  }

  resetSigaction(_task: TaskId, _signo: number): void {
    // The kernel itself resets an SA_RESETHAND disposition when it delivers the signal.
  }

  reg(task: TaskId, name: string): bigint {
    const t = this.task(task);
    const known = t.regs === null ? t.known[name] : undefined;
    if (known !== undefined) return known;
    const value = this.registers(t)[name];
    if (value === undefined) throw new Error(`\`${name}\` is not a register of ${this.arch.name}`);
    return value;
  }

  regs(task: TaskId): Record<string, bigint> {
    return { ...this.registers(this.task(task)) };
  }

  setReg(task: TaskId, name: string, value: bigint): void {
    const t = this.task(task);
    const regs = this.registers(t);
    this.tracer.setRegisters(task, { [name]: value });
    regs[name] = signed(value);
    delete t.known[name];
    if (t.entry !== null) t.entry[name] = signed(value);
  }

  /** All registers of a stopped task, read once per stop, as signed 64-bit values (the core's convention). */
  private registers(t: LinuxTask): Record<string, bigint> {
    if (t.regs === null) {
      const regs = this.tracer.getRegisters(t.tid);
      for (const name of Object.keys(regs)) regs[name] = signed(regs[name] as bigint);
      t.regs = regs;
    }
    return t.regs;
  }

  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array {
    return this.tracer.readMemory(task, addr, len);
  }

  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void {
    this.tracer.writeMemory(task, addr, bytes);
  }
}

/** A 64-bit register value as the core and the simulator hold it: signed. */
function signed(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/** Runs a coroutine that cannot block (death and reap passes) to its end. */
function drainSync(co: Coroutine<void>): void {
  for (let r = co.next(); r.done !== true; r = co.next()) {
    // callback points only: nothing else runs on this thread in between
  }
}

/** Clone flags as glibc passes them for a thread, fork and vfork (the ptrace event does not carry them). */
function cloneFlags(how: 'thread' | 'fork' | 'vfork' | 'clone'): bigint {
  const { CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD, CLONE_VFORK } = CloneFlags;
  switch (how) {
    case 'thread':
      return CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
    case 'vfork':
      return CLONE_VM | CLONE_VFORK | BigInt(SIGCHLD);
    case 'fork':
      return BigInt(SIGCHLD);
    case 'clone':
      return 0n;
  }
}

/** What report_exec is told: the new program's path and arguments, from /proc. */
function execInfo(tid: TaskId): { filename: string; argv: string[] } {
  let filename = '';
  let argv: string[] = [];
  try {
    filename = readlinkSync(`/proc/${tid}/exe`);
    argv = readFileSync(`/proc/${tid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    // gone already: report what is known
  }
  return { filename, argv };
}

/** The wait-status form of an exit (`code << 8`, or the signal with the core bit). */
function waitCode(status: ExitStatus): number {
  return 'code' in status ? status.code << 8 : status.signal | (status.core ? 0x80 : 0);
}
