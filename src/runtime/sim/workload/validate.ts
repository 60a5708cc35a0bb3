/**
 * Checks a workload before the simulator runs it: every referenced program exists and is reachable, names
 * (syscalls for the arch, signals, errnos, registers, labels) are known, numbers are in range, and resources
 * balance (every wake channel that is waited on is posted often enough, forked children are waited for, opened
 * file descriptors are closed). Errors make the workload unrunnable or make it hang; warnings are likely mistakes.
 */
import { WorkloadError } from './errors.js';
import { archOf, checkErrnoName, checkSignalName, checkSyscallName } from './names.js';
import { CONSTANTS } from './constants.js';
import type { Arch } from '../../../arch/index.js';
import type { Arg, Op, Workload } from './types.js';

/** One finding of `validateWorkload`. `where` is a path into the workload such as `programs.ls.ops[3]`. */
export interface WorkloadProblem {
  readonly severity: 'error' | 'warning';
  readonly where: string;
  readonly message: string;
}

/** Syscalls the simulator acts on only through their dedicated op kinds. */
export const SEMANTIC_SYSCALLS: ReadonlyMap<string, string> = new Map([
  ['clone', 'clone'],
  ['clone3', 'clone'],
  ['fork', 'clone'],
  ['vfork', 'clone'],
  ['execve', 'exec'],
  ['execveat', 'exec'],
  ['exit', 'exit'],
  ['exit_group', 'exit'],
  ['kill', 'kill'],
  ['tkill', 'kill'],
  ['tgkill', 'kill'],
  ['wait4', 'wait'],
  ['waitid', 'wait'],
  ['rt_sigaction', 'sigaction'],
  ['rt_sigreturn', 'sigreturn'],
  ['alarm', 'timer'],
  ['setitimer', 'timer'],
  ['setpgid', 'setpgid'],
]);

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const FD_OPENERS = new Set([
  'open',
  'openat',
  'openat2',
  'creat',
  'socket',
  'accept',
  'accept4',
  'dup',
  'epoll_create',
  'epoll_create1',
  'eventfd',
  'eventfd2',
  'memfd_create',
  'pidfd_open',
  'timerfd_create',
  'signalfd4',
  'inotify_init',
  'inotify_init1',
]);
const CLONE_THREAD = CONSTANTS.CLONE_THREAD ?? 0x10000n;
const CLONE_VFORK = CONSTANTS.CLONE_VFORK ?? 0x4000n;
const CLONE_VM = CONSTANTS.CLONE_VM ?? 0x100n;

/** Returns every problem found in `w`, errors first; an empty list means the workload is well formed. */
export function validateWorkload(w: Workload): WorkloadProblem[] {
  return new Validator(w).run();
}

/** Throws a `WorkloadError` listing the errors of `validateWorkload` (warnings are ignored). */
export function assertValidWorkload(w: Workload): void {
  const errors = validateWorkload(w).filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const lines = errors.map((p) => `${p.where}: ${p.message}`);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new WorkloadError(`workload \`${w.name}\` is invalid: ${lines[0]}${more}`, lines);
}

interface Counts {
  /** Program → how many times one run of this program starts it (as a child, exec image or handler). */
  readonly starts: Map<string, { n: number; handler: boolean }>;
  readonly posts: Map<string, number>;
  readonly takes: Map<string, number>;
}

class Validator {
  private readonly problems: WorkloadProblem[] = [];
  private readonly arch: Arch;
  private readonly processLabels = new Set<string>();
  private readonly threadLabels = new Set<string>();
  private readonly labelUses: { label: string; thread: boolean; where: string }[] = [];
  private readonly handlers = new Set<string>();
  private readonly vforkChildren = new Set<string>();
  private readonly counts = new Map<string, Counts>();

  constructor(private readonly w: Workload) {
    this.arch = archOf(w.arch);
  }

  run(): WorkloadProblem[] {
    const { w } = this;
    if (w.format !== 1) this.error('format', `format is ${String(w.format)}; expected 1`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(w.name))
      this.error('name', `name \`${w.name}\` must be non-empty letters, digits, \`.\`, \`_\`, \`-\``);
    this.checkComm('init.comm', w.init.comm);
    if (!this.programExists(w.init.program))
      this.error('init.program', `program \`${w.init.program}\` does not exist${this.known()}`);
    for (const reg of Object.keys(w.init.regs ?? {})) {
      if (!this.arch.registers.includes(reg))
        this.error(`init.regs.${reg}`, `\`${reg}\` is not a register of ${this.arch.name}`);
    }
    for (const [name, program] of Object.entries(w.programs)) {
      const counts: Counts = { starts: new Map(), posts: new Map(), takes: new Map() };
      this.counts.set(name, counts);
      this.ops(program.ops, `programs.${name}.ops`, 1, counts);
      this.checkFds(program.ops, `programs.${name}.ops`);
      this.checkReaping(name, program.ops);
    }
    for (const use of this.labelUses) {
      const defined = use.thread ? this.threadLabels : this.processLabels;
      if (!defined.has(use.label)) {
        const other = use.thread ? this.processLabels.has(use.label) : this.threadLabels.has(use.label);
        const hint = other ? ` (\`${use.label}\` names a ${use.thread ? 'process' : 'thread'})` : '';
        this.error(
          use.where,
          `no ${use.thread ? 'thread' : 'child process'} is created with label \`${use.label}\`${hint}`,
        );
      }
    }
    for (const name of this.vforkChildren) {
      const ops = w.programs[name]?.ops ?? [];
      if (!ops.some((o) => o.kind === 'exec' || o.kind === 'exit'))
        this.warning(
          `programs.${name}`,
          `vfork child program \`${name}\` neither execs nor exits: a real vfork child must do one of them`,
        );
    }
    this.checkReachability();
    this.checkChannels();
    return [
      ...this.problems.filter((p) => p.severity === 'error'),
      ...this.problems.filter((p) => p.severity === 'warning'),
    ];
  }

  private error(where: string, message: string): void {
    this.problems.push({ severity: 'error', where, message });
  }

  private warning(where: string, message: string): void {
    this.problems.push({ severity: 'warning', where, message });
  }

  private programExists(name: string): boolean {
    return Object.hasOwn(this.w.programs, name);
  }

  private known(): string {
    const names = Object.keys(this.w.programs);
    return names.length === 0
      ? ' (the workload defines no programs)'
      : ` (programs: ${names
          .slice(0, 8)
          .map((n) => `\`${n}\``)
          .join(', ')}${names.length > 8 ? ', …' : ''})`;
  }

  private checkComm(where: string, comm: string): void {
    if (comm.length === 0) this.error(where, 'comm is empty');
    else if (Buffer.byteLength(comm) > 15)
      this.warning(
        where,
        `comm \`${comm}\` is longer than 15 bytes; the kernel keeps \`${Buffer.from(comm).subarray(0, 15).toString()}\``,
      );
  }

  private checkProgramRef(where: string, name: string, counts: Counts, mult: number, handler: boolean): void {
    if (!this.programExists(name)) {
      this.error(where, `program \`${name}\` does not exist${this.known()}`);
      return;
    }
    const prev = counts.starts.get(name);
    counts.starts.set(name, { n: (prev?.n ?? 0) + mult, handler: handler || (prev?.handler ?? false) });
  }

  private checkSignal(where: string, name: string, allowZero = false): void {
    const problem = checkSignalName(name, allowZero);
    if (problem) this.error(where, problem);
  }

  private checkErrno(where: string, name: string): void {
    const problem = checkErrnoName(name);
    if (problem) this.error(where, problem);
  }

  private checkNs(where: string, ns: bigint): void {
    if (ns < 0n) this.error(where, `duration ${ns}ns is negative`);
  }

  private ops(ops: readonly Op[], path: string, mult: number, counts: Counts): void {
    ops.forEach((op, i) => this.op(op, `${path}[${i}]`, mult, counts));
  }

  private op(op: Op, where: string, mult: number, counts: Counts): void {
    if ('costNs' in op && op.costNs !== undefined) this.checkNs(`${where}.costNs`, op.costNs);
    if ('result' in op && op.result?.kind === 'errno') this.checkErrno(`${where}.result`, op.result.errno);
    switch (op.kind) {
      case 'syscall': {
        const bad = checkSyscallName(this.arch, op.name);
        if (bad) this.error(`${where}.name`, bad);
        const dedicated = SEMANTIC_SYSCALLS.get(op.name);
        if (dedicated)
          this.error(
            `${where}.name`,
            `\`${op.name}\` must be written as a \`${dedicated}\` op: the simulator does not act on a plain \`syscall\` op`,
          );
        if (op.args.length > 6)
          this.error(`${where}.args`, `a syscall takes at most 6 arguments, not ${op.args.length}`);
        op.args.forEach((a, j) => this.arg(a, `${where}.args[${j}]`));
        if (op.result?.kind === 'value' && (op.result.value < I64_MIN || op.result.value > U64_MAX))
          this.error(`${where}.result`, `return value ${op.result.value} does not fit in a 64-bit register`);
        if (op.block?.until === 'time') this.checkNs(`${where}.block.ns`, op.block.ns);
        if (op.block?.until === 'signal')
          op.block.mask?.forEach((s, j) => this.checkSignal(`${where}.block.mask[${j}]`, s));
        if (op.block?.until === 'wake') {
          if (op.block.channel === '') this.error(`${where}.block.channel`, 'wake channel name is empty');
          if (op.block.timeoutNs === undefined) bump(counts.takes, op.block.channel, mult);
          else this.checkNs(`${where}.block.timeoutNs`, op.block.timeoutNs);
        }
        if (op.wake) {
          const n = op.wake.count ?? 1;
          if (!Number.isSafeInteger(n) || n < 1)
            this.error(`${where}.wake.count`, `wake count must be a positive integer, not ${n}`);
          bump(counts.posts, op.wake.channel, mult * n);
        }
        return;
      }
      case 'compute':
        return this.checkNs(`${where}.ns`, op.ns);
      case 'repeat':
        if (!Number.isSafeInteger(op.count) || op.count < 0)
          this.error(`${where}.count`, `repeat count must be a non-negative integer, not ${op.count}`);
        return this.ops(op.body, `${where}.body`, mult * Math.max(0, op.count), counts);
      case 'clone': {
        const flags = op.flags;
        if (op.mode === 'thread' && (flags & CLONE_THREAD) === 0n)
          this.error(`${where}.flags`, 'a `thread` clone needs `CLONE_THREAD` in its flags');
        if (op.mode !== 'thread' && (flags & CLONE_THREAD) !== 0n)
          this.error(`${where}.flags`, `a \`${op.mode}\` clone must not have \`CLONE_THREAD\` in its flags`);
        if (op.mode === 'vfork' && (flags & (CLONE_VFORK | CLONE_VM)) !== (CLONE_VFORK | CLONE_VM))
          this.error(`${where}.flags`, 'a `vfork` clone needs `CLONE_VFORK|CLONE_VM` in its flags');
        if (op.via === 'vfork' && op.mode !== 'vfork')
          this.error(`${where}.via`, `\`via: vfork\` makes a vfork, not a \`${op.mode}\``);
        if (op.via === 'fork' && op.mode !== 'fork')
          this.error(`${where}.via`, `\`via: fork\` makes a fork, not a \`${op.mode}\``);
        if (op.child.comm !== undefined) this.checkComm(`${where}.child.comm`, op.child.comm);
        if (op.child.label !== undefined)
          (op.mode === 'thread' ? this.threadLabels : this.processLabels).add(op.child.label);
        if (op.result) return;
        this.checkProgramRef(`${where}.child.program`, op.child.program, counts, mult, false);
        if (op.mode === 'vfork') this.vforkChildren.add(op.child.program);
        if (op.child.exitWake !== undefined) bump(counts.posts, op.child.exitWake, mult);
        return;
      }
      case 'exec':
        if (op.comm !== undefined) this.checkComm(`${where}.comm`, op.comm);
        if (op.result) return;
        if (op.program === undefined)
          this.error(`${where}.program`, 'an exec that succeeds needs the `program` of the new image');
        else this.checkProgramRef(`${where}.program`, op.program, counts, mult, false);
        return;
      case 'exit':
        if (!Number.isInteger(op.code) || op.code < 0 || op.code > 255)
          this.error(`${where}.code`, `exit code must be 0..255, not ${op.code}`);
        return;
      case 'kill':
        this.checkSignal(`${where}.signal`, op.signal, true);
        if (op.target.kind === 'child' || op.target.kind === 'child-pgrp')
          this.labelUses.push({ label: op.target.label, thread: false, where: `${where}.target` });
        if (op.target.kind === 'thread')
          this.labelUses.push({ label: op.target.label, thread: true, where: `${where}.target` });
        if (op.via === 'kill' && (op.target.kind === 'thread' || op.target.kind === 'thread-self'))
          this.error(`${where}.via`, '`kill` signals a process; use `tgkill` for a thread');
        if (op.via !== 'kill' && !['thread', 'thread-self', 'pid'].includes(op.target.kind))
          this.error(`${where}.via`, `\`${op.via}\` signals one thread; use \`kill\` for a ${op.target.kind} target`);
        return;
      case 'wait':
        if (op.target.kind !== 'any')
          this.labelUses.push({ label: op.target.label, thread: false, where: `${where}.target` });
        if (op.options < 0n) this.error(`${where}.options`, 'wait options must not be negative');
        return;
      case 'sigaction':
        this.checkSignal(`${where}.signal`, op.signal);
        op.mask?.forEach((s, j) => this.checkSignal(`${where}.mask[${j}]`, s));
        if (
          (op.signal === 'SIGKILL' || op.signal === 'SIGSTOP') &&
          op.action !== 'default' &&
          op.action !== 'query' &&
          op.result === undefined
        )
          this.error(
            `${where}.action`,
            `the disposition of \`${op.signal}\` cannot be changed (the kernel returns EINVAL)`,
          );
        if (op.action !== 'handler' && op.handler !== undefined)
          this.error(`${where}.handler`, `a handler program is given but the action is \`${op.action}\``);
        if (op.action === 'handler' && op.handler !== undefined) {
          this.handlers.add(op.handler);
          this.checkProgramRef(`${where}.handler`, op.handler, counts, mult, true);
        }
        return;
      case 'sigmask':
        op.signals.forEach((s, j) => this.checkSignal(`${where}.signals[${j}]`, s));
        return;
      case 'sigreturn':
        return;
      case 'timer':
        this.checkNs(`${where}.valueNs`, op.valueNs);
        if (op.intervalNs !== undefined) this.checkNs(`${where}.intervalNs`, op.intervalNs);
        if (op.via === 'alarm' && op.which !== 'real')
          this.error(`${where}.which`, '`alarm` arms the `real` timer only');
        return;
      case 'setpgid':
        for (const [key, ref] of [
          ['target', op.target],
          ['leader', op.leader],
        ] as const) {
          if (ref.kind === 'child') this.labelUses.push({ label: ref.label, thread: false, where: `${where}.${key}` });
        }
        return;
      case 'signal-in':
        this.checkSignal(`${where}.signal`, op.signal);
        return;
    }
  }

  private arg(a: Arg, where: string): void {
    switch (a.kind) {
      case 'int':
        if (a.value < I64_MIN || a.value > U64_MAX)
          this.error(where, `argument ${a.value} does not fit in a 64-bit register`);
        return;
      case 'buf':
        if (!Number.isSafeInteger(a.size) || a.size < 0)
          this.error(`${where}.size`, `buffer size must be a non-negative integer, not ${a.size}`);
        else if (a.hex !== undefined && a.hex.length / 2 > a.size)
          this.error(`${where}.hex`, `initial bytes (${a.hex.length / 2}) exceed the buffer size ${a.size}`);
        return;
      case 'struct':
        if (a.size !== undefined && (!Number.isSafeInteger(a.size) || a.size < 0))
          this.error(`${where}.size`, `struct size must be a non-negative integer, not ${a.size}`);
        return;
      case 'str':
      case 'strs':
        return;
    }
  }

  // File descriptors opened in an op list should be closed in the same list (a loop body must balance itself).
  private checkFds(ops: readonly Op[], path: string): void {
    const open = new Map<bigint, string>();
    ops.forEach((op, i) => {
      if (op.kind === 'repeat') this.checkFds(op.body, `${path}[${i}].body`);
      if (op.kind === 'exec' && !op.result) open.clear();
      if (op.kind !== 'syscall') return;
      if (FD_OPENERS.has(op.name) && op.result?.kind === 'value' && op.result.value > 2n)
        open.set(op.result.value, `${path}[${i}]`);
      if (op.name === 'close' && op.args[0]?.kind === 'int') open.delete(op.args[0].value);
    });
    for (const [fd, where] of open) this.warning(where, `fd ${fd} is opened here and never closed`);
  }

  // A process that forks should wait for its children, else they stay zombies until it exits.
  private checkReaping(name: string, ops: readonly Op[]): void {
    const all = flatten(ops);
    const forks = all.filter((o) => o.kind === 'clone' && o.mode !== 'thread' && !o.result);
    if (forks.length === 0) return;
    const waits = (list: readonly Op[]): boolean => list.some((o) => o.kind === 'wait');
    const handlerWaits = [...this.handlers].some((h) => waits(flatten(this.w.programs[h]?.ops ?? [])));
    if (!waits(all) && !handlerWaits)
      this.warning(`programs.${name}`, `program \`${name}\` forks children but never waits for them`);
  }

  private checkReachability(): void {
    const seen = new Set<string>();
    const stack = [this.w.init.program];
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (seen.has(name) || !this.programExists(name)) continue;
      seen.add(name);
      for (const next of this.counts.get(name)?.starts.keys() ?? []) stack.push(next);
    }
    for (const name of Object.keys(this.w.programs)) {
      if (!seen.has(name))
        this.warning(
          `programs.${name}`,
          `program \`${name}\` is never run (nothing reachable from \`init\` starts it)`,
        );
    }
  }

  // Static token accounting: how often each program runs (from init, multiplying loop counts) times what it
  // posts and takes. Handlers and recursive programs run an unknown number of times; their channels are skipped.
  private checkChannels(): void {
    const runs = new Map<string, number>();
    const unknown = new Set<string>();
    const visit = (name: string, n: number, path: readonly string[]): void => {
      if (path.includes(name) || path.length > 64) {
        unknown.add(name);
        return;
      }
      runs.set(name, (runs.get(name) ?? 0) + n);
      for (const [child, s] of this.counts.get(name)?.starts ?? []) {
        if (s.handler) unknown.add(child);
        else visit(child, n * s.n, [...path, name]);
      }
    };
    if (this.programExists(this.w.init.program)) visit(this.w.init.program, 1, []);
    const posts = new Map<string, number>();
    const takes = new Map<string, number>();
    const uncertain = new Set<string>();
    for (const [name, counts] of this.counts) {
      const n = runs.get(name) ?? 0;
      for (const [ch, k] of counts.posts) {
        bump(posts, ch, n * k);
        if (unknown.has(name)) uncertain.add(ch);
      }
      for (const [ch, k] of counts.takes) {
        bump(takes, ch, n * k);
        if (unknown.has(name)) uncertain.add(ch);
      }
    }
    const everPosted = new Set([...this.counts.values()].flatMap((c) => [...c.posts.keys()]));
    for (const [ch, taken] of takes) {
      if (!everPosted.has(ch))
        this.error(
          'programs',
          `wake channel \`${ch}\` is waited on but nothing ever posts it: the waiter blocks forever`,
        );
      else if (!uncertain.has(ch) && taken > (posts.get(ch) ?? 0))
        this.error(
          'programs',
          `wake channel \`${ch}\` is waited on ${taken} times but posted only ${posts.get(ch) ?? 0} times: a waiter blocks forever`,
        );
    }
  }
}

function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Every op of a list, including those inside `repeat` bodies. */
export function flatten(ops: readonly Op[]): Op[] {
  return ops.flatMap((o) => (o.kind === 'repeat' ? [o, ...flatten(o.body)] : [o]));
}
