/**
 * The errors the Linux backend reports to users: each has a stable code and a one-line message that says what to
 * do, so the CLI can print it without a stack trace.
 */
import { readFileSync } from 'node:fs';
import { ERRNO } from './constants.js';
import { libc, strerror } from './ffi.js';

/** What went wrong, for callers that react differently (exit statuses, hints). */
export type TraceErrorCode =
  | 'command-not-found'
  | 'permission-denied'
  | 'spawn-failed'
  | 'helper-missing'
  | 'no-such-process'
  | 'attach-refused'
  | 'unsupported'
  | 'session-failed';

/** A user-facing failure of the Linux backend. */
export class TraceError extends Error {
  /** Stable code, see {@link TraceErrorCode}. */
  readonly code: TraceErrorCode;
  constructor(code: TraceErrorCode, message: string) {
    super(message);
    this.name = 'TraceError';
    this.code = code;
  }
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The pid of the process tracing `pid` (from `/proc/PID/status`), 0 if none, undefined if unreadable. */
export function tracerPidOf(pid: number): number | undefined {
  const match = /^TracerPid:\s*(\d+)/m.exec(readProc(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The command name of a process, for messages. */
function commOf(pid: number): string | undefined {
  return readProc(`/proc/${pid}/comm`)?.trim();
}

/**
 * Explains why `PTRACE_SEIZE` of `pid` failed, in the order of likelihood strace users know: no such process,
 * another tracer (named), Yama's ptrace_scope, missing privileges.
 */
export function explainAttachFailure(pid: number, errnum: number): TraceError {
  if (errnum === ERRNO.ESRCH) return new TraceError('no-such-process', `no such process: ${pid}`);
  if (errnum === ERRNO.EPERM) {
    const tracer = tracerPidOf(pid);
    if (tracer === undefined && readProc(`/proc/${pid}/stat`) === undefined) {
      return new TraceError('no-such-process', `no such process: ${pid}`);
    }
    if (tracer !== undefined && tracer !== 0) {
      // TracerPid names the tracing *thread*; users know the process.
      const process = Number(/^Tgid:\s*(\d+)/m.exec(readProc(`/proc/${tracer}/status`) ?? '')?.[1] ?? tracer);
      const name = commOf(process);
      return new TraceError(
        'attach-refused',
        `cannot attach to ${pid}: it is already traced by process ${process}${name ? ` (${name})` : ''}`,
      );
    }
    const scope = readProc('/proc/sys/kernel/yama/ptrace_scope')?.trim();
    const root = libc().geteuid() === 0;
    if (scope !== undefined && scope !== '0' && !(root && scope !== '3')) {
      const why: Record<string, string> = {
        '1': 'only a parent may trace its children',
        '2': 'only root may attach',
        '3': 'attaching is disabled until reboot',
      };
      return new TraceError(
        'attach-refused',
        `cannot attach to ${pid}: kernel.yama.ptrace_scope is ${scope} (${why[scope] ?? 'restricted'}); ` +
          `run as root or set it to 0 with \`sysctl kernel.yama.ptrace_scope=0\``,
      );
    }
    if (!root) {
      return new TraceError(
        'attach-refused',
        `cannot attach to ${pid}: operation not permitted (not root; the process may belong to another user or be setuid)`,
      );
    }
    return new TraceError('attach-refused', `cannot attach to ${pid}: operation not permitted`);
  }
  return new TraceError('attach-refused', `cannot attach to ${pid}: ${strerror(errnum)}`);
}
