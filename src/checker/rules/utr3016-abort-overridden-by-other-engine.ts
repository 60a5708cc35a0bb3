/** UTR3016: a syscall `abort` that another engine on the same task can undo in the same syscall-entry pass. */
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import { sameTaskPeers } from '../analysis/engines.js';
import { handlerName } from '../analysis/queries.js';
import { defineRule } from './rule.js';

export const abortOverriddenByOtherEngine = defineRule(
  {
    code: 'UTR3016',
    name: 'abort-overridden-by-other-engine',
    severity: 'warning',
    category: 'multi-engine',
    summary: 'A syscall `abort` can be undone by another engine on the same task that also reports syscall entry.',
    fix: 'never',
    docs: {
      what:
        'A `syscall_entry` handler uses `abort`, and another engine of the file that may be attached to the same ' +
        'task has an `on syscall_entry` or `on quiesce` handler.',
      why:
        'Whether the system call runs is decided by the syscall bits of the *last callback made* in the ' +
        'syscall-entry pass, and engines are called in reverse attach order, each with its quiesce callback ' +
        'first. Any engine called after the aborting one (one attached earlier) that has a quiesce or ' +
        'syscall-entry callback overwrites the bits with its own answer (normally "run"), so the abort is lost. ' +
        'Engines cannot choose their order. For a sandbox this means a forbidden call runs.',
      scenario: [
        'Engines `logger` (attached first, with `on quiesce`) and `sandbox` (attached second, aborting `unlinkat`) ' +
          'trace the same task.',
        "The task enters `unlinkat`; the pass runs in reverse attach order: `sandbox`'s callbacks first, returning " +
          '`abort`.',
        "`logger`'s quiesce callback runs next and returns without syscall bits; the pass keeps the last bits: run.",
        'The file is deleted although `sandbox` aborted the call.',
      ],
      observable:
        'Attach both engines (the logger first) and let the task call `unlinkat`: the call runs and returns 0. ' +
        'With the logger gone (or the abort decided by the engine called last) the call is skipped.',
      symptom: 'A system call the engine aborted runs anyway: a sandbox that does not hold.',
      bad: `engine logger {
  state reports: count
  on quiesce do reports += 1 then resume
}

engine sandbox {
  state blocked: count
  on syscall_entry(call) when call.nr == unlinkat do blocked += 1 then abort then resume
}`,
      good: `engine sandbox {
  state blocked: count
  state reports: count
  on quiesce do reports += 1 then resume
  on syscall_entry(call) when call.nr == unlinkat do blocked += 1 then abort then resume
}`,
      fix:
        'Keep syscall aborts in one engine per task, with the other work of that pass in the same engine (its ' +
        'own quiesce callback runs before its syscall-entry callback, so its abort is the last word), or make the ' +
        'aborting engine the only one that reports syscall entry.',
      reference: 'utrace-semantics §5.3, §5.5, §17 A2',
      limits:
        'Engines no other engine attaches are assumed to share the traced task; the rule does not know the ' +
        'attach order, so it warns whichever engine comes first.',
    },
  },
  (engine, ctx) => {
    const aborts = (engine.handlerPaths.get('syscall_entry') ?? []).flatMap((hp) =>
      hp.path.trace.flatMap((e) => (e.kind === 'abort' ? [{ hp, span: e.span }] : [])),
    );
    const first = aborts[0];
    if (first === undefined) return;
    const peer = sameTaskPeers(ctx.file, engine).find((p) => p.hasHandler('quiesce') || p.hasHandler('syscall_entry'));
    if (peer === undefined) return;
    const which = peer.hasHandler('syscall_entry') ? 'syscall_entry' : 'quiesce';
    const h = peer.checked.handlersFor(which)[0];
    const related: RelatedSpan[] = h
      ? [{ span: h.node.event.span, message: `engine \`${peer.name}\` reports in the same pass and may answer last` }]
      : [];
    ctx.report({
      span: first.span,
      message: `\`abort\` in ${handlerName(first.hp, ctx.text)} can be undone by engine \`${peer.name}\`'s \`on ${which}\` in the same syscall-entry pass`,
      label: 'the last callback of the pass decides whether the call runs',
      related,
      notes: ['the syscall bits of the last callback made in the syscall-entry pass win (utrace-semantics §17 A2)'],
      help: 'keep syscall aborts and the other work of that pass in one engine per task',
    });
  },
);
