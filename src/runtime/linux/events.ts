/**
 * The raw event stream of the ptrace layer: one event per thing the kernel reports about a traced task. Every event
 * but `death` and `detached` is a *stop*: the task stays stopped until the handler (or later code on the tracer
 * thread) calls `Tracer.resume` or `Tracer.detach` for it. That is what lets the runtime core hold a task stopped
 * while any engine wants it, exactly as utrace's ENGINE_STOP does.
 */
import type { ExitStatus } from './wait-status.js';

/** Fields shared by every event. `tgid` is the process (thread group) the task belongs to. */
interface TaskEventBase {
  readonly tid: number;
  readonly tgid: number;
}

/** Fields shared by stop events. */
interface StopEventBase extends TaskEventBase {
  /** True when an `interrupt(tid)` was pending: the kernel serves it with the next stop of any kind. */
  readonly interrupted: boolean;
}

/** Syscall entry (a syscall-entry stop, or a seccomp `RET_TRACE` stop when the filter is on). */
export interface SyscallEntryEvent extends StopEventBase {
  readonly kind: 'syscall-entry';
  readonly nr: number;
  /** The six argument registers, unsigned. */
  readonly args: readonly bigint[];
  readonly ip: bigint;
  readonly sp: bigint;
  /** False for a syscall of a foreign ABI (e.g. i386 `int 0x80` on x86_64), whose numbers differ. */
  readonly native: boolean;
  /** True when the seccomp filter, not a syscall-entry stop, reported it. */
  readonly seccomp: boolean;
}

/** Syscall exit (a syscall-exit stop). */
export interface SyscallExitEvent extends StopEventBase {
  readonly kind: 'syscall-exit';
  /** The number seen at entry, or -1 when the entry was not seen (e.g. attached during the syscall). */
  readonly nr: number;
  /** The return value, signed. */
  readonly rval: bigint;
  /** The errno when the syscall failed (`rval` = -errno), else 0. */
  readonly error: number;
}

/** A signal about to be delivered (signal-delivery stop). Resuming delivers it unless told otherwise. */
export interface SignalEvent extends StopEventBase {
  readonly kind: 'signal';
  readonly signal: number;
}

/** The task entered a job-control stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU took effect). */
export interface GroupStopEvent extends StopEventBase {
  readonly kind: 'group-stop';
  readonly signal: number;
}

/** The task's job-control stop ended (SIGCONT), reported because it was resumed with `PTRACE_LISTEN`. */
export interface ContinuedEvent extends StopEventBase {
  readonly kind: 'continued';
}

/** The task stopped because `interrupt(tid)` asked it to, with nothing else to report. */
export interface InterruptEvent extends StopEventBase {
  readonly kind: 'interrupt';
}

/** The first stop of a task that `attach(pid)` seized. */
export interface AttachEvent extends StopEventBase {
  readonly kind: 'attach';
  /** The stop signal when the task was already in a job-control stop, else 0. */
  readonly groupStop: number;
}

/** A task created a new task; the child exists, is traced, and will not run before its `start` stop is resumed. */
export interface CloneEvent extends StopEventBase {
  readonly kind: 'clone';
  readonly child: number;
  /** `thread`: a new thread of the same process; `fork`/`vfork`: a new process; `clone`: a clone() of another kind. */
  readonly how: 'thread' | 'fork' | 'vfork' | 'clone';
}

/** The first stop of a task created by a traced task; always reported after the parent's `clone` event. */
export interface StartEvent extends StopEventBase {
  readonly kind: 'start';
  /** The task that created it, or 0 if its clone event was never seen. */
  readonly parent: number;
}

/** A vfork parent is about to run again: its child exec'd or exited. */
export interface VforkDoneEvent extends StopEventBase {
  readonly kind: 'vfork-done';
  readonly child: number;
}

/** execve succeeded; the task runs the new program from its first instruction once resumed. */
export interface ExecEvent extends StopEventBase {
  readonly kind: 'exec';
  /** The thread that called execve; differs from `tid` when a non-leader thread exec'd and took the leader's id. */
  readonly formerTid: number;
}

/** A task single-stepped (or block-stepped) by `resume(tid, { step })` completed its step. */
export interface StepEvent extends StopEventBase {
  readonly kind: 'step';
}

/** The task is exiting (`PTRACE_EVENT_EXIT`): it can no longer be kept from dying, but its state is intact. */
export interface ExitEvent extends StopEventBase {
  readonly kind: 'exit';
  readonly status: ExitStatus;
}

/** The task is dead (its wait status was collected). Not a stop: nothing to resume. */
export interface DeathEvent extends TaskEventBase {
  readonly kind: 'death';
  /** How it ended; null when it vanished without a status (an old thread-group leader replaced by exec). */
  readonly status: ExitStatus | null;
}

/** The task is no longer traced, because `detach` was called or handling its events failed. Not a stop. */
export interface DetachedEvent extends TaskEventBase {
  readonly kind: 'detached';
}

/** Every event of the ptrace layer. */
export type TraceEvent =
  | SyscallEntryEvent
  | SyscallExitEvent
  | SignalEvent
  | GroupStopEvent
  | ContinuedEvent
  | InterruptEvent
  | AttachEvent
  | CloneEvent
  | StartEvent
  | VforkDoneEvent
  | ExecEvent
  | StepEvent
  | ExitEvent
  | DeathEvent
  | DetachedEvent;

/** The kinds of events that leave the task stopped until it is resumed or detached. */
export type StopEvent = Exclude<TraceEvent, DeathEvent | DetachedEvent>;

/** True when an event leaves its task stopped. */
export function isStop(event: TraceEvent): event is StopEvent {
  return event.kind !== 'death' && event.kind !== 'detached';
}
