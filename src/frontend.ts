/**
 * The compiler front end for one source: parse → check → race rules → suppressions. Every verb (`check`, `build`,
 * `run`, `explore`) and every library user goes through here, so they all see the same diagnostics.
 *
 * No I/O: the caller reads the file (the CLI does it in `src/cli/read-source.ts`) and decides what to print.
 */
import type { ArchName } from './arch/index.js';
import { check } from './checker/index.js';
import type { CheckedProgram } from './checker/program.js';
import { lintRaces, ruleRan, type RuleOptions } from './checker/rules/index.js';
import { applySuppressions } from './checker/suppress.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import type { SourceFile } from './diagnostics/source.js';
import { parse, type ParseResult } from './parser/index.js';

/** How to analyse a source. */
export interface FrontendOptions {
  /** The architecture for a file without an `arch` line (default x86_64). */
  readonly arch?: ArchName;
  /** Which race rules run, and at which severity (`--rule`, `--no-rule`, `--severity`). All, at their defaults, when absent. */
  readonly rules?: RuleOptions;
}

/** Everything the front end learnt about one source. */
export interface FrontendResult {
  readonly source: SourceFile;
  readonly parse: ParseResult;
  readonly checked: CheckedProgram;
  /** Every diagnostic of every phase that survived the file's `# utr-allow` comments, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when no diagnostic is an error: the program may be compiled. */
  readonly ok: boolean;
  /** False when syntax or type errors kept the race rules from running (they need a well-typed program). */
  readonly racesChecked: boolean;
}

/** Parses, checks and race-lints one source. Never throws on any input text. */
export function analyze(source: SourceFile, options: FrontendOptions = {}): FrontendResult {
  const parsed = parse(source);
  const checked = check(parsed, { source, ...(options.arch !== undefined ? { arch: options.arch } : {}) });
  // The race rules reason about resolved names, types and handler paths; on a program with errors they would
  // report guesses, so they wait until the errors are fixed (as clippy waits for rustc).
  const racesChecked = !hasErrors(checked.diagnostics);
  const races = racesChecked ? lintRaces(checked, options.rules ?? {}) : [];
  const ran = ruleRan(options.rules ?? {}, racesChecked);
  const diagnostics = applySuppressions([...checked.diagnostics, ...races], parsed.comments, source, { ran }).sort(
    compareDiagnostics,
  );
  return { source, parse: parsed, checked, diagnostics, ok: !hasErrors(diagnostics), racesChecked };
}
