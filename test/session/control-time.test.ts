/** `--control NAME@TIME` starts the control at its time: the event log shows it starting then, not at t=0. */
import { describe, expect, test } from 'vitest';
import { run } from './helpers.js';

const PROGRAM = `engine e {
  control first() do emit "first"
  control second() do emit "second"
  control now() do emit "now"
  on syscall_entry do resume
}`;

describe('scheduled controls', () => {
  test('start at their time, in time order, and the launcher stays out of the trace', async () => {
    const r = await run(
      'timed.utr',
      { workload: 'busy-loop', trace: true, controls: ['second@20us', 'first@10us', 'now'] },
      PROGRAM,
    );
    expect(r.faults).toEqual([]);
    const starts = r.trace
      .filter((t) => t.kind === 'debugger' && t.what === 'start')
      .map((t) => [t.kind === 'debugger' ? t.name : '', t.time]);
    expect(starts).toEqual([
      ['e: control now', 0],
      ['e: control first', 10_000],
      ['e: control second', 20_000],
    ]);
    expect(r.lines.slice(0, 3)).toEqual(['now', 'first', 'second']);
  });
});
