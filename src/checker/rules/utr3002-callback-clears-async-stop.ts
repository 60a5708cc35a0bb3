/** UTR3002: a pending `stop` that the engine's own quiesce handler can cancel by answering something else. */
import { allowsAllTrue } from '../analysis/conditions.js';
import type { HandlerPath } from '../analysis/model.js';
import { callSpan, controlCalls, handlerName, pendingExpectation, quiescePaths } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { guardedQuiesceFix, racingHandlers } from './support.js';

/** Actions that keep the wanted stop (`stop`) or give the task up altogether (`detach`). */
const KEEPS_STOP = new Set(['stop', 'detach']);

/** Events whose handlers cannot cancel a pending stop: quiesce (checked first, on its own), a real signal (the
 * pending report is served, and the stop taken, before the signal is dequeued), the end of the task (`death`,
 * `reap`: nothing is left to stop) and the control-side `attach`/`detach`. */
const NOT_IN_PASS = new Set(['quiesce', 'signal', 'death', 'reap', 'attach', 'detach']);

export const callbackClearsAsyncStop = defineRule(
  {
    code: 'UTR3002',
    name: 'callback-clears-async-stop',
    severity: 'warning',
    category: 'stop',
    summary: "A pending `stop` can be cancelled by the engine's own `on quiesce` handler returning a non-stop action.",
    fix: 'sometimes',
    docs: {
      what:
        'Control code calls `stop`, may get `pending`, and still wants the stop served: it set a boolean flag ' +
        'before the call and leaves it set, or it goes on to `await stopped`. The rule fires when a path of the ' +
        "engine's `on quiesce` handler (including the default `resume` when no guard holds) can answer with " +
        '`resume`, `report`, `interrupt` or a step while that flag is set, without serving the request (clearing ' +
        'the flag).',
      why:
        'A `stop` on a running task sets the engine\'s "wants stop" bit and asks for a report. The stop happens ' +
        'only if the callback that report leads to returns `stop`: every callback return *replaces* the bit, so ' +
        'a quiesce handler that returns `resume` cancels the request. The debugger then waits for a stop that ' +
        'never comes. The discipline (ptrace\'s and SystemTap\'s): a private "stop wanted" flag set *before* ' +
        '`stop`, and a quiesce handler that returns `stop` (or takes the sample and clears the flag) while it is set.',
      scenario: [
        'Control code sets `want_stop = true` and calls `stop`; the task is running, so the result is `pending` ' +
          "(the engine's stop bit is set and a report is requested).",
        "The task reaches its next report point; utrace calls the engine's `on quiesce` handler.",
        "The handler does not look at `want_stop` and returns `resume`; utrace clears the engine's stop bit.",
        'The task returns to user mode and keeps running.',
        'Control code waits in `await stopped` (or expects the quiesce handler to act on `want_stop`); nothing ever ' +
          'happens.',
      ],
      observable:
        'Call `pause` while the task runs, so `stop` answers `pending`; let the task reach a quiesce report. Invariant 2 (no wait that cannot end) fails: `await stopped` times out although the task kept reaching report points. The good example stops at that report.',
      symptom: 'The stop is silently lost; the debugger hangs in `await stopped` or never gets its sample.',
      bad: `engine pauser {
  state want_stop: bool = false
  control pause do
    set want_stop = true
    then stop match {
      stopped => nothing
      pending => await stopped within 1s match { stopped => nothing  timeout => nothing  gone => nothing }
      gone    => nothing
    }
  control go do
    stop match {
      stopped => set want_stop = false then resume
      pending => nothing
      gone    => nothing
    }
  on quiesce do resume
}`,
      good: `engine pauser {
  state want_stop: bool = false
  control pause do
    set want_stop = true
    then stop match {
      stopped => nothing
      pending => await stopped within 1s match { stopped => nothing  timeout => nothing  gone => nothing }
      gone    => nothing
    }
  control go do
    stop match {
      stopped => set want_stop = false then resume
      pending => nothing
      gone    => nothing
    }
  on quiesce when want_stop do stop
  on quiesce do resume
}`,
      fix:
        'Set a boolean flag before `stop`, add `on quiesce when FLAG do stop` (or a handler that serves the ' +
        "request and clears the flag, like the sampler's `on quiesce when want_sample do fetch regs into samples " +
        'then set want_sample = false then resume`) ahead of the other quiesce handlers, and clear the flag when ' +
        'the stop has been served. When the control code already sets a single flag, the fix inserts ' +
        '`on quiesce when FLAG do stop` before the first quiesce handler.',
      reference: 'utrace-semantics §11.1, §7.3, §10.2; races.md UTR3002',
      limits:
        'The quiesce handler is checked for every pending stop: every report a pending stop leads to runs it first ' +
        '(real signals too, because a pending report is served before the signal is dequeued). When the control ' +
        'code set a flag before `stop`, the handlers of the other events reported in the same pass (`on exit`, ' +
        '`on exec`, `on syscall_entry`, …; not `on signal`, `on death`, `on reap`) are checked too: their answer ' +
        "replaces the quiesce handler's `stop` (utrace-semantics §11.8). An engine without `on quiesce` is UTR3006.",
    },
  },
  (engine, ctx) => {
    const quiesce = quiescePaths(engine);
    if (quiesce.length === 0) return;
    // The report a pending stop leads to runs the quiesce handler first, then, in the same pass, the handler of the
    // event being reported: its answer replaces the quiesce handler's `stop` just the same (gdbstub's `on exit`).
    const others = [...engine.handlerPaths.entries()]
      .filter(([event]) => !NOT_IN_PASS.has(event))
      .flatMap(([, paths]) => paths);
    const seen = new Set<number>();
    for (const { body, path, index, ev } of controlCalls(engine)) {
      const expect = pendingExpectation(path, index, ev);
      if (expect === undefined) continue; // a probe: nobody expects the pending stop to be served
      const wanted = expect.wanted;
      // Other handlers are held to a flag the control code itself set before the stop (the request it left for
      // the handlers to honour); a flag it only tested says nothing about what those handlers should answer.
      const set = wanted.filter((f) =>
        path.trace.slice(0, index).some((e) => e.kind === 'write' && e.state === f && e.value === true),
      );
      const cancels = (hp: HandlerPath, flags: readonly string[]): boolean =>
        hp.final !== undefined &&
        !KEEPS_STOP.has(hp.final.action) &&
        allowsAllTrue(hp.path.assume, flags) &&
        !hp.path.trace.some((e) => e.kind === 'write' && e.value !== true && flags.includes(e.state));
      // A quiesce path that keeps the stop because of the flag (its guard requires it) leaves some flags true (those it did not clear, those it
      // set): a later handler of the pass that can answer something else with those flags true cancels the stop.
      const kept =
        set.length === 0
          ? []
          : quiesce
              .filter((hp) => hp.final?.action === 'stop' && set.some((f) => hp.path.assume.get(f) === true))
              .map((hp) => [
                ...set.filter(
                  (f) => !hp.path.trace.some((e) => e.kind === 'write' && e.state === f && e.value !== true),
                ),
                ...hp.path.trace.flatMap((e) => (e.kind === 'write' && e.value === true ? [e.state] : [])),
              ])
              // A quiesce path that cleared every flag served the request (it took the sample, say): the stop it
              // keeps is its own, and a later `resume` in the pass cancels nothing the control code asked for.
              .filter((flags) => flags.length > 0);
      const offenders: HandlerPath[] = [
        ...quiesce.filter((hp) => cancels(hp, wanted)),
        ...others.filter((hp) => kept.some((flags) => cancels(hp, flags))),
      ];
      const first = offenders[0];
      if (first === undefined || seen.has(ev.node.span.start)) continue;
      seen.add(ev.node.span.start);
      const flagText = wanted.length > 0 ? wanted.map((w) => `\`${w}\``).join(', ') : undefined;
      const related = racingHandlers(
        offenders,
        (hp) => `returns \`${hp.final?.action ?? 'resume'}\` and cancels the stop`,
      );
      const flag = wanted.length === 1 ? wanted[0] : undefined;
      // The mechanical fix adds a guarded quiesce handler; when quiesce already keeps the stop, the offender is
      // another handler of the pass, and the guard belongs there (the author decides its other effects).
      const fix =
        flag === undefined || first.event !== 'quiesce'
          ? undefined
          : guardedQuiesceFix(engine, flag, 'stop', `keep the stop while \`${flag}\` is set`);
      ctx.report({
        span: callSpan(ev),
        message: `\`stop\` in ${body.label} can be cancelled by ${handlerName(first, ctx.text)} returning \`${first.final?.action ?? 'resume'}\``,
        label: flagText
          ? `stop wanted (${flagText} set) but may only be pending`
          : 'may only be pending; awaited below',
        related,
        notes: [
          'a pending stop is served only if the next quiesce report returns `stop`; any other answer clears it (utrace-semantics §11.1)',
        ],
        help: flagText
          ? `make \`on ${first.event}\` return \`stop\` while ${flagText} is set, or serve the request there and clear the flag`
          : 'set a flag before `stop` and make `on quiesce` return `stop` while it is set',
        ...(fix ? { fix } : {}),
      });
    }
  },
);
