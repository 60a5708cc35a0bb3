/**
 * A fluent, typed builder for workloads, so a test or a built-in scenario reads like the program it imitates:
 *
 *   workload('ls', 'list one directory')
 *     .process('ls', (p) => p
 *       .syscall('openat', 'AT_FDCWD', str('/etc'), 'O_RDONLY|O_DIRECTORY').returns(3)
 *       .repeat(2, (b) => b.syscall('getdents64', 3, buf(32768), 32768).returns(600))
 *       .syscall('close', 3)
 *       .exit(0))
 *     .build();
 *
 * Mistakes are reported where they are made (an unknown syscall, constant, signal or errno throws a
 * `WorkloadError` naming the program and op), and `build()` runs `validateWorkload` for whole-workload problems
 * (a missing child program, a channel nobody posts).
 */
import type { ArchName } from '../../../arch/index.js';
import { CONSTANTS, evalFlags } from './constants.js';
import { WorkloadError } from './errors.js';
import { archOf, checkErrnoName, checkSignalName, checkSyscallName, didYouMean } from './names.js';
import type {
  Arg,
  BufArg,
  ChildSpec,
  CloneOp,
  IntArg,
  Op,
  ProcessRef,
  ProcessSpec,
  Program,
  SignalTarget,
  StrArg,
  StrsArg,
  StructArg,
  SyscallOp,
  WaitTarget,
  Workload,
} from './types.js';
import { assertValidWorkload } from './validate.js';

/** A builder argument: a model `Arg`, a number, or a flag expression such as `'O_RDONLY|O_CLOEXEC'`. */
export type ArgLike = Arg | bigint | number | string;

/** A duration or count in nanoseconds, as a number or bigint. */
export type Ns = bigint | number;

/** Nanoseconds in `n` microseconds. */
export const us = (n: number): bigint => BigInt(Math.round(n * 1_000));
/** Nanoseconds in `n` milliseconds. */
export const ms = (n: number): bigint => BigInt(Math.round(n * 1_000_000));
/** Nanoseconds in `n` seconds. */
export const sec = (n: number): bigint => BigInt(Math.round(n * 1_000_000_000));

/** A pointer to a NUL-terminated string (a path, a message). */
export const str = (value: string): StrArg => ({ kind: 'str', value });
/** A pointer to a NULL-terminated array of strings (`argv`, `envp`). */
export const strs = (values: readonly string[]): StrsArg => ({ kind: 'strs', values: [...values] });
/** A pointer to a buffer of `size` bytes, optionally starting with `data` (a UTF-8 string or bytes). */
export function buf(size: number, data?: string | Uint8Array): BufArg {
  if (data === undefined) return { kind: 'buf', size };
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { kind: 'buf', size: Math.max(size, bytes.length), hex: bytes.toString('hex') };
}
/** A pointer to an undecoded structure, described by `text` as strace would print it. */
export const struct = (text: string, size?: number): StructArg =>
  size === undefined ? { kind: 'struct', text } : { kind: 'struct', text, size };
/** An integer argument with an optional symbolic spelling. */
export const int = (value: bigint | number, text?: string): IntArg =>
  text === undefined ? { kind: 'int', value: BigInt(value) } : { kind: 'int', value: BigInt(value), text };

/** Signal targets for `kill`/`tgkill`. */
export const target = {
  self: { kind: 'self' } as SignalTarget,
  threadSelf: { kind: 'thread-self' } as SignalTarget,
  parent: { kind: 'parent' } as SignalTarget,
  pgrp: { kind: 'pgrp' } as SignalTarget,
  child: (label: string): SignalTarget => ({ kind: 'child', label }),
  thread: (label: string): SignalTarget => ({ kind: 'thread', label }),
  childPgrp: (label: string): SignalTarget => ({ kind: 'child-pgrp', label }),
  pid: (pid: number): SignalTarget => ({ kind: 'pid', pid }),
} as const;

/** Process references for `setpgid`, and wait targets. */
export const proc = {
  self: { kind: 'self' } as ProcessRef,
  child: (label: string): ProcessRef => ({ kind: 'child', label }),
} as const;

/** Which children a `wait` accepts. */
export const children = {
  any: { kind: 'any' } as WaitTarget,
  child: (label: string): WaitTarget => ({ kind: 'child', label }),
  pgrp: (label: string): WaitTarget => ({ kind: 'child-pgrp', label }),
} as const;

/** glibc's `fork()`: `clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD)`. */
export const FORK_FLAGS = 0x1200011n;
/** `vfork()` / `posix_spawn`: `CLONE_VM|CLONE_VFORK|SIGCHLD`. */
export const VFORK_FLAGS = 0x4111n;
/**
 * glibc's `pthread_create`: `CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|
 * CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID`.
 */
export const THREAD_FLAGS = 0x3d0f00n;

/** The body of a program: a callback that adds ops to the builder it is given. */
export type ProgramBody = (p: ProgramBuilder) => unknown;
/** A program: the name of one defined with `WorkloadBuilder.program`, or an inline body (named automatically). */
export type ProgramLike = string | ProgramBody;

/** Options for the task a `fork`/`vfork`/`thread` creates. */
export interface ChildOptions {
  readonly label?: string;
  readonly comm?: string;
  /** Post one token on this channel when the child exits (`CLONE_CHILD_CLEARTID`, as `pthread_join` uses). */
  readonly exitWake?: string;
  /** The syscall to use (default `clone`, or `vfork` for a vfork). */
  readonly via?: CloneOp['via'];
  /** Clone flags (default `FORK_FLAGS`, `VFORK_FLAGS` or `THREAD_FLAGS`). */
  readonly flags?: ArgLike;
  /** Name for an inline child program (default `<parent>/<mode>-<n>`). */
  readonly name?: string;
}

/** Starts a workload. */
export function workload(
  name: string,
  description: string,
  options: { arch?: ArchName; syscallNs?: Ns } = {},
): WorkloadBuilder {
  return new WorkloadBuilder(
    name,
    description,
    options.arch ?? 'x86_64',
    options.syscallNs === undefined ? undefined : BigInt(options.syscallNs),
  );
}

/** Collects programs and the initial process; `build()` returns the checked `Workload`. */
export class WorkloadBuilder {
  private readonly programs = new Map<string, Program>();
  private init: ProcessSpec | undefined;
  private inlineCount = 0;

  constructor(
    readonly name: string,
    readonly description: string,
    readonly arch: ArchName,
    private readonly syscallNs: bigint | undefined,
  ) {}

  /** Defines the initial process: its `comm` and the program its first thread runs (named `name`, default `comm`). */
  process(
    comm: string,
    body: ProgramLike,
    options: { name?: string; exe?: string; argv?: readonly string[]; regs?: Readonly<Record<string, Ns>> } = {},
  ): this {
    if (this.init)
      throw new WorkloadError(`workload \`${this.name}\` already has an initial process (\`${this.init.comm}\`)`);
    const program = typeof body === 'string' ? body : this.define(options.name ?? comm, body);
    let spec: ProcessSpec = { comm, program };
    if (options.exe !== undefined) spec = { ...spec, exe: options.exe };
    if (options.argv !== undefined) spec = { ...spec, argv: [...options.argv] };
    if (options.regs !== undefined) {
      const arch = archOf(this.arch);
      const regs: Record<string, bigint> = {};
      for (const [reg, v] of Object.entries(options.regs)) {
        if (!arch.registers.includes(reg))
          throw new WorkloadError(`\`${reg}\` is not a register of ${this.arch}${didYouMean(reg, arch.registers)}`);
        regs[reg] = BigInt(v);
      }
      spec = { ...spec, regs };
    }
    this.init = spec;
    return this;
  }

  /** Defines a named program that ops can refer to by name (for children, exec images, handlers). */
  program(name: string, body: ProgramBody, description?: string): this {
    this.define(name, body, description);
    return this;
  }

  /** Defines a program and returns its name; used by `ProgramBuilder` for inline bodies. */
  define(name: string, body: ProgramBody, description?: string): string {
    if (this.programs.has(name))
      throw new WorkloadError(`program \`${name}\` is defined twice in workload \`${this.name}\``);
    // Reserve the name first so a program can refer to itself (a shell that forks a copy of itself).
    this.programs.set(name, { ops: [] });
    const p = new ProgramBuilder(this, name, []);
    body(p);
    this.programs.set(name, description === undefined ? { ops: p.ops } : { ops: p.ops, description });
    return name;
  }

  /** A fresh name for an inline program. */
  inlineName(parent: string, what: string): string {
    let name: string;
    do name = `${parent}/${what}-${++this.inlineCount}`;
    while (this.programs.has(name));
    return name;
  }

  /** The workload without validation (for tests of the validator itself). */
  buildUnchecked(): Workload {
    if (!this.init)
      throw new WorkloadError(`workload \`${this.name}\` has no initial process: call \`.process(comm, body)\``);
    const w: Workload = {
      format: 1,
      name: this.name,
      description: this.description,
      arch: this.arch,
      init: this.init,
      programs: Object.fromEntries(this.programs),
      source: { kind: 'builder' },
    };
    return this.syscallNs === undefined ? w : { ...w, timing: { syscallNs: this.syscallNs } };
  }

  /** The workload, checked with `validateWorkload`; throws `WorkloadError` listing the errors. */
  build(): Workload {
    const w = this.buildUnchecked();
    assertValidWorkload(w);
    return w;
  }
}

/**
 * The one-process shorthand: `process('ls').syscall('openat', …).returns(3).repeat(1000, (b) => …).build()`.
 * The workload is named after `comm` unless `options.name` says otherwise. (Import it under another name where
 * Node's global `process` is needed.)
 */
export function process(
  comm: string,
  options: { name?: string; description?: string; arch?: ArchName; syscallNs?: Ns } = {},
): ProcessChain {
  const wb = workload(options.name ?? comm, options.description ?? `a \`${comm}\` process`, options);
  let ops: Op[] = [];
  // The builder stores the very array its program builder fills, so the chain can keep adding to it.
  wb.process(comm, (p) => {
    ops = p.ops;
  });
  return new ProcessChain(wb, comm, ops);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds ops to one program (or one `repeat` body). Every method returns the builder, so calls chain. */
export class ProgramBuilder {
  constructor(
    private readonly root: WorkloadBuilder,
    /** Name of the program being built. */
    readonly name: string,
    /** The ops added so far. */
    readonly ops: Op[],
  ) {}

  private fail(message: string): never {
    throw new WorkloadError(`program \`${this.name}\`, op ${this.ops.length}: ${message}`);
  }

  private push(op: Op): this {
    this.ops.push(op);
    return this;
  }

  private toArg(a: ArgLike): Arg {
    if (typeof a === 'bigint') return { kind: 'int', value: a };
    if (typeof a === 'number') {
      if (!Number.isSafeInteger(a)) this.fail(`argument ${a} is not an integer`);
      return { kind: 'int', value: BigInt(a) };
    }
    if (typeof a === 'string') return { kind: 'int', value: this.flags(a), text: a };
    return a;
  }

  private flags(text: string): bigint {
    const v = evalFlags(text, this.root.arch);
    if (!v) this.fail(`\`${text}\` is not a number or flag expression (use \`str('${text}')\` for a string argument)`);
    const [unknown] = v.unknown;
    if (unknown !== undefined)
      this.fail(`unknown constant \`${unknown}\`${didYouMean(unknown, Object.keys(CONSTANTS))}`);
    return v.value;
  }

  private signal(name: string, allowZero = false): string {
    const problem = checkSignalName(name, allowZero);
    if (problem) this.fail(problem);
    return name;
  }

  private programRef(p: ProgramLike, what: string, name?: string): string {
    if (typeof p === 'string') return p;
    return this.root.define(name ?? this.root.inlineName(this.name, what), p);
  }

  private last(method: string): Mutable<Op> {
    const op = this.ops[this.ops.length - 1];
    if (!op) this.fail(`\`${method}()\` must follow the op it modifies`);
    return op as Mutable<Op>;
  }

  private lastSyscall(method: string): Mutable<SyscallOp> {
    const op = this.last(method);
    if (op.kind !== 'syscall') this.fail(`\`${method}()\` must follow \`syscall()\`, not a \`${op.kind}\` op`);
    return op;
  }

  /** A system call by name (`openat`, or `syscall_N`), with up to six arguments. Returns 0 unless modified. */
  syscall(name: string, ...args: ArgLike[]): this {
    const arch = archOf(this.root.arch);
    const bad = checkSyscallName(arch, name);
    if (bad) this.fail(bad);
    if (args.length > 6) this.fail(`\`${name}\` is given ${args.length} arguments; a syscall takes at most 6`);
    return this.push({ kind: 'syscall', name, args: args.map((a) => this.toArg(a)) });
  }

  /** The previous syscall returns `value` (`text` is strace's annotation, e.g. `3</etc/passwd>`). */
  returns(value: bigint | number, text?: string): this {
    const op = this.lastSyscall('returns');
    op.result =
      text === undefined ? { kind: 'value', value: BigInt(value) } : { kind: 'value', value: BigInt(value), text };
    return this;
  }

  /** The previous op fails with `errno` (`ENOENT`): a syscall returns `-errno`; clone/exec/kill/wait… do nothing. */
  fails(errno: string): this {
    const problem = checkErrnoName(errno);
    if (problem) this.fail(problem);
    const op = this.last('fails');
    if (!['syscall', 'clone', 'exec', 'kill', 'wait', 'sigaction', 'setpgid'].includes(op.kind))
      this.fail(`a \`${op.kind}\` op cannot fail`);
    (op as { result?: unknown }).result = { kind: 'errno', errno };
    return this;
  }

  /** The previous syscall's value is computed by the simulator (pid, tid, ppid…). */
  auto(): this {
    this.lastSyscall('auto').result = { kind: 'auto' };
    return this;
  }

  /** The previous syscall sleeps `ns` of virtual time before completing. */
  sleeps(ns: Ns): this {
    this.lastSyscall('sleeps').block = { until: 'time', ns: BigInt(ns) };
    return this;
  }

  /** The previous syscall sleeps until a signal is delivered (with `mask` blocked meanwhile, as `rt_sigsuspend`). */
  untilSignal(mask?: readonly string[]): this {
    const op = this.lastSyscall('untilSignal');
    op.block = mask === undefined ? { until: 'signal' } : { until: 'signal', mask: mask.map((s) => this.signal(s)) };
    return this;
  }

  /** The previous syscall sleeps until it can take a token from `channel` (or gives up after `timeoutNs`). */
  waitsOn(channel: string, timeoutNs?: Ns): this {
    if (channel === '') this.fail('a wake channel needs a name');
    this.lastSyscall('waitsOn').block =
      timeoutNs === undefined ? { until: 'wake', channel } : { until: 'wake', channel, timeoutNs: BigInt(timeoutNs) };
    return this;
  }

  /** The previous syscall posts `count` tokens on `channel` when it completes. */
  wakes(channel: string, count = 1): this {
    if (!Number.isSafeInteger(count) || count < 1) this.fail(`wake count must be a positive integer, not ${count}`);
    this.lastSyscall('wakes').wake = count === 1 ? { channel } : { channel, count };
    return this;
  }

  /** The previous op's kernel time. */
  costs(ns: Ns): this {
    const op = this.last('costs');
    if (op.kind === 'compute' || op.kind === 'repeat' || op.kind === 'signal-in')
      this.fail(`a \`${op.kind}\` op makes no syscall`);
    (op as { costNs?: bigint }).costNs = BigInt(ns);
    return this;
  }

  /** User-mode work for `ns` virtual nanoseconds. */
  compute(ns: Ns): this {
    if (BigInt(ns) < 0n) this.fail(`compute time ${ns} is negative`);
    return this.push({ kind: 'compute', ns: BigInt(ns) });
  }

  /** Runs `body` `count` times. */
  repeat(count: number, body: ProgramBody): this {
    if (!Number.isSafeInteger(count) || count < 0)
      this.fail(`repeat count must be a non-negative integer, not ${count}`);
    const b = new ProgramBuilder(this.root, this.name, []);
    body(b);
    return this.push({ kind: 'repeat', count, body: b.ops });
  }

  private clone(mode: CloneOp['mode'], child: ProgramLike, o: ChildOptions): this {
    const defaults = {
      fork: [FORK_FLAGS, 'clone'],
      vfork: [VFORK_FLAGS, 'vfork'],
      thread: [THREAD_FLAGS, 'clone3'],
    } as const;
    const [flags, via] = defaults[mode];
    let spec: ChildSpec = { program: this.programRef(child, mode, o.name) };
    if (o.comm !== undefined) spec = { ...spec, comm: o.comm };
    if (o.label !== undefined) spec = { ...spec, label: o.label };
    if (o.exitWake !== undefined) spec = { ...spec, exitWake: o.exitWake };
    const f = o.flags === undefined ? flags : this.toArg(o.flags);
    const value =
      typeof f === 'bigint'
        ? f
        : f.kind === 'int'
          ? f.value
          : this.fail('clone flags must be a number or flag expression');
    return this.push({ kind: 'clone', mode, via: o.via ?? via, flags: value, child: spec });
  }

  /** Forks a child process running `child` (glibc `fork()`: `clone` with `FORK_FLAGS`). */
  fork(child: ProgramLike, options: ChildOptions = {}): this {
    return this.clone('fork', child, options);
  }

  /** vforks a child running `child` (which must exec or exit); the parent waits until it does. */
  vfork(child: ProgramLike, options: ChildOptions = {}): this {
    return this.clone('vfork', child, options);
  }

  /** Starts a thread running `child` (`clone3` with `THREAD_FLAGS`, as `pthread_create`). */
  thread(child: ProgramLike, options: ChildOptions = {}): this {
    return this.clone('thread', child, options);
  }

  /** `execve(path, argv, envp)` that succeeds and continues with `program`. */
  exec(
    path: string,
    argv: readonly string[],
    program: ProgramLike,
    options: { envp?: readonly string[]; comm?: string; name?: string } = {},
  ): this {
    const name = this.programRef(program, 'exec', options.name);
    let op: Op = { kind: 'exec', path, argv: [...argv], program: name };
    if (options.envp !== undefined) op = { ...op, envp: [...options.envp] };
    if (options.comm !== undefined) op = { ...op, comm: options.comm };
    return this.push(op);
  }

  /** `exit_group(code)`: ends every thread of the process. */
  exit(code = 0): this {
    return this.push({ kind: 'exit', code, group: true });
  }

  /** `exit(code)`: ends only the calling thread. */
  exitThread(code = 0): this {
    return this.push({ kind: 'exit', code, group: false });
  }

  /** `kill(pid, signal)` to a process or process group (`'0'` probes without sending). */
  kill(to: SignalTarget, signal: string): this {
    return this.push({ kind: 'kill', via: 'kill', target: to, signal: this.signal(signal, true) });
  }

  /** `tgkill(tgid, tid, signal)` to one thread. */
  tgkill(to: SignalTarget, signal: string): this {
    return this.push({ kind: 'kill', via: 'tgkill', target: to, signal: this.signal(signal, true) });
  }

  /** `wait4(pid, &status, options, NULL)`; `options` as a number or flag expression (`'WUNTRACED'`). */
  wait(from: WaitTarget = children.any, options: ArgLike = 0): this {
    const o = this.toArg(options);
    if (o.kind !== 'int') this.fail('wait options must be a number or flag expression');
    return this.push({ kind: 'wait', via: 'wait4', target: from, options: o.value });
  }

  /** `rt_sigaction(signal, {handler})`: run `handler` (ops, ending in an implicit `rt_sigreturn`) on delivery. */
  handle(
    signal: string,
    handler: ProgramLike,
    options: { flags?: ArgLike; mask?: readonly string[]; name?: string } = {},
  ): this {
    const name = this.programRef(handler, `on-${signal}`, options.name);
    let op: Op = { kind: 'sigaction', signal: this.signal(signal), action: 'handler', handler: name };
    if (options.flags !== undefined) {
      const f = this.toArg(options.flags);
      if (f.kind !== 'int') this.fail('sa_flags must be a number or flag expression');
      op = { ...op, flags: f.value };
    }
    if (options.mask !== undefined) op = { ...op, mask: options.mask.map((s) => this.signal(s)) };
    return this.push(op);
  }

  /** `rt_sigaction(signal, {SIG_IGN})`. */
  ignore(signal: string): this {
    return this.push({ kind: 'sigaction', signal: this.signal(signal), action: 'ignore' });
  }

  /** `rt_sigaction(signal, {SIG_DFL})`. */
  restoreDefault(signal: string): this {
    return this.push({ kind: 'sigaction', signal: this.signal(signal), action: 'default' });
  }

  /** `rt_sigaction(signal, NULL, &old)`: reads the disposition without changing it. */
  querySignal(signal: string): this {
    return this.push({ kind: 'sigaction', signal: this.signal(signal), action: 'query' });
  }

  /** `rt_sigprocmask(SIG_BLOCK, signals)`. */
  block(...signals: string[]): this {
    return this.push({ kind: 'sigmask', how: 'block', signals: signals.map((s) => this.signal(s)) });
  }

  /** `rt_sigprocmask(SIG_UNBLOCK, signals)`. */
  unblock(...signals: string[]): this {
    return this.push({ kind: 'sigmask', how: 'unblock', signals: signals.map((s) => this.signal(s)) });
  }

  /** `rt_sigprocmask(SIG_SETMASK, signals)`. */
  setMask(...signals: string[]): this {
    return this.push({ kind: 'sigmask', how: 'set', signals: signals.map((s) => this.signal(s)) });
  }

  /** `rt_sigreturn()`: returns from the innermost handler (implicit at the end of a handler program). */
  sigreturn(): this {
    return this.push({ kind: 'sigreturn' });
  }

  /** `alarm(seconds)`: `SIGALRM` after that long (0 disarms). */
  alarm(seconds: number): this {
    if (!Number.isSafeInteger(seconds) || seconds < 0) this.fail(`alarm takes whole seconds, not ${seconds}`);
    return this.push({ kind: 'timer', via: 'alarm', which: 'real', valueNs: sec(seconds) });
  }

  /** `setitimer(which, {value, interval})`. */
  setitimer(which: 'real' | 'virtual' | 'prof', valueNs: Ns, intervalNs: Ns = 0): this {
    return this.push({
      kind: 'timer',
      via: 'setitimer',
      which,
      valueNs: BigInt(valueNs),
      intervalNs: BigInt(intervalNs),
    });
  }

  /** `setpgid`: puts `who` in the group led by `leader` (itself: a new group). */
  setpgid(who: ProcessRef, leader: ProcessRef = who): this {
    return this.push({ kind: 'setpgid', target: who, leader });
  }

  /** A signal from outside the simulated world arrives now. */
  signalIn(signal: string, options: { code?: string; senderPid?: number } = {}): this {
    let op: Op = { kind: 'signal-in', signal: this.signal(signal) };
    if (options.code !== undefined) op = { ...op, code: options.code };
    if (options.senderPid !== undefined) op = { ...op, senderPid: options.senderPid };
    return this.push(op);
  }

  // Conveniences for the calls every scenario makes.

  /** `getpid()`, returning the caller's pid. */
  getpid(): this {
    return this.syscall('getpid').auto();
  }

  /** `write(fd, text, len)`, returning `len` (the text is placed in memory as the buffer). */
  write(fd: number, text: string): this {
    const bytes = Buffer.byteLength(text);
    return this.syscall('write', fd, buf(bytes, text), bytes).returns(bytes);
  }

  /** `pause()`: sleeps until a signal is handled, then returns `-EINTR`. */
  pause(): this {
    return this.syscall('pause').untilSignal().fails('EINTR');
  }

  /** `rt_sigsuspend(mask)`: sleeps with `mask` blocked until a signal is handled, then returns `-EINTR`. */
  sigsuspend(...mask: string[]): this {
    return this.syscall('rt_sigsuspend', struct(`[${mask.map((m) => m.replace(/^SIG/, '')).join(' ')}]`, 8), 8)
      .untilSignal(mask)
      .fails('EINTR');
  }

  /** `clock_nanosleep(CLOCK_REALTIME, 0, {ns}, NULL)`, as glibc's `nanosleep` and `sleep` make it. */
  sleep(ns: Ns): this {
    const n = BigInt(ns);
    const text = `{tv_sec=${n / 1_000_000_000n}, tv_nsec=${n % 1_000_000_000n}}`;
    return this.syscall('clock_nanosleep', 'CLOCK_REALTIME', 0, struct(text, 16), 0).sleeps(n);
  }
}

/** The builder `process(comm)` returns: the initial program's ops, plus `program` and `build` of the workload. */
export class ProcessChain extends ProgramBuilder {
  constructor(
    private readonly workloadBuilder: WorkloadBuilder,
    name: string,
    ops: Op[],
  ) {
    super(workloadBuilder, name, ops);
  }

  /** Defines another named program (a child, an exec image, a handler) that ops can refer to by name. */
  program(name: string, body: ProgramBody, description?: string): this {
    this.workloadBuilder.program(name, body, description);
    return this;
  }

  /** The workload, checked with `validateWorkload`; throws `WorkloadError` listing the errors. */
  build(): Workload {
    return this.workloadBuilder.build();
  }
}
