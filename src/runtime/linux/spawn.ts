/**
 * Starting a command for tracing from the tracer thread, without fork() in a multi-threaded Node process.
 *
 * glibc's posix_spawn runs nothing but async-signal-safe code between its clone(CLONE_VM|CLONE_VFORK) and the
 * exec, so no lock held by another thread (malloc, V8, libuv) can be inherited in a locked state. It execs the
 * trampoline (native/trampoline.c), which is single-threaded and can prepare the process freely: default signal
 * dispositions and mask, stdio without close-on-exec, then a SIGSTOP handshake so the tracer seizes it before the
 * command's first instruction, then the seccomp filter, then execve. Node's child_process is never used: libuv's
 * SIGCHLD handling would reap the child behind the tracer's back.
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WAIT, SIG } from './constants.js';
import { errno, libc, nativeBlock, strerror } from './ffi.js';
import type { NativeBlock } from './ffi.js';
import { TraceError } from './errors.js';
import { decodeWaitStatus } from './wait-status.js';

/** What to run: the command (looked up on PATH like execvp), its environment, directory and stdio. */
export interface SpawnSpec {
  /** `[file, ...args]`; `file` without a slash is searched on the `PATH` of `env`. */
  readonly command: readonly string[];
  /** The environment; defaults to this process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The working directory; defaults to this process's. */
  readonly cwd?: string;
  /** File descriptors to use as the command's stdin, stdout and stderr; default 0, 1, 2. */
  readonly stdio?: readonly [number, number, number];
}

/** Failure stages the trampoline reports through its error pipe (see native/trampoline.c). */
const STAGE = { USAGE: 1, RESOLVE: 2 } as const;

const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const O_CLOEXEC = 0o2000000;

/** Where the trampoline is: `$UTRC_TRAMPOLINE`, else `native/build/utrc-trampoline` in the package. */
export function trampolinePath(): string {
  // src/runtime/linux and dist/runtime/linux are both three levels below the package root.
  return (
    process.env.UTRC_TRAMPOLINE ?? fileURLToPath(new URL('../../../native/build/utrc-trampoline', import.meta.url))
  );
}

/** Throws a clear error when the trampoline has not been built (or is not executable). */
export function checkTrampoline(path = trampolinePath()): void {
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new TraceError(
      'helper-missing',
      `the tracing helper \`${path}\` is missing: build it with \`npm run build:native\` (needs a C compiler, e.g. \`apt-get install gcc libc6-dev\`)`,
    );
  }
}

let blocks:
  | {
      pid: NativeBlock;
      status: NativeBlock;
      pipe: NativeBlock;
      actions: NativeBlock;
      attr: NativeBlock;
      sigset: NativeBlock;
      msg: NativeBlock;
    }
  | undefined;

function scratch() {
  blocks ??= {
    pid: nativeBlock(8),
    status: nativeBlock(8),
    pipe: nativeBlock(8),
    // posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on glibc x86_64; leave room.
    actions: nativeBlock(512),
    attr: nativeBlock(1024),
    sigset: nativeBlock(128),
    msg: nativeBlock(8),
  };
  return blocks;
}

function environment(env: Readonly<Record<string, string | undefined>>): (string | null)[] {
  const out: (string | null)[] = [];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out.push(`${key}=${value}`);
  out.push(null);
  return out;
}

/**
 * Spawns the trampoline for `spec` and waits for its SIGSTOP handshake. Returns the pid of the stopped process,
 * which the caller must `PTRACE_SEIZE` and then wake with SIGCONT. `filter` lists the syscall numbers the
 * trampoline's seccomp filter should trace (undefined: no filter). Must run on the tracer thread: the child is
 * that thread's child, so only it can wait for it with `__WNOTHREAD`.
 */
export function spawnStopped(spec: SpawnSpec, filter: readonly number[] | undefined): number {
  const c = libc();
  const path = trampolinePath();
  checkTrampoline(path);
  const file = spec.command[0];
  if (file === undefined || file === '') throw new TraceError('spawn-failed', 'no command to run');
  const s = scratch();

  if (c.pipe2(s.pipe.ptr, O_CLOEXEC) !== 0) throw new TraceError('spawn-failed', `pipe2: ${strerror(errno())}`);
  const errRead = s.pipe.view.getInt32(0, true);
  const errWrite = s.pipe.view.getInt32(4, true);
  try {
    c.fileActionsInit(s.actions.ptr);
    c.spawnAttrInit(s.attr.ptr);
    try {
      const [stdin, stdout, stderr] = spec.stdio ?? [0, 1, 2];
      // dup2(fd, fd) also clears close-on-exec (glibc >= 2.29), which Node sets on its stdio.
      c.fileActionsAddDup2(s.actions.ptr, stdin, 0);
      c.fileActionsAddDup2(s.actions.ptr, stdout, 1);
      c.fileActionsAddDup2(s.actions.ptr, stderr, 2);
      c.fileActionsAddDup2(s.actions.ptr, errWrite, errWrite);
      if (spec.cwd !== undefined) c.fileActionsAddChdir(s.actions.ptr, spec.cwd);
      c.sigfillset(s.sigset.ptr);
      c.spawnAttrSetSigDefault(s.attr.ptr, s.sigset.ptr);
      c.sigemptyset(s.sigset.ptr);
      c.spawnAttrSetSigMask(s.attr.ptr, s.sigset.ptr);
      c.spawnAttrSetFlags(s.attr.ptr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
      const argv: (string | null)[] = [path, '-e', String(errWrite)];
      if (filter !== undefined) argv.push('-s', filter.join(','));
      argv.push('--', ...spec.command, null);
      const rc = c.posixSpawn(s.pid.ptr, path, s.actions.ptr, s.attr.ptr, argv, environment(spec.env ?? process.env));
      if (rc !== 0) {
        const where = spec.cwd !== undefined ? ` (in ${spec.cwd})` : '';
        throw new TraceError('spawn-failed', `cannot start \`${file}\`${where}: ${strerror(rc)}`);
      }
    } finally {
      c.fileActionsDestroy(s.actions.ptr);
      c.spawnAttrDestroy(s.attr.ptr);
    }
  } catch (error) {
    c.close(errRead);
    c.close(errWrite);
    throw error;
  }
  c.close(errWrite);
  const pid = s.pid.view.getInt32(0, true);

  try {
    for (;;) {
      const r = c.waitpid(pid, s.status.ptr, WAIT.WUNTRACED | WAIT.WALL);
      if (r === pid) break;
      if (errno() !== 4 /* EINTR: the wake-up signal */) {
        throw new TraceError('spawn-failed', `waiting for \`${file}\` to start: ${strerror(errno())}`);
      }
    }
    const status = decodeWaitStatus(s.status.view.getInt32(0, true));
    if (status.kind === 'signal' && status.signal === SIG.SIGSTOP) return pid;
    if (status.kind === 'exited') throw failureFromPipe(c, errRead, file);
    c.kill(pid, SIG.SIGKILL);
    throw new TraceError(
      'spawn-failed',
      `\`${file}\` did not start as expected (wait status ${JSON.stringify(status)})`,
    );
  } finally {
    c.close(errRead);
  }
}

function failureFromPipe(c: ReturnType<typeof libc>, fd: number, file: string): TraceError {
  const s = scratch();
  const n = c.read(fd, s.msg.ptr, 8);
  if (n !== 8) return new TraceError('spawn-failed', `\`${file}\` exited before it could be traced`);
  const stage = s.msg.view.getInt32(0, true);
  const err = s.msg.view.getInt32(4, true);
  if (stage === STAGE.RESOLVE && err === 2) return new TraceError('command-not-found', `command not found: ${file}`);
  if (stage === STAGE.RESOLVE && err === 13) return new TraceError('permission-denied', `permission denied: ${file}`);
  if (stage === STAGE.USAGE) return new TraceError('spawn-failed', 'the tracing helper rejected its arguments');
  return new TraceError('spawn-failed', `cannot start \`${file}\`: ${strerror(err)}`);
}
