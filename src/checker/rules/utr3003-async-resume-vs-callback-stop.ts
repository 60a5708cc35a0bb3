/** UTR3003: control code resumes a task it has not confirmed stopped while a handler may return `stop`. */
import type { Fix } from '../../diagnostics/diagnostic.js';
import { RESUMING_CALLS, after, callName, callSpan, controlCalls, handlerName } from '../analysis/queries.js';
import type { Path } from '../analysis/paths.js';
import { defineRule } from './rule.js';
import { racingHandlers } from './support.js';

export const asyncResumeVsCallbackStop = defineRule(
  {
    code: 'UTR3003',
    name: 'async-resume-vs-callback-stop',
    severity: 'warning',
    category: 'resume',
    summary:
      'Control code resumes a task it has not confirmed stopped while a handler of the engine may return `stop`.',
    fix: 'sometimes',
    docs: {
      what:
        'Control code calls `resume` (or `report`, `interrupt`, `singlestep`, `blockstep`) at a point where this ' +
        "engine's stop is not confirmed in force (outside the `stopped` arm of `stop`/`await stopped`), and some " +
        'handler of the same engine can return `stop`.',
      why:
        'The handler may be running on the task right now. Its return value is applied after the resume and sets ' +
        'the stop again, so the task stops although the debugger just resumed it. A `barrier` first does not ' +
        "close the gap: between the handler's return and the task blocking, a resume clears only the engine's " +
        'own bit, the task-level stop bit stays set, and the task blocks with nobody wanting it stopped ("resume ' +
        'in the stop window"). ptrace avoids both by resuming only a tracee it has confirmed stopped.',
      scenario: [
        'The task enters a handler of the engine that will return `stop` (for example `on signal … do … then stop`).',
        'While the handler runs, control code calls `resume`: the task is not stopped, so utrace only clears the ' +
          "engine's stop bit and returns `done`.",
        "The handler returns `stop`; utrace sets the engine's stop bit again.",
        'The task stops at its next stop point.',
        'The debugger believes the task runs; nobody resumes it again.',
      ],
      observable:
        'Deliver a signal and, while `on signal` is in flight, call `cont`. Invariant 3 (no unexpected stop) fails: the task is stopped after `resume` returned. The good example answers `pending` and leaves the task to be continued later.',
      symptom: 'The task stays stopped after the debugger resumed it (a hang that looks like a lost resume).',
      bad: `engine holder {
  state held: bool = false
  on signal(sig) do set held = true then stop
  on quiesce when held do stop
  on quiesce do resume
  control cont do set held = false then resume
}`,
      good: `engine holder {
  state held: bool = false
  on signal(sig) do set held = true then stop
  on quiesce when held do stop
  on quiesce do resume
  control cont do
    stop match {
      stopped => set held = false then resume
      pending => nothing
      gone    => nothing
    }
}`,
      fix:
        'Resume only from a confirmed stop: `stop match { stopped => … then resume, pending => nothing, gone => ' +
        'nothing }`, and keep engine state that tells the handlers not to stop again. On `pending` the task is ' +
        'running anyway; do nothing and let the debugger retry. For a bare `resume` the fix wraps it in such a ' +
        'match (unsafe: review the state updates around it).',
      reference: 'utrace-semantics §11.2, §11.8 ("Resume in the stop window"), §17 A10; races.md UTR3003',
    },
  },
  (engine, ctx) => {
    const stoppers = engine.allHandlerPaths.filter((hp) => hp.final?.action === 'stop');
    const first = stoppers[0];
    if (first === undefined) return;
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      if (!RESUMING_CALLS.has(ev.call) || ev.stoppedBefore || seen.has(ev.node.span.start)) continue;
      // `interrupt`/`report` next to a pending or coming stop kick the task towards that stop (gdb's ^C); they do
      // not mean to let it run.
      if ((ev.call === 'interrupt' || ev.call === 'report') && kicksTowardsStop(path, index)) continue;
      seen.add(ev.node.span.start);
      const related = racingHandlers(stoppers, () => 'may return `stop` after the resume');
      let fix: Fix | undefined;
      const n = ev.node;
      if (n.kind === 'ActionStep' && ev.call === 'resume' && (n.arms === undefined || n.arms.length === 0)) {
        fix = {
          title: 'resume only from a confirmed stop',
          applicability: 'unsafe',
          edits: [
            {
              span: n.span,
              newText: 'stop match { stopped => resume  pending => nothing  gone => nothing }',
            },
          ],
        };
      }
      ctx.report({
        span: callSpan(ev),
        message: `${callName(ev, ctx.text)} in ${body.label} races with ${handlerName(first, ctx.text)} returning \`stop\``,
        label: 'the task is not known to be stopped here',
        related,
        notes: [
          'a handler in flight applies its `stop` after this call; a `barrier` first still leaves the stale task-level stop bit (utrace-semantics §11.8)',
        ],
        help: 'resume inside the `stopped` arm of `stop match { … }`, as ptrace does after its check-attach',
        ...(fix ? { fix } : {}),
      });
    }
  },
);

/** Whether a `stop` that may be pending comes before the call on its path, or a `stop`/`await` follows it. */
function kicksTowardsStop(path: Path, index: number): boolean {
  const before = path.trace.slice(0, index);
  if (before.some((e) => e.kind === 'call' && e.call === 'stop' && e.statuses.includes('pending'))) return true;
  return after(path, index).some((e) => e.kind === 'call' && (e.call === 'stop' || e.call === 'await'));
}
