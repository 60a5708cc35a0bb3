/**
 * The invariants of `races.md`, checked on one run from the event log as it is written and from the runtime's
 * state (engine stop bits, engine state, task run states). Each violation names the log record where it shows.
 */
import { ENGINE_STOP, Result } from '../runtime/constants.js';
import type { LogRecord } from '../runtime/log.js';
import type { Simulator } from '../runtime/sim/simulator.js';

/** The invariants the explorer checks (races.md, "Invariants the explorer checks on every schedule"). */
export const INVARIANTS = [
  'examine-while-running',
  'wait-never-ends',
  'lost-stop',
  'unexpected-stop',
  'callback-after-detach',
  'hang',
  'engine-exception',
] as const;

/** One invariant's name. */
export type InvariantName = (typeof INVARIANTS)[number];

/** A broken invariant on one schedule. */
export interface Violation {
  readonly invariant: InvariantName;
  /** One line, present tense, names in backquotes. */
  readonly message: string;
  /** The event-log record where it shows (the log length at the end of the run for end-of-run checks). */
  readonly seq: number;
  readonly engine?: string;
  readonly task?: number;
}

/** What the monitor sees of an attached engine (the runtime's engine record, read-only). */
interface EngineView {
  readonly id: number;
  readonly name: string;
  readonly task: number;
  readonly flags: number;
  readonly data: unknown;
}

function stateJson(data: unknown): string {
  return JSON.stringify(data, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...(v as Map<unknown, unknown>).entries()] : v,
  );
}

/** Watches one run. Feed it every log record (`observe`), the examine and wait hooks, then `finish`. */
export class Monitor {
  readonly violations: Violation[] = [];
  private readonly engines = new Map<number, EngineView>();
  /** Callbacks in flight by `task:engine`, and whether a debugger `resume` landed while they ran. */
  private readonly inflight = new Map<string, { straddlesResume: boolean; state: string }>();
  /** Engines whose debugger side got `pending` from `stop`, waiting for the stop to be served. */
  private readonly pendingStop = new Map<number, number>();
  /** Engines a handler asked to stop (`return STOP`) that have not stopped yet. */
  private readonly returnedStop = new Map<number, number>();
  /** A return whose effect on the stop bit is checked at the next record. */
  private checkAfterReturn: { engine: number; seq: number } | null = null;
  /** Stops expected not to happen: tasks whose in-flight callback returned STOP after a debugger resume. */
  private readonly unexpected = new Map<number, { engine: number; seq: number }>();
  /** Detach or events changes answered `pending`, by the debugger coroutine that made them. */
  private readonly detaching = new Map<string, { engine: number; what: string }>();
  /** Engine states frozen when the debugger code that detached finished. */
  private readonly frozen = new Map<number, { state: string; what: string }>();
  private readonly stopped = new Set<number>();
  /** Debugger waits (`await stopped`) in progress, by coroutine name. */
  readonly waiting = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly sim: Simulator) {}

  private add(v: Violation): void {
    // One violation of each kind per engine is enough to show; later ones are consequences.
    const key = `${v.invariant}:${v.engine ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push(v);
  }

  private engineName(id: number): string {
    return this.engines.get(id)?.name ?? `e${id}`;
  }

  /** Every log record, in order. */
  observe(r: LogRecord): void {
    if (this.checkAfterReturn) {
      const { engine, seq } = this.checkAfterReturn;
      this.checkAfterReturn = null;
      const e = this.engines.get(engine);
      if (e && this.pendingStop.has(engine) && (e.flags & ENGINE_STOP) === 0 && !this.stopped.has(e.task)) {
        this.pendingStop.delete(engine);
        this.add({
          invariant: 'lost-stop',
          message: `a callback of \`${e.name}\` clears the stop its debugger side asked for (\`stop\` was \`pending\`): the stop is lost`,
          seq,
          engine: e.name,
          task: e.task,
        });
      }
    }
    switch (r.kind) {
      case 'attach': {
        const ut = this.sim.runtime.taskState(r.task);
        const e = ut ? [...ut.attaching, ...ut.attached].find((x) => x.id === r.engine) : undefined;
        if (e) this.engines.set(r.engine, e);
        return;
      }
      case 'callback': {
        const e = this.engines.get(r.engine);
        this.inflight.set(`${r.task}:${r.engine}`, { straddlesResume: false, state: e ? stateJson(e.data) : '' });
        return;
      }
      case 'return': {
        const key = `${r.task}:${r.engine}`;
        const f = this.inflight.get(key);
        this.inflight.delete(key);
        const stop = r.name.startsWith('STOP');
        if (f?.straddlesResume && stop) this.unexpected.set(r.task, { engine: r.engine, seq: r.seq });
        if (stop) this.returnedStop.set(r.engine, r.seq);
        else this.returnedStop.delete(r.engine);
        const e = this.engines.get(r.engine);
        // A callback that answers the request in the handler (it takes the sample, clears the flag: it changes the
        // engine's state) serves the stop; one that changes nothing and returns non-STOP drops it.
        const served = f !== undefined && e !== undefined && stateJson(e.data) !== f.state;
        if (this.pendingStop.has(r.engine) && !stop && !served)
          this.checkAfterReturn = { engine: r.engine, seq: r.seq };
        else if (served) this.pendingStop.delete(r.engine);
        const fz = this.frozen.get(r.engine);
        if (fz && e && stateJson(e.data) !== fz.state) {
          this.add({
            invariant: 'callback-after-detach',
            message: `\`${e.name}\`'s \`${r.callback}\` writes engine state after the debugger side finished \`${fz.what}\``,
            seq: r.seq,
            engine: e.name,
            task: r.task,
          });
          this.frozen.delete(r.engine);
        }
        return;
      }
      case 'stop': {
        this.stopped.add(r.task);
        for (const [id, e] of this.engines) if (e.task === r.task) this.returnedStop.delete(id);
        for (const [id, e] of this.engines) if (e.task === r.task) this.pendingStop.delete(id);
        if (r.reason !== 'utrace') return;
        const u = this.unexpected.get(r.task);
        this.unexpected.delete(r.task);
        if (u) {
          this.add({
            invariant: 'unexpected-stop',
            message: `task ${r.task} stops after the debugger resumed it: \`${this.engineName(u.engine)}\`'s callback in flight at the resume returned \`stop\``,
            seq: r.seq,
            engine: this.engineName(u.engine),
            task: r.task,
          });
          return;
        }
        const ut = this.sim.runtime.taskState(r.task);
        const wanting = ut
          ? [...ut.attached, ...ut.attaching].some((e) => e.ops !== null && e.flags & ENGINE_STOP)
          : true;
        if (!wanting)
          this.add({
            invariant: 'unexpected-stop',
            message: `task ${r.task} blocks in \`utrace_stop\` on a stale task-level stop bit: no engine wants it stopped`,
            seq: r.seq,
            task: r.task,
          });
        return;
      }
      case 'wake':
        this.stopped.delete(r.task);
        return;
      case 'kernel':
        if (r.what === 'syscall')
          for (const [id, seq] of this.returnedStop) {
            const e = this.engines.get(id);
            if (!e || e.task !== r.task || (e.flags & ENGINE_STOP) === 0) continue;
            this.returnedStop.delete(id);
            this.add({
              invariant: 'lost-stop',
              message: `\`${e.name}\` returned \`stop\` (record ${seq}) but task ${r.task} runs on without stopping`,
              seq: r.seq,
              engine: e.name,
              task: r.task,
            });
          }
        return;
      case 'call':
        if (r.caller.startsWith('debugger ')) this.debuggerCall(r);
        return;
      case 'debugger': {
        if (r.what !== 'end' && !r.what.startsWith('failed')) return;
        const d = this.detaching.get(r.name);
        if (!d) return;
        this.detaching.delete(r.name);
        const e = this.engines.get(d.engine);
        if (e) this.frozen.set(d.engine, { state: stateJson(e.data), what: d.what });
        return;
      }
      default:
        return;
    }
  }

  private debuggerCall(r: Extract<LogRecord, { kind: 'call' }>): void {
    const who = r.caller.slice('debugger '.length);
    if (r.op === 'control') {
      if (r.arg === 'STOP' && r.result === Result.EINPROGRESS) this.pendingStop.set(r.engine, r.seq);
      else this.pendingStop.delete(r.engine);
      if (r.arg === 'RESUME' && r.result === 0) {
        const f = this.inflight.get(`${r.task}:${r.engine}`);
        if (f) f.straddlesResume = true;
      }
      if (r.arg === 'DETACH' && (r.result === 0 || r.result === Result.EINPROGRESS))
        this.detaching.set(who, { engine: r.engine, what: 'detach' });
      if (r.arg === 'SINGLESTEP' || r.arg === 'BLOCKSTEP') {
        const wasStopped = this.stopInForceBefore.get(r.engine) ?? false;
        if (!wasStopped)
          this.add({
            invariant: 'examine-while-running',
            message: `the debugger side of \`${this.engineName(r.engine)}\` single-steps task ${r.task} from a stop it never confirmed: the step starts where nobody examined the task`,
            seq: r.seq,
            engine: this.engineName(r.engine),
            task: r.task,
          });
      }
    } else if (r.op === 'setEvents' && r.result === Result.EINPROGRESS) {
      this.detaching.set(who, { engine: r.engine, what: `events ${r.arg}` });
    }
  }

  /** Whether the engine's stop was in force just before a debugger `control` call on it. */
  private readonly stopInForceBefore = new Map<number, boolean>();

  /** Called by the control wrapper right before each debugger `control` call. */
  beforeControl(engine: number, stopInForce: boolean): void {
    this.stopInForceBefore.set(engine, stopInForce);
  }

  /** A register or memory read from debugger code. */
  examine(who: string, task: number, seq: number): void {
    if (this.sim.runState(task) === 'traced') return;
    this.add({
      invariant: 'examine-while-running',
      message: `\`${who}\` reads registers or memory of task ${task} while it runs`,
      seq,
      task,
    });
  }

  /** At the end of the run: waits that never ended, tasks left stopped, engine faults. */
  finish(end: { reason: string; live: readonly string[] }, seq: number): void {
    for (const w of this.waiting)
      this.add({ invariant: 'wait-never-ends', message: `\`${w}\` waits for a stop that never comes`, seq });
    if (end.reason === 'deadlock' || end.reason === 'max-time')
      for (const t of end.live)
        if (t.endsWith(':traced'))
          this.add({
            invariant: 'hang',
            message: `task ${t.split(':')[0]} stays stopped and no control operation or timer ends the stop`,
            seq,
            task: Number(t.split(':')[0]),
          });
  }

  /** An exception from an engine callback, control code or an `assert`. */
  fault(engine: string, where: string, message: string, seq: number): void {
    this.add({ invariant: 'engine-exception', message: `\`${engine}\` ${where}: ${message}`, seq, engine });
  }
}
