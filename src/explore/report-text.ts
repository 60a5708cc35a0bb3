/**
 * The text report of an exploration: per semantics, what was explored and, for each violated invariant, the shrunk
 * counterexample as numbered steps with their `.utr` lines.
 */
import type { Violation } from './monitors.js';
import type { Step } from './steps.js';

/** One counterexample, ready to print. */
export interface Counterexample {
  readonly semantics: string;
  readonly violation: Violation;
  readonly choices: readonly number[];
  readonly steps: readonly Step[];
  /** Where the schedule file was written, if it was. */
  readonly scheduleFile?: string;
}

/** Summary of one semantics' search. */
export interface SemanticsSummary {
  readonly semantics: string;
  readonly schedules: number;
  /** Distinct states explored (a search with state caching). */
  readonly states?: number;
  readonly outcomes: number;
  readonly complete: boolean;
  readonly elapsedMs: number;
  readonly bound: number;
  /** Set for a randomized search: `PCT seed 7`. */
  readonly randomized?: string;
  readonly violations: readonly string[];
}

/** Renders numbered steps, the last `limit` of them (the violation is always among the last). */
function renderSteps(steps: readonly Step[], file: string, limit = 40): string {
  const shown = steps.length > limit ? steps.slice(steps.length - limit) : steps;
  const out: string[] = [];
  if (shown.length < steps.length) out.push(`      … ${steps.length - shown.length} earlier steps`);
  const width = String(steps.length).length;
  for (const s of shown) {
    const where = s.line !== undefined ? `   ← ${s.member} (${file}:${s.line})` : '';
    out.push(`  ${s.violation ? '>' : ' '} ${String(s.n).padStart(width)}. ${s.text}${where}`);
  }
  return `${out.join('\n')}\n`;
}

/** The whole text report. */
export function renderText(
  file: string,
  summaries: readonly SemanticsSummary[],
  examples: readonly Counterexample[],
): string {
  const out: string[] = [];
  for (const s of summaries) {
    const scope = s.randomized
      ? `randomized, ${s.randomized}`
      : s.complete
        ? `all schedules within preemption bound ${s.bound}`
        : s.violations.length > 0
          ? `stopped at the first violation, bound ${s.bound}`
          : `budget reached before the bound-${s.bound} search ended`;
    const verdict =
      s.violations.length === 0 ? 'no violation' : `violates ${s.violations.map((v) => `\`${v}\``).join(', ')}`;
    out.push(
      `${file}: ${s.semantics}: ${verdict} (${s.schedules} schedule${s.schedules === 1 ? '' : 's'}, ${s.states !== undefined ? `${s.states} state${s.states === 1 ? '' : 's'}, ` : ''}${s.outcomes} distinct outcome${s.outcomes === 1 ? '' : 's'}, ${scope}, ${(s.elapsedMs / 1000).toFixed(1)}s)`,
    );
  }
  if (summaries.length === 2) {
    // --semantics both: the utrace API debate, answered for this engine.
    const [a, b] = summaries as [SemanticsSummary, SemanticsSummary];
    const only = (x: SemanticsSummary, y: SemanticsSummary): string[] =>
      x.violations.filter((v) => !y.violations.includes(v));
    const shared = a.violations.filter((v) => b.violations.includes(v));
    const parts = [
      ...(only(a, b).length > 0 ? [`only under ${a.semantics}: ${only(a, b).join(', ')}`] : []),
      ...(only(b, a).length > 0 ? [`only under ${b.semantics}: ${only(b, a).join(', ')}`] : []),
      ...(shared.length > 0 ? [`under both: ${shared.join(', ')}`] : []),
    ];
    out.push(`${file}: ${parts.length > 0 ? parts.join('; ') : 'no violation under either semantics'}`);
  }
  for (const ex of examples) {
    out.push('');
    out.push(`violation [${ex.semantics}] ${ex.violation.invariant}: ${ex.violation.message}`);
    out.push(
      `  counterexample (${ex.steps.length} steps, ${ex.choices.filter((c) => c !== 0).length} non-default choices):`,
    );
    out.push(renderSteps(ex.steps, file).trimEnd());
    if (ex.scheduleFile) out.push(`  replay: utrc run ${file} --schedule ${ex.scheduleFile}`);
  }
  return `${out.join('\n')}\n`;
}
