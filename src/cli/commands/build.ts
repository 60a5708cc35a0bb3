/**
 * `utrc build`: compile `.utr` files to one TypeScript module per engine, formatted, importing only `utrc/runtime`.
 * All or nothing: with an error in any source nothing is written, and an existing file is only ever replaced by a
 * complete new one (written aside, then renamed over it).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARCH_NAMES } from '../../arch/index.js';
import { formatModule, generate } from '../../codegen/index.js';
import { compareDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderDiagnostics, renderSummary } from '../../diagnostics/render-text.js';
import { SourceFile } from '../../diagnostics/source.js';
import { analyze } from '../../frontend.js';
import { COLOR_CHOICES, oneOf, parseArchOption, parseCommandArgs, requireInput, shouldColor } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../command.js';
import { version } from '../version.js';
import { describeFsError, EVAL_NAME, InputError, readInput } from '../read-source.js';

const HELP = `Usage: utrc build [options] FILE...

Compile the engines of each .utr file to TypeScript: one module per engine,
NAME.ts, a class implementing the runtime's engine interface that imports only
'utrc/runtime' (so it works in your project after 'npm install utrc').
Nothing is written when any file has an error.

Options:
  -o, --out-dir DIR        where to write the modules (default: the current
                           directory)
  --typecheck              type-check the generated modules (tsc --strict)
                           before writing them
  --arch NAME              architecture for files without an 'arch' line:
                           ${ARCH_NAMES.join(', ')} (default: x86_64)
  -q, --quiet              print errors only
  --color auto|always|never
                           colour diagnostics (default: auto)
  -e, --eval PROGRAM       build PROGRAM given on the command line
  -h, --help               show this help

Examples:
  utrc build examples/syscount.utr -o engines/
  utrc build --typecheck examples/*.utr -o out/
`;

const OPTIONS = {
  'out-dir': { type: 'string', short: 'o', default: '.' },
  typecheck: { type: 'boolean', default: false },
  arch: { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  color: { type: 'string', default: 'auto' },
  eval: { type: 'string', short: 'e' },
} as const;

/** The `build` verb. */
export const command: Command = {
  name: 'build',
  usage: HELP,
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('build', args, OPTIONS);
  const color = oneOf('color', values.color, COLOR_CHOICES);
  const arch = parseArchOption(values.arch);
  requireInput('build', values.eval, positionals, { files: true });

  const sources: SourceFile[] = [];
  try {
    if (values.eval !== undefined) sources.push(new SourceFile(EVAL_NAME, values.eval));
    for (const name of positionals) sources.push(await readInput(name, io));
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`utrc: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const useColor = shouldColor(color, io.stderr, io.env);
  const results = sources.map((s) => analyze(s, arch !== undefined ? { arch } : {}));
  const diagnostics: Diagnostic[] = results.flatMap((r) => [...r.diagnostics].sort(compareDiagnostics));
  const shown = values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const lookup = new Map(sources.map((s) => [s.path, s]));
  if (shown.length > 0) io.stderr.write(renderDiagnostics(shown, lookup, { color: useColor }));
  if (results.some((r) => !r.ok)) {
    io.stderr.write(`\nnothing written: ${renderSummary(shown, { color: useColor })}\n`);
    return EXIT_FINDINGS;
  }

  const outDir = resolve(io.cwd, values['out-dir']);
  const modules: { fileName: string; text: string; from: string }[] = [];
  for (const r of results) {
    for (const m of generate(r.checked, { version: version() })) {
      const clash = modules.find((x) => x.fileName === m.fileName);
      if (clash)
        throw new UsageError(
          `engine \`${m.engine}\` of ${r.source.path} and one of ${clash.from} would both be written to ${m.fileName}; build them into different directories`,
        );
      modules.push({ fileName: m.fileName, text: await formatModule(m.text), from: r.source.path });
    }
  }

  if (values.typecheck) {
    const { typecheckModules } = await import('../../codegen/typecheck.js');
    const problems = typecheckModules(modules);
    if (problems.length > 0) {
      for (const p of problems) io.stderr.write(`utrc: generated ${p.file}:${p.line}: ${p.message}\n`);
      // A bug of ours like any other: `main` words it (version, where to report it) and exits 70.
      throw new Error('the generated TypeScript does not type-check; nothing written');
    }
  }

  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    io.stderr.write(`utrc: cannot create \`${values['out-dir']}\`: ${describeFsError(error, { writing: true })}\n`);
    return EXIT_USAGE;
  }
  // Write every module aside first, then rename them all into place: a failure leaves the old files untouched.
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const m of modules) {
      const path = join(outDir, m.fileName);
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, m.text);
      staged.push({ tmp, path });
    }
    for (const s of staged) renameSync(s.tmp, s.path);
  } catch (error) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    io.stderr.write(`utrc: cannot write to \`${values['out-dir']}\`: ${describeFsError(error, { writing: true })}\n`);
    return EXIT_USAGE;
  }
  if (!values.quiet) {
    const names = staged.map((s) => join(values['out-dir'], s.path.slice(outDir.length + 1)));
    io.stderr.write(`built ${names.length} engine${names.length === 1 ? '' : 's'}: ${names.join(', ')}\n`);
  }
  return EXIT_OK;
}
