/** UTR3014: an engine is attached to a task recorded earlier (a clone's child) instead of inside `on clone`. */
import type { AttachStep, Expr } from '../../parser/ast.js';
import type { CheckedEngine } from '../program.js';
import { handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';

export const attachChildOutsideClone = defineRule(
  {
    code: 'UTR3014',
    name: 'attach-child-outside-clone',
    severity: 'warning',
    category: 'lifecycle',
    summary: 'An engine is attached to a task kept in state, after the task already ran, instead of inside `on clone`.',
    fix: 'never',
    docs: {
      what:
        "`attach E to T` where `T` reads engine state (a task saved earlier, typically a clone's child), outside " +
        'an `on clone` handler: in control code, or in another handler.',
      why:
        "A new child cannot run until the parent's clone callbacks return: utrace holds `wake_up_new_task` back " +
        'for exactly this, so an engine attached from `on clone` sees every event of the child from its first ' +
        'instruction. Attaching later, from a task saved in state, leaves a window in which the child runs ' +
        'untraced: it may exec, make system calls, clone again or even exit before the engine is there.',
      scenario: [
        'The parent calls `clone`; `on clone` saves `c.child` in state and returns `resume`.',
        'The child starts running at once and calls `execve`.',
        'Control code later runs `attach follower to child`.',
        "The follower never sees the child's exec (nor anything before the attach).",
      ],
      observable:
        "Clone, let the child exec before `follow` runs, then call `follow`: the follower's exec count stays 0. Attaching in `on clone` under the same schedule counts the exec.",
      symptom: 'Missed events of new children: the first system calls, the exec, short-lived children entirely.',
      bad: `engine parent {
  state child: task
  state have_child: bool = false
  on clone(c) do set child = c.child then set have_child = true then resume
  control follow do
    if have_child {
      attach follower to child
    }
}

engine follower {
  state execs: count
  on exec(e) do execs += 1 then resume
}`,
      good: `engine parent {
  on clone(c) do attach follower to c.child then resume
}

engine follower {
  state execs: count
  on exec(e) do execs += 1 then resume
}`,
      fix: 'Attach inside `on clone(c)`: `attach follower to c.child`, while the child is held back.',
      reference:
        'utrace-semantics §5.2 (report_clone: "before it can run"), §11.5; races.md (attach to a child in clone)',
    },
  },
  (engine, ctx) => {
    const sites: { label: string; node: AttachStep }[] = [];
    for (const hp of engine.allHandlerPaths) {
      if (hp.event === 'clone') continue;
      for (const e of hp.path.trace)
        if (e.kind === 'attach') sites.push({ label: handlerName(hp, ctx.text), node: e.node });
    }
    for (const body of engine.controls) {
      for (const p of body.paths)
        for (const e of p.trace) if (e.kind === 'attach') sites.push({ label: body.label, node: e.node });
    }
    const seen = new Set<number>();
    for (const s of sites) {
      if (seen.has(s.node.span.start)) continue;
      seen.add(s.node.span.start);
      const stateRead = readsState(s.node.task, engine.checked);
      if (stateRead === undefined) continue;
      ctx.report({
        span: s.node.span,
        message: `\`attach ${s.node.engine.name}\` in ${s.label} comes too late: the task saved in \`${stateRead}\` has run untraced since it was saved`,
        label: "attaches too late to see the task's first events",
        related: [{ span: s.node.task.span, message: 'a task kept in state, not the child held back in `on clone`' }],
        notes: ['a new child is held back only until the clone callbacks return (utrace-semantics §5.2)'],
        help: `attach inside \`on clone(c)\`: \`attach ${s.node.engine.name} to c.child\``,
      });
    }
  },
);

/** The state variable at the root of a task expression (`child`, `children[i]`), if it is one. */
function readsState(expr: Expr, engine: CheckedEngine): string | undefined {
  let e = expr;
  while (e.kind === 'IndexExpr' || e.kind === 'FieldExpr') e = e.object;
  if (e.kind !== 'NameExpr') return undefined;
  const s = engine.symbolOf(e);
  return s?.kind === 'state' ? s.name : undefined;
}
