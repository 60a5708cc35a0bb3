/**
 * Waking the tracer thread from another thread. The tracer spends its time blocked in `waitpid`; a thread-directed
 * real-time signal whose handler is installed *without* SA_RESTART makes that waitpid fail with EINTR, so the
 * tracer looks at its mailbox. The handler is a native function that does nothing harmful (libc's `getpid`): a
 * JavaScript handler could run while V8 is not at a safe point.
 *
 * A signal can land just before the tracer enters waitpid and be lost, so the mailbox carries a shared counter of
 * unread requests: the tracer checks it before every wait, and the sender repeats the signal until the counter
 * drops (see handle.ts).
 */
import { errno, libc, nativeBlock, SyscallError } from './ffi.js';

/**
 * The wake-up signal: SIGRTMAX-2 (62). A number, not a `signalNumber` name, on purpose: it is a real-time signal
 * (the arch table names only the standard ones), chosen because Node, libuv, V8 and glibc leave it unused, so
 * interrupting our own waitpid with it never collides with a signal anyone else handles.
 */
export const WAKE_SIGNAL = 62;

const SIG_UNBLOCK = 1;
/** glibc's `struct sigaction` on 64-bit Linux: handler, 128-byte mask, int flags (padded), restorer. */
const SIGACTION_SIZE = 152;
const SA_FLAGS_OFFSET = 136;

let installed = false;

/** Installs the wake-up handler (process-wide, once) and unblocks the signal on the calling thread. */
export function installWakeSignal(): void {
  const c = libc();
  if (!installed) {
    const handler = c.dlsym(null, 'getpid');
    if (handler === null || handler === 0n) throw new Error('cannot find a native no-op for the wake-up signal');
    const act = nativeBlock(SIGACTION_SIZE);
    act.view.setBigUint64(0, handler, true);
    act.view.setInt32(SA_FLAGS_OFFSET, 0, true); // no SA_RESTART: the point is to interrupt waitpid
    if (c.sigaction(WAKE_SIGNAL, act.ptr, null) !== 0) throw new SyscallError('sigaction', errno());
    installed = true;
  }
  const set = nativeBlock(128);
  c.sigemptyset(set.ptr);
  set.view.setBigUint64(0, 1n << BigInt(WAKE_SIGNAL - 1), true);
  c.pthreadSigmask(SIG_UNBLOCK, set.ptr, null);
}

/** The kernel id of the calling thread. */
export function currentThreadId(): number {
  return libc().gettid();
}

/** Sends the wake-up signal to thread `tid` of this process. */
export function wakeThread(tid: number): void {
  const c = libc();
  c.tgkill(c.getpid(), tid, WAKE_SIGNAL);
}
