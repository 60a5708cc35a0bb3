/** UTR3007: a step request that the engine's quiesce handler drops by answering plain `resume`. */
import type { Span } from '../../diagnostics/source.js';
import { allowsAllTrue } from '../analysis/conditions.js';
import { callSpan, controlCalls, handlerFlagsTrue, handlerName, quiescePaths } from '../analysis/queries.js';
import { defineRule } from './rule.js';
import { guardedQuiesceFix, racingHandlers } from './support.js';

const STEPS = new Set(['singlestep', 'blockstep']);

export const stepNotRestated = defineRule(
  {
    code: 'UTR3007',
    name: 'step-not-restated',
    severity: 'warning',
    category: 'resume',
    summary: 'The engine asks for a single or block step, but its `on quiesce` handler can answer plain `resume`.',
    fix: 'sometimes',
    docs: {
      what:
        'The engine requests `singlestep` or `blockstep` (a control call, or a non-quiesce handler returning it) ' +
        'and either has no `on quiesce` handler, or has one that can return `resume` while the step is wanted ' +
        '(while every boolean flag set before the step request is still true).',
      why:
        'A step request is used up at the start of the next report pass; the last callbacks before user mode ' +
        'decide how the task goes on, and a quiesce handler that returns `resume` there wins over the earlier ' +
        'step ("the last round of calls decides"). ptrace keeps stepping working by returning the step action ' +
        'from its quiesce callback every time. Without a quiesce handler the engine cannot restate the step at ' +
        'all, and utrace rejects step requests from engines not subscribed to quiesce.',
      scenario: [
        'The task is stopped; control code calls `singlestep` (result `done`).',
        'The task wakes; before it returns to user mode another report pass runs (a pending report, a syscall ' +
          "exit, a second engine), which calls the engine's `on quiesce`.",
        "The quiesce handler returns `resume`; the pass's final action becomes `resume` and the step request is gone.",
        'The task runs freely instead of executing one instruction.',
      ],
      observable:
        "Park the task at a system call entry, call the stepping control, and let the syscall exit answer `report`, so a quiesce pass runs before user mode: the bad engine's plain `resume` there drops the step and no step trap (SIGTRAP) is ever reported. Restating the step from `on quiesce` makes the trap come under the same schedule.",
      symptom: 'The step is dropped: the task runs to the next breakpoint or to exit instead of stepping.',
      bad: `engine stepper {
  state stepping: bool = false
  state steps: count
  on quiesce do resume
  control step do
    stop match {
      stopped => set stepping = true then singlestep
      pending => nothing
      gone    => nothing
    }
}`,
      good: `engine stepper {
  state stepping: bool = false
  state steps: count
  on quiesce when stepping do steps += 1 then singlestep
  on quiesce do resume
  control step do
    stop match {
      stopped => set stepping = true then singlestep
      pending => nothing
      gone    => nothing
    }
}`,
      fix:
        'Keep a flag while stepping and return the step action from `on quiesce` while it is set (`on quiesce when ' +
        'stepping do singlestep`). When exactly one flag is set before the step request, the fix inserts that ' +
        'handler ahead of the other quiesce handlers.',
      reference: 'utrace-semantics §5.3, §7.3, §17 A3; races.md UTR3007',
    },
  },
  (engine, ctx) => {
    const sites: { span: Span; what: string; flags: readonly string[]; action: string }[] = [];
    for (const { body, ev } of controlCalls(engine)) {
      if (STEPS.has(ev.call))
        sites.push({
          span: callSpan(ev),
          what: `\`${ev.call}\` in ${body.label}`,
          flags: ev.flagsTrue,
          action: ev.call,
        });
    }
    for (const hp of engine.allHandlerPaths) {
      if (hp.event === 'quiesce' || hp.final === undefined || !STEPS.has(hp.final.action)) continue;
      sites.push({
        span: hp.final.span,
        what: `\`${hp.final.action}\` returned from \`on ${hp.event}\``,
        flags: handlerFlagsTrue(hp),
        action: hp.final.action,
      });
    }
    const quiesce = quiescePaths(engine);
    const seen = new Set<number>();
    for (const site of sites) {
      if (seen.has(site.span.start)) continue;
      seen.add(site.span.start);
      if (quiesce.length === 0) {
        ctx.report({
          span: site.span,
          message: `${site.what} cannot be restated: engine \`${engine.name}\` has no \`on quiesce\` handler`,
          label: 'step requested here',
          related: [{ span: engine.checked.node.name.span, message: 'no `on quiesce` handler in this engine' }],
          notes: [
            'a step request is used up by the next report pass; only the last callbacks before user mode keep it (utrace-semantics §5.3)',
          ],
          help: `add \`on quiesce when FLAG do ${site.action}\` and set FLAG while stepping`,
        });
        continue;
      }
      const offenders = quiesce.filter(
        (hp) => hp.final?.action === 'resume' && allowsAllTrue(hp.path.assume, site.flags),
      );
      const first = offenders[0];
      if (first === undefined) continue;
      const related = racingHandlers(offenders, () => 'returns plain `resume` and drops the step');
      const flag = site.flags.length === 1 ? site.flags[0] : undefined;
      const fix =
        flag === undefined
          ? undefined
          : guardedQuiesceFix(
              engine,
              flag,
              site.action,
              `restate the step from \`on quiesce\` while \`${flag}\` is set`,
            );
      ctx.report({
        span: site.span,
        message: `${site.what} is dropped when ${handlerName(first, ctx.text)} returns \`resume\``,
        label: 'step requested here',
        related,
        notes: [
          'the last round of callbacks before user mode decides the action; a step must be re-stated there (utrace-semantics §5.3)',
        ],
        help: `return \`${site.action}\` from \`on quiesce\` while stepping`,
        ...(fix ? { fix } : {}),
      });
    }
  },
);
