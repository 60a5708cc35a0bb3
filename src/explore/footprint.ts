/**
 * Footprints of the steps of a run, for the partial-order reduction: what a step may have read and what it changed.
 * Writes are measured, not guessed: the world is digested object by object (a task's kernel state, its utrace
 * state, a process, an engine's flags, an engine's state data, an engine's emitted output) before and after every
 * step, and every object whose digest changed was written. Reads are an over-approximation by who ran: a tracee or
 * kernel step (and the clock) may read every task and process, every utrace state and engine flag if it called into
 * the utrace core, and the state data of the engines whose callbacks it ran; debugger code reads its engine's state
 * and whatever it hands to a `Control` call (time too, when it sleeps or waits with a limit). A step that changes
 * an object is also counted as reading it, so two steps are dependent exactly when one changes an object the other
 * may read or change.
 */
import { dataJson } from './data-json.js';
import type { Utrace } from '../runtime/core/utrace.js';
import type { Simulator } from '../runtime/sim/simulator.js';

/** What one step touched. Object names: `T:tid` task (its run state, signals and work flags), `C:tid` where the task
 * is in its program (registers, program position, time left in a computation), `M:pid` a process's memory, `U:tid` utrace task state, `P:pid` process, `E:id` engine
 * flags, `D:name` engine state data, `O:name` emitted output, `G` the rest of the world (tasks created, timers),
 * `G:time` virtual time. */
export interface Footprint {
  /** Objects the step may have read (its writes included). */
  readonly reads: ReadonlySet<string>;
  /** The step may also read every task, process and `G` object (a tracee or kernel step, or the clock). */
  readonly world?: boolean;
  /** The step may also read every utrace task state and engine flag (it called into the utrace core). */
  readonly utrace?: boolean;
  readonly writes: ReadonlySet<string>;
}

/** A digest of every object of the world, by object name. */
export type Digest = ReadonlyMap<string, string>;

const OUTPUT = 'O:';

function sigs(list: readonly { signo: number; code: number; errno: number; pid: number; addr: bigint }[]): string {
  let out = '';
  for (const x of list) out += `${x.signo}/${x.code}/${x.errno}/${x.pid}/${x.addr};`;
  return out;
}

/** Digests the world of `sim`, with the state data of every engine ever attached (`data`, by engine name: a
 * detached engine's state is still written by its debugger code and still part of the outcome) and the `emitted`
 * counts per engine name, both kept by the caller. Built by hand rather than with `JSON.stringify`: it runs before
 * every step of every explored schedule. */
export function digestWorld(
  sim: Simulator,
  data: ReadonlyMap<string, unknown>,
  emitted: ReadonlyMap<string, number>,
): Digest {
  const d = new Map<string, string>();
  const rt: Utrace = sim.runtime;
  const world = sim.inspect();
  let tasks = 0;
  for (const t of world.tasks) {
    tasks++;
    // A task being cloned has no coroutine yet.
    const co = (t.co as typeof t.co | undefined) ?? { wakeAt: 0, blocked: false, deadline: 0, done: false };
    let regs = '';
    for (const k in t.regs) regs += `${t.regs[k]},`;
    let stack = '';
    for (const l of t.stack) stack += `${l.i}/${l.left}/${l.handler ? 1 : 0};`;
    let blocked = '';
    for (const b of t.blocked) blocked += `${b},`;
    // What debugger code may act on (run state, signals, work flags) apart from where the task is in its program
    // and its registers: a `stop` or `resume` does not depend on how far a task computing has got.
    d.set(
      `T:${t.tid}`,
      `${t.state}|${sigs(t.pending)}|${blocked}|${t.notifyResume ? 1 : 0}${t.sigpending ? 1 : 0}${t.syscallTrace ? 1 : 0}${t.killed ? 1 : 0}${t.exiting ? 1 : 0}|${t.step}|${t.wakeReason}|${t.interrupted !== null ? 1 : 0}|${t.userUntil}|${co.blocked ? 1 : 0}|${co.done ? 1 : 0}`,
    );
    d.set(`C:${t.tid}`, `${regs}|${stack}|${t.frames.length}|${t.remainingNs}|${co.wakeAt}|${co.deadline}`);
    const ut = rt.taskState(t.tid);
    if (ut) {
      let ids = '';
      for (const e of ut.attached) ids += `${e.id},`;
      ids += '/';
      for (const e of ut.attaching) ids += `${e.id},`;
      d.set(
        `U:${t.tid}`,
        `${ut.flags}|${ut.reporting?.id ?? 0}|${ids}|${ut.resume}|${ut.pendingAttach ? 1 : 0}${ut.signalHandler ? 1 : 0}${ut.vforkStop ? 1 : 0}${ut.death ? 1 : 0}${ut.reap ? 1 : 0}`,
      );
      for (const list of [ut.attached, ut.attaching])
        for (const e of list) d.set(`E:${e.id}`, `${e.flags}|${e.state}|${e.refs}`);
    }
  }
  for (const p of world.procs) {
    let acts = '';
    for (const [n, a] of p.sigactions) acts += `${n}:${a.kind}:${a.flags}:${a.mask.join('.')};`;
    let children = '';
    for (const c of p.children) children += `${c.pid},`;
    d.set(
      `P:${p.pid}`,
      `${acts}|${sigs(p.shared)}|${p.groupStopCount}|${p.stopStopped ? 1 : 0}|${p.cldPending}|${p.groupExit}|${p.zombie ? 1 : 0}${p.reaped ? 1 : 0}|${p.exitStatus}|${p.waitStopped ? 1 : 0}${p.waitContinued ? 1 : 0}|${children}`,
    );
  }
  for (const p of world.procs) d.set(`M:${p.pid}`, String(p.memory.version));
  d.set('G', `${tasks} ${world.procs.length} ${world.timers}`);
  for (const [name, state] of data) d.set(`D:${name}`, dataJson(state));
  for (const [name, n] of emitted) d.set(`${OUTPUT}${name}`, String(n));
  return d;
}

/** The objects whose digest differs between `before` and `after` (appearing and disappearing ones included). */
export function changed(before: Digest, after: Digest): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) out.add(k);
  for (const k of before.keys()) if (!after.has(k)) out.add(k);
  return out;
}

function meets(a: Footprint, writes: ReadonlySet<string>): boolean {
  for (const w of writes) {
    if (a.reads.has(w)) return true;
    const k = w.charCodeAt(0);
    // T, C, P, M, G: the kernel side of the world; U, E: the utrace side.
    if (a.world === true && (k === 84 || k === 67 || k === 80 || k === 77 || k === 71)) return true;
    if (a.utrace === true && (k === 85 || k === 69)) return true;
  }
  return false;
}

/** Whether two steps of different coroutines may not be swapped without changing what happens. */
export function dependent(a: Footprint, b: Footprint): boolean {
  for (const w of a.writes) if (b.writes.has(w)) return true;
  return meets(a, b.writes) || meets(b, a.writes);
}
