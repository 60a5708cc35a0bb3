/** UTR3013: control code asks for a report (`report`, `interrupt`) from an engine that has no quiesce handler. */
import { callName, callSpan, controlCalls } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { appendHandlersFix } from './support.js';

export const reportWithoutQuiesce = defineRule(
  {
    code: 'UTR3013',
    name: 'report-without-quiesce',
    severity: 'warning',
    category: 'stop',
    summary:
      'Control code calls `report` or `interrupt` in an engine with no `on quiesce` handler, so no report can come.',
    fix: 'always',
    docs: {
      what: 'Control code calls `report` or `interrupt`, and the engine has no `on quiesce` handler.',
      why:
        '`report` and `interrupt` ask utrace for a quiesce report (or, for `interrupt`, a signal-path report that ' +
        'the language routes to the quiesce handler). An engine not subscribed to quiesce gets neither: utrace ' +
        'rejects `report` from such an engine outright, and an `interrupt` reaches the signal path, finds no ' +
        'quiesce subscriber and returns without any callback. The control code asked for a report that cannot ' +
        'come.',
      scenario: [
        'The task sleeps in `read`.',
        'Control code calls `interrupt` to get a report from the task.',
        'The task leaves the system call and reaches the signal path; no engine is subscribed to quiesce, so the ' +
          'report branch returns at once.',
        'The task restarts the system call; the engine never hears of it.',
      ],
      observable:
        "Block the task in `read` (explorer workload `blocked-read`) and fire the timer's `interrupt`: it answers `done`, the task leaves the call and restarts it, and no signal-path report happens, because no engine of the task asks for quiesce reports. With `on quiesce` the same schedule shows the report (a `SIGNAL` pass with a `report_quiesce` callback).",
      symptom:
        'The requested report never arrives; whatever the control code expected the handler to do does not happen.',
      bad: `engine poker {
  state pokes: count
  on syscall_exit(call) do pokes += 1 then resume
  every 1s do interrupt
}`,
      good: `engine poker {
  state pokes: count
  on syscall_exit(call) do pokes += 1 then resume
  on quiesce do pokes += 1 then resume
  every 1s do interrupt
}`,
      fix: 'Add an `on quiesce` handler (the fix inserts `on quiesce do resume`), and do the work the report is for there.',
      reference: 'utrace-semantics §7.1, §7.2 (REPORT needs QUIESCE), §17 A7, A11',
    },
  },
  (engine, ctx) => {
    if (engine.hasHandler('quiesce')) return;
    const seen = new Set<number>();
    for (const { body, ev } of controlCalls(engine)) {
      if ((ev.call !== 'report' && ev.call !== 'interrupt') || seen.has(ev.node.span.start)) continue;
      seen.add(ev.node.span.start);
      const fix = appendHandlersFix(engine, ctx.source, 'add an `on quiesce` handler', '  on quiesce do resume\n');
      ctx.report({
        span: callSpan(ev),
        message: `${callName(ev, ctx.text)} in ${body.label} asks for a report, but engine \`${engine.name}\` has no \`on quiesce\` to receive it`,
        label: 'no report can come from this',
        related: [{ span: engine.checked.node.name.span, message: 'not subscribed to quiesce reports' }],
        notes: [
          'utrace rejects `report` without QUIESCE and skips the signal-path report for `interrupt` (utrace-semantics §17 A7, A11)',
        ],
        help: 'add an `on quiesce` handler that does the work the report is for',
        ...(fix ? { fix } : {}),
      });
    }
  },
);
