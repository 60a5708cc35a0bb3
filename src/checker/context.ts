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

  typeOf(expr: Expr): Type {
    return this.types.get(expr) ?? T.error;
  }
}
