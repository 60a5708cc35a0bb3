/** Shared helpers for the runtime conformance tests: tiny workloads, engines, scripted schedules, log views. */
import {
  Action,
  AttachFlags,
  type AnyEngine,
  type Engine,
  type EngineOps,
  type LogRecord,
  type PolicyName,
  type Coroutine,
} from '../../src/runtime/index.js';
import { type Runnable, type Scheduler, Simulator, type SimOptions } from '../../src/runtime/sim/index.js';
import { type ProgramBuilder, workload } from '../../src/runtime/sim/workload/builder.js';
import type { Workload } from '../../src/runtime/sim/workload/types.js';

/** A one-process workload whose program is `body`; extra named programs may be defined with `programs`. */
export function program(
  body: (p: ProgramBuilder) => unknown,
  programs: Record<string, (p: ProgramBuilder) => unknown> = {},
): Workload {
  const w = workload('test', 'a conformance test program');
  for (const [name, b] of Object.entries(programs)) w.program(name, b);
  return w.process('prog', body).build();
}

/** A simulator for `w` with deterministic defaults (tracees run first unless a scheduler says otherwise). */
export function sim(w: Workload, options: SimOptions = {}): Simulator {
  return new Simulator(w, { scheduler: preferTracees(), ...options });
}

/** Attach an engine with `ops` and `events`; fails the test on error. */
export function attach<D>(
  s: Simulator,
  task: number,
  ops: EngineOps<D>,
  events: number,
  data: D,
  name = 'e',
): Engine<D> {
  const e = s.runtime.attach(task, AttachFlags.Create, ops, data, name);
  if (typeof e === 'number') throw new Error(`attach failed: ${e}`);
  const r = s.runtime.setEvents(e as AnyEngine, events);
  if (r !== 0) throw new Error(`setEvents failed: ${r}`);
  return e;
}

/** Run tracee coroutines before debugger ones (oldest first). */
export function preferTracees(): Scheduler {
  return {
    pick(enabled: readonly Runnable[]): number {
      const i = enabled.findIndex((r) => r.kind !== 'debugger');
      return i < 0 ? 0 : i;
    },
  };
}

/** Run debugger coroutines whenever they can run, tracees otherwise: debugger code decides when to act by
 * waiting (`until`) for the exact moment it wants, e.g. a tracee inside a callback's window. */
export function preferDebuggers(): Scheduler {
  return {
    pick(enabled: readonly Runnable[]): number {
      const i = enabled.findIndex((r) => r.kind === 'debugger');
      return i < 0 ? 0 : i;
    },
  };
}

/** Debugger-side: wait until `pred` holds (checked at every scheduling step). */
export function* until(pred: () => boolean, label = 'until'): Coroutine<void> {
  yield { kind: 'wait', ready: pred, deadline: Infinity, label };
}

/** A predicate: `task` is at `phase` of `callback` for `engine` (a callback window of §11). */
export function atCallback(
  s: Simulator,
  engine: AnyEngine,
  callback: string,
  phase: 'start' | 'return' = 'start',
): () => boolean {
  return () => {
    const ut = s.runtime.taskState(engine.task);
    return (
      ut !== undefined && ut.reporting?.id === engine.id && ut.point.callback === callback && ut.point.phase === phase
    );
  };
}

/** Callback and return records as compact strings: `e1 report_quiesce(RESUME)`, `e1 -> STOP`. */
export function callbacks(records: readonly LogRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    if (r.kind === 'callback') out.push(`e${r.engine} ${r.callback}`);
  }
  return out;
}

/** Records of one kind. */
export function ofKind<K extends LogRecord['kind']>(
  records: readonly LogRecord[],
  kind: K,
): Array<Extract<LogRecord, { kind: K }>> {
  return records.filter((r): r is Extract<LogRecord, { kind: K }> => r.kind === kind);
}

/** The results of the runtime calls named `op`, in order. */
export function results(records: readonly LogRecord[], op: string): number[] {
  return ofKind(records, 'call')
    .filter((r) => r.op === op)
    .map((r) => r.result);
}

/** An engine that returns `Resume` from every callback and records which callbacks it got. */
export function recorder(seen: string[], tag: string, ret: number = Action.Resume): EngineOps<null> {
  return {
    reportQuiesce: (_c, _a, ev) => (seen.push(`${tag}:quiesce(${ev})`), ret),
    reportSignal: (_c, _a, info) => (seen.push(`${tag}:signal(${info.signo})`), ret),
    reportClone: () => (seen.push(`${tag}:clone`), ret),
    reportExec: () => (seen.push(`${tag}:exec`), ret),
    reportSyscallEntry: (c) => (seen.push(`${tag}:entry(${c.syscallNr()})`), ret),
    reportSyscallExit: (c) => (seen.push(`${tag}:exit(${c.syscallNr()})`), ret),
    reportJctl: (_c, _a, type) => (seen.push(`${tag}:jctl(${type})`), ret),
    reportExit: () => (seen.push(`${tag}:report_exit`), ret),
    reportDeath: () => (seen.push(`${tag}:death`), ret),
    reportReap: () => void seen.push(`${tag}:reap`),
  };
}

/** Both policies, for tests that show a difference. */
export const POLICIES: readonly PolicyName[] = ['classic', 'sticky-stop'];
