/** UTR3011: control code decides on state a handler can change, then acts on the decision with a utrace call. */
import type { PathEvent, WriteEvent } from '../analysis/paths.js';
import { after, callName, callSpan, handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';

/** Calls that act on a decision. A matched `stop` is not one: it re-validates (ptrace's check-attach). */
const ACTS = new Set(['resume', 'report', 'interrupt', 'singlestep', 'blockstep', 'detach', 'events']);

/** After death every call answers `gone` (UTR3008's business), so writes from these handlers do not count here. */
const FINAL_EVENTS = new Set(['death', 'reap']);

export const checkThenActOnSharedState = defineRule(
  {
    code: 'UTR3011',
    name: 'check-then-act-on-shared-state',
    severity: 'warning',
    category: 'ordering',
    summary: 'Control code tests state a handler can change, then makes a utrace call based on the stale answer.',
    fix: 'never',
    docs: {
      what:
        "Control code reads engine state in a decision (an `if`, a value `match`, a timer's `when` guard) while " +
        'the task is not confirmed stopped, and then, on the chosen branch, with no `barrier` and no confirmed stop ' +
        'in between, makes a utrace call that acts on it (`resume`, `detach`, `events`, a step, …; a matched ' +
        '`stop` re-validates instead); and some handler (other than `on death`/`on reap`) writes that state in a way that ' +
        'can change the decision with `set` (for a boolean tested as `x`, a handler that can set it to `false` or ' +
        'to an unknown value; counters and lists that only grow are not counted).',
      why:
        'Handlers run on the task concurrently with control code. Between the read and the call, a handler can ' +
        'change the state, so the call acts on a decision that no longer holds (an atomicity violation across the ' +
        'two threads). While the task is confirmed stopped no handler runs, so decisions taken there are safe.',
      scenario: [
        'Control code tests `if held` and finds `true`: the task is parked at an exec stop.',
        'SIGCONT arrives; the task, running its signal report, enters `on signal`, sets `held = false` and returns ' +
          '`resume`.',
        'Control code, still on the `held` branch, calls `detach`, meant for a parked task.',
        'The detach lands on a running task; whatever the engine meant to do before letting it go is skipped.',
      ],
      observable:
        'Not shown in the simulator: the schedule above cannot happen under utrace. `held` is cleared only by the SIGCONT handler, and a handler runs only on a task that runs: a task parked at the exec stop takes its signals after something resumes it, and a task between `on exec` and its quiesce stop is stopped by `on quiesce when held do stop` before it dequeues SIGCONT. So `held` cannot go stale between the test and the `detach`, and the explorer finds no bad outcome on this example. The pattern is a real hazard when something else can resume the task in between (another control, a timer, another engine); a firing fixture with such a resumer is needed before this rule counts as shown.',
      symptom: 'A decision made on stale state: the wrong utrace call at the wrong moment.',
      bad: `engine releaser {
  state held: bool = false
  on exec(e) do set held = true then stop
  on signal(sig) when sig.signo == SIGCONT do set held = false then resume
  on quiesce when held do stop
  on quiesce do resume
  control release do
    if held {
      detach
    }
}`,
      good: `engine releaser {
  state held: bool = false
  on exec(e) do set held = true then stop
  on signal(sig) when sig.signo == SIGCONT do set held = false then resume
  on quiesce when held do stop
  on quiesce do resume
  control release do
    stop match {
      stopped => if held { detach } else { resume }
      pending => nothing
      gone    => nothing
    }
}`,
      fix: 'Decide inside the handler (the handler returns the action), or decide after a confirmed stop (in the `stopped` arm), or re-check after `barrier`.',
      reference: 'utrace-semantics §5.2 (callbacks run concurrently with the tracer), §8; races.md UTR3011',
    },
  },
  (engine, ctx) => {
    const seen = new Set<number>();
    for (const body of engine.controls) {
      for (const path of body.paths) {
        path.trace.forEach((ev, index) => {
          if (ev.kind !== 'branch' || ev.stopped || seen.has(ev.span.start)) return;
          const act = after(path, index, (e) => e.kind === 'call' && e.call === 'barrier').find(
            (e): e is Extract<PathEvent, { kind: 'call' }> => e.kind === 'call' && ACTS.has(e.call) && !e.stoppedBefore,
          );
          if (act === undefined) return;
          for (const read of ev.reads) {
            const name = read.name.name;
            const assumed = ev.assumed.get(name);
            const writer = (engine.handlerWrites.get(name) ?? []).find(
              (w) => !FINAL_EVENTS.has(w.at.event) && invalidates(w.event, assumed),
            );
            if (writer === undefined) continue;
            seen.add(ev.span.start);
            ctx.report({
              span: read.span,
              message: `${body.label} decides on \`${name}\` and then calls ${callName(act, ctx.text)}, but ${handlerName(writer.at, ctx.text)} can change \`${name}\` in between`,
              label: 'read while the task runs',
              related: [
                { span: callSpan(act), message: 'acts on the decision' },
                { span: writer.event.node.span, message: `a handler writes \`${name}\` concurrently` },
              ],
              notes: ['handlers run on the task while control code runs; only a confirmed stop keeps them out'],
              help: 'decide inside the handler, or in the `stopped` arm of `stop match { … }`, or re-check after `barrier`',
            });
            return;
          }
        });
      }
    }
  },
);

/**
 * Whether a handler's write can change a decision that assumed `assumed` for a boolean (undefined: not a boolean
 * test). Accumulating writes (`+=`, `append`, `fetch … into`) only grow counters and samples, and decisions on
 * those are thresholds that growth does not undo, so only `set` counts.
 */
function invalidates(w: WriteEvent, assumed: boolean | undefined): boolean {
  if (w.step.kind !== 'SetStep') return false;
  return assumed === undefined || w.value !== assumed;
}
