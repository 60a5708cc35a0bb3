/** The dependence relation of the partial-order reduction, and the step footprints a real run measures. */
import { describe, expect, it } from 'vitest';
import { changed, dependent, type Footprint } from '../../src/explore/footprint.js';
import { runOnce } from '../../src/explore/harness.js';
import { targetOf } from './helpers.js';

const step = (reads: string[], writes: string[], more: Partial<Footprint> = {}): Footprint => ({
  reads: new Set([...reads, ...writes]),
  writes: new Set(writes),
  ...more,
});

describe('dependence', () => {
  it('orders steps that write what the other reads or writes, and no others', () => {
    const emitA = step(['D:a'], ['O:a']);
    const emitB = step(['D:b'], ['O:b']);
    const emitA2 = step(['D:a'], ['O:a']);
    expect(dependent(emitA, emitB)).toBe(false);
    // Two emissions of one engine: their order is the engine's output.
    expect(dependent(emitA, emitA2)).toBe(true);
    const stop = step(['D:a', 'E:1', 'T:100', 'U:100'], ['E:1', 'U:100', 'T:100']);
    const compute = step(['T:100'], ['T:100'], { world: true });
    const getpid = step([], ['T:100'], { world: true });
    // A tracee step reads its task; a stop kicks it out of user mode (writes the task).
    expect(dependent(stop, compute)).toBe(true);
    // A debugger step reading only its engine's state commutes with a tracee step that runs no callback of it.
    expect(dependent(step(['D:a', 'E:1'], []), getpid)).toBe(false);
    // ...but not with one whose callback writes that state.
    expect(dependent(step(['D:a', 'E:1'], []), step([], ['D:a'], { world: true }))).toBe(true);
    // Utrace state is read by a tracee step only when it calls into the core.
    const flags = step(['E:1', 'U:100'], ['E:1', 'U:100']);
    expect(dependent(flags, step([], ['T:100'], { world: true }))).toBe(false);
    expect(dependent(flags, step([], ['T:100'], { world: true, utrace: true }))).toBe(true);
  });

  it('counts an object that appears or disappears as written', () => {
    const before = new Map([
      ['T:100', 'a'],
      ['E:1', 'x'],
    ]);
    const after = new Map([
      ['T:100', 'a'],
      ['T:101', 'b'],
    ]);
    expect([...changed(before, after)].sort()).toEqual(['E:1', 'T:101']);
  });
});

describe('measured footprints', () => {
  it('gives every step of a run what it wrote, and debugger code only what it touched', async () => {
    const text = ['arch x86_64', 'engine e {', '  state n: int = 0', '  control c do set n = n + 1', '}', ''].join(
      '\n',
    );
    const { target } = await targetOf('footprint.utr', text, 'tiny');
    const run = await runOnce(target, { semantics: 'classic', choices: [], footprints: 'on' });
    expect(run.steps.every((s) => s.footprint !== undefined)).toBe(true);
    const control = run.steps.filter((s) => s.thread === 'debugger e: control c');
    // Its last step wrote `n`; none of its steps reads a task or the world.
    expect(control.some((s) => s.footprint?.writes.has('D:e'))).toBe(true);
    expect(
      control.every(
        (s) => s.footprint?.world !== true && ![...(s.footprint?.reads ?? [])].some((r) => r.startsWith('T:')),
      ),
    ).toBe(true);
    // The tracee's steps write its task and read the world.
    const tracee = run.steps.filter((s) => s.thread === 'task 100');
    expect(tracee.length).toBeGreaterThan(3);
    expect(tracee.every((s) => s.footprint?.world === true)).toBe(true);
    expect(tracee.some((s) => s.footprint?.writes.has('T:100'))).toBe(true);
    // Without footprints a run records none (the naive search and replays do not pay for them).
    const plain = await runOnce(target, { semantics: 'classic', choices: [] });
    expect(plain.steps.some((s) => s.footprint !== undefined)).toBe(false);
    expect(plain.log.length).toBe(run.log.length);
  }, 60_000);

  it("reads every engine's flags in a control call on a task, and tells a task's run state from its registers", async () => {
    const text = [
      'arch x86_64',
      'engine e {',
      '  control c do resume',
      '}',
      'engine f {',
      '  on syscall_entry(call) do resume',
      '}',
      '',
    ].join('\n');
    const { target } = await targetOf('two.utr', text, 'tiny');
    // Start `c` at the first chance, while both engines are attached.
    let released = false;
    const run = await runOnce(target, {
      semantics: 'classic',
      choices: [],
      footprints: 'on',
      tail: (options) => {
        const parked = options.findIndex((o) => o.kind === 'parked');
        if (parked < 0 || released) return 0;
        released = true;
        return parked;
      },
    });
    // `resume` wakes the task only if no other engine still holds it: it reads `f`'s flags too.
    const control = run.steps.filter((s) => s.thread === 'debugger e: control c');
    const ids = run.log.flatMap((r) => (r.kind === 'attach' ? [`E:${r.engine}`] : []));
    expect(ids).toHaveLength(2);
    expect(control.some((s) => ids.every((id) => s.footprint?.reads.has(id)))).toBe(true);
    // A system call report moves the task through its program (registers, memory) without touching its run state:
    // such a step commutes with debugger code that reads only the run state.
    const report = run.steps.find(
      (s) => s.thread === 'task 100' && s.footprint?.writes.has('C:100') && !s.footprint.writes.has('T:100'),
    );
    expect(report).toBeDefined();
    const runState = { reads: new Set(['T:100', 'P:100']), writes: new Set<string>() };
    expect(dependent(runState, { ...report!.footprint!, utrace: false })).toBe(false);
  }, 60_000);
});
