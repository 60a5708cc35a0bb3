/**
 * Policy switches for the variants the utrace maintainers debated (utrace-semantics §11.7, §15 item 11). The default
 * is always the shipped behaviour; a switch is named, and the event log records it first, so every trace says
 * which semantics produced it.
 */

/** The named policies. */
export const POLICY_NAMES = ['classic', 'sticky-stop', 'barrier-2008', 'fedora-s3'] as const;

/**
 * `classic`: the shipped 20091216 behaviour (RHEL6 text with the non-version-dependent corrections of §17): a
 * callback's return value writes the engine's stop bit (STOP sets it, anything else clears it).
 * `sticky-stop`: a callback's non-STOP return no longer clears a stop requested by `control(STOP)`; only `control`
 * (RESUME, REPORT, INTERRUPT, a step, DETACH) clears it. Race §11.1 ("the stop gets lost") cannot happen; an engine
 * that wants to go on after an asynchronous stop calls `control(RESUME)` on itself.
 * `barrier-2008`: the 2008 `finish_callback` cleared `utrace->reporting` before applying the callback's return
 * value, so `barrier` returning 0 did not yet mean the effect (e.g. STOP) was in place (§11.7 "Ordering fix").
 * `fedora-s3`: the Fedora 2.6.36 `kernel/utrace.c` where it differs from RHEL6 (§17 A1, A6, A9): the return-to-user
 * quiesce pass leaves `utrace->reporting` on the last QUIESCE engine (barrier then polls until the next pass, and
 * clearing events or DETACH can say -EINPROGRESS spuriously); RESUME disables single-step, utrace_reset does not;
 * engine calls fail with -ESRCH as soon as release_task has started.
 */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Whether a string names a policy. */
export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}
