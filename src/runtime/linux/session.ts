/**
 * A session is the code that runs on the tracer thread and consumes the event stream: the runtime core's backend
 * adapter in utrc, a plain counter in the benchmarks. It is a module whose `createSession` export the tracer
 * worker imports by URL (worker threads cannot receive functions), then calls once.
 */
import type { TraceEvent } from './events.js';
import type { Tracer, TraceSummary } from './tracer.js';

/** What a session gets from the worker. */
export interface SessionContext {
  /** The tracer, already holding the command or the attached processes. */
  readonly tracer: Tracer;
  /** `sessionOptions` as given to `launch` (structured-cloned). */
  readonly options: unknown;
  /** Sends a message to the main thread (its `onMessage`). */
  post(message: unknown): void;
  /**
   * Calls `fn` on the tracer thread after `ms` milliseconds (the thread's own timers cannot fire while it waits
   * for the tracees: the main thread keeps the time and wakes it). Returns an id for `clearTimer`.
   */
  setTimer(ms: number, fn: () => void): number;
  /** Cancels a timer that has not fired. */
  clearTimer(id: number): void;
}

/** The session's handlers; all run on the tracer thread, one at a time. */
export interface Session {
  /** Every event; stops stay stopped until the session resumes or detaches them. */
  onEvent(event: TraceEvent): void;
  /** A request from the main thread (`TracerHandle.request`); the value returned is the reply. */
  onRequest?(payload: unknown): unknown;
  /** The end: every task is dead or detached. A promise returned delays the end's report until it settles. */
  onEnd?(summary: TraceSummary): void | Promise<void>;
}

/** The export a session module provides. */
export type CreateSession = (context: SessionContext) => Session | Promise<Session>;
