/**
 * The explorer on the shipped examples: every racy example whose race breaks one of the races.md invariants is
 * caught, under exactly the semantics where the race exists; every correct example is clean within the stated
 * bound; each counterexample's saved schedule replays to the same event log.
 */
import { describe, expect, it } from 'vitest';
import { formatRecord } from '../../src/runtime/log.js';
import { explore } from '../../src/explore/explore.js';
import { replay } from '../../src/explore/replay.js';
import { scheduleFromJson, scheduleToJson } from '../../src/explore/schedule.js';
import { compile } from '../session/helpers.js';
import { targetOf } from './helpers.js';

const BOUND = 2;

/** Racy example → invariant found under classic / sticky-stop (null: the race does not exist there). */
const RACY: ReadonlyArray<readonly [string, string | null, string | null]> = [
  // A step requested on a task whose stop was only `pending`: in both semantics.
  ['utr3001-examine-after-pending-stop', 'examine-while-running', 'examine-while-running'],
  // §11.1: the callback's `resume` clears the async stop. Sticky-stop is exactly the fix.
  ['utr3002-callback-clears-async-stop', 'lost-stop', null],
  // §11.2: resume while the callback that returns `stop` is in flight. Sticky-stop does not help.
  ['utr3003-async-resume-vs-callback-stop', 'unexpected-stop', 'unexpected-stop'],
  ['utr3004-detach-without-barrier', 'callback-after-detach', 'callback-after-detach'],
  ['utr3005-events-cleared-without-barrier', 'callback-after-detach', 'callback-after-detach'],
  // A deferred stop with nobody in quiesce to serve it: the task runs on.
  ['utr3006-stop-without-quiesce', 'lost-stop', 'lost-stop'],
  ['utr3009-stop-never-resumed', 'hang', 'hang'],
  ['utr3010-stop-does-not-interrupt', 'wait-never-ends', 'wait-never-ends'],
];

const CORRECT = ['follow_fork', 'opens', 'ptrace_like', 'sampler', 'signals', 'syscount'];

describe('racy examples', () => {
  for (const [name, classic, sticky] of RACY) {
    it(`${name}: ${classic ?? 'clean'} under classic, ${sticky ?? 'clean'} under sticky-stop, replayable`, async () => {
      const path = `examples/racy/${name}.utr`;
      const { target, lines, workload } = await targetOf(path);
      const result = await explore(target, {
        semantics: ['classic', 'sticky-stop'],
        bound: BOUND,
        budgetMs: 10_000,
        workloadName: workload,
        file: path,
        lines,
      });
      const found = (sem: string): string[] =>
        result.counterexamples.filter((c) => c.semantics === sem).map((c) => c.violation.invariant);
      if (classic) expect(found('classic')).toContain(classic);
      else expect(found('classic')).toEqual([]);
      if (sticky) expect(found('sticky-stop')).toContain(sticky);
      else expect(found('sticky-stop')).toEqual([]);

      const program = await compile(path);
      for (const c of result.counterexamples) {
        // The schedule survives a round trip through its file, and replays to the same violation at the same record.
        const schedule = scheduleFromJson(scheduleToJson(c.schedule));
        const again = await replay(schedule, program);
        const twice = await replay(schedule, program);
        expect(again.violations.map((v) => [v.invariant, v.seq])).toContainEqual([
          c.violation.invariant,
          c.violation.seq,
        ]);
        expect(again.log.map(formatRecord).join('\n')).toBe(twice.log.map(formatRecord).join('\n'));
        // Every counterexample ends at its violation, and names the .utr line of the handlers involved.
        expect(c.steps.at(-1)?.violation ?? c.steps.some((s) => s.violation)).toBe(true);
        expect(c.steps.some((s) => s.line !== undefined)).toBe(true);
      }
    }, 60_000);
  }
});

describe('correct examples', () => {
  for (const name of CORRECT) {
    it(`${name}: no violation under either semantics within preemption bound ${BOUND}`, async () => {
      const path = `examples/${name}.utr`;
      const { target, lines, workload } = await targetOf(path);
      const result = await explore(target, {
        semantics: ['classic', 'sticky-stop'],
        bound: BOUND,
        budgetMs: 60_000,
        workloadName: workload,
        file: path,
        lines,
      });
      expect(result.counterexamples.map((c) => `${c.semantics}: ${c.violation.message}`)).toEqual([]);
      for (const s of result.searches) expect(s.complete).toBe(true);
    }, 180_000);
  }
});
