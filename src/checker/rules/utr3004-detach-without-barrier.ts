/** UTR3004: control code detaches and touches handler state before a `barrier` proves no callback is in flight. */
import { conflictsAfter } from '../analysis/ordering.js';
import { callSpan, controlCalls, handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { thenBarrierFix } from './support.js';

export const detachWithoutBarrier = defineRule(
  {
    code: 'UTR3004',
    name: 'detach-without-barrier',
    severity: 'warning',
    category: 'ordering',
    summary: 'Control code detaches and then resets or reads state that a handler still in flight may write.',
    fix: 'sometimes',
    docs: {
      what:
        'Control code calls `detach`, the result may be `pending` (a callback of the engine is running right now) ' +
        'or `already` (the death report is running), and the same path then writes state a handler reads or ' +
        'writes, or reads state a handler writes, with no `barrier` in between.',
      why:
        "`detach` on a task that is inside one of the engine's callbacks marks the engine detached and returns " +
        '`-EINPROGRESS`: the callback keeps running with the old code and data. Cleanup done at once races with ' +
        'it: the handler writes into state the debugger just reset, or the debugger prints a table the handler ' +
        'is still updating. In C this is the use-after-free of `engine->data`; `utrace_barrier` is the documented ' +
        'cure.',
      scenario: [
        'The task enters `on syscall_entry`, which is about to do `calls[call.nr] += 1`.',
        'Control code calls `detach`: a callback is in flight, so the result is `pending`.',
        'Control code resets `calls` (or emits `table(calls)`).',
        'The in-flight handler runs `calls[call.nr] += 1` and returns; its return value is ignored.',
        'The state that was just reset holds a count from after the detach (or the printed table misses it).',
      ],
      observable:
        'Enter `on syscall_entry` and, before it returns, call the control that detaches. Invariant 4 fails: a handler writes state after the control code finished the detach (the printed table misses the count). With `barrier` the table includes it.',
      symptom:
        'Stale or lost updates after "detach": counts that reappear after a reset, tables that miss the last event.',
      bad: `engine counter {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  control stop_counting do
    detach match {
      done, pending => emit table(calls)
      gone, already => nothing
    }
}`,
      good: `engine counter {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  control stop_counting do
    detach match {
      done    => emit table(calls)
      pending => barrier then emit table(calls)
      gone, already => nothing
    }
}`,
      fix:
        'After a `pending` (or `already`) detach, call `barrier` before touching state the handlers use; it ' +
        'returns once no callback is in flight. When the `detach` result is not matched, the fix inserts ' +
        '`then barrier` right after it.',
      reference: 'utrace-semantics §11.3, §8, §11.5; races.md UTR3004',
    },
  },
  (engine, ctx) => {
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      if (ev.call !== 'detach' || !(ev.statuses.includes('pending') || ev.statuses.includes('already'))) continue;
      if (seen.has(ev.node.span.start)) continue;
      const conflicts = conflictsAfter(engine, path, index);
      const c = conflicts[0];
      if (c === undefined) continue;
      seen.add(ev.node.span.start);
      const n = ev.node;
      const fix =
        n.kind === 'ActionStep' && (n.arms === undefined || n.arms.length === 0)
          ? thenBarrierFix(n.span, 'insert `barrier` after `detach`')
          : undefined;
      const verb = c.control.kind === 'write' ? 'writes' : 'reads';
      const hverb = c.handler.event.kind === 'write' ? 'writes' : 'reads';
      ctx.report({
        span: callSpan(ev),
        message: `\`detach\` in ${body.label} may leave ${handlerName(c.handler.at, ctx.text)} in flight while the control code ${verb} \`${c.control.state}\``,
        label: 'may return `pending` with a callback still running',
        related: [
          { span: c.control.node.span, message: `${verb} \`${c.control.state}\` before any \`barrier\`` },
          { span: c.handler.event.node.span, message: `the in-flight handler ${hverb} \`${c.control.state}\`` },
        ],
        notes: [
          'after a pending detach the running callback finishes with the old code and data (utrace-semantics §11.3)',
        ],
        help: 'call `barrier` after a `pending` detach before touching state the handlers use',
        ...(fix ? { fix } : {}),
      });
    }
  },
);
