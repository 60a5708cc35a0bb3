/**
 * Folds constant duration expressions (`10ms`, `2 * 500us`, `1s - 1ms`) to nanoseconds, for the periods and time
 * limits that must be known when the engine is built.
 */
import type { Expr } from '../parser/ast.js';

/** The value of a constant duration expression in nanoseconds, or undefined when it is not a constant. */
export function constantNanos(expr: Expr): bigint | undefined {
  switch (expr.kind) {
    case 'DurationLit':
      return expr.nanos;
    case 'UnaryExpr': {
      if (expr.op !== '-') return undefined;
      const v = constantNanos(expr.operand);
      return v === undefined ? undefined : -v;
    }
    case 'BinaryExpr': {
      const { op, left, right } = expr;
      if (op === '+' || op === '-') {
        const l = constantNanos(left);
        const r = constantNanos(right);
        if (l === undefined || r === undefined) return undefined;
        return op === '+' ? l + r : l - r;
      }
      if (op === '*') {
        if (left.kind === 'IntLit') {
          const r = constantNanos(right);
          return r === undefined ? undefined : left.value * r;
        }
        if (right.kind === 'IntLit') {
          const l = constantNanos(left);
          return l === undefined ? undefined : l * right.value;
        }
        return undefined;
      }
      if (op === '/' && right.kind === 'IntLit' && right.value !== 0n) {
        const l = constantNanos(left);
        return l === undefined ? undefined : l / right.value;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
