/** UTR3012: a handler returns `resume` and records the task as running while another engine may keep it stopped. */
import type { Fix } from '../../diagnostics/diagnostic.js';
import { stoppingPeer } from '../analysis/engines.js';
import type { HandlerPath } from '../analysis/model.js';
import type { WriteEvent } from '../analysis/paths.js';
import { handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';

/** The literal boolean writes a handler path makes. */
function literalWrites(hp: HandlerPath): WriteEvent[] {
  return hp.path.trace.filter((e): e is WriteEvent => e.kind === 'write' && e.value !== null);
}

export const resumedAssumedRunning = defineRule(
  {
    code: 'UTR3012',
    name: 'resumed-assumed-running',
    severity: 'warning',
    category: 'multi-engine',
    summary:
      'A handler returns `resume` and records the task as running, while another engine on the task may keep it stopped.',
    fix: 'sometimes',
    docs: {
      what:
        'A handler path returns `resume` and sets a boolean state variable that the engine uses to track whether ' +
        'the task is stopped (another handler path sets it the opposite way and returns `stop`), and another ' +
        'engine of the same file may be attached to the same task and can stop it.',
      why:
        'Several engines on one task combine their answers and the strongest wins: `stop` from any of them keeps ' +
        'the task stopped, whatever this engine returned. "I returned `resume`" therefore does not mean "the task ' +
        'runs now". An engine that must know when the task really runs again returns `report`: utrace then ' +
        'promises another report after the task resumes, if a stop did happen.',
      scenario: [
        'Engines `tracker` and `breaker` are attached to the same task.',
        "At a syscall exit `tracker`'s handler sets `running = true` and returns `resume`.",
        "In the same pass `breaker`'s handler returns `stop`; the task stops.",
        "`tracker`'s state says the task runs; its control code acts on that (e.g. waits for a progress that never comes).",
      ],
      observable:
        "Shown by `utrc explore examples/racy/utr3012-resumed-assumed-running.utr` under both semantics: the example's " +
        '`assert not running` in `cont` fails (`engine-exception`) when `breaker` has stopped the task after ' +
        '`tracker` answered `resume` at a syscall exit; no fixed engine removes it: answering `report` instead of ' +
        '`resume` (the hint below) still writes `running = true` before the passes that decide whether the task runs, ' +
        "and no answer of `tracker`'s own can tell it that another engine stopped the task later. What removes the " +
        'symptom is keeping only what the engine decides itself (whether it holds the task), so the simulator test ' +
        'has no bad/good pair for this rule.',
      symptom: 'Wrong bookkeeping under multi-engine use: the engine believes a stopped task runs.',
      bad: `engine tracker {
  state running: bool = true
  on exec(e) do set running = false then stop
  on syscall_exit(call) do set running = true then resume
  on quiesce when not running do stop
  on quiesce do resume
  control cont do
    stop match {
      stopped => set running = true then resume
      pending => nothing
      gone    => nothing
    }
}

engine breaker {
  on signal(sig) do fate ignore then stop
  control go do
    stop match {
      stopped => resume
      pending => nothing
      gone    => nothing
    }
}`,
      good: `engine tracker {
  state running: bool = true
  on exec(e) do set running = false then stop
  on syscall_exit(call) do set running = true then report
  on quiesce when not running do stop
  on quiesce do resume
  control cont do
    stop match {
      stopped => set running = true then resume
      pending => nothing
      gone    => nothing
    }
}

engine breaker {
  on signal(sig) do fate ignore then stop
  control go do
    stop match {
      stopped => resume
      pending => nothing
      gone    => nothing
    }
}`,
      fix:
        'Return `report` instead of `resume` where the engine records the task as running, and update the state ' +
        'in the quiesce report that follows the real resumption. The fix replaces the action (unsafe: `report` ' +
        'costs an extra report pass).',
      reference: 'utrace-semantics §11.6, §6, §11.9; races.md UTR3012',
      limits:
        'Engines that no other engine attaches are assumed to be attached to the same traced task by the host ' +
        '(as `utrc run` does); `attach E to task` and attaches with the same task expression are followed.',
    },
  },
  (engine, ctx) => {
    // State a handler sets one way when it stops the task; set the other way before `resume` it claims "running".
    const stoppedValue = new Map<string, boolean>();
    for (const hp of engine.allHandlerPaths) {
      if (hp.final?.action !== 'stop') continue;
      for (const w of literalWrites(hp)) stoppedValue.set(w.state, w.value as boolean);
    }
    const seen = new Set<number>();
    for (const hp of engine.allHandlerPaths) {
      const final = hp.final;
      if (final?.action !== 'resume' || final.node === undefined || seen.has(final.span.start)) continue;
      const w = literalWrites(hp).find((x) => stoppedValue.has(x.state) && stoppedValue.get(x.state) !== x.value);
      if (w === undefined) continue;
      const peer = stoppingPeer(ctx.file, engine);
      if (peer === undefined) return;
      seen.add(final.span.start);
      const fix: Fix = {
        title: 'return `report` to see the task really resume',
        applicability: 'unsafe',
        edits: [{ span: final.span, newText: 'report' }],
      };
      ctx.report({
        span: final.span,
        message: `${handlerName(hp, ctx.text)} sets \`${w.state}\` as if \`resume\` let the task run, but engine \`${peer.peer.name}\` may keep it stopped`,
        label: '`resume` does not mean the task runs',
        related: [
          { span: w.node.span, message: `records the task as running` },
          { span: peer.span, message: `engine \`${peer.peer.name}\` on the same task can stop it` },
        ],
        notes: [
          "the strongest action of all engines wins; another engine's `stop` keeps the task stopped (utrace-semantics §11.6)",
        ],
        help: 'return `report` and update the state when the resumption is reported',
        fix,
      });
    }
  },
);
