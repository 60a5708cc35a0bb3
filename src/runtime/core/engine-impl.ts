/**
 * The runtime's private engine and per-task records (`struct utrace_engine`, `struct utrace`), and the callback
 * context object each engine reuses for all its callbacks.
 */
import type { Arch } from '../../arch/index.js';
import type { Backend } from '../backend.js';
import { Action } from '../constants.js';
import type { CallbackContext, Engine, EngineOps, Runtime } from '../engine.js';
import type { EmitValue } from '../log.js';
import type { CallbackPoint, SigAction, SigInfo, TaskId } from '../types.js';

/** `utrace_detached_ops`: a marked engine's quiesce always says DETACH; its reap does nothing. */
export const DETACHED_OPS: EngineOps<unknown> = {
  reportQuiesce: () => Action.Detach,
  reportReap: () => undefined,
};

/** The engine record. `ops` is the engine's table, `DETACHED_OPS` once marked, or null once fully detached. */
export class EngineImpl<D = unknown> implements Engine<D> {
  ops: EngineOps<D> | null;
  flags = 0;
  /** One reference for the caller of attach, one for being attached (dropped by reset or reap). */
  refs = 2;
  readonly release: ((data: D) => void) | undefined;
  readonly ctx: EngineContext<D>;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly ut: TaskUtrace,
    ops: EngineOps<D>,
    public data: D,
    runtime: Runtime,
    backend: Backend,
  ) {
    this.ops = ops;
    this.release = ops.release?.bind(ops);
    this.ctx = new EngineContext(this, runtime, backend);
  }

  get task(): TaskId {
    return this.ut.tid;
  }

  get state(): 'attached' | 'detaching' | 'detached' {
    return this.ops === null ? 'detached' : this.ops === DETACHED_OPS ? 'detaching' : 'attached';
  }
}

/** The mutable record of one report pass (`struct utrace_report`) plus the event arguments of the pass. */
export class Report {
  action = 5;
  resumeAction = 5;
  result = 0;
  detaches = false;
  spurious = true;
  // Event arguments, read by the callback dispatcher (kept here so a pass allocates nothing).
  extra = 0;
  exec: { filename: string; argv: readonly string[] } | null = null;
  cloneFlags = 0n;
  child = 0;
  jctlType = 0;
  notify = 0;
  code: { value: number } = { value: 0 };
  origCode = 0;
  groupDead = false;
  signal = 0;

  init(): void {
    this.action = 5;
    this.resumeAction = 5;
    this.result = 0;
    this.detaches = false;
    this.spurious = true;
  }
}

/** Per-task utrace state (`struct utrace` plus `task->utrace_flags`). */
export class TaskUtrace {
  /** `task->utrace_flags`. */
  flags = 0;
  attached: EngineImpl[] = [];
  attaching: EngineImpl[] = [];
  reporting: EngineImpl | null = null;
  resume = 5;
  pendingAttach = false;
  signalHandler = false;
  vforkStop = false;
  death = false;
  reap = false;
  readonly rep = new Report();
  readonly point: CallbackPoint;
  /** The signal-info buffer of the signal path; kept across stops, as the kernel's stack copy is. */
  info: SigInfo = { signo: 0, code: 0, errno: 0, pid: 0, addr: 0n };
  returnKa: SigAction = { handler: 'default', address: 0n, oneshot: false };
  /** Bumped whenever an engine's flags, ops or the lists change, so the interest cache is rebuilt. */
  version = 0;
  private cacheVersion = -1;
  private readonly cache: Array<EngineImpl[] | undefined> = [];

  constructor(readonly tid: TaskId) {
    this.point = { kind: 'callback', phase: 'start', task: tid, engine: 0, callback: '' };
  }

  /**
   * The attached engines a pass for `event` must visit, in attach order: those whose flags have the event,
   * QUIESCE or ENGINE_STOP, and marked ones. Cached per event until something changes, so a pass costs in
   * proportion to the interested engines only.
   */
  interested(event: number, mask: number): EngineImpl[] {
    if (this.cacheVersion !== this.version) {
      this.cache.length = 0;
      this.cacheVersion = this.version;
    }
    const slot = event === 0 ? 0 : 31 - Math.clz32(event) + 1;
    let list = this.cache[slot];
    if (list === undefined) {
      list = this.attached.filter((e) => (e.flags & mask) !== 0 || e.ops === DETACHED_OPS);
      this.cache[slot] = list;
    }
    return list;
  }
}

const decoder = new TextDecoder();

/** The context passed to an engine's callbacks; one per engine, reused. */
export class EngineContext<D> implements CallbackContext<D> {
  private readonly arch: Arch;

  constructor(
    readonly engine: EngineImpl<D>,
    readonly runtime: Runtime,
    private readonly backend: Backend,
  ) {
    this.arch = backend.arch;
  }

  get task(): TaskId {
    return this.engine.ut.tid;
  }

  now(): number {
    return this.backend.now();
  }

  reg(name: string): bigint {
    return this.backend.reg(this.task, name);
  }

  regs(): Record<string, bigint> {
    return this.backend.regs(this.task);
  }

  setReg(name: string, value: bigint): void {
    this.backend.setReg(this.task, name, value);
  }

  syscallNr(): number {
    return Number(this.backend.reg(this.task, this.arch.syscallNr));
  }

  syscallArg(i: number): bigint {
    const name = this.arch.syscallArgs[i];
    if (name === undefined) throw new RangeError(`syscall argument ${i} does not exist (0…5)`);
    return this.backend.reg(this.task, name);
  }

  syscallRet(): bigint {
    return this.backend.reg(this.task, this.arch.syscallRet);
  }

  setSyscallRet(value: bigint): void {
    this.backend.setReg(this.task, this.arch.syscallRet, value);
  }

  readMemory(addr: bigint, len: number): Uint8Array {
    return this.backend.readMemory(this.task, addr, len);
  }

  readString(addr: bigint, max = 4096): string {
    return readCString(this.backend, this.task, addr, max);
  }

  writeMemory(addr: bigint, bytes: Uint8Array): void {
    this.backend.writeMemory(this.task, addr, bytes);
  }

  emit(value: EmitValue): void {
    this.runtime.emit(this.engine, value);
  }
}

/** Read a NUL-terminated string of at most `max` bytes. */
export function readCString(backend: Backend, task: TaskId, addr: bigint, max: number): string {
  const bytes = backend.readMemory(task, addr, max);
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return decoder.decode(bytes.subarray(0, end));
}
