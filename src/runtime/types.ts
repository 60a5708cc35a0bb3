/**
 * Plain data shared by the core, the engines and the backends: task ids, signal records, exec records, and the
 * scheduling points that every coroutine (tracee thread or debugger-side code) yields.
 */

/** A thread id (the kernel's pid of one thread). */
export type TaskId = number;

/** `siginfo_t`, reduced to what engines read and rewrite. report_signal may change every field. */
export interface SigInfo {
  signo: number;
  code: number;
  errno: number;
  /** Sender's tid, or 0 for the kernel. */
  pid: number;
  /** Faulting address or sigqueue value, when there is one. */
  addr: bigint;
}

/** What a `k_sigaction` says to do with a signal. */
export type SigHandlerKind = 'default' | 'ignore' | 'handler';

/** `struct k_sigaction`, reduced: the disposition, the handler address, and SA_ONESHOT (SA_RESETHAND). */
export interface SigAction {
  handler: SigHandlerKind;
  /** Handler address for `handler`, 0 otherwise. */
  address: bigint;
  oneshot: boolean;
}

/** What report_exec is told (`linux_binfmt`/`linux_binprm`, reduced). */
export interface ExecInfo {
  readonly filename: string;
  readonly argv: readonly string[];
}

/**
 * A point where a coroutine gives the scheduler a choice. The core yields `callback` points between a callback's
 * start and the application of its return value, and `blocked` inside `utrace_stop`; backends and debugger code
 * yield the others. The scheduler (the simulator's, or the explorer's) decides who runs next.
 */
export type Point = PreemptPoint | CallbackPoint | BlockedPoint | SleepPoint | WaitPoint;

/** The coroutine may be preempted here and stays runnable. */
export interface PreemptPoint {
  readonly kind: 'preempt';
  /** What the coroutine is about to do (for traces and schedule choices), e.g. `control STOP`. */
  readonly label: string;
}

/** A tracee thread is inside a report pass: `start` right before a callback runs, `return` after it returned but
 * before its return value is applied. Debugger-side code running at these points races with the callback. */
export interface CallbackPoint {
  readonly kind: 'callback';
  phase: 'start' | 'return';
  task: TaskId;
  engine: number;
  /** The callback's utrace name, e.g. `report_quiesce`. */
  callback: string;
}

/** The thread blocked (in `utrace_stop`, a job-control stop, or a sleeping system call) until the backend wakes it. */
export interface BlockedPoint {
  readonly kind: 'blocked';
  readonly reason: string;
}

/** The coroutine sleeps for `ns` nanoseconds of (virtual) time; `ns` may be 0 to model a cost-free yield. */
export interface SleepPoint {
  readonly kind: 'sleep';
  readonly ns: number;
}

/** The coroutine waits until `ready()` holds or the deadline (absolute ns, or Infinity) passes. */
export interface WaitPoint {
  readonly kind: 'wait';
  readonly ready: () => boolean;
  readonly deadline: number;
  readonly label: string;
}

/** A coroutine: a generator that yields scheduling points and returns a value. */
export type Coroutine<T> = Generator<Point, T, void>;
