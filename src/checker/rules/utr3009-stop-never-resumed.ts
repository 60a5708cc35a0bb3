/** UTR3009: a handler stops the task, but nothing in the engine can ever let it go again. */
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import { RESUMING_CALLS, controlCalls, finalRelated, handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';

export const stopNeverResumed = defineRule(
  {
    code: 'UTR3009',
    name: 'stop-never-resumed',
    severity: 'warning',
    category: 'resume',
    summary: 'A handler returns `stop`, but no control operation or timer of the engine can resume or detach the task.',
    fix: 'never',
    docs: {
      what:
        'Some handler path returns `stop`, and no control, timer, `on attach` or `on detach` of the engine contains ' +
        'a call that lets the task go (`resume`, `report`, `interrupt`, `singlestep`, `blockstep`, `detach`).',
      why:
        'A stop returned by a handler is sticky: the task stays stopped until *this* engine says otherwise. A ' +
        'stopped task makes no more reports, so no later handler of the engine runs to release it; only ' +
        'debugger-side code can. If there is none, the task waits forever (or until SIGKILL).',
      scenario: [
        'The task receives a signal; `on signal` returns `stop`.',
        'The task stops at the signal report.',
        'No control code can call `resume` or `detach`; no handler runs while the task is stopped.',
        'The task never runs again.',
      ],
      observable:
        "Deliver the signal; invariant 5 (no hang) fails: the task waits in a stop no enabled control operation or timer can end. The good example's `thaw` ends it.",
      symptom: 'The traced program hangs forever.',
      bad: `engine freezer {
  state last: int = 0
  on signal(sig) do set last = sig.signo then fate ignore then stop
}`,
      good: `engine freezer {
  state last: int = 0
  on signal(sig) do set last = sig.signo then fate ignore then stop
  control thaw do
    stop match {
      stopped => resume
      pending => nothing
      gone    => nothing
    }
}`,
      fix: 'Give the debugger side a way to let the task go (a `control` that resumes from a confirmed stop, or a timer that detaches), or do not stop.',
      reference: 'utrace-semantics §5.3 ("Only UTRACE_STOP is sticky"), §6; races.md UTR3009',
    },
  },
  (engine, ctx) => {
    const stoppers = engine.allHandlerPaths.filter((hp) => hp.final?.action === 'stop');
    const first = stoppers[0];
    if (first === undefined || first.final === undefined) return;
    for (const { ev } of controlCalls(engine)) if (RESUMING_CALLS.has(ev.call) || ev.call === 'detach') return;
    const related: RelatedSpan[] = [
      {
        span: engine.checked.node.name.span,
        message: `no control code of engine \`${engine.name}\` resumes or detaches`,
      },
      ...stoppers.slice(1, 3).map((hp) => finalRelated(hp, 'also stops')),
    ];
    ctx.report({
      span: first.final.span,
      message: `${handlerName(first, ctx.text)} returns \`stop\`, but nothing in engine \`${engine.name}\` can resume the task`,
      label: 'the task stops here for good',
      related,
      notes: ['a stopped task makes no reports, so only control code can release it (utrace-semantics §5.3)'],
      help: 'add a control that resumes from a confirmed stop (`stop match { stopped => resume … }`), or do not stop',
    });
  },
);
