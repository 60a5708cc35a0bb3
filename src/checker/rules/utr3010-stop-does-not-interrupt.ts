/** UTR3010: control code waits without a bound for a `stop` that cannot break a blocking system call. */
import { callSpan, controlCalls, pendingExpectation } from '../analysis/queries.js';
import { defineRule } from './rule.js';

export const stopDoesNotInterrupt = defineRule(
  {
    code: 'UTR3010',
    name: 'stop-does-not-interrupt',
    severity: 'warning',
    category: 'stop',
    summary: 'Control code waits without a time limit for a `stop` that does not interrupt a blocked system call.',
    fix: 'always',
    docs: {
      what:
        'Control code calls `stop`, and on the `pending` path waits with `await stopped` (no `within` limit) ' +
        'without having called `interrupt` first on that path.',
      why:
        "`stop` asks for a report at the task's next report point. A task sleeping in a system call (`read` on " +
        'an idle pipe, `accept`, `wait4`) reaches none until the call returns, which may be never. `interrupt` ' +
        'kicks the task out of interruptible sleeps "as if by SIGSTOP" and guarantees a signal-path report, where ' +
        'the quiesce handler can return `stop`.',
      scenario: [
        'The task calls `read` on a pipe nobody writes to and sleeps in the kernel.',
        'Control code calls `stop`: the result is `pending`.',
        'Control code waits in `await stopped` with no limit.',
        'The task never leaves the system call, so it never reaches a report point; the wait never ends.',
      ],
      observable:
        'Block the task in `read` on an idle pipe, then call `pause`: invariant 2 fails (the wait never ends). With `interrupt` first the task leaves the system call, the quiesce handler stops it and the wait ends.',
      symptom: 'The debugger hangs on `await stopped` while the task sleeps in a system call.',
      bad: `engine pauser {
  state want_stop: bool = false
  on quiesce when want_stop do stop
  on quiesce do resume
  control pause do
    set want_stop = true
    then stop match {
      stopped => nothing
      pending => await stopped match { stopped => nothing  gone => nothing }
      gone    => nothing
    }
  control go do
    stop match {
      stopped => set want_stop = false then resume
      pending => nothing
      gone    => nothing
    }
}`,
      good: `engine pauser {
  state want_stop: bool = false
  on quiesce when want_stop do stop
  on quiesce do resume
  control pause do
    set want_stop = true
    then interrupt
    then stop match {
      stopped => nothing
      pending => await stopped match { stopped => nothing  gone => nothing }
      gone    => nothing
    }
  control go do
    stop match {
      stopped => set want_stop = false then resume
      pending => nothing
      gone    => nothing
    }
}`,
      fix:
        'Call `interrupt` before `stop` (the fix inserts `interrupt then`), and make `on quiesce` return `stop` ' +
        'while the stop is wanted; or bound the wait with `await stopped within D` and handle `timeout`.',
      reference: 'utrace-semantics §7.3 (STOP, INTERRUPT), §17 A11; races.md UTR3010',
    },
  },
  (engine, ctx) => {
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      const expect = pendingExpectation(path, index, ev);
      const wait = expect?.awaits;
      if (wait === undefined || wait.bounded || seen.has(ev.node.span.start)) continue;
      const waitAt = path.trace.indexOf(wait);
      const interrupted = path.trace.slice(0, waitAt).some((e) => e.kind === 'call' && e.call === 'interrupt');
      if (interrupted) continue;
      seen.add(ev.node.span.start);
      ctx.report({
        span: callSpan(ev),
        message: `\`stop\` in ${body.label} is awaited without a limit, but it cannot stop a task blocked in a system call`,
        label: 'does not interrupt a sleeping system call',
        related: [{ span: callSpan(wait), message: 'waits forever if the task sleeps in the kernel' }],
        notes: [
          '`stop` waits for the next report point; only `interrupt` breaks an interruptible sleep (utrace-semantics §7.3)',
        ],
        help: 'call `interrupt` before `stop`, or bound the wait with `within`',
        fix: {
          title: 'interrupt the task before stopping it',
          applicability: 'unsafe',
          edits: [{ span: { start: ev.node.span.start, end: ev.node.span.start }, newText: 'interrupt then ' }],
        },
      });
    }
  },
);
