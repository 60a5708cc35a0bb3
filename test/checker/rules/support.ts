/** Test helpers: run the front end and the race rules on a source text. */
import { check } from '../../../src/checker/index.js';
import type { CheckedProgram } from '../../../src/checker/program.js';
import { lintRaces, type RuleOptions } from '../../../src/checker/rules/index.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../../src/diagnostics/source.js';
import { parse, type ParseResult } from '../../../src/parser/index.js';

/** Everything a rule test needs about one source. */
export interface Linted {
  readonly source: SourceFile;
  readonly parsed: ParseResult;
  readonly checked: CheckedProgram;
  /** Syntax and type diagnostics. */
  readonly frontEnd: readonly Diagnostic[];
  /** Race diagnostics. */
  readonly races: readonly Diagnostic[];
}

/** Parses, checks and race-lints a source text. */
export function lint(text: string, path = 'test.utr', options: RuleOptions = {}): Linted {
  const source = new SourceFile(path, text);
  const parsed = parse(source);
  const checked = check(parsed, { source });
  return { source, parsed, checked, frontEnd: checked.diagnostics, races: lintRaces(checked, options) };
}

/** `CODE line:col message` for readable assertions. */
export function brief(d: Diagnostic, source: SourceFile): string {
  const { line, column } = source.lineCol(d.span.start);
  return `${d.code} ${line}:${column} ${d.message}`;
}
