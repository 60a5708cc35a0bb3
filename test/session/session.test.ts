/**
 * The session running compiled engines: `on attach`/`on detach` on the debugger side, `attach E to T` across
 * engines, `events -x` from a handler, `abort` and `fate`, faults in control code, timers stopping with their engine,
 * and the default choice of engines.
 */
import { describe, expect, test } from 'vitest';
import { defaultEngines } from '../../src/session/session.js';
import { run, stateOf } from './helpers.js';

describe('session', () => {
  test('on attach runs after the attach, on detach after the release; both on the debugger side', async () => {
    const program = `engine e {
  on attach do emit "attached"
  on detach do emit "released"
  on exit(x) do emit "exit {x.code}" then detach
}`;
    const r = await run('attach.utr', { workload: 'shell' }, program);
    expect(r.faults).toEqual([]);
    expect(r.lines[0]).toBe('attached');
    expect(r.lines[r.lines.length - 1]).toBe('released');
  });

  test('attach E to T follows children with another engine; only the root is attached to the first task', async () => {
    const program = `engine parent {
  state children: count
  on clone(c) do children += 1 then attach child to c.child then resume
}
engine child {
  state execs: count
  on exec(e) do execs += 1 then emit "child exec {e.file}" then resume
}`;
    const r = await run('follow.utr', { workload: 'shell' }, program);
    expect(r.faults).toEqual([]);
    const children = (stateOf(r, 'parent') as { children: bigint }).children;
    expect(children).toBeGreaterThan(0n);
    expect((stateOf(r, 'child') as { execs: bigint }).execs).toBe(
      BigInt(r.lines.filter((l) => l.startsWith('child exec ')).length),
    );
    expect(r.lines.length).toBeGreaterThan(0);
    expect(defaultEngines([{ name: 'parent', attaches: ['child'] }, { name: 'child' }])).toEqual(['parent']);
  });

  test('abort skips the syscall; events -x from a handler stops the reports', async () => {
    const program = `engine e {
  state aborted: count
  state failed: count
  state done: count
  on syscall_entry(call) when call.nr == write and aborted < 5 do aborted += 1 then abort then resume
  on syscall_entry(call) when call.nr == write do events -syscall_entry then resume
  on syscall_exit(call) when call.nr == write and call.ret < 0 do failed += 1 then resume
  on syscall_exit(call) when call.nr == write do done += 1 then resume
}`;
    const r = await run('abort.utr', { workload: 'busy-loop' }, program);
    expect(r.faults).toEqual([]);
    // Five writes are skipped (they fail with -ENOSYS); at the sixth the entry reports are switched off, so every
    // later write runs, while the exit reports still come.
    expect(stateOf(r, 'e')).toMatchObject({ aborted: 5n, failed: 5n, done: 995n });
  });

  test('a fault in control code names the control and its line; the timer runs on', async () => {
    const program = `engine e {
  state n: int = 0
  state ticks: count
  every 1ms do ticks += 1
  on death do detach
  control boom do set n = 1 % n
}`;
    const r = await run('boom.utr', { workload: 'busy-loop', controls: ['boom@10us'] }, program);
    expect(r.faults).toEqual([
      expect.objectContaining({
        engine: 'e',
        where: 'control boom',
        message: 'remainder by zero',
        location: expect.objectContaining({ line: 6, column: 27 }),
      }),
    ]);
    expect(r.outcome.reason).toBe('done');
    expect((stateOf(r, 'e') as { ticks: bigint }).ticks).toBe(2n);
    expect(r.notes).toEqual([]);
  });

  test('a timer that never fires before the workload ends is pointed out', async () => {
    const r = await run(
      'slow.utr',
      { workload: 'busy-loop' },
      'engine slow {\n  state ticks: count\n  every 1s do ticks += 1\n}\n',
    );
    expect(r.notes).toEqual([
      "the workload ended before the first tick of engine `slow`'s 1s timer; make it longer (`--scale N`)",
    ]);
  });
});
