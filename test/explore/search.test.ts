/** The search modes: PCT finds races too, the preemption bound bounds, engine asserts are checked. */
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/harness.js';
import { search } from '../../src/explore/search.js';
import { targetOf } from './helpers.js';

describe('search', () => {
  it('PCT (seeded) finds the lost stop of UTR3002 under classic, and the same seed gives the same schedules', async () => {
    const { target } = await targetOf('examples/racy/utr3002-callback-clears-async-stop.utr');
    const a = await search(target, { semantics: 'classic', bound: 0, budgetMs: 10_000, mode: 'pct', seed: 3 });
    const b = await search(target, { semantics: 'classic', bound: 0, budgetMs: 10_000, mode: 'pct', seed: 3 });
    expect(a.findings.map((f) => f.violation.invariant)).toEqual(['lost-stop']);
    expect(b.findings[0]?.choices).toEqual(a.findings[0]?.choices);
  });

  it('collecting every outcome, stops once the findings are enough (what check --confirm asks for)', async () => {
    const { target } = await targetOf('examples/racy/utr3002-callback-clears-async-stop.utr');
    const options = { semantics: 'classic', bound: 2, budgetMs: 30_000, all: true } as const;
    const whole = await search(target, options);
    const early = await search(target, {
      ...options,
      enough: (fs) => fs.some((f) => f.violation.invariant === 'lost-stop'),
    });
    expect(whole.findings.map((f) => f.violation.invariant)).toContain('lost-stop');
    expect(early.findings.map((f) => f.violation.invariant)).toContain('lost-stop');
    expect(early.complete).toBe(false);
    expect(early.schedules).toBeLessThan(whole.schedules);
  });

  it('explores more schedules as the preemption bound grows, all complete on a small engine', async () => {
    const { target } = await targetOf('examples/racy/utr3003-async-resume-vs-callback-stop.utr');
    const counts: number[] = [];
    for (const bound of [0, 1, 2]) {
      const options = { semantics: 'classic', bound, budgetMs: 60_000, all: true } as const;
      const naive = await search(target, { ...options, reduction: 'none' });
      const reduced = await search(target, options);
      expect(naive.complete && reduced.complete).toBe(true);
      expect(reduced.schedules).toBeLessThan(naive.schedules);
      counts.push(naive.schedules);
    }
    expect(counts[0]).toBeLessThan(counts[1] as number);
    expect(counts[1]).toBeLessThan(counts[2] as number);
  }, 200_000);

  it('runs independent debugger activity in one order only', async () => {
    // Two controls that only emit (each to its own engine's output) commute with each other and with the tracee
    // (which never exits here: the reaper's detach would be an event they depend on).
    const text = [
      'arch x86_64',
      'engine a {',
      '  control c do emit "a"',
      '}',
      'engine b {',
      '  control c do emit "b"',
      '}',
      '',
    ].join('\n');
    const { target } = await targetOf('independent.utr', text, 'blocked-read');
    const naive = await search(target, {
      semantics: 'classic',
      bound: 1,
      budgetMs: 60_000,
      all: true,
      reduction: 'none',
    });
    const reduced = await search(target, {
      semantics: 'classic',
      bound: 1,
      budgetMs: 60_000,
      all: true,
      reduction: 'dpor',
    });
    expect(reduced.complete).toBe(true);
    expect([...reduced.outcomes]).toEqual([...naive.outcomes]);
    expect(reduced.outcomes.size).toBe(1);
    expect(naive.schedules).toBeGreaterThan(20);
    expect(reduced.schedules).toBe(1);
    // State caching runs each order, but only up to where the two meet: far fewer than naive enumeration.
    const cached = await search(target, { semantics: 'classic', bound: 1, budgetMs: 60_000, all: true });
    expect(cached.complete).toBe(true);
    expect([...cached.outcomes]).toEqual([...naive.outcomes]);
    expect(cached.schedules * 4).toBeLessThan(naive.schedules);
  }, 60_000);

  it('reports an engine assert that fails on some schedule, and not one that holds on all', async () => {
    const text = (cond: string): string =>
      [
        'arch x86_64',
        'engine a {',
        '  state signals: int = 0',
        '  on signal(sig) do set signals = signals + 1 then fate ignore then resume',
        `  control c do assert ${cond}, "the control saw an unexpected count"`,
        '}',
        '',
      ].join('\n');
    const bad = await targetOf('assert-bad.utr', text('signals == 0'), 'tiny');
    const r = await search(bad.target, { semantics: 'classic', bound: 1, budgetMs: 10_000 });
    expect(r.findings.map((f) => f.violation.invariant)).toEqual(['engine-exception']);
    expect(r.findings[0]?.violation.message).toContain('assertion failed: the control saw an unexpected count');
    const good = await targetOf('assert-good.utr', text('signals <= 2'), 'tiny');
    const g = await search(good.target, { semantics: 'classic', bound: 1, budgetMs: 10_000, all: true });
    expect(g.complete).toBe(true);
    expect(g.findings).toEqual([]);
  }, 60_000);
  it('tries the controls one at a time before calling a stop a hang, in declaration order', async () => {
    // The task stops at every system call. Run together, `halt` would undo what `cont` did and the stop would look
    // like a hang; one at a time, `cont` (declared first) wakes the task, which ends the round, and the run goes on.
    const text = [
      'arch x86_64',
      'engine g {',
      '  on syscall_exit(call) do stop',
      '  on quiesce do stop',
      '  control cont do resume',
      '  control halt do stop match { stopped => nothing  pending => nothing  gone => nothing }',
      '}',
      '',
    ].join('\n');
    const { target } = await targetOf('rescue.utr', text, 'tiny');
    const run = await runOnce(target, { semantics: 'classic', choices: [] });
    expect(run.violations.map((v) => v.invariant)).toEqual([]);
    expect(run.end).toBe('done');
    const rescues = run.log.flatMap((r) =>
      r.kind === 'call' && r.caller.endsWith('(rescue)') ? [r.caller.replace(/^debugger g: control /, '')] : [],
    );
    expect(rescues.length).toBeGreaterThan(0);
    expect(new Set(rescues)).toEqual(new Set(['cont (rescue)']));
    // Without `cont`, nothing wakes the task: a hang.
    const stuck = await targetOf('stuck.utr', text.replace('  control cont do resume\n', ''), 'tiny');
    const hung = await runOnce(stuck.target, { semantics: 'classic', choices: [] });
    expect(hung.violations.map((v) => v.invariant)).toContain('hang');
  }, 30_000);
  it('cuts a run whose rescue rounds keep moving the task instead of calling its last stop a hang', async () => {
    // `halt` stops the task blocked in `read` (it wakes nothing: it stops a task), `cont` lets it go back to the
    // read: every round moves things, so after the last one the task is stopped, but not hung.
    const text = [
      'arch x86_64',
      'engine g {',
      '  state want: bool = false',
      '  on quiesce when want do stop',
      '  on quiesce do resume',
      '  control cont do set want = false then resume',
      '  control halt do set want = true then interrupt match { done => nothing  gone => nothing }',
      '}',
      '',
    ].join('\n');
    const { target } = await targetOf('cycle.utr', text, 'blocked-read');
    const run = await runOnce(target, { semantics: 'classic', choices: [] });
    expect(run.end).toBe('rescue-limit');
    expect(run.violations.map((v) => v.invariant)).toEqual([]);
    const rounds = run.log.filter((r) => r.kind === 'debugger' && r.name.endsWith('(rescue)') && r.what === 'start');
    expect(rounds.length).toBeGreaterThanOrEqual(8);
  }, 30_000);
});
