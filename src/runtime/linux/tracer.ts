/**
 * The ptrace layer: a synchronous tracer that owns a set of tasks, turns every wait status into a typed
 * {@link TraceEvent}, and carries out resume/detach/register/memory commands.
 *
 * It must live on one thread for its whole life, the *tracer thread*: Linux accepts ptrace requests only from the
 * thread that attached, and `waitpid(-1, __WALL | __WNOTHREAD)` sees only that thread's tracees and children (so
 * it never steals the statuses of Node's own child processes). In utrc that thread is a worker (see worker.ts);
 * the main thread talks to it through messages and a wake-up signal.
 *
 * Stops are held: an event that is a stop leaves its task stopped until `resume` or `detach` is called for it,
 * in the handler or later. Events raised while a handler runs (e.g. `detached`) are queued and delivered after it
 * returns, so handlers are never re-entered.
 */
import { closeSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { ERRNO, NT_PRSTATUS, PTRACE, PTRACE_EVENT, PTRACE_O, SIG, SYSCALL_INFO_OP, WAIT } from './constants.js';
import { decodeRegisters, encodeRegisters, hostArch } from './arch.js';
import type { LinuxArch, Registers } from './arch.js';
import { errno, libc, nativeBlock, strerror, SyscallError } from './ffi.js';
import type { Libc, NativeBlock } from './ffi.js';
import { explainAttachFailure, TraceError } from './errors.js';
import type { TraceEvent } from './events.js';
import { spawnStopped } from './spawn.js';
import type { SpawnSpec } from './spawn.js';
import { decodeExitStatus, decodeWaitStatus, isStopSignal } from './wait-status.js';
import type { ExitStatus } from './wait-status.js';
import { errorMessage } from '../lib/errors.js';

/**
 * Which syscalls stop the tracee: `all` (syscall-entry and -exit stops for every syscall, strace's default),
 * `filter` (a seccomp-bpf filter installed before exec traces only `numbers`; exits only where asked), `none`.
 */
export type SyscallSelection =
  | { readonly mode: 'all' }
  | { readonly mode: 'filter'; readonly numbers: readonly number[] }
  | { readonly mode: 'none' };

/** How the tracer traces. */
export interface TracerOptions {
  /** Default `{ mode: 'all' }`. `filter` is only possible for commands the tracer starts. */
  readonly syscalls?: SyscallSelection;
  /**
   * Kill the tracees if the tracer dies (`PTRACE_O_EXITKILL`). Always on with a seccomp filter: a filtered
   * process without its tracer would see its traced syscalls fail with ENOSYS.
   */
  readonly killOnExit?: boolean;
}

/** How to resume a stopped task. */
export interface ResumeOptions {
  /**
   * The signal to deliver. At a `signal` stop (and an `attach` that caught one) the default is that stop's
   * signal and 0 suppresses it; at other stops a non-zero signal is queued with tgkill before resuming.
   */
  readonly signal?: number;
  /** Run one instruction (`single`) or to the next branch (`block`, x86 only; else single), then stop (`step`). */
  readonly step?: 'single' | 'block';
  /** At a `syscall-entry` stop: whether to report the syscall's exit. Default true. */
  readonly exitStop?: boolean;
  /** At a `syscall-entry` stop: do not run the syscall; it returns `ret` (e.g. `-1n` for -EPERM is `-1n`). */
  readonly skip?: { readonly ret: bigint };
  /**
   * At a `group-stop` (or `attach` into one): run although job control stopped the task. By default the task
   * stays in its job-control stop (`PTRACE_LISTEN`) and a `continued` event comes when SIGCONT ends it.
   */
  readonly ignoreGroupStop?: boolean;
}

/** The code that consumes events. `poll` runs before each wait, to pick up requests from other threads. */
export interface TraceHandler {
  onEvent(event: TraceEvent): void;
  poll?(): void;
}

/** How a tracing session ended. */
export interface TraceSummary {
  /** How the command started by `spawn` ended; null if there was none, or it was detached. */
  readonly rootStatus: ExitStatus | null;
  /** True if tasks were detached rather than followed to their end. */
  readonly detached: boolean;
}

/** Fields of `siginfo_t` common to every signal. */
export interface SignalInfo {
  readonly signo: number;
  readonly errno: number;
  readonly code: number;
  /** The raw 128 bytes, for fields that depend on the signal. */
  readonly raw: Uint8Array;
}

/** A snapshot of one traced task. */
export interface TaskInfo {
  readonly tid: number;
  readonly tgid: number;
  readonly stopped: boolean;
}

type StopKind = 'syscall-entry' | 'syscall-exit' | 'signal' | 'group-stop' | 'event' | 'start' | 'attach';

interface Task {
  tid: number;
  tgid: number;
  /** The kind of stop the task is held in, or null while it runs. */
  stop: StopKind | null;
  /** The signal a resume delivers by default (set at signal-delivery stops). */
  stopSignal: number;
  /** In a job-control stop: resumes use PTRACE_LISTEN unless told otherwise. */
  groupStopped: boolean;
  /** The syscall number of the entry seen last, -1 after its exit. */
  nr: number;
  /** Report the next syscall-exit stop (false: resume it silently). */
  reportExit: boolean;
  interruptPending: boolean;
  detachPending: boolean;
  stepping: boolean;
  /** The root before its command's execve: the handshake's stops are not reported. */
  starting: boolean;
  /** Seized by `attach`, first stop not yet seen. */
  attaching: boolean;
  /** Auto-attached child: its parent's clone event has been reported. */
  announced: boolean;
  /** Auto-attached child whose first stop arrived before its parent's clone event. */
  startHeld: boolean;
  /** Auto-attached child announced by its parent's clone event, first stop still to come. */
  awaitingStart: boolean;
  parent: number;
}

const SYSCALL_INFO_SIZE = 88;
/** The low 16 bits of a syscall stop's wait status with TRACESYSGOOD: stopped (0x7f) by SIGTRAP|0x80. */
const SYSCALL_STOP_STATUS = 0x857f;
const SIGINFO_SIZE = 128;
const MEMORY_CHUNK = 64 * 1024;

/** The synchronous ptrace layer. Create, use and drop it on one thread (the tracer thread). */
export class Tracer {
  /** The architecture of the tracees (the host's). */
  readonly arch: LinuxArch;
  /** The syscall selection in force. */
  readonly syscalls: SyscallSelection;
  /** Whether tracees die with the tracer (`PTRACE_O_EXITKILL`). */
  readonly exitKill: boolean;

  private readonly c: Libc;
  private readonly tasks = new Map<number, Task>();
  private readonly queue: TraceEvent[] = [];
  private readonly status: NativeBlock;
  private readonly info: NativeBlock;
  private readonly eventMsg: NativeBlock;
  private readonly regs: NativeBlock;
  private readonly iov: NativeBlock;
  private readonly memory: NativeBlock;
  private readonly siginfo: NativeBlock;
  private readonly nrRegset: NativeBlock;
  private readonly baseOptions: number;
  private root = 0;
  private rootStatus: ExitStatus | null = null;
  private detachingAll = false;
  private detachedAny = false;
  private rootSignalOnDetach = 0;

  constructor(options: TracerOptions = {}) {
    this.c = libc();
    this.arch = hostArch();
    this.syscalls = options.syscalls ?? { mode: 'all' };
    this.exitKill = options.killOnExit === true || this.syscalls.mode === 'filter';
    this.baseOptions =
      PTRACE_O.TRACESYSGOOD |
      PTRACE_O.TRACEFORK |
      PTRACE_O.TRACEVFORK |
      PTRACE_O.TRACECLONE |
      PTRACE_O.TRACEEXEC |
      PTRACE_O.TRACEVFORKDONE |
      PTRACE_O.TRACEEXIT |
      PTRACE_O.TRACESECCOMP;
    this.status = nativeBlock(8);
    this.info = nativeBlock(SYSCALL_INFO_SIZE);
    this.eventMsg = nativeBlock(8);
    this.regs = nativeBlock(this.arch.regsetSize);
    this.iov = nativeBlock(32);
    this.memory = nativeBlock(MEMORY_CHUNK);
    this.siginfo = nativeBlock(SIGINFO_SIZE);
    this.nrRegset = nativeBlock(8);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Starting

  /**
   * Starts `spec.command` traced from its first instruction (through the trampoline) and returns its pid. Its
   * first reported event is the `syscall-entry` of its execve (or the `exec` event when execve is not traced).
   */
  spawn(spec: SpawnSpec): number {
    if (this.root !== 0) throw new Error('this tracer already started a command');
    const filter =
      this.syscalls.mode === 'filter' ? [...new Set(this.syscalls.numbers)].sort((a, b) => a - b) : undefined;
    const pid = spawnStopped(spec, filter);
    if (this.c.ptrace(PTRACE.SEIZE, pid, 0, this.seizeOptions()) !== 0) {
      const err = errno();
      this.c.kill(pid, SIG.SIGKILL);
      this.c.waitpid(pid, this.status.ptr, WAIT.WALL);
      throw new TraceError('spawn-failed', `cannot trace \`${spec.command[0] ?? ''}\`: ${strerror(err)}`);
    }
    const task = this.addTask(pid, pid);
    task.starting = true;
    task.announced = true;
    this.root = pid;
    // The trampoline waits in its SIGSTOP; SIGCONT ends that job-control stop (as strace does).
    this.c.kill(pid, SIG.SIGCONT);
    return pid;
  }

  /**
   * Attaches to every thread of process `pid` (as `strace -p`); each reports an `attach` event first. Threads
   * created meanwhile are caught through the clone events of those already seized. Returns the thread ids.
   */
  attach(pid: number): number[] {
    if (this.syscalls.mode === 'filter') {
      throw new TraceError(
        'unsupported',
        'a seccomp filter cannot be installed in a running process: trace all syscalls with -p',
      );
    }
    if (!Number.isInteger(pid) || pid <= 0) throw new TraceError('no-such-process', `no such process: ${pid}`);
    const seized: number[] = [];
    let tgid = pid;
    const status = readProcStatus(pid);
    if (status === undefined) throw new TraceError('no-such-process', `no such process: ${pid}`);
    if (status.ppid === process.pid) {
      // Linux lets any thread of the real parent's process wait for a tracee's ptrace stops when the tracer is in
      // that process too, and libuv's waitpid for its child processes would swallow them.
      throw new TraceError('unsupported', `cannot attach to ${pid}: it is a child process of this very process`);
    }
    tgid = status.tgid;
    for (let round = 0; round < 10; round++) {
      let added = 0;
      for (const tid of listThreads(tgid)) {
        if (this.tasks.has(tid)) continue;
        if (this.c.ptrace(PTRACE.SEIZE, tid, 0, this.seizeOptions()) !== 0) {
          const err = errno();
          if (err === ERRNO.ESRCH && seized.length > 0) continue; // a thread that just exited
          if (seized.length === 0) throw explainAttachFailure(tid, err);
          continue;
        }
        const task = this.addTask(tid, tgid);
        task.attaching = true;
        task.announced = true;
        this.c.ptrace(PTRACE.INTERRUPT, tid, 0, 0);
        seized.push(tid);
        added++;
      }
      if (added === 0) break;
    }
    if (seized.length === 0) throw new TraceError('no-such-process', `no such process: ${pid}`);
    return seized;
  }

  private seizeOptions(): number {
    return this.baseOptions | (this.exitKill ? PTRACE_O.EXITKILL : 0);
  }

  private addTask(tid: number, tgid: number): Task {
    const task: Task = {
      tid,
      tgid,
      stop: null,
      stopSignal: 0,
      groupStopped: false,
      nr: -1,
      reportExit: true,
      interruptPending: false,
      detachPending: this.detachingAll,
      stepping: false,
      starting: false,
      attaching: false,
      announced: false,
      startHeld: false,
      awaitingStart: false,
      parent: 0,
    };
    this.tasks.set(tid, task);
    return task;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The loop

  /**
   * Waits for and reports events until no traced task is left (all dead or detached). An exception from the
   * handler detaches every task (they run on), and is rethrown once they are all detached.
   */
  run(handler: TraceHandler): TraceSummary {
    let failure: unknown;
    const c = this.c;
    const flags = WAIT.WALL | WAIT.WNOTHREAD;
    const statusPtr = this.status.ptr;
    const view = this.status.view;
    while (this.tasks.size > 0) {
      if (handler.poll !== undefined) {
        try {
          handler.poll();
        } catch (error) {
          failure ??= error;
          this.detachAll();
        }
      }
      this.flush(handler, (error) => {
        failure ??= error;
        this.detachAll();
      });
      if (this.tasks.size === 0) break;
      const tid = c.waitpid(-1, statusPtr, flags);
      if (tid < 0) {
        const err = errno();
        if (err === ERRNO.EINTR) continue;
        if (err === ERRNO.ECHILD) {
          // Nothing left to wait for: the remaining records are stale (e.g. tasks that vanished in an exec).
          this.tasks.clear();
          break;
        }
        throw new SyscallError('waitpid', err);
      }
      this.handleStatus(tid, view.getInt32(0, true));
      this.flush(handler, (error) => {
        failure ??= error;
        this.detachAll();
      });
    }
    if (failure !== undefined) {
      const message = errorMessage(failure);
      const error = new TraceError('session-failed', `event handling failed, every task was detached: ${message}`);
      (error as Error & { cause?: unknown }).cause = failure;
      throw error;
    }
    return { rootStatus: this.rootStatus, detached: this.detachedAny };
  }

  private flush(handler: TraceHandler, onError: (error: unknown) => void): void {
    const queue = this.queue;
    for (let i = 0; i < queue.length; i++) {
      const event = queue[i] as TraceEvent;
      try {
        handler.onEvent(event);
      } catch (error) {
        onError(error);
      }
    }
    queue.length = 0;
  }

  private handleStatus(tid: number, raw: number): void {
    let task = this.tasks.get(tid);
    // The hot path: the exit of a syscall whose exit nobody wants (syscall stops alternate entry and exit, so after
    // a reported entry the next syscall stop is its exit) is resumed without decoding or asking the kernel more.
    if (
      (raw & 0xffff) === SYSCALL_STOP_STATUS &&
      task !== undefined &&
      task.nr >= 0 &&
      !task.reportExit &&
      !task.interruptPending &&
      !task.detachPending &&
      !task.starting
    ) {
      task.stop = 'syscall-exit';
      task.nr = -1;
      task.reportExit = true;
      task.stopSignal = 0;
      this.restart(task, {});
      return;
    }
    const ws = decodeWaitStatus(raw);
    if (ws.kind === 'exited') {
      if (tid === this.root) this.rootStatus = ws.status;
      if (task === undefined) return;
      this.tasks.delete(tid);
      this.queue.push({ kind: 'death', tid, tgid: task.tgid, status: ws.status });
      return;
    }
    if (ws.kind === 'continued') return;
    if (task === undefined) {
      // The first stop of an auto-attached child can come before its parent's clone event.
      task = this.addTask(tid, readProcStatus(tid)?.tgid ?? tid);
    }
    const interrupted = task.interruptPending;
    task.interruptPending = false;
    task.stopSignal = 0;

    if (task.detachPending) {
      if (ws.kind === 'signal' && !(task.stepping && ws.signal === SIG.SIGTRAP)) task.stopSignal = ws.signal;
      task.stop = ws.kind === 'syscall' ? 'syscall-entry' : 'event';
      this.detachNow(task);
      return;
    }

    switch (ws.kind) {
      case 'syscall':
        this.onSyscallStop(task, interrupted);
        return;
      case 'signal':
        this.onSignalStop(task, ws.signal, interrupted);
        return;
      case 'event':
        this.onEventStop(task, ws.event, ws.signal, interrupted);
        return;
    }
  }

  private onSyscallStop(task: Task, interrupted: boolean): void {
    const op = this.fetchSyscallInfo(task.tid);
    const view = this.info.view;
    if (op === SYSCALL_INFO_OP.ENTRY) {
      const nr = Number(view.getBigUint64(24, true));
      task.nr = nr;
      task.reportExit = true;
      task.starting = false;
      task.stop = 'syscall-entry';
      this.queue.push(this.entryEvent(task, nr, false, interrupted));
      return;
    }
    if (op === SYSCALL_INFO_OP.EXIT) {
      task.stop = 'syscall-exit';
      const nr = task.nr;
      task.nr = -1;
      // An exit nobody asked for is resumed silently, unless it is the stop that served an interrupt (the kernel
      // counts any stop as serving it): then it is the report point the interrupt asked for.
      if ((!task.reportExit && !interrupted) || task.starting) {
        task.reportExit = true;
        this.restart(task, {});
        return;
      }
      task.reportExit = true;
      const rval = view.getBigInt64(24, true);
      const isError = view.getUint8(32) !== 0;
      this.queue.push({
        kind: 'syscall-exit',
        tid: task.tid,
        tgid: task.tgid,
        interrupted,
        nr,
        rval,
        error: isError ? Number(-rval) : 0,
      });
      return;
    }
    // No syscall information (should not happen for a TRACESYSGOOD stop): report it as a plain stop.
    task.stop = 'event';
    this.queue.push({ kind: 'interrupt', tid: task.tid, tgid: task.tgid, interrupted });
  }

  private entryEvent(task: Task, nr: number, seccomp: boolean, interrupted: boolean): TraceEvent {
    const view = this.info.view;
    const args = [
      view.getBigUint64(32, true),
      view.getBigUint64(40, true),
      view.getBigUint64(48, true),
      view.getBigUint64(56, true),
      view.getBigUint64(64, true),
      view.getBigUint64(72, true),
    ];
    return {
      kind: 'syscall-entry',
      tid: task.tid,
      tgid: task.tgid,
      interrupted,
      nr,
      args,
      ip: view.getBigUint64(8, true),
      sp: view.getBigUint64(16, true),
      native: view.getUint32(4, true) === this.arch.auditArch,
      seccomp,
    };
  }

  private onSignalStop(task: Task, signal: number, interrupted: boolean): void {
    if (task.stepping && signal === SIG.SIGTRAP) {
      task.stepping = false;
      task.stop = 'event';
      this.queue.push({ kind: 'step', tid: task.tid, tgid: task.tgid, interrupted });
      return;
    }
    task.stepping = false;
    if (task.starting && (signal === SIG.SIGCONT || signal === SIG.SIGSTOP)) {
      // The handshake's own signals: the command never sees them.
      task.stop = 'event';
      this.restart(task, { signal: 0 });
      return;
    }
    task.stopSignal = signal;
    if (task.attaching) {
      task.attaching = false;
      task.stop = 'attach';
      this.queue.push({ kind: 'attach', tid: task.tid, tgid: task.tgid, interrupted, groupStop: 0 });
      return;
    }
    task.stop = 'signal';
    this.queue.push({ kind: 'signal', tid: task.tid, tgid: task.tgid, interrupted, signal });
  }

  private onEventStop(task: Task, event: number, signal: number, interrupted: boolean): void {
    const base = { tid: task.tid, tgid: task.tgid, interrupted };
    task.stop = 'event';
    switch (event) {
      case PTRACE_EVENT.STOP: {
        const groupStop = isStopSignal(signal);
        if (task.starting) {
          this.restart(task, { signal: 0, ignoreGroupStop: true });
          return;
        }
        if (task.attaching) {
          task.attaching = false;
          task.groupStopped = groupStop;
          task.stop = 'attach';
          this.queue.push({ ...base, kind: 'attach', groupStop: groupStop ? signal : 0 });
          return;
        }
        if (!task.announced) {
          // A new child's first stop, before its parent's clone event: hold it until that event.
          task.startHeld = true;
          task.groupStopped = groupStop;
          task.stop = 'start';
          return;
        }
        if (task.awaitingStart) {
          task.awaitingStart = false;
          task.groupStopped = groupStop;
          task.stop = 'start';
          this.queue.push({ ...base, kind: 'start', parent: task.parent });
          return;
        }
        if (groupStop) {
          task.groupStopped = true;
          task.stop = 'group-stop';
          this.queue.push({ ...base, kind: 'group-stop', signal });
          return;
        }
        if (task.groupStopped) {
          task.groupStopped = false;
          this.queue.push({ ...base, kind: 'continued' });
          return;
        }
        this.queue.push({ ...base, kind: 'interrupt' });
        return;
      }
      case PTRACE_EVENT.FORK:
      case PTRACE_EVENT.VFORK:
      case PTRACE_EVENT.CLONE: {
        const child = this.eventMessage(task.tid);
        let how: 'thread' | 'fork' | 'vfork' | 'clone' =
          event === PTRACE_EVENT.FORK ? 'fork' : event === PTRACE_EVENT.VFORK ? 'vfork' : 'clone';
        let record = this.tasks.get(child);
        const childTgid = readProcStatus(child)?.tgid ?? child;
        if (event === PTRACE_EVENT.CLONE && childTgid === task.tgid) how = 'thread';
        if (record === undefined) {
          record = this.addTask(child, how === 'thread' ? task.tgid : childTgid);
          record.awaitingStart = true;
        }
        record.tgid = how === 'thread' ? task.tgid : record.tgid;
        record.parent = task.tid;
        record.announced = true;
        this.queue.push({ ...base, kind: 'clone', child, how });
        if (record.startHeld) {
          record.startHeld = false;
          record.stop = 'start';
          this.queue.push({ kind: 'start', tid: child, tgid: record.tgid, interrupted: false, parent: task.tid });
        }
        return;
      }
      case PTRACE_EVENT.EXEC: {
        const former = this.eventMessage(task.tid);
        if (former !== task.tid) {
          // A non-leader thread exec'd: it takes the leader's tid, and the old leader vanishes without a status.
          const thread = this.tasks.get(former);
          this.tasks.delete(former);
          this.queue.push({ kind: 'death', tid: task.tid, tgid: task.tgid, status: null });
          if (thread !== undefined) {
            thread.tid = task.tid;
            thread.stop = 'event';
            this.tasks.set(task.tid, thread);
            task = thread;
          }
        }
        task.starting = false;
        this.queue.push({ ...base, tid: task.tid, kind: 'exec', formerTid: former });
        return;
      }
      case PTRACE_EVENT.VFORK_DONE:
        this.queue.push({ ...base, kind: 'vfork-done', child: this.eventMessage(task.tid) });
        return;
      case PTRACE_EVENT.EXIT:
        this.queue.push({ ...base, kind: 'exit', status: decodeExitStatus(this.eventMessage(task.tid)) });
        return;
      case PTRACE_EVENT.SECCOMP: {
        const op = this.fetchSyscallInfo(task.tid);
        if (op !== SYSCALL_INFO_OP.SECCOMP || (this.syscalls.mode !== 'filter' && task.nr >= 0)) {
          // Already reported by its syscall-entry stop (a filter of the tracee's own, in `all` mode).
          this.restart(task, {});
          return;
        }
        const nr = Number(this.info.view.getBigUint64(24, true));
        task.nr = nr;
        task.reportExit = true;
        task.starting = false;
        task.stop = 'syscall-entry';
        this.queue.push(this.entryEvent(task, nr, true, interrupted));
        return;
      }
      default:
        this.queue.push({ ...base, kind: 'interrupt' });
    }
  }

  private fetchSyscallInfo(tid: number): number {
    const n = this.c.ptrace(PTRACE.GET_SYSCALL_INFO, tid, SYSCALL_INFO_SIZE, this.info.ptr);
    if (n <= 0) return SYSCALL_INFO_OP.NONE;
    return this.info.bytes[0] as number;
  }

  private eventMessage(tid: number): number {
    this.eventMsg.view.setBigUint64(0, 0n, true);
    this.c.ptrace(PTRACE.GETEVENTMSG, tid, 0, this.eventMsg.ptr);
    return Number(this.eventMsg.view.getBigUint64(0, true));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Commands (tracer thread only; the task must be stopped unless said otherwise)

  /** Resumes a stopped task. Throws if it is not stopped (a programming error in the caller). */
  resume(tid: number, options: ResumeOptions = {}): void {
    const task = this.stoppedTask(tid, 'resume');
    if (options.skip !== undefined) {
      if (task.stop !== 'syscall-entry')
        throw new Error(`task ${tid} is not at a syscall entry: cannot skip the syscall`);
      this.setSyscallNr(task, -1);
      this.setRegisters(tid, { [this.arch.arch.syscallRet]: options.skip.ret });
    }
    if (task.stop === 'syscall-entry' && options.exitStop === false) task.reportExit = false;
    this.restart(task, options);
  }

  private restart(task: Task, options: ResumeOptions): void {
    const c = this.c;
    let signal = task.stopSignal;
    if (options.signal !== undefined) {
      if (task.stop === 'signal' || task.stop === 'attach') signal = options.signal;
      else if (options.signal !== 0) c.tgkill(task.tgid, task.tid, options.signal);
    }
    let request: number;
    if (options.step !== undefined) {
      request = options.step === 'block' && this.arch.hasBlockStep ? PTRACE.SINGLEBLOCK : PTRACE.SINGLESTEP;
      task.stepping = true;
    } else if (task.groupStopped && options.ignoreGroupStop !== true) {
      request = PTRACE.LISTEN;
      signal = 0;
    } else if (this.syscalls.mode === 'all') {
      request = PTRACE.SYSCALL;
    } else if (this.syscalls.mode === 'filter' && task.stop === 'syscall-entry' && task.reportExit) {
      request = PTRACE.SYSCALL;
    } else {
      request = PTRACE.CONT;
    }
    if (options.ignoreGroupStop === true) task.groupStopped = false;
    if (request !== PTRACE.SYSCALL && task.stop === 'syscall-entry') task.nr = -1;
    task.stop = null;
    task.stopSignal = 0;
    if (c.ptrace(request, task.tid, 0, signal) !== 0) {
      const err = errno();
      // ESRCH: killed while stopped (SIGKILL); its death is reported next.
      if (err !== ERRNO.ESRCH) throw new SyscallError(`resuming task ${task.tid}`, err);
    }
  }

  /**
   * Asks a running task to stop (`PTRACE_INTERRUPT`). The kernel serves it with the task's next stop of any kind,
   * which is reported with `interrupted: true` (an `interrupt` event when there was nothing else to report).
   * Returns false when the task is already stopped (nothing to do) or unknown.
   */
  interrupt(tid: number): boolean {
    const task = this.tasks.get(tid);
    if (task === undefined || task.stop !== null) return false;
    if (task.interruptPending) return true;
    if (this.c.ptrace(PTRACE.INTERRUPT, tid, 0, 0) !== 0) return false;
    task.interruptPending = true;
    return true;
  }

  /**
   * Stops tracing a task; it runs on (or stays in its job-control stop). A pending signal is delivered. A running
   * task is interrupted first and detached at its next stop; a `detached` event confirms it either way.
   */
  detach(tid: number): void {
    const task = this.tasks.get(tid);
    if (task === undefined) return;
    task.detachPending = true;
    if (task.stop !== null) this.detachNow(task);
    else this.interruptForDetach(task);
  }

  /**
   * Detaches every task, now or at its next stop, and every task created meanwhile. With `signalRoot`, first
   * sends that signal to the command this tracer started (strace forwards a fatal signal to its child this way).
   */
  detachAll(signalRoot = 0): void {
    this.detachingAll = true;
    if (signalRoot !== 0 && this.root !== 0 && this.tasks.has(this.root) && this.rootSignalOnDetach === 0) {
      this.rootSignalOnDetach = signalRoot;
      this.c.kill(this.root, signalRoot);
    }
    for (const task of [...this.tasks.values()]) {
      if (task.detachPending && task.stop === null) continue;
      this.detach(task.tid);
    }
  }

  private interruptForDetach(task: Task): void {
    if (!task.interruptPending && this.c.ptrace(PTRACE.INTERRUPT, task.tid, 0, 0) === 0) task.interruptPending = true;
  }

  private detachNow(task: Task): void {
    // A task whose first stop has not come yet (a held start) can be detached like any stopped task.
    const signal = task.stopSignal;
    if (this.c.ptrace(PTRACE.DETACH, task.tid, 0, signal) !== 0) {
      const err = errno();
      if (err !== ERRNO.ESRCH) throw new SyscallError(`detaching task ${task.tid}`, err);
      // ESRCH: it died meanwhile, or is not in a ptrace stop; wait for its next report.
      task.stop = null;
      this.interruptForDetach(task);
      return;
    }
    this.tasks.delete(task.tid);
    this.detachedAny = true;
    this.queue.push({ kind: 'detached', tid: task.tid, tgid: task.tgid });
  }

  /** Reads the general-purpose registers of a stopped task. */
  getRegisters(tid: number): Registers {
    this.stoppedTask(tid, 'read the registers of');
    this.readRegset(tid);
    return decodeRegisters(this.arch, this.regs.view);
  }

  /** Changes some registers of a stopped task (the others keep their values). */
  setRegisters(tid: number, regs: Partial<Registers>): void {
    this.stoppedTask(tid, 'write the registers of');
    this.readRegset(tid);
    encodeRegisters(this.arch, this.regs.view, regs);
    this.iovec(this.regs.ptr, this.arch.regsetSize);
    if (this.c.ptrace(PTRACE.SETREGSET, tid, NT_PRSTATUS, this.iov.ptr) !== 0) {
      throw new SyscallError(`writing the registers of task ${tid}`, errno());
    }
  }

  private readRegset(tid: number): void {
    this.iovec(this.regs.ptr, this.arch.regsetSize);
    if (this.c.ptrace(PTRACE.GETREGSET, tid, NT_PRSTATUS, this.iov.ptr) !== 0) {
      throw new SyscallError(`reading the registers of task ${tid}`, errno());
    }
  }

  private setSyscallNr(task: Task, nr: number): void {
    if (this.arch.syscallNrRegset === undefined) {
      this.setRegisters(task.tid, { [this.arch.arch.syscallNr]: BigInt(nr) });
      return;
    }
    this.nrRegset.view.setInt32(0, nr, true);
    this.iovec(this.nrRegset.ptr, 4);
    if (this.c.ptrace(PTRACE.SETREGSET, task.tid, this.arch.syscallNrRegset, this.iov.ptr) !== 0) {
      throw new SyscallError(`changing the syscall of task ${task.tid}`, errno());
    }
  }

  private iovec(base: bigint, length: number): void {
    this.iov.view.setBigUint64(0, base, true);
    this.iov.view.setBigUint64(8, BigInt(length), true);
  }

  /**
   * Reads up to `length` bytes of a task's memory at `address`. Returns fewer bytes when the range runs into
   * unmapped memory (none if `address` itself is unmapped). The task need not be stopped, but then the bytes may
   * change while they are read.
   */
  readMemory(tid: number, address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = this.readChunk(tid, address + BigInt(done), Math.min(MEMORY_CHUNK, length - done));
      if (n <= 0) break;
      out.set(this.memory.bytes.subarray(0, n), done);
      done += n;
    }
    return done === length ? out : out.slice(0, done);
  }

  /** Reads a NUL-terminated string (at most `max` bytes, UTF-8) from a task's memory; null if unreadable. */
  readString(tid: number, address: bigint, max = 4096): string | null {
    const parts: Uint8Array[] = [];
    let total = 0;
    let at = address;
    while (total < max) {
      // Stay within one page per read, so a string that ends just before unmapped memory is still read.
      const toPageEnd = 4096 - Number(at & 4095n);
      const n = this.readChunk(tid, at, Math.min(toPageEnd, max - total));
      if (n <= 0) break;
      const chunk = this.memory.bytes.subarray(0, n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.slice(0, nul));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(chunk.slice());
      total += n;
      at += BigInt(n);
    }
    return total === 0 && parts.length === 0 ? null : Buffer.concat(parts).toString('utf8');
  }

  private readChunk(tid: number, address: bigint, length: number): number {
    const iov = this.iov.view;
    iov.setBigUint64(0, this.memory.ptr, true);
    iov.setBigUint64(8, BigInt(length), true);
    iov.setBigUint64(16, address, true);
    iov.setBigUint64(24, BigInt(length), true);
    const n = this.c.processVmReadv(tid, this.iov.ptr, 1, this.iov.ptr + 16n, 1, 0);
    if (n < 0) {
      const err = errno();
      if (err === ERRNO.EFAULT || err === ERRNO.EIO) return 0;
      throw new SyscallError(`reading the memory of task ${tid}`, err);
    }
    return n;
  }

  /**
   * Writes bytes into a task's memory (through /proc/TID/mem, which ptrace access allows; it also writes to
   * read-only mappings such as code, for breakpoints).
   */
  writeMemory(tid: number, address: bigint, bytes: Uint8Array): void {
    this.stoppedTask(tid, 'write the memory of');
    const fd = openSync(`/proc/${tid}/mem`, 'r+');
    try {
      const n = writeSync(fd, bytes, 0, bytes.length, Number(address));
      if (n !== bytes.length) throw new Error(`wrote ${n} of ${bytes.length} bytes at 0x${address.toString(16)}`);
    } finally {
      closeSync(fd);
    }
  }

  /** The `siginfo_t` of the signal a task is stopped for. */
  getSignalInfo(tid: number): SignalInfo {
    this.stoppedTask(tid, 'read the signal information of');
    if (this.c.ptrace(PTRACE.GETSIGINFO, tid, 0, this.siginfo.ptr) !== 0) {
      throw new SyscallError(`reading the signal information of task ${tid}`, errno());
    }
    const v = this.siginfo.view;
    return {
      signo: v.getInt32(0, true),
      errno: v.getInt32(4, true),
      code: v.getInt32(8, true),
      raw: this.siginfo.bytes.slice(),
    };
  }

  /** The traced tasks and whether each is stopped. */
  taskList(): TaskInfo[] {
    return [...this.tasks.values()].map((t) => ({ tid: t.tid, tgid: t.tgid, stopped: t.stop !== null }));
  }

  /** Whether a task is traced and stopped. */
  isStopped(tid: number): boolean {
    return this.tasks.get(tid)?.stop != null;
  }

  /** The pid of the command started by `spawn`, 0 if none. */
  get rootPid(): number {
    return this.root;
  }

  private stoppedTask(tid: number, what: string): Task {
    const task = this.tasks.get(tid);
    if (task === undefined) throw new Error(`cannot ${what} task ${tid}: it is not traced`);
    if (task.stop === null) throw new Error(`cannot ${what} task ${tid}: it is running`);
    return task;
  }
}

/** The thread ids of a process, from /proc. */
function listThreads(tgid: number): number[] {
  try {
    return readdirSync(`/proc/${tgid}/task`)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

/** The thread group and parent process of a task, from /proc/TID/status (undefined if it is gone). */
function readProcStatus(tid: number): { tgid: number; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${tid}/status`, 'utf8');
    const tgid = /^Tgid:\s*(\d+)/m.exec(text);
    const ppid = /^PPid:\s*(\d+)/m.exec(text);
    return tgid ? { tgid: Number(tgid[1]), ppid: Number(ppid?.[1] ?? 0) } : undefined;
  } catch {
    return undefined;
  }
}
