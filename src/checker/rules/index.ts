/**
 * The race rule registry: every `UTR3xxx` rule, and `lintRaces`, which runs the enabled ones over a checked
 * program. Rules share one engine model (`../analysis/model.ts`), built once per file.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { DiagnosticKind } from '../../diagnostics/catalogue.js';
import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import { compareDiagnostics } from '../../diagnostics/diagnostic.js';
import type { CheckedProgram } from '../program.js';
import { buildFileModel } from '../analysis/model.js';
import type { Rule, RuleContext } from './rule.js';
import { examineAfterPendingStop } from './utr3001-examine-after-pending-stop.js';
import { callbackClearsAsyncStop } from './utr3002-callback-clears-async-stop.js';
import { asyncResumeVsCallbackStop } from './utr3003-async-resume-vs-callback-stop.js';
import { detachWithoutBarrier } from './utr3004-detach-without-barrier.js';
import { eventsClearedWithoutBarrier } from './utr3005-events-cleared-without-barrier.js';
import { stopWithoutQuiesce } from './utr3006-stop-without-quiesce.js';
import { stepNotRestated } from './utr3007-step-not-restated.js';
import { unhandledGone } from './utr3008-unhandled-gone.js';
import { stopNeverResumed } from './utr3009-stop-never-resumed.js';
import { stopDoesNotInterrupt } from './utr3010-stop-does-not-interrupt.js';
import { checkThenActOnSharedState } from './utr3011-check-then-act-on-shared-state.js';
import { resumedAssumedRunning } from './utr3012-resumed-assumed-running.js';
import { reportWithoutQuiesce } from './utr3013-report-without-quiesce.js';
import { attachChildOutsideClone } from './utr3014-attach-child-outside-clone.js';
import { reapAfterDeathDetach } from './utr3015-reap-after-death-detach.js';
import { abortOverriddenByOtherEngine } from './utr3016-abort-overridden-by-other-engine.js';

export type { Rule, RuleMeta, RuleDocs, RuleCategory, FixAvailability } from './rule.js';

/** Every race rule, in code order. */
export const RULES: readonly Rule[] = [
  examineAfterPendingStop,
  callbackClearsAsyncStop,
  asyncResumeVsCallbackStop,
  detachWithoutBarrier,
  eventsClearedWithoutBarrier,
  stopWithoutQuiesce,
  stepNotRestated,
  unhandledGone,
  stopNeverResumed,
  stopDoesNotInterrupt,
  checkThenActOnSharedState,
  resumedAssumedRunning,
  reportWithoutQuiesce,
  attachChildOutsideClone,
  reapAfterDeathDetach,
  abortOverriddenByOtherEngine,
];

/** Which race rules run and how loud they are. Rules are named by code (`UTR3002`) or name (`callback-clears-async-stop`). */
export interface RuleOptions {
  /** Run only these rules (`--rule CODE`, repeatable). All rules when absent or empty. */
  readonly only?: readonly string[];
  /** Do not run these rules (`--no-rule CODE`, repeatable); wins over `only`. */
  readonly disable?: readonly string[];
  /** Per-rule severity (`--severity UTR3002=error`); `off` disables the rule. */
  readonly severity?: Readonly<Record<string, Severity | 'off'>>;
}

/** The rule with this code or name (case-insensitive), if any. */
export function findRule(codeOrName: string): Rule | undefined {
  const key = codeOrName.trim().toLowerCase();
  return RULES.find((r) => r.meta.code.toLowerCase() === key || r.meta.name === key);
}

/** The rule references in `options` that name no rule, so the CLI can refuse them with a usage error. */
export function unknownRuleRefs(options: RuleOptions): string[] {
  const refs = [...(options.only ?? []), ...(options.disable ?? []), ...Object.keys(options.severity ?? {})];
  return refs.filter((r) => findRule(r) === undefined);
}

/** The rules `options` enables, each with its effective severity. Unknown references are ignored here. */
export function enabledRules(options: RuleOptions = {}): { rule: Rule; severity: Severity }[] {
  const only = new Set((options.only ?? []).flatMap((r) => findRule(r)?.meta.code ?? []));
  const disabled = new Set((options.disable ?? []).flatMap((r) => findRule(r)?.meta.code ?? []));
  const severity = new Map<string, Severity | 'off'>();
  for (const [ref, s] of Object.entries(options.severity ?? {})) {
    const r = findRule(ref);
    if (r) severity.set(r.meta.code, s);
  }
  const out: { rule: Rule; severity: Severity }[] = [];
  for (const rule of RULES) {
    const code = rule.meta.code;
    if (only.size > 0 && !only.has(code)) continue;
    if (disabled.has(code)) continue;
    const s = severity.get(code) ?? rule.meta.severity;
    if (s === 'off') continue;
    out.push({ rule, severity: s });
  }
  return out;
}

/**
 * Runs the enabled race rules over a checked program and returns their diagnostics, sorted, one per place and
 * code. Pure: no I/O; never mutates `checked`.
 */
export function lintRaces(checked: CheckedProgram, options: RuleOptions = {}): Diagnostic[] {
  const rules = enabledRules(options);
  if (rules.length === 0 || checked.engines.length === 0) return [];
  const model = buildFileModel(checked);
  const source = checked.source;
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { rule, severity } of rules) {
    const ctx: RuleContext = {
      file: model,
      source,
      text: (span) => source.text.slice(span.start, span.end),
      report(init) {
        const key = `${rule.meta.code}:${init.span.start}:${init.span.end}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push(makeDiagnostic(rule.meta, source.path, { ...init, severity }));
      },
    };
    for (const engine of model.engines) rule.check(engine, ctx);
  }
  return out.sort(compareDiagnostics);
}

/**
 * For `applySuppressions`' `ran` option: whether a code's check ran, given the rule options and whether the race
 * rules ran at all on the file. Codes outside the race rules always ran.
 */
export function ruleRan(options: RuleOptions, racesChecked: boolean): (code: string) => boolean {
  const enabled = new Set(enabledRules(options).map((r) => r.rule.meta.code));
  return (code) => {
    const rule = findRule(code);
    if (rule === undefined) return true;
    return racesChecked && enabled.has(rule.meta.code);
  };
}

/** The catalogue entries of the race phase: every rule, plus the suppression diagnostics. */
export function raceDiagnosticKinds(extra: readonly DiagnosticKind[] = []): DiagnosticKind[] {
  return [...RULES.map((r) => r.meta), ...extra];
}
