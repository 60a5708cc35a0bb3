/**
 * The backend interface: what a "kernel" provides to the utrace core, and the report points through which the
 * kernel calls the core. The simulator (`sim/`) implements it now; a Linux ptrace backend implements it next.
 *
 * Division of work:
 * - The backend runs each traced thread to its next report point (a syscall entry or exit, a signal about to be
 *   delivered, clone, exec, exit, death, reap, the return to user mode) and there drives the core's matching
 *   `ReportPoints` coroutine to completion. The coroutine's result is the resolved action the backend applies
 *   (skip the syscall, deliver this signal with this disposition, single-step); stop and wake requests arrive
 *   as calls on `Backend` while the coroutine runs.
 * - The coroutine yields `callback` points (where other coroutines may run, e.g. debugger-side control code) and a
 *   `blocked` point inside `utrace_stop`: after `enterUtraceStop`, the backend must not resume that coroutine until
 *   it has woken the task (`wakeUtraceStop`, or SIGKILL).
 * - Every `Backend` method is non-blocking and may be called from any coroutine (the target's own, another
 *   tracee's, or debugger-side code).
 */
import type { Arch } from '../arch/index.js';
import type { Coroutine, ExecInfo, SigAction, SigInfo, TaskId } from './types.js';

/** A thread's scheduling state, as `task->state`/`exit_state` would say. */
export type RunState =
  /** On a CPU or runnable (TASK_RUNNING). */
  | 'running'
  /** Blocked in an interruptible system call (TASK_INTERRUPTIBLE). */
  | 'sleeping'
  /** Blocked in an uninterruptible wait, e.g. a vfork parent (TASK_UNINTERRUPTIBLE). */
  | 'waiting'
  /** In a utrace stop (TASK_TRACED), including a job-control stop converted by `utrace_control(STOP)`. */
  | 'traced'
  /** In a job-control stop (TASK_STOPPED). */
  | 'stopped'
  /** Exited, not yet reaped (EXIT_ZOMBIE). */
  | 'zombie'
  /** Reaped or being reaped (EXIT_DEAD). */
  | 'dead';

/** Single-step mode the backend arms before the task returns to user mode. */
export type StepMode = 'none' | 'single' | 'block';

/** A signal taken off the queue: its info and the disposition in force (`sighand->action[signr-1]`). */
export interface DequeuedSignal {
  info: SigInfo;
  action: SigAction;
}

/** What a "kernel" provides to the utrace core. */
export interface Backend {
  /** `sim` or `linux` (recorded in the log's first record). */
  readonly name: string;
  readonly arch: Arch;
  /** `arch_has_single_step()`, `arch_has_block_step()`. */
  readonly canSingleStep: boolean;
  readonly canBlockStep: boolean;
  /** Nanoseconds (virtual in the simulator). */
  now(): number;

  /** Whether the thread exists (not yet fully reaped): `pid_task() != NULL`. */
  exists(task: TaskId): boolean;
  runState(task: TaskId): RunState;
  /** `nvcsw | nivcsw`-like counter that changes whenever the thread runs after being off the CPU. */
  switchCount(task: TaskId): number;
  /** SIGKILL (or a group exit) is pending. */
  fatalSignalPending(task: TaskId): boolean;
  /** Some signal is pending and deliverable (`signal_pending`). */
  signalPending(task: TaskId): boolean;

  /** TIF_NOTIFY_RESUME: make the task call `ReportPoints.notifyResume` on its way to user mode. */
  setNotifyResume(task: TaskId): void;
  /** TIF_SIGPENDING: make the task go through `ReportPoints.getSignal` on its way to user mode. */
  setSigpending(task: TaskId): void;
  /** `signal_wake_up(task, 0)`: TIF_SIGPENDING, and kick it out of an interruptible sleep. */
  signalWakeUp(task: TaskId): void;
  /** TIF_SYSCALL_TRACE: whether syscall entry/exit reports are wanted at all. */
  setSyscallTrace(task: TaskId, on: boolean): void;
  /** Arm or disarm stepping for the next return to user mode. */
  setStep(task: TaskId, mode: StepMode): void;

  /** The current task enters a utrace stop: TASK_TRACED plus group-stop bookkeeping. Its coroutine yields a
   * `blocked` point right after. */
  enterUtraceStop(task: TaskId): void;
  /** `utrace_do_stop`'s conversion: a task in a job-control stop becomes traced. True if it was job-stopped. */
  convertJobStop(task: TaskId): boolean;
  /** `utrace_wakeup`: a traced task goes back to its job-control stop if a group stop is in effect, else runs. */
  wakeUtraceStop(task: TaskId): void;

  /** `dequeue_signal` (never SIGKILL's special handling: the core sees SIGKILL and returns it unreported). */
  dequeueSignal(task: TaskId): DequeuedSignal | null;
  /** `push_back_signal` (UTRACE_SIGNAL_HOLD). */
  pushBackSignal(task: TaskId, info: SigInfo): void;
  /** A group stop is pending for the task (`signal->group_stop_count`). */
  groupStopPending(task: TaskId): boolean;
  /** Reset a signal's disposition to default (SA_ONESHOT bookkeeping). */
  resetSigaction(task: TaskId, signo: number): void;

  reg(task: TaskId, name: string): bigint;
  regs(task: TaskId): Record<string, bigint>;
  setReg(task: TaskId, name: string, value: bigint): void;
  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array;
  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void;
}

/**
 * The result of the signal report point (`utrace_get_signal`): `-1` to look again (the core handled a report or an
 * ignored signal, maybe after stopping), `0` for a normal dequeue by the kernel, or a signal number to act on with
 * `info` and `action` (a handler to set up, or the default action of `signr`).
 */
export interface SignalDecision {
  signr: number;
  info: SigInfo;
  action: SigAction;
}

/**
 * The core's report points, called by the backend on the target thread (`current`), in the order the kernel calls
 * the tracehooks. Each gate test (`wants`) is cheap; call a report point only when its event is wanted, as the
 * tracehooks do (they test `task->utrace_flags`).
 */
export interface ReportPoints {
  /** `task_utrace_flags(task) & mask`. */
  wants(task: TaskId, mask: number): boolean;
  /** Set the thread whose coroutine runs now (`current`), or null for debugger-side code. */
  setCurrent(task: TaskId | null): void;
  /** `tracehook_report_syscall_entry`: true means skip the system call (`afterFast`: see `syscallEntryFast`). */
  syscallEntry(task: TaskId, afterFast?: boolean): Coroutine<boolean>;
  /** The first syscall-entry pass as a plain call: `undefined` (use `syscallEntry`), `null` (it must stop: use
   * `syscallEntry(task, true)`), or the abort decision. Optional speed-up for backends. */
  syscallEntryFast(task: TaskId): boolean | null | undefined;
  /** `tracehook_report_syscall_exit`. */
  syscallExit(task: TaskId): Coroutine<void>;
  /** `syscallExit` as a plain call; false when it cannot be used (then run `syscallExit`). */
  syscallExitFast(task: TaskId): boolean;
  /** `tracehook_report_exec`. */
  exec(task: TaskId, info: ExecInfo): Coroutine<void>;
  /** `tracehook_report_clone`: the child exists and has not run yet. */
  clone(task: TaskId, cloneFlags: bigint, child: TaskId): Coroutine<void>;
  /** `tracehook_report_clone_complete` → `utrace_finish_vfork`: the vfork stop, before waiting for the child. */
  finishVfork(task: TaskId): Coroutine<void>;
  /** `tracehook_notify_jctl` → `utrace_report_jctl`. */
  jctl(task: TaskId, type: number, notify: number): Coroutine<void>;
  /** `tracehook_report_exit`: `code.value` may be rewritten by engines. */
  exit(task: TaskId, code: { value: number }): Coroutine<void>;
  /** `tracehook_report_death` (after exit_notify). */
  death(task: TaskId, groupDead: boolean, signal: number): Coroutine<void>;
  /** `tracehook_prepare_release_task` → `utrace_maybe_reap(reap=true)`, in the reaper's context. */
  reap(task: TaskId): Coroutine<void>;
  /** `tracehook_notify_resume` → `utrace_resume` (TIF_NOTIFY_RESUME on the way to user mode). */
  notifyResume(task: TaskId): Coroutine<void>;
  /** `tracehook_get_signal` → `utrace_get_signal`. */
  getSignal(task: TaskId): Coroutine<SignalDecision>;
  /** `tracehook_force_sigpending` → `utrace_interrupt_pending`: `recalc_sigpending` must keep TIF_SIGPENDING set. */
  interruptPending(task: TaskId): boolean;
  /** `tracehook_signal_handler` → `utrace_signal_handler`, after a handler frame was set up. */
  signalHandler(task: TaskId, stepping: boolean): void;
}
