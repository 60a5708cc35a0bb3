// Scheduling is pluggable and replayable: the explorer records a run's choices, replays a prefix, then branches.
import { describe, expect, it } from 'vitest';
import { Action, Event, recordToJson, type AnyEngine } from '../../src/runtime/index.js';
import {
  RandomScheduler,
  RecordingScheduler,
  ReplayScheduler,
  Simulator,
  type Scheduler,
} from '../../src/runtime/sim/index.js';
import { workload } from '../../src/runtime/sim/workload/builder.js';
import { attach } from './helpers.js';

const w = workload('two', 'two threads and a debugger')
  .process('p', (p) =>
    p
      .thread((t) => t.repeat(3, (b) => b.syscall('gettid').auto()).exitThread(0))
      .repeat(3, (b) => b.syscall('getpid').auto()),
  )
  .build();

function run(scheduler: Scheduler): string {
  const s = new Simulator(w, { scheduler });
  const e = attach(
    s,
    s.initTask,
    { reportSyscallEntry: () => Action.Resume, reportQuiesce: () => Action.Resume },
    Event.SyscallEntry | Event.Quiesce,
    null,
  ) as AnyEngine;
  s.spawn('d', function* (ctl) {
    yield* ctl.control(e, Action.Report);
    yield* ctl.control(e, Action.Interrupt);
  });
  s.run();
  return s.runtime.log.records.map(recordToJson).join('\n');
}

describe('scheduler plumbing', () => {
  it('a recorded run replays to the same log', () => {
    const rec = new RecordingScheduler(new RandomScheduler(42));
    const first = run(rec);
    expect(rec.choices.length).toBeGreaterThan(3);
    expect(rec.choices.every((c) => c.options >= 2 && c.picked < c.options)).toBe(true);
    expect(run(new ReplayScheduler(rec.choices.map((c) => c.picked)))).toBe(first);
  });

  it('changing one choice changes the run (choice points are real)', () => {
    const rec = new RecordingScheduler();
    const base = run(rec);
    const k = rec.choices.findIndex((c) => c.options > 1);
    expect(k, 'the run has a real choice to change').toBeGreaterThanOrEqual(0);
    const picks = rec.choices.map((c) => c.picked);
    picks[k] = (picks[k] as number) + 1;
    expect(run(new ReplayScheduler(picks.slice(0, k + 1)))).not.toBe(base);
  });
});
