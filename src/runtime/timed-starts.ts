/**
 * The queue behind `DebuggerHost.spawn(name, body, { atNs })`, shared by the simulator and the Linux host so that
 * both order timed starts alike. Each host decides when a start is made (virtual time, a tracer-thread timer).
 */
import type { Control } from './engine.js';
import type { Coroutine } from './types.js';

/** Debugger-side code spawned with a start time (`DebuggerHost.spawn(name, body, { atNs })`). */
export interface TimedStart {
  /** Runtime time (ns) to start at. */
  readonly at: number;
  readonly name: string;
  readonly body: (ctl: Control) => Coroutine<void>;
}

/**
 * The timed starts a host has not made yet, the same for every host: earliest first, and those due at the same
 * time in the order they were added (a host makes them one by one, so that order is the order they start in).
 */
export class TimedStarts {
  private readonly queue: TimedStart[] = [];

  /** How many are waiting. */
  get size(): number {
    return this.queue.length;
  }

  /** The one to start next, if any. */
  get first(): TimedStart | undefined {
    return this.queue[0];
  }

  /** Adds one behind every start due at or before its time. */
  add(start: TimedStart): void {
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as TimedStart).at > start.at) i--;
    this.queue.splice(i, 0, start);
  }

  /** Removes and returns the next one if it is due at `now`. */
  takeDue(now: number): TimedStart | undefined {
    const next = this.queue[0];
    if (next === undefined || next.at > now) return undefined;
    this.queue.shift();
    return next;
  }

  /** Forgets every waiting start. */
  clear(): void {
    this.queue.length = 0;
  }
}
