/**
 * Shrinking a counterexample: the fewest non-default choices that still break the same invariant. Greedy, one
 * choice at a time, earliest first: set it to the default (0) and keep the change when the violation stays; a
 * pick is also tried at each smaller index. Choices after the violation are dropped first.
 */
import { runOnce, type RunRecord, type Target } from './harness.js';
import type { InvariantName } from './monitors.js';
import type { PolicyName } from '../runtime/policy.js';

/** A shrunk counterexample. */
export interface Shrunk {
  readonly choices: readonly number[];
  readonly run: RunRecord;
  /** Runs spent shrinking. */
  readonly tries: number;
}

function trim(choices: readonly number[]): number[] {
  const c = [...choices];
  while (c.length > 0 && c[c.length - 1] === 0) c.pop();
  return c;
}

/** Shrinks `choices`, which break `invariant`, within `budgetMs`. */
export async function shrink(
  target: Target,
  semantics: PolicyName,
  invariant: InvariantName,
  choices: readonly number[],
  run: RunRecord,
  options: { readonly budgetMs?: number } = {},
): Promise<Shrunk> {
  const started = performance.now();
  const budget = options.budgetMs ?? 3000;
  const breaks = (r: RunRecord): boolean => r.violations.some((v) => v.invariant === invariant);
  let best = { choices: trim(choices), run };
  let tries = 0;
  const attempt = async (candidate: number[]): Promise<boolean> => {
    tries++;
    const r = await runOnce(target, { semantics, choices: candidate });
    if (!breaks(r)) return false;
    best = { choices: trim(r.points.map((p) => p.chosen)), run: r };
    return true;
  };
  // Drop the choices made after the violation showed.
  const v = run.violations.find((x) => x.invariant === invariant);
  if (v) {
    const upTo = run.points.filter((p) => p.seq <= v.seq).length;
    if (upTo < best.choices.length) await attempt(best.choices.slice(0, upTo));
  }
  let changed = true;
  while (changed && performance.now() - started < budget) {
    changed = false;
    for (let i = 0; i < best.choices.length && performance.now() - started < budget; i++) {
      const value = best.choices[i] as number;
      for (let smaller = 0; smaller < value; smaller++) {
        const candidate = [...best.choices];
        candidate[i] = smaller;
        if (await attempt(candidate)) {
          changed = true;
          break;
        }
      }
    }
  }
  return { ...best, tries };
}
