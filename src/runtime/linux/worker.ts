/**
 * The tracer thread's entry point (run as a `node:worker_threads` Worker by handle.ts). It owns the Tracer for its
 * whole life, so every ptrace call comes from this one thread, and it runs the session's handlers synchronously
 * between waits. Requests from the main thread are read synchronously from a MessagePort whenever the shared
 * counter says some are waiting; the wake-up signal makes sure that happens even while the tracer is blocked.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { TraceError } from './errors.js';
import type { ErrorData, Reply, Request, WorkerData } from './protocol.js';
import { SHARED } from './protocol.js';
import type { CreateSession, Session } from './session.js';
import { Tracer } from './tracer.js';
import { currentThreadId, installWakeSignal } from './wakeup.js';

function post(reply: Reply): void {
  parentPort?.postMessage(reply);
}

function errorData(error: unknown): ErrorData {
  if (error instanceof TraceError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message, stack: error.stack ?? '' };
  return { code: 'internal', message: String(error) };
}

async function main(): Promise<void> {
  const data = workerData as WorkerData;
  const shared = new Int32Array(data.shared);
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  let tracer: Tracer;
  let session: Session;
  try {
    installWakeSignal();
    Atomics.store(shared, SHARED.WORKER_TID, currentThreadId());
    const module = (await import(data.session)) as { createSession?: CreateSession };
    if (typeof module.createSession !== 'function') {
      throw new TraceError('session-failed', `${data.session} does not export \`createSession\``);
    }
    tracer = new Tracer({ syscalls: data.syscalls, killOnExit: data.killOnExit });
    const pids: number[] = [];
    if (data.command !== undefined) pids.push(tracer.spawn(data.command));
    for (const pid of data.pids ?? []) pids.push(...tracer.attach(pid));
    const context = {
      tracer,
      options: data.sessionOptions,
      post: (payload: unknown) => post({ type: 'message', payload }),
      setTimer: (ms: number, fn: () => void): number => {
        const id = nextTimer++;
        timers.set(id, fn);
        post({ type: 'set-timer', id, ms });
        return id;
      },
      clearTimer: (id: number): void => {
        if (timers.delete(id)) post({ type: 'clear-timer', id });
      },
    };
    try {
      session = await module.createSession(context);
    } catch (error) {
      // Nothing of the command has run yet: a command we started dies, attached processes run on.
      if (tracer.rootPid !== 0) process.kill(tracer.rootPid, 'SIGKILL');
      tracer.detachAll();
      tracer.run({ onEvent: () => undefined });
      throw error;
    }
    post({ type: 'started', pids, exitKill: tracer.exitKill });
  } catch (error) {
    post({ type: 'start-failed', error: errorData(error) });
    return;
  }

  const poll = (): void => {
    if (Atomics.load(shared, SHARED.PENDING) === 0) return;
    for (;;) {
      const received = receiveMessageOnPort(data.requests);
      if (received === undefined) return;
      Atomics.sub(shared, SHARED.PENDING, 1);
      handleRequest(received.message as Request);
    }
  };
  const handleRequest = (request: Request): void => {
    switch (request.type) {
      case 'interrupt':
        tracer.interrupt(request.tid);
        return;
      case 'detach-all':
        tracer.detachAll(request.signalRoot);
        return;
      case 'timer': {
        const fn = timers.get(request.id);
        timers.delete(request.id);
        fn?.();
        return;
      }
      case 'request':
        try {
          const value = session.onRequest?.(request.payload);
          post({ type: 'reply', id: request.id, value });
        } catch (error) {
          post({ type: 'reply', id: request.id, error: errorData(error) });
        }
        return;
    }
  };

  try {
    const summary = tracer.run({ onEvent: (event) => session.onEvent(event), poll });
    await session.onEnd?.(summary);
    post({ type: 'done', summary });
  } catch (error) {
    post({ type: 'failed', error: errorData(error) });
  }
}

await main();
