/**
 * Finds a path through a handler that ends without a resume action, and describes it in words ("when the `if` at
 * 4:7 is false"), so the error can point at the path's last step and say which path it is.
 */
import type { Span } from '../diagnostics/source.js';
import type { Block, MatchStep, Pattern, Step } from '../parser/ast.js';

/** A path that falls off the end of a handler. */
export interface OpenPath {
  /** The span of the path's last step. */
  readonly last: Span;
  /** The branch choices that lead to it, in order; empty for a handler with a single path. */
  readonly choices: readonly string[];
}

/** Describes a position as `line:column`. */
export type Where = (span: Span) => string;

/** The first path through `block` (in source order) that does not end in a resume action, if any. */
export function findOpenPath(block: Block, where: Where): OpenPath | undefined {
  return openIn(block.steps, block.span, [], where);
}

function openIn(
  steps: readonly Step[],
  blockSpan: Span,
  choices: readonly string[],
  where: Where,
): OpenPath | undefined {
  if (steps.length === 0) return { last: blockSpan, choices };
  let path = choices;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    const isLast = i === steps.length - 1;
    if (step.kind === 'ActionStep') return undefined;
    const branches = branchesOf(step, where);
    if (branches === undefined) {
      if (isLast) return { last: step.span, choices: path };
      continue;
    }
    let firstOpen: OpenPath | undefined;
    for (const b of branches) {
      const open =
        b.steps === undefined
          ? { last: step.span, choices: [...path, b.choice] }
          : openIn(b.steps, b.span, [...path, b.choice], where);
      if (open) {
        firstOpen = open;
        break;
      }
    }
    // Every branch returned: the rest of this block never runs (reported elsewhere as unreachable).
    if (!firstOpen) return undefined;
    if (isLast) return firstOpen;
    path = firstOpen.choices;
  }
  return undefined;
}

interface Branch {
  readonly choice: string;
  /** The branch's steps; undefined for the implicit "nothing runs" branch of an `if` without `else`. */
  readonly steps?: readonly Step[];
  readonly span: Span;
}

function branchesOf(step: Step, where: Where): Branch[] | undefined {
  if (step.kind === 'IfStep') {
    const at = `the \`if\` at ${where(step.span)}`;
    const out: Branch[] = [{ choice: `${at} is true`, steps: step.then.steps, span: step.then.span }];
    if (step.else === undefined) out.push({ choice: `${at} is false`, span: step.span });
    else if (step.else.kind === 'IfStep')
      out.push({ choice: `${at} is false`, steps: [step.else], span: step.else.span });
    else out.push({ choice: `${at} is false`, steps: step.else.steps, span: step.else.span });
    return out;
  }
  if (step.kind === 'MatchStep') return matchBranches(step, where);
  return undefined;
}

function matchBranches(step: MatchStep, where: Where): Branch[] {
  const at = `the \`match\` at ${where(step.span)}`;
  const out: Branch[] = step.arms.map((arm) => ({
    choice: `the arm \`${arm.patterns.map(patternText).join(', ')}\` of ${at} is taken`,
    steps: arm.body.steps,
    span: arm.body.span,
  }));
  if (!isExhaustive(step)) out.push({ choice: `no arm of ${at} matches`, span: step.span });
  return out;
}

function isExhaustive(step: MatchStep): boolean {
  let t = false;
  let f = false;
  for (const arm of step.arms) {
    for (const p of arm.patterns) {
      if (p.kind === 'WildcardPattern') return true;
      if (p.kind === 'LiteralPattern' && p.value.kind === 'BoolLit') {
        if (p.value.value) t = true;
        else f = true;
      }
    }
  }
  return t && f;
}

function patternText(p: Pattern): string {
  switch (p.kind) {
    case 'WildcardPattern':
      return '_';
    case 'NamePattern':
      return p.name.name;
    case 'LiteralPattern':
      if (p.value.kind === 'IntLit') return String(p.value.value);
      if (p.value.kind === 'BoolLit') return String(p.value.value);
      return `"${p.value.parts.filter((x) => typeof x === 'string').join('')}"`;
  }
}
