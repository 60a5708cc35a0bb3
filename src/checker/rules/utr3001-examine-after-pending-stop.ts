/**
 * UTR3001: control code acts as if `stop` were in force where it may only be pending: it examines the task or
 * steps it from a stop point it has not confirmed.
 */
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import type { CallEvent } from '../analysis/paths.js';
import { callName, callSpan } from '../analysis/queries.js';
import { defineRule } from './rule.js';

const STEPS = new Set(['singlestep', 'blockstep']);

export const examineAfterPendingStop = defineRule(
  {
    code: 'UTR3001',
    name: 'examine-after-pending-stop',
    severity: 'warning',
    category: 'examine',
    summary: 'Control code examines or single-steps the task where its stop may only be pending, not in force.',
    fix: 'never',
    docs: {
      what:
        'Control code (a `control`, a timer, `on attach`/`on detach`) treats the task as stopped at a point where ' +
        "this engine's stop is not confirmed in force (after `stop` returned `pending`, outside any `stopped` arm, " +
        'or after a call that let the task run again): it reads registers or memory (`fetch`, `path()`), or asks ' +
        'for `singlestep`/`blockstep`, a step that only means something from a known stop point.',
      why:
        '`stop` on a running task only *asks* for a stop (utrace returns `-EINPROGRESS`); the task keeps running ' +
        'until a quiesce report of this engine answers `stop`. Registers read meanwhile belong to a task that is ' +
        'executing, so they are torn or stale (utrace refuses `utrace_prepare_examine` unless the stop is really ' +
        "in force). A step request on a running task is not refused: it is carried out at the task's next return " +
        'to user mode, after an unknown stretch of code, so the debugger steps from a place it never saw.',
      scenario: [
        'The task runs user code in a loop.',
        'Control code calls `stop`; the task is running, so the result is `pending`.',
        'On the `pending` path, control code calls `singlestep` (result `done`).',
        'The task keeps running until its next return to user mode, then executes one instruction and traps.',
        'The debugger reports "stepped one instruction" from a program counter it never examined; the trap lands ' +
          'somewhere unrelated to the last stop.',
      ],
      observable:
        "Run the bad example's `step` while the task spins in user code: `stop` answers `pending`, the step is taken at the next return to user mode; assert (invariant 1 for examine, or the recorded step's start PC) that the step did not start at a stop point the debugger saw. The good example under the same schedule does nothing on `pending`.",
      symptom: 'Garbage samples, or single steps that start from an unknown place.',
      bad: `engine stepper {
  state stepping: bool = false
  on quiesce when stepping do singlestep
  on quiesce do resume
  control step do
    stop match {
      stopped => set stepping = true then singlestep
      pending => set stepping = true then singlestep
      gone    => nothing
    }
}`,
      good: `engine stepper {
  state stepping: bool = false
  on quiesce when stepping do singlestep
  on quiesce do resume
  control step do
    stop match {
      stopped => set stepping = true then singlestep
      pending => nothing
      gone    => nothing
    }
}`,
      fix:
        'Examine and step only inside the `stopped` arm of `stop` or `await stopped`, before any call that ' +
        'resumes the task; on `pending` do nothing (the debugger retries) or wait with `await stopped within D`. ' +
        'Or take the sample in the handler the pending stop leads to (`on quiesce when want_sample do fetch regs ' +
        'into samples …`).',
      reference: 'utrace-semantics §7.3, §9; races.md UTR3001',
      limits:
        'Examining the task where it is not known to be stopped is already a type error (UTR2034, with the same ' +
        'flow-sensitive typestate), so on well-typed programs this rule reports the stepping half; it does not ' +
        'repeat a UTR2034 at the same place.',
    },
  },
  (engine, ctx) => {
    const typeErrors = ctx.file.checked.diagnostics.filter((d) => d.code === 'UTR2034');
    const seen = new Set<number>();
    for (const body of engine.controls) {
      for (const path of body.paths) {
        let lastStop: CallEvent | undefined;
        let lastRelease: CallEvent | undefined;
        for (const ev of path.trace) {
          if (ev.kind === 'call') {
            const stepping = STEPS.has(ev.call) && !ev.stoppedBefore;
            if (stepping && !seen.has(ev.node.span.start)) {
              seen.add(ev.node.span.start);
              report(
                `${callName(ev, ctx.text)} in ${body.label} steps a task that is not known to be stopped`,
                callSpan(ev),
                lastStop,
                lastRelease,
              );
            }
            if (ev.call === 'stop') lastStop = ev;
            if (ev.stoppedBefore && ev.call !== 'stop' && ev.call !== 'barrier' && ev.call !== 'events')
              lastRelease = ev;
            continue;
          }
          if (ev.kind !== 'examine' || ev.stopped || seen.has(ev.span.start)) continue;
          if (typeErrors.some((d) => d.span.start < ev.span.end && ev.span.start < d.span.end)) continue;
          seen.add(ev.span.start);
          const what = ev.step?.kind === 'FetchStep' ? `\`fetch ${ev.step.what}\`` : '`path()`';
          report(
            `${what} in ${body.label} examines a task that is not known to be stopped`,
            ev.span,
            lastStop,
            ev.releasedBy,
          );
        }
      }
    }

    function report(
      message: string,
      span: { start: number; end: number },
      stop?: CallEvent,
      release?: CallEvent,
    ): void {
      const related: RelatedSpan[] = [];
      if (release)
        related.push({ span: callSpan(release), message: `${callName(release, ctx.text)} let the task run again` });
      else if (stop?.statuses.includes('pending'))
        related.push({ span: callSpan(stop), message: 'this stop may only be pending here' });
      // The other side: where the task, not the debugger, would be the right place to do this.
      const q = engine.checked.handlersFor('quiesce').find((h) => h.reachable);
      if (q) related.push({ span: q.node.event.span, message: 'a pending stop is served here, on the task' });
      ctx.report({
        span,
        message,
        label: 'the task may be running here',
        related,
        notes: [
          'a pending stop is only a request: the task runs until a quiesce report answers `stop` (utrace-semantics §7.3)',
        ],
        help: 'do this inside the `stopped` arm of `stop match { … }` (or `await stopped`), before resuming',
      });
    }
  },
);
