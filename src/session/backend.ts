/**
 * What a session needs from a backend, whichever it is: the runtime (engine API, event log, output records,
 * callback faults), the debugger host that runs control code, the task to attach to, and a way to run until the
 * traced world is done. The simulator adapter is in `sim-backend.ts`; the Linux backend can provide the same.
 */
import type { DebuggerHost, EngineFault, Output, Runtime, TaskId } from '../runtime/index.js';

/** How a backend run ended. */
export interface BackendOutcome {
  /** `done`: every traced task is gone; anything else is said in `note` (tasks left stopped, a time limit). */
  readonly reason: string;
  /** Runtime time at the end (ns). */
  readonly time: number;
  /** One line for the user when the run did not simply finish (e.g. tasks left stopped forever). */
  readonly note?: string;
}

/** A backend as a session uses it. */
export interface SessionBackend {
  /** `sim` or `linux`. */
  readonly name: string;
  readonly runtime: Runtime;
  readonly debugger: DebuggerHost;
  /** The task the engines attach to first (the workload's or command's initial task). */
  readonly initialTask: TaskId;
  /** Every task the engines attach to at the start, when there are several (`utrc run -p PID,PID`); default `[initialTask]`. */
  readonly initialTasks?: readonly TaskId[];
  /** The process id (thread-group id) of a task. */
  tgid(task: TaskId): number;
  /** Deliver every output record to `fn`, as it happens. */
  onEmit(fn: (o: Output) => void): void;
  /** Exceptions thrown by engine callbacks so far (the engine was detached for each). */
  readonly faults: readonly EngineFault[];
  /** Exceptions thrown by debugger-side code so far, by the name it was started under. */
  readonly debuggerErrors: readonly { readonly name: string; readonly error: unknown }[];
  /** Run the traced world to its end. */
  run(): Promise<BackendOutcome>;
}
