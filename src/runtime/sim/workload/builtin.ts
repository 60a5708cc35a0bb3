/**
 * The built-in workloads, by name: small scenarios that imitate real programs closely (their syscall sequences
 * are taken from `strace -f` of the real programs on Debian 12 / x86_64), each exercising a different part of
 * utrace: a syscall storm, a file walker, a forking shell with a pipeline, threads with futexes, and signals with
 * job control. `utrc run --workload NAME` looks names up here; `defaultWorkloadFor` picks one for an engine.
 */
import { buf, children, ms, proc, str, struct, target, us, workload, type ProgramBuilder } from './builder.js';
import { WorkloadError } from './errors.js';
import { LIBC, LIBPCRE2, LIBSELINUX, loaderStartup, mallocInit, trueProgram } from './programs.js';
import type { Op, Workload } from './types.js';
import { countSyscalls } from './stats.js';
import { flatten } from './validate.js';

/** The utrace events a workload can make happen, by their `.utr` names. */
export const WORKLOAD_EVENTS = [
  'quiesce',
  'syscall_entry',
  'syscall_exit',
  'signal',
  'clone',
  'exec',
  'exit',
  'death',
  'reap',
  'jctl',
] as const;
/** One of `WORKLOAD_EVENTS`. */
export type WorkloadEvent = (typeof WORKLOAD_EVENTS)[number];

/** Knobs every built-in understands. */
export interface BuiltinOptions {
  /** Size factor: loop iterations, tree size, number of children (default 1; larger runs longer). */
  readonly scale?: number;
}

/** A built-in workload: a name, a one-line description, and a maker. */
export interface BuiltinWorkload {
  readonly name: string;
  readonly description: string;
  make(options?: BuiltinOptions): Workload;
}

const SYSCALL_NS = 800n;

function scaled(options: BuiltinOptions | undefined, base: number): number {
  const scale = options?.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new WorkloadError(`workload scale must be a positive number, not ${scale}`);
  return Math.max(1, Math.round(base * scale));
}

// ---------------------------------------------------------------------------------------------------------------
// busy-loop

function busyLoop(options?: BuiltinOptions): Workload {
  const n = scaled(options, 1000);
  return workload('busy-loop', 'a tight getpid/write loop: the syscall-entry/exit fast path', { syscallNs: SYSCALL_NS })
    .process(
      'busy',
      (p) => {
        loaderStartup(p);
        p.repeat(n, (b) => b.getpid().write(1, 'tick\n').compute(us(1)));
        p.exit(0);
      },
      { exe: '/usr/local/bin/busy', argv: ['busy'] },
    )
    .build();
}

// ---------------------------------------------------------------------------------------------------------------
// ls-R

interface Dir {
  readonly path: string;
  readonly files: readonly string[];
  readonly dirs: readonly Dir[];
}

const PACKAGES = [
  'adduser', 'apt', 'base-files', 'base-passwd', 'bash', 'bsdutils', 'coreutils', 'dash', 'debconf', 'debianutils',
  'diffutils', 'dpkg', 'e2fsprogs', 'findutils', 'gcc-12-base', 'gpgv', 'grep', 'gzip', 'hostname', 'init-system-helpers',
  'libacl1', 'libapt-pkg6.0', 'libc-bin', 'libc6', 'libpcre2-8-0', 'libselinux1', 'login', 'mawk', 'mount', 'ncurses-base',
  'passwd', 'perl-base', 'procps', 'sed', 'strace', 'sysvinit-utils', 'tar', 'tzdata', 'util-linux', 'zlib1g',
]; // prettier-ignore

// A deterministic /usr/share/doc: every package has a copyright and changelogs; some have README, NEWS and
// an examples/ directory, as Debian packages do.
function docTree(packages: number): Dir {
  const dirs: Dir[] = [];
  for (let i = 0; i < packages; i++) {
    const base = PACKAGES[i % PACKAGES.length] ?? 'pkg';
    const name = i < PACKAGES.length ? base : `${base}-${Math.floor(i / PACKAGES.length)}`;
    const path = `/usr/share/doc/${name}`;
    const files = ['changelog.Debian.gz', 'copyright'];
    if (i % 3 === 0) files.push('NEWS.Debian.gz');
    if (i % 4 === 1) files.push('README', 'changelog.gz');
    const sub: Dir[] =
      i % 5 === 2 ? [{ path: `${path}/examples`, files: ['example.conf', `${base}.sh`].sort(), dirs: [] }] : [];
    dirs.push({ path, files: files.sort(), dirs: sub });
  }
  dirs.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { path: '/usr/share/doc', files: [], dirs };
}

function direntBytes(names: readonly string[]): number {
  // struct linux_dirent64: 19 bytes of header, the name and its NUL, padded to 8.
  return ['.', '..', ...names].reduce((sum, n) => sum + Math.ceil((19 + Buffer.byteLength(n) + 1) / 8) * 8, 0);
}

function lsR(options?: BuiltinOptions): Workload {
  const tree = docTree(scaled(options, 24));
  return workload('ls-R', 'GNU `ls -R /usr/share/doc`: openat/newfstatat/getdents64/close over a directory tree', {
    syscallNs: SYSCALL_NS,
  })
    .process(
      'ls',
      (p) => {
        loaderStartup(p, [LIBSELINUX, LIBC, LIBPCRE2]);
        p.syscall('statfs', str('/sys/fs/selinux'), struct('0x7ffc36edcdb0', 120)).fails('ENOENT');
        p.syscall('statfs', str('/selinux'), struct('0x7ffc36edcdb0', 120)).fails('ENOENT');
        mallocInit(p);
        p.syscall('openat', 'AT_FDCWD', str('/proc/filesystems'), 'O_RDONLY|O_CLOEXEC').returns(3);
        p.syscall('newfstatat', 3, str(''), struct('{st_mode=S_IFREG|0444, st_size=0, ...}', 144), 'AT_EMPTY_PATH');
        p.syscall('read', 3, buf(1024, 'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n'), 1024).returns(364);
        p.syscall('read', 3, buf(1024), 1024).returns(0);
        p.syscall('close', 3);
        p.syscall('access', str('/etc/selinux/config'), 'F_OK').fails('ENOENT');
        p.syscall('openat', 'AT_FDCWD', str('/usr/lib/locale/locale-archive'), 'O_RDONLY|O_CLOEXEC').fails('ENOENT');
        p.syscall('ioctl', 1, 'TCGETS', struct('0x7ffc36edccf0', 60)).fails('ENOTTY');
        p.syscall(
          'statx',
          'AT_FDCWD',
          str(tree.path),
          'AT_STATX_SYNC_AS_STAT|AT_NO_AUTOMOUNT',
          'STATX_MODE',
          struct('{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_mode=S_IFDIR|0755, ...}', 256),
        );
        const out: string[] = [];
        let pending = 0;
        const emit = (text: string): void => {
          out.push(text);
          pending += Buffer.byteLength(text);
          // stdout to a file or pipe is fully buffered in st_blksize (4096-byte) chunks.
          while (pending >= 4096) {
            const all = Buffer.from(out.join(''));
            p.syscall('write', 1, buf(4096, all.subarray(0, 4096)), 4096).returns(4096);
            out.length = 0;
            out.push(all.subarray(4096).toString());
            pending -= 4096;
          }
        };
        const walk = (dir: Dir, first: boolean): void => {
          const names = [...dir.files, ...dir.dirs.map((d) => d.path.slice(d.path.lastIndexOf('/') + 1))].sort();
          p.syscall('openat', 'AT_FDCWD', str(dir.path), 'O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY').returns(3);
          p.syscall(
            'newfstatat',
            3,
            str(''),
            struct('{st_mode=S_IFDIR|0755, st_size=4096, ...}', 144),
            'AT_EMPTY_PATH',
          );
          if (first) {
            p.syscall(
              'statx',
              3,
              str(''),
              'AT_STATX_SYNC_AS_STAT|AT_NO_AUTOMOUNT|AT_EMPTY_PATH',
              'STATX_INO',
              struct('{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, ...}', 256),
            );
            p.syscall('newfstatat', 1, str(''), struct('{st_mode=S_IFREG|0644, st_size=0, ...}', 144), 'AT_EMPTY_PATH');
          }
          p.syscall('getdents64', 3, buf(32768), 32768).returns(direntBytes(names));
          p.syscall('getdents64', 3, buf(32768), 32768).returns(0);
          p.syscall('close', 3);
          p.compute(us(2 + names.length / 4));
          emit(`${first ? '' : '\n'}${dir.path}:\n${names.map((n) => `${n}\n`).join('')}`);
          for (const sub of dir.dirs) walk(sub, false);
        };
        walk(tree, true);
        const rest = Buffer.from(out.join(''));
        if (rest.length > 0) p.syscall('write', 1, buf(rest.length, rest), rest.length).returns(rest.length);
        p.syscall('close', 1);
        p.syscall('close', 2);
        p.exit(0);
      },
      { exe: '/usr/bin/ls', argv: ['ls', '-R', '/usr/share/doc'] },
    )
    .build();
}

// ---------------------------------------------------------------------------------------------------------------
// shell

const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin'];

// dash's $PATH search: one newfstatat per directory until the command is found.
function pathSearch(p: ProgramBuilder, command: string): void {
  for (const dir of PATH_DIRS) {
    const call = p.syscall('newfstatat', 'AT_FDCWD', str(`${dir}/${command}`), struct('0x7ffdf4eacce0', 144), 0);
    if (dir === '/usr/bin') call.returns(0);
    else call.fails('ENOENT');
  }
}

function shell(options?: BuiltinOptions): Workload {
  const loops = scaled(options, 5);
  const script = `echo hello | cat; for i in $(seq ${loops}); do /bin/true; done`;
  return workload(
    'shell',
    '`sh -c` running a pipeline (fork, pipe, exec `cat`) and a loop of vfork+exec `/bin/true`, reaping each child',
    { syscallNs: SYSCALL_NS },
  )
    .program('true', trueProgram, '/bin/true')
    .program('cat', (p) => {
      loaderStartup(p);
      mallocInit(p);
      p.syscall('newfstatat', 1, str(''), struct('{st_mode=S_IFREG|0644, st_size=0, ...}', 144), 'AT_EMPTY_PATH');
      p.syscall('newfstatat', 0, str(''), struct('{st_mode=S_IFIFO|0600, st_size=0, ...}', 144), 'AT_EMPTY_PATH');
      p.syscall('fadvise64', 0, 0, 0, 'POSIX_FADV_SEQUENTIAL').fails('ESPIPE');
      // Blocks until the subshell writes, then until every writer has gone (end of file).
      p.syscall('read', 0, buf(131072), 131072).returns(6).waitsOn('pipe:data');
      p.write(1, 'hello\n');
      p.syscall('read', 0, buf(131072), 131072).returns(0).waitsOn('pipe:eof');
      p.syscall('close', 0);
      p.syscall('close', 1);
      p.syscall('close', 2);
      p.exit(0);
    })
    .process(
      'sh',
      (p) => {
        loaderStartup(p);
        p.syscall('getuid').returns(0);
        p.syscall('getgid').returns(0);
        p.getpid();
        // dash's SIGCHLD handler only sets a flag: its frame makes no syscalls before rt_sigreturn.
        p.handle('SIGCHLD', () => undefined, {
          mask: ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'],
          name: 'sh/on-SIGCHLD',
        });
        p.syscall('geteuid').returns(0);
        mallocInit(p);
        p.syscall('getppid').auto();
        p.syscall('newfstatat', 'AT_FDCWD', str('.'), struct('{st_mode=S_IFDIR|0755, st_size=4096, ...}', 144), 0);
        p.querySignal('SIGINT').handle('SIGINT', 'sh/on-SIGCHLD', { mask: ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'] });
        p.querySignal('SIGQUIT').restoreDefault('SIGQUIT');
        p.querySignal('SIGTERM').restoreDefault('SIGTERM');
        // echo hello | cat
        p.syscall('pipe2', struct('[3, 4]', 8), 0);
        p.fork(
          (c) => {
            c.syscall('close', 3);
            c.syscall('dup2', 4, 1).returns(1);
            c.syscall('close', 4);
            c.write(1, 'hello\n').wakes('pipe:data');
            c.exit(0);
          },
          { label: 'left', exitWake: 'pipe:eof', name: 'sh/subshell-echo' },
        );
        p.syscall('close', 4);
        pathSearch(p, 'cat');
        p.fork(
          (c) => {
            c.syscall('dup2', 3, 0).returns(0);
            c.syscall('close', 3);
            c.exec('/usr/bin/cat', ['cat'], 'cat', {
              envp: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin'],
            });
          },
          { label: 'right', name: 'sh/pipeline-cat' },
        );
        p.syscall('close', 3);
        p.wait(children.any);
        p.wait(children.any);
        p.wait(children.any, 'WNOHANG');
        // for i in …; do /bin/true; done: dash vforks for a simple command
        p.repeat(loops, (b) => {
          b.syscall('rt_sigprocmask', 'SIG_SETMASK', struct('~[RTMIN RT_1]', 8), 0, 8);
          b.vfork(
            (c) => {
              c.syscall('rt_sigprocmask', 'SIG_SETMASK', struct('[]', 8), struct('~[KILL STOP RTMIN RT_1]', 8), 8);
              c.exec('/bin/true', ['/bin/true'], 'true', {
                envp: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin'],
              });
            },
            { label: 'cmd', name: 'sh/vfork-true' },
          );
          b.syscall('rt_sigprocmask', 'SIG_SETMASK', struct('[]', 8), struct('~[KILL STOP RTMIN RT_1]', 8), 8);
          b.wait(children.any);
          b.wait(children.any, 'WNOHANG');
        });
        p.exit(0);
      },
      { exe: '/usr/bin/sh', argv: ['sh', '-c', script] },
    )
    .build();
}

// ---------------------------------------------------------------------------------------------------------------
// threads

function threads(options?: BuiltinOptions): Workload {
  const workers = 3;
  const rounds = scaled(options, 4);
  const futexAddr = 0x5588212810c8n;
  return workload(
    'threads',
    'a pthreads program: clone3(CLONE_THREAD) workers passing a token round a ring with futex wait/wake, joined by the main thread',
    {
      syscallNs: SYSCALL_NS,
    },
  )
    .process(
      'ring',
      (p) => {
        loaderStartup(p);
        // glibc's internal SIGCANCEL/SIGSETXID handler, installed by the first pthread_create.
        p.handle('SIGRT_1', () => undefined, {
          flags: 'SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO',
          name: 'ring/sigcancel',
        });
        p.syscall('rt_sigprocmask', 'SIG_UNBLOCK', struct('[RTMIN RT_1]', 8), 0, 8);
        mallocInit(p);
        for (let i = 0; i < workers; i++) {
          const stack = 0x7ff49e56f000n - BigInt(i) * 0x801000n;
          p.syscall('mmap', 0, 8392704, 'PROT_NONE', 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK', -1, 0).returns(stack);
          p.syscall('mprotect', stack + 0x1000n, 8388608, 'PROT_READ|PROT_WRITE');
          p.syscall('rt_sigprocmask', 'SIG_BLOCK', struct('~[]', 8), struct('[]', 8), 8);
          p.thread(
            (t) => {
              t.syscall('rseq', stack + 0x800fe0n, 0x20, 0, 0x53053053);
              t.syscall('set_robust_list', stack + 0x8009a0n, 24);
              t.syscall('rt_sigprocmask', 'SIG_SETMASK', struct('[]', 8), 0, 8);
              t.repeat(rounds, (b) => {
                // pthread_cond_wait: sleep on the condition's futex until our turn comes round.
                b.syscall(
                  'futex',
                  futexAddr + BigInt(4 * i),
                  'FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME',
                  0,
                  0,
                  'FUTEX_BITSET_MATCH_ANY',
                ).waitsOn(`turn:${i}`);
                b.compute(us(3));
                b.write(1, `worker ${i}\n`);
                b.syscall('futex', futexAddr + BigInt(4 * ((i + 1) % workers)), 'FUTEX_WAKE_PRIVATE', 1)
                  .returns(1)
                  .wakes(`turn:${(i + 1) % workers}`);
              });
              t.syscall('rt_sigprocmask', 'SIG_BLOCK', struct('~[RT_1]', 8), 0, 8);
              t.syscall('madvise', stack, 8368128, 'MADV_DONTNEED');
              t.exitThread(0);
            },
            { label: `worker${i}`, exitWake: `join:${i}`, name: `ring/worker-${i}` },
          );
          p.syscall('rt_sigprocmask', 'SIG_SETMASK', struct('[]', 8), 0, 8);
        }
        // Start the token, then pthread_join each worker (a futex wait on its tid, cleared by the kernel at exit).
        p.syscall('futex', futexAddr, 'FUTEX_WAKE_PRIVATE', 1).returns(1).wakes('turn:0');
        for (let i = 0; i < workers; i++) {
          p.syscall(
            'futex',
            0x7ff49ed6f990n - BigInt(i) * 0x801000n,
            'FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME',
            0,
            0,
            'FUTEX_BITSET_MATCH_ANY',
          ).waitsOn(`join:${i}`);
        }
        p.syscall('newfstatat', 1, str(''), struct('{st_mode=S_IFREG|0644, st_size=0, ...}', 144), 'AT_EMPTY_PATH');
        p.write(1, `counter=${workers * rounds}\n`);
        p.exit(0);
      },
      { exe: '/usr/local/bin/ring', argv: ['ring'] },
    )
    .build();
}

// ---------------------------------------------------------------------------------------------------------------
// signals

function signals(options?: BuiltinOptions): Workload {
  const ticks = scaled(options, 3);
  const pings = scaled(options, 2);
  return workload(
    'signals',
    'signal-heavy: SIGALRM interval timer, SIGUSR1 ping-pong with a child, SIGTSTP/SIGSTOP/SIGCONT job control, an ignored SIGUSR2, a child killed by SIGTERM',
    {
      syscallNs: SYSCALL_NS,
    },
  )
    .program('on-alarm', (h) => h.write(1, 'tick\n'), 'SIGALRM handler')
    .program('on-usr1', (h) => h.write(1, 'usr1\n'), 'SIGUSR1 handler')
    .process(
      'signals',
      (p) => {
        loaderStartup(p);
        p.handle('SIGALRM', 'on-alarm');
        p.handle('SIGUSR1', 'on-usr1');
        p.ignore('SIGUSR2');
        // An interval timer: pause() is interrupted by each tick's handler.
        p.setitimer('real', ms(10), ms(10));
        p.repeat(ticks, (b) => b.pause());
        p.setitimer('real', 0, 0);
        // SIGUSR1 ping-pong: blocked except inside sigsuspend, so no ping is lost whatever the schedule.
        p.block('SIGUSR1');
        p.fork(
          (c) => {
            c.syscall('set_robust_list', 0x7f801b6f7a20n, 24);
            c.repeat(pings, (b) => {
              b.sigsuspend();
              b.syscall('getppid').auto();
              b.kill(target.parent, 'SIGUSR1');
            });
            // raise(SIGUSR2), which is ignored (the disposition is inherited across fork).
            c.syscall('gettid').auto();
            c.getpid();
            c.tgkill(target.threadSelf, 'SIGUSR2');
            // Wait to be stopped, continued and finally killed by SIGTERM.
            c.repeat(2, (b) => b.syscall('pause').untilSignal().fails('EINTR'));
            c.exit(0);
          },
          { label: 'peer', name: 'signals/peer' },
        );
        p.setpgid(proc.child('peer'));
        p.repeat(pings, (b) => {
          b.kill(target.child('peer'), 'SIGUSR1');
          b.sigsuspend();
        });
        // Job control as a shell does it: SIGTSTP to the child's process group, then SIGCONT.
        p.kill(target.childPgrp('peer'), 'SIGTSTP');
        p.wait(children.child('peer'), 'WUNTRACED');
        p.kill(target.childPgrp('peer'), 'SIGCONT');
        p.wait(children.child('peer'), 'WCONTINUED');
        // The same with SIGSTOP, which cannot be caught.
        p.kill(target.child('peer'), 'SIGSTOP');
        p.wait(children.child('peer'), 'WUNTRACED');
        p.kill(target.child('peer'), 'SIGCONT');
        p.wait(children.child('peer'), 'WCONTINUED');
        p.kill(target.child('peer'), 'SIGTERM');
        p.wait(children.child('peer'));
        p.alarm(0);
        p.write(1, 'child killed by signal 15\n');
        p.exit(0);
      },
      { exe: '/usr/local/bin/signals', argv: ['signals'] },
    )
    .build();
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

const BUILTINS: readonly BuiltinWorkload[] = [
  { name: 'busy-loop', description: 'a tight getpid/write loop (syscall entry/exit fast path)', make: busyLoop },
  {
    name: 'ls-R',
    description: '`ls -R /usr/share/doc`: openat/getdents64/newfstatat/close over a directory tree',
    make: lsR,
  },
  {
    name: 'shell',
    description: '`sh -c`: a pipeline (fork, pipe, exec) and a vfork+exec loop, reaping every child',
    make: shell,
  },
  {
    name: 'threads',
    description: 'pthreads: clone3(CLONE_THREAD) workers with futex wait/wake, joined at the end',
    make: threads,
  },
  {
    name: 'signals',
    description: 'SIGALRM timer, SIGUSR1 ping-pong, SIGTSTP/SIGSTOP/SIGCONT, ignored and fatal signals',
    make: signals,
  },
];

/** Every built-in workload, by name, in a stable order. */
export const BUILTIN_WORKLOADS: ReadonlyMap<string, BuiltinWorkload> = new Map(BUILTINS.map((b) => [b.name, b]));

/** The built-in workload called `name`; throws `WorkloadError` listing the names when there is none. */
export function builtinWorkload(name: string, options?: BuiltinOptions): Workload {
  const b = BUILTIN_WORKLOADS.get(name);
  if (!b)
    throw new WorkloadError(
      `no built-in workload \`${name}\` (available: ${[...BUILTIN_WORKLOADS.keys()].map((n) => `\`${n}\``).join(', ')})`,
    );
  return b.make(options);
}

/** The built-ins with their descriptions and the utrace events each makes happen, for `utrc run --workload list`. */
export function listBuiltinWorkloads(): { name: string; description: string; events: WorkloadEvent[] }[] {
  return BUILTINS.map(({ name, description }) => ({
    name,
    description,
    events: WORKLOAD_EVENTS.filter((e) => profile(name).events.has(e)),
  }));
}

// Events and syscalls of each built-in at scale 1, computed once: they do not depend on the scale.
const PROFILES = new Map<string, { events: Set<WorkloadEvent>; syscalls: Set<string> }>();

function profile(name: string): { events: Set<WorkloadEvent>; syscalls: Set<string> } {
  let p = PROFILES.get(name);
  if (!p) {
    const w = builtinWorkload(name);
    p = { events: workloadEvents(w), syscalls: workloadSyscalls(w) };
    PROFILES.set(name, p);
  }
  return p;
}

const JCTL_SIGNALS = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGCONT']);

/** The utrace events a workload makes happen (statically, from its ops). */
export function workloadEvents(w: Workload): Set<WorkloadEvent> {
  const events = new Set<WorkloadEvent>(['quiesce', 'syscall_entry', 'syscall_exit', 'exit', 'death', 'reap']);
  const ops: Op[] = Object.values(w.programs).flatMap((p) => flatten(p.ops));
  const handlers = new Set(ops.flatMap((o) => (o.kind === 'sigaction' && o.action === 'handler' ? [o.signal] : [])));
  for (const o of ops) {
    if (o.kind === 'clone') events.add('clone');
    if (o.kind === 'exec' && !o.result) events.add('exec');
    if (o.kind === 'kill' || o.kind === 'timer' || o.kind === 'signal-in') events.add('signal');
    if (o.kind === 'clone' && o.mode !== 'thread' && handlers.has('SIGCHLD')) events.add('signal');
    if (o.kind === 'kill' && JCTL_SIGNALS.has(o.signal)) events.add('jctl');
  }
  return events;
}

/** The syscall names a workload makes (statically, from its ops), as `strace -c` would list them. */
export function workloadSyscalls(w: Workload): Set<string> {
  return new Set([...countSyscalls(w)].filter(([, n]) => n > 0).map(([name]) => name));
}

/**
 * A sensible built-in for an engine that subscribes to `events` (and, optionally, cares about `syscalls`): the
 * one that makes most of those events happen, then most of those syscalls, then the first in registry order
 * (cheapest first). An engine with no events gets `busy-loop`.
 */
export function defaultWorkloadFor(events: Iterable<string>, syscalls: Iterable<string> = []): string {
  const wanted = new Set(events);
  const wantedCalls = new Set(syscalls);
  let best = 'busy-loop';
  let bestScore = [-1, -1];
  for (const b of BUILTINS) {
    const { events: have, syscalls: calls } = profile(b.name);
    const score = [
      [...wanted].filter((e) => have.has(e as WorkloadEvent)).length,
      [...wantedCalls].filter((c) => calls.has(c)).length,
    ];
    if ((score[0] ?? 0) > (bestScore[0] ?? 0) || (score[0] === bestScore[0] && (score[1] ?? 0) > (bestScore[1] ?? 0))) {
      best = b.name;
      bestScore = score;
    }
  }
  return best;
}
