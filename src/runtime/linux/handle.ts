/**
 * The main thread's side of the Linux backend: starts the tracer worker, forwards requests to it (waking it with a
 * signal, repeated until it has read them), and turns its replies into promises. The main thread's event loop stays
 * free for timers, stdin and signals such as Ctrl-C.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { TraceError } from './errors.js';
import type { TraceErrorCode } from './errors.js';
import type { ErrorData, Reply, Request, WorkerData } from './protocol.js';
import { SHARED } from './protocol.js';
import type { SpawnSpec } from './spawn.js';
import { checkTrampoline } from './spawn.js';
import type { SyscallSelection, TraceSummary } from './tracer.js';
import { wakeThread } from './wakeup.js';

/** What to trace and with which session. */
export interface LaunchOptions {
  /** URL (or absolute file URL string) of the session module, which exports `createSession`. */
  readonly session: string | URL;
  /** Passed to `createSession` as `options` (must survive structured clone). */
  readonly sessionOptions?: unknown;
  /** Start this command traced (like `utrc run -- CMD`). */
  readonly command?: SpawnSpec;
  /** Attach to these processes, all their threads (like `utrc run -p PID,...`). */
  readonly pids?: readonly number[];
  /** Default `{ mode: 'all' }`. With `pids`, a `filter` selection falls back to `all` (see `LaunchInfo.notes`). */
  readonly syscalls?: SyscallSelection;
  /** `PTRACE_O_EXITKILL` even without a filter (`--kill-on-exit`). */
  readonly killOnExit?: boolean;
  /** Messages the session posts. */
  readonly onMessage?: (payload: unknown) => void;
  /**
   * The worker's entry module; default `worker.js` beside this module. Code running from the TypeScript sources
   * (tests) passes the build's, since a worker thread loads JavaScript.
   */
  readonly workerUrl?: URL;
}

/** What the launch set up. */
export interface LaunchInfo {
  /** The command's pid, then the thread ids of attached processes. */
  readonly pids: readonly number[];
  /** The syscall selection in force. */
  readonly syscalls: SyscallSelection;
  /** Whether the tracees die with utrc (`PTRACE_O_EXITKILL`). */
  readonly exitKill: boolean;
  /** Things the user should be told, one line each (no trailing period). */
  readonly notes: readonly string[];
}

const RETRY_MS = 5;

/** A running tracer worker. */
export class TracerHandle {
  /** What the launch set up. */
  readonly info: LaunchInfo;
  /** Resolves when every task is dead or detached; rejects with a TraceError if the session failed. */
  readonly done: Promise<TraceSummary>;

  private readonly shared: Int32Array;
  private readonly port: MessagePort;
  private readonly replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private finished = false;
  private retry: ReturnType<typeof setInterval> | undefined;
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  private constructor(info: LaunchInfo, shared: Int32Array, port: MessagePort, done: Promise<TraceSummary>) {
    this.info = info;
    this.shared = shared;
    this.port = port;
    this.done = done;
  }

  /** Starts the worker and the command (or attaches), and resolves once tracing has begun. */
  static async launch(options: LaunchOptions): Promise<TracerHandle> {
    if (options.command === undefined && (options.pids === undefined || options.pids.length === 0)) {
      throw new TraceError('spawn-failed', 'nothing to trace: give a command or process ids');
    }
    if (options.command !== undefined) checkTrampoline();
    const notes: string[] = [];
    let syscalls = options.syscalls ?? { mode: 'all' };
    if (syscalls.mode === 'filter' && options.command === undefined) {
      syscalls = { mode: 'all' };
      notes.push('attached processes cannot get a seccomp filter: every syscall stops (slower)');
    }
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const channel = new MessageChannel();
    const data: WorkerData = {
      session: options.session.toString(),
      sessionOptions: options.sessionOptions,
      ...(options.command !== undefined ? { command: options.command } : {}),
      ...(options.pids !== undefined ? { pids: options.pids } : {}),
      syscalls,
      killOnExit: options.killOnExit === true,
      shared: shared.buffer as SharedArrayBuffer,
      requests: channel.port2,
    };
    const worker = new Worker(options.workerUrl ?? new URL('./worker.js', import.meta.url), {
      workerData: data,
      transferList: [channel.port2],
    });

    let handle: TracerHandle | undefined;
    const early: { id: number; ms: number }[] = [];
    let settleStart: { resolve: (h: TracerHandle) => void; reject: (e: Error) => void } | undefined;
    const started = new Promise<TracerHandle>((resolve, reject) => (settleStart = { resolve, reject }));
    let settleDone: { resolve: (s: TraceSummary) => void; reject: (e: Error) => void } | undefined;
    const done = new Promise<TraceSummary>((resolve, reject) => (settleDone = { resolve, reject }));
    // A rejection nobody awaits yet must not crash the process; callers see it through `done`.
    done.catch(() => undefined);

    const finish = (): void => {
      if (handle !== undefined) handle.stop();
    };
    worker.on('message', (reply: Reply) => {
      switch (reply.type) {
        case 'started': {
          const exitKill = reply.exitKill;
          if (exitKill && syscalls.mode === 'filter') {
            notes.push('the seccomp filter is in force: the traced processes are killed if utrc is killed');
          } else if (exitKill) {
            notes.push('the traced processes are killed if utrc is killed (--kill-on-exit)');
          }
          handle = new TracerHandle({ pids: reply.pids, syscalls, exitKill, notes }, shared, channel.port1, done);
          for (const timer of early.splice(0)) handle.setTimer(timer.id, timer.ms);
          settleStart?.resolve(handle);
          return;
        }
        case 'start-failed':
          settleStart?.reject(toError(reply.error));
          return;
        case 'message':
          options.onMessage?.(reply.payload);
          return;
        case 'set-timer':
          // A session may set timers while it is created, before the handle exists.
          if (handle === undefined) early.push(reply);
          else handle.setTimer(reply.id, reply.ms);
          return;
        case 'clear-timer':
          if (handle !== undefined) handle.clearTimer(reply.id);
          else if (early.some((t) => t.id === reply.id))
            early.splice(
              early.findIndex((t) => t.id === reply.id),
              1,
            );
          return;
        case 'reply':
          handle?.settle(reply.id, reply.value, reply.error);
          return;
        case 'done':
          finish();
          settleDone?.resolve(reply.summary);
          return;
        case 'failed':
          finish();
          settleDone?.reject(toError(reply.error));
          return;
      }
    });
    worker.on('error', (error) => {
      finish();
      settleStart?.reject(error);
      settleDone?.reject(error);
    });
    worker.on('exit', () => {
      finish();
      channel.port1.close();
      const error = new TraceError('session-failed', 'the tracer thread ended unexpectedly');
      settleStart?.reject(error);
      settleDone?.reject(error);
    });
    return started;
  }

  /** Sends a request to the session (`onRequest`) and resolves with its reply. */
  request(payload: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.finished) {
        reject(new TraceError('session-failed', 'tracing has ended'));
        return;
      }
      this.replies.set(id, { resolve, reject });
      this.send({ type: 'request', id, payload });
    });
  }

  /** Asks task `tid` to stop (PTRACE_INTERRUPT); the session sees its next stop with `interrupted: true`. */
  interrupt(tid: number): void {
    this.send({ type: 'interrupt', tid });
  }

  /**
   * Detaches every task; they run on (those in a job-control stop stay stopped). With `signalRoot`, that signal is
   * sent to the command first, as strace does with the fatal signal it received.
   */
  detachAll(signalRoot = 0): void {
    this.send({ type: 'detach-all', signalRoot });
  }

  /**
   * Detaches everything on SIGINT, SIGTERM and SIGHUP instead of dying with the tracees stopped. Returns a function
   * that removes the handlers. A second signal of the same kind is left to Node's default (exit).
   */
  detachOnSignals(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']): () => void {
    const handler = (signal: NodeJS.Signals): void => {
      process.removeListener(signal, handler);
      this.detachAll();
    };
    for (const signal of signals) process.on(signal, handler);
    const remove = (): void => {
      for (const signal of signals) process.removeListener(signal, handler);
    };
    this.done.then(remove, remove);
    return remove;
  }

  private send(request: Request): void {
    if (this.finished) return;
    Atomics.add(this.shared, SHARED.PENDING, 1);
    this.port.postMessage(request);
    this.kick();
    // The signal may land just before the worker blocks in waitpid; repeat it until the worker has read everything.
    this.retry ??= setInterval(() => {
      if (this.finished || Atomics.load(this.shared, SHARED.PENDING) === 0) {
        clearInterval(this.retry);
        this.retry = undefined;
        return;
      }
      this.kick();
    }, RETRY_MS);
  }

  private setTimer(id: number, ms: number): void {
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        this.send({ type: 'timer', id });
      }, ms),
    );
  }

  private clearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private kick(): void {
    const tid = Atomics.load(this.shared, SHARED.WORKER_TID);
    if (tid !== 0) wakeThread(tid);
  }

  private settle(id: number, value: unknown, error: ErrorData | undefined): void {
    const pending = this.replies.get(id);
    if (pending === undefined) return;
    this.replies.delete(id);
    if (error !== undefined) pending.reject(toError(error));
    else pending.resolve(value);
  }

  private stop(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.retry !== undefined) clearInterval(this.retry);
    this.retry = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const pending of this.replies.values()) pending.reject(new TraceError('session-failed', 'tracing has ended'));
    this.replies.clear();
    this.port.close();
  }
}

function toError(data: ErrorData): Error {
  if (data.code === 'internal') {
    const error = new Error(data.message);
    if (data.stack !== undefined) error.stack = data.stack;
    return error;
  }
  return new TraceError(data.code as TraceErrorCode, data.message);
}
