/**
 * Transforms the flat operand/operator sequence the grammar reads for an expression into a tree, by precedence
 * climbing. The grammar reads `operand (operator operand | in {…})*` in one rule instead of one rule per precedence
 * level: that keeps the Chevrotain call depth per parenthesis small (so deep nesting stays far from the stack limit)
 * and makes expressions cheaper to parse. Precedence, from loosest to tightest:
 *
 *   or  <  and  <  not (prefix)  <  comparisons and `in` (non-associative)  <  + -  <  * / %  <  - (prefix)
 */
import type { IToken, TokenType } from 'chevrotain';
import type { BinaryOp, Expr } from './ast.js';
import type { Span } from '../diagnostics/source.js';
import * as T from './tokens.js';

/** One element of the sequence the grammar produced. */
export type ExprItem =
  | { readonly t: 'operand'; readonly prefixes: readonly IToken[]; readonly expr: Expr; readonly depth: number }
  | { readonly t: 'op'; readonly tok: IToken }
  | {
      readonly t: 'in';
      readonly tok: IToken;
      readonly set: readonly Expr[];
      readonly end: number;
      /** The height of the tallest element of the set. */
      readonly depth: number;
    };

/** Where a problem was found, for the parser to turn into a diagnostic. */
export interface ExprProblem {
  readonly kind: 'chained' | 'not-operand' | 'too-deep';
  readonly span: Span;
  readonly message: string;
  readonly help?: string;
}

const MAX_CLIMB_DEPTH = 200;

/**
 * How deep an expression tree may grow. Later phases walk the tree recursively; a 50,000-term `a + a + …` or
 * `not not …` would overflow their stack, so a deeper expression is cut off with an ErrorExpr and reported.
 */
export const MAX_EXPR_DEPTH = 128;

/** `e` with another span: a parenthesised expression covers its parentheses. */
export function respan(e: Expr, span: Span): Expr {
  return { ...e, span } as Expr;
}

/** Precedence levels, loosest first (the fast path reads expressions with the same ones). */
export const PREC_OR = 1;
export const PREC_AND = 2;
export const PREC_NOT = 3;
export const PREC_CMP = 4;
export const PREC_ADD = 5;
export const PREC_MUL = 6;

/** Per token type (by `tokenTypeIdx`): its binary precedence; none for a token that is no binary operator. */
export const BINARY_PRECEDENCE: readonly (number | undefined)[] = precedenceTable([
  [T.Or, PREC_OR],
  [T.And, PREC_AND],
  [T.EqEq, PREC_CMP],
  [T.NotEq, PREC_CMP],
  [T.Lt, PREC_CMP],
  [T.LtEq, PREC_CMP],
  [T.Gt, PREC_CMP],
  [T.GtEq, PREC_CMP],
  [T.Plus, PREC_ADD],
  [T.Minus, PREC_ADD],
  [T.Star, PREC_MUL],
  [T.Slash, PREC_MUL],
  [T.Percent, PREC_MUL],
]);

function precedenceTable(entries: readonly (readonly [TokenType, number])[]): number[] {
  const table: number[] = [];
  for (const [tt, prec] of entries) table[tt.tokenTypeIdx as number] = prec;
  return table;
}

function tokSpan(tok: IToken): Span {
  return { start: tok.startOffset, end: tok.startOffset + tok.image.length };
}

type Unit =
  | { readonly t: 'prefix'; readonly tok: IToken }
  | { readonly t: 'operand'; readonly expr: Expr }
  | { readonly t: 'op'; readonly tok: IToken; readonly prec: number }
  | Extract<ExprItem, { readonly t: 'in' }>;

function unitStart(u: Unit): number {
  return u.t === 'operand' ? u.expr.span.start : u.tok.startOffset;
}

function unitEnd(u: Unit): number {
  if (u.t === 'operand') return u.expr.span.end;
  if (u.t === 'in') return u.end;
  return u.tok.startOffset + u.tok.image.length;
}

/**
 * Builds the expression tree of a sequence, and its height (the parser bounds heights without storing them on
 * nodes). `report` receives precedence problems; the tree is built anyway.
 */
export function buildExpression(
  items: readonly ExprItem[],
  report: (p: ExprProblem) => void,
): { readonly expr: Expr; readonly depth: number } {
  // Heights of the nodes built here and of the operands given, for bounding the tree's height.
  const heights = new Map<Expr, number>();
  const heightOf = (e: Expr): number => heights.get(e) ?? 1;
  const units: Unit[] = [];
  for (const item of items) {
    if (item.t === 'operand') {
      for (const tok of item.prefixes) units.push({ t: 'prefix', tok });
      units.push({ t: 'operand', expr: item.expr });
      if (item.depth > 1) heights.set(item.expr, item.depth);
    } else if (item.t === 'op') {
      units.push({
        t: 'op',
        tok: item.tok,
        prec: BINARY_PRECEDENCE[item.tok.tokenType.tokenTypeIdx as number] ?? PREC_MUL,
      });
    } else units.push(item);
  }
  let pos = 0;
  let deepReported = false;
  const onTooDeep = (span: Span): void => {
    if (deepReported) return;
    deepReported = true;
    report({ kind: 'too-deep', span, message: `expression is nested more than ${MAX_EXPR_DEPTH} levels deep` });
  };
  /** `e`, whose children are `children`, or an ErrorExpr in its place when the tree gets too tall. */
  const bounded = (e: Expr, children: readonly Expr[], extra = 1): Expr => {
    let d = extra;
    for (const c of children) {
      const x = heightOf(c);
      if (x > d) d = x;
    }
    d += 1;
    if (d > MAX_EXPR_DEPTH) {
      onTooDeep(e.span);
      return { kind: 'ErrorExpr', span: e.span };
    }
    heights.set(e, d);
    return e;
  };
  // The operator whose right operand is being read, for messages about `not` in the wrong place.
  let enclosingOp: IToken | undefined;

  // Only ill-formed input (`a == not b == not c …`) makes the climbing recurse more than a few levels; past this
  // depth the rest of the expression becomes one ErrorExpr instead of risking the stack.
  let depth = 0;
  const parse = (minPrec: number): Expr => {
    const unit = units[pos];
    if (unit === undefined) {
      // The grammar always ends a sequence with an operand; stay total even if recovery left an operator last.
      const last = units[units.length - 1];
      const end = last !== undefined ? unitEnd(last) : 0;
      return { kind: 'ErrorExpr', span: { start: end, end } };
    }
    if (depth > MAX_CLIMB_DEPTH) {
      const start = unitStart(unit);
      const end = unitEnd(units[units.length - 1] as Unit);
      pos = units.length;
      report({ kind: 'too-deep', span: { start, end }, message: 'expression is nested too deeply' });
      return { kind: 'ErrorExpr', span: { start, end } };
    }
    depth++;
    try {
      return parseAt(minPrec, unit);
    } finally {
      depth--;
    }
  };

  const parseAt = (minPrec: number, unit: Unit): Expr => {
    let left: Expr;
    if (unit.t === 'prefix' && unit.tok.image === 'not') {
      const nots: IToken[] = [];
      while (pos < units.length) {
        const u = units[pos];
        if (u?.t !== 'prefix' || u.tok.image !== 'not') break;
        nots.push(u.tok);
        pos++;
      }
      const firstNot = nots[0] as IToken;
      if (minPrec > PREC_NOT) {
        report({
          kind: 'not-operand',
          span: tokSpan(firstNot),
          message:
            enclosingOp !== undefined
              ? `\`not\` cannot be the operand of \`${enclosingOp.image}\` without parentheses`
              : '`not` cannot follow `-` without parentheses',
          help: 'put the `not` expression in parentheses',
        });
      }
      const saved = enclosingOp;
      let operand = parse(PREC_NOT);
      enclosingOp = saved;
      for (let i = nots.length - 1; i >= 0; i--) {
        const tok = nots[i] as IToken;
        const inner = operand;
        operand = bounded(
          { kind: 'UnaryExpr', span: { start: tok.startOffset, end: inner.span.end }, op: 'not', operand: inner },
          [inner],
        );
      }
      left = operand;
    } else if (unit.t === 'prefix') {
      const negs: IToken[] = [];
      while (pos < units.length) {
        const u = units[pos];
        if (u?.t !== 'prefix' || u.tok.image !== '-') break;
        negs.push(u.tok);
        pos++;
      }
      const next = units[pos];
      let operand: Expr;
      if (next?.t === 'prefix') {
        // `- not x`: report, then read the `not` as if parenthesised.
        enclosingOp = undefined;
        operand = parse(PREC_MUL + 1);
      } else {
        operand =
          next?.t === 'operand' ? next.expr : { kind: 'ErrorExpr', span: tokSpan(negs[negs.length - 1] as IToken) };
        pos++;
      }
      for (let i = negs.length - 1; i >= 0; i--) {
        const tok = negs[i] as IToken;
        const inner = operand;
        operand = bounded(
          { kind: 'UnaryExpr', span: { start: tok.startOffset, end: inner.span.end }, op: '-', operand: inner },
          [inner],
        );
      }
      left = operand;
    } else if (unit.t === 'operand') {
      left = unit.expr;
      pos++;
    } else {
      // An operator where an operand belongs cannot come out of the grammar; keep the tree whole regardless.
      left = { kind: 'ErrorExpr', span: tokSpan(unit.tok) };
      pos++;
    }
    let comparison: IToken | undefined;
    while (pos < units.length) {
      const u = units[pos] as Unit;
      if (u.t === 'in') {
        if (PREC_CMP < minPrec) break;
        if (comparison !== undefined) reportChain(comparison, u.tok);
        comparison = u.tok;
        pos++;
        left = bounded(
          { kind: 'InExpr', span: { start: left.span.start, end: u.end }, value: left, set: u.set },
          [left],
          u.depth,
        );
        continue;
      }
      if (u.t !== 'op' || u.prec < minPrec) break;
      if (u.prec === PREC_CMP) {
        if (comparison !== undefined) reportChain(comparison, u.tok);
        comparison = u.tok;
      }
      pos++;
      enclosingOp = u.tok;
      const right = parse(u.prec + 1);
      left = binary(u.tok, left, right);
    }
    return left;
  };

  const binary = (tok: IToken, left: Expr, right: Expr): Expr =>
    bounded(
      {
        kind: 'BinaryExpr',
        span: { start: left.span.start, end: right.span.end },
        op: tok.image as BinaryOp,
        left,
        right,
      },
      [left, right],
    );

  const reportChain = (previous: IToken, tok: IToken): void => {
    report({
      kind: 'chained',
      span: tokSpan(tok),
      message: `comparisons do not chain: \`${tok.image}\` follows \`${previous.image}\``,
      help: 'join the comparisons with `and`, e.g. `a < b and b < c`',
    });
  };

  let result = parse(0);
  // Anything left over can only follow an operator of lower precedence than the loop allowed; read it as such.
  while (pos < units.length) {
    const u = units[pos] as Unit;
    pos++;
    if (u.t === 'op') {
      const right = parse(u.prec + 1);
      result = binary(u.tok, result, right);
    }
  }
  return { expr: result, depth: heightOf(result) };
}
