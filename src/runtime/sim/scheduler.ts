/**
 * Scheduling choices. At every point where more than one coroutine (tracee thread, debugger-side code, kernel
 * helper) could run, the simulator asks its `Scheduler` which one. The explorer plugs in its own to enumerate
 * schedules; tests plug in scripted ones to force a race.
 */
import type { Point } from '../types.js';
import { Prng } from './prng.js';

/** One runnable coroutine, as the scheduler sees it. */
export interface Runnable {
  /** Stable id (creation order). */
  readonly id: number;
  /** `task 3`, `debugger cont`, `reaper`. */
  readonly name: string;
  readonly kind: 'tracee' | 'debugger' | 'kernel';
  /** The tid of a tracee coroutine, else 0. */
  readonly task: number;
  /** Where it stopped last (null before its first step). For tracees at a callback this is the callback point. */
  readonly point: Point | null;
}

/** Picks the next coroutine to run. */
export interface Scheduler {
  /** An index into `enabled` (which has at least two entries, in creation order). */
  pick(enabled: readonly Runnable[], now: number): number;
  /**
   * Optional, for schedulers that must see every step (the explorer): when present it is called at every scheduling
   * point instead of `pick`, even with one runnable. `parked` are coroutines waiting at a wait point the scheduler
   * may end at will (`standby` holds for it): they never keep virtual time from passing. Returns an index into
   * `[...enabled, ...parked]`, or -1 when `enabled` is empty to let time pass (or, when `canWait` is false, to end
   * the run with the parked coroutines still waiting).
   */
  choose?(enabled: readonly Runnable[], parked: readonly Runnable[], canWait: boolean, now: number): number;
  /** Whether a wait point is one `choose` may end at will (consulted only with `choose`). */
  standby?(point: Extract<Point, { kind: 'wait' }>): boolean;
}

/** Uniformly random choices from a seed. */
export class RandomScheduler implements Scheduler {
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  pick(enabled: readonly Runnable[]): number {
    return this.prng.below(enabled.length);
  }
}

/** Always the first enabled (oldest) coroutine: runs each to its next blocking point, tracees before debuggers. */
export class FirstScheduler implements Scheduler {
  pick(): number {
    return 0;
  }
}

/**
 * A scheduler driven by a preference function: it returns the index to run, or -1 to fall back to `fallback`.
 * Tests use it to say "run debugger code exactly when task 2 is between report_syscall_exit's start and return".
 */
export class ScriptedScheduler implements Scheduler {
  constructor(
    private readonly prefer: (enabled: readonly Runnable[], now: number) => number,
    private readonly fallback: Scheduler = new FirstScheduler(),
  ) {}

  pick(enabled: readonly Runnable[], now: number): number {
    const i = this.prefer(enabled, now);
    return i >= 0 && i < enabled.length ? i : this.fallback.pick(enabled, now);
  }
}

/** One scheduling decision: how many coroutines could run, and which (index) was picked. */
export interface Choice {
  readonly options: number;
  readonly picked: number;
}

/**
 * Records every decision of an inner scheduler, so a run can be replayed or its choice points enumerated (the
 * explorer's depth-first search replays a prefix, then branches).
 */
export class RecordingScheduler implements Scheduler {
  readonly choices: Choice[] = [];

  constructor(private readonly inner: Scheduler = new FirstScheduler()) {}

  pick(enabled: readonly Runnable[], now: number): number {
    const picked = this.inner.pick(enabled, now);
    this.choices.push({ options: enabled.length, picked });
    return picked;
  }
}

/** Replays a list of picks (indices), then defers to `fallback`. An out-of-range pick falls back too. */
export class ReplayScheduler implements Scheduler {
  private next = 0;

  constructor(
    private readonly picks: readonly number[],
    private readonly fallback: Scheduler = new FirstScheduler(),
  ) {}

  pick(enabled: readonly Runnable[], now: number): number {
    const p = this.picks[this.next++];
    return p !== undefined && p < enabled.length ? p : this.fallback.pick(enabled, now);
  }
}
