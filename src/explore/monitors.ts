/**
 * The invariants of `races.md`, checked on one run from the event log as it is written and from the runtime's
 * state (engine stop bits, engine state, task run states), plus five monitors for symptoms that are generic to any
 * engine but that races.md states only as rule symptoms (a dropped step, a report that never comes, an abort
 * overridden, events missed by a late attach, a report lost to an early detach). Each violation names the log record
 * where it shows.
 */
import { signalNumber } from '../arch/signals.js';
import {
  Action,
  ALL_EVENTS,
  ENGINE_STOP,
  Event,
  RESUME_MASK,
  Result,
  SYSCALL_ACTION_MASK,
  SyscallAction,
} from '../runtime/constants.js';
import { CALLBACK_OF_EVENT } from '../runtime/core/callbacks.js';
import type { LogRecord } from '../runtime/log.js';
import type { Simulator } from '../runtime/sim/simulator.js';
import { dataJson } from './data-json.js';

/** The invariants the explorer checks: the six of races.md ("Invariants the explorer checks on every schedule", with
 * `lost-stop` split out of `wait-never-ends`), then the symptom monitors that go beyond it. */
export const INVARIANTS = [
  'examine-while-running',
  'wait-never-ends',
  'lost-stop',
  'unexpected-stop',
  'callback-after-detach',
  'hang',
  'engine-exception',
  'lost-step',
  'report-never-comes',
  'abort-overridden',
  'missed-events',
  'report-lost-after-detach',
] as const;

/** One invariant's name. */
export type InvariantName = (typeof INVARIANTS)[number];

/**
 * The invariant that shows each race rule's symptom on any engine the rule fires on. UTR3008 and UTR3012 are not
 * listed: their symptom is the engine's own bookkeeping, which only an `assert` in the engine can state (it then
 * shows as `engine-exception`); nor UTR3011, whose symptom depends on the call made on the stale decision.
 */
export const RULE_SYMPTOMS: Readonly<Record<string, InvariantName>> = {
  UTR3001: 'examine-while-running',
  UTR3002: 'lost-stop',
  UTR3003: 'unexpected-stop',
  UTR3004: 'callback-after-detach',
  UTR3005: 'callback-after-detach',
  UTR3006: 'lost-stop',
  UTR3007: 'lost-step',
  UTR3009: 'hang',
  UTR3010: 'wait-never-ends',
  UTR3013: 'report-never-comes',
  UTR3014: 'missed-events',
  UTR3015: 'report-lost-after-detach',
  UTR3016: 'abort-overridden',
};

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

/** A step the debugger asked for: the engine's last non-stop answer since (a step, or a `resume` that drops it). */
interface StepWatch {
  readonly task: number;
  readonly what: string;
  readonly seq: number;
  dropped: { callback: string; seq: number } | null;
}

/** A syscall-entry pass: which engine answered `abort`, and the last callback made (whose syscall bits decide). */
interface EntryPass {
  abortBy: { engine: number; seq: number } | null;
  last: { engine: number; callback: string; value: number } | null;
}

const SIGTRAP = signalNumber('SIGTRAP');

/** Callback name → the `.utr` event its handler is written for (`report_quiesce` → `quiesce`). */
const EVENT_OF_CALLBACK: ReadonlyMap<string, string> = new Map(
  Object.entries(CALLBACK_OF_EVENT).map(([event, callback]): [string, string] => [callback, event]),
);

/** The handler a utrace callback runs (`report_quiesce` → `on quiesce`). */
function handlerOf(callback: string): string {
  return `on ${EVENT_OF_CALLBACK.get(callback) ?? callback}`;
}

/** The member of a debugger coroutine's name (`sampler: control every #1 (again)` → `every #1`, `control go`). */
function debuggerMember(name: string): string {
  const member = name.slice(name.indexOf(': ') + 2).replace(/ \(again\)$/, '');
  return member.startsWith('control every ') ? member.slice('control '.length) : member;
}

/** The events a kernel record of the task is a report point of (0: none the monitor follows). */
function eventOf(r: Extract<LogRecord, { kind: 'kernel' }>): number {
  switch (r.what) {
    case 'syscall':
      return Event.SyscallEntry | Event.SyscallExit;
    case 'exec':
      return Event.Exec;
    case 'clone':
      return Event.Clone;
    case 'signal':
      return Event.Signal | Event.SignalIgn | Event.SignalStop | Event.SignalTerm | Event.SignalCore;
    case 'exit':
      return Event.Exit;
    default:
      return 0;
  }
}

/** The event bits named in a `setEvents` call's argument (`QUIESCE|EXEC`). */
function eventMask(names: string): number {
  let mask = 0;
  const bits: Readonly<Record<string, number>> = {
    QUIESCE: Event.Quiesce,
    REAP: Event.Reap,
    CLONE: Event.Clone,
    EXEC: Event.Exec,
    EXIT: Event.Exit,
    DEATH: Event.Death,
    SYSCALL_ENTRY: Event.SyscallEntry,
    SYSCALL_EXIT: Event.SyscallExit,
    SIGNAL: Event.Signal,
    SIGNAL_IGN: Event.SignalIgn,
    SIGNAL_STOP: Event.SignalStop,
    SIGNAL_TERM: Event.SignalTerm,
    SIGNAL_CORE: Event.SignalCore,
    JCTL: Event.Jctl,
  };
  for (const n of names.split('|')) mask |= bits[n] ?? 0;
  return mask;
}

/** Where in the log a record is: left out of the monitors' digest. */
const LOG_POSITION: ReadonlySet<string> = new Set(['seq']);

/** A violation as outcomes compare it: invariant, engine and message, with record numbers left out. */
export function violationKey(v: Violation): string {
  return `${v.invariant} ${v.engine ?? ''} ${v.message.replace(/record \d+/g, 'record #')}`;
}

/** Watches one run. Feed it every log record (`observe`), the examine and wait hooks, then `finish`. */
export class Monitor {
  readonly violations: Violation[] = [];
  private readonly engines = new Map<number, EngineView>();
  /** Callbacks in flight by `task:engine`, and whether a debugger `resume` landed while they ran. */
  private readonly inflight = new Map<string, { straddlesResume: boolean; state: string }>();
  /** Engines whose debugger side got `pending` from `stop`, waiting for the stop to be served. */
  private readonly pendingStop = new Map<number, { seq: number; who: string }>();
  /** Stops cleared by a callback, by the debugger code that asked: lost unless that code waits for the stop with a
   * time limit and takes the `timeout` (or `gone`) arm, i.e. it planned for the stop not coming. */
  private readonly cancelled = new Map<string, Violation>();
  /** Engines a handler asked to stop (`return STOP`) that have not stopped yet. */
  private readonly returnedStop = new Map<number, { seq: number; callback: string }>();
  /** A return whose effect on the stop bit is checked at the next record. */
  private checkAfterReturn: { engine: number; seq: number; callback: string } | null = null;
  /** Stops expected not to happen: tasks whose in-flight callback returned STOP after a debugger resume. */
  private readonly unexpected = new Map<number, { engine: number; seq: number }>();
  /** Detach or events changes answered `pending`, by the debugger coroutine that made them. */
  private readonly detaching = new Map<string, { engine: number; what: string }>();
  /** Engine states frozen when the debugger code that detached finished. */
  private readonly frozen = new Map<number, { state: string; what: string }>();
  private readonly stopped = new Set<number>();
  /** Tasks on their way out (woken by SIGKILL, or past a fatal signal or exit). */
  private readonly dying = new Set<number>();
  /** Debugger waits with no time limit (`await stopped`) in progress, by coroutine name. */
  readonly waiting = new Set<string>();
  private readonly seen = new Set<string>();
  /** Steps the debugger side got `done` for, by engine, until the trap or until the task runs on without one. */
  private readonly steps = new Map<number, StepWatch>();
  /** `interrupt`/`report` answered `done`, by engine, until a quiesce or signal callback of the engine comes. */
  private readonly reportsAsked = new Map<number, { what: string; seq: number; passes: number }>();
  /** The syscall-entry pass in progress (or stopped in) on each task, with the engine that answered `abort`. */
  private readonly entryPass = new Map<number, EntryPass>();
  /** The system call each task made last (`execve`). */
  private readonly lastSyscall = new Map<number, string>();
  /** Tasks made by a `clone` whose report reached some engine: the parent, and what the child did since. */
  private readonly children = new Map<
    number,
    { parent: number; did: Array<{ event: number; what: string; seq: number }> }
  >();
  /** The child of the clone report in progress on each task. */
  private readonly cloning = new Map<number, number>();
  /** Where each engine was attached (log record). */
  private readonly attachedAt = new Map<number, number>();
  /** Engines whose callback threw (the runtime detaches them: that detach is no choice of the engine). */
  private readonly faulted = new Set<number>();
  /** Engines that detached from their own callback while subscribed to the task's death or reap reports. */
  private readonly detachedEarly = new Map<number, { task: number; callback: string; events: number; seq: number }>();

  constructor(private readonly sim: Simulator) {}

  /** What the monitors know, for a stateful search to tell two runs in the same state apart: every field, with log
   * positions left out (two orders of the same records give different positions, and the same future). */
  digest(): string {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'sim') fields[k] = v;
    fields['attachedAt'] = [...this.attachedAt.keys()];
    // The runtime's own engine objects: only what the monitors read of them.
    fields['engines'] = [...this.engines.values()].map((e) => [e.id, e.name, e.task, e.flags, e.data]);
    fields['violations'] = this.violations.map(violationKey);
    return dataJson(fields, LOG_POSITION);
  }

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
    this.symptoms(r);
    if (this.checkAfterReturn) {
      const { engine, seq, callback } = this.checkAfterReturn;
      this.checkAfterReturn = null;
      const e = this.engines.get(engine);
      const asked = this.pendingStop.get(engine);
      // A dying task (SIGKILLed, exiting) never stops again: a stop cancelled on its way out is not lost.
      if (e && asked && (e.flags & ENGINE_STOP) === 0 && !this.stopped.has(e.task) && !this.dying.has(e.task)) {
        this.pendingStop.delete(engine);
        this.cancelled.set(asked.who, {
          invariant: 'lost-stop',
          message: `\`${e.name}\`'s \`${handlerOf(callback)}\` answers without \`stop\` and clears the stop \`${debuggerMember(asked.who)}\` asked for (\`stop\` was \`pending\`, record ${asked.seq}) on task ${e.task}: the stop is lost`,
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
        this.inflight.set(`${r.task}:${r.engine}`, { straddlesResume: false, state: e ? dataJson(e.data) : '' });
        return;
      }
      case 'return': {
        const key = `${r.task}:${r.engine}`;
        const f = this.inflight.get(key);
        this.inflight.delete(key);
        const stop = r.name.startsWith('STOP');
        if (f?.straddlesResume && stop) this.unexpected.set(r.task, { engine: r.engine, seq: r.seq });
        if (stop) this.returnedStop.set(r.engine, { seq: r.seq, callback: r.callback });
        else this.returnedStop.delete(r.engine);
        const e = this.engines.get(r.engine);
        // A callback that answers the request in the handler (it takes the sample, clears the flag: it changes the
        // engine's state) serves the stop; one that changes nothing and returns non-STOP drops it.
        const served = f !== undefined && e !== undefined && dataJson(e.data) !== f.state;
        if (this.pendingStop.has(r.engine) && !stop && !served)
          this.checkAfterReturn = { engine: r.engine, seq: r.seq, callback: r.callback };
        else if (served) this.pendingStop.delete(r.engine);
        const fz = this.frozen.get(r.engine);
        if (fz && e && dataJson(e.data) !== fz.state) {
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
        if (r.by === 'SIGKILL') this.dying.add(r.task);
        return;
      case 'kernel':
        if (r.what === 'syscall')
          for (const [id, { seq, callback }] of this.returnedStop) {
            const e = this.engines.get(id);
            if (!e || e.task !== r.task || (e.flags & ENGINE_STOP) === 0) continue;
            this.returnedStop.delete(id);
            this.add({
              invariant: 'lost-stop',
              message: `\`${e.name}\`'s \`${handlerOf(callback)}\` answers \`stop\` (record ${seq}) but task ${r.task} runs on without stopping${(e.flags & Event.Quiesce) === 0 ? ` (\`${e.name}\` has no \`on quiesce\` to serve the stop)` : ''}`,
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
        this.settleCancelled(r.name, false);
        const d = this.detaching.get(r.name);
        if (!d) return;
        this.detaching.delete(r.name);
        const e = this.engines.get(d.engine);
        if (e) this.frozen.set(d.engine, { state: dataJson(e.data), what: d.what });
        return;
      }
      default:
        return;
    }
  }

  /** The monitors beyond races.md. Called before the races.md ones, while a returning callback is still in flight. */
  private symptoms(r: LogRecord): void {
    switch (r.kind) {
      case 'attach':
        this.attachedAt.set(r.engine, r.seq);
        return;
      case 'callback':
        // Any quiesce or signal callback of the engine is the report its `interrupt`/`report` asked for.
        if (r.callback === CALLBACK_OF_EVENT.quiesce || r.callback === CALLBACK_OF_EVENT.signal)
          this.reportsAsked.delete(r.engine);
        if (r.callback === CALLBACK_OF_EVENT.clone) {
          const child = this.cloning.get(r.task);
          if (child !== undefined && !this.children.has(child)) this.children.set(child, { parent: r.task, did: [] });
        }
        return;
      case 'return':
        this.symptomReturn(r);
        return;
      case 'report': {
        if (r.event === 'SYSCALL_ENTRY' && r.detail === 'resumed' && this.entryPass.has(r.task)) return;
        this.endEntryPass(r.task, r.seq, null);
        if (r.event === 'SYSCALL_ENTRY') this.entryPass.set(r.task, { abortBy: null, last: null });
        if (r.event === 'CLONE') {
          const m = /^child (\d+)/.exec(r.detail ?? '');
          if (m) this.cloning.set(r.task, Number(m[1]));
        }
        for (const [id, a] of this.reportsAsked) if (this.engines.get(id)?.task === r.task) a.passes++;
        if (r.event === 'SIGNAL' && r.detail?.startsWith(`signo ${SIGTRAP} `) === true)
          for (const [id, st] of this.steps) if (st.task === r.task) this.steps.delete(id);
        if (r.event === 'DEATH') this.lostAfterDetach(r.task, Event.Death, r.seq);
        return;
      }
      case 'kernel':
        this.symptomKernel(r);
        return;
      case 'detach':
        this.steps.delete(r.engine);
        this.reportsAsked.delete(r.engine);
        return;
      case 'call':
        if (r.caller.startsWith('debugger ')) this.symptomDebuggerCall(r);
        return;
      default:
        return;
    }
  }

  private symptomReturn(r: Extract<LogRecord, { kind: 'return' }>): void {
    const e = this.engines.get(r.engine);
    const action = r.value & RESUME_MASK;
    const pass = this.entryPass.get(r.task);
    if (pass) {
      if (r.callback === CALLBACK_OF_EVENT.syscall_entry && (r.value & SYSCALL_ACTION_MASK) === SyscallAction.Abort)
        pass.abortBy = { engine: r.engine, seq: r.seq };
      pass.last = { engine: r.engine, callback: r.callback, value: r.value };
    }
    const step = this.steps.get(r.engine);
    if (step && step.task === r.task) {
      if (action === Action.SingleStep || action === Action.BlockStep) step.dropped = null;
      else if (action === Action.Resume) {
        // As with stops: a callback that changes the engine's state decided something (tracing is over); one that
        // changes nothing and answers `resume` just forgot the step.
        const f = this.inflight.get(`${r.task}:${r.engine}`);
        if (f !== undefined && e !== undefined && dataJson(e.data) !== f.state) this.steps.delete(r.engine);
        else step.dropped = { callback: r.callback, seq: r.seq };
      } else if (action === Action.Detach) this.steps.delete(r.engine);
    }
    if (action === Action.Detach && e && !this.faulted.has(r.engine)) {
      // The return is logged before it is applied: the engine's event bits are still the ones it had.
      const events = e.flags & (Event.Death | Event.Reap) & ~(r.callback === CALLBACK_OF_EVENT.death ? Event.Death : 0);
      if (events !== 0) this.detachedEarly.set(r.engine, { task: r.task, callback: r.callback, events, seq: r.seq });
    }
  }

  private symptomKernel(r: Extract<LogRecord, { kind: 'kernel' }>): void {
    if (r.what === 'fatal' || r.what === 'exit') this.dying.add(r.task);
    if (r.what === 'engine-fault') {
      const m = /^e(\d+) /.exec(r.detail);
      if (m) this.faulted.add(Number(m[1]));
      return;
    }
    this.endEntryPass(r.task, r.seq, r);
    if (r.what === 'syscall') this.lastSyscall.set(r.task, r.detail.split(' ')[0] ?? '?');
    const child = this.children.get(r.task);
    const event = eventOf(r);
    if (child && event !== 0) child.did.push({ event, what: `${r.what} ${r.detail}`, seq: r.seq });
    if (r.what === 'syscall') {
      // The task is back in user mode and runs its next operation.
      for (const [id, st] of this.steps) {
        if (st.task !== r.task) continue;
        this.steps.delete(id);
        if (!st.dropped) continue;
        const name = this.engineName(id);
        this.add({
          invariant: 'lost-step',
          message: `\`${name}\`'s debugger side gets \`done\` for \`${st.what}\` (record ${st.seq}), then its \`${handlerOf(st.dropped.callback)}\` answers \`resume\` (record ${st.dropped.seq}): task ${r.task} runs on without a step trap`,
          seq: r.seq,
          engine: name,
          task: r.task,
        });
      }
      for (const [id, a] of this.reportsAsked) {
        if (this.engines.get(id)?.task !== r.task || a.passes === 0) continue;
        this.reportsAsked.delete(id);
        this.reportNeverCame(
          id,
          a,
          r.seq,
          `task ${r.task} makes its next system call (\`${this.lastSyscall.get(r.task) ?? '?'}\`)`,
        );
      }
    }
    if (r.what === 'exit') for (const [id, st] of this.steps) if (st.task === r.task) this.steps.delete(id);
    if (r.what === 'reap') this.lostAfterDetach(r.task, Event.Death | Event.Reap, r.seq);
  }

  private reportNeverCame(engine: number, a: { what: string; seq: number }, seq: number, when: string): void {
    const name = this.engineName(engine);
    const e = this.engines.get(engine);
    // The report goes to engines that hear quiesce reports: say so when that is what is missing.
    const why =
      e && (e.flags & ALL_EVENTS) !== 0 && (e.flags & Event.Quiesce) === 0
        ? ` (\`${name}\` has no \`on quiesce\`)`
        : '';
    this.add({
      invariant: 'report-never-comes',
      message: `\`${name}\`'s debugger side gets \`done\` for \`${a.what}\` (record ${a.seq}) and no \`on quiesce\` or \`on signal\` report of \`${name}\` comes before ${when}${why}`,
      seq,
      engine: name,
      task: this.engines.get(engine)?.task,
    });
  }

  /** The end of a syscall-entry pass on `task` (at record `seq`): was an `abort` overridden by a later callback? */
  private endEntryPass(task: number, seq: number, by: Extract<LogRecord, { kind: 'kernel' }> | null): void {
    const pass = this.entryPass.get(task);
    if (!pass) return;
    this.entryPass.delete(task);
    // A fatal signal aborts the call whatever the engines said.
    if (!pass.abortBy || !pass.last || by?.what === 'fatal' || by?.what === 'exit') return;
    if ((pass.last.value & SYSCALL_ACTION_MASK) === SyscallAction.Abort) return;
    const who = this.engineName(pass.abortBy.engine);
    const last = this.engineName(pass.last.engine);
    const call = this.lastSyscall.get(task) ?? 'the system call';
    this.add({
      invariant: 'abort-overridden',
      message: `\`${who}\` answers \`abort\` to \`${call}\` at syscall entry (record ${pass.abortBy.seq}), but \`${last}\`'s \`${handlerOf(pass.last.callback)}\` answers last in the pass without \`abort\`: the call runs`,
      seq,
      engine: who,
      task,
    });
  }

  /** A death or reap report of `task` (bits `events`) that an engine which detached early was waiting for. */
  private lostAfterDetach(task: number, events: number, seq: number): void {
    for (const [id, d] of this.detachedEarly) {
      if (d.task !== task || (d.events & events) === 0) continue;
      this.detachedEarly.delete(id);
      const name = this.engineName(id);
      const lost = d.events & events & Event.Death ? 'death' : 'reap';
      this.add({
        invariant: 'report-lost-after-detach',
        message: `\`${name}\` detaches in \`${handlerOf(d.callback)}\` (record ${d.seq}) while subscribed to ${lost} reports: task ${task}'s ${lost} report never reaches its \`on ${lost}\``,
        seq,
        engine: name,
        task,
      });
    }
  }

  private symptomDebuggerCall(r: Extract<LogRecord, { kind: 'call' }>): void {
    if (r.op === 'control') {
      const arg = r.arg;
      if ((arg === 'SINGLESTEP' || arg === 'BLOCKSTEP') && r.result === 0)
        this.steps.set(r.engine, { task: r.task, what: arg.toLowerCase(), seq: r.seq, dropped: null });
      else this.steps.delete(r.engine);
      if ((arg === 'INTERRUPT' || arg === 'REPORT') && r.result === 0)
        this.reportsAsked.set(r.engine, { what: arg.toLowerCase(), seq: r.seq, passes: 0 });
      else this.reportsAsked.delete(r.engine);
      return;
    }
    if (r.op !== 'setEvents' || r.result !== 0) return;
    // An engine attached from the debugger side to a child some engine heard being created, after the child already
    // made reports the engine subscribes to: it could have been attached in that clone report and missed nothing.
    const child = this.children.get(r.task);
    const attachedAt = this.attachedAt.get(r.engine) ?? -1;
    const mask = eventMask(r.arg);
    const missed = child?.did.filter((d) => d.seq < attachedAt && (d.event & mask) !== 0) ?? [];
    const first = missed[0];
    if (!first) return;
    const name = this.engineName(r.engine);
    this.add({
      invariant: 'missed-events',
      message: `\`${name}\` is attached to task ${r.task} from the debugger side after the task's \`${first.what}\` (record ${first.seq}), a report it subscribes to: attached in the \`on clone\` report of task ${child?.parent ?? '?'}, it would have missed nothing`,
      seq: r.seq,
      engine: name,
      task: r.task,
    });
  }

  /** The debugger code `who` that had a stop cancelled waited for it (`waited`) or finished without waiting. */
  private settleCancelled(who: string, waited: boolean): void {
    const v = this.cancelled.get(who);
    if (!v) return;
    this.cancelled.delete(who);
    // A wait that ends (`stopped`, or the `timeout`/`gone` arm of a wait with a time limit) is the author's plan for
    // the stop not coming; a wait that never ends is `wait-never-ends`.
    if (!waited) this.add(v);
  }

  private debuggerCall(r: Extract<LogRecord, { kind: 'call' }>): void {
    const who = r.caller.slice('debugger '.length);
    if (r.op === 'waitStopped') this.settleCancelled(who, true);
    if (r.op === 'control') {
      if (r.arg === 'STOP' && r.result === Result.EINPROGRESS) this.pendingStop.set(r.engine, { seq: r.seq, who });
      else this.pendingStop.delete(r.engine);
      if (r.arg === 'RESUME' && r.result === 0) {
        const f = this.inflight.get(`${r.task}:${r.engine}`);
        if (f) f.straddlesResume = true;
      }
      if (r.arg === 'DETACH' && (r.result === 0 || r.result === Result.EINPROGRESS))
        this.detaching.set(who, { engine: r.engine, what: 'detach' });
      // A step that failed (the task is gone) starts nowhere.
      if ((r.arg === 'SINGLESTEP' || r.arg === 'BLOCKSTEP') && r.result === 0) {
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
    for (const who of [...this.cancelled.keys()]) this.settleCancelled(who, false);
    for (const [id, a] of this.reportsAsked) if (a.passes > 0) this.reportNeverCame(id, a, seq, 'the end of the run');
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
