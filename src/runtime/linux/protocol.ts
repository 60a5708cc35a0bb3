/**
 * The messages between the main thread (handle.ts) and the tracer worker (worker.ts). Plain data only: they cross
 * threads by structured clone.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SpawnSpec } from './spawn.js';
import type { SyscallSelection, TraceSummary } from './tracer.js';
import type { TraceErrorCode } from './errors.js';

/** What the worker is started with (`workerData`). */
export interface WorkerData {
  readonly session: string;
  readonly sessionOptions: unknown;
  readonly command?: SpawnSpec;
  readonly pids?: readonly number[];
  readonly syscalls: SyscallSelection;
  readonly killOnExit: boolean;
  /** Int32Array over it: [0] unread requests, [1] the worker's kernel thread id. */
  readonly shared: SharedArrayBuffer;
  /** The port requests arrive on (read synchronously with `receiveMessageOnPort`). */
  readonly requests: MessagePort;
}

/** Main thread → worker. */
export type Request =
  | { readonly type: 'request'; readonly id: number; readonly payload: unknown }
  | { readonly type: 'interrupt'; readonly tid: number }
  | { readonly type: 'detach-all'; readonly signalRoot: number }
  | { readonly type: 'timer'; readonly id: number };

/** A failure, as data. */
export interface ErrorData {
  readonly code: TraceErrorCode | 'internal';
  readonly message: string;
  readonly stack?: string;
}

/** Worker → main thread. */
export type Reply =
  | { readonly type: 'started'; readonly pids: readonly number[]; readonly exitKill: boolean }
  | { readonly type: 'start-failed'; readonly error: ErrorData }
  | { readonly type: 'message'; readonly payload: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: ErrorData }
  | { readonly type: 'set-timer'; readonly id: number; readonly ms: number }
  | { readonly type: 'clear-timer'; readonly id: number }
  | { readonly type: 'done'; readonly summary: TraceSummary }
  | { readonly type: 'failed'; readonly error: ErrorData };

/** Slots of the shared Int32Array. */
export const SHARED = { PENDING: 0, WORKER_TID: 1 } as const;
