/**
 * The Linux `DebuggerHost`'s timed starts, sleeps and wait deadlines against a fake clock and fake tracer-thread
 * timers: what real processes cannot show on demand (a timer firing early, a start weeks away, the end arriving
 * first), checked exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Utrace } from '../../../src/runtime/core/utrace.js';
import type { Control, Coroutine } from '../../../src/runtime/index.js';
import { LinuxDebuggerHost, type TimerSource } from '../../../src/runtime/linux/debugger-host.js';
import type { LinuxBackend } from '../../../src/runtime/linux/utrace-backend.js';

/** A clock the test moves, timers that fire only when the test says, and the host on top of them. */
function fixture() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { ms: number; fn: () => void }>();
  const source: TimerSource = {
    setTimer: (ms, fn) => {
      timers.set(nextId, { ms, fn });
      return nextId++;
    },
    clearTimer: (id) => void timers.delete(id),
  };
  // Only what the host touches: the clock, `current`, and a log that is off.
  const runtime = { now: () => now, setCurrent: () => undefined, log: { enabled: false } } as unknown as Utrace;
  const backend = { afterEvents: () => undefined, drain: () => undefined } as unknown as LinuxBackend;
  const host = new LinuxDebuggerHost(runtime, backend, source);
  return {
    host,
    timers,
    setNow: (ns: number) => void (now = ns),
    /** Fires every pending timer (as the main thread would once they are due), oldest first. */
    fireAll: () => {
      for (const [id, t] of [...timers]) {
        timers.delete(id);
        t.fn();
      }
    },
  };
}

/** A body that notes the time it started at, then sleeps (its first blocking point). */
function noting(seen: string[], name: string): (ctl: Control) => Coroutine<void> {
  return function* (ctl) {
    seen.push(`${name}@${ctl.runtime.now()}`);
    yield* ctl.sleep(1e9);
  };
}

describe('LinuxDebuggerHost timed starts', () => {
  it('sets one timer for the earliest start, and starts those due together in the order spawned', () => {
    const f = fixture();
    const seen: string[] = [];
    f.host.spawn('late-1', noting(seen, 'late-1'), { atNs: 20e6 });
    f.host.spawn('early', noting(seen, 'early'), { atNs: 10e6 });
    f.host.spawn('late-2', noting(seen, 'late-2'), { atNs: 20e6 });
    expect([...f.timers.values()].map((t) => t.ms)).toEqual([10]);
    f.setNow(10e6);
    f.fireAll();
    expect(seen).toEqual(['early@10000000']);
    // Now the timer for the two later ones (the sleep of `early` has its own).
    expect([...f.timers.values()].map((t) => t.ms).sort((a, b) => a - b)).toEqual([10, 1000]);
    f.setNow(20e6);
    f.fireAll();
    expect(seen).toEqual(['early@10000000', 'late-1@20000000', 'late-2@20000000']);
  });

  it('never starts before its time: a timer that fires early sets itself again for the rest', () => {
    const f = fixture();
    const seen: string[] = [];
    f.host.spawn('s', noting(seen, 's'), { atNs: 5e6 });
    f.setNow(4.5e6);
    f.fireAll();
    expect(seen).toEqual([]);
    expect([...f.timers.values()].map((t) => t.ms)).toEqual([0.5]);
    f.setNow(5e6);
    f.fireAll();
    expect(seen).toEqual(['s@5000000']);
  });

  it('keeps a start weeks away within what a timer can wait, and drops waiting starts at the end', () => {
    const f = fixture();
    const seen: string[] = [];
    f.host.spawn('weeks', noting(seen, 'weeks'), { atNs: 60 * 86_400e9 });
    expect([...f.timers.values()].map((t) => t.ms)).toEqual([2 ** 31 - 1]);
    f.host.stop();
    expect(f.timers.size).toBe(0);
    f.setNow(61 * 86_400e9);
    f.host.spawn('after the end', noting(seen, 'after the end'), { atNs: 0 });
    f.fireAll();
    expect(seen).toEqual([]);
  });
});

describe('LinuxDebuggerHost sleeps and wait deadlines', () => {
  it('never ends a sleep or a wait before its time, whenever the timers fire', () => {
    const f = fixture();
    const seen: string[] = [];
    f.host.spawn('sleeper', function* (ctl) {
      yield* ctl.sleep(3e6);
      seen.push(`slept@${ctl.runtime.now()}`);
      yield { kind: 'wait', ready: () => false, deadline: 7e6, label: 'never ready' };
      seen.push(`waited@${ctl.runtime.now()}`);
    });
    f.fireAll(); // the start
    // Each timer fires 0.2 ms early: the host sets it again for what is left, and goes on only at the time.
    f.setNow(2.8e6);
    f.fireAll();
    expect(seen).toEqual([]);
    f.setNow(3e6);
    f.fireAll();
    expect(seen).toEqual(['slept@3000000']);
    f.setNow(6.8e6);
    f.fireAll();
    expect(seen).toEqual(['slept@3000000']);
    expect(f.timers.size).toBe(1);
    f.setNow(7e6);
    f.fireAll();
    expect(seen).toEqual(['slept@3000000', 'waited@7000000']);
  });
});
