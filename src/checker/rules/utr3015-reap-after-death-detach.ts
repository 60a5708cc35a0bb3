/** UTR3015: an `on reap` handler that never runs, because every death report already detaches. */
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const reapAfterDeathDetach = defineRule(
  {
    code: 'UTR3015',
    name: 'reap-after-death-detach',
    severity: 'warning',
    category: 'lifecycle',
    summary: 'An `on reap` handler can never run, because every path of `on death` returns `detach`.',
    fix: 'never',
    docs: {
      what: 'The engine has an `on reap` handler, and every path through its `on death` handler ends in `detach`.',
      why:
        'Detaching from the death report is the simplest robust ending (utrace-semantics §11.5), and it means ' +
        'exactly that no further callback comes: `report_reap` is not called for an engine that returned ' +
        '`UTRACE_DETACH` from `report_death`. Whatever the reap handler does (final output, releasing state ' +
        'shared with control code) silently never happens.',
      scenario: [
        'The task exits; its death report runs `on death`, which returns `detach`.',
        'utrace detaches the engine.',
        'The parent reaps the task; utrace calls report_reap only for engines still attached, not this one.',
        "The reap handler's output never appears.",
      ],
      observable:
        "Run the bad example to the task's exit and reap: the `reaped` emit never appears. Under the same schedule " +
        'the good example prints it from `on death`.',
      symptom: 'Cleanup or final output placed in `on reap` never happens.',
      bad: `engine tracker {
  state calls: count
  on syscall_entry(call) do calls += 1 then resume
  on death do detach
  on reap do emit "reaped after {calls} calls"
}`,
      good: `engine tracker {
  state calls: count
  on syscall_entry(call) do calls += 1 then resume
  on death do emit "reaped after {calls} calls" then detach
}`,
      fix: 'Do the cleanup in `on death` before `detach`; or return `resume` from `on death` on the paths where the reap handler must run.',
      reference: 'utrace-semantics §5.2 (report_death, report_reap), §11.5',
    },
  },
  (engine, ctx) => {
    if (!engine.hasHandler('reap') || !engine.hasHandler('death')) return;
    const deaths = engine.handlerPaths.get('death') ?? [];
    if (deaths.length === 0 || !deaths.every((hp) => hp.final?.action === 'detach')) return;
    const reap = engine.checked.handlersFor('reap').find((h) => h.reachable);
    if (reap === undefined) return;
    const related: RelatedSpan[] = deaths
      .slice(0, 2)
      .flatMap((hp) => (hp.final ? [{ span: hp.final.span, message: 'detaches from the death report' }] : []));
    ctx.report({
      span: reap.node.event.span,
      message: `\`on reap\` in engine \`${engine.name}\` never runs: every path of \`on death\` returns \`detach\``,
      label: 'never called',
      related,
      notes: ['an engine that detaches from report_death gets no report_reap (utrace-semantics §11.5)'],
      help: 'move this work into `on death` before `detach`',
    });
  },
);
