/**
 * The search over schedules. Systematic: depth-first over the choice tree, every alternative at every choice point,
 * with CHESS-style preemption bounding (a schedule may preempt a runnable coroutine at most `bound` times) and the
 * reduction of `harness.ts` (a parked control is offered release only where what it can see changed). Randomized:
 * PCT (random coroutine priorities, `depth - 1` random priority-change points) with seeds, for workloads too large to
 * enumerate. Both stop at the first violation unless asked to collect them all, and at the budget.
 */
import { Prng } from '../runtime/sim/prng.js';
import type { Runnable } from '../runtime/sim/scheduler.js';
import type { PolicyName } from '../runtime/policy.js';
import { runOnce, type ReleaseMode, type RunRecord, type Target } from './harness.js';
import type { Violation } from './monitors.js';

/** Options of a search. */
export interface SearchOptions {
  readonly semantics: PolicyName;
  /** Preemption bound (systematic mode). */
  readonly bound: number;
  /** Wall-clock budget in milliseconds. */
  readonly budgetMs: number;
  /** Largest number of schedules to run. */
  readonly maxSchedules?: number;
  readonly release?: ReleaseMode;
  /** `systematic` (default), or `pct` with a seed. */
  readonly mode?: 'systematic' | 'pct';
  readonly seed?: number;
  /** PCT depth (priority change points + 1; default 3). */
  readonly depth?: number;
  /** Keep going after the first violation (to collect every distinct outcome). */
  readonly all?: boolean;
  /** Called after every schedule. */
  readonly progress?: (p: Progress) => void;
}

/** Search progress. */
export interface Progress {
  readonly schedules: number;
  readonly outcomes: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
}

/** A schedule that broke an invariant. */
export interface Finding {
  readonly violation: Violation;
  readonly choices: readonly number[];
  readonly run: RunRecord;
}

/** What a search found. */
export interface SearchResult {
  readonly semantics: PolicyName;
  readonly schedules: number;
  /** Distinct final outcomes (engine states, end, violated invariants). */
  readonly outcomes: ReadonlySet<string>;
  /** The first schedule found for each violated invariant. */
  readonly findings: readonly Finding[];
  /** Whether the whole bounded tree was explored (systematic mode) before the budget ran out. */
  readonly complete: boolean;
  readonly elapsedMs: number;
  /** Milliseconds from the start to the first violation. */
  readonly firstViolationMs?: number;
}

/** Explores schedules of `target`. */
export async function search(target: Target, options: SearchOptions): Promise<SearchResult> {
  return options.mode === 'pct' ? pct(target, options) : systematic(target, options);
}

class Collector {
  schedules = 0;
  readonly outcomes = new Set<string>();
  readonly findings: Finding[] = [];
  firstViolationMs: number | undefined;
  readonly started = performance.now();

  constructor(private readonly options: SearchOptions) {}

  elapsed(): number {
    return performance.now() - this.started;
  }

  /** Records a run; true when the search should stop. */
  add(run: RunRecord): boolean {
    this.schedules++;
    this.outcomes.add(run.outcome);
    const choices = run.points.map((p) => p.chosen);
    for (const v of run.violations) {
      if (this.findings.some((f) => f.violation.invariant === v.invariant)) continue;
      this.findings.push({ violation: v, choices, run });
      this.firstViolationMs ??= this.elapsed();
    }
    this.options.progress?.({
      schedules: this.schedules,
      outcomes: this.outcomes.size,
      elapsedMs: this.elapsed(),
      budgetMs: this.options.budgetMs,
    });
    if (this.findings.length > 0 && !this.options.all) return true;
    if (this.schedules >= (this.options.maxSchedules ?? Infinity)) return true;
    return this.elapsed() >= this.options.budgetMs;
  }

  result(complete: boolean): SearchResult {
    return {
      semantics: this.options.semantics,
      schedules: this.schedules,
      outcomes: this.outcomes,
      findings: this.findings,
      complete,
      elapsedMs: this.elapsed(),
      ...(this.firstViolationMs !== undefined ? { firstViolationMs: this.firstViolationMs } : {}),
    };
  }
}

async function systematic(target: Target, options: SearchOptions): Promise<SearchResult> {
  const c = new Collector(options);
  // Each entry is a choice prefix still to run; its own run then proposes the alternatives after the prefix.
  const stack: number[][] = [[]];
  while (stack.length > 0) {
    const prefix = stack.pop() as number[];
    const run = await runOnce(target, {
      semantics: options.semantics,
      choices: prefix,
      ...(options.release ? { release: options.release } : {}),
    });
    if (c.add(run)) return c.result(false);
    let preemptions = 0;
    for (let i = 0; i < run.points.length; i++) {
      const p = run.points[i];
      if (!p) break;
      if (i >= prefix.length) {
        for (let alt = p.arity - 1; alt >= 1; alt--) {
          // Would this alternative preempt? A pick other than the one that ran last, while that one is enabled:
          // the run's own `preempts` flag says so for its choice; for an alternative we count it as one.
          const costs = p.kind === 'pick' ? 1 : 0;
          if (preemptions + costs > options.bound) continue;
          stack.push([...run.points.slice(0, i).map((q) => q.chosen), alt]);
        }
      }
      if (p.kind === 'pick' && p.chosen !== 0) preemptions++;
    }
  }
  return c.result(true);
}

async function pct(target: Target, options: SearchOptions): Promise<SearchResult> {
  const c = new Collector(options);
  const seed0 = options.seed ?? 1;
  const depth = options.depth ?? 3;
  // A first default run says how many choices a run has, to spread change points and releases over it.
  const first = await runOnce(target, {
    semantics: options.semantics,
    choices: [],
    ...(options.release ? { release: options.release } : {}),
  });
  if (c.add(first)) return c.result(false);
  const k = Math.max(1, first.points.length);
  for (let n = 0; ; n++) {
    const prng = new Prng(seed0 + n);
    const priority = new Map<string, number>();
    const changeAt = new Set<number>();
    for (let i = 1; i < depth; i++) changeAt.add(prng.below(k));
    let step = 0;
    let low = 0;
    const releases = new Map<number, number>();
    const tail = (kind: 'pick' | 'release', arity: number, enabled: readonly Runnable[] | null): number => {
      step++;
      if (kind === 'release') {
        const at = releases.get(arity) ?? prng.below(k);
        releases.set(arity, at);
        return prng.below(k) === 0 || step >= at ? 1 : 0;
      }
      if (!enabled) return 0;
      let best = 0;
      let bestP = -Infinity;
      enabled.forEach((r, i) => {
        if (!priority.has(r.name)) priority.set(r.name, depth + prng.below(1 << 20));
        const p = priority.get(r.name) as number;
        if (p > bestP) {
          bestP = p;
          best = i;
        }
      });
      if (changeAt.has(step)) priority.set((enabled[best] as Runnable).name, low--);
      return best < arity ? best : 0;
    };
    const run = await runOnce(target, {
      semantics: options.semantics,
      choices: [],
      tail,
      ...(options.release ? { release: options.release } : {}),
    });
    if (c.add(run)) return c.result(false);
  }
}
