/**
 * Property tests over engines assembled from the disciplines utrace users rely on (the sampler's flag, ptrace's
 * confirmed stop, the restated step, barrier after a pending detach, detach from death): any combination is free
 * of race warnings, and breaking one discipline makes exactly its rule fire. (This found that a sampler and a
 * stepper in one engine must answer both requests in one quiesce handler: either alone cancels the other.)
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { brief, lint } from './support.js';

interface Blocks {
  readonly counter: boolean;
  readonly sampler: boolean;
  readonly hold: boolean;
  readonly stepping: boolean;
  readonly death: boolean;
  readonly finish: boolean;
  readonly guardedCounter: boolean;
}

/** Ways to break one discipline, each with the rule that must then fire. */
const BREAKS = {
  none: undefined,
  samplerUnguarded: 'UTR3002',
  contUnconfirmed: 'UTR3003',
  finishWithoutBarrier: 'UTR3004',
  stepNotRestated: 'UTR3007',
} as const;
type Break = keyof typeof BREAKS;

function engine(b: Blocks, brk: Break): string {
  const states: string[] = ['  state calls: map<syscall, count>'];
  const handlers: string[] = [];
  const quiesce: string[] = [];
  const controls: string[] = [];
  if (b.counter || brk === 'finishWithoutBarrier') {
    handlers.push(
      b.guardedCounter
        ? '  on syscall_entry(call) when call.nr == openat do calls[call.nr] += 1 then resume\n  on syscall_entry(call) do resume'
        : '  on syscall_entry(call) do calls[call.nr] += 1 then resume',
    );
  }
  if (b.hold || brk === 'contUnconfirmed') {
    states.push('  state held: bool = false');
    handlers.push('  on exec(e) do set held = true then stop');
    quiesce.push('  on quiesce when held do stop');
    controls.push(
      brk === 'contUnconfirmed'
        ? '  control cont do set held = false then resume'
        : '  control cont do stop match { stopped => set held = false then resume  pending => nothing  gone => nothing }',
    );
  }
  if (b.sampler || brk === 'samplerUnguarded') {
    states.push('  state samples: list<regs>', '  state want_sample: bool = false');
    controls.push(`  every 10ms do
    set want_sample = true
    then stop match {
      stopped => fetch regs into samples then set want_sample = false then resume
      pending => nothing
      gone    => nothing
    }`);
    if (brk !== 'samplerUnguarded') {
      // While stepping, the sample is taken and the step restated in one answer; either alone would cancel the other.
      if (b.stepping && brk !== 'stepNotRestated') {
        quiesce.push(
          '  on quiesce when want_sample and stepping do fetch regs into samples then set want_sample = false then singlestep',
        );
      }
      quiesce.push('  on quiesce when want_sample do fetch regs into samples then set want_sample = false then resume');
    }
  }
  if (b.stepping || brk === 'stepNotRestated') {
    states.push('  state stepping: bool = false');
    if (brk !== 'stepNotRestated') quiesce.push('  on quiesce when stepping do singlestep');
    controls.push(
      '  control step do stop match { stopped => set stepping = true then singlestep  pending => nothing  gone => nothing }',
      '  control unstep do stop match { stopped => set stepping = false then resume  pending => nothing  gone => nothing }',
    );
  }
  if (b.death) handlers.push('  on death do detach');
  if (b.finish || brk === 'finishWithoutBarrier') {
    const pending = brk === 'finishWithoutBarrier' ? 'emit table(calls)' : 'barrier then emit table(calls)';
    controls.push(`  control finish do
    detach match {
      done          => emit table(calls)
      pending       => ${pending}
      gone, already => nothing
    }`);
  }
  quiesce.push('  on quiesce do resume');
  return `engine e {\n${[...states, ...handlers, ...quiesce, ...controls].join('\n')}\n}\n`;
}

const blocks = fc.record({
  counter: fc.boolean(),
  sampler: fc.boolean(),
  hold: fc.boolean(),
  stepping: fc.boolean(),
  death: fc.boolean(),
  finish: fc.boolean(),
  guardedCounter: fc.boolean(),
});

describe('race rules on engines built from correct disciplines', () => {
  test('any combination is well-typed and has no race warnings', () => {
    fc.assert(
      fc.property(blocks, (b) => {
        const r = lint(engine(b, 'none'));
        expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
        expect(r.races.map((d) => brief(d, r.source))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('breaking one discipline fires exactly its rule', () => {
    const breaks = Object.keys(BREAKS).filter((k) => k !== 'none') as Break[];
    fc.assert(
      fc.property(blocks, fc.constantFrom(...breaks), (b, brk) => {
        const r = lint(engine(b, brk));
        expect(r.frontEnd.map((d) => brief(d, r.source))).toEqual([]);
        expect([...new Set(r.races.map((d) => d.code))]).toEqual([BREAKS[brk]]);
      }),
      { numRuns: 200 },
    );
  });

  test('the result does not depend on how often or in which order the rules run', () => {
    fc.assert(
      fc.property(blocks, fc.constantFrom(...(Object.keys(BREAKS) as Break[])), (b, brk) => {
        const text = engine(b, brk);
        const once = lint(text).races;
        expect(lint(text).races).toEqual(once);
      }),
      { numRuns: 50 },
    );
  });
});
