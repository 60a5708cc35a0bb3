/**
 * `utrc check`: parse, type-check and race-lint `.utr` files, print the diagnostics, and exit 0 (no errors),
 * 1 (errors) or 2 (usage or I/O problem).
 */
import { ARCH_NAMES, type ArchName } from '../../arch/index.js';
import { compareDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderJson } from '../../diagnostics/render-json.js';
import { renderDiagnostics, renderSummary } from '../../diagnostics/render-text.js';
import { SourceFile } from '../../diagnostics/source.js';
import { analyze } from '../../frontend.js';
import { COLOR_CHOICES, oneOf, parseCommandArgs, shouldColor } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../command.js';
import { EVAL_NAME, InputError, readSource, readStdinSource } from '../read-source.js';

const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: utrc check [options] FILE...
       utrc check [options] -e PROGRAM

Parse, type-check and race-check .utr files. Diagnostics are printed to stderr
(text) or stdout (json); the exit status is 0 when there are no errors
(warnings are printed but do not fail), 1 when there are errors, and 2 when
utrc was called wrongly or an input could not be read. Use '-' as FILE to
read a program from standard input.

Options:
  --format text|json       output format (default: text)
  --color auto|always|never
                           colour the text output (default: auto: only on a
                           terminal, and not when NO_COLOR is set)
  --arch NAME              architecture for files without an 'arch' line:
                           ${ARCH_NAMES.join(', ')} (default: x86_64)
  -q, --quiet              show errors only, and no summary line
  -e, --eval PROGRAM       check PROGRAM given on the command line
  -h, --help               show this help

Examples:
  utrc check examples/syscount.utr
  utrc check --format json engines/*.utr
  utrc check -e 'engine e { on syscall_entry do resume }'
`;

const OPTIONS = {
  format: { type: 'string', default: 'text' },
  color: { type: 'string', default: 'auto' },
  arch: { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  eval: { type: 'string', short: 'e' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The `check` verb. */
export const command: Command = {
  name: 'check',
  summary: 'parse, type-check and race-check .utr files',
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, OPTIONS);
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const format = oneOf('format', values.format, FORMATS);
  const color = oneOf('color', values.color, COLOR_CHOICES);
  const arch: ArchName | undefined = values.arch === undefined ? undefined : oneOf('arch', values.arch, ARCH_NAMES);
  if (values.eval !== undefined && positionals.length > 0) {
    throw new UsageError(`give either -e PROGRAM or files, not both (see 'utrc check --help')`);
  }
  if (values.eval === undefined && positionals.length === 0) {
    throw new UsageError(`no input: name a .utr file, '-' for standard input, or -e PROGRAM (see 'utrc check --help')`);
  }
  if (positionals.filter((p) => p === '-').length > 1) {
    throw new UsageError(`standard input ('-') can be named only once`);
  }

  // Read every input first: an unreadable file is reported in one line and the others are still checked.
  const sources: SourceFile[] = [];
  let inputFailed = false;
  if (values.eval !== undefined) sources.push(new SourceFile(EVAL_NAME, values.eval));
  for (const name of positionals) {
    try {
      if (name === '-') {
        if (!io.stdin) throw new InputError('standard input is not available');
        sources.push(await readStdinSource(io.stdin));
      } else {
        sources.push(readSource(name, io.cwd));
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`utrc: ${error.message}\n`);
      inputFailed = true;
    }
  }

  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const result = analyze(source, arch !== undefined ? { arch } : {});
    diagnostics.push(...[...result.diagnostics].sort(compareDiagnostics));
  }
  const shown = values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const lookup = new Map(sources.map((s) => [s.path, s]));

  if (format === 'json') {
    io.stdout.write(renderJson(shown, lookup, sources.length));
  } else {
    const useColor = shouldColor(color, io.stderr, io.env);
    if (shown.length > 0) io.stderr.write(renderDiagnostics(shown, lookup, { color: useColor }));
    if (!values.quiet && sources.length > 0) {
      const files = sources.length === 1 ? '1 file' : `${sources.length} files`;
      io.stderr.write(
        `${shown.length > 0 ? '\n' : ''}checked ${files}: ${renderSummary(shown, { color: useColor })}\n`,
      );
    }
  }

  if (inputFailed) return EXIT_USAGE;
  return diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
