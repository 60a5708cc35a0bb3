/**
 * Soundness of the partial-order reduction: on small random engines (a control invoked once or twice),
 * the DPOR search finds exactly the outcomes (end, engine states, emitted output, violations with their messages)
 * and the violated invariants of naive enumeration, which tries every option at every scheduling point under the
 * same preemption bound, and it never runs more schedules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { search } from '../../src/explore/search.js';
import { targetOf } from './helpers.js';

const quiesce = fc.constantFrom('resume', 'stop', 'nothing');
const signal = fc.constantFrom('', 'fate ignore then stop', 'set flag = true then fate ignore then stop', 'resume');
const syscallExit = fc.constantFrom('', 'resume', 'set flag = false then resume', 'set n = n + 1 then stop');
const control = fc.constantFrom(
  'resume',
  'stop match { stopped => resume  pending => nothing  gone => nothing }',
  'set flag = true then stop match { stopped => set flag = false then resume  pending => nothing  gone => nothing }',
  'detach match { done, pending => set n = 0  gone, already => nothing }',
  'set flag = false then resume',
);

const engineOf = (name: string): fc.Arbitrary<string> =>
  fc
    .record({ q: quiesce, guarded: fc.boolean(), s: signal, x: syscallExit, c: control, emits: fc.boolean() })
    .map(({ q, guarded, s, x, c, emits }) =>
      [
        `engine ${name} {`,
        '  state flag: bool = false',
        '  state n: int = 0',
        guarded ? '  on quiesce when flag do stop' : '',
        q === 'nothing' ? '' : `  on quiesce do ${q}`,
        s === '' ? '' : `  on signal(sig) do ${emits ? 'emit "signal {sig.signo}" then ' : ''}${s}`,
        x === '' ? '' : `  on syscall_exit(call) do ${x}`,
        `  control c do ${emits ? 'emit "c {n}" then ' : ''}${c}`,
        '}',
      ]
        .filter((l) => l !== '')
        .join('\n'),
    );

const engine = engineOf('e').map((e) => `arch x86_64\n${e}\n`);

/** What is explored: the control invoked once on `tiny` at bound 1, or twice on the shorter `blocked-read` at bound
 * 0 (naive enumeration of two invocations on `tiny` runs for minutes). */
const setting = fc.constantFrom(
  { invocations: 1, workload: 'tiny', bound: 1 },
  { invocations: 2, workload: 'blocked-read', bound: 0 },
);

/** Targets both searches finished, and the schedules each ran on them. */
interface Tally {
  compared: number;
  naive: number;
  reduced: number;
}

/** Searches one random engine naively and with the reduction, and requires the same outcomes and violated
 * invariants (a target either search does not finish within the budget is skipped with `fc.pre`). Returns the
 * schedules each ran, also added to `tally`. */
async function compare(
  tally: Tally,
  text: string,
  workload: string,
  invocations: number,
  semantics: 'classic' | 'sticky-stop',
  bound: number,
  budgetMs: number,
): Promise<{ naive: number; reduced: number }> {
  const { target } = await targetOf('random.utr', text, workload);
  const t = { ...target, invocations };
  const options = { semantics, bound, budgetMs, all: true } as const;
  const naive = await search(t, { ...options, reduction: 'none' });
  const reduced = await search(t, { ...options, reduction: 'dpor' });
  fc.pre(naive.complete && reduced.complete);
  tally.compared++;
  tally.naive += naive.schedules;
  tally.reduced += reduced.schedules;
  expect([...reduced.outcomes].sort()).toEqual([...naive.outcomes].sort());
  expect(reduced.findings.map((f) => f.violation.invariant).sort()).toEqual(
    naive.findings.map((f) => f.violation.invariant).sort(),
  );
  return { naive: naive.schedules, reduced: reduced.schedules };
}

describe('reduction', () => {
  it('finds the same outcomes and violations as naive enumeration, with no more schedules', async () => {
    const tally: Tally = { compared: 0, naive: 0, reduced: 0 };
    await fc.assert(
      fc.asyncProperty(
        engine,
        fc.constantFrom('classic', 'sticky-stop') as fc.Arbitrary<'classic' | 'sticky-stop'>,
        setting,
        async (text, semantics, { invocations, workload, bound }) => {
          const { naive, reduced } = await compare(tally, text, workload, invocations, semantics, bound, 20_000);
          expect(reduced).toBeLessThanOrEqual(naive);
        },
      ),
      { numRuns: Number(process.env.N ?? 24), seed: Number(process.env.SEED ?? 7) },
    );
    expect(tally.compared).toBeGreaterThan(16);
    // The reduction reduces: over the sample it runs fewer schedules than naive enumeration.
    expect(tally.reduced).toBeLessThan(tally.naive);
  }, 300_000);

  it('stays sound with two tasks (a fork; a child that kills its parent)', async () => {
    const tally: Tally = { compared: 0, naive: 0, reduced: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          text: engine,
          setting: fc.constantFrom(
            { workload: 'killed-while-parked', bound: 1 },
            { workload: 'fork-exec', bound: 1 },
            { workload: 'killed-while-parked', bound: 2 },
          ),
        }),
        fc.constantFrom('classic', 'sticky-stop') as fc.Arbitrary<'classic' | 'sticky-stop'>,
        async ({ text, setting: { workload, bound } }, semantics) => {
          await compare(tally, text, workload, 1, semantics, bound, 4_000);
        },
      ),
      { numRuns: Number(process.env.N2 ?? 12), seed: Number(process.env.SEED ?? 7) },
    );
    expect(tally.compared).toBeGreaterThan(8);
    expect(tally.reduced).toBeLessThan(tally.naive);
  }, 300_000);

  it('orders debugger code that writes the state of an engine already detached (the task is gone)', async () => {
    const text = [
      'arch x86_64',
      'engine e {',
      '  state n: int = 1',
      '  on exit(e) do detach',
      '  control double do set n = n * 2',
      '  control bump do set n = n + 1',
      '}',
      '',
    ].join('\n');
    const { target } = await targetOf('late.utr', text, 'tiny');
    const options = { semantics: 'classic', bound: 0, budgetMs: 20_000, all: true } as const;
    const naive = await search(target, { ...options, reduction: 'none' });
    const reduced = await search(target, options);
    expect(naive.complete && reduced.complete).toBe(true);
    expect([...reduced.outcomes].sort()).toEqual([...naive.outcomes].sort());
    const states = [...reduced.outcomes].map(
      (o) => (JSON.parse(o) as [string, [string, { n: string }][]])[1][0]?.[1].n,
    );
    // (1 * 2) + 1 and (1 + 1) * 2: both orders of the two writes.
    expect(new Set(states)).toEqual(new Set(['3n', '4n']));
  }, 60_000);
});
