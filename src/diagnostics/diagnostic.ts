import type { Span } from './source.js';

/** How bad a diagnostic is. `error` makes `utrc check` exit 1 and stops code generation. */
export type Severity = 'error' | 'warning' | 'info';

/** A stable diagnostic code such as `UTR2001`: 1xxx syntax, 2xxx names and types, 3xxx races, 4xxx codegen and run. */
export type DiagnosticCode = `UTR${number}`;

/** A second place in the source that explains the first (the other side of a race, an earlier declaration). */
export interface RelatedSpan {
  readonly span: Span;
  readonly message: string;
  /** The file of the related span when it is not the diagnostic's own file. */
  readonly file?: string;
}

/** One textual replacement: the text in `span` becomes `newText`. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * A suggested fix. `safe` fixes keep the program's meaning apart from removing the problem; `unsafe` ones may
 * change behaviour and are only shown, never applied without asking.
 */
export interface Fix {
  readonly title: string;
  readonly applicability: 'safe' | 'unsafe';
  readonly edits: readonly TextEdit[];
}

/** The one diagnostic model every phase produces and every renderer consumes. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** One line, present tense, names in backquotes, no trailing period. */
  readonly message: string;
  /** The file the diagnostic is about, as the user named it. */
  readonly file: string;
  readonly span: Span;
  /** A short label shown at the caret. */
  readonly label?: string;
  readonly related: readonly RelatedSpan[];
  /** Background: why this is a problem. */
  readonly notes: readonly string[];
  /** What to do about it, in words. */
  readonly help?: string;
  readonly fix?: Fix;
}

/** The parts a producer supplies; the defaults fill in the rest. */
export interface DiagnosticInit {
  readonly span: Span;
  readonly message: string;
  readonly label?: string;
  readonly related?: readonly RelatedSpan[];
  readonly notes?: readonly string[];
  readonly help?: string;
  readonly fix?: Fix;
  /** Overrides the catalogue's default severity (used by `--severity` overrides and suppressions). */
  readonly severity?: Severity;
}

/** Sorts diagnostics by file, then position, then code, so output is stable whatever order phases report in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  if (a.span.end !== b.span.end) return a.span.end - b.span.end;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
