/**
 * The search over schedules. Systematic, with CHESS-style preemption bounding (a schedule may preempt a runnable
 * coroutine at most `bound` times; starting a parked control costs none): depth-first with state caching (each
 * state reached at a choice point is explored once: schedules that only reorder independent steps meet in one
 * state, and what follows is run once), or dynamic partial-order reduction over the steps of a run (schedules that
 * only reorder independent steps are run once), or, to measure and check both, naive enumeration of every option
 * at every scheduling point. Randomized: PCT (random coroutine
 * priorities, `depth - 1` random priority-change points) with seeds, for workloads too large to enumerate. All stop
 * at the first violation unless asked to collect them all, and at the budget.
 */
import { Prng } from '../runtime/sim/prng.js';
import type { PolicyName } from '../runtime/policy.js';
import { dependent, type Footprint } from './footprint.js';
import { runOnce, type RunRecord, type StateCache, type StepRecord, type TailOption, type Target } from './harness.js';
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
  /** `states` (default): every option at every scheduling point, each state explored once (state caching: two
   * schedules that only reorder independent steps meet in one state, and what follows it is run once); `dpor`:
   * dynamic partial-order reduction; `none`: naive enumeration of every option at every scheduling point (to
   * measure the reductions and check they are sound). */
  readonly reduction?: 'dpor' | 'states' | 'none';
  /** `systematic` (default), or `pct` with a seed. */
  readonly mode?: 'systematic' | 'pct';
  readonly seed?: number;
  /** PCT depth (priority change points + 1; default 3). */
  readonly depth?: number;
  /** Keep going after the first violation (to collect every distinct outcome). */
  readonly all?: boolean;
  /** With `all`: stop as soon as this says the findings so far are enough (e.g. every invariant looked for). */
  readonly enough?: (findings: readonly Finding[]) => boolean;
  /** Called after every schedule. */
  readonly progress?: (p: Progress) => void;
}

/** Search progress. */
export interface Progress {
  readonly schedules: number;
  /** Distinct states explored (a search with state caching), else undefined. */
  readonly states?: number;
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
  /** Distinct states explored at choice points (a search with state caching), else undefined. */
  readonly states?: number;
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

  constructor(
    private readonly options: SearchOptions,
    /** The state cache of a stateful search, for its size. */
    private readonly states?: StateCache,
  ) {}

  elapsed(): number {
    return performance.now() - this.started;
  }

  /** Records a run; true when the search should stop. */
  add(run: RunRecord): boolean {
    this.schedules++;
    // A pruned run stopped at a state explored before: its outcomes are that state's.
    if (!run.pruned) this.outcomes.add(run.outcome);
    const choices = run.points.map((p) => p.chosen);
    for (const v of run.violations) {
      if (this.findings.some((f) => f.violation.invariant === v.invariant)) continue;
      this.findings.push({ violation: v, choices, run });
      this.firstViolationMs ??= this.elapsed();
    }
    this.options.progress?.({
      schedules: this.schedules,
      ...(this.states ? { states: this.states.size } : {}),
      outcomes: this.outcomes.size,
      elapsedMs: this.elapsed(),
      budgetMs: this.options.budgetMs,
    });
    if (this.findings.length > 0 && !this.options.all) return true;
    if (this.options.enough?.(this.findings)) return true;
    if (this.schedules >= (this.options.maxSchedules ?? Infinity)) return true;
    return this.elapsed() >= this.options.budgetMs;
  }

  result(complete: boolean): SearchResult {
    return {
      semantics: this.options.semantics,
      schedules: this.schedules,
      outcomes: this.outcomes,
      ...(this.states ? { states: this.states.size } : {}),
      findings: this.findings,
      complete,
      elapsedMs: this.elapsed(),
      ...(this.firstViolationMs !== undefined ? { firstViolationMs: this.firstViolationMs } : {}),
    };
  }
}

/** One step of the run being explored, with the DPOR bookkeeping of the state before it. */
interface Node {
  readonly step: StepRecord;
  readonly footprint: Footprint;
  /** Preemptions the schedule spent before this step. */
  readonly cost: number;
  /** Threads to try at the state before this step, and those tried. */
  readonly backtrack: Set<string>;
  readonly done: Set<string>;
  /** Vector clock of the step: for each thread, the last of its steps that happens before (or is) this one. */
  clock: Map<string, number>;
}

const NO_FOOTPRINT: Footprint = { reads: new Set(), writes: new Set(['G', 'G:time']), world: true, utrace: true };

function join(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [t, i] of from) if ((into.get(t) ?? -1) < i) into.set(t, i);
}

/** The choice indices that replay `nodes[0..d)` and then take `thread` at `d`. */
function prefixTo(nodes: readonly Node[], d: number, thread: string): number[] {
  const choices: number[] = [];
  for (let i = 0; i < d; i++) {
    const n = nodes[i] as Node;
    // A step with one option consumed no choice.
    if (n.step.options.length > 1) choices.push(n.step.chosen);
  }
  choices.push(Math.max(0, (nodes[d] as Node).step.options.indexOf(thread)));
  return choices;
}

async function systematic(target: Target, options: SearchOptions): Promise<SearchResult> {
  const reduction = options.reduction ?? 'states';
  return reduction === 'dpor' ? dpor(target, options) : exhaustive(target, options, reduction === 'states');
}

/**
 * Dynamic partial-order reduction (Flanagan and Godefroid 2005) over the steps of a run, with races found as in
 * source-DPOR (Abdulla et al. 2014: every pair of dependent steps of different threads that no third step orders),
 * combined with preemption bounding by Coons, Musuvathi and McKinley's conservative backtracking (OOPSLA 2013): a
 * thread that must run before a racing step is also tried where that step's thread was switched to, since getting
 * there may take no preemption the racing point would have cost. Dependence comes from measured footprints
 * (`footprint.ts`). The clock (virtual time passing) depends on every step but is never co-enabled with a running
 * coroutine, so it races only with steps at whose state it was an option.
 */
async function dpor(target: Target, options: SearchOptions): Promise<SearchResult> {
  const c = new Collector(options);
  const nodes: Node[] = [];
  /** Makes sure `thread`, or a thread that can lead to it, is tried at the state before step `i`. When `thread`
   * cannot run there, the candidates are the first steps (initials) of what follows `i` up to `j` without depending
   * on `i`; only when none of them can run there either is every option tried. */
  const add = (i: number, thread: string, j: number, jClock: ReadonlyMap<string, number>): void => {
    const n = nodes[i] as Node;
    const k = n.step.options.indexOf(thread);
    if (k >= 0) {
      n.backtrack.add(thread);
      // Out of preemptions here, the thread can still get there for free: starting a parked control costs none,
      // and once that control is done, the coroutine that ran before it no longer counts as preempted.
      if (n.cost + (n.step.costs[k] as number) > options.bound)
        n.step.options.forEach((o, x) => {
          if (n.step.costs[x] === 0) n.backtrack.add(o);
        });
      return;
    }
    if (thread === 'clock') return;
    const q = n.step.thread;
    const rest: number[] = [];
    for (let k = i + 1; k < j; k++) if (((nodes[k] as Node).clock.get(q) ?? -1) < i) rest.push(k);
    rest.push(j);
    const clockOf = (k: number): ReadonlyMap<string, number> => (k === j ? jClock : (nodes[k] as Node).clock);
    const initials: string[] = [];
    for (const k of rest) {
      const ck = clockOf(k);
      const t = k === j ? thread : (nodes[k] as Node).step.thread;
      if (rest.some((k2) => k2 < k && (ck.get((nodes[k2] as Node).step.thread) ?? -1) >= k2)) continue;
      initials.push(t);
    }
    if (initials.some((t) => n.backtrack.has(t))) return;
    const runnable = initials.find((t) => n.step.options.includes(t));
    if (runnable !== undefined) n.backtrack.add(runnable);
    else for (const o of n.step.options) n.backtrack.add(o);
  };
  let choices: number[] = [];
  let from = 0;
  for (;;) {
    const run = await runOnce(target, { semantics: options.semantics, choices, footprints: 'on' });
    if (c.add(run)) return c.result(false);
    // The prefix replays the same steps; keep their nodes (with their backtrack sets) and append the new ones.
    const keep = nodes.slice(0, from + 1);
    nodes.length = 0;
    nodes.push(...keep.slice(0, from));
    for (let j = from; j < run.steps.length; j++) {
      const step = run.steps[j] as StepRecord;
      const prev = j > 0 ? (nodes[j - 1] as Node) : undefined;
      const old = j === from ? keep[from] : undefined;
      const cost = prev ? prev.cost + ((prev.step.costs[prev.step.chosen] as number) ?? 0) : 0;
      const node: Node = {
        step,
        footprint: step.footprint ?? NO_FOOTPRINT,
        cost,
        backtrack: old ? old.backtrack : new Set([step.thread]),
        done: old ? old.done : new Set([step.thread]),
        clock: new Map(),
      };
      node.backtrack.add(step.thread);
      node.done.add(step.thread);
      // Ending the run (the rescue rounds follow) or starting a parked invocation at the end: not steps that
      // races relate, so every option is tried.
      if (step.final) for (const o of step.options) node.backtrack.add(o);
      nodes.push(node);
    }
    for (let j = from; j < nodes.length; j++) {
      const nj = nodes[j] as Node;
      const p = nj.step.thread;
      // The clock of j's thread before j, then every step that j depends on, latest first.
      let own = -1;
      for (let k = j - 1; k >= 0; k--)
        if ((nodes[k] as Node).step.thread === p) {
          own = k;
          break;
        }
      const acc = new Map(own >= 0 ? (nodes[own] as Node).clock : []);
      if (nj.step.afterAll) for (let k = 0; k < j; k++) acc.set((nodes[k] as Node).step.thread, k);
      // The step that made j's thread runnable (time passing for a sleeper, a wake, a spawn) happens before j.
      for (let k = j - 1; k > own; k--) {
        const nk = nodes[k] as Node;
        if (!nk.step.options.includes(p)) {
          join(acc, nk.clock);
          break;
        }
      }
      for (let i = j - 1; i >= 0; i--) {
        const ni = nodes[i] as Node;
        const q = ni.step.thread;
        if (q === p || !dependent(ni.footprint, nj.footprint)) continue;
        if ((acc.get(q) ?? -1) < i) {
          // A race: j's thread could have run before i. Try it there, and (bounding) where i's block began.
          add(i, p, j, acc);
          let b = i;
          while (b > 0 && (nodes[b - 1] as Node).step.thread === q) b--;
          if (b !== i) add(b, p, j, acc);
        }
        join(acc, ni.clock);
        acc.set(q, Math.max(acc.get(q) ?? -1, i));
      }
      acc.set(p, j);
      nj.clock = acc;
    }
    // The deepest state with a thread left to try within the bound.
    let next: { d: number; thread: string } | null = null;
    for (let d = nodes.length - 1; d >= 0 && !next; d--) {
      const n = nodes[d] as Node;
      for (const t of n.step.options) {
        if (!n.backtrack.has(t) || n.done.has(t)) continue;
        n.done.add(t);
        const k = n.step.options.indexOf(t);
        if (n.cost + (n.step.costs[k] as number) > options.bound) continue;
        next = { d, thread: t };
        break;
      }
    }
    if (!next) return c.result(true);
    choices = prefixTo(nodes, next.d, next.thread);
    from = next.d;
  }
}

/** Every option at every scheduling point within the bound: naive enumeration, or with `cached`, depth-first with
 * each state explored once (a run that reaches a state explored before, with no more preemptions left, stops). */
async function exhaustive(target: Target, options: SearchOptions, cached = false): Promise<SearchResult> {
  const states: StateCache | undefined = cached ? new Map() : undefined;
  const c = new Collector(options, states);
  // Each entry is a choice prefix still to run, with the preemptions it spends; its own run then proposes the
  // alternatives after the prefix.
  const stack: Array<{ prefix: number[]; from: number }> = [{ prefix: [], from: 0 }];
  while (stack.length > 0) {
    const { prefix, from } = stack.pop() as { prefix: number[]; from: number };
    const run = await runOnce(target, { semantics: options.semantics, choices: prefix, ...(states ? { states } : {}) });
    if (c.add(run)) return c.result(false);
    let preemptions = 0;
    const taken: number[] = [];
    for (const step of run.steps) {
      if (step.options.length < 2) {
        preemptions += step.costs[step.chosen] as number;
        continue;
      }
      if (taken.length >= from)
        for (let alt = step.options.length - 1; alt >= 0; alt--) {
          if (alt === step.chosen) continue;
          if (preemptions + (step.costs[alt] as number) > options.bound) continue;
          stack.push({ prefix: [...taken, alt], from: taken.length + 1 });
        }
      taken.push(step.chosen);
      preemptions += step.costs[step.chosen] as number;
    }
  }
  return c.result(true);
}

async function pct(target: Target, options: SearchOptions): Promise<SearchResult> {
  const c = new Collector(options);
  const seed0 = options.seed ?? 1;
  const depth = options.depth ?? 3;
  // A first default run says how many steps a run has, to spread change points and releases over it.
  const first = await runOnce(target, { semantics: options.semantics, choices: [] });
  if (c.add(first)) return c.result(false);
  const k = Math.max(1, first.steps.length);
  for (let n = 0; ; n++) {
    const prng = new Prng(seed0 + n);
    const priority = new Map<string, number>();
    const changeAt = new Set<number>();
    for (let i = 1; i < depth; i++) changeAt.add(prng.below(k));
    let step = 0;
    let low = 0;
    const tail = (opts: readonly TailOption[]): number => {
      step++;
      // A parked control or timer is released at a random step, about once per run.
      const parked = opts.flatMap((o, i) => (o.kind === 'parked' ? [i] : []));
      if (parked.length > 0 && prng.below(k) < parked.length) return parked[prng.below(parked.length)] as number;
      let best = 0;
      let bestP = -Infinity;
      opts.forEach((o, i) => {
        if (o.kind === 'parked') return;
        if (!priority.has(o.name)) priority.set(o.name, o.kind === 'clock' ? -Infinity : depth + prng.below(1 << 20));
        const p = priority.get(o.name) as number;
        if (p > bestP) {
          bestP = p;
          best = i;
        }
      });
      if (changeAt.has(step) && opts[best]?.kind === 'run') priority.set((opts[best] as TailOption).name, low--);
      return best;
    };
    const run = await runOnce(target, { semantics: options.semantics, choices: [], tail });
    if (c.add(run)) return c.result(false);
  }
}
