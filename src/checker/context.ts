/**
 * The state one `check` call accumulates: the diagnostics it reports and the lookup tables it fills. Passed to every
 * part of the checker so each can report and record without knowing the others.
 */
import type { Arch } from '../arch/index.js';
import type { DiagnosticKind } from '../diagnostics/catalogue.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic, DiagnosticInit } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import type { Expr, NameExpr, NamePattern } from '../parser/ast.js';
import type { CodeContext, CodeMember, NameSymbol } from './program.js';
import type { Type } from './types.js';
import { T } from './types.js';

/**
 * The type of a name that resolves to `symbol`, when nothing about where it is used makes it an error. The one
 * mapping: `ExprChecker` types names through it and `setNameType`/`typeOf` rely on it to leave ordinary names out of
 * `types`.
 */
export function symbolType(symbol: NameSymbol): Type {
  switch (symbol.kind) {
    case 'state':
    case 'binding':
    case 'param':
      return symbol.type;
    case 'task':
      return T.task;
    case 'regs':
      return T.regs;
    case 'syscall':
      return T.syscall;
    case 'signal':
      return T.signal;
    case 'event':
      return T.event;
    case 'status':
    case 'engine':
      return T.error;
  }
}

/** Diagnostics and lookup tables of one check. */
export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<Expr, Type>();
  readonly symbols = new Map<NameExpr | NamePattern, NameSymbol>();
  readonly contexts = new Map<CodeMember, CodeContext>();

  constructor(
    readonly source: SourceFile,
    readonly arch: Arch,
  ) {}

  /** Reports a diagnostic of a catalogue kind. */
  report(kind: DiagnosticKind, init: DiagnosticInit): void {
    this.diagnostics.push(makeDiagnostic(kind, this.source.path, init));
  }

  /** `line:column` of an offset, for messages that point at another place ("the `if` at 4:7"). */
  where(span: Span): string {
    const { line, column } = this.source.lineCol(span.start);
    return `${line}:${column}`;
  }

  /** The source text of a span (for fixes that wrap or repeat what the user wrote). */
  text(span: Span): string {
    return this.source.text.slice(span.start, span.end);
  }

  /**
   * Records the type of a name expression. A resolved name usually has its symbol's type, which `typeOf` derives,
   * so only the other cases (`error` for `regs` before `fetch regs`, a status used as a value…) take an entry: names
   * are half of all expressions, and this halves the table's work for them.
   */
  setNameType(expr: NameExpr, symbol: NameSymbol | undefined, t: Type): void {
    if (symbol !== undefined ? t !== symbolType(symbol) : this.symbols.has(expr)) {
      this.types.set(expr, t);
      this.#nameEntries++;
    } else if (this.#nameEntries > 0) {
      // Checked again with the ordinary outcome: an earlier exception must not stand.
      this.types.delete(expr);
    }
  }

  /** How many name expressions have an entry in `types` (none in a well-typed file). */
  #nameEntries = 0;

  /** The type the checker gave an expression; `error` for one it never typed. */
  typeOf(expr: Expr): Type {
    const t = this.types.get(expr);
    if (t !== undefined) return t;
    if (expr.kind === 'NameExpr') {
      const symbol = this.symbols.get(expr);
      if (symbol !== undefined) return symbolType(symbol);
    }
    return T.error;
  }
}
