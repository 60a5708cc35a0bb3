/**
 * Soundness of the reduction: on small random engines, the search that offers a parked control's release only
 * where the debugger-visible state changed finds exactly the outcomes and violations of the naive search that
 * offers it after every event-log record.
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

const engine = fc
  .record({ q: quiesce, guarded: fc.boolean(), s: signal, x: syscallExit, c: control })
  .map(({ q, guarded, s, x, c }) =>
    [
      'arch x86_64',
      'engine e {',
      '  state flag: bool = false',
      '  state n: int = 0',
      guarded ? '  on quiesce when flag do stop' : '',
      q === 'nothing' ? '' : `  on quiesce do ${q}`,
      s === '' ? '' : `  on signal(sig) do ${s}`,
      x === '' ? '' : `  on syscall_exit(call) do ${x}`,
      `  control c do ${c}`,
      '}',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );

describe('reduction', () => {
  it('finds the same outcomes and violations as naive enumeration', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        engine,
        fc.constantFrom('classic', 'sticky-stop') as fc.Arbitrary<'classic' | 'sticky-stop'>,
        async (text, semantics) => {
          const { target } = await targetOf('random.utr', text, 'tiny');
          const options = { semantics, bound: 1, budgetMs: 30_000, all: true } as const;
          const naive = await search(target, { ...options, release: 'naive' });
          const reduced = await search(target, { ...options, release: 'reduced' });
          fc.pre(naive.complete && reduced.complete);
          compared++;
          expect([...reduced.outcomes].sort()).toEqual([...naive.outcomes].sort());
          expect(reduced.findings.map((f) => f.violation.invariant).sort()).toEqual(
            naive.findings.map((f) => f.violation.invariant).sort(),
          );
          expect(reduced.schedules).toBeLessThanOrEqual(naive.schedules);
        },
      ),
      { numRuns: 12, seed: 7 },
    );
    expect(compared).toBeGreaterThan(6);
  }, 900_000);
});
