/**
 * The workload data model: what the deterministic simulator runs in place of real programs.
 *
 * A workload is pure data. Everything in it is plain objects, arrays, strings, numbers, booleans and `bigint`, so
 * it can be written by hand, produced by the builder (`builder.ts`), imported from an `strace -f` log
 * (`strace.ts`) and stored as JSON. JSON has no bigint, so `json.ts` writes every bigint as the one-key object
 * `{"$bigint": "<decimal>"}` (e.g. `{"$bigint": "-1"}`, `{"$bigint": "18446744073709551615"}`) and reads it back;
 * no other object in the model has a `$bigint` key, so the encoding is unambiguous.
 *
 * # How the simulator interprets a workload (the contract)
 *
 * - The world starts with one process made from `Workload.init`: a single thread running `init.program` from its
 *   first op. Its parent is a simulator-owned reaper (think `init`, or the shell that ran the program) that waits
 *   for it, so its exit is followed by a reap. Pids and tids are chosen by the simulator (deterministically);
 *   nothing in a workload names a pid except `{ kind: 'pid' }` targets, which are taken literally.
 * - Each task (thread) has a program counter into the op list of the program it runs, a stack of `repeat`
 *   counters, and a stack of signal-handler frames. Ops run in order. Between two ops the task is in user mode:
 *   that is where the scheduler may switch tasks, where pending signals are delivered and where asynchronous
 *   utrace stops take effect.
 * - Every op that makes a system call (all kinds except `compute`, `repeat` and `signal-in`) produces the
 *   utrace events of one real system call on the workload's `arch`: syscall entry with the number and the six
 *   argument registers set as documented for that op, the op's own effect (and events: clone, exec, signals…),
 *   then syscall exit with the return register set to the op's result. Only `exit` has no syscall exit. The
 *   syscall number comes from `src/arch` (`Arch.syscalls[name]`); `syscall_N` names number N.
 * - Pointer arguments (`str`, `strs`, `buf`, `struct`) are placed by the simulator in the calling task's address
 *   space before syscall entry, at addresses of its choosing (deterministic, non-zero, not overlapping anything
 *   live), and stay readable until the syscall exit callbacks have run, so `path(call.arg[1])` in an engine reads
 *   `/etc/passwd` for `openat(AT_FDCWD, "/etc/passwd", …)`. The same op run again (in a loop) may reuse the address.
 * - Virtual time advances by `compute` ops, by each syscall's cost (`SyscallOp.costNs`, else
 *   `Workload.timing.syscallNs`, else the simulator's default) and while tasks are blocked on time. No op reads
 *   the host clock.
 * - Falling off the end of a program is an implicit `{ kind: 'exit', code: 0, group: true }` for a task that is the
 *   first thread of its process, `{ kind: 'exit', code: 0, group: false }` for a thread made by a `thread` clone,
 *   and an implicit `{ kind: 'sigreturn' }` for a signal-handler program.
 *
 * Names: signals are written by name as `src/arch` spells them (`SIGUSR1`, `SIGRTMIN+3`, where `SIGRTMIN` is
 * glibc's 34; the kernel's 32 and 33, which glibc keeps for itself, are `SIGRT_0` and `SIGRT_1`); errno values by name
 * (`ENOENT`, see `errno.ts`); syscalls by name for the workload's arch (`openat`) or `syscall_N` for a bare number.
 */
import type { ArchName } from '../../../arch/index.js';

/** The version of this data model; bumped on any incompatible change. */
export type WorkloadFormat = 1;

/** A complete simulated scenario: the first process, every program it (or its descendants) can run, and timing. */
export interface Workload {
  readonly format: WorkloadFormat;
  /** Short kebab-case name (`ls-R`, `busy-loop`), unique in the built-in registry. */
  readonly name: string;
  /** One line saying what the workload imitates. */
  readonly description: string;
  /** The architecture whose syscall numbers, registers and calling convention the simulator uses. */
  readonly arch: ArchName;
  /** The process the world starts with. */
  readonly init: ProcessSpec;
  /**
   * Every program, by name. Ops refer to programs by these names (clone children, exec images, signal handlers),
   * which keeps JSON flat, lets many children share one program and allows a program to spawn itself.
   */
  readonly programs: Readonly<Record<string, Program>>;
  readonly timing?: Timing;
  /** Where the workload came from; informational only. */
  readonly source?: WorkloadSource;
}

/** The initial process. */
export interface ProcessSpec {
  /** The task's `comm` (at most 15 bytes are kept, as in the kernel). */
  readonly comm: string;
  /** Name of the program (a key of `Workload.programs`) its first thread runs. */
  readonly program: string;
  /** The executable path and argument vector it was started with (shown by tools; default `[comm]`). */
  readonly exe?: string;
  readonly argv?: readonly string[];
  /**
   * Initial register values, by the register names of `Arch.registers` (e.g. `rsp`, `rip`, `rdi`). Registers not
   * given get simulator defaults (a plausible entry point in `pc`, a stack top in `sp`, zero elsewhere).
   */
  readonly regs?: Readonly<Record<string, bigint>>;
}

/** A straight-line list of ops with `repeat` as its only control flow, so every run is finite and deterministic. */
export interface Program {
  readonly ops: readonly Op[];
  /** One line for humans (`"child: exec /bin/true"`); informational only. */
  readonly description?: string;
  /** Address of the program's first instruction; the simulator's `pc` starts here (default: simulator's choice). */
  readonly entry?: bigint;
}

/** Virtual-time defaults. */
export interface Timing {
  /** Kernel time one syscall takes when its op gives no `costNs` (entry to exit, not counting blocking). */
  readonly syscallNs?: bigint;
}

/** Provenance of a workload. */
export interface WorkloadSource {
  readonly kind: 'builtin' | 'builder' | 'strace';
  /** The file it was imported from (strace), or a free-form note. */
  readonly file?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Ops

/** One step of a program. The `kind` field discriminates. */
export type Op =
  | SyscallOp
  | ComputeOp
  | RepeatOp
  | CloneOp
  | ExecOp
  | ExitOp
  | KillOp
  | WaitOp
  | SigactionOp
  | SigmaskOp
  | SigreturnOp
  | TimerOp
  | SetpgidOp
  | SignalInOp;

/** The kind names of all ops. */
export type OpKind = Op['kind'];

/** Fields every op may carry. */
export interface OpBase {
  /** Line of the strace log this op was imported from (1-based); informational, used in messages. */
  readonly line?: number;
}

/** Fields every op that makes a system call may carry. */
export interface SyscallOpBase extends OpBase {
  /** Kernel time of the call in nanoseconds, not counting time blocked (default `Workload.timing.syscallNs`). */
  readonly costNs?: bigint;
}

/**
 * A system call with no effect on the simulated process tree: the simulator only reports it (entry, optional
 * blocking, exit) and returns `result`. Use the dedicated ops for calls that create, change or end tasks, send
 * signals, change dispositions or reap: the validator rejects `syscall` ops named `clone`, `clone3`, `fork`,
 * `vfork`, `execve`, `execveat`, `exit`, `exit_group`, `kill`, `tkill`, `tgkill`, `wait4`, `waitid`,
 * `rt_sigaction`, `rt_sigreturn`, `alarm`, `setitimer` and `setpgid`, because the simulator would not act on them.
 *
 * Interpretation: syscall entry with `args` in the argument registers (missing ones are 0); then, if `block` is
 * given, the task sleeps in the kernel (interruptibly) until the block ends; then the call takes `costNs`; then
 * `wake` (if any) posts its tokens; then syscall exit with `result`.
 * If a signal arrives while the task is blocked, the call ends at once as the kernel's does: the syscall-exit
 * report sees `-ERESTARTSYS` (`-ERESTARTNOHAND` for a `signal` block), then the signal is delivered. If a handler
 * runs, the program goes on after it with `-EINTR` in the return register, except that a handler installed with
 * `SA_RESTART` makes the call run again (a `time` block for the time that was left). If no handler runs (the
 * signal is ignored, or stops and continues the task), the call runs again.
 */
export interface SyscallOp extends SyscallOpBase {
  readonly kind: 'syscall';
  /** Syscall name for the workload's arch (`openat`), or `syscall_N` for number N. */
  readonly name: string;
  /** Up to six arguments, in order. */
  readonly args: readonly Arg[];
  /** What the call returns when it completes normally (default `{ kind: 'value', value: 0n }`). */
  readonly result?: SyscallResult;
  readonly block?: Block;
  /** Tokens to post on a wake channel when the call completes (e.g. `write` to a pipe, `futex` wake). */
  readonly wake?: Wake;
}

/** User-mode work: the task runs for `ns` virtual nanoseconds without entering the kernel. */
export interface ComputeOp extends OpBase {
  readonly kind: 'compute';
  readonly ns: bigint;
}

/** Runs `body` `count` times (0 allowed). Nesting is allowed. No events of its own. */
export interface RepeatOp extends OpBase {
  readonly kind: 'repeat';
  readonly count: number;
  readonly body: readonly Op[];
}

/**
 * Creates a task: a new process (`fork`), a new process that shares memory until it execs or exits (`vfork`),
 * or a thread of the caller's process (`thread`, i.e. `CLONE_THREAD|CLONE_VM|CLONE_SIGHAND|…`).
 *
 * Interpretation: syscall entry of `via` (args: for `clone`, `flags` in arg 0 and zero elsewhere; for `clone3`, a
 * pointer to a `struct clone_args` holding `flags`; none for `fork`/`vfork`); the child is created (utrace
 * `report_clone` in the parent, with `flags`) and starts at the first op of `child.program`; the parent's call
 * returns the child's tid (syscall exit). The child's own first events are those of its program (the kernel's
 * return-to-user of the child makes no syscall-exit report). For `vfork` the parent does not return to user mode
 * until the child has exec'd or exited (it blocks after the clone report). A `fork`/`vfork` child is in the
 * caller's process group, has the caller's process as parent and sends `exitSignal` to it when it dies.
 * If `result` is given (an errno), the call fails with it and no child is created.
 */
export interface CloneOp extends SyscallOpBase {
  readonly kind: 'clone';
  readonly mode: 'fork' | 'vfork' | 'thread';
  /** The system call used: glibc's `fork()` uses `clone`, `posix_spawn` uses `clone3`/`vfork`. */
  readonly via: 'clone' | 'clone3' | 'fork' | 'vfork';
  /**
   * The clone flags passed, including the exit signal in the low byte (e.g. `CLONE_CHILD_CLEARTID|
   * CLONE_CHILD_SETTID|SIGCHLD` for glibc's fork). Must agree with `mode`: `thread` needs `CLONE_THREAD`,
   * `vfork` needs `CLONE_VFORK|CLONE_VM`. Ignored by `via: 'fork' | 'vfork'` except for `report_clone`.
   */
  readonly flags: bigint;
  readonly child: ChildSpec;
  readonly result?: ErrnoResult;
}

/** The task a `clone` op creates. */
export interface ChildSpec {
  /** Program the child runs from its first op. */
  readonly program: string;
  /** The child's `comm` (default: the parent's, as the kernel copies it). */
  readonly comm?: string;
  /**
   * A name for the child within the creating process, so later ops can signal or wait for it (`{ kind: 'child',
   * label }`, `{ kind: 'thread', label }`). When the same label is used again (a loop), it names the most recent.
   */
  readonly label?: string;
  /**
   * `CLONE_CHILD_CLEARTID` as pthreads uses it: when this task exits, the kernel posts one token on this wake
   * channel (what `pthread_join`'s futex wait is woken by).
   */
  readonly exitWake?: string;
}

/**
 * `execve`: replaces the calling process's image.
 *
 * Interpretation: syscall entry of `execve` with arg 0 = `path` (string), arg 1 = `argv` (string array), arg 2 =
 * `envp` (string array). On success: other threads of the process die first (as `de_thread` does), the task's
 * `comm` becomes `comm` (default: the basename of `path`, 15 bytes), its signal handlers reset to default (ignored
 * signals stay ignored), a vfork parent waiting for it is released, utrace `report_exec` runs, then syscall exit
 * with 0, and the task goes on at the first op of `program`. If `result` is given (an errno, e.g. `ENOENT` for a
 * `$PATH` search miss), the call fails with it, nothing changes and the next op runs.
 */
export interface ExecOp extends SyscallOpBase {
  readonly kind: 'exec';
  readonly path: string;
  readonly argv: readonly string[];
  readonly envp?: readonly string[];
  /** The new image (a key of `Workload.programs`); required unless `result` makes the exec fail. */
  readonly program?: string;
  readonly comm?: string;
  readonly result?: ErrnoResult;
}

/**
 * `exit` (this thread, `group: false`) or `exit_group` (every thread of the process, `group: true`).
 *
 * Interpretation: syscall entry with arg 0 = `code`; no syscall exit. The thread exits (utrace `report_exit` with
 * the wait status `code << 8`), dies (`report_death`), and becomes a zombie until reaped: by its parent's `wait`,
 * by the simulator's reaper for the initial process, at once for threads (which are self-reaping). When the last
 * thread of a process dies, its parent gets `exitSignal` (`SIGCHLD` usually). A vfork parent is released.
 */
export interface ExitOp extends SyscallOpBase {
  readonly kind: 'exit';
  /** Exit status, 0..255. */
  readonly code: number;
  readonly group: boolean;
}

/**
 * Sends a signal. `via: 'kill'` sends to a process (`kill(pid, sig)`) or a process group (`kill(-pgid, sig)`,
 * `kill(0, sig)`); `tkill`/`tgkill` send to one thread.
 *
 * Interpretation: syscall entry with the args the real call takes (the resolved pid/tgid/tid and the signal
 * number), then the signal is queued on the target(s) (a stop signal stops the target process, `SIGCONT`
 * continues it and discards pending stop signals, as job control does), then syscall exit with 0, or `-ESRCH` if
 * the target does not exist (or is reaped), or `result` if given. Signalling oneself delivers before the next op.
 */
export interface KillOp extends SyscallOpBase {
  readonly kind: 'kill';
  readonly via: 'kill' | 'tkill' | 'tgkill';
  readonly target: SignalTarget;
  /** Signal name (`SIGUSR1`); `0` is written as the name `"0"` (existence probe, sends nothing). */
  readonly signal: string;
  readonly result?: ErrnoResult;
}

/**
 * `wait4` / `waitid`: waits for a child of the calling process to change state, and reaps it if it exited.
 *
 * Interpretation: syscall entry (`wait4(pid, &status, options, NULL)` with pid -1 for `any`, the child's pid, or
 * `-pgid`); if a matching child is a zombie: reap it (utrace `report_reap` for each of its threads) and return its
 * pid; else if `WUNTRACED` is in `options` and a matching child has stopped and not been reported: return its pid;
 * else if `WCONTINUED` and one has continued: return its pid; else if no child matches: `-ECHILD`; else with
 * `WNOHANG`: 0; else block (interruptibly) until one of those becomes true. `result`, if given, forces that errno.
 */
export interface WaitOp extends SyscallOpBase {
  readonly kind: 'wait';
  readonly via: 'wait4' | 'waitid';
  readonly target: WaitTarget;
  /** `WNOHANG` 1, `WUNTRACED` 2, `WCONTINUED` 8, `__WALL` 0x40000000, … (numeric, as the kernel takes them). */
  readonly options: bigint;
  readonly result?: ErrnoResult;
}

/**
 * `rt_sigaction`: sets how the process reacts to `signal` (dispositions are per process, shared by its threads).
 *
 * Interpretation: syscall entry (`rt_sigaction(signo, &act, &oldact, 8)`, `act` NULL for `query`), the
 * disposition changes (not for `query`), syscall exit with 0 (`-EINVAL` for `SIGKILL`/`SIGSTOP` unless `action`
 * is `default` or `query`). When a signal with a `handler`
 * disposition is delivered: the simulator builds a frame, blocks `signal` plus `mask` (unless `SA_NODEFER`) and
 * runs the ops of `handler` from the first; the handler ends with a `sigreturn` op (implicit at its end), after
 * which the interrupted program resumes. `SA_RESETHAND` resets the disposition to default on delivery.
 *
 * `handler` absent with `action: 'handler'` means an *inline* handler, as imported from a recorded trace: the
 * handler's own syscalls are already in the program right after the point where the signal arrived (a
 * `signal-in` op, or wherever the simulator delivers it), ending in an explicit `sigreturn` op. Delivery then
 * pushes a frame (blocking the signal as usual) and goes on with the next op of the current program; the
 * program's own `sigreturn` op pops it.
 */
export interface SigactionOp extends SyscallOpBase {
  readonly kind: 'sigaction';
  readonly signal: string;
  /** The new disposition, or `query` for `rt_sigaction(sig, NULL, &old)`, which only reads it. */
  readonly action: 'default' | 'ignore' | 'handler' | 'query';
  /** Program run as the handler (a key of `Workload.programs`), for `action: 'handler'`. */
  readonly handler?: string;
  /** `sa_flags`: `SA_RESTART` 0x10000000, `SA_NODEFER` 0x40000000, `SA_RESETHAND` 0x80000000, `SA_SIGINFO` 4… */
  readonly flags?: bigint;
  /** Extra signals blocked while the handler runs (`sa_mask`). */
  readonly mask?: readonly string[];
  readonly result?: ErrnoResult;
}

/**
 * `rt_sigprocmask`: changes the calling thread's blocked set. Blocked signals stay pending until unblocked
 * (`SIGKILL` and `SIGSTOP` cannot be blocked and are silently left out, as the kernel does).
 */
export interface SigmaskOp extends SyscallOpBase {
  readonly kind: 'sigmask';
  readonly how: 'block' | 'unblock' | 'set';
  readonly signals: readonly string[];
}

/**
 * `rt_sigreturn`: returns from the innermost signal handler: syscall entry, the frame is popped (restoring the
 * blocked mask and the registers of the interrupted context), syscall exit whose return register is the restored
 * one (what strace prints as `rt_sigreturn(…) = N`), and the interrupted program resumes where it was.
 * With no frame to pop (a recorded trace whose signal the simulator delivered elsewhere) it is reported as a
 * syscall returning 0 and has no other effect: replaying a recording must not crash the replayed program.
 */
export interface SigreturnOp extends SyscallOpBase {
  readonly kind: 'sigreturn';
}

/**
 * A process interval timer: `alarm(secs)` or `setitimer(which, {interval, value}, old)`.
 * After `valueNs` of virtual time (for `real`; `virtual` and `prof` may count only the process's `compute` time)
 * the process gets `SIGALRM` (`real`), `SIGVTALRM` (`virtual`) or `SIGPROF` (`prof`); it then re-arms every
 * `intervalNs` if that is non-zero. `valueNs` 0 disarms. Returns 0 (`alarm` returns the seconds left on the
 * previous alarm, rounded as the kernel does).
 */
export interface TimerOp extends SyscallOpBase {
  readonly kind: 'timer';
  readonly via: 'alarm' | 'setitimer';
  readonly which: 'real' | 'virtual' | 'prof';
  readonly valueNs: bigint;
  readonly intervalNs?: bigint;
}

/**
 * `setpgid(pid, pgid)`: moves `target` (this process or one of its children) into the process group led by
 * `leader` (a new group when `leader` is the target itself). Job-control signals sent with `{ kind: 'pgrp' }` and
 * `{ kind: 'child-pgrp' }` targets reach every process of a group.
 */
export interface SetpgidOp extends SyscallOpBase {
  readonly kind: 'setpgid';
  readonly target: ProcessRef;
  readonly leader: ProcessRef;
  readonly result?: ErrnoResult;
}

/**
 * A signal from outside the simulated world arrives at this thread now (a terminal's `SIGINT`, a `SIGWINCH`, a
 * `kill` from a process that was not traced). Makes no system call: the simulator queues the signal on the
 * calling thread with the given `siginfo` fields, and it is delivered (utrace signal report, then handler / ignore
 * / stop / kill) before the next op. Used mainly by the strace importer for `--- SIGx {…} ---` lines whose sender
 * is not in the trace.
 */
export interface SignalInOp extends OpBase {
  readonly kind: 'signal-in';
  readonly signal: string;
  /** `si_code` by name (`SI_USER`, `SI_KERNEL`, `SI_TKILL`, `CLD_EXITED`, …); default `SI_USER`. */
  readonly code?: string;
  /** `si_pid` of the sender as recorded; 0 when unknown. */
  readonly senderPid?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments, results, blocking

/** A syscall argument: a number, or a pointer to something the simulator places in the task's memory. */
export type Arg = IntArg | StrArg | StrsArg | BufArg | StructArg;

/** A plain integer (fd, flags, size, raw pointer). `text` keeps strace's symbolic form (`O_RDONLY|O_CLOEXEC`). */
export interface IntArg {
  readonly kind: 'int';
  readonly value: bigint;
  readonly text?: string;
}

/** A pointer to a NUL-terminated string (UTF-8 encoded), e.g. a path; `path(addr)` reads it back. */
export interface StrArg {
  readonly kind: 'str';
  readonly value: string;
}

/** A pointer to a NULL-terminated array of pointers to strings (`argv`, `envp`). */
export interface StrsArg {
  readonly kind: 'strs';
  readonly values: readonly string[];
}

/**
 * A pointer to `size` bytes (a `read` buffer, the data of a `write`). `hex` gives the initial bytes (lower-case
 * hex, two digits a byte, at most `size` bytes); the rest is zero.
 */
export interface BufArg {
  readonly kind: 'buf';
  readonly size: number;
  readonly hex?: string;
}

/**
 * A pointer to a structure the model does not decode (`struct stat`, `struct timespec`, a `sigaction`):
 * `size` zeroed bytes (default 64) with `text` as strace printed it, for humans.
 */
export interface StructArg {
  readonly kind: 'struct';
  readonly text: string;
  readonly size?: number;
}

/** What a completed syscall returns. */
export type SyscallResult = ValueResult | ErrnoResult | AutoResult;

/** Returns `value` (`text` keeps strace's annotation, such as `3</etc/passwd>`). */
export interface ValueResult {
  readonly kind: 'value';
  readonly value: bigint;
  readonly text?: string;
}

/** Fails: returns `-errno` (the number of the named errno, see `errno.ts`, e.g. `ENOENT` → -2). */
export interface ErrnoResult {
  readonly kind: 'errno';
  readonly errno: string;
}

/**
 * The simulator computes the value: the caller's pid for `getpid`, tid for `gettid`, parent's pid for
 * `getppid`, process group for `getpgrp`/`getpgid(0)`, session for `getsid(0)`, the caller's tid for
 * `set_tid_address`; 0 for any other call.
 */
export interface AutoResult {
  readonly kind: 'auto';
}

/** How a `syscall` op blocks in the kernel. All blocks are interruptible by signals. */
export type Block = TimeBlock | SignalBlock | WakeBlock;

/** Sleeps `ns` of virtual time (`nanosleep`, `poll` timeout, a recorded duration from an strace log). */
export interface TimeBlock {
  readonly until: 'time';
  readonly ns: bigint;
}

/**
 * Sleeps until a signal is delivered to the thread (`pause`, `rt_sigsuspend`): the exit report sees
 * `-ERESTARTNOHAND` and, after the handler, the program sees `-EINTR`. A stop and continue, or a signal that is
 * ignored, does not end the sleep (the call restarts).
 */
export interface SignalBlock {
  readonly until: 'signal';
  /**
   * `rt_sigsuspend`'s temporary blocked set, in force only while the task sleeps and while the handler of the
   * signal that woke it runs; the previous mask is restored by that handler's `sigreturn` (or at once when no
   * handler runs). Absent: the thread's mask is left alone (`pause`).
   */
  readonly mask?: readonly string[];
}

/**
 * Sleeps until it can take a token from a wake channel (`read` on an empty pipe, `futex` wait, `epoll_wait`).
 * Channels are counting semaphores named by strings, global to the simulated world (pipes and futexes are shared
 * across fork and threads) and initially empty: a token posted before the wait is not lost, so the outcome does
 * not depend on the schedule. With `timeoutNs`, the call gives up after that long and returns `-ETIMEDOUT`
 * (unless the op's result says otherwise: the simulator returns `result` either way when one is given).
 */
export interface WakeBlock {
  readonly until: 'wake';
  readonly channel: string;
  readonly timeoutNs?: bigint;
}

/** Posts `count` tokens (default 1) on `channel`, waking that many blocked takers in FIFO order. */
export interface Wake {
  readonly channel: string;
  readonly count?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

/** A process named relative to the caller. */
export type ProcessRef = { readonly kind: 'self' } | { readonly kind: 'child'; readonly label: string };

/**
 * Who a `kill` op signals.
 * - `self`: the caller's process (`kill(getpid(), sig)`); `thread-self`: the calling thread (`tgkill(tgid, tid)`).
 * - `parent`: the caller's parent process (`kill(getppid(), sig)`).
 * - `child`: the most recent child process of the caller's process created with that label.
 * - `thread`: the most recent thread of the caller's process created with that label (for `tkill`/`tgkill`).
 * - `pgrp`: every process in the caller's process group (`kill(0, sig)`).
 * - `child-pgrp`: every process in the group whose id is the labelled child's pid (`kill(-pid, sig)`).
 * - `pid`: a literal pid (negative for a group), taken as is, e.g. to provoke `-ESRCH`.
 */
export type SignalTarget =
  | { readonly kind: 'self' }
  | { readonly kind: 'thread-self' }
  | { readonly kind: 'parent' }
  | { readonly kind: 'child'; readonly label: string }
  | { readonly kind: 'thread'; readonly label: string }
  | { readonly kind: 'pgrp' }
  | { readonly kind: 'child-pgrp'; readonly label: string }
  | { readonly kind: 'pid'; readonly pid: number };

/** Which children a `wait` op accepts: any child, one labelled child, or the children in a labelled child's group. */
export type WaitTarget =
  | { readonly kind: 'any' }
  | { readonly kind: 'child'; readonly label: string }
  | { readonly kind: 'child-pgrp'; readonly label: string };
