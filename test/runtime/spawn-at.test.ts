/**
 * `DebuggerHost.spawn(name, body, { atNs })` on the simulator: debugger-side code starts at its virtual time (its
 * first log record carries that time, and nothing of it can be scheduled before), and starts due together come in
 * the order they were spawned, whatever the seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Coroutine, LogRecord } from '../../src/runtime/index.js';
import { RandomScheduler, type Runnable, type Scheduler, Simulator } from '../../src/runtime/sim/index.js';
import { program } from './helpers.js';

/** A task making 100 getpid calls (100 ns each by default): busy from 0 to about 10 us. */
const BUSY = program((p) => p.repeat(100, (r) => r.getpid()).exit(0));

/** Debugger records as `name what @time`. */
function debuggerRecords(records: readonly LogRecord[]): string[] {
  return records.flatMap((r) => (r.kind === 'debugger' ? [`${r.name} ${r.what} @${r.time}`] : []));
}

/** A body that notes its name when its first step runs, then yields once (a scheduling point) and ends. */
function noting(seen: string[], name: string): () => Coroutine<void> {
  return function* () {
    seen.push(name);
    yield { kind: 'preempt', label: name };
  };
}

describe('spawn at a time (simulator)', () => {
  it('starts the code at its time: its first record has that time, and it is never runnable before', () => {
    const picks: string[] = [];
    const random = new RandomScheduler(1);
    // Every choice the scheduler gets, with the time: the timed coroutine must not be offered before 5 us.
    const watching: Scheduler = {
      pick(enabled: readonly Runnable[], now: number): number {
        for (const r of enabled) if (r.kind === 'debugger') picks.push(`${r.name} @${now}`);
        return random.pick(enabled);
      },
    };
    const sim = new Simulator(BUSY, { scheduler: watching, keepLog: true });
    let startedAt = -1;
    sim.spawn(
      'late',
      function* (ctl) {
        startedAt = ctl.runtime.now();
        yield* ctl.sleep(1000);
      },
      { atNs: 5000 },
    );
    expect(sim.run().reason).toBe('done');
    expect(startedAt).toBe(5000);
    expect(debuggerRecords(sim.runtime.log.records)).toEqual(['late start @5000', 'late end @6000']);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.filter((p) => Number(p.split('@')[1]) < 5000)).toEqual([]);
  });

  it('starts those due at the same time in the order spawned, for every seed, each before time passes', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const sim = new Simulator(BUSY, { seed, keepLog: true });
      const seen: string[] = [];
      // Spawned out of time order on purpose: times order them first, then the order of the calls.
      sim.spawn('b', noting(seen, 'b'), { atNs: 3000 });
      sim.spawn('c', noting(seen, 'c'), { atNs: 3000 });
      sim.spawn('a', noting(seen, 'a'), { atNs: 1000 });
      sim.spawn('d', noting(seen, 'd'), { atNs: 3000 });
      expect(sim.run().reason, `seed ${seed}`).toBe('done');
      expect(seen, `seed ${seed}`).toEqual(['a', 'b', 'c', 'd']);
      const starts = debuggerRecords(sim.runtime.log.records).filter((r) => r.includes(' start '));
      expect(starts, `seed ${seed}`).toEqual(['a start @1000', 'b start @3000', 'c start @3000', 'd start @3000']);
    }
  });

  it('starts times already past as soon as possible, still in the order of their times, then of the calls', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const sim = new Simulator(BUSY, { seed, keepLog: true });
      const seen: string[] = [];
      sim.spawn(
        'spawner',
        function* (ctl) {
          yield* ctl.sleep(4000);
          sim.spawn('x', noting(seen, 'x'), { atNs: 2000 });
          sim.spawn('y', noting(seen, 'y'), { atNs: 2000 });
          sim.spawn('earliest', noting(seen, 'earliest'), { atNs: 0 });
        },
        { atNs: 0 },
      );
      expect(sim.run().reason, `seed ${seed}`).toBe('done');
      expect(seen, `seed ${seed}`).toEqual(['earliest', 'x', 'y']);
      const starts = debuggerRecords(sim.runtime.log.records).filter((r) => r.includes(' start '));
      expect(starts, `seed ${seed}`).toEqual([
        'spawner start @0',
        'earliest start @4000',
        'x start @4000',
        'y start @4000',
      ]);
    }
  });

  it('property: any set of timed starts starts each at its time, in time order then spawn order, on any seed', () => {
    // Times on a coarse grid so that ties (the interesting case) are common; some fall after the workload ends.
    const starts = fc.array(
      fc.integer({ min: 0, max: 30 }).map((t) => t * 500),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(starts, fc.integer({ min: 1, max: 1_000_000 }), (times, seed) => {
        const sim = new Simulator(BUSY, { seed, keepLog: true });
        const seen: string[] = [];
        times.forEach((at, i) => sim.spawn(`s${i}`, noting(seen, `s${i}`), { atNs: at }));
        expect(sim.run().reason).toBe('done');
        const expected = times.map((at, i) => ({ at, name: `s${i}` })).sort((a, b) => a.at - b.at);
        expect(seen).toEqual(expected.map((e) => e.name));
        const first = debuggerRecords(sim.runtime.log.records).filter((r) => r.includes(' start '));
        expect(first).toEqual(expected.map((e) => `${e.name} start @${e.at}`));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a run going until its timed starts are made, and spawning without a time is unchanged', () => {
    const sim = new Simulator(BUSY, { seed: 1, keepLog: true });
    const seen: string[] = [];
    sim.spawn('now', noting(seen, 'now'));
    sim.spawn('after the workload', noting(seen, 'after the workload'), { atNs: 50_000 });
    const r = sim.run();
    expect(r.reason).toBe('done');
    expect(r.time).toBe(50_000);
    expect(seen).toEqual(['now', 'after the workload']);
    expect(debuggerRecords(sim.runtime.log.records)[0]).toBe('now start @0');
  });
});
