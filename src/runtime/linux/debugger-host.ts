/**
 * Debugger-side code (control blocks, `on attach`, `every` timers) on real processes: the `DebuggerHost` of the
 * Linux backend. Its coroutines run on the tracer thread between events, in real time: a `sleep` point is a timer
 * of the tracer thread, a `wait` point is checked again after every event the tracer handles (and at its deadline),
 * and a `preempt` point needs no choice (the tracees really run meanwhile). Code spawned with a start time waits
 * in a queue with one tracer-thread timer for the earliest; each starts after the one before has run to its first
 * blocking point.
 */
import { ControlImpl } from '../core/control.js';
import type { Utrace } from '../core/utrace.js';
import type { Control, DebuggerHost, SpawnOptions } from '../engine.js';
import type { Coroutine, WaitPoint } from '../types.js';
import type { LinuxBackend } from './utrace-backend.js';
import { spawnPeriodic } from '../periodic.js';
import { TimedStarts } from '../timed-starts.js';
import { errorMessage } from '../lib/errors.js';

/** The longest delay a timer of the tracer thread can have: past it, `setTimeout` fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer delay in ms for `ns` from now: none for a time past, at most the longest a timer can wait. */
function timerMs(ns: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, ns / 1e6));
}

/** Timers of the tracer thread (`SessionContext.setTimer`). */
export interface TimerSource {
  setTimer(ms: number, fn: () => void): number;
  clearTimer(id: number): void;
}

interface Running {
  readonly name: string;
  readonly co: Coroutine<void>;
  wait: WaitPoint | null;
  timer: number | null;
}

/** Runs debugger-side coroutines against the utrace core on the Linux backend. */
export class LinuxDebuggerHost implements DebuggerHost {
  /** Exceptions thrown by debugger-side code, by the name it was started under. */
  readonly debuggerErrors: { name: string; error: unknown }[] = [];
  private readonly waiting = new Set<Running>();
  private stopped = false;
  /** Code spawned with a start time, not started yet. */
  private readonly timed = new TimedStarts();
  /** The timer for the first of `timed`. */
  private timedTimer: number | null = null;

  constructor(
    private readonly runtime: Utrace,
    private readonly backend: LinuxBackend,
    private readonly timers: TimerSource,
  ) {
    backend.afterEvents(() => this.recheck());
  }

  /** Starts `body` soon, or at `options.atNs` (never inside the caller, which may be a callback of a tracee). */
  spawn(name: string, body: (ctl: Control) => Coroutine<void>, options?: SpawnOptions): void {
    if (this.stopped) return;
    const at = options?.atNs;
    if (at !== undefined) {
      this.timed.add({ at, name, body });
      this.armTimed();
      return;
    }
    const running = this.start(name, body);
    running.timer = this.timers.setTimer(0, () => {
      running.timer = null;
      this.step(running);
    });
  }

  private start(name: string, body: (ctl: Control) => Coroutine<void>): Running {
    if (this.runtime.log.enabled) this.runtime.log.add({ kind: 'debugger', name, what: 'start' });
    return { name, co: body(new ControlImpl(this.runtime, name)), wait: null, timer: null };
  }

  /** One timer, for the earliest timed start. */
  private armTimed(): void {
    if (this.timedTimer !== null) this.timers.clearTimer(this.timedTimer);
    this.timedTimer = null;
    const first = this.timed.first;
    if (first === undefined || this.stopped) return;
    this.timedTimer = this.timers.setTimer(timerMs(first.at - this.runtime.now()), () => {
      this.timedTimer = null;
      this.startTimed();
    });
  }

  /**
   * Starts the timed starts that are due, in order, each run to its first blocking point before the next starts. A
   * timer that fires early (the main thread's clock is not the runtime's) only sets itself again for the rest.
   */
  private startTimed(): void {
    while (!this.stopped) {
      const next = this.timed.takeDue(this.runtime.now());
      if (next === undefined) break;
      this.step(this.start(next.name, next.body));
    }
    this.armTimed();
  }

  /** Runs `body` every `periodNs` (the first time one period from now), until cancelled or the end. */
  every(name: string, periodNs: number, body: (ctl: Control) => Coroutine<void>): { cancel(): void } {
    return spawnPeriodic(
      (n, b) => this.spawn(n, b),
      name,
      periodNs,
      body,
      () => !this.stopped,
    );
  }

  /** Stops every coroutine and timer (the traced world has ended). */
  stop(): void {
    this.stopped = true;
    if (this.timedTimer !== null) this.timers.clearTimer(this.timedTimer);
    this.timedTimer = null;
    this.timed.clear();
    for (const r of this.waiting) if (r.timer !== null) this.timers.clearTimer(r.timer);
    this.waiting.clear();
  }

  private step(r: Running): void {
    if (this.stopped) return;
    const rt = this.runtime;
    rt.setCurrent(null);
    try {
      for (;;) {
        if (r.wait !== null) {
          if (!r.wait.ready() && r.wait.deadline > rt.now()) return;
          this.unwait(r);
        }
        const next = r.co.next();
        if (next.done === true) {
          if (rt.log.enabled) rt.log.add({ kind: 'debugger', name: r.name, what: 'end' });
          return;
        }
        const point = next.value;
        if (point.kind === 'sleep') {
          this.waiting.add(r);
          this.wakeAt(r, rt.now() + point.ns, () => {
            this.waiting.delete(r);
            this.step(r);
          });
          return;
        }
        if (point.kind === 'wait') {
          r.wait = point;
          this.waiting.add(r);
          if (Number.isFinite(point.deadline)) this.wakeAt(r, point.deadline, () => this.step(r));
          continue;
        }
        // preempt, callback, blocked: nothing to choose between on real processes.
      }
    } catch (error) {
      this.unwait(r);
      this.debuggerErrors.push({ name: r.name, error });
      if (rt.log.enabled) {
        const what = `failed: ${errorMessage(error)}`;
        rt.log.add({ kind: 'debugger', name: r.name, what });
      }
    } finally {
      this.backend.drain();
    }
  }

  /**
   * Calls `fn` once the runtime clock reaches `until`, never before: the timers run on the main thread's clock, and
   * one that fires early (or is cut to the longest delay a timer can have) sets itself again for the rest.
   */
  private wakeAt(r: Running, until: number, fn: () => void): void {
    r.timer = this.timers.setTimer(timerMs(until - this.runtime.now()), () => {
      r.timer = null;
      if (this.stopped) return;
      if (this.runtime.now() < until) this.wakeAt(r, until, fn);
      else fn();
    });
  }

  private unwait(r: Running): void {
    r.wait = null;
    this.waiting.delete(r);
    if (r.timer !== null) {
      this.timers.clearTimer(r.timer);
      r.timer = null;
    }
  }

  /** After events, whatever waited for a state the events may have brought goes on. */
  private recheck(): void {
    for (const r of [...this.waiting]) if (r.wait !== null && r.wait.ready()) this.step(r);
  }
}
