/**
 * Every foreign call the Linux backend makes, bound once through koffi (prebuilt binaries, no compiler needed).
 *
 * Pointers are plain bigints (koffi's representation); buffers the kernel fills are native blocks from
 * {@link nativeBlock}, read through zero-copy views, so a stop costs no allocation. All ptrace calls must be made
 * from the thread that attached (the tracer thread); this module does not check that, the tracer does.
 */
import koffi from 'koffi';

/** A native memory block and a zero-copy view of it. */
export interface NativeBlock {
  readonly ptr: bigint;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/** The libc functions the backend uses, with C signatures spelled out where koffi needs them. */
export interface Libc {
  ptrace(request: number, pid: number, addr: bigint | number, data: bigint | number): number;
  waitpid(pid: number, status: bigint, options: number): number;
  kill(pid: number, sig: number): number;
  tgkill(tgid: number, tid: number, sig: number): number;
  gettid(): number;
  getpid(): number;
  geteuid(): number;
  processVmReadv(pid: number, local: bigint, liovcnt: number, remote: bigint, riovcnt: number, flags: number): number;
  sigaction(sig: number, act: bigint | null, old: bigint | null): number;
  sigemptyset(set: bigint): number;
  sigfillset(set: bigint): number;
  sigdelset(set: bigint, sig: number): number;
  pthreadSigmask(how: number, set: bigint | null, old: bigint | null): number;
  dlsym(handle: null, name: string): bigint | null;
  pipe2(fds: bigint, flags: number): number;
  read(fd: number, buf: bigint, count: number): number;
  close(fd: number): number;
  strerror(errnum: number): string;
  posixSpawn(
    pid: bigint,
    path: string,
    actions: bigint,
    attr: bigint,
    argv: (string | null)[],
    envp: (string | null)[],
  ): number;
  fileActionsInit(actions: bigint): number;
  fileActionsDestroy(actions: bigint): number;
  fileActionsAddDup2(actions: bigint, fd: number, newfd: number): number;
  fileActionsAddChdir(actions: bigint, path: string): number;
  spawnAttrInit(attr: bigint): number;
  spawnAttrDestroy(attr: bigint): number;
  spawnAttrSetFlags(attr: bigint, flags: number): number;
  spawnAttrSetSigDefault(attr: bigint, set: bigint): number;
  spawnAttrSetSigMask(attr: bigint, set: bigint): number;
}

let cached: Libc | undefined;

/** The bound libc; loads it on first use and explains clearly when this is not Linux with glibc. */
export function libc(): Libc {
  if (cached) return cached;
  if (process.platform !== 'linux') {
    throw new Error(`tracing real processes needs Linux (this is ${process.platform})`);
  }
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load('libc.so.6');
  } catch (error) {
    throw new Error(`cannot load the C library (libc.so.6): ${(error as Error).message}`);
  }
  const f = (decl: string) => lib.func(decl) as (...args: unknown[]) => unknown;
  const ptrace = f('long ptrace(int req, int pid, uintptr_t addr, uintptr_t data)');
  const waitpid = f('int waitpid(int pid, void *status, int options)');
  const kill = f('int kill(int pid, int sig)');
  const tgkill = f('int tgkill(int tgid, int tid, int sig)');
  const gettid = f('int gettid(void)');
  const getpid = f('int getpid(void)');
  const geteuid = f('uint32_t geteuid(void)');
  const pvr = f(
    'intptr_t process_vm_readv(int pid, void *local, unsigned long lcnt, void *remote, unsigned long rcnt, unsigned long flags)',
  );
  const sigaction = f('int sigaction(int sig, void *act, void *old)');
  const sigemptyset = f('int sigemptyset(void *set)');
  const sigfillset = f('int sigfillset(void *set)');
  const sigdelset = f('int sigdelset(void *set, int sig)');
  const pthreadSigmask = f('int pthread_sigmask(int how, void *set, void *old)');
  const dlsym = f('void *dlsym(void *handle, const char *name)');
  const pipe2 = f('int pipe2(void *fds, int flags)');
  const read = f('intptr_t read(int fd, void *buf, uintptr_t count)');
  const close = f('int close(int fd)');
  const strerror = f('const char *strerror(int errnum)');
  const posixSpawn = f(
    'int posix_spawn(void *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)',
  );
  const faInit = f('int posix_spawn_file_actions_init(void *actions)');
  const faDestroy = f('int posix_spawn_file_actions_destroy(void *actions)');
  const faDup2 = f('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)');
  const faChdir = f('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)');
  const saInit = f('int posix_spawnattr_init(void *attr)');
  const saDestroy = f('int posix_spawnattr_destroy(void *attr)');
  const saFlags = f('int posix_spawnattr_setflags(void *attr, short flags)');
  const saSigDefault = f('int posix_spawnattr_setsigdefault(void *attr, void *set)');
  const saSigMask = f('int posix_spawnattr_setsigmask(void *attr, void *set)');
  cached = {
    ptrace: (req, pid, addr, data) => Number(ptrace(req, pid, addr, data)),
    waitpid: (pid, status, options) => waitpid(pid, status, options) as number,
    kill: (pid, sig) => kill(pid, sig) as number,
    tgkill: (tgid, tid, sig) => tgkill(tgid, tid, sig) as number,
    gettid: () => gettid() as number,
    getpid: () => getpid() as number,
    geteuid: () => geteuid() as number,
    processVmReadv: (pid, local, lcnt, remote, rcnt, flags) => Number(pvr(pid, local, lcnt, remote, rcnt, flags)),
    sigaction: (sig, act, old) => sigaction(sig, act, old) as number,
    sigemptyset: (set) => sigemptyset(set) as number,
    sigfillset: (set) => sigfillset(set) as number,
    sigdelset: (set, sig) => sigdelset(set, sig) as number,
    pthreadSigmask: (how, set, old) => pthreadSigmask(how, set, old) as number,
    dlsym: (handle, name) => dlsym(handle, name) as bigint | null,
    pipe2: (fds, flags) => pipe2(fds, flags) as number,
    read: (fd, buf, count) => Number(read(fd, buf, count)),
    close: (fd) => close(fd) as number,
    strerror: (errnum) => strerror(errnum) as string,
    posixSpawn: (pid, path, actions, attr, argv, envp) => posixSpawn(pid, path, actions, attr, argv, envp) as number,
    fileActionsInit: (a) => faInit(a) as number,
    fileActionsDestroy: (a) => faDestroy(a) as number,
    fileActionsAddDup2: (a, fd, newfd) => faDup2(a, fd, newfd) as number,
    fileActionsAddChdir: (a, path) => faChdir(a, path) as number,
    spawnAttrInit: (a) => saInit(a) as number,
    spawnAttrDestroy: (a) => saDestroy(a) as number,
    spawnAttrSetFlags: (a, flags) => saFlags(a, flags) as number,
    spawnAttrSetSigDefault: (a, set) => saSigDefault(a, set) as number,
    spawnAttrSetSigMask: (a, set) => saSigMask(a, set) as number,
  };
  return cached;
}

/** The `errno` left by the last foreign call on this thread. */
export function errno(): number {
  return koffi.errno();
}

/** The C library's message for an errno value. */
export function strerror(errnum: number): string {
  return libc().strerror(errnum);
}

/** Allocates a zeroed native block that lives as long as the process (the backend allocates a handful, once). */
export function nativeBlock(size: number): NativeBlock {
  const ptr = koffi.alloc('uint8', size) as bigint;
  const buffer = koffi.view(ptr, size);
  const bytes = new Uint8Array(buffer);
  bytes.fill(0);
  return { ptr, size, bytes, view: new DataView(buffer) };
}

/** An `Error` carrying the errno of a failed call, named after the call. */
export class SyscallError extends Error {
  /** The errno value. */
  readonly errno: number;
  constructor(call: string, errnum: number) {
    super(`${call}: ${strerror(errnum)}`);
    this.name = 'SyscallError';
    this.errno = errnum;
  }
}
