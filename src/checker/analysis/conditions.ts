/**
 * Path conditions over boolean engine state, in disjunctive normal form.
 *
 * The race rules must tell the sampler's `on quiesce when want_sample do …` apart from a quiesce handler that
 * ignores the flag, so guards and `if` conditions on `bool` state are kept as literals (`want_sample = true`).
 * Anything else a condition tests (a payload field, an `int` comparison) is *opaque*: it may be true or false, so it
 * constrains nothing. That over-approximates which paths can run, which is the sound direction for "may this
 * handler return `resume` while the flag is set?".
 */
import type { Expr } from '../../parser/ast.js';

/** A conjunction of literals: state name → the value the path assumes it has. */
export type Term = ReadonlyMap<string, boolean>;

/** A disjunction of terms. `[]` is false; `[empty map]` is true. */
export type Dnf = readonly Term[];

/** The condition that always holds. */
export const TRUE: Dnf = [new Map()];
/** The condition that never holds. */
export const FALSE: Dnf = [];

/** Past this many terms a condition is widened to `TRUE`, so pathological guards cannot blow up the analysis. */
const MAX_TERMS = 64;

/** Decides whether a name in a condition is a boolean state variable (not a binding or parameter hiding one). */
export type BoolStateTest = (expr: Expr) => string | undefined;

/**
 * The one-literal conditions (`flag`, `not flag`) of one user (an engine's model), each made once: every `if flag`
 * on every path would otherwise make its own, and paths keep them as their assumptions.
 */
export class Literals {
  readonly #true = new Map<string, Dnf>();
  readonly #false = new Map<string, Dnf>();

  /** The condition `name` (when `value`) or `not name`. */
  of(name: string, value: boolean): Dnf {
    const cache = value ? this.#true : this.#false;
    let d = cache.get(name);
    if (d === undefined) {
      d = [new Map([[name, value]])];
      cache.set(name, d);
    }
    return d;
  }
}

/**
 * The condition `expr` (or its negation when `positive` is false) as a DNF over boolean state. `literals`, when
 * given, supplies the one-literal conditions (shared instead of made anew).
 */
export function toDnf(expr: Expr, isBoolState: BoolStateTest, positive = true, literals?: Literals): Dnf {
  const name = isBoolState(expr);
  if (name !== undefined) return literals ? literals.of(name, positive) : [new Map([[name, positive]])];
  switch (expr.kind) {
    case 'BoolLit':
      return expr.value === positive ? TRUE : FALSE;
    case 'UnaryExpr':
      if (expr.op === 'not') return toDnf(expr.operand, isBoolState, !positive, literals);
      return TRUE;
    case 'BinaryExpr': {
      const { op, left, right } = expr;
      if (op === 'and' || op === 'or') {
        const l = toDnf(left, isBoolState, positive, literals);
        const r = toDnf(right, isBoolState, positive, literals);
        // De Morgan: `not (a and b)` is `not a or not b`.
        const conjunctive = (op === 'and') === positive;
        return conjunctive ? and(l, r) : or(l, r);
      }
      if (op === '==' || op === '!=') {
        const eq = op === '==';
        if (left.kind === 'BoolLit') return toDnf(right, isBoolState, positive === (eq === left.value), literals);
        if (right.kind === 'BoolLit') return toDnf(left, isBoolState, positive === (eq === right.value), literals);
      }
      return TRUE;
    }
    default:
      return TRUE;
  }
}

/** The conjunction of two conditions. */
export function and(a: Dnf, b: Dnf): Dnf {
  // `TRUE and b` is `b` (simplified): every handler chain starts from `TRUE`, so skip copying its terms.
  if (a === TRUE) return simplified(b);
  if (b === TRUE) return simplified(a);
  const out: Term[] = [];
  for (const x of a) {
    for (const y of b) {
      const t = conjoin(x, y);
      if (t !== undefined) out.push(t);
    }
  }
  return simplify(out);
}

/** The disjunction of two conditions. */
function or(a: Dnf, b: Dnf): Dnf {
  return simplify([...a, ...b]);
}

/** The conjunction of two terms, or undefined when they contradict each other. */
function conjoin(a: Term, b: Term): Term | undefined {
  const m = new Map(a);
  for (const [k, v] of b) {
    const prev = m.get(k);
    if (prev !== undefined && prev !== v) return undefined;
    m.set(k, v);
  }
  return m;
}

/** Whether a term allows every flag in `names` to be true at once. */
export function allowsAllTrue(term: Term, names: Iterable<string>): boolean {
  for (const n of names) if (term.get(n) === false) return false;
  return true;
}

/** Renders a term for messages: `want_sample`, `not held`. */
export function termToString(term: Term): string {
  return [...term].map(([k, v]) => (v ? `\`${k}\`` : `\`not ${k}\``)).join(' and ');
}

/** `simplify` of a condition that is not to be changed: a condition of at most one term is returned as it is. */
function simplified(a: Dnf): Dnf {
  if (a.length === 0) return a;
  if (a.length === 1) return (a[0] as Term).size === 0 ? TRUE : a;
  return simplify([...a]);
}

/** Up to this many terms, `simplify` compares terms pairwise instead of building keys. */
const FEW_TERMS = 8;

function sameTerm(a: Term, b: Term): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function simplify(terms: Term[]): Dnf {
  // Most conditions have one term (or none): nothing to deduplicate, so no sort keys to build.
  if (terms.length === 0) return terms;
  if (terms.length === 1) return (terms[0] as Term).size === 0 ? TRUE : terms;
  if (terms.length <= FEW_TERMS) {
    // A few terms (a guard like `a or b`): compared with each other directly, no sort keys to build.
    const out: Term[] = [];
    for (const t of terms) {
      if (t.size === 0) return TRUE;
      if (!out.some((u) => sameTerm(u, t))) out.push(t);
    }
    return out;
  }
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const t of terms) {
    const key = [...t]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${v ? '' : '!'}${k}`)
      .join('&');
    if (key === '') return TRUE;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out.length > MAX_TERMS ? TRUE : out;
}
