/** UTR3006: the engine stops the task in a way only a quiesce report can serve, but has no `on quiesce`. */
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import { callSpan, controlCalls, handlerFlagsTrue, pendingExpectation } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { appendHandlersFix } from './support.js';

/** Events whose `stop` is not served at the event itself but by the quiesce pass before user mode (§10.5). */
const DEFERRED = new Set(['exec', 'clone', 'syscall_exit', 'jctl', 'signal']);

interface Site {
  readonly span: Span;
  readonly what: string;
  readonly flags: readonly string[];
}

export const stopWithoutQuiesce = defineRule(
  {
    code: 'UTR3006',
    name: 'stop-without-quiesce',
    severity: 'warning',
    category: 'stop',
    summary: 'The engine asks for a stop that only a quiesce report can serve, but has no `on quiesce` handler.',
    fix: 'sometimes',
    docs: {
      what:
        'The engine stops the task asynchronously (a control `stop` whose `pending` outcome is expected to be ' +
        'served: a flag left set, or an `await stopped`) or returns `stop` from an event whose stop is ' +
        'deferred (`exec`, `clone`, `syscall_exit`, `jctl`, or `signal` unless the fate is `ignore`), and it has ' +
        'no `on quiesce` handler.',
      why:
        'Those stops do not happen where they are asked for: utrace turns them into a report request and the ' +
        'quiesce pass just before user mode decides whether the task really stops. An engine without a quiesce ' +
        'handler is not subscribed to that pass, so the request reaches the return-to-user point, finds nobody to ' +
        'ask and lets the task run. The stop happens late (at some later event that stops directly) or never.',
      scenario: [
        "The task calls `execve`; the engine's `on exec` handler returns `stop`.",
        'utrace defers the stop: it records a report request and lets the exec finish.',
        'At the return-to-user point the pending report looks for quiesce callbacks; the engine has none.',
        'The task returns to user mode and runs the new program.',
        'The debugger waits for an exec stop that never happens.',
      ],
      observable:
        'Let the task exec (or clone) so the handler returns `stop`; assert that the task reaches user mode without stopping (invariant 2 fails for a debugger awaiting the stop). With the quiesce handlers the task stops before user mode.',
      symptom: 'The stop happens late or not at all; `await stopped` hangs.',
      bad: `engine exec_stopper {
  state held: bool = false
  on exec(e) do set held = true then stop
  control cont do
    stop match {
      stopped => set held = false then resume
      pending => nothing
      gone    => nothing
    }
}`,
      good: `engine exec_stopper {
  state held: bool = false
  on exec(e) do set held = true then stop
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
        'Add `on quiesce` handlers that keep the stop while it is wanted: `on quiesce when held do stop` then ' +
        '`on quiesce do resume`. When a boolean flag is set before the stop, the fix inserts exactly these two.',
      reference:
        'utrace-semantics §11.8 ("STOP without QUIESCE is unreliable"), §10.5, §17 A4/A5/A11; races.md UTR3006',
      limits:
        'Another engine with a quiesce handler on the same task makes the stop work (§17 A11); the rule does not ' +
        "count on that, because engine order and presence are not under the engine's control.",
    },
  },
  (engine, ctx) => {
    if (engine.hasHandler('quiesce')) return;
    const sites: Site[] = [];
    for (const { body, path, index, ev } of controlCalls(engine)) {
      // A stop that returns `stopped` needs no report; one that may be pending matters when something expects it.
      if (ev.call === 'stop' && pendingExpectation(path, index, ev) !== undefined)
        sites.push({ span: callSpan(ev), what: `\`stop\` in ${body.label}`, flags: ev.flagsTrue });
    }
    for (const hp of engine.allHandlerPaths) {
      if (hp.final?.action !== 'stop' || !DEFERRED.has(hp.event)) continue;
      if (hp.event === 'signal' && hp.path.trace.some((e) => e.kind === 'fate' && e.fate === 'ignore')) continue;
      sites.push({
        span: hp.final.span,
        what: `\`stop\` returned from \`on ${hp.event}\``,
        flags: handlerFlagsTrue(hp),
      });
    }
    const unique = [...new Map(sites.map((s) => [s.span.start, s])).values()].sort(
      (a, b) => a.span.start - b.span.start,
    );
    const first = unique[0];
    if (first === undefined) return;
    const related: RelatedSpan[] = [
      { span: engine.checked.node.name.span, message: `engine \`${engine.name}\` has no \`on quiesce\` handler` },
      ...unique.slice(1, 4).map((s) => ({ span: s.span, message: `${s.what} needs it too` })),
    ];
    const flag = unique.find((s) => s.flags.length > 0)?.flags[0];
    const fix =
      flag === undefined
        ? undefined
        : appendHandlersFix(
            engine,
            ctx.source,
            `add \`on quiesce\` handlers that keep the stop while \`${flag}\` is set`,
            `  on quiesce when ${flag} do stop\n  on quiesce do resume\n`,
          );
    ctx.report({
      span: first.span,
      message: `${first.what} is served only by a quiesce report, but engine \`${engine.name}\` has no \`on quiesce\``,
      label: 'this stop waits for a quiesce pass that never asks this engine',
      related,
      notes: [
        'deferred and asynchronous stops are decided by the quiesce pass before user mode (utrace-semantics §10.5, §11.8)',
      ],
      help: flag
        ? `add \`on quiesce when ${flag} do stop\` and \`on quiesce do resume\``
        : 'add an `on quiesce` handler that returns `stop` while the stop is wanted',
      ...(fix ? { fix } : {}),
    });
  },
);
