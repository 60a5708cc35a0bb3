/**
 * Debugger-side calls as coroutines. Each call yields one scheduling point (so the scheduler may run the tracee, or
 * its callbacks, right before the call) and then makes the synchronous runtime call under the caller's name.
 */
import { Result, resultName } from '../constants.js';
import type { AnyEngine, Control, Engine, EngineOps, Examination } from '../engine.js';
import type { Coroutine, Point, TaskId } from '../types.js';
import type { EngineImpl } from './engine-impl.js';
import type { Utrace } from './utrace.js';

/** The `Control` of one piece of debugger-side code (its name appears in the log as `debugger NAME`). */
export class ControlImpl implements Control {
  private readonly callerName: string;

  constructor(
    readonly runtime: Utrace,
    readonly name: string,
  ) {
    this.callerName = `debugger ${name}`;
  }

  private preempt(label: string): Point {
    return { kind: 'preempt', label: `${this.name}: ${label}` };
  }

  /** Run `fn` under this caller's name (the scheduler sets `current` to null for debugger code). */
  private as<T>(fn: () => T): T {
    const rt = this.runtime;
    const saved = rt.caller;
    rt.caller = this.callerName;
    try {
      return fn();
    } finally {
      rt.caller = saved;
    }
  }

  *attach<D>(
    task: TaskId,
    flags: number,
    ops: EngineOps<D> | null,
    data: D,
    name?: string,
  ): Coroutine<Engine<D> | number> {
    yield this.preempt('attach');
    return this.as(() => this.runtime.attach(task, flags, ops, data, name));
  }

  *setEvents(engine: AnyEngine, events: number): Coroutine<number> {
    yield this.preempt('setEvents');
    return this.as(() => this.runtime.setEvents(engine, events));
  }

  *control(engine: AnyEngine, action: number): Coroutine<number> {
    yield this.preempt('control');
    return this.as(() => this.runtime.control(engine, action));
  }

  *barrier(engine: AnyEngine, maxTicks = Infinity): Coroutine<number> {
    yield this.preempt('barrier');
    const rt = this.runtime;
    for (let tick = 0; ; tick++) {
      const r = rt.barrierPoll(engine as EngineImpl);
      if (r !== Result.ERESTARTSYS || tick >= maxTicks) {
        this.as(() => rt.log.enabled && rt.log.add(callRecord(this.callerName, 'barrier', engine, r)));
        return r;
      }
      yield { kind: 'sleep', ns: rt.tickNs };
    }
  }

  *prepareExamine(engine: AnyEngine, exam: Examination): Coroutine<number> {
    yield this.preempt('prepareExamine');
    return this.as(() => this.runtime.prepareExamine(engine, exam));
  }

  *finishExamine(engine: AnyEngine, exam: Examination): Coroutine<number> {
    yield this.preempt('finishExamine');
    return this.as(() => this.runtime.finishExamine(engine, exam));
  }

  *sleep(ns: number): Coroutine<void> {
    yield { kind: 'sleep', ns };
  }

  *waitStopped(engine: AnyEngine, timeoutNs = Infinity): Coroutine<number> {
    const rt = this.runtime;
    const gone = (): boolean => engine.state === 'detached' || !rt.backend.exists(engine.task);
    const deadline = rt.now() + timeoutNs;
    yield {
      kind: 'wait',
      ready: () => gone() || rt.stopInForce(engine),
      deadline,
      label: `${this.name}: await stopped e${engine.id}`,
    };
    const r = gone() ? Result.ESRCH : rt.stopInForce(engine) ? 0 : Result.ETIMEDOUT;
    if (rt.log.enabled) rt.log.add(callRecord(this.callerName, 'waitStopped', engine, r));
    return r;
  }

  reg(task: TaskId, name: string): bigint {
    this.examined(task, `reg ${name}`);
    return this.runtime.reg(task, name);
  }
  regs(task: TaskId): Record<string, bigint> {
    this.examined(task, 'regs');
    return this.runtime.regs(task);
  }
  setReg(task: TaskId, name: string, value: bigint): void {
    this.examined(task, `setReg ${name}`);
    this.runtime.setReg(task, name, value);
  }
  readMemory(task: TaskId, addr: bigint, len: number): Uint8Array {
    this.examined(task, `readMemory 0x${addr.toString(16)}`);
    return this.runtime.readMemory(task, addr, len);
  }
  readString(task: TaskId, addr: bigint, max?: number): string {
    this.examined(task, `readString 0x${addr.toString(16)}`);
    return this.runtime.readString(task, addr, max);
  }
  writeMemory(task: TaskId, addr: bigint, bytes: Uint8Array): void {
    this.examined(task, `writeMemory 0x${addr.toString(16)}`);
    this.runtime.writeMemory(task, addr, bytes);
  }

  /**
   * Log a debugger-side access to a task's state: result 0 when the task was off the CPU (stopped, sleeping),
   * -EAGAIN when it was running (or inside a callback), i.e. the data may be torn: the explorer's
   * "no examine while running" invariant reads these records.
   */
  private examined(task: TaskId, what: string): void {
    const rt = this.runtime;
    if (!rt.log.enabled) return;
    const state = rt.backend.exists(task) ? rt.backend.runState(task) : 'dead';
    const r = state === 'running' ? Result.EAGAIN : 0;
    rt.log.add({
      kind: 'call',
      caller: this.callerName,
      op: 'examine',
      engine: 0,
      task,
      arg: what,
      result: r,
      resultName: resultName(r),
    });
  }
}

function callRecord(caller: string, op: string, engine: AnyEngine, result: number) {
  return {
    kind: 'call' as const,
    caller,
    op,
    engine: engine.id,
    task: engine.task,
    arg: '',
    result,
    resultName: resultName(result),
  };
}
