/**
 * A session that counts syscalls per number (and failures) and lets everything else run on untouched: the trivial
 * per-syscall engine of the benchmarks, and a smoke test of the whole layer. With `errors` (the default) it counts
 * at syscall exits, as `strace -c` does, so syscalls that never return (exit, exit_group, a successful execve's
 * old image aside) are not counted; without, it counts entries and asks for no exit stops.
 */
import type { TraceEvent } from '../events.js';
import type { Session, SessionContext } from '../session.js';

/** Options: `errors` (default true) counts completed calls and failures at exits; false counts entries only. */
export interface SyscallCountOptions {
  readonly errors?: boolean;
}

/** Per syscall number: calls and failed calls. */
export type SyscallCounts = Record<number, { calls: number; errors: number }>;

/** The message the session posts at the end. */
export interface SyscallCountReport {
  readonly type: 'syscall-counts';
  readonly counts: SyscallCounts;
}

/** Creates the counting session (the export the tracer worker looks for). */
export function createSession(context: SessionContext): Session {
  const tracer = context.tracer;
  const options = (context.options ?? {}) as SyscallCountOptions;
  const exitStop = options.errors !== false;
  const counts: SyscallCounts = {};
  const onEvent = (event: TraceEvent): void => {
    switch (event.kind) {
      case 'syscall-entry':
        if (!exitStop) (counts[event.nr] ??= { calls: 0, errors: 0 }).calls++;
        tracer.resume(event.tid, { exitStop });
        return;
      case 'syscall-exit':
        if (exitStop && event.nr >= 0) {
          const entry = (counts[event.nr] ??= { calls: 0, errors: 0 });
          entry.calls++;
          if (event.error !== 0) entry.errors++;
        }
        tracer.resume(event.tid);
        return;
      case 'death':
      case 'detached':
        return;
      default:
        tracer.resume(event.tid);
    }
  };
  return {
    onEvent,
    onRequest: () => counts,
    onEnd: () => context.post({ type: 'syscall-counts', counts } satisfies SyscallCountReport),
  };
}
