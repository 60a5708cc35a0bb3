/**
 * The session that runs the utrace core on real processes: a `Utrace` on the {@link LinuxBackend}, fed by the
 * tracer's events. What to attach is up to a *setup module* (its URL in `sessionOptions.setup`) exporting
 * `setup(context)`, called once before the first event: `utrc run` attaches the compiled engines there. Emitted
 * records go to the main thread as `{ type: 'emit', ... }` messages; engine faults as `{ type: 'fault', ... }`.
 * Requests from the main thread go to the setup's `onRequest`, after which tasks it woke are run.
 */
import { Utrace } from '../../core/utrace.js';
import type { PolicyName } from '../../policy.js';
import type { TaskId } from '../../types.js';
import type { Session, SessionContext } from '../session.js';
import type { TraceSummary } from '../tracer.js';
import { LinuxDebuggerHost } from '../debugger-host.js';
import { LinuxBackend } from '../utrace-backend.js';
import { errorMessage } from '../../lib/errors.js';

/** `sessionOptions` of this session. */
export interface UtraceSessionOptions {
  /** URL of the setup module. */
  readonly setup: string;
  /** The policy switch of the core (default `classic`). */
  readonly policy?: PolicyName;
  /** Passed to `setup` as `options`. */
  readonly setupOptions?: unknown;
  /** Keep the core's event log (for `--trace`); off by default, which makes the run faster. */
  readonly trace?: boolean;
  /** Post every emitted record to the main thread as `{ type: 'emit' }` (default true). A setup that prints the
   * records itself turns this off, so no record crosses threads twice. */
  readonly forwardEmits?: boolean;
}

/** What `setup` gets. */
export interface UtraceSetupContext {
  readonly runtime: Utrace;
  readonly backend: LinuxBackend;
  /** Runs debugger-side code (control blocks, `every` timers) in real time on the tracer thread. */
  readonly debugger: LinuxDebuggerHost;
  /** The traced tasks at the start: the command, or every thread of the attached processes. */
  readonly tasks: readonly TaskId[];
  /** The process (thread group) of a task. */
  tgid(task: TaskId): number;
  /**
   * Settles when every task is dead or detached, before `onEnd`: what a session backend's `run()` returns, so a
   * session started in `setup` (and not awaited there) finishes in `onEnd`.
   */
  readonly ended: Promise<TraceSummary>;
  readonly options: unknown;
  post(message: unknown): void;
  /** A timer on the tracer thread (see `SessionContext.setTimer`); tasks its code wakes are run after it. */
  setTimer(ms: number, fn: () => void): number;
  clearTimer(id: number): void;
}

/** What `setup` may return. `onEnd` may return a promise: the worker reports the end once it settles. */
export interface UtraceSetup {
  onRequest?(payload: unknown): unknown;
  onEnd?(): void | Promise<void>;
}

/** The export a setup module provides. */
export type UtraceSetupFunction = (context: UtraceSetupContext) => UtraceSetup | void | Promise<UtraceSetup | void>;

/** Creates the session (the export the tracer worker looks for). */
export async function createSession(context: SessionContext): Promise<Session> {
  const options = context.options as UtraceSessionOptions;
  const module = (await import(options.setup)) as { setup?: UtraceSetupFunction };
  if (typeof module.setup !== 'function') throw new Error(`${options.setup} does not export \`setup\``);
  const backend = new LinuxBackend(context.tracer);
  const runtime = new Utrace(backend, { policy: options.policy ?? 'classic', keepLog: options.trace === true });
  let end: (summary: TraceSummary) => void = () => undefined;
  const ended = new Promise<TraceSummary>((resolve) => (end = resolve));
  backend.connect(runtime);
  const setTimer = (ms: number, fn: () => void): number =>
    context.setTimer(ms, () => {
      fn();
      backend.drain();
    });
  const debuggerHost = new LinuxDebuggerHost(runtime, backend, { setTimer, clearTimer: context.clearTimer });
  let faults = 0;
  if (options.forwardEmits !== false)
    runtime.onEmit((o) => context.post({ type: 'emit', task: o.task, engine: o.engineName, value: o.value }));
  const setup =
    (await module.setup({
      runtime,
      backend,
      debugger: debuggerHost,
      tasks: context.tracer.taskList().map((t) => t.tid),
      tgid: (task) => backend.tgid(task),
      ended,
      options: options.setupOptions,
      post: context.post,
      setTimer,
      clearTimer: (id) => context.clearTimer(id),
    })) ?? {};
  const reportFaults = (): void => {
    for (; faults < runtime.faults.length; faults++) {
      const f = runtime.faults[faults];
      if (f === undefined) continue;
      const message = errorMessage(f.error);
      context.post({ type: 'fault', engine: f.engine, task: f.task, callback: f.callback, message });
    }
  };
  return {
    onEvent(event) {
      backend.onEvent(event);
      if (runtime.faults.length > faults) reportFaults();
    },
    onRequest(payload) {
      const value = setup.onRequest?.(payload);
      backend.drain();
      return value;
    },
    onEnd(summary) {
      debuggerHost.stop();
      end(summary);
      return setup.onEnd?.();
    },
  };
}
