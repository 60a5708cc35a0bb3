/** UTR3011: control code decides on state a handler can change, then acts on the decision with a utrace call. */
import type { Path, PathEvent, WriteEvent } from '../analysis/paths.js';
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
        '`stop` re-validates instead); and some handler (other than `on death`/`on reap`), or another control, ' +
        'writes that state in a way that can change the decision with `set` (for a boolean tested as `x`, a write ' +
        'that can set it to `false` or to an unknown value; counters and lists that only grow are not counted).',
      why:
        'Handlers run on the task concurrently with control code, and controls run concurrently with each other. ' +
        'Between the read and the call, a handler or another command can change the state, so the call acts on a ' +
        'decision that no longer holds (an atomicity violation). While the task is confirmed stopped no handler ' +
        'runs, and a decision that also claims the stop (clears the flag before acting) leaves other commands ' +
        'nothing to act on.',
      scenario: [
        'A signal parks the task; `on signal` sets `held`.',
        'Control `release` tests `if held` and finds `true`.',
        'Control `cont` confirms the stop, clears `held` and resumes: the task runs into its next system call.',
        '`release`, still on the `held` branch, calls `detach`, meant for a parked task. It lands while ' +
          '`on syscall_entry` runs: the result is only `pending`, and the callback writes `calls` after `release` ' +
          'has finished with the engine.',
      ],
      observable:
        '`utrc explore examples/racy/utr3011-check-then-act-on-shared-state.utr` shows it under both semantics: ' +
        "`callback-after-detach`, on the schedule where `cont` runs between `release`'s test and its `detach`. " +
        'A handler alone cannot make the test stale while the task is parked (no handler runs on a parked task); ' +
        'another command that lets the task go can.',
      symptom: 'A decision made on stale state: the wrong utrace call at the wrong moment.',
      bad: `engine releaser {
  state held: bool = false
  state calls: count
  on signal(sig) do set held = true then fate ignore then stop
  on syscall_entry(call) do calls += 1 then resume
  on quiesce when held do stop
  on quiesce do resume
  control cont do
    if held {
      stop match {
        stopped => if held { set held = false then resume } else { nothing }
        pending => nothing
        gone    => nothing
      }
    } else {
      nothing
    }
  control release do
    if held {
      detach
    }
}`,
      good: `engine releaser {
  state held: bool = false
  state calls: count
  on signal(sig) do set held = true then fate ignore then stop
  on syscall_entry(call) do calls += 1 then resume
  on quiesce when held do stop
  on quiesce do resume
  control cont do
    if held {
      stop match {
        stopped => if held { set held = false then resume } else { nothing }
        pending => nothing
        gone    => nothing
      }
    } else {
      nothing
    }
  control release do
    stop match {
      stopped => if held { set held = false then detach } else { resume }
      pending => nothing
      gone    => nothing
    }
}`,
      fix: 'Decide inside the handler (the handler returns the action), or decide after a confirmed stop (in the `stopped` arm) and claim it (clear the flag before the call), or re-check after `barrier`.',
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
            // Other control code runs concurrently too, and unlike a handler it also runs while the task is parked: a
            // second command that resumes the task and clears the flag makes the decision stale just the same.
            // A test followed by a `set` of the same state before any runtime call is a claim (test-and-set): no
            // scheduling point separates the two, so no other control can slip in (a lock such as a stub's `busy`).
            const other =
              writer === undefined && !claims(path, index, name)
                ? engine.controls
                    .filter((c) => c !== body && c.label.startsWith('control '))
                    .flatMap((c) => c.paths.flatMap((p) => p.trace.map((w) => ({ c, w }))))
                    .find(
                      (x): x is { c: typeof body; w: WriteEvent } =>
                        x.w.kind === 'write' && x.w.state === name && invalidates(x.w, assumed),
                    )
                : undefined;
            if (writer === undefined && other === undefined) continue;
            seen.add(ev.span.start);
            const who = writer !== undefined ? handlerName(writer.at, ctx.text) : (other?.c.label ?? '');
            const span = writer !== undefined ? writer.event.node.span : (other?.w.node.span ?? read.span);
            ctx.report({
              span: read.span,
              message: `${body.label} decides on \`${name}\` and then calls ${callName(act, ctx.text)}, but ${who} can change \`${name}\` in between`,
              label: 'read while the task runs',
              related: [
                { span: callSpan(act), message: 'acts on the decision' },
                {
                  span,
                  message:
                    writer !== undefined
                      ? `a handler writes \`${name}\` concurrently`
                      : `another control writes \`${name}\` concurrently`,
                },
              ],
              notes: [
                writer !== undefined
                  ? 'handlers run on the task while control code runs; only a confirmed stop keeps them out'
                  : 'controls run concurrently with each other; a decision and the call it leads to are not atomic',
              ],
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

/** Whether the path sets `name` after the branch at `index` before any runtime call (an atomic test-and-set). */
function claims(path: Path, index: number, name: string): boolean {
  return after(path, index, isRuntimeCall).some(
    (e) => e.kind === 'write' && e.state === name && e.step.kind === 'SetStep',
  );
}

/** An event that reaches the runtime, and so is a point where other control code can run. */
function isRuntimeCall(e: PathEvent): boolean {
  return e.kind === 'call' || e.kind === 'examine' || e.kind === 'attach' || e.kind === 'final';
}
