/**
 * The checker: turns a parsed file into a `CheckedProgram` (names resolved, every expression typed, each piece of
 * code placed on the handler or control side) plus the `UTR2xxx` diagnostics. It does no I/O, never prints and
 * never mutates the AST; it runs on whatever tree the parser recovered, so one run reports syntax and type errors.
 */
import type { Arch, ArchName } from '../arch/index.js';
import { ARCH_NAMES, ARCHES, X86_64 } from '../arch/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareDiagnostics } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import { SourceFile } from '../diagnostics/source.js';
import type { Program } from '../parser/ast.js';
import { parse } from '../parser/index.js';
import { CheckContext } from './context.js';
import { SEM } from './diagnostics.js';
import { checkEngine } from './engine.js';
import type { CheckedProgram, EngineSymbol } from './program.js';
import { StepChecker } from './steps.js';
import { suggest } from './suggest.js';

export type * from './program.js';
export type * from './types.js';
export { SEM, SEMANTIC_DIAGNOSTICS } from './diagnostics.js';

/** Other names people use for the architectures (Debian, Go), so the suggestion is the right one. */
const ARCH_ALIASES: Readonly<Record<string, ArchName>> = { amd64: 'x86_64', x64: 'x86_64', arm64: 'aarch64' };

/** What the checker needs from a parse: the tree, the parse diagnostics and (normally) the source. */
export interface CheckInput {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  readonly source?: SourceFile;
}

/** Options of `check`. */
export interface CheckOptions {
  /** The architecture when the file has no `arch` directive (the directive wins); default `x86_64`. */
  readonly arch?: ArchName | string;
  /** The source, when the parse result does not carry it. */
  readonly source?: SourceFile;
}

/** Checks a parsed file. Never throws on any tree the parser returns. */
export function check(parse: CheckInput, options: CheckOptions = {}): CheckedProgram {
  const source = parse.source ?? options.source ?? new SourceFile('<input>', '');
  const program = parse.program;
  const pending: { span: Span; name: string; fromOption: boolean } | undefined = program.arch
    ? { span: program.arch.name.span, name: program.arch.name.name, fromOption: false }
    : options.arch !== undefined
      ? { span: { start: 0, end: 0 }, name: options.arch, fromOption: true }
      : undefined;
  const arch: Arch | undefined = pending ? ARCHES.get(pending.name as ArchName) : X86_64;
  // A broken directive falls back to the command line's arch, then to the default, so checking can go on.
  const fallback = (options.arch !== undefined ? ARCHES.get(options.arch as ArchName) : undefined) ?? X86_64;
  const cx = new CheckContext(source, arch ?? fallback);
  if (pending && !arch) {
    const best =
      (Object.hasOwn(ARCH_ALIASES, pending.name) ? ARCH_ALIASES[pending.name] : undefined) ??
      suggest(pending.name, ARCH_NAMES);
    cx.report(SEM.unknownArch, {
      span: pending.span,
      message: `unknown architecture \`${pending.name}\``,
      label: best ? `did you mean \`${best}\`?` : 'not supported',
      notes: [
        `utrc knows ${ARCH_NAMES.map((a) => `\`${a}\``).join(' and ')}; checking goes on as \`${fallback.name}\``,
      ],
      ...(best && !pending.fromOption
        ? {
            fix: {
              title: `use \`${best}\``,
              applicability: 'safe' as const,
              edits: [{ span: pending.span, newText: best }],
            },
          }
        : {}),
    });
  }

  const engines = new Map<string, EngineSymbol>();
  const unique = new Set(
    program.engines.filter((engine) => {
      const earlier = engines.get(engine.name.name);
      if (earlier) {
        cx.report(SEM.duplicateEngine, {
          span: engine.name.span,
          message: `engine \`${engine.name.name}\` is declared twice`,
          label: 'declared again here',
          related: [{ span: earlier.engine.name.span, message: 'first declared here' }],
          help: 'rename one of them',
        });
        return false;
      }
      engines.set(engine.name.name, { kind: 'engine', name: engine.name.name, engine });
      return true;
    }),
  );

  const steps = new StepChecker(cx);
  // A duplicate engine is still checked, so its own errors show, but only the first of a name is in the result.
  const checked = program.engines.map((engine) => checkEngine(cx, engine, engines, steps));
  const result = checked.filter((e) => unique.has(e.node));

  const diagnostics = [...parse.diagnostics, ...cx.diagnostics].sort(compareDiagnostics);
  return {
    source,
    program,
    arch: cx.arch,
    engines: result,
    diagnostics,
    typeOf: (expr) => cx.typeOf(expr),
    symbolOf: (name) => cx.symbols.get(name),
    contextOf: (member) => cx.contexts.get(member) ?? 'handler',
  };
}

/** Parses and checks a source file in one go (the parse result does not carry the source, so `check` is told it). */
export function checkSource(source: SourceFile, options: Omit<CheckOptions, 'source'> = {}): CheckedProgram {
  return check(parse(source), { ...options, source });
}
