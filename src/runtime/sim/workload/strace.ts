/**
 * The strace importer: turns a log of `strace -f -tt -o FILE CMD` (also `-t`, `-ttt`, `-T`, with or without the
 * pid column, or `[pid N]` prefixes from stderr) into a workload, so engines can be tried on recorded programs.
 *
 * Each traced task becomes a program; `clone`/`fork`/`vfork` results link parents to children and `execve`
 * starts a new program, so the process tree and the exec chain are rebuilt. Calls split across lines
 * (`<unfinished ...>` / `<... resumed>`) are joined. Gaps between a task's calls become `compute` time, long
 * calls become blocking sleeps. Signals the simulator will itself generate (a traced `kill`, a child's
 * `SIGCHLD`, a timer's `SIGALRM`) are left to it; others become `signal-in` ops. Handlers are imported inline:
 * the handler's recorded syscalls stay in the program, followed by its `rt_sigreturn`. The README in this folder
 * lists which waits sleep until a signal and which for their recorded time.
 *
 * The importer never throws on bad input: lines it cannot read are skipped and reported with their line numbers.
 */
import type { ArchName } from '../../../arch/index.js';
import { evalFlags, parseIntLiteral, signalNumber } from './constants.js';
import { archOf, syscallNumber } from './names.js';
import { convertArg, parseSigset, sigName, splitTopLevel, straceSignalNumber } from './strace-args.js';
import { parseStraceLine, parseStraceResult, type StraceLine, type StraceResult } from './strace-line.js';
import type {
  Arg,
  ErrnoResult,
  Op,
  Program,
  SignalTarget,
  SyscallOp,
  SyscallResult,
  WaitTarget,
  Workload,
} from './types.js';
import { validateWorkload } from './validate.js';

/** A line the importer skipped or could not fully understand. */
export interface StraceWarning {
  /** 1-based line number in the log (0 for problems not tied to a line). */
  readonly line: number;
  readonly message: string;
}

/** What `importStrace` returns. */
export interface StraceImport {
  readonly workload: Workload;
  readonly warnings: readonly StraceWarning[];
  readonly stats: StraceStats;
}

/** Counts about an import, for messages and tests. */
export interface StraceStats {
  readonly lines: number;
  /** Syscalls imported (a call split over two lines counts once). */
  readonly syscalls: number;
  readonly processes: number;
  readonly threads: number;
  /** `--- SIGx ---` lines seen, and how many became `signal-in` ops. */
  readonly signals: number;
  readonly externalSignals: number;
}

/** Options of `importStrace`. */
export interface StraceOptions {
  /** Workload name (default `strace-<comm of the first process>`). */
  readonly name?: string;
  readonly description?: string;
  /** Architecture the log was recorded on (default x86_64). */
  readonly arch?: ArchName;
  /** The log's file name, for the workload's `source`. */
  readonly file?: string;
}

/** Calls longer than this become interruptible sleeps; shorter ones are kernel time. */
const BLOCK_THRESHOLD_NS = 100_000n;
/** Gaps shorter than this between two calls of a task are not worth a `compute` op. */
const MIN_COMPUTE_NS = 1_000n;
const INITIAL = -1;
const AUTO_RESULT = new Set(['getpid', 'gettid', 'getppid', 'getpgrp', 'getpgid', 'getsid', 'set_tid_address']);
const SIGNAL_WAITS = new Set(['pause', 'rt_sigsuspend', 'sigsuspend']);
const CLONE_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** A syscall with its halves joined. */
interface Call {
  readonly kind: 'call';
  name: string;
  args: string;
  result: string | undefined;
  readonly line: number;
  readonly startNs: bigint | undefined;
  endNs: bigint | undefined;
  durationNs: bigint | undefined;
}

/** A call as its (first) log line shows it: an unfinished one has no result or duration yet, and none has an end
 * time until a `resumed` line gives one. */
function callAt(
  line: number,
  name: string,
  args: string,
  startNs: bigint | undefined,
  result?: string,
  durationNs?: bigint,
): Call {
  return { kind: 'call', name, args, result, line, startNs, endNs: undefined, durationNs };
}

type TaskEvent =
  | Call
  | {
      readonly kind: 'signal';
      readonly line: number;
      readonly timeNs: bigint | undefined;
      readonly signal: string;
      readonly code: string | undefined;
      readonly senderPid: number | undefined;
    }
  | { readonly kind: 'exited'; readonly line: number; readonly code: number }
  | { readonly kind: 'killed'; readonly line: number; readonly signal: string };

interface Task {
  readonly events: TaskEvent[];
  readonly firstLine: number;
  pending: Call | undefined;
}

interface TreeNode {
  readonly pid: number;
  readonly parent: number | undefined;
  readonly thread: boolean;
  /** Thread-group id (the process's pid). */
  readonly tgid: number;
}

/** Imports an strace log. Never throws; problems are in `warnings`. */
export function importStrace(text: string, options: StraceOptions = {}): StraceImport {
  return new Importer(text, options).run();
}

/** `file:line: message`, the way compilers print locations. */
export function formatStraceWarning(w: StraceWarning, file = '<strace>'): string {
  return w.line > 0 ? `${file}:${w.line}: ${w.message}` : `${file}: ${w.message}`;
}

class Importer {
  private readonly arch: ArchName;
  private readonly warnings: StraceWarning[] = [];
  private readonly tasks = new Map<number, Task>();
  private readonly tree = new Map<number, TreeNode>();
  private readonly programs: Record<string, Program> = {};
  private lineCount = 0;
  private syscalls = 0;
  private signals = 0;
  private externalSignals = 0;

  constructor(
    private readonly text: string,
    private readonly options: StraceOptions,
  ) {
    this.arch = options.arch ?? 'x86_64';
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  run(): StraceImport {
    this.read();
    const root = this.buildTree();
    let comm = 'strace';
    let initProgram = 'init';
    let processes = 0;
    let threads = 0;
    if (root !== undefined) {
      const first = this.tasks.get(root)?.events.find((e): e is Call => e.kind === 'call');
      const execPath = first && first.name === 'execve' ? this.execPath(first) : undefined;
      comm = execPath ? basename(execPath) : 'traced';
      initProgram = this.buildTask(root, comm);
      for (const node of this.tree.values()) {
        if (node.thread) threads++;
        else processes++;
      }
    } else {
      this.warn(0, 'the log contains no system calls');
      this.programs[initProgram] = { ops: [] };
    }
    const name = sanitizeName(this.options.name ?? `strace-${comm}`);
    const workload: Workload = {
      format: 1,
      name,
      description: this.options.description ?? `imported from ${this.options.file ?? 'an strace log'}`,
      arch: this.arch,
      init: { comm: comm.slice(0, 15) || 'traced', program: initProgram },
      programs: this.programs,
      source: this.options.file === undefined ? { kind: 'strace' } : { kind: 'strace', file: this.options.file },
    };
    for (const p of validateWorkload(workload)) {
      if (p.severity === 'error') this.warn(0, `the imported workload has a problem at ${p.where}: ${p.message}`);
    }
    return {
      workload,
      warnings: this.warnings,
      stats: {
        lines: this.lineCount,
        syscalls: this.syscalls,
        processes,
        threads,
        signals: this.signals,
        externalSignals: this.externalSignals,
      },
    };
  }

  // Pass 1: classify lines and collect each task's events, joining split calls.
  private read(): void {
    const lines = this.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    this.lineCount = lines.length;
    // Writing to stderr, strace can print "strace: Process N attached" (with its newline) in the middle of a
    // traced line; glue the two halves back together.
    const logical: { raw: string; lineNo: number }[] = [];
    for (let i = 0; i < lines.length; i++) {
      let raw = lines[i] as string;
      const lineNo = i + 1;
      const note = /strace: Process \d+ (?:attached|detached)$/.exec(raw);
      if (note && note.index > 0 && i + 1 < lines.length) raw = raw.slice(0, note.index) + (lines[++i] as string);
      logical.push({ raw, lineNo });
    }
    const records = logical.flatMap(({ raw, lineNo }) => {
      try {
        return [{ raw, lineNo, parsed: parseStraceLine(raw) }];
      } catch (e) {
        this.warn(lineNo, `cannot read this line (${(e as Error).message})`);
        return [];
      }
    });
    this.findInitialPid(records.map((r) => r.parsed));
    let clock = 0n;
    // After a thread execs, it carries on under the leader's pid ("superseded by execve in pid N"): send the
    // leader's later lines to the thread that exec'd, which is the task the simulator continues.
    const redirect = new Map<number, number>();
    records.forEach(({ raw, lineNo, parsed: line }) => {
      // -r times are deltas from the previous line: add them up into a clock.
      let parsed = line;
      if (line.relative && line.timeNs !== undefined) {
        clock += line.timeNs;
        parsed = { ...line, timeNs: clock };
      }
      const resolved = this.resolve(parsed.pid ?? INITIAL);
      const pid = redirect.get(resolved) ?? resolved;
      const task = (): Task => {
        let t = this.tasks.get(pid);
        if (!t) this.tasks.set(pid, (t = { events: [], firstLine: lineNo, pending: undefined }));
        return t;
      };
      switch (parsed.kind) {
        case 'superseded':
          redirect.set(pid, this.resolve(parsed.byPid));
          return;
        case 'blank':
        case 'stack':
        case 'attached':
        case 'detached':
          return;
        case 'unknown':
          this.warn(lineNo, `skipped: ${parsed.reason}: ${abbreviate(raw)}`);
          return;
        case 'syscall':
          task().events.push(callAt(lineNo, parsed.name, parsed.args, parsed.timeNs, parsed.result, parsed.durationNs));
          return;
        case 'unfinished': {
          const t = task();
          if (t.pending) this.warn(t.pending.line, `\`${t.pending.name}\` is never resumed`);
          const call = callAt(lineNo, parsed.name, parsed.args, parsed.timeNs);
          t.events.push(call);
          t.pending = call;
          return;
        }
        case 'resumed': {
          const t = task();
          const call = t.pending;
          if (!call || call.name !== parsed.name) {
            this.warn(
              lineNo,
              `\`<... ${parsed.name} resumed>\` has no matching \`<unfinished ...>\` call; imported on its own`,
            );
            t.events.push(callAt(lineNo, parsed.name, parsed.rest, parsed.timeNs, parsed.result, parsed.durationNs));
            return;
          }
          call.args = joinArgs(call.args, parsed.rest);
          call.result = parsed.result;
          call.endNs = parsed.timeNs;
          call.durationNs = parsed.durationNs;
          t.pending = undefined;
          return;
        }
        case 'signal':
          this.signals++;
          task().events.push({
            kind: 'signal',
            line: lineNo,
            timeNs: parsed.timeNs,
            signal: parsed.signal,
            code: parsed.code,
            senderPid: parsed.senderPid,
          });
          return;
        case 'stopped':
          task();
          return;
        case 'exited':
          task().events.push({ kind: 'exited', line: lineNo, code: parsed.code });
          return;
        case 'killed':
          task().events.push({ kind: 'killed', line: lineNo, signal: parsed.signal });
          return;
      }
    });
  }

  // Lines of the first process carry no pid while it is the only one (stderr mode); the same process's later
  // `[pid N]` lines must land in the same task. Its pid is the one that appears without being any clone's result.
  private findInitialPid(lines: readonly StraceLine[]): void {
    if (!lines.some((l) => l.pid === undefined && l.kind !== 'blank')) return;
    const children = new Set<number>();
    for (const l of lines) {
      if ((l.kind === 'syscall' || l.kind === 'resumed') && CLONE_CALLS.has(l.name)) {
        const r = parseStraceResult(l.result);
        if (r?.kind === 'value' && r.value > 0n) children.add(Number(r.value));
      }
    }
    const first = lines.find((l) => l.pid !== undefined && !children.has(l.pid));
    if (first?.pid !== undefined) this.aliases.set(first.pid, INITIAL);
  }

  // Pass 2: who created whom. Returns the root task's key.
  private buildTree(): number | undefined {
    const childOf = new Map<number, { parent: number; thread: boolean }>();
    for (const [pid, task] of this.tasks) {
      for (const e of task.events) {
        if (e.kind !== 'call' || !CLONE_CALLS.has(e.name)) continue;
        const r = e.result === undefined ? undefined : parseStraceResult(e.result);
        if (r?.kind === 'value' && r.value > 0n)
          childOf.set(Number(r.value), { parent: pid, thread: (this.cloneFlags(e) & 0x10000n) !== 0n });
      }
    }
    const candidates = [...this.tasks.entries()]
      .filter(([pid]) => pid !== INITIAL && !childOf.has(pid))
      .sort((a, b) => a[1].firstLine - b[1].firstLine);
    const root = this.tasks.has(INITIAL) ? INITIAL : candidates.shift()?.[0];
    for (const [pid, task] of candidates)
      this.warn(task.firstLine, `pid ${pid} has no recorded parent (attached with -p?); it is not imported`);
    if (root === undefined) return undefined;
    const add = (pid: number, parent: number | undefined, thread: boolean): void => {
      const tgid = thread && parent !== undefined ? (this.tree.get(parent)?.tgid ?? pid) : pid;
      this.tree.set(pid, { pid, parent, thread, tgid });
      for (const [child, info] of childOf)
        if (info.parent === pid && !this.tree.has(child)) add(child, pid, info.thread);
    };
    add(root, undefined, false);
    return root;
  }

  /** Recorded pids that name the same task (the initial process's pid, once revealed). */
  private readonly aliases = new Map<number, number>();
  /** Tasks whose programs are built (a pid is built once, even if the log reuses it). */
  private readonly built = new Set<number>();

  private resolve(pid: number): number {
    return this.aliases.get(pid) ?? pid;
  }

  private nodeOf(pid: number): TreeNode | undefined {
    return this.tree.get(this.aliases.get(pid) ?? pid);
  }

  private label(pid: number): string {
    return `p${this.displayPid(pid)}`;
  }

  private displayPid(pid: number): number | string {
    if (pid !== INITIAL) return pid;
    for (const [real, key] of this.aliases) if (key === INITIAL) return real;
    return 'init';
  }

  private programName(pid: number, comm: string, n: number): string {
    return `${this.displayPid(pid)}:${comm}${n > 1 ? `#${n}` : ''}`;
  }

  // Pass 3: one task's events into programs (a new one after each successful execve). Returns the first name.
  private buildTask(pid: number, startComm: string): string {
    this.built.add(pid);
    const task = this.tasks.get(pid);
    const node = this.tree.get(pid);
    let comm = startComm;
    let images = 1;
    const firstName = this.programName(pid, comm, images);
    let name = firstName;
    let ops: Op[] = [];
    this.programs[name] = { ops };
    if (!task || !node) return firstName;
    let lastEnd: bigint | undefined;
    let lastWasUnfinished = false;
    let lastWasInterrupted = false;
    const events = task.events;
    events.forEach((e, i) => {
      if (e.kind === 'call') {
        this.syscalls++;
        if (e.startNs !== undefined && lastEnd !== undefined && e.startNs - lastEnd >= MIN_COMPUTE_NS)
          ops.push({ kind: 'compute', ns: e.startNs - lastEnd, line: e.line });
        const end =
          e.endNs ?? (e.startNs !== undefined && e.durationNs !== undefined ? e.startNs + e.durationNs : e.startNs);
        if (end !== undefined) lastEnd = end;
        lastWasUnfinished = e.result === undefined;
        lastWasInterrupted = lastWasUnfinished || /^\?|ERESTART|EINTR/.test(e.result ?? '');
        const op = this.convertCall(e, node, events[i + 1]);
        if (!op) return;
        if (op.kind === 'clone' && !op.result) {
          const child = Number(
            parseStraceResult(e.result ?? '')?.kind === 'value'
              ? (parseStraceResult(e.result ?? '') as { value: bigint }).value
              : 0n,
          );
          if (this.tree.has(child) && this.built.has(child)) {
            this.warn(e.line, `pid ${child} is created twice in the log (pid reuse); the second child is not imported`);
            ops.push({ ...op, result: { kind: 'errno', errno: 'EAGAIN' } });
            return;
          }
          if (this.tree.has(child)) {
            const childProgram = this.buildTask(child, comm);
            ops.push({ ...op, child: { ...op.child, program: childProgram } });
            return;
          }
          this.warn(
            e.line,
            `the child ${child} of this \`${e.name}\` never appears in the log; imported without its program`,
          );
          ops.push({ ...op, result: { kind: 'errno', errno: 'EAGAIN' } });
          return;
        }
        if (op.kind === 'exec' && !op.result) {
          comm = basename(op.path).slice(0, 15);
          images++;
          name = this.programName(pid, comm, images);
          ops.push({ ...op, program: name });
          ops = [];
          this.programs[name] = { ops };
          return;
        }
        ops.push(op);
        return;
      }
      if (e.kind === 'signal') {
        // A call interrupted by this signal was asleep until it came: that time is not user-mode work.
        if (lastWasInterrupted && e.timeNs !== undefined && (lastEnd === undefined || e.timeNs > lastEnd))
          lastEnd = e.timeNs;
        if (!this.isInternalSignal(e, node)) {
          this.externalSignals++;
          const op: Op = { kind: 'signal-in', signal: this.signalName(e.signal, e.line), line: e.line };
          ops.push(
            e.code === undefined
              ? op
              : e.senderPid === undefined
                ? { ...op, code: e.code }
                : { ...op, code: e.code, senderPid: e.senderPid },
          );
        }
        return;
      }
      if (e.kind === 'killed') {
        const last = ops[ops.length - 1];
        const alreadyThere = last?.kind === 'signal-in' && last.signal === this.signalName(e.signal, e.line);
        const fromInside = this.killedFromInside(e.signal, node);
        if (!alreadyThere && !fromInside) {
          this.externalSignals++;
          ops.push({ kind: 'signal-in', signal: this.signalName(e.signal, e.line), line: e.line });
        }
        return;
      }
      // exited: make the end explicit when the log lost the exit call (not when the task died inside a call).
      const last = ops[ops.length - 1];
      if (last?.kind !== 'exit' && !lastWasUnfinished)
        ops.push({ kind: 'exit', code: e.code, group: !node.thread, line: e.line });
    });
    return firstName;
  }

  private signalName(text: string, line: number): string {
    const signo = straceSignalNumber(text);
    if (signo !== undefined) return sigName(signo);
    const n = /^\d+$/.test(text) ? Number(text) : undefined;
    if (n !== undefined && n >= 1 && n <= 64) return sigName(n);
    this.warn(line, `unknown signal \`${text}\`; imported as SIGTERM`);
    return 'SIGTERM';
  }

  // Would the simulator generate this signal itself from the ops we import?
  private isInternalSignal(
    e: { signal: string; code: string | undefined; senderPid: number | undefined },
    node: TreeNode,
  ): boolean {
    const sender = e.senderPid === undefined ? undefined : this.nodeOf(e.senderPid);
    if (e.code !== undefined && /^CLD_/.test(e.code) && e.signal === 'SIGCHLD')
      return sender !== undefined && this.nodeOf(sender.parent ?? -2)?.tgid === node.tgid;
    if ((e.code === 'SI_USER' || e.code === 'SI_TKILL' || e.code === 'SI_QUEUE') && sender)
      return this.sendsSignal(sender.pid, e.signal);
    if (e.code === 'SI_KERNEL' && ['SIGALRM', 'SIGVTALRM', 'SIGPROF'].includes(e.signal))
      return this.processCalls(node.tgid, ['alarm', 'setitimer']);
    return false;
  }

  private killedFromInside(signal: string, node: TreeNode): boolean {
    for (const n of this.tree.values()) if (this.sendsSignal(n.pid, signal)) return true;
    if (['SIGALRM', 'SIGVTALRM', 'SIGPROF'].includes(signal))
      return this.processCalls(node.tgid, ['alarm', 'setitimer']);
    return false;
  }

  private sendsSignal(pid: number, signal: string): boolean {
    const events = this.tasks.get(this.aliases.get(pid) ?? pid)?.events ?? [];
    return events.some(
      (e) => e.kind === 'call' && ['kill', 'tkill', 'tgkill'].includes(e.name) && e.args.includes(signal),
    );
  }

  private processCalls(tgid: number, names: readonly string[]): boolean {
    for (const n of this.tree.values()) {
      if (n.tgid !== tgid) continue;
      if (this.tasks.get(n.pid)?.events.some((e) => e.kind === 'call' && names.includes(e.name))) return true;
    }
    return false;
  }

  private cloneFlags(call: Call): bigint {
    if (call.name === 'fork') return 17n;
    if (call.name === 'vfork') return 0x4111n;
    const args = splitTopLevel(call.args);
    if (call.name === 'clone3') {
      const struct = args[0] ?? '';
      const flags = /flags=([A-Z0-9_|]+)/.exec(struct)?.[1];
      const exitSignal = /exit_signal=([A-Z0-9_]+)/.exec(struct)?.[1];
      const f = flags === undefined ? 0n : (evalFlags(flags, this.arch)?.value ?? 0n);
      const sig =
        exitSignal === undefined ? 0n : BigInt(signalNumber(exitSignal) ?? Number(parseIntLiteral(exitSignal) ?? 0n));
      return f | sig;
    }
    const flagsArg = args.find((a) => a.startsWith('flags=')) ?? args[0] ?? '0';
    return evalFlags(flagsArg.replace(/^flags=/, ''), this.arch)?.value ?? 0n;
  }

  private execPath(call: Call): string | undefined {
    const arg = splitTopLevel(call.args)[call.name === 'execveat' ? 1 : 0];
    const a = arg === undefined ? undefined : convertArg(arg, this.arch);
    return a?.kind === 'str' ? a.value : undefined;
  }

  private signalTarget(pidArg: bigint, node: TreeNode): SignalTarget {
    const pid = Number(pidArg);
    if (pid === 0) return { kind: 'pgrp' };
    const abs = Math.abs(pid);
    const target = this.nodeOf(abs);
    if (pid > 0 && target?.pid === node.tgid) return { kind: 'self' };
    if (pid > 0 && node.parent !== undefined && target && target.pid === this.parentProcess(node))
      return { kind: 'parent' };
    if (target && !target.thread && this.parentProcess(target) === node.tgid)
      return pid > 0
        ? { kind: 'child', label: this.label(target.pid) }
        : { kind: 'child-pgrp', label: this.label(target.pid) };
    return { kind: 'pid', pid };
  }

  private parentProcess(node: TreeNode): number | undefined {
    const leader = this.tree.get(node.tgid);
    return leader?.parent === undefined ? undefined : this.tree.get(leader.parent)?.tgid;
  }

  private threadTarget(tidArg: bigint, node: TreeNode): SignalTarget {
    const tid = this.resolve(Number(tidArg));
    if (tid === node.pid) return { kind: 'thread-self' };
    const t = this.tree.get(tid);
    if (t?.thread && t.tgid === node.tgid) return { kind: 'thread', label: this.label(t.pid) };
    return { kind: 'pid', pid: Number(tidArg) };
  }

  private errno(r: StraceResult | undefined): ErrnoResult | undefined {
    return r?.kind === 'errno' ? { kind: 'errno', errno: r.errno } : undefined;
  }

  private convertCall(call: Call, node: TreeNode, next: TaskEvent | undefined): Op | undefined {
    let name = call.name;
    const hex = /^syscall_0x([0-9a-f]+)$/i.exec(name);
    if (hex) name = `syscall_${parseInt(hex[1] as string, 16)}`;
    const arch = archOf(this.arch);
    if (syscallNumber(arch, name) === undefined) {
      this.warn(call.line, `unknown syscall \`${call.name}\` for ${this.arch}; skipped`);
      this.syscalls--;
      return undefined;
    }
    const rawArgs = splitTopLevel(call.args);
    const result = call.result === undefined ? undefined : parseStraceResult(call.result);
    if (call.result !== undefined && result === undefined)
      this.warn(call.line, `cannot read the result \`${abbreviate(call.result)}\` of \`${name}\`; imported as 0`);
    const errno = this.errno(result);
    const base = { line: call.line };
    const int = (i: number): bigint | undefined => {
      const a = rawArgs[i] === undefined ? undefined : convertArg(rawArgs[i] as string, this.arch);
      return a?.kind === 'int' ? a.value : undefined;
    };
    const withErrno = <T extends Op>(op: T): T => (errno ? { ...op, result: errno } : op);
    switch (name) {
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork': {
        const flags = this.cloneFlags(call);
        const mode = (flags & 0x10000n) !== 0n ? 'thread' : (flags & 0x4000n) !== 0n ? 'vfork' : 'fork';
        const child = result?.kind === 'value' ? Number(result.value) : 0;
        const op: Op = {
          kind: 'clone',
          ...base,
          mode,
          via: name,
          flags: mode === 'vfork' ? flags | 0x4100n : flags,
          child: { program: '', label: this.label(child) },
        };
        return errno ? { ...op, result: errno } : op;
      }
      case 'execve':
      case 'execveat': {
        const off = name === 'execveat' ? 1 : 0;
        const path = convertArg(rawArgs[off] ?? '""', this.arch);
        const argv = convertArg(rawArgs[off + 1] ?? '[]', this.arch);
        const op: Op = {
          kind: 'exec',
          ...base,
          path: path.kind === 'str' ? path.value : '',
          argv: argv.kind === 'strs' ? argv.values : [],
        };
        if (result?.kind === 'value' || (result === undefined && call.result === undefined)) return op;
        if (result?.kind === 'none') {
          this.warn(call.line, '`execve` did not return (its thread was replaced); imported as a failed exec');
          return { ...op, result: { kind: 'errno', errno: 'ENOENT' } };
        }
        return { ...op, result: errno ?? { kind: 'errno', errno: 'ENOENT' } };
      }
      case 'exit':
      case 'exit_group':
        return { kind: 'exit', ...base, code: Number((int(0) ?? 0n) & 0xffn), group: name === 'exit_group' };
      case 'kill':
      case 'tkill':
      case 'tgkill': {
        const sigArg = rawArgs[name === 'tgkill' ? 2 : 1] ?? '0';
        const signal = sigArg.trim() === '0' ? '0' : this.signalName(sigArg.trim(), call.line);
        const to =
          name === 'kill'
            ? this.signalTarget(int(0) ?? 0n, node)
            : this.threadTarget(int(name === 'tgkill' ? 1 : 0) ?? 0n, node);
        const via = name === 'kill' && (to.kind === 'thread' || to.kind === 'thread-self') ? 'tgkill' : name;
        const fixedVia = via !== 'kill' && !['thread', 'thread-self', 'pid'].includes(to.kind) ? 'kill' : via;
        return withErrno({ kind: 'kill', ...base, via: fixedVia, target: to, signal });
      }
      case 'wait4':
      case 'waitid': {
        let target: WaitTarget = { kind: 'any' };
        let options = 0n;
        if (name === 'wait4') {
          const pid = Number(int(0) ?? -1n);
          const t = this.signalTarget(BigInt(pid), node);
          if (pid > 0 && t.kind === 'child') target = { kind: 'child', label: t.label };
          if (pid < -1 && t.kind === 'child-pgrp') target = { kind: 'child-pgrp', label: t.label };
          options = int(2) ?? 0n;
        } else {
          const idtype = (rawArgs[0] ?? '').trim();
          const id = int(1) ?? 0n;
          const t = this.signalTarget(id, node);
          if (idtype === 'P_PID' && t.kind === 'child') target = { kind: 'child', label: t.label };
          if (idtype === 'P_PGID' && t.kind === 'child') target = { kind: 'child-pgrp', label: t.label };
          options = int(3) ?? 0n;
        }
        return withErrno({ kind: 'wait', ...base, via: name, target, options });
      }
      case 'rt_sigaction': {
        const signal = this.signalName((rawArgs[0] ?? '').trim(), call.line);
        const act = (rawArgs[1] ?? 'NULL').trim();
        const handler = /sa_handler=([A-Za-z0-9_]+)/.exec(act)?.[1];
        const action =
          act === 'NULL'
            ? 'query'
            : handler === 'SIG_IGN'
              ? 'ignore'
              : handler === 'SIG_DFL' || handler === undefined
                ? 'default'
                : 'handler';
        const flagsText = /sa_flags=([A-Z0-9_|]+)/.exec(act)?.[1];
        const maskText = /sa_mask=(~?\[[^\]]*\])/.exec(act)?.[1];
        let op: Op = { kind: 'sigaction', ...base, signal, action };
        if (flagsText !== undefined && action !== 'query')
          op = { ...op, flags: evalFlags(flagsText, this.arch)?.value ?? 0n };
        const mask = maskText === undefined ? undefined : parseSigset(maskText);
        if (mask !== undefined && mask.length > 0 && action !== 'query') op = { ...op, mask };
        return withErrno(op);
      }
      case 'rt_sigreturn':
        return { kind: 'sigreturn', ...base };
      case 'alarm':
        return { kind: 'timer', ...base, via: 'alarm', which: 'real', valueNs: (int(0) ?? 0n) * 1_000_000_000n };
      case 'setitimer': {
        const which = (rawArgs[0] ?? '').trim();
        const value = rawArgs[1] ?? '';
        const tv = (field: string): bigint => {
          const m = new RegExp(`${field}=\\{tv_sec=(\\d+), tv_usec=(\\d+)\\}`).exec(value);
          return m ? BigInt(m[1] as string) * 1_000_000_000n + BigInt(m[2] as string) * 1000n : 0n;
        };
        return {
          kind: 'timer',
          ...base,
          via: 'setitimer',
          which: which === 'ITIMER_VIRTUAL' ? 'virtual' : which === 'ITIMER_PROF' ? 'prof' : 'real',
          valueNs: tv('it_value'),
          intervalNs: tv('it_interval'),
        };
      }
      case 'setpgid': {
        const ref = (v: bigint): { kind: 'self' } | { kind: 'child'; label: string } => {
          const t = this.signalTarget(v, node);
          return v !== 0n && t.kind === 'child' ? { kind: 'child', label: t.label } : { kind: 'self' };
        };
        const target = ref(int(0) ?? 0n);
        const leaderArg = int(1) ?? 0n;
        return withErrno({
          kind: 'setpgid',
          ...base,
          target,
          leader: leaderArg === 0n || leaderArg === int(0) ? target : ref(leaderArg),
        });
      }
      case 'rt_sigprocmask': {
        const how = (rawArgs[0] ?? '').trim();
        const set = parseSigset(rawArgs[1] ?? '');
        const kind =
          how === 'SIG_BLOCK' ? 'block' : how === 'SIG_UNBLOCK' ? 'unblock' : how === 'SIG_SETMASK' ? 'set' : undefined;
        if (kind && set && !errno) return { kind: 'sigmask', ...base, how: kind, signals: set };
        break;
      }
    }
    return this.genericCall(name, rawArgs, result, call, node, next);
  }

  private genericCall(
    name: string,
    rawArgs: string[],
    result: StraceResult | undefined,
    call: Call,
    node: TreeNode,
    next: TaskEvent | undefined,
  ): SyscallOp {
    const args: Arg[] = rawArgs.slice(0, 6).map((a) => convertArg(a, this.arch));
    if (rawArgs.length > 6)
      this.warn(call.line, `\`${name}\` has ${rawArgs.length} arguments; only the first 6 are kept`);
    let op: SyscallOp = { kind: 'syscall', line: call.line, name, args };
    let r: SyscallResult | undefined;
    if (result?.kind === 'errno') r = { kind: 'errno', errno: result.errno };
    else if (result?.kind === 'value')
      r = AUTO_RESULT.has(name)
        ? { kind: 'auto' }
        : result.text === undefined
          ? { kind: 'value', value: result.value }
          : { kind: 'value', value: result.value, text: result.text };
    if (r) op = { ...op, result: r };
    const duration =
      call.durationNs ??
      (call.endNs !== undefined && call.startNs !== undefined ? call.endNs - call.startNs : undefined);
    const interrupted = result?.kind === 'errno' && /^(ERESTART|EINTR)/.test(result.errno);
    if (SIGNAL_WAITS.has(name) && (interrupted || call.result === undefined) && next?.kind === 'signal') {
      // Sleep until the signal only when the replay is sure to send it after the sleep starts: a signal the
      // simulator generates, waited for with rt_sigsuspend's race-free mask (the program keeps it blocked until
      // then), and not a child's SIGCHLD, whose timing in a replay is not tied to the parent's progress. Else sleep
      // as long as the recording did: a signal that comes earlier cannot leave the task asleep for ever.
      const mask = name === 'pause' ? undefined : parseSigset(rawArgs[0] ?? '');
      if (mask !== undefined && next.signal !== 'SIGCHLD' && this.isInternalSignal(next, node))
        return { ...op, block: { until: 'signal', mask } };
      const untilSignal =
        next.timeNs !== undefined && call.startNs !== undefined ? next.timeNs - call.startNs : duration;
      if (untilSignal !== undefined && untilSignal > 0n) return { ...op, block: { until: 'time', ns: untilSignal } };
    }
    // `= ?`: the call never returned, its task died in it (killed, or replaced by another thread's execve). It
    // sleeps until the signal that kills it, unless that signal comes from outside: then the `signal-in` op that
    // follows must run, so the call does not sleep.
    if (result?.kind === 'none') {
      const external =
        (next?.kind === 'signal' && !this.isInternalSignal(next, node)) ||
        (next?.kind === 'killed' && !this.killedFromInside(next.signal, node));
      if (!external) return { ...op, block: { until: 'signal' } };
    }
    if (duration !== undefined && duration >= BLOCK_THRESHOLD_NS)
      return { ...op, block: { until: 'time', ns: duration } };
    if (duration !== undefined && duration > 0n) return { ...op, costNs: duration };
    return op;
  }
}

function joinArgs(start: string, rest: string): string {
  const a = start.replace(/\s+$/, '');
  if (a === '') return rest;
  return rest === '' ? a : `${a}${a.endsWith(',') ? ' ' : ''}${rest}`;
}

function basename(path: string): string {
  const b = path.slice(path.lastIndexOf('/') + 1);
  return b === '' ? 'traced' : b;
}

function sanitizeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return s === '' ? 'strace' : s;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
