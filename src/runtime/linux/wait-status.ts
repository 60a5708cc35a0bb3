/**
 * Decoding of `waitpid(2)` status words, written out rather than hidden in macros because the ptrace stop kinds
 * are told apart by their bits: `WSTOPSIG` = `SIGTRAP|0x80` for syscall stops (`PTRACE_O_TRACESYSGOOD`), the
 * event number in bits 16-23 for event stops, and anything else for signal-delivery stops.
 */
import { SIG } from './constants.js';

/** How a task ended: `{ code }` for `exit(code)`, `{ signal, core }` when a signal killed it. */
export type ExitStatus = { readonly code: number } | { readonly signal: number; readonly core: boolean };

/** What a wait status says. `event` is the `PTRACE_EVENT_*` number of an event stop, 0 otherwise. */
export type WaitStatus =
  | { readonly kind: 'exited'; readonly status: ExitStatus }
  | { readonly kind: 'syscall' }
  | { readonly kind: 'event'; readonly event: number; readonly signal: number }
  | { readonly kind: 'signal'; readonly signal: number }
  | { readonly kind: 'continued' };

/** Decodes a wait status as returned by `waitpid` for a task traced with `PTRACE_O_TRACESYSGOOD`. */
export function decodeWaitStatus(status: number): WaitStatus {
  const low = status & 0x7f;
  if (low === 0) return { kind: 'exited', status: { code: (status >> 8) & 0xff } };
  if ((status & 0xff) === 0x7f) {
    const signal = (status >> 8) & 0xff;
    const event = (status >>> 16) & 0xff;
    if (event !== 0) return { kind: 'event', event, signal };
    if (signal === (SIG.SIGTRAP | 0x80)) return { kind: 'syscall' };
    return { kind: 'signal', signal };
  }
  if (status === 0xffff) return { kind: 'continued' };
  return { kind: 'exited', status: { signal: low, core: (status & 0x80) !== 0 } };
}

/** Decodes the exit status `PTRACE_GETEVENTMSG` gives at a `PTRACE_EVENT_EXIT` stop (a wait status too). */
export function decodeExitStatus(status: number): ExitStatus {
  const low = status & 0x7f;
  return low === 0 ? { code: (status >> 8) & 0xff } : { signal: low, core: (status & 0x80) !== 0 };
}

/** The process exit code a shell (and strace) reports for a status: the code, or 128 + the killing signal. */
export function shellExitCode(status: ExitStatus): number {
  return 'code' in status ? status.code : 128 + status.signal;
}

/** True for the signals that put a task into a job-control (group) stop when they take effect. */
export function isStopSignal(signal: number): boolean {
  return signal === SIG.SIGSTOP || signal === SIG.SIGTSTP || signal === SIG.SIGTTIN || signal === SIG.SIGTTOU;
}
