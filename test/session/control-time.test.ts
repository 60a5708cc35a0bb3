/**
 * `--control NAME@TIME` starts the control at its time: the event log shows it starting then, not at t=0, controls
 * due together start in the order given, and nothing but the controls themselves appears on the debugger side.
 */
import { describe, expect, test } from 'vitest';
import { X86_64 } from '../../src/arch/index.js';
import type { LogRecord } from '../../src/runtime/index.js';
import { builtinWorkload } from '../../src/runtime/sim/workload/builtin.js';
import { parseControlOption } from '../../src/session/controls.js';
import { runSession } from '../../src/session/session.js';
import { simBackend } from '../../src/session/sim-backend.js';
import { compile, run } from './helpers.js';

const PROGRAM = `engine e {
  control first() do emit "first"
  control second() do emit "second"
  control third() do emit "third"
  control now() do emit "now"
  on syscall_entry do resume
}`;

/** The debugger-side records of a log as `[name, what, time]`. */
function debuggerRecords(records: readonly LogRecord[]): [string, string, number][] {
  return records.flatMap((r): [string, string, number][] => (r.kind === 'debugger' ? [[r.name, r.what, r.time]] : []));
}

describe('scheduled controls', () => {
  test('start at their time, in time order, and nothing else runs on the debugger side', async () => {
    const r = await run(
      'timed.utr',
      { workload: 'busy-loop', trace: true, controls: ['second@20us', 'first@10us', 'now'] },
      PROGRAM,
    );
    expect(r.faults).toEqual([]);
    expect(debuggerRecords(r.trace)).toEqual([
      ['e: control now', 'start', 0],
      ['e: control now', 'end', 0],
      ['e: control first', 'start', 10_000],
      ['e: control first', 'end', 10_000],
      ['e: control second', 'start', 20_000],
      ['e: control second', 'end', 20_000],
    ]);
    expect(r.lines.slice(0, 3)).toEqual(['now', 'first', 'second']);
  });

  test('due at the same time, start in the order given whatever the seed (at 0 too)', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const later = await run(
        'same-time.utr',
        { workload: 'busy-loop', seed, trace: true, controls: ['third@5us', 'first@5us', 'second@5us'] },
        PROGRAM,
      );
      expect(later.lines, `seed ${seed}`).toEqual(['third', 'first', 'second']);
      const starts = debuggerRecords(later.trace).filter(([, what]) => what === 'start');
      expect(starts, `seed ${seed}`).toEqual([
        ['e: control third', 'start', 5000],
        ['e: control first', 'start', 5000],
        ['e: control second', 'start', 5000],
      ]);
      const atZero = await run(
        'same-time.utr',
        { workload: 'busy-loop', seed, controls: ['second', 'first'] },
        PROGRAM,
      );
      expect(atZero.lines, `seed ${seed}`).toEqual(['second', 'first']);
    }
  });

  test('the runtime log itself holds no record of how the session schedules controls', async () => {
    const program = await compile('log.utr', PROGRAM);
    const backend = simBackend(builtinWorkload('busy-loop', { scale: 1 }), { seed: 1, trace: true });
    const traced: LogRecord[] = [];
    await runSession(program.engines, backend, {
      arch: X86_64,
      controls: ['first@10us', 'second@10us'].map(parseControlOption),
      onTrace: (rec) => traced.push(rec),
    });
    const log = backend.runtime.log.records;
    expect(debuggerRecords(log).map(([name]) => name)).toEqual([
      'e: control first',
      'e: control first',
      'e: control second',
      'e: control second',
    ]);
    // Every record of the log reaches `--trace`: none is filtered out any more.
    expect(traced).toEqual([...log]);
  });
});
