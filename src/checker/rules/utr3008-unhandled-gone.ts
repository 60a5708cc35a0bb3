/** UTR3008: a control call's `gone` (or `already`) result is not looked at and the code goes on as if it worked. */
import type { ControlCall } from '../types.js';
import type { PathEvent } from '../analysis/paths.js';
import { after, callName, callSpan, controlCalls } from '../analysis/queries.js';
import { defineRule } from './rule.js';

/** Calls whose failure on a dead task matters to what follows. `detach` and `barrier` are fine to leave unmatched. */
const CHECKED: ReadonlySet<ControlCall> = new Set<ControlCall>([
  'stop',
  'resume',
  'report',
  'interrupt',
  'singlestep',
  'blockstep',
  'events',
  'await',
]);

/**
 * A later step that assumes the call worked: bookkeeping with `set` (counters and samples accumulate whatever
 * happened, so `+=` and `append` do not count), an examination, or another call that ignores failure.
 */
function assumesSuccess(e: PathEvent): boolean {
  if (e.kind === 'write') return e.step.kind === 'SetStep';
  if (e.kind === 'examine') return true;
  return e.kind === 'call' && !e.matched && e.call !== 'detach' && e.call !== 'barrier';
}

export const unhandledGone = defineRule(
  {
    code: 'UTR3008',
    name: 'unhandled-gone',
    severity: 'warning',
    category: 'lifecycle',
    summary:
      'A control call can report `gone` (or `already`), but its result is ignored and the code goes on using the task.',
    fix: 'never',
    docs: {
      what:
        'Control code calls `resume`, `interrupt`, `report`, a step, `events` or `await` without matching the ' +
        'result, and the same path then records state with `set`, examines the task, or makes another unmatched call: code ' +
        'that only makes sense if the first call worked.',
      why:
        'Any control call can find the task dead (`-ESRCH`, `gone`) or dying (`-EALREADY`, `already`). Code that ' +
        'goes on regardless records a task as running that no longer exists, keeps issuing calls into the void, ' +
        "and never cleans up. The death is only visible in the call's result or in `on death`.",
      scenario: [
        'The task receives SIGKILL and dies; its death report runs.',
        'Control code calls `resume`: the result is `gone`, not looked at.',
        'Control code sets `running = true` and keeps treating the task as alive.',
        'The engine never cleans up; later control operations act on a task that is gone.',
      ],
      observable:
        'Park the task at a signal; let another process SIGKILL it between `stop` answering `stopped` and `resume`, which then answers `gone`; assert the engine state says `running = true` for a task that is gone. The good example records `running = false`.',
      symptom: 'Acting on a dead or reaped task; engine state that claims a dead task runs; leaked engine state.',
      bad: `engine runner {
  state running: bool = false
  on quiesce do resume
  control go do
    stop match {
      stopped => resume then set running = true
      pending => nothing
      gone    => nothing
    }
}`,
      good: `engine runner {
  state running: bool = false
  on quiesce do resume
  control go do
    stop match {
      stopped => resume match {
        done => set running = true
        gone => set running = false
      }
      pending => nothing
      gone    => nothing
    }
}`,
      fix: 'Match the result and handle `gone` (stop using the task, clean up); or clean up in `on death` and `detach` there.',
      reference: 'utrace-semantics §11.5, §7.2; races.md UTR3008',
    },
  },
  (engine, ctx) => {
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      if (ev.matched || !CHECKED.has(ev.call) || seen.has(ev.node.span.start)) continue;
      const next = after(path, index).find(assumesSuccess);
      if (next === undefined) continue;
      seen.add(ev.node.span.start);
      const nextSpan =
        next.kind === 'write'
          ? next.node.span
          : next.kind === 'examine'
            ? next.span
            : next.kind === 'call'
              ? callSpan(next)
              : ev.node.span;
      const statuses = ev.statuses
        .filter((s) => s === 'gone' || s === 'already')
        .map((s) => `\`${s}\``)
        .join(' or ');
      ctx.report({
        span: callSpan(ev),
        message: `the result of ${callName(ev, ctx.text)} in ${body.label} is ignored, but the code goes on as if it worked`,
        label: `may return ${statuses}`,
        related: [{ span: nextSpan, message: 'assumes the task is still there' }],
        notes: ['a dead task makes every call return `gone` (utrace-semantics §11.5)'],
        help: `match the result: \`${ev.call === 'events' || ev.call === 'await' ? ev.call : ev.call} match { … gone => … }\``,
      });
    }
  },
);
