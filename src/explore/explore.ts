/**
 * The explorer as a library: search one target under one or both semantics, shrink each violation found, and turn
 * it into numbered steps and a replayable schedule. The CLI verb, `check --confirm` and the bench call this.
 */
import type { PolicyName } from '../runtime/policy.js';
import { scheduleOf, type Target } from './harness.js';
import type { EngineLines } from './program.js';
import type { Counterexample, SemanticsSummary } from './report-text.js';
import type { ScheduleFile } from './schedule.js';
import { search, type Progress, type SearchResult } from './search.js';
import { shrink } from './shrink.js';
import { stepsOf } from './steps.js';

/** Options of `explore`. */
export interface ExploreOptions {
  readonly semantics: readonly PolicyName[];
  readonly bound: number;
  readonly budgetMs: number;
  readonly mode?: 'systematic' | 'pct';
  readonly seed?: number;
  /** `states` (default), `dpor`, or `none` for naive enumeration (see `SearchOptions.reduction`). */
  readonly reduction?: 'states' | 'dpor' | 'none';
  /** Name of the workload (for the schedule file). */
  readonly workloadName: string;
  readonly file: string;
  readonly lines: readonly EngineLines[];
  readonly progress?: (semantics: PolicyName, p: Progress) => void;
}

/** What `explore` found. */
export interface ExploreResult {
  readonly summaries: readonly SemanticsSummary[];
  readonly counterexamples: readonly (Counterexample & { readonly schedule: ScheduleFile })[];
  readonly searches: readonly SearchResult[];
}

/** Explores `target` under each semantics asked for. */
export async function explore(target: Target, options: ExploreOptions): Promise<ExploreResult> {
  const summaries: SemanticsSummary[] = [];
  const counterexamples: (Counterexample & { schedule: ScheduleFile })[] = [];
  const searches: SearchResult[] = [];
  for (const semantics of options.semantics) {
    const result = await search(target, {
      semantics,
      bound: options.bound,
      budgetMs: options.budgetMs,
      all: false,
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.reduction ? { reduction: options.reduction } : {}),
      ...(options.progress ? { progress: (p: Progress) => options.progress?.(semantics, p) } : {}),
    });
    searches.push(result);
    summaries.push({
      semantics,
      schedules: result.schedules,
      ...(result.states !== undefined ? { states: result.states } : {}),
      outcomes: result.outcomes.size,
      complete: result.complete,
      elapsedMs: result.elapsedMs,
      bound: options.bound,
      ...(options.mode === 'pct' ? { randomized: `PCT from seed ${options.seed ?? 1}` } : {}),
      violations: result.findings.map((f) => f.violation.invariant),
    });
    for (const f of result.findings) {
      const small = await shrink(target, semantics, f.violation.invariant, f.choices, f.run, {
        budgetMs: Math.max(500, options.budgetMs / 4),
      });
      const violation = small.run.violations.find((v) => v.invariant === f.violation.invariant) ?? f.violation;
      counterexamples.push({
        semantics,
        violation,
        choices: small.choices,
        steps: stepsOf(small.run, violation, options.lines),
        schedule: scheduleOf(target, options.file, options.workloadName, semantics, small.choices),
      });
    }
  }
  return { summaries, counterexamples, searches };
}
