/** UTR3005: control code removes an event and then acts as if its handler can no longer run. */
import { conflictsAfter } from '../analysis/ordering.js';
import { callName, callSpan, controlCalls, handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { thenBarrierFix } from './support.js';

export const eventsClearedWithoutBarrier = defineRule(
  {
    code: 'UTR3005',
    name: 'events-cleared-without-barrier',
    severity: 'warning',
    category: 'ordering',
    summary: 'Control code removes an event and then touches state its handler uses, before a `barrier`.',
    fix: 'sometimes',
    docs: {
      what:
        'Control code runs `events -x`, the result may be `pending`, and the same path then writes state the ' +
        '`on x` handler reads or writes, or reads state it writes, with no `barrier` in between.',
      why:
        "Clearing an event bit while the task is inside that event's callback returns `-EINPROGRESS`: the " +
        'callback that is running finishes, and utrace may even make one more "spurious" pass before the bit ' +
        "really goes away. Code that resets or reports the handler's state right after `events -x` assumes the " +
        'handler can no longer run, and it can.',
      scenario: [
        'The task enters `on syscall_entry`, about to do `calls[call.nr] += 1`.',
        'Control code runs `events -syscall_entry`: a callback is in flight, so the result is `pending`.',
        'Control code emits `table(calls)` as the final report.',
        'The in-flight handler adds one more count after the table was printed.',
      ],
      observable:
        "Enter `on syscall_entry` (or `on exec`) and, before it returns, call the control that clears the event. The handler's write lands after the control code used the state; with `barrier` it lands before.",
      symptom: 'The disabled handler runs once more; the final report misses its update or a reset is undone.',
      bad: `engine counter {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  control finish do
    events -syscall_entry match {
      done, pending => emit table(calls)
      gone, already => nothing
    }
}`,
      good: `engine counter {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  control finish do
    events -syscall_entry match {
      done    => emit table(calls)
      pending => barrier then emit table(calls)
      gone, already => nothing
    }
}`,
      fix:
        'Call `barrier` after a `pending` result (or retry `events` until it returns `done`) before touching the ' +
        "handler's state. When the result is not matched, the fix inserts `then barrier` right after the call.",
      reference: 'utrace-semantics §11.4, §4, §8; races.md UTR3005',
    },
  },
  (engine, ctx) => {
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      if (ev.call !== 'events' || ev.removes.length === 0 || !ev.statuses.includes('pending')) continue;
      if (seen.has(ev.node.span.start)) continue;
      const removed = new Set(ev.removes);
      const c = conflictsAfter(engine, path, index, (hp) => removed.has(hp.event))[0];
      if (c === undefined) continue;
      seen.add(ev.node.span.start);
      const n = ev.node;
      const fix =
        n.kind === 'EventsStep' && (n.arms === undefined || n.arms.length === 0)
          ? thenBarrierFix(n.span, 'insert `barrier` after the event change')
          : undefined;
      const verb = c.control.kind === 'write' ? 'writes' : 'reads';
      ctx.report({
        span: callSpan(ev),
        message: `${callName(ev, ctx.text)} in ${body.label} does not stop ${handlerName(c.handler.at, ctx.text)} from running once more before \`${c.control.state}\` is used`,
        label: 'may return `pending` with the handler still running',
        related: [
          {
            span: c.control.node.span,
            message: `${verb} \`${c.control.state}\` as if the handler could no longer run`,
          },
          { span: c.handler.event.node.span, message: `the handler may still touch \`${c.control.state}\` here` },
        ],
        notes: ['clearing an event bit does not wait for a callback in flight (utrace-semantics §11.4)'],
        help: 'call `barrier` after a `pending` result, or retry until the change reports `done`',
        ...(fix ? { fix } : {}),
      });
    }
  },
);
